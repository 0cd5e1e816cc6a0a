import { formatCount, percentOf, roundPercent } from '../../core/format-number.js';
import type { Confidence, FindingFacts } from '../../core/types.js';
import { dominantKey, type JudgeContext, RELEVANCE, type ScoredFinding } from '../judge-context.js';
import { burstNearest, minutesBefore, proximityWeight, sumRange } from '../series-stats.js';
import { stackWords } from '../stack-words.js';

const ADVICE = [
  'Ask the customer how their dashboard labels upstream 429s and timeouts: a 429 shown as an error is rate limiting, not a failure.',
  'For fewer 429s: client-side retries with exponential backoff and jitter on bursts, or a rate-limit / plan conversation.',
];

/**
 * throttling_429: the proxy's rate limiting answered 429 in a burst near the asked time. The
 * customer's "502s" are those 429s seen through their instrumentation — the seed's case.
 */
export function judgeThrottling(ctx: JudgeContext): ScoredFinding | null {
  const stats = ctx.stats('throttled_429');
  if (!stats || stats.total === 0) return null;
  // HAProxy can turn a queue timeout into a 429 (sQ--): that is our saturation, not a rate limit.
  const states = ctx.signal('throttled_429')?.byTermination ?? {};
  const queueTimeouts = Object.entries(states)
    .filter(([state]) => state.startsWith('s'))
    .reduce((sum, [, n]) => sum + n, 0);
  if (queueTimeouts > stats.total / 2) return saturationFinding(ctx, stats.total, queueTimeouts);
  const burst = burstNearest(stats.bursts, ctx.askedIndex);
  const series = ctx.signal('throttled_429')!;
  const termination = dominantKey(series.byTermination);
  const facts: FindingFacts = { throttledWindow: stats.total };
  const percent = percentOf(stats.total, ctx.requestsTotal());
  if (percent !== null) facts.throttledPercent = roundPercent(percent);
  if (ctx.requestsTotal() !== null) facts.requestsWindow = ctx.requestsTotal()!;
  if (termination) facts.termination = termination;
  const origin5xx = ctx.total('origin_5xx') ?? ctx.total('target_5xx');
  if (origin5xx !== null) facts.origin5xxWindow = origin5xx;
  const target4xx = ctx.total('target_4xx');
  if (target4xx !== null) facts.target4xxWindow = target4xx;

  // Without proxy logs the 429s are the ALB's own target-status count: nothing to cross-check.
  const fromAlb = series.source?.startsWith('ALB') ?? false;
  const reasons = [
    originReason(ctx),
    throttledReason(ctx, stats.total, termination, fromAlb),
    ...(fromAlb ? [] : crossCheckReasons(ctx, stats.total)),
  ];
  let relevance: number;
  let confidence: Confidence;
  let headline: string;
  let secondaryHeadline: string | undefined;
  if (burst && proximityWeight(minutesBefore(burst, ctx.askedIndex)) >= 0.4) {
    const before = minutesBefore(burst, ctx.askedIndex);
    Object.assign(facts, {
      burstStart: ctx.isoMinute(burst.start),
      burstEnd: ctx.isoMinute(burst.end),
      burstTotal: burst.total,
      peakCount: burst.peakCount,
      peakMinute: ctx.isoMinute(burst.peakIndex),
      minutesBeforeAsked: before,
    });
    const biggest = stats.bursts.every((other) => other.total <= burst.total);
    reasons.push(
      `The ${biggest ? 'biggest ' : ''}429 burst ran ${ctx.rangeText(burst.start, burst.end)}: ${formatCount(burst.total)} 429s, ` +
        `peak ${formatCount(burst.peakCount)}/min at ${ctx.minuteText(burst.peakIndex)}, ${ctx.relationToAsked(burst)}.`,
    );
    const nearOrigin = nearOrigin5xx(ctx, burst.start, burst.end);
    // Real origin errors in the same minutes outrank the 429s: the origin finding leads.
    const originToo = nearOrigin !== null && nearOrigin > 0;
    relevance =
      (RELEVANCE.burstAtAskedTime * proximityWeight(before) + Math.log10(1 + burst.total) / 100) *
      (originToo ? 0.8 : 1);
    confidence =
      nearOrigin === 0 && proximityWeight(before) >= 0.8 && !fromAlb
        ? 'high'
        : nearOrigin === null || fromAlb
          ? 'medium'
          : 'low';
    const burstText = `burst ${ctx.rangeText(burst.start, burst.end)}, peak ${formatCount(burst.peakCount)}/min`;
    const atAskedOrigin = nearOrigin5xx(ctx, ctx.askedIndex - 2, ctx.askedIndex + 2, 0);
    headline = originToo
      ? `Our 429 rate limiting ran a burst ${ctx.rangeText(burst.start, burst.end)} (peak ${formatCount(burst.peakCount)}/min), and the origin also returned ${formatCount(nearOrigin)} 5xx around it: see the origin finding.`
      : origin5xx !== null && origin5xx > 0
        ? `The customer's "errors" at the asked time are our 429 rate limiting (${burstText}); ` +
          (atAskedOrigin !== null && atAskedOrigin > 0
            ? `the origin also returned ${formatCount(atAskedOrigin)} 5xx right at the asked time (see below).`
            : `separately, the origin returned ${formatCount(origin5xx)} 5xx elsewhere in the window (see below).`)
        : `Not an outage: the customer's "errors" are our 429 rate limiting (${burstText})` +
          (origin5xx === 0 ? '; the origin returned 0 5xx.' : '.');
    secondaryHeadline = `Our 429 rate limiting also ran a burst ${ctx.rangeText(burst.start, burst.end)} (peak ${formatCount(burst.peakCount)}/min, ${formatCount(burst.total)} 429s), ${ctx.relationToAsked(burst)}.`;
  } else {
    const atAsked = ctx.atAsked('throttled_429') ?? 0;
    relevance = atAsked > 0 ? RELEVANCE.backgroundAtAskedTime * 0.6 : RELEVANCE.elsewhereInWindow * 0.5;
    confidence = 'low';
    reasons.push(
      stats.flat
        ? `429s were a steady background (~${formatCount(stats.typical)}/min, ${formatCount(atAsked)} at ${ctx.minuteText(ctx.askedIndex)}), not a burst.`
        : `The 429 bursts were not near the asked time (largest at ${ctx.minuteText(stats.maxIndex)}).`,
    );
    headline = `Rate limiting (429) ran in the window (${formatCount(stats.total)}), but no burst explains the asked time.`;
  }
  return {
    finding: { kind: 'throttling_429', headline, confidence, reasons, advice: ADVICE, facts },
    relevance,
    ...(secondaryHeadline ? { secondaryHeadline } : {}),
  };
}

function originReason(ctx: JudgeContext): string {
  if (ctx.isMeasured('origin_5xx')) {
    const window = ctx.coverageText('origin_5xx');
    const total = ctx.total('origin_5xx')!;
    return total === 0
      ? `The origin returned 0 5xx in ${window}.`
      : `The origin returned ${formatCount(total)} 5xx in ${window} (see the origin 5xx finding).`;
  }
  if (ctx.isMeasured('target_5xx')) {
    const total = ctx.total('target_5xx')!;
    return `The targets returned ${formatCount(total)} 5xx to the load balancer in ${ctx.coverageText('target_5xx')} (proxy logs unavailable: ${ctx.unavailableReason('origin_5xx')}).`;
  }
  return `The origin's 5xx could not be measured (${ctx.unavailableReason('origin_5xx')}).`;
}

function throttledReason(ctx: JudgeContext, total: number, termination: string | null, fromAlb: boolean): string {
  const share = ctx.shareOfRequests(total);
  if (fromAlb) {
    const proxy = ctx.signal('proxy_requests');
    const why =
      !proxy || proxy.reason?.includes('no proxy logs given')
        ? 'proxy logs were not given'
        : `the proxy logs could not be used for the whole window: ${proxy.reason ?? 'partial'}`;
    return `The load balancer logged ${formatCount(total)} responses with target status 429 (the proxy's rate limit, passed through; ${why})${share ? ` — ${share}` : ''}.`;
  }
  const how = termination?.startsWith('PR')
    ? ` (${termination}: a deny rule in the proxy, so they never reached a backend)`
    : termination?.startsWith('LR')
      ? ` (${termination}: answered by the proxy's return rule, never reached a backend)`
      : termination
        ? ` (termination state ${termination})`
        : '';
  return `${formatCount(total)} requests got 429 from the proxy's rate limit${how}${share ? ` — ${share}` : ''}.`;
}

/** The ALB sees the proxy's 429s as target 4xx: agreement is independent confirmation. */
function crossCheckReasons(ctx: JudgeContext, throttled: number): string[] {
  if (!ctx.isComplete('target_4xx') || !ctx.isComplete('throttled_429')) return [];
  const target4xx = ctx.total('target_4xx')!;
  if (target4xx >= throttled * 0.98 && target4xx <= throttled * 1.05 + 5)
    return [
      `The ${stackWords(ctx).lb} agrees independently: its target 4xx count is ${formatCount(target4xx)} against the proxy's ${formatCount(throttled)} 429s.`,
    ];
  if (target4xx < throttled * 0.98)
    return [
      `The sources disagree: the ${stackWords(ctx).lb} counted only ${formatCount(target4xx)} target 4xx against the proxy's ${formatCount(throttled)} 429s — check the index's target group and match settings.`,
    ];
  return [
    `The ${stackWords(ctx).lb} counted ${formatCount(target4xx)} target 4xx, which includes the proxy's ${formatCount(throttled)} 429s and other 4xx.`,
  ];
}

/** Origin 5xx in [start − margin, end + margin]: the proxy's count, else the ALB's target 5xx. */
function nearOrigin5xx(ctx: JudgeContext, start: number, end: number, marginMinutes = 5): number | null {
  const counts = ctx.counts('origin_5xx') ?? ctx.counts('target_5xx');
  return counts ? sumRange(counts, start - marginMinutes, end + marginMinutes) : null;
}

/** 429s from the proxy's queue timing out (sQ--): the servers were saturated; judged as a slow origin. */
function saturationFinding(ctx: JudgeContext, total: number, queueTimeouts: number): ScoredFinding {
  const stats = ctx.stats('throttled_429')!;
  const burst = burstNearest(stats.bursts, ctx.askedIndex);
  const weight = burst ? proximityWeight(minutesBefore(burst, ctx.askedIndex)) : 0.3;
  const when = burst ? ` around ${ctx.rangeText(burst.start, burst.end)}` : ' in the window';
  return {
    finding: {
      kind: 'origin_timeout',
      headline: `Our servers were saturated${when}: the proxy's queue timed out and answered ${formatCount(total)} requests with 429 — not the customer's rate limit.`,
      confidence: weight >= 0.8 ? 'medium' : 'low',
      reasons: [
        `${formatCount(queueTimeouts)} of the proxy's ${formatCount(total)} 429s ended in a queue timeout (termination state sQ--): requests waited for a free server until the queue timeout, and the proxy was configured to answer 429 then.`,
        ...(burst
          ? [
              `They clustered in ${ctx.rangeText(burst.start, burst.end)} (peak ${formatCount(burst.peakCount)}/min at ${ctx.minuteText(burst.peakIndex)}), ${ctx.relationToAsked(burst)}.`,
            ]
          : []),
      ],
      advice: [
        'Treat it as capacity: servers busy or too few for the load then (check CPU, slow requests, the backend maxconn and queue settings).',
        'Do not tell the customer they hit their rate limit: these 429s were ours.',
      ],
      facts: {
        elb504Window: 0,
        ...(burst
          ? {
              burstStart: ctx.isoMinute(burst.start),
              burstEnd: ctx.isoMinute(burst.end),
              peakCount: burst.peakCount,
              peakMinute: ctx.isoMinute(burst.peakIndex),
            }
          : {}),
      },
    },
    relevance: RELEVANCE.burstAtAskedTime * weight,
  };
}
