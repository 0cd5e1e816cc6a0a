/**
 * Runs one Logs Insights query over one log group to completion, honestly:
 * - StartQuery takes epoch SECONDS, both ends inclusive: [window start, window end − 1 s];
 * - GetQueryResults is polled with backoff (250 ms, doubling, capped at 2 s and at 15 % of
 *   the time already waited) while the status is `Scheduled` or `Running` — both are
 *   non-terminal;
 * - an overall deadline (aws.queryTimeoutSeconds) stops the query with StopQuery;
 * - `Failed`, `Cancelled`, `Timeout`, `Unknown` end it with the reason;
 * - LimitExceededException (too many concurrent queries) and throttling are retried with
 *   jittered backoff until the deadline;
 * - results come in pages (nextToken): every page is fetched and the row count checked
 *   against the statistics' resultCount;
 * - a result of 10,000 rows (the query's limit) may be cut: the time range is re-run in
 *   halves, recursively, and merged — never silently truncated;
 * - bytes and records scanned are summed over every query actually run.
 */
import {
  type CloudWatchLogsClient,
  GetQueryResultsCommand,
  StartQueryCommand,
  StopQueryCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import type { Clock } from '../../core/clock.js';
import { classifyAwsError, describeAwsFailure } from './aws-errors.js';
import type { InsightsRow } from './proxy-signals-query.js';
import type { QueryLimiter } from './query-limiter.js';

/** The three calls this module makes, narrowed so tests and the bench can stand in. */
export interface LogsInsightsApi {
  startQuery(
    input: { logGroupNames: string[]; startTime: number; endTime: number; queryString: string; limit: number },
    options?: CallOptions,
  ): Promise<{ queryId?: string | undefined }>;
  getQueryResults(
    input: { queryId: string; nextToken?: string; maxItems?: number },
    options?: CallOptions,
  ): Promise<{
    status?: string | undefined;
    results?: Array<Array<{ field?: string | undefined; value?: string | undefined }>> | undefined;
    statistics?:
      | {
          recordsMatched?: number | undefined;
          recordsScanned?: number | undefined;
          bytesScanned?: number | undefined;
          resultCount?: number | undefined;
        }
      | undefined;
    nextToken?: string | undefined;
  }>;
  stopQuery(input: { queryId: string }, options?: CallOptions): Promise<{ success?: boolean | undefined }>;
}

export interface CallOptions {
  /** Aborts the HTTP call (deadline reached, or a sibling query failed). */
  abortSignal?: AbortSignal;
}

/** The real thing. Credentials, region and endpoint come from the client's own chain. */
export function createLogsInsightsApi(client: CloudWatchLogsClient): LogsInsightsApi {
  const sendOptions = (options?: CallOptions) => (options?.abortSignal ? { abortSignal: options.abortSignal } : {});
  return {
    startQuery: (input, options) => client.send(new StartQueryCommand(input), sendOptions(options)),
    getQueryResults: (input, options) => client.send(new GetQueryResultsCommand(input), sendOptions(options)),
    stopQuery: (input, options) => client.send(new StopQueryCommand(input), sendOptions(options)),
  };
}

/** The query's row limit (| limit 10000): a result this size may be cut and is re-run in halves. */
export const MAX_RESULT_ROWS = 10_000;
/** GetQueryResults pages followed at most (100,000 rows is the API's ceiling at 10,000 a page). */
const MAX_PAGES = 10;
/** StopQuery is sent after the deadline; it gets a few seconds of its own. */
const STOP_TIMEOUT_MS = 5_000;
export const LOGS_PERMISSIONS = ['logs:StartQuery', 'logs:GetQueryResults', 'logs:StopQuery'] as const;

export interface PollingPolicy {
  firstPollMs: number;
  maxPollMs: number;
  /** Retry backoff for LimitExceeded/throttling: base, doubling, capped; jittered. */
  retryBaseMs: number;
  retryMaxMs: number;
}

export const DEFAULT_POLLING: PollingPolicy = {
  firstPollMs: 250,
  maxPollMs: 2_000,
  retryBaseMs: 500,
  retryMaxMs: 8_000,
};

export interface InsightsQueryRequest {
  logGroup: string;
  queryString: string;
  /** Epoch seconds, inclusive. */
  startTimeSeconds: number;
  /** Epoch seconds, inclusive. */
  endTimeSeconds: number;
  /** Epoch ms after which running queries are stopped and the outcome is a failure. */
  deadlineMs: number;
  /** The configured timeout behind `deadlineMs`, for the message. */
  timeoutSeconds: number;
}

export interface InsightsQueryDeps {
  api: LogsInsightsApi;
  clock: Clock;
  limiter: QueryLimiter;
  /** [0, 1); injected so retry jitter is reproducible in tests. */
  random: () => number;
  polling?: PollingPolicy;
}

export interface ScanStatistics {
  bytesScanned: number;
  recordsScanned: number;
  recordsMatched: number;
}

export interface InsightsQueryOutcome {
  logGroup: string;
  status: 'complete' | 'partial' | 'failed';
  /** Merged rows of every (sub-)query; empty when failed. */
  rows: InsightsRow[];
  /** Why the outcome is partial or failed. */
  reason?: string;
  statistics: ScanStatistics;
  /** Queries started (a split result counts each half). */
  queries: number;
  /** API calls made (StartQuery, GetQueryResults, StopQuery). */
  apiCalls: number;
}

/** A query that ended without a usable result; the message is the reason shown to people. */
class QueryEndedError extends Error {
  override name = 'QueryEndedError';
}

/**
 * Runs the query over [startTimeSeconds, endTimeSeconds], splitting full results. Never
 * throws: every failure is an outcome with a reason.
 */
export async function runInsightsQuery(
  request: InsightsQueryRequest,
  deps: InsightsQueryDeps,
): Promise<InsightsQueryOutcome> {
  const run = new QueryRun(request, deps);
  try {
    const rows = await run.range(request.startTimeSeconds, request.endTimeSeconds);
    const cut = run.truncatedRanges;
    return {
      logGroup: request.logGroup,
      status: cut.length === 0 ? 'complete' : 'partial',
      rows,
      ...(cut.length === 0
        ? {}
        : {
            reason: `${cut.length} one-minute range(s) still returned ${MAX_RESULT_ROWS.toLocaleString('en-US')} rows (the API's cap) and may be missing rows: ${cut.join(', ')}`,
          }),
      statistics: run.statistics,
      queries: run.queries,
      apiCalls: run.apiCalls,
    };
  } catch (error) {
    run.abort();
    const reason =
      error instanceof QueryEndedError
        ? error.message
        : describeAwsFailure(classifyAwsError(error), `Logs Insights on ${request.logGroup}`, LOGS_PERMISSIONS);
    return {
      logGroup: request.logGroup,
      status: 'failed',
      rows: [],
      reason,
      statistics: run.statistics,
      queries: run.queries,
      apiCalls: run.apiCalls,
    };
  }
}

class QueryRun {
  readonly statistics: ScanStatistics = { bytesScanned: 0, recordsScanned: 0, recordsMatched: 0 };
  readonly truncatedRanges: string[] = [];
  queries = 0;
  apiCalls = 0;
  private readonly aborter = new AbortController();
  private firstFailure: { error: unknown } | null = null;
  private readonly polling: PollingPolicy;

  constructor(
    private readonly request: InsightsQueryRequest,
    private readonly deps: InsightsQueryDeps,
  ) {
    this.polling = deps.polling ?? DEFAULT_POLLING;
  }

  /** Tells sibling halves still running to stop their queries. */
  abort(): void {
    this.aborter.abort(new QueryEndedError('stopped: another part of this query failed'));
  }

  async range(startSeconds: number, endSeconds: number): Promise<InsightsRow[]> {
    const rows = await this.deps.limiter.run(() => this.once(startSeconds, endSeconds));
    if (rows.length < MAX_RESULT_ROWS) return rows;
    const halves = splitRange(startSeconds, endSeconds);
    if (halves === null) {
      this.truncatedRanges.push(`${new Date(startSeconds * 1000).toISOString().slice(11, 16)} UTC`);
      return rows;
    }
    // Both halves at once; when one fails the other is stopped, and both have settled (their
    // queries stopped, their slots released) before the failure is reported.
    const settled = await Promise.allSettled(
      halves.map(([from, to]) =>
        this.range(from, to).catch((error: unknown) => {
          this.firstFailure ??= { error };
          this.abort();
          throw error;
        }),
      ),
    );
    if (this.firstFailure) throw this.firstFailure.error;
    return settled.flatMap((half) => (half.status === 'fulfilled' ? half.value : []));
  }

  private async once(startSeconds: number, endSeconds: number): Promise<InsightsRow[]> {
    this.throwIfOver();
    const started = await this.withRetries('StartQuery', (options) =>
      this.deps.api.startQuery(
        {
          logGroupNames: [this.request.logGroup],
          startTime: startSeconds,
          endTime: endSeconds,
          queryString: this.request.queryString,
          limit: MAX_RESULT_ROWS,
        },
        options,
      ),
    );
    if (!started.queryId)
      throw new QueryEndedError(`Logs Insights on ${this.request.logGroup}: StartQuery returned no query id`);
    this.queries++;
    return this.poll(started.queryId);
  }

  private async poll(queryId: string): Promise<InsightsRow[]> {
    const startedMs = this.deps.clock.now().getTime();
    let waitMs = this.polling.firstPollMs;
    for (;;) {
      try {
        await this.sleepBeforeDeadline(waitMs);
      } catch (error) {
        await this.stop(queryId);
        throw error;
      }
      const result = await this.withRetries(
        'GetQueryResults',
        (options) => this.deps.api.getQueryResults({ queryId }, options),
        queryId,
      );
      const status = result.status ?? 'Unknown';
      if (status === 'Scheduled' || status === 'Running') {
        waitMs = nextPollWaitMs(waitMs, this.deps.clock.now().getTime() - startedMs, this.polling);
        continue;
      }
      this.addStatistics(result.statistics);
      if (status !== 'Complete')
        throw new QueryEndedError(
          `Logs Insights query on ${this.request.logGroup} ended ${status}${endedHint(status)}`,
        );
      return this.allPages(queryId, result);
    }
  }

  /**
   * The whole result: GetQueryResults pages it (maxItems, nextToken) and its default page size
   * is not documented, so every page is fetched, and the rows are checked against the total
   * the API reports (statistics.resultCount) — rows lost on the way are a failure, never a
   * smaller count.
   */
  private async allPages(
    queryId: string,
    first: Awaited<ReturnType<LogsInsightsApi['getQueryResults']>>,
  ): Promise<InsightsRow[]> {
    const rows = (first.results ?? []).map(toRow);
    let nextToken = first.nextToken;
    for (let pages = 1; nextToken; pages++) {
      if (pages > MAX_PAGES)
        throw new QueryEndedError(
          `Logs Insights query on ${this.request.logGroup} returned more than ${MAX_PAGES} pages of results`,
        );
      const token = nextToken;
      const page = await this.withRetries('GetQueryResults', (options) =>
        this.deps.api.getQueryResults({ queryId, nextToken: token, maxItems: MAX_RESULT_ROWS }, options),
      );
      rows.push(...(page.results ?? []).map(toRow));
      nextToken = page.nextToken;
    }
    const expected = first.statistics?.resultCount;
    if (expected !== undefined && expected !== rows.length) {
      throw new QueryEndedError(
        `Logs Insights query on ${this.request.logGroup} reported ${expected} result rows but ${rows.length} arrived across its pages`,
      );
    }
    return rows;
  }

  /** Calls `call`, retrying throttling with jittered exponential backoff until the deadline. */
  private async withRetries<T>(
    what: string,
    call: (options: CallOptions) => Promise<T>,
    queryToStop?: string,
  ): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      if (this.aborter.signal.aborted) {
        if (queryToStop) await this.stop(queryToStop);
        throw this.aborter.signal.reason;
      }
      const callSignal = this.callSignal();
      try {
        this.apiCalls++;
        return await call({ abortSignal: callSignal });
      } catch (error) {
        if (callSignal.aborted) {
          if (queryToStop) await this.stop(queryToStop);
          throw this.aborter.signal.aborted
            ? this.aborter.signal.reason
            : this.deadlineError(`${what} did not answer before`);
        }
        const failure = classifyAwsError(error);
        if (failure.kind !== 'throttled') {
          if (queryToStop) await this.stop(queryToStop);
          throw error;
        }
        const ceilingMs = Math.min(this.polling.retryMaxMs, this.polling.retryBaseMs * 2 ** attempt);
        // "Equal jitter": at least half the ceiling, so retries never hammer; the rest random.
        const delayMs = ceilingMs / 2 + this.deps.random() * (ceilingMs / 2);
        try {
          await this.sleepBeforeDeadline(delayMs, `${what} was throttled (${failure.code}) until`);
        } catch (deadlineError) {
          if (queryToStop) await this.stop(queryToStop);
          throw deadlineError;
        }
      }
    }
  }

  /**
   * Bounds one HTTP call by the deadline (a real timer: the injected clock drives waiting
   * between polls, not network I/O) and by a sibling's failure.
   */
  private callSignal(): AbortSignal {
    const remainingMs = Math.max(1, this.request.deadlineMs - this.deps.clock.now().getTime());
    return AbortSignal.any([this.aborter.signal, AbortSignal.timeout(remainingMs)]);
  }

  /** Sleeps `ms` unless that passes the deadline (then throws) or the run is aborted. */
  private async sleepBeforeDeadline(ms: number, deadlineCause = 'still running at'): Promise<void> {
    const remainingMs = this.request.deadlineMs - this.deps.clock.now().getTime();
    if (remainingMs <= 0) throw this.deadlineError(deadlineCause);
    await this.deps.clock.sleep(Math.min(ms, remainingMs), this.aborter.signal);
    if (ms >= remainingMs) throw this.deadlineError(deadlineCause);
  }

  private throwIfOver(): void {
    this.throwIfAborted();
    if (this.deps.clock.now().getTime() >= this.request.deadlineMs) throw this.deadlineError('not started before');
  }

  private throwIfAborted(): void {
    if (this.aborter.signal.aborted) throw this.aborter.signal.reason;
  }

  private deadlineError(cause: string): QueryEndedError {
    return new QueryEndedError(
      `Logs Insights query on ${this.request.logGroup} ${cause} the ${this.request.timeoutSeconds} s deadline (aws.queryTimeoutSeconds); stopped`,
    );
  }

  /** Best effort: a query we no longer wait for must not keep running (and billing). */
  private async stop(queryId: string): Promise<void> {
    try {
      this.apiCalls++;
      await this.deps.api.stopQuery({ queryId }, { abortSignal: AbortSignal.timeout(STOP_TIMEOUT_MS) });
    } catch {
      // Already finished, or no permission: nothing more to do.
    }
  }

  private addStatistics(
    statistics:
      | { recordsMatched?: number | undefined; recordsScanned?: number | undefined; bytesScanned?: number | undefined }
      | undefined,
  ): void {
    if (!statistics) return;
    this.statistics.bytesScanned += statistics.bytesScanned ?? 0;
    this.statistics.recordsScanned += statistics.recordsScanned ?? 0;
    this.statistics.recordsMatched += statistics.recordsMatched ?? 0;
  }
}

/**
 * The wait before the next poll: doubling from `firstPollMs`, capped at `maxPollMs`, and
 * never more than 15 % of the time the query has already run. The last poll so lands at
 * most ~15 % after the query completes, whatever its latency (the time to a verdict stays
 * within the bench's 1.2 × query latency), for a handful more calls: about 20
 * GetQueryResults for a 10 s query instead of 8 with plain doubling.
 */
export function nextPollWaitMs(previousWaitMs: number, elapsedMs: number, polling: PollingPolicy): number {
  const proportional = Math.max(polling.firstPollMs, Math.floor(elapsedMs * MAX_OVERSHOOT));
  return Math.min(previousWaitMs * 2, proportional, polling.maxPollMs);
}

const MAX_OVERSHOOT = 0.15;

/** Two halves on a whole-minute boundary, or null when the range is a single minute. */
export function splitRange(startSeconds: number, endSeconds: number): [[number, number], [number, number]] | null {
  const minutes = Math.floor((endSeconds + 1 - startSeconds) / 60);
  if (minutes < 2) return null;
  const middle = startSeconds + Math.floor(minutes / 2) * 60;
  return [
    [startSeconds, middle - 1],
    [middle, endSeconds],
  ];
}

function toRow(fields: Array<{ field?: string | undefined; value?: string | undefined }>): InsightsRow {
  const row: InsightsRow = {};
  for (const { field, value } of fields) {
    if (field !== undefined && value !== undefined) row[field] = value;
  }
  return row;
}

function endedHint(status: string): string {
  switch (status) {
    case 'Failed':
      return ' (the service could not run it)';
    case 'Cancelled':
      return ' (someone or something stopped it)';
    case 'Timeout':
      return ' (the service gave up on it: try a shorter window)';
    default:
      return ' (the service did not say why)';
  }
}
