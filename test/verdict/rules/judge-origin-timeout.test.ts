import { describe, expect, it } from 'vitest';
import type { EvidenceContext, SignalName, SignalSeries } from '../../../src/core/types.js';
import { judgeOriginTimeout } from '../../../src/verdict/rules/judge-origin-timeout.js';
import { burst, contextFor, evidenceWith, minuteOf, series, sumOf } from '../../support/evidence-builder.js';

const zero = series(0);
/** The ALB gave up on this index's targets: 46 LB-minted 504s in 19:39–19:42 UTC, peak 20/min in the asked minute. */
const timeouts = burst(minuteOf('19:39'), [5, 12, 20, 9]);
/** Requests slower than 2 s around them: 131, peak 40/min at 19:40 UTC. */
const slow = burst(minuteOf('19:37'), [3, 8, 15, 40, 30, 25, 10]);

type Counts = Partial<Record<SignalName, number[]>>;

function timeoutEvidence(
  counts: Counts,
  overrides: Partial<Record<SignalName, Partial<SignalSeries>>> = {},
  context: Partial<EvidenceContext> = {},
) {
  return evidenceWith({ requests: series(120), origin_5xx: zero, target_5xx: zero, ...counts }, overrides, context);
}

describe('judgeOriginTimeout', () => {
  it("calls a burst of this index's LB-minted 504s with slow requests around them a slow origin, with high confidence", () => {
    // Prepare
    const ctx = contextFor(
      timeoutEvidence({ elb_504_index: timeouts, elb_504: sumOf(timeouts, series(0, { 30: 2 })), slow_requests: slow }),
    );

    // Act
    const result = judgeOriginTimeout(ctx);

    // Assess
    expect(result?.finding).toEqual({
      kind: 'origin_timeout',
      headline: 'A slow origin: 46 requests timed out (504) around 05:39–05:42 AEST (19:39–19:42 UTC).',
      confidence: 'high',
      reasons: [
        'The load balancer answered 46 requests with 504 itself (for acme) in 04:11–07:11 AEST (18:11–21:11 UTC): the target did not answer within the idle timeout (60 s) or the 10 s connect timeout.',
        'They clustered in 05:39–05:42 AEST (19:39–19:42 UTC) (peak 20/min at 05:41 AEST (19:41 UTC)), covering the asked time.',
        '131 requests took longer than 2 s in the window (peak 40/min at 05:40 AEST (19:40 UTC)).',
      ],
      advice: [
        'Find the slow requests in the proxy logs (server response time Tr) and the application around that time: slow queries, saturation, a dependency.',
        'Requests that must take longer than the idle timeout (60 s) need a higher idle timeout or an async pattern.',
      ],
      facts: {
        elb504Window: 46,
        scope: 'index',
        slowRequestSeconds: 2,
        idleTimeoutSeconds: 60,
        slowWindow: 131,
        burstStart: '2026-06-18T19:39:00Z',
        burstEnd: '2026-06-18T19:42:00Z',
        peakCount: 20,
        peakMinute: '2026-06-18T19:41:00Z',
      },
    });
    expect(result?.relevance).toBeCloseTo(3 + Math.log10(47) / 100, 6);
  });

  it('is load-balancer-wide from CloudWatch metrics, which have no per-target-group 504 count', () => {
    const ctx = contextFor(timeoutEvidence({ elb_504: timeouts, slow_requests: slow }));

    const { finding } = judgeOriginTimeout(ctx)!;

    expect(finding.reasons[0]).toBe(
      'The load balancer answered 46 requests with 504 itself (load-balancer-wide) in 04:11–07:11 AEST (18:11–21:11 UTC): the target did not answer within the idle timeout (60 s) or the 10 s connect timeout.',
    );
    expect(finding.facts.scope).toBe('loadBalancer');
  });

  it("finds the proxy's own 504s (its server timeout) when the load balancer minted none", () => {
    const ctx = contextFor(
      timeoutEvidence(
        { elb_504_index: zero, origin_5xx: timeouts, slow_requests: slow },
        { origin_5xx: { source: 'HAProxy logs', byCode: { '504': 46 } } },
      ),
    );

    const { finding } = judgeOriginTimeout(ctx)!;

    expect(finding.headline).toBe(
      'A slow origin: 46 requests timed out (504) around 05:39–05:42 AEST (19:39–19:42 UTC).',
    );
    expect(finding.reasons.slice(0, 2)).toEqual([
      'The origin proxy itself returned 46 504s (its server timeout fired before the application answered).',
      'They clustered in 05:39–05:42 AEST (19:39–19:42 UTC) (peak 20/min at 05:41 AEST (19:41 UTC)), covering the asked time.',
    ]);
    expect(finding.facts).toMatchObject({ elb504Window: 0, origin504Window: 46 });
  });

  it("quotes the larger of the load balancer's and the proxy's 504 counts, never their sum", () => {
    const proxy504 = burst(minuteOf('19:39'), [4, 10, 18, 8]);
    const ctx = contextFor(
      timeoutEvidence(
        { elb_504_index: timeouts, origin_5xx: proxy504, slow_requests: slow },
        { origin_5xx: { byCode: { '504': 40 } } },
      ),
    );

    const { finding } = judgeOriginTimeout(ctx)!;

    expect(finding.headline).toBe(
      'A slow origin: 46 requests timed out (504) around 05:39–05:42 AEST (19:39–19:42 UTC).',
    );
    expect(finding.reasons[1]).toBe(
      'The origin proxy itself returned 40 504s (its server timeout fired before the application answered).',
    );
  });

  it('is medium when slow requests were not measured, and medium when they were measured and none were slow', () => {
    const unmeasured = judgeOriginTimeout(contextFor(timeoutEvidence({ elb_504_index: timeouts })))!.finding;
    const noneSlow = judgeOriginTimeout(
      contextFor(timeoutEvidence({ elb_504_index: timeouts, slow_requests: zero })),
    )!.finding;

    expect(unmeasured.confidence).toBe('medium');
    expect(unmeasured.facts).not.toHaveProperty('slowWindow');
    expect(noneSlow.confidence).toBe('medium');
    expect(noneSlow.facts.slowWindow).toBe(0);
  });

  it('calls a steady 504 trickle present at the asked minute "in the window", medium when slow requests confirm it', () => {
    const ctx = contextFor(timeoutEvidence({ elb_504_index: series(1), slow_requests: series(4) }));

    const result = judgeOriginTimeout(ctx)!;

    expect(result.finding.headline).toBe('A slow origin: 180 requests timed out (504) in the window.');
    expect(result.finding.reasons).toHaveLength(2);
    expect(result.finding.confidence).toBe('medium');
    expect(result.relevance).toBe(2);
  });

  it("quotes the load balancer's idle timeout from the evidence", () => {
    const ctx = contextFor(
      timeoutEvidence({ elb_504_index: timeouts, slow_requests: slow }, {}, { idleTimeoutSeconds: 120 }),
    );

    const { finding } = judgeOriginTimeout(ctx)!;

    expect(finding.advice[1]).toBe(
      'Requests that must take longer than the idle timeout (120 s) need a higher idle timeout or an async pattern.',
    );
    expect(finding.facts.idleTimeoutSeconds).toBe(120);
  });

  it("returns null without any 504, and ignores other tenants' 504s when this index's own count was measured", () => {
    const none = contextFor(timeoutEvidence({ elb_504_index: zero, elb_504: zero, slow_requests: slow }));
    const othersOnly = contextFor(timeoutEvidence({ elb_504_index: zero, elb_504: timeouts }));

    expect(judgeOriginTimeout(none)).toBeNull();
    expect(judgeOriginTimeout(othersOnly)).toBeNull();
  });

  it('returns null when no 504 count was measured at all', () => {
    const ctx = contextFor(evidenceWith({ requests: series(120), slow_requests: slow }));

    expect(judgeOriginTimeout(ctx)).toBeNull();
  });
});
