import { formatCount } from '../../core/format-number.js';
import type { FindingFacts, SignalName } from '../../core/types.js';
import type { JudgeContext, ScoredFinding } from '../judge-context.js';
import { burstFacts, confidenceFrom, placeActivity } from './burst-finding.js';

/** no_healthy_targets: the load balancer answered 503 itself — no healthy target registered. */
export function judgeNoHealthyTargets(ctx: JudgeContext): ScoredFinding | null {
  const signal: SignalName | null = ctx.isMeasured('elb_503_index')
    ? 'elb_503_index'
    : ctx.isMeasured('elb_503')
      ? 'elb_503'
      : null;
  if (!signal || (ctx.total(signal) ?? 0) === 0) return null;
  const total = ctx.total(signal)!;
  const placement = placeActivity(ctx, signal);
  const facts: FindingFacts = {
    elb503Window: total,
    scope: signal === 'elb_503_index' ? 'index' : 'loadBalancer',
    ...burstFacts(ctx, placement.burst),
  };
  const scope = signal === 'elb_503_index' ? `for ${ctx.evidence.index}` : 'load-balancer-wide (all tenants)';
  const reasons = [
    `The load balancer answered ${formatCount(total)} requests with 503 itself (${scope}) in ${ctx.windowText()}: it had no healthy target to send them to.`,
  ];
  if (placement.burst) {
    const b = placement.burst;
    reasons.push(
      `They clustered in ${ctx.rangeText(b.start, b.end)} (peak ${formatCount(b.peakCount)}/min at ${ctx.minuteText(b.peakIndex)}), ${ctx.relationToAsked(b)}.`,
    );
  }
  const healthy = ctx.counts('healthy_hosts');
  let corroborated: boolean | null = signal === 'elb_503_index' ? true : null;
  if (healthy) {
    const lowest = Math.min(...healthy);
    reasons.push(`Healthy targets fell to ${formatCount(lowest)} in the window (minimum per minute).`);
    corroborated = lowest === 0;
  }
  return {
    finding: {
      kind: 'no_healthy_targets',
      headline: `No healthy targets: the load balancer answered ${formatCount(total)} requests with 503${placement.burst ? ` around ${ctx.rangeText(placement.burst.start, placement.burst.end)}` : ''}.`,
      confidence: confidenceFrom(placement, corroborated),
      reasons,
      advice: [
        'Check target registration and health checks at that time: a deploy that deregistered everything, failing health checks, or an empty target group.',
        'Keep at least one healthy target through deploys (rolling updates, minimum healthy percent).',
      ],
      facts,
    },
    relevance: placement.relevance,
  };
}
