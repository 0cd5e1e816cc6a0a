import { formatCount, formatPercent, formatRate, percentOf, roundPercent } from '../../core/format-number.js';
import type { FindingFacts } from '../../core/types.js';
import { type JudgeContext, type NeighbourBurst, plural, RELEVANCE, type ScoredFinding } from '../judge-context.js';
import { burstNearest, minutesBefore, proximityWeight, sumRange } from '../series-stats.js';
import { judgeSignature } from '../signature.js';
import { keepaliveAdvice, stackWords } from '../stack-words.js';
import { describeOwnShare } from './describe-own-share.js';

/** Fewer LB-minted 502s than this over the window is too little to call a background. */
const MIN_BACKGROUND_502S = 3;

/**
 * keepalive_race: LB-minted 502s (target status "-") at a low, flat rate across tenants, with
 * targets that answered (no target 5xx) and were reachable (no connection errors, no 503/504).
 * The load balancer reused a pooled connection the target had just closed.
 */
export function judgeKeepaliveRace(ctx: JudgeContext): ScoredFinding | null {
  // Judged on the shared background: a neighbour's own incident (its crash-loop) is taken out
  // and named as context, so it neither hides this index's picture nor becomes its verdict.
  const stats = ctx.backgroundStats('elb_502');
  if (!stats || stats.total < MIN_BACKGROUND_502S) return null;
  // A spike near the asked time, in the shared background or on this index, is not a background.
  for (const candidate of [stats, ctx.stats('elb_502_index')]) {
    const near = burstNearest(candidate?.bursts ?? [], ctx.askedIndex);
    if (near && proximityWeight(minutesBefore(near, ctx.askedIndex)) >= 0.4) return null;
  }
  const { idleTimeoutSeconds, elb502TargetGroups, targetGroupsSeen } = ctx.evidence.context;
  const lbTotal = ctx.total('elb_502') ?? stats.total;

  const facts: FindingFacts = {
    elb502Window: lbTotal,
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

  const neighbours = ctx.neighbourBursts();
  const words = stackWords(ctx);
  const holes = ctx.holesText('elb_502');
  const spikeElsewhere = neighbours.length === 0 ? ctx.sharedSpikeElsewhere() : null;
  const leftOut =
    neighbours.length > 0
      ? `; leaving out ${neighbours.map((n) => n.name).join(' and ')}'s own burst (below), the rest ran`
      : spikeElsewhere
        ? `; leaving out a spike in ${ctx.rangeText(spikeElsewhere.start, spikeElsewhere.end)} that ${ctx.evidence.index}'s own target group does not show (below), the rest ran`
        : ':';
  const reasons = [
    `The load balancer minted ${formatCount(lbTotal)} 502s itself (${words.mintedMark}) in ${holes ? ctx.coverageText('elb_502') : ctx.windowText()}${leftOut} ` +
      `~${formatRate(stats.meanPerMinute)}/min on average, at most ${formatCount(stats.max)}/min` +
      ` — flat, no minute stands out from that baseline${flatnessScope(ctx, stats.bursts.length > 0, holes)}`,
  ];
  if (percent !== null)
    reasons.push(
      `That is ${formatPercent(percent)} of the ${formatCount(lbRequests!)} requests through the load balancer.`,
    );
  reasons.push(spreadReason(ctx, elb502TargetGroups, targetGroupsSeen, indexTotal));
  for (const neighbour of neighbours) reasons.push(describeNeighbour(ctx, neighbour));
  const answered = targetsAnswered(ctx);

  const signature = judgeSignature(
    (ctx.atAsked('elb_502') ?? 0) > 0 || stats.meanPerMinute >= 0.5
      ? RELEVANCE.backgroundAtAskedTime
      : RELEVANCE.elsewhereInWindow,
    elb502TargetGroups === null ? 'medium' : 'high',
    [
      {
        reason: answered.text,
        holds: answered.holds,
        atAskedTime: answered.atAskedTime,
        unmeasured: answered.unknown.length,
      },
    ],
  );
  reasons.push(...signature.reasons);
  const onlyThisIndex = indexTotal !== null && indexTotal >= lbTotal * 0.9;
  const tenants = onlyThisIndex
    ? ` on ${ctx.evidence.index}'s targets`
    : elb502TargetGroups !== null && elb502TargetGroups > 1
      ? ` across ${plural(elb502TargetGroups, words.tenant)}`
      : ' on the shared load balancer';
  const rate = `~${formatRate(stats.meanPerMinute)}/min${tenants}${percent !== null ? `, ${formatPercent(percent)} of requests` : ''}`;
  const headline = signature.contradicted
    ? `A flat background of ${ctx.mintedErrors} (${rate}), but ${answered.violations} too: not the clean keep-alive signature.`
    : `A flat background of ${ctx.mintedErrors} (${rate}): the keep-alive race between the load balancer and its targets, not a spike.`;
  const advice = [
    keepaliveAdvice(ctx),
    'Clients should retry idempotent requests on 502 with backoff; these succeed on retry.',
  ];
  facts.idleTimeoutSeconds = words.idleTimeoutSeconds;
  return {
    finding: { kind: 'keepalive_race', headline, confidence: signature.confidence, reasons, advice, facts },
    relevance: signature.relevance,
    secondaryHeadline: signature.contradicted
      ? `Also a flat background of ${ctx.mintedErrors} (${rate}), alongside ${answered.violations}: the keep-alive race is likely behind the 502s, not the whole story.`
      : `Also a flat background of ${ctx.mintedErrors} (${rate}): the keep-alive race between the load balancer and its targets.`,
    basis: ['elb_502', 'elb_502_index'],
  };
}

/** " before, during or after the asked time." — said only over minutes the logs covered. */
function flatnessScope(ctx: JudgeContext, burstElsewhere: boolean, holes: string | null): string {
  if (holes) {
    const asked = ctx.covers('elb_502', ctx.askedIndex) ? '' : `, the asked minute among them`;
    return ` over the minutes the logs cover; ${holes} ${holes.includes(' and ') ? 'are' : 'is'} not covered${asked}.`;
  }
  return burstElsewhere ? ' near the asked time.' : ' before, during or after the asked time.';
}

/** "prod_007_video had 240 LB-minted 502s at 11:20–11:26 (…): another tenant's incident; this index had …" */
function describeNeighbour(ctx: JudgeContext, neighbour: NeighbourBurst): string {
  const { name, burst } = neighbour;
  const when =
    burst.start === burst.end ? `at ${ctx.minuteText(burst.start)}` : `in ${ctx.rangeText(burst.start, burst.end)}`;
  const own = ctx.indexElb502Against(burst.start, burst.end);
  return (
    `${name} had ${formatCount(burst.total)} ${ctx.mintedErrors} ${when} (peak ${formatCount(burst.peakCount)}/min): its own targets were unreachable, another tenant's incident.` +
    (own ? ` ${describeOwnShare(ctx, own)}` : '')
  );
}

/** What the targets' keep-alive must outlast, in this stack's words. */
function idleTimeoutWords(ctx: JudgeContext): string {
  const words = stackWords(ctx);
  return words.isGcp
    ? `Google's front end's fixed ${words.idleTimeoutSeconds} s backend keep-alive`
    : "the load balancer's idle timeout";
}

function spreadReason(
  ctx: JudgeContext,
  withErrors: number | null,
  seen: number | null,
  indexTotal: number | null,
): string {
  const index = ctx.evidence.index;
  const total = ctx.total('elb_502') ?? 0;
  if (indexTotal !== null && total > 0 && indexTotal >= total * 0.9)
    return `${formatCount(indexTotal)} of the ${formatCount(total)} were for ${index}: the race is with this index's targets, whose keep-alive timeout is likely shorter than ${idleTimeoutWords(ctx)}.`;
  const ofIndex = indexTotal === null ? '' : ` ${formatCount(indexTotal)} of them were for ${index}.`;
  if (withErrors === null)
    return `The 502 count is load-balancer-wide (all tenants); CloudWatch has no per-target-group ELB 502 metric.${ofIndex}`;
  const among = seen !== null ? ` of the ${formatCount(seen)} seen` : '';
  return `They are spread across ${plural(withErrors, stackWords(ctx).tenant)}${among} (tenants): not specific to ${index}.${ofIndex}`;
}

interface TargetsAnswered {
  text: string;
  /** false when the evidence contradicts "the targets answered and were reachable". */
  holds: boolean;
  /** True when the contradiction is in the asked minute itself (target 5xx right there). */
  atAskedTime: boolean;
  unknown: string[];
  /** "target 5xx", "LB-minted 503s" … for the headline. */
  violations: string;
}

/** Minutes either side of the asked one in which the targets' own 5xx contradict the signature there. */
const ASKED_NEIGHBOURHOOD_MINUTES = 1;
/** Fewer target 5xx than this in the window is a stray answer, not a trickle that explains anything. */
const MIN_TRICKLE = 5;

/** No target 5xx, no connection errors, no LB-minted 503/504: the targets answered and were reachable. */
function targetsAnswered(ctx: JudgeContext): TargetsAnswered {
  const fiveName = ctx.isMeasured('target_5xx') ? 'target_5xx' : 'origin_5xx';
  const checks: Array<[string, number | null]> = [
    ['target 5xx', ctx.total(fiveName)],
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
  text +=
    nonZero.length === 0
      ? ': the targets answered and were reachable; connections were closed while idle.'
      : ' — not the clean keep-alive signature; see the other findings.';
  if (unknown.length > 0) text += ` Not measured: ${unknown.join(', ')}.`;
  const fiveTotal = ctx.total(fiveName) ?? 0;
  const fiveCounts = ctx.counts(fiveName);
  const fiveNearAsked = fiveCounts
    ? sumRange(fiveCounts, ctx.askedIndex - ASKED_NEIGHBOURHOOD_MINUTES, ctx.askedIndex + ASKED_NEIGHBOURHOOD_MINUTES)
    : 0;
  const atAskedTime = fiveTotal >= MIN_TRICKLE && fiveNearAsked > 0;
  // The targets' own 5xx elsewhere in the window are another finding's business; at the asked
  // minute they contradict "the targets answered"; connection errors and 503/504 always do.
  const others = nonZero.filter(([name]) => name !== 'target 5xx');
  const holds = others.length === 0 && !atAskedTime;
  const violations = [
    ...(atAskedTime ? ["the targets' own 5xx at the asked time"] : []),
    ...others.map(([name]) => (name.endsWith('s') ? name : `${name}s`)),
  ];
  return { text, holds, atAskedTime, unknown, violations: violations.join(' and ') };
}
