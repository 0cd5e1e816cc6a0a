import { describe, expect, it } from 'vitest';
import type { EvidenceContext, SignalName, SignalSeries } from '../../../src/core/types.js';
import { judgeThrottling } from '../../../src/verdict/rules/judge-throttling.js';
import {
  ASKED_INDEX,
  burst,
  contextFor,
  evidenceWith,
  minuteOf,
  series,
  sumOf,
} from '../../support/evidence-builder.js';

/** The seed: 1,200 429s in 19:29–19:40 UTC (05:29–05:40 AEST), peak 150/min at 19:32, on 120 requests/min. */
const seedBurst = burst(minuteOf('19:29'), [40, 80, 120, 150, 140, 130, 120, 110, 100, 90, 70, 50]);
const zero = series(0);
const ADVICE = [
  'Ask the customer how their dashboard labels upstream 429s and timeouts: a 429 shown as an error is rate limiting, not a failure.',
  'For fewer 429s: client-side retries with exponential backoff and jitter on bursts, or a rate-limit / plan conversation.',
];

type Counts = Partial<Record<SignalName, number[]>>;
type Overrides = Partial<Record<SignalName, Partial<SignalSeries>>>;

/** The seed's evidence from proxy logs and ALB logs, with the given signals replaced. */
function throttlingEvidence(counts: Counts = {}, overrides: Overrides = {}, context: Partial<EvidenceContext> = {}) {
  const throttled = counts.throttled_429 ?? seedBurst;
  const requests = sumOf(series(120), throttled);
  const proxy: Overrides = {
    throttled_429: {
      source: 'HAProxy logs',
      byTermination: { 'PR--': throttled.reduce((a, b) => a + b, 0) },
      ...overrides.throttled_429,
    },
    origin_5xx: { source: 'HAProxy logs', ...overrides.origin_5xx },
  };
  return evidenceWith(
    {
      requests,
      origin_5xx: zero,
      target_5xx: zero,
      throttled_429: throttled,
      target_4xx: sumOf(throttled, series(0, { 10: 3 })),
      ...counts,
    },
    { ...overrides, ...proxy },
    context,
  );
}

describe('judgeThrottling', () => {
  it('calls the seed a 429 burst, not an outage, with high confidence when the origin was clean and the ALB agrees', () => {
    // Prepare
    const ctx = contextFor(throttlingEvidence());

    // Act
    const result = judgeThrottling(ctx);

    // Assess
    expect(result?.finding).toEqual({
      kind: 'throttling_429',
      headline:
        'Not an outage: the customer\'s "errors" are our 429 rate limiting (burst 05:29–05:40 AEST (19:29–19:40 UTC), peak 150/min); the origin returned 0 5xx.',
      confidence: 'high',
      reasons: [
        'The origin returned 0 5xx in 04:11–07:11 AEST (18:11–21:11 UTC).',
        "1,200 requests got 429 from the proxy's rate limit (PR--: a deny rule in the proxy, so they never reached a backend) — 5.3 % of the index's 22,800 requests.",
        "The ALB agrees independently: its target 4xx count is 1,203 against the proxy's 1,200 429s.",
        'The biggest 429 burst ran 05:29–05:40 AEST (19:29–19:40 UTC): 1,200 429s, peak 150/min at 05:32 AEST (19:32 UTC), ending 1 minute before the asked time.',
      ],
      advice: ADVICE,
      facts: {
        throttledWindow: 1200,
        throttledPercent: 5.3,
        requestsWindow: 22800,
        termination: 'PR--',
        origin5xxWindow: 0,
        target4xxWindow: 1203,
        burstStart: '2026-06-18T19:29:00Z',
        burstEnd: '2026-06-18T19:40:00Z',
        burstTotal: 1200,
        peakCount: 150,
        peakMinute: '2026-06-18T19:32:00Z',
        minutesBeforeAsked: 1,
      },
    });
    expect(result?.relevance).toBeCloseTo(3 * 0.95 + Math.log10(1201) / 100, 6);
    expect(result?.secondaryHeadline).toBe(
      'Our 429 rate limiting also ran a burst 05:29–05:40 AEST (19:29–19:40 UTC) (peak 150/min, 1,200 429s), ending 1 minute before the asked time.',
    );
  });

  it('returns null when the proxy logged no 429s, and when the 429s could not be measured', () => {
    const none = contextFor(throttlingEvidence({ throttled_429: zero }));
    const unmeasured = contextFor(evidenceWith({ requests: series(120), origin_5xx: zero }));

    expect(judgeThrottling(none)).toBeNull();
    expect(judgeThrottling(unmeasured)).toBeNull();
  });

  it('hands the lead to the origin finding when the origin returned 5xx in the burst minutes', () => {
    const originErrors = series(0, { [minuteOf('19:38')]: 7, [minuteOf('19:39')]: 5 });
    const ctx = contextFor(throttlingEvidence({ origin_5xx: originErrors, target_5xx: originErrors }));

    const result = judgeThrottling(ctx)!;

    expect(result.finding.headline).toBe(
      'Our 429 rate limiting ran a burst 05:29–05:40 AEST (19:29–19:40 UTC) (peak 150/min), and the origin also returned 12 5xx around it: see the origin finding.',
    );
    expect(result.finding.confidence).toBe('low');
    expect(result.finding.reasons[0]).toBe(
      'The origin returned 12 5xx in 04:11–07:11 AEST (18:11–21:11 UTC) (see the origin 5xx finding).',
    );
    expect(result.relevance).toBeCloseTo((3 * 0.95 + Math.log10(1201) / 100) * 0.8, 6);
  });

  it('stays high and says "separately" when the origin\'s 5xx came hours from the burst', () => {
    const early = series(0, { [minuteOf('18:30')]: 4, [minuteOf('18:31')]: 8 });
    const ctx = contextFor(throttlingEvidence({ origin_5xx: early, target_5xx: early }));

    const { finding } = judgeThrottling(ctx)!;

    expect(finding.headline).toBe(
      'The customer\'s "errors" at the asked time are our 429 rate limiting (burst 05:29–05:40 AEST (19:29–19:40 UTC), peak 150/min); separately, the origin returned 12 5xx elsewhere in the window (see below).',
    );
    expect(finding.confidence).toBe('high');
    expect(finding.facts.origin5xxWindow).toBe(12);
  });

  it('names origin 5xx right at the asked time when the 429 burst ended ten minutes before it', () => {
    const earlierBurst = burst(minuteOf('19:21'), [60, 150, 90, 40, 20, 10]); // ends 19:26, 15 minutes before
    const atAsked = series(0, { [ASKED_INDEX]: 3 });
    const ctx = contextFor(
      throttlingEvidence({ throttled_429: earlierBurst, origin_5xx: atAsked, target_5xx: atAsked }),
    );

    const { finding } = judgeThrottling(ctx)!;

    expect(finding.headline).toBe(
      'The customer\'s "errors" at the asked time are our 429 rate limiting (burst 05:21–05:26 AEST (19:21–19:26 UTC), peak 150/min); the origin also returned 3 5xx right at the asked time (see below).',
    );
    expect(finding.facts.minutesBeforeAsked).toBe(15);
    expect(finding.confidence).toBe('high');
  });

  it('explains a burst ending 45 minutes before the asked time, but not one ending 46 minutes before', () => {
    const explained = contextFor(throttlingEvidence({ throttled_429: burst(minuteOf('18:54'), [50, 150, 100]) })); // ends 18:56: 45 min before 19:41
    const tooEarly = contextFor(throttlingEvidence({ throttled_429: burst(minuteOf('18:53'), [50, 150, 100]) })); // ends 18:55: 46 min before

    const near = judgeThrottling(explained)!;
    const far = judgeThrottling(tooEarly)!;

    expect(near.finding.facts.minutesBeforeAsked).toBe(45);
    expect(near.finding.confidence).toBe('low'); // near enough to count, too far for "high"
    expect(near.relevance).toBeCloseTo(3 * 0.4 + Math.log10(301) / 100, 6);
    expect(far.finding).toEqual({
      kind: 'throttling_429',
      headline: 'Rate limiting (429) ran in the window (300), but no burst explains the asked time.',
      confidence: 'low',
      reasons: [
        'The origin returned 0 5xx in 04:11–07:11 AEST (18:11–21:11 UTC).',
        "300 requests got 429 from the proxy's rate limit (PR--: a deny rule in the proxy, so they never reached a backend) — 1.4 % of the index's 21,900 requests.",
        "The ALB agrees independently: its target 4xx count is 303 against the proxy's 300 429s.",
        'The 429 bursts were not near the asked time (largest at 04:54 AEST (18:54 UTC)).',
      ],
      advice: ADVICE,
      facts: {
        throttledWindow: 300,
        throttledPercent: 1.4,
        requestsWindow: 21900,
        termination: 'PR--',
        origin5xxWindow: 0,
        target4xxWindow: 303,
      },
    });
    expect(far.relevance).toBe(0.5);
    expect(far.secondaryHeadline).toBeUndefined();
  });

  it('calls a steady 429 background present at the asked minute context, not the answer', () => {
    const ctx = contextFor(throttlingEvidence({ throttled_429: series(3) }));

    const result = judgeThrottling(ctx)!;

    expect(result.finding.headline).toBe(
      'Rate limiting (429) ran in the window (540), but no burst explains the asked time.',
    );
    expect(result.finding.reasons[3]).toBe(
      '429s were a steady background (~3/min, 3 at 05:41 AEST (19:41 UTC)), not a burst.',
    );
    expect(result.relevance).toBeCloseTo(1.2, 6);
  });

  it("says how the proxy answered: a return rule (LR--), another proxy's state, or nothing when the log has none", () => {
    const returnRule = judgeThrottling(
      contextFor(throttlingEvidence({}, { throttled_429: { byTermination: { 'LR--': 1200 } } })),
    )!;
    const envoy = judgeThrottling(
      contextFor(throttlingEvidence({}, { throttled_429: { byTermination: { RL: 1200 } } })),
    )!;
    const unsaid = judgeThrottling(contextFor(throttlingEvidence({}, { throttled_429: { byTermination: {} } })))!;

    expect(returnRule.finding.reasons[1]).toBe(
      "1,200 requests got 429 from the proxy's rate limit (LR--: answered by the proxy's return rule, never reached a backend) — 5.3 % of the index's 22,800 requests.",
    );
    expect(envoy.finding.reasons[1]).toBe(
      "1,200 requests got 429 from the proxy's rate limit (termination state RL) — 5.3 % of the index's 22,800 requests.",
    );
    expect(unsaid.finding.reasons[1]).toBe(
      "1,200 requests got 429 from the proxy's rate limit — 5.3 % of the index's 22,800 requests.",
    );
    expect(unsaid.finding.facts).not.toHaveProperty('termination');
  });

  it("agrees with the ALB from 98 % to 105 % + 5 of the proxy's count, and says which way it disagrees outside that", () => {
    const withTarget4xx = (total: number) =>
      judgeThrottling(
        contextFor(throttlingEvidence({ target_4xx: sumOf(seedBurst, series(0, { 10: total - 1200 })) })),
      )!.finding.reasons[2];

    expect(withTarget4xx(1176)).toBe(
      "The ALB agrees independently: its target 4xx count is 1,176 against the proxy's 1,200 429s.",
    );
    expect(withTarget4xx(1175)).toBe(
      "The sources disagree: the ALB counted only 1,175 target 4xx against the proxy's 1,200 429s — check the index's target group and match settings.",
    );
    expect(withTarget4xx(1265)).toBe(
      "The ALB agrees independently: its target 4xx count is 1,265 against the proxy's 1,200 429s.",
    );
    expect(withTarget4xx(1266)).toBe(
      "The ALB counted 1,266 target 4xx, which includes the proxy's 1,200 429s and other 4xx.",
    );
  });

  it('names Google\'s load balancer as "the load balancer" in the cross-check', () => {
    const ctx = contextFor(throttlingEvidence({}, {}, { stack: { loadBalancer: 'gcp' } }));

    const { finding } = judgeThrottling(ctx)!;

    expect(finding.reasons[2]).toBe(
      "The load balancer agrees independently: its target 4xx count is 1,203 against the proxy's 1,200 429s.",
    );
  });

  it("is medium, with no cross-check, when the 429s are the ALB's own count because proxy logs were not given", () => {
    const ctx = contextFor(
      throttlingEvidence(
        { origin_5xx: undefined },
        {
          throttled_429: { source: 'ALB access logs (target status 429)', byTermination: undefined },
          origin_5xx: { status: 'unavailable', counts: null, reason: 'no proxy logs given' },
          proxy_requests: { status: 'unavailable', counts: null, reason: 'no proxy logs given' },
        },
      ),
    );

    const { finding } = judgeThrottling(ctx)!;

    expect(finding.confidence).toBe('medium');
    expect(finding.reasons.slice(0, 3)).toEqual([
      'The targets returned 0 5xx to the load balancer in 04:11–07:11 AEST (18:11–21:11 UTC) (proxy logs unavailable: no proxy logs given).',
      "The load balancer logged 1,200 responses with target status 429 (the proxy's rate limit, passed through; proxy logs were not given) — 5.3 % of the index's 22,800 requests.",
      'The biggest 429 burst ran 05:29–05:40 AEST (19:29–19:40 UTC): 1,200 429s, peak 150/min at 05:32 AEST (19:32 UTC), ending 1 minute before the asked time.',
    ]);
  });

  it('says why the proxy logs were not used when they covered only part of the window', () => {
    const ctx = contextFor(
      throttlingEvidence(
        {},
        {
          throttled_429: { source: 'ALB access logs (target status 429)' },
          proxy_requests: { status: 'partial', reason: 'the proxy logs cover 18:11–19:20 UTC only' },
        },
      ),
    );

    const { finding } = judgeThrottling(ctx)!;

    expect(finding.reasons[1]).toBe(
      "The load balancer logged 1,200 responses with target status 429 (the proxy's rate limit, passed through; the proxy logs could not be used for the whole window: the proxy logs cover 18:11–19:20 UTC only) — 5.3 % of the index's 22,800 requests.",
    );
  });

  it('is medium, not high, when no view of the origin measured its 5xx', () => {
    const ctx = contextFor(
      throttlingEvidence(
        { origin_5xx: undefined, target_5xx: undefined },
        { origin_5xx: { status: 'unavailable', counts: null, reason: 'the proxy log group was not found' } },
      ),
    );

    const { finding } = judgeThrottling(ctx)!;

    expect(finding.headline).toBe(
      'Not an outage: the customer\'s "errors" are our 429 rate limiting (burst 05:29–05:40 AEST (19:29–19:40 UTC), peak 150/min).',
    );
    expect(finding.reasons[0]).toBe("The origin's 5xx could not be measured (the proxy log group was not found).");
    expect(finding.confidence).toBe('medium');
    expect(finding.facts).not.toHaveProperty('origin5xxWindow');
  });

  it("judges 429s that were mostly the proxy's queue timing out (sQ--) as saturation, an origin timeout", () => {
    const queueBurst = series(0, { 88: 30, 89: 60, 90: 40 });
    const ctx = contextFor(
      throttlingEvidence(
        { throttled_429: queueBurst },
        { throttled_429: { byTermination: { 'sQ--': 66, 'PR--': 64 } } },
      ),
    );

    const result = judgeThrottling(ctx)!;

    expect(result.finding).toEqual({
      kind: 'origin_timeout',
      headline:
        "Our servers were saturated around 05:39–05:41 AEST (19:39–19:41 UTC): the proxy's queue timed out and answered 130 requests with 429 — not the customer's rate limit.",
      confidence: 'medium',
      reasons: [
        "66 of the proxy's 130 429s ended in a queue timeout (termination state sQ--): requests waited for a free server until the queue timeout, and the proxy was configured to answer 429 then.",
        'They clustered in 05:39–05:41 AEST (19:39–19:41 UTC) (peak 60/min at 05:40 AEST (19:40 UTC)), covering the asked time.',
      ],
      advice: [
        'Treat it as capacity: servers busy or too few for the load then (check CPU, slow requests, the backend maxconn and queue settings).',
        'Do not tell the customer they hit their rate limit: these 429s were ours.',
      ],
      facts: {
        elb504Window: 0,
        burstStart: '2026-06-18T19:39:00Z',
        burstEnd: '2026-06-18T19:41:00Z',
        peakCount: 60,
        peakMinute: '2026-06-18T19:40:00Z',
      },
    });
    expect(result.relevance).toBe(3);
  });

  it('keeps the rate-limit reading when queue timeouts are exactly half of the 429s', () => {
    const queueBurst = series(0, { 88: 30, 89: 60, 90: 40 });
    const ctx = contextFor(
      throttlingEvidence(
        { throttled_429: queueBurst },
        { throttled_429: { byTermination: { 'sQ--': 65, 'PR--': 65 } } },
      ),
    );

    const { finding } = judgeThrottling(ctx)!;

    expect(finding.kind).toBe('throttling_429');
  });

  it('calls scattered queue timeouts saturation "in the window", with low confidence', () => {
    const ctx = contextFor(
      throttlingEvidence({ throttled_429: series(2) }, { throttled_429: { byTermination: { 'sQ--': 360 } } }),
    );

    const result = judgeThrottling(ctx)!;

    expect(result.finding.headline).toBe(
      "Our servers were saturated in the window: the proxy's queue timed out and answered 360 requests with 429 — not the customer's rate limit.",
    );
    expect(result.finding.confidence).toBe('low');
    expect(result.finding.reasons).toHaveLength(1);
    expect(result.relevance).toBeCloseTo(0.9, 6);
  });
});
