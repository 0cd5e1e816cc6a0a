import { formatCount, formatPercent } from '../../core/format-number.js';
import type { FindingFacts, SignalName } from '../../core/types.js';
import { type JudgeContext, type ScoredFinding } from '../judge-context.js';
import { median, sumRange } from '../series-stats.js';
import { burstFacts, confidenceFrom, placeActivity } from './burst-finding.js';

/**
 * target_unreachable: the load balancer could not reach the index's targets — connection
 * errors, or LB-minted 502s for this index far above their own baseline — typically while
 * the proxy's own logs go quiet: targets crashed, were OOM-killed, restarted or drained.
 */
export function judgeTargetUnreachable(ctx: JudgeContext): ScoredFinding | null {
  const candidates: SignalName[] = ['target_connection_errors', 'elb_502_index'];
  const measured = candidates.filter((name) => (ctx.total(name) ?? 0) > 0);
  const name = measured
    .map((signal) => ({ signal, placement: placeActivity(ctx, signal) }))
    .filter(({ placement }) => placement.burst !== null)
    .sort((a, b) => b.placement.relevance - a.placement.relevance)[0];
  if (name) return unreachableFinding(ctx, name.signal, name.placement);
  return lbWideSpike(ctx);
}

function unreachableFinding(ctx: JudgeContext, signal: SignalName, placement: ReturnType<typeof placeActivity>): ScoredFinding {
  const burst = placement.burst!;
  const stats = ctx.stats(signal)!;
  const counts = ctx.counts(signal)!;
  const what = signal === 'target_connection_errors' ? 'connection errors to targets' : `LB-minted 502s for ${ctx.evidence.index}`;
  const facts: FindingFacts = {
    errorsWindow: stats.total,
    baselinePerMinute: stats.typical,
    ...burstFacts(ctx, burst),
  };
  const connectionErrors = ctx.total('target_connection_errors');
  if (connectionErrors !== null) facts.connectionErrorsWindow = connectionErrors;
  if (ctx.requestsTotal() !== null) facts.requestsWindow = ctx.requestsTotal()!;
  const reasons = [
    `${formatCount(burst.total)} ${what} in ${ctx.rangeText(burst.start, burst.end)} (peak ${formatCount(burst.peakCount)}/min at ${ctx.minuteText(burst.peakIndex)}), ` +
      `against a baseline of ~${formatCount(stats.typical)}/min, ${ctx.relationToAsked(burst)}.`,
  ];
  const quiet = proxyWentQuiet(ctx, burst.start, burst.end);
  if (quiet) reasons.push(quiet);
  const lbWide = ctx.counts('elb_502');
  if (signal === 'elb_502_index' && lbWide) {
    const lbInBurst = sumRange(lbWide, burst.start, burst.end);
    if (lbInBurst > 0) reasons.push(`This index accounts for ${formatPercent((burst.total / lbInBurst) * 100)} of the load balancer's 502s in those minutes: it is this tenant, not all tenants.`);
  }
  const targetFive = ctx.counts('target_5xx');
  if (targetFive && sumRange(targetFive, burst.start, burst.end) === 0) reasons.push('The targets returned no 5xx themselves in those minutes: the errors were minted by the load balancer.');
  const corroborated = quiet !== null || (connectionErrors !== null && connectionErrors > 0);
  const headline = `The load balancer could not reach ${ctx.evidence.index}'s targets: ${formatCount(burst.total)} ${what} ${ctx.rangeText(burst.start, burst.end)} — targets crashed, restarted or were drained.`;
  const advice = [
    `Look for targets that died or restarted around ${ctx.minuteText(burst.start)}: OOM kills, crash loops, deploys, scale-in (kubectl get events / ECS stopped tasks).`,
    'Make shutdowns graceful: a preStop delay and a deregistration delay longer than the longest request, and SIGTERM handling that drains connections.',
    'Clients should retry idempotent requests on 502 with backoff.',
  ];
  return { finding: { kind: 'target_unreachable', headline, confidence: confidenceFrom(placement.nearAsked, corroborated), reasons, advice, facts }, relevance: placement.relevance };
}

/**
 * "The proxy's own logs go quiet": when targets die, the ALB still counts requests but the
 * proxy (running on those targets) logs far fewer. Compares the proxy/ALB ratio in the burst
 * with its usual value.
 */
function proxyWentQuiet(ctx: JudgeContext, start: number, end: number): string | null {
  const proxy = ctx.counts('proxy_requests');
  const alb = ctx.counts('requests');
  if (!proxy || !alb || ctx.signal('requests')?.source === ctx.signal('proxy_requests')?.source) return null;
  const usualRatios = alb.map((n, i) => (n > 0 && (i < start || i > end) ? proxy[i]! / n : null)).filter((r): r is number => r !== null);
  const usual = median(usualRatios);
  const albInBurst = sumRange(alb, start, end);
  if (usual <= 0 || albInBurst === 0) return null;
  const ratio = sumRange(proxy, start, end) / albInBurst;
  if (ratio > usual * 0.8) return null;
  return `The proxy went quiet: it logged ${formatCount(sumRange(proxy, start, end))} requests in those minutes while the load balancer counted ${formatCount(albInBurst)} (${formatPercent((ratio / usual) * 100)} of its usual share).`;
}

/** A burst of LB-minted 502s load-balancer-wide, with no per-index attribution available. */
function lbWideSpike(ctx: JudgeContext): ScoredFinding | null {
  if (!ctx.isMeasured('elb_502') || (ctx.total('elb_502') ?? 0) === 0) return null;
  const placement = placeActivity(ctx, 'elb_502');
  if (!placement.burst || !placement.nearAsked) return null;
  const burst = placement.burst;
  const stats = ctx.stats('elb_502')!;
  const reasons = [
    `The load balancer minted ${formatCount(burst.total)} 502s in ${ctx.rangeText(burst.start, burst.end)} (peak ${formatCount(burst.peakCount)}/min at ${ctx.minuteText(burst.peakIndex)}) against a baseline of ~${formatCount(stats.typical)}/min, ${ctx.relationToAsked(burst)}.`,
    ctx.isMeasured('elb_502_index')
      ? `Only ${formatCount(sumRange(ctx.counts('elb_502_index')!, burst.start, burst.end))} of them were for ${ctx.evidence.index}: the spike is on other tenants or the shared ingress.`
      : 'The count is load-balancer-wide: which tenant cannot be told from the metric (no per-target-group ELB 502 metric).',
  ];
  const indexShare = ctx.isMeasured('elb_502_index') ? sumRange(ctx.counts('elb_502_index')!, burst.start, burst.end) / burst.total : null;
  const facts: FindingFacts = { errorsWindow: stats.total, baselinePerMinute: stats.typical, ...burstFacts(ctx, burst) };
  return {
    finding: {
      kind: 'target_unreachable',
      headline: `A spike of LB-minted 502s on the shared load balancer ${ctx.rangeText(burst.start, burst.end)}: targets behind it were unreachable${indexShare !== null && indexShare < 0.2 ? ', mostly for other tenants' : ''}.`,
      confidence: 'low',
      reasons,
      advice: ['Check the shared ingress and the targets of every tenant for restarts around that time.', 'Clients should retry idempotent requests on 502 with backoff.'],
      facts,
    },
    relevance: placement.relevance * (indexShare !== null && indexShare < 0.2 ? 0.5 : 0.9),
  };
}
