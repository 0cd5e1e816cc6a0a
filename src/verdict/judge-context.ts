import { formatCount, formatPercent, percentOf } from '../core/format-number.js';
import type { Evidence, Finding, SignalName, SignalSeries, TimeFormatter } from '../core/types.js';
import { MINUTE_MS } from '../evidence/minute-buckets.js';
import { analyseSeries, type Burst, type SeriesStats } from './series-stats.js';

/** A finding and how well it explains the asked minute (higher first). */
export interface ScoredFinding {
  finding: Finding;
  relevance: number;
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

/** Relevance tiers: a burst at the asked time beats a background present then, which beats activity elsewhere in the window. */
export const RELEVANCE = { burstAtAskedTime: 3, backgroundAtAskedTime: 2, elsewhereInWindow: 1 } as const;

/**
 * What every rule needs: the evidence, the asked minute as an index into the series, cached
 * statistics, and formatting of minutes and numbers for reasons.
 */
export class JudgeContext {
  readonly askedIndex: number;
  readonly minutes: number;
  private readonly statsCache = new Map<SignalName, SeriesStats | null>();

  constructor(
    readonly evidence: Evidence,
    readonly fmt: TimeFormatter,
  ) {
    this.askedIndex = Math.round((evidence.at.getTime() - evidence.window.start.getTime()) / MINUTE_MS);
    this.minutes = Math.round((evidence.window.end.getTime() - evidence.window.start.getTime()) / MINUTE_MS);
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
      const denominators = denominator ? (this.counts(denominator) ?? (denominator === 'requests' ? this.counts('proxy_requests') : null)) : null;
      const covered = this.signal(name)?.coveredMinutes ?? null;
      this.statsCache.set(name, counts ? analyseSeries(counts, { denominators, covered }) : null);
    }
    return this.statsCache.get(name) ?? null;
  }

  total(name: SignalName): number | null {
    return this.stats(name)?.total ?? null;
  }

  /** The count in the asked minute; null when not measured there (unavailable, or outside a partial source's cover). */
  atAsked(name: SignalName): number | null {
    const counts = this.counts(name);
    const covered = this.signal(name)?.coveredMinutes;
    if (!counts || (covered && (this.askedIndex < covered[0] || this.askedIndex > covered[1]))) return null;
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

  /** The minutes a signal measured: the whole window, or a partial source's cover. */
  coverageText(name: SignalName): string {
    const covered = this.signal(name)?.coveredMinutes;
    return covered ? this.rangeText(covered[0], covered[1]) : this.windowText();
  }

  /** "ending 1 minute before the asked time", "covering the asked time", "starting 3 minutes after it". */
  relationToAsked(burst: Burst): string {
    if (this.askedIndex >= burst.start && this.askedIndex <= burst.end) return 'covering the asked time';
    if (this.askedIndex > burst.end) return `ending ${plural(this.askedIndex - burst.end, 'minute')} before the asked time`;
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
