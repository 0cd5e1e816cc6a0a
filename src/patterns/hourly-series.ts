/**
 * Errors per clock hour over a pattern window (issue 13 item 3): what the hourly providers
 * (CloudWatch metrics, Logs Insights, Athena) return, and the grid of whole hours they read.
 * Pure data and arithmetic: no I/O, no clock.
 */
import type { SignalScope, SignalStatus, TimeWindow } from '../core/types.js';

export const HOUR_MS = 3_600_000;
/**
 * Hours that ended less than this before "now" are not read: ALB access-log files arrive 5–10
 * minutes late (domain.md §1.1) and metrics a few minutes late, so a just-finished hour would
 * read low — an undercount nobody measured.
 */
export const SETTLE_MS = 15 * 60_000;

/** The hourly signals, each named after what it counts. */
export const HOURLY_SIGNALS = [
  /** LB-minted 502s of the index's target group (access logs via Athena). */
  'elb_502_index',
  /** LB-minted 502s of the whole load balancer (HTTPCode_ELB_502_Count). */
  'elb_502',
  'elb_503_index',
  'elb_503',
  /** LB-minted 504s of the whole load balancer (HTTPCode_ELB_504_Count). */
  'elb_504',
  /** 504s the index's clients got, minted by the load balancer or passed on from the target (Athena). */
  'answers_504_index',
  /** UnHealthyHostCount Maximum of the index's target group: a gauge, the hour's highest. */
  'unhealthy_hosts',
  /** 5xx the index's targets returned (HTTPCode_Target_5XX_Count, or target_status_code 5xx in Athena). */
  'target_5xx',
  /** 4xx the index's targets returned (HTTPCode_Target_4XX_Count): the ALB's view of the proxy's 429s. */
  'target_4xx',
  /** 429s the index's targets returned (target_status_code 429, Athena). */
  'target_429_index',
  /** The origin proxy's answers for the index (Logs Insights): 5xx, 504s, 429s. */
  'origin_5xx',
  'origin_504',
  'throttled_429',
] as const;
export type HourlySignal = (typeof HOURLY_SIGNALS)[number];

export type HourlyProvider = 'cloudwatch' | 'logsInsights' | 'athena';

/**
 * One signal per clock hour. `counts[i]` is the hour starting at `grid.start + i hours`; null
 * where that hour was not measured (no data of the dimension, the source's hole) — never 0 for
 * a hole. `counts` is null exactly when status is "unavailable".
 */
export interface HourlySeries {
  signal: HourlySignal;
  provider: HourlyProvider;
  scope: SignalScope;
  /** Where the numbers came from, e.g. "CloudWatch HTTPCode_ELB_502_Count (load balancer), hourly". */
  source: string;
  status: SignalStatus;
  /** Why unavailable or partial. */
  reason?: string;
  counts: Array<number | null> | null;
}

/** Whole clock hours: [start, start + hours × 1 h). */
export interface HourGrid {
  start: Date;
  hours: number;
}

/**
 * The whole hours of a pattern window that can be read: from the first hour that starts inside
 * it to the last that ends inside it and settled (SETTLE_MS) before `now`. A part hour at either
 * end would read low and look like a dip; it is left out rather than counted.
 */
export function hourGridFor(window: TimeWindow, now: Date): HourGrid {
  const startMs = Math.ceil(window.start.getTime() / HOUR_MS) * HOUR_MS;
  const endMs = Math.floor(Math.min(window.end.getTime(), now.getTime() - SETTLE_MS) / HOUR_MS) * HOUR_MS;
  return { start: new Date(startMs), hours: Math.max(0, Math.round((endMs - startMs) / HOUR_MS)) };
}

export function gridWindow(grid: HourGrid): TimeWindow {
  return { start: grid.start, end: new Date(grid.start.getTime() + grid.hours * HOUR_MS) };
}

/** The grid hour an instant falls in, or -1 outside the grid. */
export function hourIndexOf(grid: HourGrid, instantMs: number): number {
  const index = Math.floor((instantMs - grid.start.getTime()) / HOUR_MS);
  return index >= 0 && index < grid.hours ? index : -1;
}

export function unavailableHourly(
  signal: HourlySignal,
  provider: HourlyProvider,
  scope: SignalScope,
  source: string,
  reason: string,
): HourlySeries {
  return { signal, provider, scope, source, status: 'unavailable', reason, counts: null };
}

/** A measured series; partial when some hours were not measured or the source said so. */
export function measuredHourly(
  signal: HourlySignal,
  provider: HourlyProvider,
  scope: SignalScope,
  source: string,
  counts: Array<number | null>,
  problem?: string,
): HourlySeries {
  if (counts.length === 0)
    return unavailableHourly(signal, provider, scope, source, 'no whole hour of the window to read');
  const unmeasured = counts.filter((count) => count === null).length;
  const reasons = [problem, unmeasured > 0 ? `${unmeasured} of ${counts.length} hours not measured` : undefined].filter(
    (text): text is string => !!text,
  );
  if (unmeasured === counts.length) {
    return unavailableHourly(signal, provider, scope, source, reasons.join('; '));
  }
  return {
    signal,
    provider,
    scope,
    source,
    status: reasons.length > 0 ? 'partial' : 'ok',
    ...(reasons.length > 0 ? { reason: reasons.join('; ') } : {}),
    counts,
  };
}
