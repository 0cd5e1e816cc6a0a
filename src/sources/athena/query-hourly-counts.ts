/**
 * The ALB's access logs BY THE HOUR over a pattern window (up to 14 days, issue 13), through
 * Athena: templates/queries/alb-hourly.sql, one scan of the window's day partitions only, for the
 * index's own LB-minted 502s/503s, its 504s, its targets' 5xx and 429s per hour — what CloudWatch
 * cannot give per target group.
 *
 * Never a false zero: an hour is measured only when the load balancer has at least one row in it
 * (otherwise its files are missing, late, or the load balancer was idle: null, not 0); with no
 * row in the whole window every series is unavailable, with the reason. Never throws except when
 * the caller cancels.
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
import { formatBytes } from '../cloudwatch/gather-cloudwatch-evidence.js';
import { newRetryLog, type PollPolicy, type RetryLog } from '../poll-until-done.js';
import type { AthenaApi } from './athena-api.js';
import type { AthenaConfig } from './athena-config.js';
import { dayPartitionsFor } from './day-partitions.js';
import { indexPatterns, loadBalancerPattern } from './index-patterns.js';
import type { AthenaQueryStats } from './query-access-log-view.js';
import { queryCostUsd } from './query-cost.js';
import { type BoundQuery, bindQuery, loadQueryTemplate } from './query-template.js';
import type { AthenaRow } from './result-rows.js';
import { type AthenaQueryOutcome, runAthenaQuery } from './run-athena-query.js';
import { processSharedQueries, type SharedQueries } from './shared-queries.js';

/** alb-hourly.sql names this many `day` values: 14 days span at most 15 UTC days, plus the next day's deliveries. */
export const MAX_HOURLY_DAY_PARTITIONS = 16;

export interface HourlyAccessLogInput {
  grid: HourGrid;
  selector: IndexSelector;
  athena: AthenaConfig;
  /** aws.loadBalancer: keeps other load balancers logging to the same table out of the counts. */
  loadBalancer?: string | undefined;
}

export interface HourlyAccessLogDeps {
  athena: AthenaApi;
  clock: Clock;
  signal?: AbortSignal | undefined;
  random?: (() => number) | undefined;
  polling?: Partial<PollPolicy> | undefined;
  /** Where identical concurrent queries meet; default: this process's. */
  shared?: SharedQueries | undefined;
}

export interface HourlyAccessLogOutcome {
  /** elb_502_index, elb_503_index, answers_504_index, target_5xx, target_429_index. */
  series: HourlySeries[];
  source: SourceStatus;
  /** The `day` partitions read. */
  partitions: string[];
  stats: AthenaQueryStats;
  /** Rows of the partitions read that the table's regex could not parse; null when not read. */
  unparsedRows: number | null;
}

const SIGNALS: readonly HourlySignal[] = [
  'elb_502_index',
  'elb_503_index',
  'answers_504_index',
  'target_5xx',
  'target_429_index',
];

export async function queryHourlyCounts(
  input: HourlyAccessLogInput,
  deps: HourlyAccessLogDeps,
): Promise<HourlyAccessLogOutcome> {
  const table = `${input.athena.database}.${input.athena.table}`;
  const window = gridWindow(input.grid);
  const partitions = input.grid.hours > 0 ? dayPartitionsFor(window) : [];
  if (input.grid.hours === 0)
    return failedBefore(table, partitions, 'the pattern window holds no whole hour that has settled yet');
  if (partitions.length > MAX_HOURLY_DAY_PARTITIONS) {
    return failedBefore(
      table,
      partitions,
      `the window spans ${partitions.length} day partitions; the hourly query reads at most ${MAX_HOURLY_DAY_PARTITIONS} (14 days)`,
    );
  }
  let query: BoundQuery;
  try {
    query = buildHourlyQuery(input, partitions);
  } catch (error) {
    return failedBefore(table, partitions, error instanceof Error ? error.message : String(error));
  }
  const retryLog = newRetryLog();
  const deadlineMs = deps.clock.now().getTime() + input.athena.queryTimeoutSeconds * 1000;
  const key = JSON.stringify([
    input.athena.workgroup,
    input.athena.database,
    input.athena.outputLocation ?? '',
    input.athena.resultReuseMinutes,
    query.queryString,
    query.executionParameters,
  ]);
  const outcome = await (deps.shared ?? processSharedQueries).run(
    key,
    (signal) =>
      runAthenaQuery(
        { query, athena: input.athena, deadlineMs },
        { api: deps.athena, clock: deps.clock, signal, random: deps.random, polling: deps.polling, retryLog },
      ),
    deps.signal,
  );
  return assemble(table, partitions, input, outcome, retryLog);
}

export function buildHourlyQuery(input: HourlyAccessLogInput, partitions: readonly string[]): BoundQuery {
  const patterns = indexPatterns(input.selector);
  const window = gridWindow(input.grid);
  const days = Object.fromEntries(
    Array.from({ length: MAX_HOURLY_DAY_PARTITIONS }, (_, i) => [
      `day_${i + 1}`,
      partitions[Math.min(i, partitions.length - 1)]!,
    ]),
  );
  return bindQuery(
    loadQueryTemplate('alb-hourly'),
    { database: input.athena.database, table: input.athena.table },
    {
      ...days,
      load_balancer: loadBalancerPattern(input.loadBalancer),
      // "2026-06-18T19:00:00" sorts before every ALB time of that second: [start, end) exactly.
      window_start: window.start.toISOString().slice(0, 19),
      window_end: window.end.toISOString().slice(0, 19),
      index_target_group: patterns.targetGroup,
      index_request_url: patterns.requestUrl,
    },
  );
}

interface HourlyTally {
  lbRows: number[];
  bySignal: Record<string, number[]>;
  unparsed: number;
  unreadable: number;
}

/** Sums the query's rows into per-hour counts (pure). */
export function tallyHourlyRows(grid: HourGrid, rows: readonly AthenaRow[]): HourlyTally {
  const zeros = () => new Array<number>(grid.hours).fill(0);
  const tally: HourlyTally = {
    lbRows: zeros(),
    bySignal: Object.fromEntries(SIGNALS.map((s) => [s, zeros()])),
    unparsed: 0,
    unreadable: 0,
  };
  for (const row of rows) {
    const entries = Number(row.entries);
    if (!Number.isInteger(entries) || entries < 0) {
      tally.unreadable++;
      continue;
    }
    if (row.part_name === 'unparsed') {
      tally.unparsed += entries;
      continue;
    }
    const hour = hourIndexOf(grid, Date.parse(`${row.hour_key ?? ''}:00:00Z`));
    if (hour < 0) {
      tally.unreadable++;
      continue;
    }
    const minted = row.minted_status;
    const target = row.target_status ?? '';
    if (row.part_name === 'lb') tally.lbRows[hour]! += entries;
    if (row.part_name !== 'index') continue;
    const add = (signal: HourlySignal) => (tally.bySignal[signal]![hour]! += entries);
    if (minted === '502') add('elb_502_index');
    if (minted === '503') add('elb_503_index');
    if (minted === '504' || target === '504') add('answers_504_index');
    if (target.startsWith('5')) add('target_5xx');
    if (target === '429') add('target_429_index');
  }
  return tally;
}

function assemble(
  table: string,
  partitions: string[],
  input: HourlyAccessLogInput,
  outcome: AthenaQueryOutcome,
  retryLog: RetryLog,
): HourlyAccessLogOutcome {
  const stats: AthenaQueryStats = {
    queryIds: outcome.queryId ? [outcome.queryId] : [],
    bytesScanned: outcome.bytesScanned,
    costUsd: queryCostUsd({
      succeeded: outcome.status === 'succeeded',
      reused: outcome.reused,
      bytesScanned: outcome.bytesScanned,
    }),
    reused: outcome.queryId ? [outcome.reused] : [],
  };
  const cost = `${formatBytes(stats.bytesScanned)} scanned (about ${formatUsd(stats.costUsd)})${outcome.reused ? ', a reused result' : ''}`;
  const retries =
    retryLog.count > 0
      ? [
          `Athena throttled or briefly failed ${retryLog.count} call${retryLog.count === 1 ? '' : 's'}, retried with backoff`,
        ]
      : [];
  if (outcome.status === 'failed') {
    return {
      ...failedBefore(table, partitions, outcome.reason),
      stats,
      source: { name: sourceName(table), status: 'failed', detail: [outcome.reason, ...retries].join('; ') },
    };
  }
  const tally = tallyHourlyRows(input.grid, outcome.rows);
  const notes = [
    ...(tally.unparsed > 0
      ? [
          `${tally.unparsed.toLocaleString('en-US')} rows of the day partitions read do not match the table's regex: not counted`,
        ]
      : []),
    ...(tally.unreadable > 0 ? [`${tally.unreadable} result rows could not be read`] : []),
    ...retries,
  ];
  if (tally.lbRows.every((n) => n === 0)) {
    const whose = input.loadBalancer ? ` of ${input.loadBalancer}` : '';
    const reason = `the access-log table holds no rows${whose} in the pattern window (day partitions ${partitions[0]}–${partitions.at(-1)}): is access logging on, and does the table's LOCATION point at these logs?`;
    return {
      series: SIGNALS.map((signal) => unavailableHourly(signal, 'athena', 'index', seriesSource(table), reason)),
      source: { name: sourceName(table), status: 'failed', detail: [reason, cost, ...notes].join('; ') },
      partitions,
      stats,
      unparsedRows: tally.unparsed,
    };
  }
  const problem = tally.unreadable > 0 ? `${tally.unreadable} result rows could not be read` : undefined;
  const series = SIGNALS.map((signal) => {
    const counts = tally.bySignal[signal]!.map((n, hour) => (tally.lbRows[hour]! > 0 ? n : null));
    return measuredHourly(signal, 'athena', 'index', seriesSource(table), counts, problem);
  });
  const status = tally.unreadable > 0 ? 'partial' : 'complete';
  const detail = [
    status,
    `1 query, ${partitions.length} day partition${partitions.length === 1 ? '' : 's'}`,
    cost,
    ...notes,
  ].join(', ');
  return {
    series,
    source: { name: sourceName(table), status, detail },
    partitions,
    stats,
    unparsedRows: tally.unparsed,
  };
}

/** "$0.00005", "$0.08": two significant digits below a cent. */
function formatUsd(usd: number): string {
  return `$${usd >= 0.01 ? usd.toFixed(2) : Number(usd.toPrecision(2))}`;
}

function sourceName(table: string): string {
  return `ALB access logs by the hour via Athena ${table}`;
}

function seriesSource(table: string): string {
  return `Athena ${table} (access logs), hourly`;
}

function failedBefore(table: string, partitions: string[], reason: string): HourlyAccessLogOutcome {
  return {
    series: SIGNALS.map((signal) => unavailableHourly(signal, 'athena', 'index', seriesSource(table), reason)),
    source: { name: sourceName(table), status: 'failed', detail: reason },
    partitions,
    stats: { queryIds: [], bytesScanned: 0, costUsd: 0, reused: [] },
    unparsedRows: null,
  };
}
