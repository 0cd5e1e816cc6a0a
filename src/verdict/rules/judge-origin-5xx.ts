import { formatCount, formatRate, percentOf, roundPercent } from '../../core/format-number.js';
import type { FindingFacts } from '../../core/types.js';
import { describeTally, dominantKey, type JudgeContext, type ScoredFinding } from '../judge-context.js';
import { burstFacts, confidenceFrom, placeActivity } from './burst-finding.js';

/** HAProxy termination states that mean the proxy minted the 5xx because its backend failed. */
const PROXY_MINTED: Record<string, string> = {
  SH: 'the application closed the connection or crashed before sending headers',
  SC: 'the application refused the connection, or no server was available',
  PH: 'the application sent an invalid response',
  sC: 'connecting to the application timed out',
  sQ: 'requests timed out in the proxy queue',
};

/**
 * origin_5xx: the origin itself returned 5xx at or near the asked time — a real application
 * incident. 504-dominated origin errors are left to origin_timeout.
 */
export function judgeOrigin5xx(ctx: JudgeContext): ScoredFinding | null {
  // The proxy's own view has the codes and termination states; when it is partial or missing,
  // the ALB's complete count of target 5xx is the better witness.
  const name = ctx.isComplete('origin_5xx') || !ctx.isMeasured('target_5xx') ? (ctx.isMeasured('origin_5xx') ? 'origin_5xx' : 'target_5xx') : ctx.isComplete('target_5xx') ? 'target_5xx' : 'origin_5xx';
  const stats = ctx.stats(name);
  if (!stats || stats.total === 0) return null;
  const series = ctx.signal(name)!;
  const byCode = series.byCode ?? {};
  if ((byCode['504'] ?? 0) >= stats.total / 2) return null;
  const placement = placeActivity(ctx, name);
  const topCode = dominantKey(byCode);
  const facts: FindingFacts = { origin5xxWindow: stats.total, ...burstFacts(ctx, placement.burst) };
  const percent = percentOf(stats.total, ctx.requestsTotal());
  if (percent !== null) facts.origin5xxPercent = roundPercent(percent);
  if (ctx.requestsTotal() !== null) facts.requestsWindow = ctx.requestsTotal()!;
  if (topCode) facts.topCode = topCode;

  const who = name === 'origin_5xx' ? 'The origin proxy returned' : 'The targets returned';
  const share = ctx.shareOfRequests(stats.total);
  const reasons = [
    `${who} ${formatCount(stats.total)} 5xx in ${ctx.windowText()}${describeTally(byCode) ? ` (${describeTally(byCode)})` : ''}${share ? ` — ${share}` : ''}.`,
  ];
  if (placement.burst) {
    const b = placement.burst;
    reasons.push(
      `They peaked in ${ctx.rangeText(b.start, b.end)}: ${formatCount(b.total)} 5xx, peak ${formatCount(b.peakCount)}/min at ${ctx.minuteText(b.peakIndex)}, ${ctx.relationToAsked(b)}.`,
    );
  } else {
    reasons.push(`A steady ~${formatRate(stats.meanPerMinute)}/min with no burst; ${formatCount(ctx.atAsked(name) ?? 0)} at ${ctx.minuteText(ctx.askedIndex)}.`);
  }
  const minted = proxyMintedReason(series.byTermination);
  if (minted) reasons.push(minted);
  const corroborated = crossCheck(ctx, name, stats.total, reasons);
  const headline = placement.burst
    ? `The origin returned 5xx: ${formatCount(placement.burst.total)} ${placement.burst.start === placement.burst.end ? 'at' : 'between'} ${ctx.rangeText(placement.burst.start, placement.burst.end)} — a real application incident.`
    : `The origin returns a steady trickle of 5xx (${formatCount(stats.total)} in the window) — an application problem, not the load balancer.`;
  const advice = [
    `Check the application's logs, deploys and resource limits around ${placement.burst ? ctx.minuteText(placement.burst.peakIndex) : ctx.minuteText(ctx.askedIndex)}${topCode ? ` (mostly HTTP ${topCode})` : ''}.`,
    'Tell the customer it was on our side; clients should retry idempotent requests with backoff.',
  ];
  return {
    finding: { kind: 'origin_5xx', headline, confidence: confidenceFrom(placement, corroborated), reasons, advice, facts },
    relevance: placement.relevance,
  };
}

function proxyMintedReason(byTermination: Record<string, number> | undefined): string | null {
  const state = dominantKey(byTermination);
  if (!state) return null;
  const meaning = PROXY_MINTED[state.slice(0, 2)];
  if (!meaning) return state.startsWith('--') ? 'The proxy passed them through from the application (termination "----"): the application answered 5xx itself.' : null;
  return `Most were minted by the proxy (${state}): ${meaning}.`;
}

/** Proxy 5xx and the ALB's target 5xx should agree; returns null when there is nothing to compare. */
function crossCheck(ctx: JudgeContext, name: string, total: number, reasons: string[]): boolean | null {
  if (name !== 'origin_5xx' || !ctx.isComplete('origin_5xx') || !ctx.isComplete('target_5xx')) return null;
  const alb = ctx.total('target_5xx');
  if (alb === null) return null;
  if (Math.abs(alb - total) <= Math.max(5, total * 0.05)) {
    reasons.push(`The ALB agrees independently: target 5xx ${formatCount(alb)}.`);
    return true;
  }
  reasons.push(`The sources disagree: the ALB counted ${formatCount(alb)} target 5xx against the proxy's ${formatCount(total)}.`);
  return false;
}
