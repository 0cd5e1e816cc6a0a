import { formatCount, formatPercent, formatRate, roundPercent } from '../../core/format-number.js';
import type { FindingFacts, SignalName } from '../../core/types.js';
import { type JudgeContext, type NeighbourBurst, plural, RELEVANCE, type ScoredFinding } from '../judge-context.js';
import { type Burst, median, sumRange } from '../series-stats.js';
import { drainingAdvice } from '../stack-words.js';
import { burstFacts, confidenceFrom, placeActivity } from './burst-finding.js';
import { describeOwnShare } from './describe-own-share.js';

/** What the headline says when nothing says which: the causes of issue 13 replace it when measured. */
export const UNREACHABLE_POSSIBILITIES = 'targets crashed, restarted or were drained';
/** The advice that starts the search for a change; measured causes replace it (src/changes/causes/attach-causes.ts). */
export const LOOK_FOR_CHANGES_ADVICE = 'Look for targets that died or restarted';

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

function unreachableFinding(
  ctx: JudgeContext,
  signal: SignalName,
  placement: ReturnType<typeof placeActivity>,
): ScoredFinding {
  const burst = placement.burst!;
  const stats = ctx.stats(signal)!;
  const what =
    signal === 'target_connection_errors'
      ? 'connection errors to targets'
      : `${ctx.mintedErrors} for ${ctx.evidence.index}`;
  const facts: FindingFacts = {
    errorsWindow: stats.total,
    burstTotal: burst.total,
    baselinePerMinute: rateOutside(ctx, signal, burst),
    ...burstFacts(ctx, burst),
  };
  const requests = ctx.counts('requests');
  const requestsInBurst = requests && ctx.isComplete('requests') ? sumRange(requests, burst.start, burst.end) : 0;
  if (requestsInBurst > 0) facts.failedPercent = roundPercent(Math.min(100, (burst.total / requestsInBurst) * 100));
  const connectionErrors = ctx.total('target_connection_errors');
  if (connectionErrors !== null) facts.connectionErrorsWindow = connectionErrors;
  if (ctx.requestsTotal() !== null) facts.requestsWindow = ctx.requestsTotal()!;
  const reasons = [
    `${formatCount(burst.total)} ${what} in ${ctx.rangeText(burst.start, burst.end)} (peak ${formatCount(burst.peakCount)}/min at ${ctx.minuteText(burst.peakIndex)}), ` +
      `against ~${formatRate(Number(facts.baselinePerMinute))}/min outside it, ${ctx.relationToAsked(burst)}` +
      (facts.failedPercent !== undefined
        ? `: ${formatPercent(Number(facts.failedPercent))} of the index's requests in those minutes failed.`
        : '.'),
  ];
  const quiet = proxyWentQuiet(ctx, burst.start, burst.end);
  if (quiet) reasons.push(quiet);
  const share = signal === 'elb_502_index' ? shareOfLoadBalancer502s(ctx, burst) : null;
  if (share !== null) reasons.push(describeShare(ctx, share, othersRose(ctx, burst)));
  const targetFive = ctx.counts('target_5xx');
  if (targetFive && sumRange(targetFive, burst.start, burst.end) === 0)
    reasons.push(
      'The targets returned no 5xx themselves in those minutes: the errors were minted by the load balancer.',
    );
  const sharedSpike = share !== null && share < 0.5 && othersRose(ctx, burst) !== false;
  facts.scope = sharedSpike ? 'loadBalancer' : 'index';
  const corroborated = !sharedSpike && (quiet !== null || (connectionErrors !== null && connectionErrors > 0));
  const headline = sharedSpike
    ? `A spike of ${ctx.mintedErrors} across tenants ${ctx.rangeText(burst.start, burst.end)}, ${ctx.evidence.index} among them (${formatPercent(share * 100)} of them): the shared load balancer or ingress, or targets of several tenants, failed.`
    : `The load balancer could not reach ${ctx.evidence.index}'s targets: ${formatCount(burst.total)} ${what} ${ctx.rangeText(burst.start, burst.end)} — ${UNREACHABLE_POSSIBILITIES}.`;
  const advice = sharedSpike
    ? [
        'Look at what the tenants share around that time: the ingress / proxy fleet behind the load balancer, a deploy or node drain that hit several target groups.',
        'Clients should retry idempotent requests on 502 with backoff.',
      ]
    : [
        `${LOOK_FOR_CHANGES_ADVICE} around ${ctx.minuteText(burst.start)}: OOM kills, crash loops, deploys, scale-in (kubectl get events / ECS stopped tasks).`,
        drainingAdvice(ctx),
        'Clients should retry idempotent requests on 502 with backoff.',
      ];
  const confidence = sharedSpike ? (placement.nearAsked ? 'medium' : 'low') : confidenceFrom(placement, corroborated);
  return {
    finding: { kind: 'target_unreachable', headline, confidence, reasons, advice, facts },
    relevance: placement.relevance * (sharedSpike ? 0.9 : 1),
  };
}

/** This index's share of the load balancer's minted 502s during the burst, or null when unknown. */
function shareOfLoadBalancer502s(ctx: JudgeContext, burst: Burst): number | null {
  const lbWide = ctx.counts('elb_502');
  if (!lbWide) return null;
  const lbInBurst = sumRange(lbWide, burst.start, burst.end);
  return lbInBurst > 0 ? Math.min(1, burst.total / lbInBurst) : null;
}

/**
 * Whether the other tenants' LB-minted 502s rose in the burst minutes as this index's did: the
 * rest of the load balancer's 502s against their own usual rate outside the burst.
 */
function othersRose(ctx: JudgeContext, burst: Burst): boolean | null {
  const lbWide = ctx.counts('elb_502');
  const own = ctx.counts('elb_502_index');
  if (!lbWide || !own) return null;
  const others = lbWide.map((n, i) => Math.max(0, n - own[i]!));
  const minutes = burst.end - burst.start + 1;
  const inBurst = sumRange(others, burst.start, burst.end) / minutes;
  const outside =
    (sumRange(others, 0, others.length - 1) - sumRange(others, burst.start, burst.end)) /
    Math.max(1, others.length - minutes);
  return inBurst > Math.max(2 * outside, outside + 3 * Math.sqrt(outside + 1));
}

function describeShare(ctx: JudgeContext, share: number, othersRoseToo: boolean | null): string {
  const percent = formatPercent(share * 100);
  const ofAll = `the load balancer's ${ctx.mintedErrors.replace('LB-minted ', '')}`;
  if (share >= 0.8)
    return `This index accounts for ${percent} of ${ofAll} in those minutes: it is this tenant, not all tenants.`;
  if (othersRoseToo === false)
    return `This index accounts for ${percent} of ${ofAll} in those minutes; the rest is the other tenants' usual background, which did not rise: it is this tenant.`;
  if (share >= 0.5)
    return `This index accounts for ${percent} of ${ofAll} in those minutes: mostly this tenant, others were hit too.`;
  return `This index accounts for only ${percent} of ${ofAll} in those minutes: other tenants were hit as hard, so look at what they share.`;
}

/**
 * "The proxy's own logs go quiet": when targets die, the proxy running on them logs far fewer
 * requests than it usually does, while the load balancer keeps counting. Compares the proxy's
 * own per-minute volume in the burst with its median outside it.
 */
function proxyWentQuiet(ctx: JudgeContext, start: number, end: number): string | null {
  const proxy = ctx.counts('proxy_requests');
  if (!proxy || ctx.signal('requests')?.source === ctx.signal('proxy_requests')?.source) return null;
  const usual = median(proxy.filter((_, i) => i < start || i > end));
  const minutes = end - start + 1;
  const inBurst = sumRange(proxy, start, end);
  if (usual <= 0 || inBurst / minutes > usual * 0.7) return null;
  const albCounts = ctx.counts('requests');
  const albPart = albCounts ? ` while the load balancer counted ${formatCount(sumRange(albCounts, start, end))}` : '';
  return `The proxy went quiet: it logged ${formatCount(inBurst)} requests in those ${plural(minutes, 'minute')} (${formatPercent((inBurst / minutes / usual) * 100)} of its usual volume)${albPart}.`;
}

/** The signal's usual rate per minute, outside the burst (averaging the burst in would hide it), to one decimal. */
function rateOutside(ctx: JudgeContext, signal: SignalName, burst: Burst): number {
  const counts = ctx.counts(signal)!;
  const outside = counts.length - (burst.end - burst.start + 1);
  const baseline = outside > 0 ? (sumRange(counts, 0, counts.length - 1) - burst.total) / outside : 0;
  return Math.round(baseline * 10) / 10;
}

/**
 * A burst of LB-minted 502s load-balancer-wide that this index's own count does not explain.
 * With the access logs' per-target-group counts it is named as the neighbour's incident it is;
 * from metrics alone (no per-target-group ELB 502 metric) it stays a shared spike.
 */
function lbWideSpike(ctx: JudgeContext): ScoredFinding | null {
  if (!ctx.isMeasured('elb_502') || (ctx.total('elb_502') ?? 0) === 0) return null;
  const placement = placeActivity(ctx, 'elb_502');
  if (!placement.burst || !placement.nearAsked) return null;
  const neighbours = ctx
    .neighbourBursts()
    .filter(({ burst }) => burst.start <= placement.burst!.end && burst.end >= placement.burst!.start);
  if (neighbours.length > 0) return neighbourIncident(ctx, neighbours, placement);
  const burst = placement.burst;
  const stats = ctx.stats('elb_502')!;
  const elsewhere = ctx.sharedSpikeElsewhere();
  const reasons = [
    `The load balancer minted ${formatCount(burst.total)} 502s in ${ctx.rangeText(burst.start, burst.end)} (peak ${formatCount(burst.peakCount)}/min at ${ctx.minuteText(burst.peakIndex)}) against a baseline of ~${formatCount(stats.typical)}/min, ${ctx.relationToAsked(burst)}.`,
    ctx.isMeasured('elb_502_index')
      ? `Only ${formatCount(sumRange(ctx.counts('elb_502_index')!, burst.start, burst.end))} of them were for ${ctx.evidence.index}: the spike is on other tenants or the shared ingress.`
      : 'The count is load-balancer-wide: which tenant cannot be told from the metric (no per-target-group ELB 502 metric).',
  ];
  if (elsewhere)
    reasons.push(
      `${ctx.evidence.index}'s own target group shows nothing then: ${elsewhere.clearedBy.join(', ')} — most likely another tenant's incident.`,
    );
  const indexShare = ctx.isMeasured('elb_502_index')
    ? sumRange(ctx.counts('elb_502_index')!, burst.start, burst.end) / burst.total
    : null;
  const facts: FindingFacts = {
    errorsWindow: stats.total,
    baselinePerMinute: rateOutside(ctx, 'elb_502', burst),
    scope: 'loadBalancer',
    ...burstFacts(ctx, burst),
  };
  return {
    finding: {
      kind: 'target_unreachable',
      headline: `A spike of ${ctx.mintedErrors} on the shared load balancer ${ctx.rangeText(burst.start, burst.end)}: targets behind it were unreachable${indexShare !== null && indexShare < 0.2 ? ', mostly for other tenants' : ''}.`,
      confidence: 'low',
      reasons,
      advice: [
        'Check the shared ingress and the targets of every tenant for restarts around that time.',
        'Clients should retry idempotent requests on 502 with backoff.',
      ],
      facts,
    },
    relevance: elsewhere
      ? Math.min(placement.relevance, RELEVANCE.elsewhereInWindow)
      : placement.relevance * (indexShare !== null && indexShare < 0.2 ? 0.5 : 0.9),
  };
}

/**
 * Another tenant's targets were unreachable near the asked time: context for this index (its
 * own LB-minted 502s did not burst, or judgeTargetUnreachable would have found them), ranked as
 * activity elsewhere so it never displaces this index's own picture.
 */
function neighbourIncident(
  ctx: JudgeContext,
  neighbours: NeighbourBurst[],
  placement: ReturnType<typeof placeActivity>,
): ScoredFinding {
  const lead = neighbours[0]!;
  const own = ctx.indexElb502Against(lead.burst.start, lead.burst.end);
  const names = neighbours.map(({ name }) => name).join(', ');
  const reasons = neighbours.map(
    ({ name, burst }) =>
      `${name} had ${formatCount(burst.total)} ${ctx.mintedErrors} in ${ctx.rangeText(burst.start, burst.end)} (peak ${formatCount(burst.peakCount)}/min at ${ctx.minuteText(burst.peakIndex)}), ${ctx.relationToAsked(burst)}.`,
  );
  if (own) reasons.push(describeOwnShare(ctx, own));
  return {
    finding: {
      kind: 'target_unreachable',
      headline: `Another tenant's incident: ${names}'s targets were unreachable ${ctx.rangeText(lead.burst.start, lead.burst.end)} (${formatCount(lead.burst.total)} ${ctx.mintedErrors}), not ${ctx.evidence.index}'s.`,
      confidence: 'low',
      reasons,
      advice: [
        `If ${ctx.evidence.index} shares infrastructure with ${names} (nodes, ingress pods), check it for the same restarts.`,
      ],
      facts: {
        scope: 'loadBalancer',
        errorsWindow: ctx.total('elb_502') ?? 0,
        ...burstFacts(ctx, lead.burst),
        burstTotal: lead.burst.total,
      },
    },
    relevance: Math.min(placement.relevance, RELEVANCE.elsewhereInWindow),
  };
}
