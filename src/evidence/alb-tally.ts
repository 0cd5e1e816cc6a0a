import type { SignalSeries, TimeWindow } from '../core/types.js';
import type { IndexMatcher } from './index-matcher.js';
import { bump, minuteIndexOf, windowMinutes, zeroCounts } from './minute-buckets.js';
import { measuredSeries } from './signal-series.js';

/** The fields of an ALB access-log entry that the signals need. */
export interface AlbEntryFacts {
  timeMs: number;
  elbStatus: string;
  targetStatus: string;
  targetGroupArn: string | null;
  url: string | null;
  targetProcessingSeconds: number | null;
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

/**
 * Per-minute tallies of ALB access-log entries: LB-wide (all tenants) and for one index.
 * An error is "LB-minted" when the load balancer answered it itself: target_status_code is
 * "-" (no target response), per the AWS 502 troubleshooting recipe (domain.md §3.1).
 */
export class AlbTally {
  readonly minutes: number;
  private readonly startMs: number;
  private readonly slowSeconds: number;
  readonly lbRequests: number[];
  readonly elb502: number[];
  readonly elb503: number[];
  readonly elb504: number[];
  readonly requests: number[];
  readonly target5xx: number[];
  readonly target4xx: number[];
  /** The proxy's 429s as the ALB saw them (target status 429): throttling when proxy logs are missing. */
  readonly target429: number[];
  readonly elb502Index: number[];
  readonly elb503Index: number[];
  readonly elb504Index: number[];
  readonly slow: number[];
  readonly target5xxByCode: Record<string, number> = {};
  readonly target4xxByCode: Record<string, number> = {};
  /** Target groups seen, and those with LB-minted 502s: "is it this tenant or all tenants?" */
  readonly targetGroupsSeen = new Set<string>();
  readonly elb502TargetGroups = new Set<string>();

  constructor(
    window: TimeWindow,
    private readonly matcher: IndexMatcher,
    slowRequestSeconds: number,
  ) {
    this.minutes = windowMinutes(window);
    this.startMs = window.start.getTime();
    this.slowSeconds = slowRequestSeconds;
    const counts = () => zeroCounts(this.minutes);
    this.lbRequests = counts();
    this.elb502 = counts();
    this.elb503 = counts();
    this.elb504 = counts();
    this.requests = counts();
    this.target5xx = counts();
    this.target4xx = counts();
    this.target429 = counts();
    this.elb502Index = counts();
    this.elb503Index = counts();
    this.elb504Index = counts();
    this.slow = counts();
  }

  add(entry: AlbEntryFacts): void {
    const minute = minuteIndexOf(entry.timeMs, this.startMs, this.minutes);
    if (minute === -1) return;
    this.lbRequests[minute]!++;
    if (entry.targetGroupArn !== null) this.targetGroupsSeen.add(entry.targetGroupArn);
    const minted = entry.targetStatus === '-' ? entry.elbStatus : null;
    if (minted === '502') {
      this.elb502[minute]!++;
      if (entry.targetGroupArn !== null) this.elb502TargetGroups.add(entry.targetGroupArn);
    } else if (minted === '503') this.elb503[minute]!++;
    else if (minted === '504') this.elb504[minute]!++;
    if (this.matcher.albBelongs(entry.targetGroupArn, entry.url)) this.addForIndex(minute, entry, minted);
  }

  private addForIndex(minute: number, entry: AlbEntryFacts, minted: string | null): void {
    this.requests[minute]!++;
    const target = entry.targetStatus;
    if (target.length === 3 && target.charCodeAt(0) === 53 /* 5 */) {
      this.target5xx[minute]!++;
      bump(this.target5xxByCode, target);
    } else if (target.length === 3 && target.charCodeAt(0) === 52 /* 4 */) {
      this.target4xx[minute]!++;
      bump(this.target4xxByCode, target);
      if (target === '429') this.target429[minute]!++;
    }
    if (minted === '502') this.elb502Index[minute]!++;
    else if (minted === '503') this.elb503Index[minute]!++;
    else if (minted === '504') this.elb504Index[minute]!++;
    // A 504 the LB minted means the target did not answer within the idle timeout: slow by definition.
    const seconds = entry.targetProcessingSeconds;
    if ((seconds !== null && seconds >= this.slowSeconds) || minted === '504') this.slow[minute]!++;
  }

  toSignals(source: string): Record<AlbSignalName, SignalSeries> {
    const lb = (counts: number[]) => measuredSeries('loadBalancer', source, counts);
    const index = (counts: number[]) => measuredSeries('index', source, counts);
    return {
      lb_requests: lb(this.lbRequests),
      elb_502: lb(this.elb502),
      elb_503: lb(this.elb503),
      elb_504: lb(this.elb504),
      requests: index(this.requests),
      target_5xx: measuredSeries('index', source, this.target5xx, { byCode: this.target5xxByCode }),
      target_4xx: measuredSeries('index', source, this.target4xx, { byCode: this.target4xxByCode }),
      elb_502_index: index(this.elb502Index),
      elb_503_index: index(this.elb503Index),
      elb_504_index: index(this.elb504Index),
      slow_requests: index(this.slow),
      target_429: measuredSeries('index', `${source} (target status 429)`, this.target429, {
        byCode: this.target429.some((n) => n > 0) ? { '429': this.target429.reduce((a, b) => a + b, 0) } : {},
      }),
    };
  }
}
