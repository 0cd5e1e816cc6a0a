/**
 * The origin proxy's answers for one index BY THE HOUR over a pattern window (up to 14 days,
 * issue 13), from Logs Insights: the 429s, 5xx and 504s per hour, for "it happens daily around
 * the same time".
 *
 * The query is the per-minute one's own parse and index filter (templates/queries/
 * proxy-signals*.insights, the log group's format's: aws.proxyLogFormats), so both count the
 * same lines, with `stats count(*) by bin(1h), <status>` in place of the per-minute stats: 14 days × 24 hours ×
 * a handful of statuses is a few thousand rows, under the API's 10,000; a full result is re-run
 * in halves by runInsightsQuery (its halves are disjoint in time, so summing their rows per hour
 * is exact). Every status is kept, not only errors: an hour with answers but no 429 is a
 * measured 0; an hour with no answer at all is null (the proxy logged nothing: quiet, or not
 * shipped), never 0. Never throws: a failed log group is a partial or unavailable series.
 */
import type { Clock } from '../../core/clock.js';
import type { SourceStatus } from '../../core/types.js';
import type { IndexSelector } from '../../evidence/index-matcher.js';
import {
  gridWindow,
  type HourGrid,
  type HourlySeries,
  type HourlySignal,
  hourIndexOf,
  measuredHourly,
  unavailableHourly,
} from '../../patterns/hourly-series.js';
import { formatBytes } from './gather-cloudwatch-evidence.js';
import {
  type InsightsQueryOutcome,
  type LogsInsightsApi,
  type PollingPolicy,
  runInsightsQuery,
} from './logs-insights.js';
import { buildHourlyQueryFor, PROXY_FORMAT_QUERIES } from './proxy-format-queries.js';
import {
  describeProxyLogGroup,
  type ProxyLogFormat,
  type ProxyLogFormats,
  proxyLogFormatOf,
} from './proxy-log-formats.js';
import { type InsightsRow, parseInsightsMinute } from './proxy-signals-query.js';
import type { QueryLimiter } from './query-limiter.js';

export const HOURLY_PROXY_SOURCE = 'proxy logs by the hour via Logs Insights';

/** Which statuses each hourly proxy signal counts. */
const PROXY_SIGNALS: ReadonlyArray<{ signal: HourlySignal; counts: (status: string) => boolean }> = [
  { signal: 'throttled_429', counts: (status) => status === '429' },
  { signal: 'origin_5xx', counts: (status) => /^5\d\d$/.test(status) },
  { signal: 'origin_504', counts: (status) => status === '504' },
];

/**
 * The hourly query of a log group in `format`: the per-minute query's lines up to its index
 * filter (for HAProxy: `fields`, the first `parse`, the status and index filters), then hourly
 * stats. Throws UsageError/ConfigError as the per-minute query does for an index or `match`
 * that must not reach a query.
 */
export function buildHourlyProxyQuery(selector: IndexSelector, format: ProxyLogFormat = 'haproxy'): string {
  return buildHourlyQueryFor(format, selector);
}

export interface HourlyProxyRequest {
  grid: HourGrid;
  selector: IndexSelector;
  logGroups: readonly string[];
  /** aws.proxyLogFormats: each group's format; a group not named holds HAProxy's lines. */
  formats?: ProxyLogFormats | undefined;
  deadlineMs: number;
  timeoutSeconds: number;
}

export interface HourlyProxyDeps {
  api: LogsInsightsApi;
  clock: Clock;
  limiter: QueryLimiter;
  random?: (() => number) | undefined;
  polling?: PollingPolicy | undefined;
}

export interface HourlyProxyOutcome {
  series: HourlySeries[];
  /** One per log group. */
  sources: SourceStatus[];
  apiCalls: number;
  bytesScanned: number;
}

export async function fetchHourlyProxyAnswers(
  request: HourlyProxyRequest,
  deps: HourlyProxyDeps,
): Promise<HourlyProxyOutcome> {
  const logGroups = [...new Set(request.logGroups)];
  if (logGroups.length === 0)
    return notMeasured('aws.proxyLogGroups is empty: no proxy logs to query', [
      { name: HOURLY_PROXY_SOURCE, status: 'not_configured', detail: 'aws.proxyLogGroups is empty' },
    ]);
  if (request.grid.hours === 0) return notMeasured('the pattern window holds no whole hour that has settled yet', []);
  const formatOf = (logGroup: string) => proxyLogFormatOf(logGroup, request.formats);
  // Every group's query is built (and the index validated) before any is sent.
  const queries = new Map(
    logGroups.map((logGroup) => [logGroup, buildHourlyProxyQuery(request.selector, formatOf(logGroup))]),
  );
  const window = gridWindow(request.grid);
  const startTimeSeconds = Math.floor(window.start.getTime() / 1000);
  const endTimeSeconds = Math.floor(window.end.getTime() / 1000) - 1;
  const outcomes = await Promise.all(
    logGroups.map((logGroup) =>
      runInsightsQuery(
        {
          logGroup,
          queryString: queries.get(logGroup)!,
          startTimeSeconds,
          endTimeSeconds,
          deadlineMs: request.deadlineMs,
          timeoutSeconds: request.timeoutSeconds,
        },
        {
          api: deps.api,
          clock: deps.clock,
          limiter: deps.limiter,
          random: deps.random ?? Math.random,
          ...(deps.polling ? { polling: deps.polling } : {}),
        },
      ),
    ),
  );
  const sources = outcomes.map((outcome) => sourceOf(outcome, request.formats));
  const apiCalls = outcomes.reduce((sum, o) => sum + o.apiCalls, 0);
  const bytesScanned = outcomes.reduce((sum, o) => sum + o.statistics.bytesScanned, 0);
  const failed = outcomes.filter((o) => o.status === 'failed');
  if (failed.length === outcomes.length)
    return { ...notMeasured(failed.map((o) => o.reason).join('; '), sources), apiCalls, bytesScanned };
  const tally = tallyHours(
    request.grid,
    outcomes.flatMap((o) =>
      o.rows.map((row) => ({ row, statusField: PROXY_FORMAT_QUERIES[formatOf(o.logGroup)].statusField })),
    ),
  );
  const problems = [
    ...failed.map((o) => `missing ${o.logGroup}: ${o.reason}`),
    ...outcomes.filter((o) => o.status === 'partial').map((o) => `${o.logGroup}: ${o.reason}`),
    ...(tally.unreadable > 0 ? [`${tally.unreadable} result row(s) could not be read`] : []),
  ];
  const source = `Logs Insights ${outcomes
    .filter((o) => o.status !== 'failed')
    .map((o) => describeProxyLogGroup(o.logGroup, request.formats))
    .join(', ')}, hourly`;
  const series = PROXY_SIGNALS.map(({ signal, counts }) => {
    const perHour = tally.live.map((live, hour) => (live ? sumStatuses(tally.byHour[hour]!, counts) : null));
    return measuredHourly(
      signal,
      'logsInsights',
      'index',
      source,
      perHour,
      problems.length > 0 ? problems.join('; ') : undefined,
    );
  });
  return { series, sources, apiCalls, bytesScanned };
}

interface HourTally {
  /** Per grid hour: answers by status. */
  byHour: Array<Map<string, number>>;
  /** Per grid hour: whether the proxy logged any answer for the index then. */
  live: boolean[];
  unreadable: number;
}

/** Sums every log group's (and every split half's) rows per hour and status; each row's status is in its format's field. */
function tallyHours(grid: HourGrid, rows: ReadonlyArray<{ row: InsightsRow; statusField: string }>): HourTally {
  const tally: HourTally = {
    byHour: Array.from({ length: grid.hours }, () => new Map()),
    live: new Array<boolean>(grid.hours).fill(false),
    unreadable: 0,
  };
  for (const { row, statusField } of rows) {
    const hour = hourIndexOf(grid, parseInsightsMinute(row.hour ?? row['bin(1h)']));
    const answers = row.answers;
    const status = row[statusField];
    if (hour < 0 || answers === undefined || !/^\d+$/.test(answers) || status === undefined) {
      tally.unreadable++;
      continue;
    }
    const byStatus = tally.byHour[hour]!;
    byStatus.set(status, (byStatus.get(status) ?? 0) + Number(answers));
    tally.live[hour] = true;
  }
  return tally;
}

function sumStatuses(byStatus: Map<string, number>, counts: (status: string) => boolean): number {
  let total = 0;
  for (const [status, n] of byStatus) if (counts(status)) total += n;
  return total;
}

function sourceOf(outcome: InsightsQueryOutcome, formats: ProxyLogFormats | undefined): SourceStatus {
  const { bytesScanned, recordsScanned } = outcome.statistics;
  const queries = `${outcome.queries} quer${outcome.queries === 1 ? 'y' : 'ies'}`;
  const scanned =
    bytesScanned > 0 || recordsScanned > 0
      ? `${formatBytes(bytesScanned)} scanned (${recordsScanned.toLocaleString('en-US')} records, ${queries})`
      : outcome.queries > 0
        ? queries
        : null;
  return {
    name: `${HOURLY_PROXY_SOURCE} ${describeProxyLogGroup(outcome.logGroup, formats)}`,
    status: outcome.status,
    detail: [outcome.status, scanned, outcome.reason].filter(Boolean).join(', '),
  };
}

function notMeasured(reason: string, sources: SourceStatus[]): HourlyProxyOutcome {
  return {
    series: PROXY_SIGNALS.map(({ signal }) =>
      unavailableHourly(signal, 'logsInsights', 'index', 'Logs Insights, hourly', reason),
    ),
    sources,
    apiCalls: 0,
    bytesScanned: 0,
  };
}
