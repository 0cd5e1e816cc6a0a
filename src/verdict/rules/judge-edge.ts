import { formatCount, formatPercent } from '../../core/format-number.js';
import type { Finding } from '../../core/types.js';
import { describeTally, type JudgeContext, type ScoredFinding } from '../judge-context.js';
import { sumRange } from '../series-stats.js';
import { burstFacts, confidenceFrom, placeActivity } from './burst-finding.js';

/** "Cloudflare", "CloudFront": the edge as its logs name it. */
function edgeName(ctx: JudgeContext): string {
  return ctx.evidence.context.stack?.edge === 'cloudflare' ? 'Cloudflare' : 'CloudFront';
}

/**
 * The edge minted errors itself (Cloudflare 520–526, CloudFront Origin*Error): it could not
 * reach, or could not use, what is behind it. Those requests never reached the load balancer's
 * logs — the answer is between the edge and the load balancer. (CONTRACT §11: the verdict says
 * whether the edge minted or passed the errors.)
 */
export function judgeEdgeMinted(ctx: JudgeContext): ScoredFinding | null {
  const stats = ctx.stats('edge_minted_5xx');
  if (!stats || stats.total === 0) return null;
  const edge = edgeName(ctx);
  const series = ctx.signal('edge_minted_5xx')!;
  const placement = placeActivity(ctx, 'edge_minted_5xx');
  const where = placement.burst ? ctx.rangeText(placement.burst.start, placement.burst.end) : ctx.windowText();
  const inSpan = placement.burst ? placement.burst.total : stats.total;
  // A burst is compared with the load balancer's usual rate outside it; a steady trickle has no
  // "outside", so the whole window's requests at the edge are compared with those behind it.
  const lb = placement.burst
    ? lbAnswersIn(ctx, placement.burst.start, placement.burst.end)
    : requestsThatNeverArrived(ctx, edge, stats.total);
  const reasons = [
    `${edge} answered ${formatCount(stats.total)} requests with a 5xx of its own in ${ctx.windowText()} (${describeTally(series.byCode)}): it did not get a usable answer from the load balancer behind it.`,
    ...(placement.burst
      ? [
          `They clustered in ${ctx.rangeText(placement.burst.start, placement.burst.end)} (peak ${formatCount(placement.burst.peakCount)}/min at ${ctx.minuteText(placement.burst.peakIndex)}), ${ctx.relationToAsked(placement.burst)}.`,
        ]
      : []),
    ...(lb ? [lb.text] : []),
  ];
  const finding: Finding = {
    kind: 'target_unreachable',
    headline: `${edge} could not reach the load balancer: it made ${formatCount(inSpan)} 5xx itself ${placement.burst ? `in ${where}` : 'in the window'}; those requests never reached our logs behind it.`,
    confidence: confidenceFrom(placement, lb?.corroborates ?? null),
    reasons,
    advice: [
      `Check the path from ${edge} to the load balancer at that time: security groups or firewall allow-lists for ${edge}'s address ranges, the listener and its certificate, the origin's DNS name.`,
      `${edge}'s own codes say which: 521/522/523 a connection that failed, 524 a timeout, 525/526 TLS, 520 an empty or reset answer.`,
    ],
    facts: { scope: 'edge', errorsWindow: stats.total, ...burstFacts(ctx, placement.burst) },
  };
  return { finding, relevance: placement.relevance };
}

/** What the load balancer's own logs say about the requests the edge answered itself. */
interface Comparison {
  text: string;
  /** The load balancer's side agrees: fewer requests arrived, by about what the edge answered. */
  corroborates: boolean;
}

/** "The load balancer logged 12 requests for the index in those minutes against its usual ~150/min." */
function lbAnswersIn(ctx: JudgeContext, start: number, end: number): Comparison | null {
  const requests = ctx.counts('requests');
  if (!requests || !ctx.isMeasured('requests')) return null;
  const minutes = end - start + 1;
  const inSpan = sumRange(requests, start, end);
  const outside = (sumRange(requests, 0, requests.length - 1) - inSpan) / Math.max(1, requests.length - minutes);
  return {
    text: `The load balancer logged ${formatCount(inSpan)} requests for ${ctx.evidence.index} in ${minutes === 1 ? 'that minute' : `those ${formatCount(minutes)} minutes`}, against its usual ~${formatCount(outside)}/min.`,
    corroborates: true,
  };
}

/**
 * "Cloudflare saw 21,780 requests for the index and the load balancer 21,600: 180 never reached
 * it, the 180 Cloudflare answered itself." Null unless both counts were measured in full.
 */
function requestsThatNeverArrived(ctx: JudgeContext, edge: string, minted: number): Comparison | null {
  if (!ctx.isComplete('edge_requests') || !ctx.isComplete('requests')) return null;
  const atEdge = ctx.total('edge_requests')!;
  const behind = ctx.total('requests')!;
  const gap = atEdge - behind;
  const matches = Math.abs(gap - minted) <= Math.max(5, minted * 0.2);
  return {
    text:
      `${edge} saw ${formatCount(atEdge)} requests for ${ctx.evidence.index} in the window and the load balancer ${formatCount(behind)}: ` +
      (matches
        ? `${formatCount(Math.max(0, gap))} never reached it, about the ${formatCount(minted)} ${edge} answered itself.`
        : `a gap of ${formatCount(gap)}, not the ${formatCount(minted)} ${edge} answered itself (the logs may cover different requests).`),
    corroborates: matches,
  };
}

/**
 * The edge's part in a verdict it did not cause: the 5xx it passed on from the origin, matched
 * minute by minute with the load balancer's own LB-minted 502s — "Cloudflare passed the load
 * balancer's 502s through" — or a note that the edge made none itself. Null without edge logs.
 */
export function describeEdgeLayer(ctx: JudgeContext): string | null {
  const passed = ctx.counts('edge_passed_5xx');
  const minted = ctx.total('edge_minted_5xx');
  if (!passed) return null;
  const edge = edgeName(ctx);
  const passedTotal = ctx.total('edge_passed_5xx') ?? 0;
  const mintedPart =
    minted === null
      ? ''
      : minted === 0
        ? `; it made none itself (no ${edge === 'Cloudflare' ? '52x' : 'Origin*Error'})`
        : `; it made ${formatCount(minted)} itself (see its finding)`;
  if (passedTotal === 0) return `${edge} passed no 5xx on to the customer in the window${mintedPart}.`;
  const lbMinted = ctx.counts('elb_502_index');
  if (!lbMinted)
    return `${edge} passed ${formatCount(passedTotal)} 5xx from the load balancer on to the customer${mintedPart}.`;
  let matched = 0;
  for (let i = 0; i < passed.length; i++) matched += Math.min(passed[i]!, lbMinted[i] ?? 0);
  // 514 of 515 is not "100 %": below all, the share stays below 100 (99.8 %).
  const share = matched === passedTotal ? '100 %' : formatPercent(Math.min(99.9, (matched / passedTotal) * 100));
  return (
    `${edge} passed ${formatCount(passedTotal)} 5xx from the load balancer on to the customer${mintedPart}. ` +
    `Minute by minute, ${formatCount(matched)} of them (${share}) line up with the load balancer's own ${ctx.mintedErrors} for ${ctx.evidence.index}: the load balancer made them, ${edge} passed them on.`
  );
}
