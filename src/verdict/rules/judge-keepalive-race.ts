import { formatCount, formatPercent, formatRate, percentOf, roundPercent } from '../../core/format-number.js';
import type { Confidence, FindingFacts } from '../../core/types.js';
import { type JudgeContext, RELEVANCE, type ScoredFinding, plural } from '../judge-context.js';
import { burstNearest, minutesBefore, proximityWeight } from '../series-stats.js';

/** Fewer LB-minted 502s than this over the window is too little to call a background. */
const MIN_BACKGROUND_502S = 3;

/**
 * keepalive_race: LB-minted 502s (target status "-") at a low, flat rate across tenants, with
 * targets that answered (no target 5xx) and were reachable (no connection errors, no 503/504).
 * The load balancer reused a pooled connection the target had just closed.
 */
export function judgeKeepaliveRace(ctx: JudgeContext): ScoredFinding | null {
  const stats = ctx.stats('elb_502');
  if (!stats || stats.total < MIN_BACKGROUND_502S) return null;
  // A spike near the asked time, load-balancer-wide or on this index, is not a background.
  for (const name of ['elb_502', 'elb_502_index'] as const) {
    const near = burstNearest(ctx.stats(name)?.bursts ?? [], ctx.askedIndex);
    if (near && proximityWeight(minutesBefore(near, ctx.askedIndex)) >= 0.4) return null;
  }
  const { idleTimeoutSeconds, elb502TargetGroups, targetGroupsSeen } = ctx.evidence.context;

  const facts: FindingFacts = {
    elb502Window: stats.total,
    elb502PerMinuteTypical: Math.round(stats.meanPerMinute * 10) / 10,
    elb502PerMinuteMax: stats.max,
    idleTimeoutSeconds,
  };
  const lbRequests = ctx.total('lb_requests');
  const percent = percentOf(stats.total, lbRequests);
  if (lbRequests !== null) facts.lbRequestsWindow = lbRequests;
  if (percent !== null) facts.elb502Percent = roundPercent(percent);
  if (elb502TargetGroups !== null) facts.tenantCount = elb502TargetGroups;
  const connectionErrors = ctx.total('target_connection_errors');
  if (connectionErrors !== null) facts.connectionErrorsWindow = connectionErrors;
  const indexTotal = ctx.total('elb_502_index');
  if (indexTotal !== null) facts.elb502IndexWindow = indexTotal;

  const reasons = [
    `The load balancer minted ${formatCount(stats.total)} 502s itself (target status "-") in ${ctx.windowText()}: ` +
      `~${formatRate(stats.meanPerMinute)}/min on average, at most ${formatCount(stats.max)}/min — flat, no minute stands out from that baseline` +
      (stats.bursts.length > 0 ? ' near the asked time.' : ' before, during or after the asked time.'),
  ];
  if (percent !== null) reasons.push(`That is ${formatPercent(percent)} of the ${formatCount(lbRequests!)} requests through the load balancer.`);
  reasons.push(spreadReason(ctx, elb502TargetGroups, targetGroupsSeen, indexTotal));
  const { text: healthyTargets, violated, unknown } = targetsAnsweredReason(ctx);
  reasons.push(healthyTargets);

  const confidence: Confidence = violated ? 'low' : unknown > 0 || elb502TargetGroups === null ? 'medium' : 'high';
  const atAsked = ctx.atAsked('elb_502') ?? 0;
  const relevance = (atAsked > 0 || stats.meanPerMinute >= 0.5 ? RELEVANCE.backgroundAtAskedTime : RELEVANCE.elsewhereInWindow) - (violated ? 0.5 : 0);
  const onlyThisIndex = indexTotal !== null && indexTotal >= stats.total * 0.9;
  const tenants = onlyThisIndex
    ? ` on ${ctx.evidence.index}'s targets`
    : elb502TargetGroups !== null && elb502TargetGroups > 1
      ? ` across ${plural(elb502TargetGroups, 'target group')}`
      : ' on the shared load balancer';
  const headline =
    `A flat background of LB-minted 502s (~${formatRate(stats.meanPerMinute)}/min${tenants}` +
    (percent !== null ? `, ${formatPercent(percent)} of requests` : '') +
    `): the keep-alive race between the load balancer and its targets, not a spike.`;
  const advice = [
    `Make the targets' keep-alive (idle) timeout longer than the load balancer's idle timeout (${idleTimeoutSeconds} s): e.g. Node.js server.keepAliveTimeout = ${(idleTimeoutSeconds + 5) * 1000} and headersTimeout = ${(idleTimeoutSeconds + 6) * 1000}; HAProxy "timeout http-keep-alive" above ${idleTimeoutSeconds}s.`,
    'Clients should retry idempotent requests on 502 with backoff; these succeed on retry.',
  ];
  return { finding: { kind: 'keepalive_race', headline, confidence, reasons, advice, facts }, relevance };
}

function spreadReason(ctx: JudgeContext, withErrors: number | null, seen: number | null, indexTotal: number | null): string {
  const index = ctx.evidence.index;
  const total = ctx.total('elb_502') ?? 0;
  if (indexTotal !== null && total > 0 && indexTotal >= total * 0.9)
    return `${formatCount(indexTotal)} of the ${formatCount(total)} were for ${index}: the race is with this index's targets, whose keep-alive timeout is likely shorter than the load balancer's idle timeout.`;
  const ofIndex = indexTotal === null ? '' : ` ${formatCount(indexTotal)} of them were for ${index}.`;
  if (withErrors === null) return `The 502 count is load-balancer-wide (all tenants); CloudWatch has no per-target-group ELB 502 metric.${ofIndex}`;
  const among = seen !== null ? ` of the ${formatCount(seen)} seen` : '';
  return `They are spread across ${plural(withErrors, 'target group')}${among} (tenants): not specific to ${index}.${ofIndex}`;
}

/** No target 5xx, no connection errors, no LB-minted 503/504: the targets answered and were reachable. */
function targetsAnsweredReason(ctx: JudgeContext): { text: string; violated: boolean; unknown: number } {
  const checks: Array<[string, number | null]> = [
    ['target 5xx', ctx.total('target_5xx') ?? ctx.total('origin_5xx')],
    ['connection errors', ctx.total('target_connection_errors')],
    ['LB-minted 503', ctx.total('elb_503')],
    ['LB-minted 504', ctx.total('elb_504')],
  ];
  const zero = checks.filter(([, total]) => total === 0).map(([name]) => name);
  const nonZero = checks.filter(([, total]) => total !== null && total > 0);
  const unknown = checks.filter(([, total]) => total === null).map(([name]) => name);
  const parts: string[] = [];
  if (zero.length > 0) parts.push(`0 ${zero.join(', 0 ')}`);
  if (nonZero.length > 0) parts.push(nonZero.map(([name, total]) => `${formatCount(total!)} ${name}`).join(', '));
  let text = `${parts.join('; ')} in the window`;
  text += nonZero.length === 0 ? ': the targets answered and were reachable; connections were closed while idle.' : ' — not the clean keep-alive signature; see the other findings.';
  if (unknown.length > 0) text += ` Not measured: ${unknown.join(', ')}.`;
  return { text, violated: nonZero.some(([name]) => name !== 'target 5xx'), unknown: unknown.length };
}
