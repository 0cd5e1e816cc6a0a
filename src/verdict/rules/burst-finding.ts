import type { Confidence, FindingFacts, SignalName } from '../../core/types.js';
import { type JudgeContext, RELEVANCE } from '../judge-context.js';
import { type Burst, burstNearest, minutesBefore, proximityWeight } from '../series-stats.js';

/** Where an error signal stands relative to the asked minute. */
export interface BurstPlacement {
  burst: Burst | null;
  /** 0 when the burst covers the asked minute, positive when it ended before. */
  minutesBeforeAsked: number | null;
  relevance: number;
  /** True when a burst explains the asked time. */
  nearAsked: boolean;
  /** True when, without a burst, the errors are a steady presence in the asked minute. */
  presentAtAsked: boolean;
}

/**
 * Places a signal's activity against the asked minute: a burst near it scores highest, a
 * background present at that minute next, activity elsewhere in the window least.
 */
export function placeActivity(ctx: JudgeContext, name: SignalName): BurstPlacement {
  const stats = ctx.stats(name)!;
  const burst = burstNearest(stats.bursts, ctx.askedIndex);
  if (burst) {
    const before = minutesBefore(burst, ctx.askedIndex);
    const weight = proximityWeight(before);
    if (weight >= 0.4)
      return {
        burst,
        minutesBeforeAsked: before,
        relevance: RELEVANCE.burstAtAskedTime * weight + Math.log10(1 + burst.total) / 100,
        nearAsked: true,
        presentAtAsked: false,
      };
    return {
      burst,
      minutesBeforeAsked: before,
      relevance: RELEVANCE.elsewhereInWindow * weight + 0.3,
      nearAsked: false,
      presentAtAsked: false,
    };
  }
  const relevance = steadyRelevance(ctx, name, stats.total);
  return {
    burst: null,
    minutesBeforeAsked: null,
    relevance,
    nearAsked: false,
    presentAtAsked: relevance >= RELEVANCE.backgroundAtAskedTime * 0.9,
  };
}

/** Fewer errors than this in the window are strays, not a trickle that explains a report. */
const MIN_TRICKLE = 5;

/**
 * Errors with no burst: a steady trickle present in the asked minute explains it as well as a
 * flat background does (the customer saw those errors then); one a minute away nearly as well;
 * strays or errors only elsewhere in the window explain little.
 */
function steadyRelevance(ctx: JudgeContext, name: SignalName, total: number): number {
  const atAsked = ctx.atAsked(name) ?? 0;
  const counts = ctx.counts(name) ?? [];
  const beside = (counts[ctx.askedIndex - 1] ?? 0) + (counts[ctx.askedIndex + 1] ?? 0);
  if (total >= MIN_TRICKLE && atAsked > 0) return RELEVANCE.backgroundAtAskedTime;
  if (total >= MIN_TRICKLE && beside > 0) return RELEVANCE.backgroundAtAskedTime * 0.9;
  if (atAsked > 0) return RELEVANCE.backgroundAtAskedTime * 0.7;
  return RELEVANCE.elsewhereInWindow * 0.4;
}

/** Burst facts under the FACT KEYS names. */
export function burstFacts(ctx: JudgeContext, burst: Burst | null): FindingFacts {
  if (!burst) return {};
  return {
    burstStart: ctx.isoMinute(burst.start),
    burstEnd: ctx.isoMinute(burst.end),
    peakCount: burst.peakCount,
    peakMinute: ctx.isoMinute(burst.peakIndex),
  };
}

/**
 * A burst near the asked time that another source confirms is as sure as we get; a steady
 * presence in the asked minute, confirmed, is likely but may share the blame; anything else low.
 */
export function confidenceFrom(
  placement: Pick<BurstPlacement, 'nearAsked' | 'presentAtAsked'>,
  corroborated: boolean | null,
): Confidence {
  if (placement.nearAsked) return corroborated === true ? 'high' : 'medium';
  if (placement.presentAtAsked && corroborated === true) return 'medium';
  return 'low';
}
