import { formatCount, formatRate, percentOf, roundPercent } from '../../core/format-number.js';
import type { FindingFacts } from '../../core/types.js';
import { ANSWER_KEY_PREFIX } from '../../parsers/answer-key.js';
import type { UpstreamFailure } from '../../parsers/proxy-record.js';
import { answerFactsOfKey } from '../../parsers/termination-key-facts.js';
import { describeTally, dominantKey, type JudgeContext, type ScoredFinding } from '../judge-context.js';
import { stackWords } from '../stack-words.js';
import { burstFacts, confidenceFrom, placeActivity } from './burst-finding.js';

/** HAProxy termination states that mean the proxy minted the 5xx because its backend failed, in HAProxy's words. */
const HAPROXY_MINTED: Record<string, string> = {
  SH: 'the application closed the connection or crashed before sending headers',
  SC: 'the application refused the connection, or no server was available',
  PH: 'the application sent an invalid response',
  sC: 'connecting to the application timed out',
  sQ: 'requests timed out in the proxy queue',
};

/** The same for any proxy, from the parsed facts (Envoy's flags, Traefik's own error page, nginx). */
const MINTED_BECAUSE: Record<UpstreamFailure | 'unknown', string> = {
  connect: 'it could not connect to the application (refused, unreachable, or a connect timeout)',
  reset_before_response: 'the application closed or reset the connection before sending headers',
  timeout: 'the application did not answer in time',
  no_healthy: 'no healthy application server was available',
  protocol: 'the application sent an invalid response',
  unknown: 'the application failed (closed, reset or refused the connection; this log does not say which)',
};

/** Fewer proxy-minted resets than this per minute, flat over the window, reads as the proxy's own keep-alive race. */
const RACE_MAX_PER_MINUTE = 10;

/**
 * origin_5xx: the origin itself returned 5xx at or near the asked time — a real application
 * incident. 504-dominated origin errors are left to origin_timeout.
 */
export function judgeOrigin5xx(ctx: JudgeContext): ScoredFinding | null {
  // The proxy's own view has the codes and termination states; when it is partial or missing,
  // the ALB's complete count of target 5xx is the better witness.
  const name =
    ctx.isComplete('origin_5xx') || !ctx.isMeasured('target_5xx')
      ? ctx.isMeasured('origin_5xx')
        ? 'origin_5xx'
        : 'target_5xx'
      : ctx.isComplete('target_5xx')
        ? 'target_5xx'
        : 'origin_5xx';
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
    reasons.push(
      `A steady ~${formatRate(stats.meanPerMinute)}/min with no burst; ${formatCount(ctx.atAsked(name) ?? 0)} at ${ctx.minuteText(ctx.askedIndex)}.`,
    );
  }
  const minted = proxyMinted(series.byTermination);
  if (minted) reasons.push(minted.reason);
  const corroborated = crossCheck(ctx, name, stats.total, reasons);
  // Seed 004: a flat trickle of resets the proxy turned into 5xx is the keep-alive race one hop
  // further in, between the proxy and the application.
  const race =
    minted !== null && minted.race !== 'no' && !placement.burst && stats.meanPerMinute <= RACE_MAX_PER_MINUTE
      ? minted.race
      : null;
  if (race) {
    reasons.push(
      race === 'resets'
        ? 'A flat trickle of connections the application closed before answering is the keep-alive race between the proxy and the application: the application dropped idle connections the proxy was about to reuse.'
        : 'A flat trickle of errors the proxy made itself, with no burst, is most often the keep-alive race between the proxy and the application (this log does not say whether the connection was reset or refused).',
    );
  }
  const headline = race
    ? `The proxy minted a steady trickle of 5xx (${formatCount(stats.total)} in the window): ${race === 'resets' ? 'the keep-alive race' : 'most likely the keep-alive race'} between the proxy and the application, not the load balancer.`
    : placement.burst
      ? `The origin returned 5xx: ${formatCount(placement.burst.total)} ${placement.burst.start === placement.burst.end ? 'at' : 'between'} ${ctx.rangeText(placement.burst.start, placement.burst.end)} — a real application incident.`
      : `The origin returns a steady trickle of 5xx (${formatCount(stats.total)} in the window) — an application problem, not the load balancer.`;
  const advice = [
    `Check the application's logs, deploys and resource limits around ${placement.burst ? ctx.minuteText(placement.burst.peakIndex) : ctx.minuteText(ctx.askedIndex)}${topCode ? ` (mostly HTTP ${topCode})` : ''}.`,
    'Tell the customer it was on our side; clients should retry idempotent requests with backoff.',
  ];
  if (race) advice.unshift(PROXY_KEEPALIVE_ADVICE);
  return {
    finding: {
      kind: 'origin_5xx',
      headline,
      confidence: confidenceFrom(placement, corroborated),
      reasons,
      advice,
      facts,
    },
    relevance: placement.relevance,
  };
}

const PROXY_KEEPALIVE_ADVICE =
  "Make the application's keep-alive (idle) timeout longer than the proxy's idle timeout for upstream connections: HAProxy \"timeout http-keep-alive\"/\"timeout server\", Traefik serversTransport idleConnTimeout (90 s by default), Envoy's upstream idle_timeout (1 h by default), nginx keepalive_timeout in the upstream block — or lower the proxy's below the application's.";

/**
 * Who minted the most common 5xx, in words; `race` says whether it has the keep-alive race's
 * shape: 'resets' when the application closed the connection before answering, 'unsaid' when
 * the proxy made the error but its log does not say how (Traefik's own "Bad Gateway").
 */
function proxyMinted(
  byTermination: Record<string, number> | undefined,
): { reason: string; race: 'resets' | 'unsaid' | 'no' } | null {
  const key = dominantKey(byTermination);
  if (!key) return null;
  const facts = answerFactsOfKey(key);
  if (!facts) return null;
  const race =
    facts.upstreamFailure === 'reset_before_response'
      ? 'resets'
      : facts.answeredBy === 'proxy-upstream-failure' && facts.upstreamFailure === null
        ? 'unsaid'
        : 'no';
  const code = key.startsWith(ANSWER_KEY_PREFIX) ? '' : ` (${key})`;
  if (facts.answeredBy === 'server') {
    return {
      reason: `The proxy passed them through from the application${code ? ` (termination "${key}")` : ''}: the application answered 5xx itself.`,
      race,
    };
  }
  const haproxy = HAPROXY_MINTED[key.slice(0, 2)];
  if (haproxy && key.length === 4) return { reason: `Most were minted by the proxy${code}: ${haproxy}.`, race };
  switch (facts.answeredBy) {
    case 'proxy-upstream-failure':
      return {
        reason: `Most were minted by the proxy itself${code}: ${MINTED_BECAUSE[facts.upstreamFailure ?? 'unknown']}.`,
        race,
      };
    case 'queue-timeout':
      return { reason: `Most were minted by the proxy${code}: requests timed out in its queue.`, race };
    case 'proxy-internal':
      return {
        reason: `Most were minted by the proxy${code}: it failed by itself (its own resources or overload), not the application.`,
        race,
      };
    default:
      return null;
  }
}

/** Proxy 5xx and the ALB's target 5xx should agree; returns null when there is nothing to compare. */
function crossCheck(ctx: JudgeContext, name: string, total: number, reasons: string[]): boolean | null {
  if (name !== 'origin_5xx' || !ctx.isComplete('origin_5xx') || !ctx.isComplete('target_5xx')) return null;
  const alb = ctx.total('target_5xx');
  if (alb === null) return null;
  if (Math.abs(alb - total) <= Math.max(5, total * 0.05)) {
    reasons.push(`The ${stackWords(ctx).lb} agrees independently: target 5xx ${formatCount(alb)}.`);
    return true;
  }
  reasons.push(
    `The sources disagree: the ${stackWords(ctx).lb} counted ${formatCount(alb)} target 5xx against the proxy's ${formatCount(total)}.`,
  );
  return false;
}
