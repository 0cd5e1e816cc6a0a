/**
 * The Athena provider of the edge view (CONTRACT §11): CloudFront standard logs in S3, read
 * through the AWS-documented table named by aws.athena.edgeTable (docs/athena.md). One query,
 * templates/queries/edge-cloudfront-counts.sql, run by runAthenaQuery (polling, paging,
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
import { newRetryLog, type PollPolicy } from '../poll-until-done.js';
import type { AthenaApi } from './athena-api.js';
import type { AthenaConfig } from './athena-config.js';
import { dayParameters, MAX_DAY_PARTITIONS } from './day-partitions.js';
import { edgeCountsFromRows } from './edge-counts-from-rows.js';
import { indexPatterns } from './index-patterns.js';
import { queryCostUsd } from './query-cost.js';
import { bindQuery, loadQueryTemplate } from './query-template.js';
import { runAthenaQuery } from './run-athena-query.js';

export const ATHENA_EDGE_SOURCE_NAME = 'CloudFront logs via Athena';

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
  const tableName = `${athena.database}.${athena.edgeTable ?? ''}`;
  const fail = (reason: string, detail = ''): AbsentView =>
    failedView(reason, [
      { name: ATHENA_EDGE_SOURCE_NAME, status: 'failed', detail: `${reason}; ${tableName}${detail}` },
    ]);
  if (!athena.edgeTable) return fail('aws.athena.edgeTable is not set');
  const days = utcDaysOf(window);
  if (days.length > MAX_DAY_PARTITIONS)
    return fail(`the window spans ${days.length} UTC days; the edge query reads at most ${MAX_DAY_PARTITIONS}`);
  let query: ReturnType<typeof bindQuery>;
  try {
    query = bindQuery(
      loadQueryTemplate('edge-cloudfront-counts'),
      { database: athena.database, table: athena.edgeTable },
      {
        ...dayParameters(days),
        window_start: isoSecond(window.start),
        window_end: isoSecond(window.end),
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
  const counts = edgeCountsFromRows(outcome.rows, window);
  if (counts.entries.every((n) => n === 0))
    return fail(
      counts.coverage === null
        ? `the CloudFront log table holds no rows on ${days.join(', ')}: does its LOCATION point at the distribution's logs?`
        : `the CloudFront log table holds no rows in the window (its rows of those dates span ${utc(counts.coverage.firstMs)}–${utc(counts.coverage.lastMs)} UTC; CloudFront delivers up to an hour late)`,
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
          reason: `the CloudFront log table has no rows in ${uncovered.map(([a, b]) => span(window, a, b)).join(', ')} UTC: those minutes are left out, not counted as zero`,
        };
  if (problem?.status === 'unavailable') return fail(problem.reason, detail);
  const source: SourceStatus = problem
    ? { name: ATHENA_EDGE_SOURCE_NAME, status: 'partial', detail: `${problem.reason}; ${tableName}${detail}` }
    : { name: ATHENA_EDGE_SOURCE_NAME, status: 'complete', detail: `${tableName}${detail}` };
  const series = (values: number[], byCode?: Record<string, number>): SignalSeries =>
    measuredSeries('index', ATHENA_EDGE_SOURCE_NAME, values, byCode ? { byCode } : {});
  return {
    name: ATHENA_EDGE_SOURCE_NAME,
    kind: 'cloudfront',
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
