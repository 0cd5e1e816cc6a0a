import type { SignalSeries, TimeWindow } from '../core/types.js';
import { windowMinutes, zeroCounts } from './minute-buckets.js';
import { measuredSeries } from './signal-series.js';

/**
 * What the ALB access-log view measures over a window, as plain data: files mode tallies it
 * line by line (AlbTally), the Athena provider reads it from one GROUP BY query, worker
 * threads send it back to be merged. Every provider fills the same counters, so every provider
 * yields the same signals from the same logs by construction.
 *
 * An error is "LB-minted" when the load balancer answered it itself: target_status_code is
 * "-" (no target response), per the AWS 502 troubleshooting recipe (domain.md §3.1).
 */
export interface AlbCounts {
  /** Minutes in the window; every per-minute array has this length. */
  minutes: number;
  perMinute: Record<AlbCounterName, number[]>;
  /** Window totals of the index's target status codes, 5xx and 4xx ("502": 3). */
  target5xxByCode: Record<string, number>;
  target4xxByCode: Record<string, number>;
  /**
   * Every target group (tenant) seen in the window, keyed by its ARN as logged: its requests
   * over the window and its LB-minted 5xx per minute. "Is it this tenant or all tenants?"
   */
  targetGroups: Record<string, TargetGroupCounts>;
}

export const ALB_COUNTER_NAMES = [
  /** All requests the load balancer logged, every tenant (LB-minted errors included). */
  'lbRequests',
  /** LB-minted 502/503/504, every tenant. */
  'elb502',
  'elb503',
  'elb504',
  /** The index's requests. */
  'requests',
  /** The index's target status 5xx / 4xx / 429 (the proxy's 429s as the ALB saw them). */
  'target5xx',
  'target4xx',
  'target429',
  /** LB-minted 502/503/504 for the index. */
  'elb502Index',
  'elb503Index',
  'elb504Index',
  /** The index's requests slower than slowRequestSeconds (target time), or LB-minted 504s. */
  'slow',
] as const;
export type AlbCounterName = (typeof ALB_COUNTER_NAMES)[number];

export interface TargetGroupCounts {
  requests: number;
  /** LB-minted errors by minute index (as a string key, JSON-safe) → [502, 503, 504]. Sparse. */
  mintedByMinute: Record<string, [number, number, number]>;
}

export type AlbSignalName =
  | 'requests'
  | 'target_5xx'
  | 'target_4xx'
  | 'elb_502'
  | 'elb_502_index'
  | 'elb_503'
  | 'elb_503_index'
  | 'elb_504'
  | 'elb_504_index'
  | 'lb_requests'
  | 'slow_requests'
  | 'target_429';

export function emptyAlbCounts(window: TimeWindow): AlbCounts {
  const minutes = windowMinutes(window);
  const perMinute = Object.fromEntries(ALB_COUNTER_NAMES.map((name) => [name, zeroCounts(minutes)])) as Record<
    AlbCounterName,
    number[]
  >;
  return { minutes, perMinute, target5xxByCode: {}, target4xxByCode: {}, targetGroups: {} };
}

/** Adds `from` into `into` (same window): how tallies of separate files or threads combine. */
export function mergeAlbCounts(into: AlbCounts, from: AlbCounts): AlbCounts {
  if (into.minutes !== from.minutes)
    throw new Error(`cannot merge ALB counts of ${from.minutes} minutes into ${into.minutes}`);
  for (const name of ALB_COUNTER_NAMES) {
    const target = into.perMinute[name];
    const source = from.perMinute[name];
    for (let i = 0; i < into.minutes; i++) target[i]! += source[i]!;
  }
  addTally(into.target5xxByCode, from.target5xxByCode);
  addTally(into.target4xxByCode, from.target4xxByCode);
  for (const [arn, group] of Object.entries(from.targetGroups)) {
    into.targetGroups[arn] ??= { requests: 0, mintedByMinute: {} };
    const mine = into.targetGroups[arn];
    mine.requests += group.requests;
    for (const [minute, [e502, e503, e504]] of Object.entries(group.mintedByMinute)) {
      mine.mintedByMinute[minute] ??= [0, 0, 0];
      const counts = mine.mintedByMinute[minute];
      counts[0] += e502;
      counts[1] += e503;
      counts[2] += e504;
    }
  }
  return into;
}

/** Distinct target groups with LB-minted 502s in the window. */
export function targetGroupsWith502(counts: AlbCounts): number {
  return Object.values(counts.targetGroups).filter((group) =>
    Object.values(group.mintedByMinute).some(([e502]) => e502 > 0),
  ).length;
}

/** The ALB view's signals, every one measured (`ok`); the evidence layer marks holes and partial reads. */
export function albSignals(counts: AlbCounts, source: string): Record<AlbSignalName, SignalSeries> {
  const { perMinute } = counts;
  const lb = (values: number[]) => measuredSeries('loadBalancer', source, values);
  const index = (values: number[]) => measuredSeries('index', source, values);
  const target429Total = perMinute.target429.reduce((a, b) => a + b, 0);
  return {
    lb_requests: lb(perMinute.lbRequests),
    elb_502: lb(perMinute.elb502),
    elb_503: lb(perMinute.elb503),
    elb_504: lb(perMinute.elb504),
    requests: index(perMinute.requests),
    target_5xx: measuredSeries('index', source, perMinute.target5xx, { byCode: counts.target5xxByCode }),
    target_4xx: measuredSeries('index', source, perMinute.target4xx, { byCode: counts.target4xxByCode }),
    elb_502_index: index(perMinute.elb502Index),
    elb_503_index: index(perMinute.elb503Index),
    elb_504_index: index(perMinute.elb504Index),
    slow_requests: index(perMinute.slow),
    target_429: measuredSeries('index', `${source} (target status 429)`, perMinute.target429, {
      byCode: target429Total > 0 ? { '429': target429Total } : {},
    }),
  };
}

function addTally(into: Record<string, number>, from: Record<string, number>): void {
  for (const [key, count] of Object.entries(from)) into[key] = (into[key] ?? 0) + count;
}
