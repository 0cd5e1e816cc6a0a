import type { TimeWindow } from '../core/types.js';
import { type AlbCounts, emptyAlbCounts } from './alb-counts.js';
import type { IndexMatcher } from './index-matcher.js';
import { bump, minuteIndexOf } from './minute-buckets.js';

/** The fields of an ALB access-log entry that the signals need. */
export interface AlbEntryFacts {
  timeMs: number;
  elbStatus: string;
  targetStatus: string;
  targetGroupArn: string | null;
  url: string | null;
  targetProcessingSeconds: number | null;
}

/**
 * Per-minute tallies of ALB access-log entries, LB-wide (all tenants) and for one index: files
 * mode's way of filling the ALB view's AlbCounts, one parsed line at a time.
 */
export class AlbTally {
  readonly counts: AlbCounts;
  private readonly startMs: number;

  constructor(
    window: TimeWindow,
    private readonly matcher: IndexMatcher,
    private readonly slowRequestSeconds: number,
  ) {
    this.counts = emptyAlbCounts(window);
    this.startMs = window.start.getTime();
  }

  get minutes(): number {
    return this.counts.minutes;
  }

  add(entry: AlbEntryFacts): void {
    const minute = minuteIndexOf(entry.timeMs, this.startMs, this.counts.minutes);
    if (minute === -1) return;
    const perMinute = this.counts.perMinute;
    perMinute.lbRequests[minute]!++;
    const minted = entry.targetStatus === '-' ? entry.elbStatus : null;
    if (minted === '502') perMinute.elb502[minute]!++;
    else if (minted === '503') perMinute.elb503[minute]!++;
    else if (minted === '504') perMinute.elb504[minute]!++;
    if (entry.targetGroupArn !== null) this.addForTargetGroup(entry.targetGroupArn, minute, minted);
    if (this.matcher.albBelongs(entry.targetGroupArn, entry.url)) this.addForIndex(minute, entry, minted);
  }

  private addForTargetGroup(arn: string, minute: number, minted: string | null): void {
    this.counts.targetGroups[arn] ??= { requests: 0, mintedByMinute: {} };
    const group = this.counts.targetGroups[arn];
    group.requests++;
    const slot = minted === '502' ? 0 : minted === '503' ? 1 : minted === '504' ? 2 : -1;
    if (slot === -1) return;
    group.mintedByMinute[minute] ??= [0, 0, 0];
    const counts = group.mintedByMinute[minute];
    counts[slot]++;
  }

  private addForIndex(minute: number, entry: AlbEntryFacts, minted: string | null): void {
    const perMinute = this.counts.perMinute;
    perMinute.requests[minute]!++;
    const target = entry.targetStatus;
    if (target.length === 3 && target.charCodeAt(0) === 53 /* 5 */) {
      perMinute.target5xx[minute]!++;
      bump(this.counts.target5xxByCode, target);
    } else if (target.length === 3 && target.charCodeAt(0) === 52 /* 4 */) {
      perMinute.target4xx[minute]!++;
      bump(this.counts.target4xxByCode, target);
      if (target === '429') perMinute.target429[minute]!++;
    }
    if (minted === '502') perMinute.elb502Index[minute]!++;
    else if (minted === '503') perMinute.elb503Index[minute]!++;
    else if (minted === '504') perMinute.elb504Index[minute]!++;
    // A 504 the LB minted means the target did not answer within the idle timeout: slow by definition.
    const seconds = entry.targetProcessingSeconds;
    if ((seconds !== null && seconds >= this.slowRequestSeconds) || minted === '504') perMinute.slow[minute]!++;
  }
}
