import { formatCount, formatPercent, percentOf } from '../core/format-number.js';
import type { Evidence, Finding, SignalName, SignalSeries, TimeFormatter } from '../core/types.js';
import { MINUTE_MS } from '../evidence/minute-buckets.js';
import { coverageMask, coveredRanges, isMinuteCovered } from '../evidence/minute-coverage.js';
import { poissonUpperTail } from './poisson.js';
import {
  analyseSeries,
  type Burst,
  burstNearest,
  median,
  minutesBefore,
  proximityWeight,
  type SeriesStats,
  sumRange,
} from './series-stats.js';

/** A finding and how well it explains the asked minute (higher first). */
export interface ScoredFinding {
  finding: Finding;
  relevance: number;
  /** The headline to use when another finding leads: worded as context, not as the answer. */
  secondaryHeadline?: string;
  /**
   * The signals the finding's signature rests on: when none of them measured the asked minute,
   * the finding cannot explain that minute, whatever the rest of the window shows.
   */
  basis?: SignalName[];
}

/** The requests each error signal is a share of: a burst on a quiet index is judged by its rate. */
const DENOMINATOR: Partial<Record<SignalName, SignalName>> = {
  origin_5xx: 'requests',
  throttled_429: 'requests',
  target_5xx: 'requests',
  target_4xx: 'requests',
  target_connection_errors: 'requests',
  elb_502_index: 'requests',
  elb_503_index: 'requests',
  elb_504_index: 'requests',
  slow_requests: 'requests',
  elb_502: 'lb_requests',
  elb_503: 'lb_requests',
  elb_504: 'lb_requests',
};

/** A neighbour's burst smaller than this is within the shared background's noise. */
const MIN_NEIGHBOUR_BURST = 10;

/** Another tenant's own burst of LB-minted 502s. */
export interface NeighbourBurst {
  name: string;
  burst: Burst;
  /** Its LB-minted 502s per minute over the window. */
  counts: readonly number[];
  usualPerMinute: number;
}

/** The load-balancer-wide signal whose rate is every tenant's background for an index's own LB-minted errors. */
const SHARED_BACKGROUND: Partial<Record<SignalName, SignalName>> = {
  elb_502_index: 'elb_502',
  elb_503_index: 'elb_503',
  elb_504_index: 'elb_504',
};

/**
 * Relevance tiers: a burst at the asked time beats errors present in the asked minute (a flat
 * background, a trickle), which beat a signature the asked minute contradicts, which beats a
 * finding whose own logs did not cover the asked minute, which beats activity elsewhere.
 * judgeEvidence calls a finding below 1.5 unable to explain the asked minute.
 */
export const RELEVANCE = {
  burstAtAskedTime: 3,
  backgroundAtAskedTime: 2,
  contradictedAtAskedTime: 1.6,
  askedMinuteNotCovered: 1.2,
  elsewhereInWindow: 1,
} as const;

/**
 * What every rule needs: the evidence, the asked minute as an index into the series, cached
 * statistics, and formatting of minutes and numbers for reasons.
 */
export class JudgeContext {
  readonly askedIndex: number;
  readonly minutes: number;
  /**
   * What a reason calls the load balancer's own errors: "LB-minted 502s" on an ALB; on Google
   * Cloud "LB-minted errors", because its front end answers its own failures with 502 or 503
   * (classed by statusDetails, src/sources/stack-logs/read-gcp-lb-logs.ts).
   */
  readonly mintedErrors: string;
  private readonly statsCache = new Map<SignalName, SeriesStats | null>();
  private neighbourCache: NeighbourBurst[] | null = null;

  constructor(
    readonly evidence: Evidence,
    readonly fmt: TimeFormatter,
  ) {
    this.askedIndex = Math.round((evidence.at.getTime() - evidence.window.start.getTime()) / MINUTE_MS);
    this.minutes = Math.round((evidence.window.end.getTime() - evidence.window.start.getTime()) / MINUTE_MS);
    this.mintedErrors = evidence.context.stack?.loadBalancer === 'gcp' ? 'LB-minted errors' : 'LB-minted 502s';
  }

  signal(name: SignalName): SignalSeries | undefined {
    return this.evidence.signals[name];
  }

  /** The per-minute counts of a measured signal, or null when it is unavailable or absent. */
  counts(name: SignalName): number[] | null {
    return this.signal(name)?.counts ?? null;
  }

  stats(name: SignalName): SeriesStats | null {
    if (!this.statsCache.has(name)) {
      const counts = this.counts(name);
      const denominator = DENOMINATOR[name];
      const denominators = denominator
        ? (this.counts(denominator) ?? (denominator === 'requests' ? this.counts('proxy_requests') : null))
        : null;
      const covered = this.coveredMask(name);
      this.statsCache.set(
        name,
        counts ? analyseSeries(counts, { denominators, covered, backgroundRate: this.backgroundRate(name) }) : null,
      );
    }
    return this.statsCache.get(name) ?? null;
  }

  /**
   * The share of requests that fail this way on the whole load balancer: an index's own
   * LB-minted errors must beat what every tenant gets anyway before they count as a burst.
   */
  private backgroundRate(name: SignalName): number | null {
    const shared = SHARED_BACKGROUND[name];
    if (!shared) return null;
    const errors = this.counts(shared);
    const requests = this.counts('lb_requests');
    if (!errors || !requests) return null;
    const mask = this.coveredMask(shared);
    let errorTotal = 0;
    let requestTotal = 0;
    for (let i = 0; i < errors.length; i++) {
      if (!mask[i]) continue;
      errorTotal += errors[i]!;
      requestTotal += requests[i] ?? 0;
    }
    return requestTotal > 0 ? errorTotal / requestTotal : null;
  }

  /**
   * Other tenants' own bursts of LB-minted 502s (a neighbour's crash-loop), from the access
   * logs' per-target-group counts: context for this index, never its verdict. Empty when the
   * tenants are unknown (CloudWatch metrics) or none burst.
   */
  neighbourBursts(): NeighbourBurst[] {
    if (this.neighbourCache) return this.neighbourCache;
    const tenants = this.evidence.context.tenants ?? [];
    const covered = this.coveredMask('elb_502');
    const own = this.stats('elb_502_index')?.bursts ?? [];
    const ownCounts = this.counts('elb_502_index');
    const found: NeighbourBurst[] = [];
    for (const tenant of tenants) {
      if (tenant.isIndex) continue;
      const stats = analyseSeries(tenant.elb502, { covered });
      for (const burst of stats.bursts) {
        if (burst.total < MIN_NEIGHBOUR_BURST) continue;
        // With the index matched by path rather than target group, its own target group is not
        // marked: a "neighbour" bursting exactly when the index does is the index itself.
        const isOwn =
          ownCounts !== null &&
          own.some((b) => b.start <= burst.end && b.end >= burst.start) &&
          sumRange(ownCounts, burst.start, burst.end) >= burst.total * 0.5;
        if (!isOwn) found.push({ name: tenant.name, burst, counts: tenant.elb502, usualPerMinute: stats.typical });
      }
    }
    this.neighbourCache = found.sort((a, b) => b.burst.total - a.burst.total);
    return this.neighbourCache;
  }

  /**
   * A load-balancer-wide signal's statistics without the neighbours' own bursts (each keeps its
   * usual rate in those minutes): the shared background an index is judged against.
   */
  backgroundStats(name: 'elb_502'): SeriesStats | null {
    const counts = this.counts(name);
    const neighbours = this.neighbourBursts();
    const spike = this.sharedSpikeElsewhere();
    if (counts && spike) {
      // No per-tenant counts (metrics): the spike's minutes are set aside as not background.
      const covered = this.coveredMask(name).map((c, i) => c && (i < spike.start || i > spike.end));
      return analyseSeries(counts, { denominators: this.counts('lb_requests'), covered });
    }
    if (!counts || neighbours.length === 0) return this.stats(name);
    const background = [...counts];
    for (const { burst, counts: theirs, usualPerMinute } of neighbours) {
      for (let i = burst.start; i <= burst.end; i++)
        background[i] = Math.max(0, background[i]! - Math.max(0, theirs[i]! - usualPerMinute));
    }
    return analyseSeries(background, { denominators: this.counts('lb_requests'), covered: this.coveredMask(name) });
  }

  /**
   * This index's LB-minted 502s in minutes [start, end] next to what its usual rate outside them
   * predicts: "17 in those minutes, about 22 expected at its usual ~1.8/min". Null when unknown.
   */
  indexElb502Against(start: number, end: number): { count: number; expected: number; usualPerMinute: number } | null {
    const own = this.counts('elb_502_index');
    if (!own) return null;
    const mask = this.coveredMask('elb_502_index');
    let outside = 0;
    let outsideMinutes = 0;
    for (let i = 0; i < own.length; i++) {
      if (!mask[i] || (i >= start && i <= end)) continue;
      outside += own[i]!;
      outsideMinutes++;
    }
    const usualPerMinute = outsideMinutes > 0 ? outside / outsideMinutes : 0;
    return { count: sumRange(own, start, end), expected: usualPerMinute * (end - start + 1), usualPerMinute };
  }

  /**
   * A load-balancer-wide burst of LB-minted 502s near the asked time that this index's own
   * evidence does not show (no connection errors to its targets, no more of its own LB-minted
   * 502s than usual, no rise in unhealthy targets, its proxy serving as usual): another
   * tenant's incident, even when metrics cannot say whose. Null when there is none, or when
   * nothing about this index was measured in those minutes.
   */
  sharedSpikeElsewhere(): (Burst & { clearedBy: string[] }) | null {
    const stats = this.stats('elb_502');
    const burst = stats ? burstNearest(stats.bursts, this.askedIndex) : null;
    if (!burst || proximityWeight(minutesBefore(burst, this.askedIndex)) < 0.4) return null;
    const cleared = this.indexClearDuring(burst.start, burst.end);
    return cleared ? { ...burst, clearedBy: cleared } : null;
  }

  /** What shows this index's targets were fine in minutes [start, end]; null if anything says otherwise or nothing was measured. */
  indexClearDuring(start: number, end: number): string[] | null {
    const clearedBy: string[] = [];
    const connectionErrors = this.counts('target_connection_errors');
    if (connectionErrors) {
      const count = sumRange(connectionErrors, start, end);
      if (count > 0) return null;
      clearedBy.push('0 connection errors to its targets');
    }
    const own = this.indexElb502Against(start, end);
    if (own) {
      if (poissonUpperTail(own.count, Math.max(own.expected, 0.5)) < 1e-4) return null;
      clearedBy.push(
        `${formatCount(own.count)} ${this.mintedErrors} of its own (about ${formatCount(own.expected)} usual)`,
      );
    }
    if (clearedBy.length === 0) return null;
    const unhealthy = this.counts('unhealthy_hosts');
    if (unhealthy) {
      const during = Math.max(...unhealthy.slice(start, end + 1));
      const before = Math.max(0, ...unhealthy.slice(0, start));
      if (during > before) return null;
      clearedBy.push('no rise in unhealthy targets');
    }
    const proxy = this.counts('proxy_requests');
    if (proxy && this.isComplete('proxy_requests')) {
      const usual = median(proxy.filter((_, i) => i < start || i > end));
      const inSpike = sumRange(proxy, start, end) / (end - start + 1);
      if (usual > 0 && inSpike < usual * 0.7) return null;
      clearedBy.push('its proxy serving as usual');
    }
    return clearedBy;
  }

  /** Per minute, whether the signal's source measured it. */
  coveredMask(name: SignalName): boolean[] {
    return coverageMask(this.signal(name)?.uncovered, this.minutes);
  }

  /** True when the signal measured minute `index`. */
  covers(name: SignalName, index: number): boolean {
    return this.isMeasured(name) && isMinuteCovered(this.signal(name), index);
  }

  total(name: SignalName): number | null {
    return this.stats(name)?.total ?? null;
  }

  /** The count in the asked minute; null when not measured there (unavailable, or outside a partial source's cover). */
  atAsked(name: SignalName): number | null {
    const counts = this.counts(name);
    if (!counts || !isMinuteCovered(this.signal(name), this.askedIndex)) return null;
    return counts[this.askedIndex] ?? 0;
  }

  isMeasured(name: SignalName): boolean {
    return this.counts(name) !== null;
  }

  /** Why a signal could not be measured, for reasons that admit it. */
  unavailableReason(name: SignalName): string {
    const series = this.signal(name);
    return series?.reason ?? 'not measured';
  }

  minuteAt(index: number): Date {
    return new Date(this.evidence.window.start.getTime() + index * MINUTE_MS);
  }

  isoMinute(index: number): string {
    return this.minuteAt(index).toISOString().replace('.000Z', 'Z');
  }

  /** "05:41 AEST (19:41 UTC)" */
  minuteText(index: number): string {
    return this.fmt.minute(this.minuteAt(index));
  }

  /** "05:29–05:40 AEST (19:29–19:40 UTC)", or one minute when start = end. */
  rangeText(start: number, end: number): string {
    return start === end ? this.minuteText(start) : this.fmt.range(this.minuteAt(start), this.minuteAt(end));
  }

  /** The whole window as the table heads it, start to (exclusive) end: "04:11–07:11 AEST (18:11–21:11 UTC)". */
  windowText(): string {
    return this.fmt.range(this.evidence.window.start, this.evidence.window.end);
  }

  /** The minutes a signal measured: the whole window, or the stretches a partial source covered. */
  coverageText(name: SignalName): string {
    const uncovered = this.signal(name)?.uncovered ?? [];
    if (uncovered.length === 0) return this.windowText();
    const covered = coveredRanges(uncovered, this.minutes);
    if (covered.length === 0) return 'no minute of the window';
    return joinWords(covered.map(([first, last]) => this.rangeText(first, last)));
  }

  /** The minutes a signal's source did not cover, as text ("19:30–19:54 AEST (09:30–09:54 UTC)"), or null. */
  holesText(name: SignalName): string | null {
    const uncovered = this.signal(name)?.uncovered ?? [];
    return uncovered.length === 0 ? null : joinWords(uncovered.map(([first, last]) => this.rangeText(first, last)));
  }

  /** "ending 1 minute before the asked time", "covering the asked time", "starting 3 minutes after it". */
  relationToAsked(burst: Burst): string {
    if (this.askedIndex >= burst.start && this.askedIndex <= burst.end) return 'covering the asked time';
    if (this.askedIndex > burst.end)
      return `ending ${plural(this.askedIndex - burst.end, 'minute')} before the asked time`;
    return `starting ${plural(burst.start - this.askedIndex, 'minute')} after the asked time`;
  }

  /** True when a signal was measured over the whole window (status ok): fit for rates and cross-checks. */
  isComplete(name: SignalName): boolean {
    return this.signal(name)?.status === 'ok';
  }

  /** Requests for the index over the whole window: the ALB's count, else the proxy's; null when neither is complete. */
  requestsTotal(): number | null {
    if (this.isComplete('requests')) return this.total('requests');
    return this.isComplete('proxy_requests') ? this.total('proxy_requests') : null;
  }

  /** "3.2 % of the index's 1,380,210 requests", or '' when requests are unknown. */
  shareOfRequests(count: number): string {
    const requests = this.requestsTotal();
    const percent = percentOf(count, requests);
    return percent === null ? '' : `${formatPercent(percent)} of the index's ${formatCount(requests!)} requests`;
  }
}

/** "a", "a and b", "a, b and c" */
export function joinWords(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

export function plural(n: number, unit: string): string {
  return `${formatCount(n)} ${unit}${n === 1 ? '' : 's'}`;
}

/** The most frequent key of a tally, or null when it is empty. */
export function dominantKey(tally: Record<string, number> | undefined): string | null {
  if (!tally) return null;
  let best: string | null = null;
  for (const [key, count] of Object.entries(tally)) if (best === null || count > tally[best]!) best = key;
  return best;
}

/** "500: 1,200, 503: 34" */
export function describeTally(tally: Record<string, number> | undefined): string {
  if (!tally) return '';
  return Object.entries(tally)
    .sort((a, b) => b[1] - a[1])
    .map(([key, count]) => `${key}: ${formatCount(count)}`)
    .join(', ');
}
