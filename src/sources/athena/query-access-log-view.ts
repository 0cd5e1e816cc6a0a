/**
 * The Athena provider of the ALB access-log view: the load balancer's own access logs in S3,
 * read where they live through the AWS-documented table (docs/athena.md). Two queries per
 * investigation, run at once under one deadline (aws.athena.queryTimeoutSeconds):
 *   templates/queries/alb-counts.sql   every per-minute counter of AlbCounts, one scan;
 *   templates/queries/alb-samples.sql  the index's LB-minted 5xx rows nearest the asked minute.
 * Both read only the day partitions of the window (`day IN (…)`) and the window's times.
 *
 * Never a false zero: counts are null unless the counts query succeeded AND the table has rows
 * of the window; samples are null unless the samples query succeeded.
 */
import type { Clock } from '../../core/clock.js';
import { type AccessLogSample, MAX_SAMPLES } from '../../core/report.js';
import type { TimeWindow } from '../../core/types.js';
import type { AlbCounts } from '../../evidence/alb-counts.js';
import type { IndexSelector } from '../../evidence/index-matcher.js';
import { newRetryLog, type PollPolicy, type RetryLog } from '../poll-until-done.js';
import type { AthenaApi } from './athena-api.js';
import type { AthenaConfig } from './athena-config.js';
import { type AlbCountsRead, albCountsFromRows } from './counts-from-rows.js';
import { dayParameters, dayPartitionsFor, MAX_DAY_PARTITIONS } from './day-partitions.js';
import { indexPatterns, loadBalancerPattern } from './index-patterns.js';
import { queryCostUsd } from './query-cost.js';
import { type BoundQuery, bindQuery, loadQueryTemplate } from './query-template.js';
import { type AthenaQueryOutcome, runAthenaQuery } from './run-athena-query.js';
import { samplesFromRows } from './samples-from-rows.js';
import { processSharedQueries, type SharedQueries } from './shared-queries.js';

export interface AccessLogViewInput {
  window: TimeWindow;
  /** Start of the asked minute (UTC): samples are the rows nearest it. */
  askedAt: Date;
  selector: IndexSelector;
  slowRequestSeconds: number;
  athena: AthenaConfig;
  /**
   * aws.loadBalancer ("app/k8s-ingress/0123456789abcdef"): keeps other load balancers logging to
   * the same bucket and prefix out of the counts. Without it every row of the table counts.
   */
  loadBalancer?: string | undefined;
}

export interface AccessLogViewDeps {
  athena: AthenaApi;
  clock: Clock;
  /** Cancels this investigation's wait; a query shared with others is stopped when all have cancelled. */
  signal?: AbortSignal | undefined;
  /** [0, 1) for retry and poll jitter; default Math.random. */
  random?: () => number;
  polling?: Partial<PollPolicy>;
  /** Where identical concurrent queries meet; default: this process's. */
  shared?: SharedQueries;
}

export type AthenaViewStatus = 'complete' | 'partial' | 'failed';

export interface AthenaAccessLogResult {
  /** "Athena lb_logs.alb_access_logs": the signals' `source`. */
  source: string;
  /** complete: counts and samples; partial: counts without samples; failed: no counts. */
  status: AthenaViewStatus;
  /** Why partial or failed, in words a person can act on. */
  reason?: string;
  /** Worth showing even when complete: retries after throttling, unparsed rows. */
  notes: string[];
  /** Null when not measured (never zeros in its place). */
  counts: AlbCounts | null;
  /** Up to MAX_SAMPLES LB-minted 5xx rows of the index, nearest the asked minute first; null when not read. */
  samples: AccessLogSample[] | null;
  /** Rows of the day partitions read that the table's regex could not parse (all NULL): counted, never traffic. */
  unparsedRows: number | null;
  /**
   * Rows the load balancer logged per minute of the window (= counts.perMinute.lbRequests): with
   * `coverage`, how the caller tells covered minutes from holes, as files mode does.
   */
  entriesPerMinute: number[] | null;
  /** First and last time of any parsed row of the partitions read (the window's and beyond). */
  coverage: { firstMs: number; lastMs: number } | null;
  /** The `day` partitions read, e.g. ["2026/06/18", "2026/06/19"]. */
  partitions: string[];
  stats: AthenaQueryStats;
}

export interface AthenaQueryStats {
  /** Every query started, counts first; a reused result has its own id. */
  queryIds: string[];
  bytesScanned: number;
  /** Estimated: $5 per TB, 10 MB minimum per query, reused results free (query-cost.ts). */
  costUsd: number;
  /** Per query id: whether Athena answered from a stored result (result reuse). */
  reused: boolean[];
}

export async function queryAccessLogView(
  input: AccessLogViewInput,
  deps: AccessLogViewDeps,
): Promise<AthenaAccessLogResult> {
  const source = `Athena ${input.athena.database}.${input.athena.table}`;
  const partitions = dayPartitionsFor(input.window);
  if (partitions.length > MAX_DAY_PARTITIONS) {
    return failedBefore(
      source,
      partitions,
      `the window spans ${partitions.length} day partitions of the access-log table; Athena reads at most ${MAX_DAY_PARTITIONS} (a window of up to 24 h)`,
    );
  }
  let queries: { counts: BoundQuery; samples: BoundQuery };
  try {
    queries = buildQueries(input, partitions);
  } catch (error) {
    return failedBefore(source, partitions, error instanceof Error ? error.message : String(error));
  }
  const retryLog = newRetryLog();
  const deadlineMs = deps.clock.now().getTime() + input.athena.queryTimeoutSeconds * 1000;
  const run = (query: BoundQuery) => runShared(query, input.athena, deadlineMs, retryLog, deps);
  const [counts, samples] = await Promise.all([run(queries.counts), run(queries.samples)]);
  return assemble(source, partitions, input, counts, samples, retryLog);
}

function buildQueries(
  input: AccessLogViewInput,
  partitions: readonly string[],
): { counts: BoundQuery; samples: BoundQuery } {
  const patterns = indexPatterns(input.selector);
  const values = {
    ...dayParameters(partitions),
    load_balancer: loadBalancerPattern(input.loadBalancer),
    window_start: isoSecond(input.window.start),
    window_end: isoSecond(input.window.end),
    index_target_group: patterns.targetGroup,
    index_request_url: patterns.requestUrl,
    slow_seconds: input.slowRequestSeconds,
    asked_minute: isoSecond(input.askedAt),
    sample_limit: MAX_SAMPLES,
  };
  const table = { database: input.athena.database, table: input.athena.table };
  return {
    counts: bindQuery(loadQueryTemplate('alb-counts'), table, values),
    samples: bindQuery(loadQueryTemplate('alb-samples'), table, values),
  };
}

/**
 * "2026-06-18T19:41:00": compared as text with ALB's "2026-06-18T19:41:00.186641Z", it sorts
 * before every time of that second, so `time >= start AND time < end` is the window exactly.
 */
function isoSecond(instant: Date): string {
  return instant.toISOString().slice(0, 19);
}

function runShared(
  query: BoundQuery,
  athena: AthenaConfig,
  deadlineMs: number,
  retryLog: RetryLog,
  deps: AccessLogViewDeps,
): Promise<AthenaQueryOutcome> {
  const key = JSON.stringify([
    athena.workgroup,
    athena.database,
    athena.outputLocation ?? '',
    athena.resultReuseMinutes,
    query.queryString,
    query.executionParameters,
  ]);
  const shared = deps.shared ?? processSharedQueries;
  return shared.run(
    key,
    (signal) =>
      runAthenaQuery(
        { query, athena, deadlineMs },
        { api: deps.athena, clock: deps.clock, signal, random: deps.random, polling: deps.polling, retryLog },
      ),
    deps.signal,
  );
}

function assemble(
  source: string,
  partitions: string[],
  input: AccessLogViewInput,
  countsOutcome: AthenaQueryOutcome,
  samplesOutcome: AthenaQueryOutcome,
  retryLog: RetryLog,
): AthenaAccessLogResult {
  const outcomes = [countsOutcome, samplesOutcome];
  const stats: AthenaQueryStats = {
    queryIds: outcomes.flatMap((o) => (o.queryId ? [o.queryId] : [])),
    bytesScanned: outcomes.reduce((sum, o) => sum + o.bytesScanned, 0),
    costUsd: outcomes.reduce(
      (sum, o) =>
        sum + queryCostUsd({ succeeded: o.status === 'succeeded', reused: o.reused, bytesScanned: o.bytesScanned }),
      0,
    ),
    reused: outcomes.flatMap((o) => (o.queryId ? [o.reused] : [])),
  };
  const notes = retryLog.count > 0 ? [describeRetries(retryLog)] : [];
  const samples =
    samplesOutcome.status === 'succeeded' ? samplesFromRows(samplesOutcome.rows, input.askedAt, MAX_SAMPLES) : null;
  const base = { source, notes, samples, partitions, stats };
  if (countsOutcome.status === 'failed')
    return {
      ...base,
      status: 'failed',
      reason: countsOutcome.reason,
      counts: null,
      unparsedRows: null,
      entriesPerMinute: null,
      coverage: null,
    };
  const read = albCountsFromRows(countsOutcome.rows, input.window);
  notes.push(...readNotes(read));
  const noRows = noRowsReason(read, partitions, input);
  if (noRows)
    return {
      ...base,
      status: 'failed',
      reason: noRows,
      counts: null,
      unparsedRows: read.unparsedRows,
      entriesPerMinute: null,
      coverage: read.coverage,
    };
  const measured = {
    counts: read.counts,
    unparsedRows: read.unparsedRows,
    entriesPerMinute: [...read.counts.perMinute.lbRequests],
    coverage: read.coverage,
  };
  if (samplesOutcome.status === 'failed')
    return { ...base, ...measured, status: 'partial', reason: `sample rows unavailable: ${samplesOutcome.reason}` };
  return { ...base, ...measured, status: 'complete' };
}

/**
 * A table with no rows of the window measured nothing: logging off, a wrong table location, a
 * load balancer id that is not in these logs, or files not delivered yet — not "0 requests".
 */
function noRowsReason(read: AlbCountsRead, partitions: readonly string[], input: AccessLogViewInput): string | null {
  const inWindow = read.counts.perMinute.lbRequests.reduce((sum, n) => sum + n, 0);
  if (inWindow > 0) return null;
  const whose = input.loadBalancer ? ` of ${input.loadBalancer}` : '';
  const where = `day partition${partitions.length > 1 ? 's' : ''} ${partitions.join(', ')}`;
  if (read.coverage === null) {
    const unparsed =
      read.unparsedRows > 0
        ? ` (${read.unparsedRows.toLocaleString('en-US')} rows there do not match the table's regex: an older log format?)`
        : '';
    return `the access-log table holds no rows${whose} in ${where}${unparsed}: is access logging on, and does the table's LOCATION point at these logs?`;
  }
  const iso = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
  return `the access-log table holds no rows${whose} in the window; its rows in ${where} span ${iso(read.coverage.firstMs)}–${iso(read.coverage.lastMs)} UTC (files arrive 5–10 minutes late)`;
}

function readNotes(read: AlbCountsRead): string[] {
  const notes: string[] = [];
  if (read.unparsedRows > 0) {
    notes.push(
      `${read.unparsedRows.toLocaleString('en-US')} rows of the day partitions read do not match the table's regex (all columns NULL): not counted as traffic`,
    );
  }
  if (read.unreadableRows > 0)
    notes.push(
      `${read.unreadableRows.toLocaleString('en-US')} rows have a time that is not an ALB timestamp: left out`,
    );
  return notes;
}

function describeRetries(log: RetryLog): string {
  const codes = Object.entries(log.byCode)
    .map(([code, n]) => `${code} ×${n}`)
    .join(', ');
  return `Athena throttled or briefly failed ${log.count} call${log.count === 1 ? '' : 's'} (${codes}); retried with backoff`;
}

function failedBefore(source: string, partitions: string[], reason: string): AthenaAccessLogResult {
  return {
    source,
    status: 'failed',
    reason,
    notes: [],
    counts: null,
    samples: null,
    unparsedRows: null,
    entriesPerMinute: null,
    coverage: null,
    partitions,
    stats: { queryIds: [], bytesScanned: 0, costUsd: 0, reused: [] },
  };
}
