/**
 * The Athena provider of the edge view (CONTRACT §11): CloudFront standard logs or Cloudflare
 * Logpush http_requests in S3, read through the table named by aws.athena.edgeTable
 * (aws.athena.edgeFormat says which; docs/athena.md §7). One query per investigation,
 * templates/queries/edge-<format>-counts.sql, run by runAthenaQuery (polling, paging,
 * throttling, the aws.athena.queryTimeoutSeconds deadline), its rows read with the files
 * parser's rules (edge-counts-from-rows.ts). Never throws for a source failure: a failed query or
 * a table without rows of the window is an AbsentView with the reason.
 */
import type { Clock } from '../../core/clock.js';
import type { SignalSeries, SourceStatus, TimeWindow } from '../../core/types.js';
import { detectLineGaps } from '../../evidence/detect-line-gaps.js';
import type { IndexSelector } from '../../evidence/index-matcher.js';
import { uncoveredMinuteCount } from '../../evidence/minute-coverage.js';
import { measuredSeries } from '../../evidence/signal-series.js';
import { type AbsentView, type EdgeView, failedView, type ViewProblem } from '../../evidence/views.js';
import type { EdgeKind } from '../../parsers/edge-record.js';
import { newRetryLog, type PollPolicy } from '../poll-until-done.js';
import type { AthenaApi } from './athena-api.js';
import { type AthenaConfig, type EdgeTableFormat, edgeFormatOf } from './athena-config.js';
import { DELIVERY_MARGIN_MS, dayParameters, MAX_DAY_PARTITIONS } from './day-partitions.js';
import { edgeCountsFromRows } from './edge-counts-from-rows.js';
import { indexPatterns } from './index-patterns.js';
import { queryCostUsd } from './query-cost.js';
import { bindQuery, loadQueryTemplate, type QueryTemplateName, type SqlValue } from './query-template.js';
import { runAthenaQuery } from './run-athena-query.js';

export const ATHENA_EDGE_SOURCE_NAME = 'CloudFront logs via Athena';
export const ATHENA_CLOUDFLARE_SOURCE_NAME = 'Cloudflare logs via Athena';

/** What differs between the edge formats; everything else (the parts, the minutes, the gaps) is shared. */
interface EdgeQueryFormat {
  template: QueryTemplateName;
  sourceName: string;
  kind: EdgeKind;
  /** "the CloudFront log table", for the reasons. */
  tableLabel: string;
  /** The day values the query's `:day_n` select: CloudFront's `date` column, Cloudflare's {DATE} folders. */
  days(window: TimeWindow): string[];
  /** The window's bounds as the query compares them. */
  windowParameters(window: TimeWindow): Record<string, SqlValue>;
  /** Where to look when the days read hold no rows. */
  emptyHint: string;
  /** Why rows of those days may not yet cover the window. */
  lateHint: string;
}

const EDGE_QUERY_FORMATS: Record<EdgeTableFormat, EdgeQueryFormat> = {
  cloudfront: {
    template: 'edge-cloudfront-counts',
    sourceName: ATHENA_EDGE_SOURCE_NAME,
    kind: 'cloudfront',
    tableLabel: 'the CloudFront log table',
    days: utcDaysOf,
    windowParameters: (window) => ({ window_start: isoSecond(window.start), window_end: isoSecond(window.end) }),
    emptyHint: "does its LOCATION point at the distribution's logs?",
    lateHint: 'CloudFront delivers up to an hour late',
  },
  cloudflare: {
    template: 'edge-cloudflare-counts',
    sourceName: ATHENA_CLOUDFLARE_SOURCE_NAME,
    kind: 'cloudflare',
    tableLabel: 'the Cloudflare log table',
    days: logpushDayFolders,
    windowParameters: (window) => ({ window_start_ms: window.start.getTime(), window_end_ms: window.end.getTime() }),
    emptyHint:
      "does its LOCATION point at the Logpush job's destination, with {DATE} folders, and does the job write unixnano or unix timestamps?",
    lateHint: 'Logpush pushes its batches after the requests',
  },
};

export interface EdgeViewInput {
  window: TimeWindow;
  selector: IndexSelector;
  /** aws.athena with edgeTable set. */
  athena: AthenaConfig;
}

export interface EdgeViewDeps {
  athena: AthenaApi;
  clock: Clock;
  signal?: AbortSignal | undefined;
  /** [0, 1) for retry and poll jitter; default Math.random. */
  random?: () => number;
  polling?: Partial<PollPolicy>;
}

const DAY_MS = 86_400_000;

export async function queryEdgeView(input: EdgeViewInput, deps: EdgeViewDeps): Promise<EdgeView | AbsentView> {
  const { athena, window } = input;
  const format = EDGE_QUERY_FORMATS[edgeFormatOf(athena)];
  const sourceName = format.sourceName;
  const tableName = `${athena.database}.${athena.edgeTable ?? ''}`;
  const fail = (reason: string, detail = ''): AbsentView =>
    failedView(reason, [{ name: sourceName, status: 'failed', detail: `${reason}; ${tableName}${detail}` }]);
  if (!athena.edgeTable) return fail('aws.athena.edgeTable is not set');
  const days = format.days(window);
  if (days.length > MAX_DAY_PARTITIONS)
    return fail(`the window spans ${days.length} UTC days; the edge query reads at most ${MAX_DAY_PARTITIONS}`);
  let query: ReturnType<typeof bindQuery>;
  try {
    query = bindQuery(
      loadQueryTemplate(format.template),
      { database: athena.database, table: athena.edgeTable },
      {
        ...dayParameters(days),
        ...format.windowParameters(window),
        // The edge has no target group: by request path, as the files reader's requestBelongs.
        index_path: indexPatterns({ ...input.selector, targetGroup: undefined }).requestUrl,
      },
    );
  } catch (error) {
    return fail(error instanceof Error ? error.message : String(error));
  }
  const retryLog = newRetryLog();
  const outcome = await runAthenaQuery(
    { query, athena, deadlineMs: deps.clock.now().getTime() + athena.queryTimeoutSeconds * 1000 },
    { api: deps.athena, clock: deps.clock, signal: deps.signal, random: deps.random, polling: deps.polling, retryLog },
  );
  const cost = queryCostUsd({
    succeeded: outcome.status === 'succeeded',
    reused: outcome.reused,
    bytesScanned: outcome.bytesScanned,
  });
  const detail = [
    outcome.queryId ? `, query id ${outcome.queryId}` : '',
    `, ${outcome.bytesScanned.toLocaleString('en-US')} bytes scanned (~$${cost.toFixed(4)})`,
    `, dates ${days.join(', ')}`,
    retryLog.count > 0 ? `, ${retryLog.count} call(s) throttled and retried` : '',
  ].join('');
  if (outcome.status === 'failed') return fail(outcome.reason, detail);
  const counts = edgeCountsFromRows(outcome.rows, window, edgeFormatOf(athena));
  if (counts.entries.every((n) => n === 0))
    return fail(
      counts.coverage === null
        ? `${format.tableLabel} holds no rows on ${days.join(', ')}: ${format.emptyHint}`
        : `${format.tableLabel} holds no rows in the window (its rows of those dates span ${utc(counts.coverage.firstMs)}–${utc(counts.coverage.lastMs)} UTC; ${format.lateHint})`,
      detail,
    );
  const gaps = detectLineGaps({
    entriesPerMinute: counts.entries,
    entriesBefore: counts.coverage !== null && counts.coverage.firstMs < window.start.getTime(),
    entriesAfter: counts.coverage !== null && counts.coverage.lastMs >= window.end.getTime(),
    detectCollapse: false,
  });
  const uncovered = gaps.map((gap) => gap.range);
  const problem: ViewProblem | null =
    uncovered.length === 0
      ? null
      : {
          status: uncoveredMinuteCount(uncovered) >= counts.entries.length ? 'unavailable' : 'partial',
          reason: `${format.tableLabel} has no rows in ${uncovered.map(([a, b]) => span(window, a, b)).join(', ')} UTC: those minutes are left out, not counted as zero`,
        };
  if (problem?.status === 'unavailable') return fail(problem.reason, detail);
  const source: SourceStatus = problem
    ? { name: sourceName, status: 'partial', detail: `${problem.reason}; ${tableName}${detail}` }
    : { name: sourceName, status: 'complete', detail: `${tableName}${detail}` };
  const series = (values: number[], byCode?: Record<string, number>): SignalSeries =>
    measuredSeries('index', sourceName, values, byCode ? { byCode } : {});
  return {
    name: sourceName,
    kind: format.kind,
    signals: {
      edge_requests: series(counts.requests),
      edge_5xx: series(counts.all5xx, counts.byCode.all5xx),
      edge_minted_5xx: series(counts.minted, counts.byCode.minted),
      edge_passed_5xx: series(counts.passed, counts.byCode.passed),
    },
    uncovered,
    problem,
    sources: [source],
  };
}

/** The UTC dates ("2026-06-18") of the window's requests: CloudFront logs the request's own date. */
function utcDaysOf(window: TimeWindow): string[] {
  const days: string[] = [];
  for (let dayMs = Math.floor(window.start.getTime() / DAY_MS) * DAY_MS; dayMs < window.end.getTime(); dayMs += DAY_MS)
    days.push(new Date(dayMs).toISOString().slice(0, 10));
  return days;
}

/**
 * The {DATE} folders (yyyyMMdd) that may hold the window's requests: Logpush names a batch's
 * folder by the batch's own UTC date, so a request just after midnight can sit in the previous
 * day's last batch, and one just before in the next day's first: a margin on both sides.
 */
function logpushDayFolders(window: TimeWindow): string[] {
  const days: string[] = [];
  const lastMs = window.end.getTime() - 1 + DELIVERY_MARGIN_MS;
  for (
    let dayMs = Math.floor((window.start.getTime() - DELIVERY_MARGIN_MS) / DAY_MS) * DAY_MS;
    dayMs <= lastMs;
    dayMs += DAY_MS
  )
    days.push(new Date(dayMs).toISOString().slice(0, 10).replaceAll('-', ''));
  return days;
}

/** "2026-06-18T19:41:00": compares as text with the table's date || 'T' || time. */
function isoSecond(instant: Date): string {
  return instant.toISOString().slice(0, 19);
}

function utc(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
}

function span(window: TimeWindow, first: number, last: number): string {
  const at = (index: number) => new Date(window.start.getTime() + index * 60_000).toISOString().slice(11, 16);
  return first === last ? at(first) : `${at(first)}–${at(last)}`;
}
