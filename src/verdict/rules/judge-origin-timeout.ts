import { formatCount } from '../../core/format-number.js';
import type { FindingFacts, SignalName } from '../../core/types.js';
import type { JudgeContext, ScoredFinding } from '../judge-context.js';
import { burstFacts, confidenceFrom, placeActivity } from './burst-finding.js';

/**
 * origin_timeout: 504s — minted by the load balancer when the target did not answer within
 * the idle timeout, or by the proxy when its server timed out (sH--) — and slow requests.
 */
export function judgeOriginTimeout(ctx: JudgeContext): ScoredFinding | null {
  const timeoutSignal = pickTimeoutSignal(ctx);
  const slowStats = ctx.stats('slow_requests');
  const origin504 = ctx.signal('origin_5xx')?.byCode?.['504'] ?? 0;
  const timeoutTotal = timeoutSignal ? ctx.total(timeoutSignal)! : 0;
  if (timeoutTotal === 0 && origin504 === 0) return null;
  const placementSignal: SignalName = timeoutTotal > 0 && timeoutSignal ? timeoutSignal : 'origin_5xx';
  const placement = placeActivity(ctx, placementSignal);
  const { idleTimeoutSeconds, slowRequestSeconds } = ctx.evidence.context;
  const facts: FindingFacts = {
    elb504Window: timeoutTotal,
    scope: timeoutSignal === 'elb_504' ? 'loadBalancer' : 'index',
    slowRequestSeconds,
    idleTimeoutSeconds,
    ...burstFacts(ctx, placement.burst),
  };
  if (slowStats) facts.slowWindow = slowStats.total;
  if (origin504 > 0) facts.origin504Window = origin504;
  const reasons: string[] = [];
  if (timeoutTotal > 0) {
    const scope = timeoutSignal === 'elb_504_index' ? `for ${ctx.evidence.index}` : 'load-balancer-wide';
    reasons.push(
      `The load balancer answered ${formatCount(timeoutTotal)} requests with 504 itself (${scope}) in ${ctx.windowText()}: the target did not answer within the idle timeout (${idleTimeoutSeconds} s) or the 10 s connect timeout.`,
    );
  }
  if (origin504 > 0)
    reasons.push(
      `The origin proxy itself returned ${formatCount(origin504)} 504s (its server timeout fired before the application answered).`,
    );
  if (placement.burst) {
    const b = placement.burst;
    reasons.push(
      `They clustered in ${ctx.rangeText(b.start, b.end)} (peak ${formatCount(b.peakCount)}/min at ${ctx.minuteText(b.peakIndex)}), ${ctx.relationToAsked(b)}.`,
    );
  }
  if (slowStats)
    reasons.push(
      `${formatCount(slowStats.total)} requests took longer than ${slowRequestSeconds} s in the window (peak ${formatCount(slowStats.max)}/min at ${ctx.minuteText(slowStats.maxIndex)}).`,
    );
  const corroborated = slowStats ? slowStats.total > 0 : null;
  // The ALB passes the proxy's 504s through as target 504s: the two counts are views of the same
  // requests when both exist, so the headline quotes the larger, never the sum.
  const headline = `A slow origin: ${formatCount(Math.max(timeoutTotal, origin504))} requests timed out (504)${placement.burst ? ` around ${ctx.rangeText(placement.burst.start, placement.burst.end)}` : ' in the window'}.`;
  const advice = [
    'Find the slow requests in the proxy logs (server response time Tr) and the application around that time: slow queries, saturation, a dependency.',
    `Requests that must take longer than the idle timeout (${idleTimeoutSeconds} s) need a higher idle timeout or an async pattern.`,
  ];
  return {
    finding: {
      kind: 'origin_timeout',
      headline,
      confidence: confidenceFrom(placement, corroborated),
      reasons,
      advice,
      facts,
    },
    relevance: placement.relevance,
  };
}

function pickTimeoutSignal(ctx: JudgeContext): SignalName | null {
  if (ctx.isMeasured('elb_504_index')) return 'elb_504_index';
  if (ctx.isMeasured('elb_504')) return 'elb_504';
  return null;
}
