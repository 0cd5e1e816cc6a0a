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
      return { burst, minutesBeforeAsked: before, relevance: RELEVANCE.burstAtAskedTime * weight + Math.log10(1 + burst.total) / 100, nearAsked: true };
    return { burst, minutesBeforeAsked: before, relevance: RELEVANCE.elsewhereInWindow * weight + 0.3, nearAsked: false };
  }
  const atAsked = ctx.atAsked(name) ?? 0;
  return { burst: null, minutesBeforeAsked: null, relevance: atAsked > 0 ? RELEVANCE.backgroundAtAskedTime * 0.7 : RELEVANCE.elsewhereInWindow * 0.4, nearAsked: false };
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

export function confidenceFrom(nearAsked: boolean, corroborated: boolean | null): Confidence {
  if (!nearAsked) return 'low';
  if (corroborated === true) return 'high';
  return 'medium';
}
