import { describe, expect, it } from 'vitest';
import type { SignalName } from '../../../src/core/types.js';
import { judgeNoHealthyTargets } from '../../../src/verdict/rules/judge-no-healthy-targets.js';
import { burst, contextFor, evidenceWith, minuteOf, series } from '../../support/evidence-builder.js';

const zero = series(0);
/** A deploy deregistered every target: 90 LB-minted 503s in 19:39–19:41 UTC, peak 40/min at 19:40. */
const noTargets = burst(minuteOf('19:39'), [15, 40, 35]);
const ADVICE = [
  'Check target registration and health checks at that time: a deploy that deregistered everything, failing health checks, or an empty target group.',
  'Keep at least one healthy target through deploys (rolling updates, minimum healthy percent).',
];

function evidence503(counts: Partial<Record<SignalName, number[]>>) {
  return evidenceWith({ requests: series(120), origin_5xx: zero, target_5xx: zero, ...counts });
}

describe('judgeNoHealthyTargets', () => {
  it("calls a burst of this index's LB-minted 503s at the asked time no healthy targets, with high confidence", () => {
    // Prepare
    const ctx = contextFor(evidence503({ elb_503_index: noTargets, elb_503: noTargets }));

    // Act
    const result = judgeNoHealthyTargets(ctx);

    // Assess
    expect(result?.finding).toEqual({
      kind: 'no_healthy_targets',
      headline:
        'No healthy targets: the load balancer answered 90 requests with 503 around 05:39–05:41 AEST (19:39–19:41 UTC).',
      confidence: 'high',
      reasons: [
        'The load balancer answered 90 requests with 503 itself (for acme) in 04:11–07:11 AEST (18:11–21:11 UTC): it had no healthy target to send them to.',
        'They clustered in 05:39–05:41 AEST (19:39–19:41 UTC) (peak 40/min at 05:40 AEST (19:40 UTC)), covering the asked time.',
      ],
      advice: ADVICE,
      facts: {
        elb503Window: 90,
        scope: 'index',
        burstStart: '2026-06-18T19:39:00Z',
        burstEnd: '2026-06-18T19:41:00Z',
        peakCount: 40,
        peakMinute: '2026-06-18T19:40:00Z',
      },
    });
    expect(result?.relevance).toBeCloseTo(3 + Math.log10(91) / 100, 6);
  });

  it('is high from metrics when the healthy host count fell to 0', () => {
    const ctx = contextFor(evidence503({ elb_503: noTargets, healthy_hosts: series(3, { 88: 0, 89: 0, 90: 0 }) }));

    const { finding } = judgeNoHealthyTargets(ctx)!;

    expect(finding.reasons).toEqual([
      'The load balancer answered 90 requests with 503 itself (load-balancer-wide (all tenants)) in 04:11–07:11 AEST (18:11–21:11 UTC): it had no healthy target to send them to.',
      'They clustered in 05:39–05:41 AEST (19:39–19:41 UTC) (peak 40/min at 05:40 AEST (19:40 UTC)), covering the asked time.',
      'Healthy targets fell to 0 in the window (minimum per minute).',
    ]);
    expect(finding.facts.scope).toBe('loadBalancer');
    expect(finding.confidence).toBe('high');
  });

  it('is medium when a healthy target remained, and medium from metrics without a healthy host count', () => {
    const oneLeft = judgeNoHealthyTargets(
      contextFor(evidence503({ elb_503: noTargets, healthy_hosts: series(3, { 89: 1 }) })),
    )!.finding;
    const unknown = judgeNoHealthyTargets(contextFor(evidence503({ elb_503: noTargets })))!.finding;

    expect(oneLeft.reasons[2]).toBe('Healthy targets fell to 1 in the window (minimum per minute).');
    expect(oneLeft.confidence).toBe('medium');
    expect(unknown.confidence).toBe('medium');
  });

  it('calls a steady trickle of 503s present at the asked minute medium, without a "when"', () => {
    const ctx = contextFor(evidence503({ elb_503_index: series(1) }));

    const result = judgeNoHealthyTargets(ctx)!;

    expect(result.finding.headline).toBe('No healthy targets: the load balancer answered 180 requests with 503.');
    expect(result.finding.reasons).toHaveLength(1);
    expect(result.finding.confidence).toBe('medium');
    expect(result.relevance).toBe(2);
  });

  it("returns null without LB-minted 503s, unmeasured, or only on other tenants when this index's count was measured", () => {
    const none = contextFor(evidence503({ elb_503_index: zero, elb_503: zero }));
    const unmeasured = contextFor(evidence503({}));
    const othersOnly = contextFor(evidence503({ elb_503_index: zero, elb_503: noTargets }));

    expect(judgeNoHealthyTargets(none)).toBeNull();
    expect(judgeNoHealthyTargets(unmeasured)).toBeNull();
    expect(judgeNoHealthyTargets(othersOnly)).toBeNull();
  });
});
