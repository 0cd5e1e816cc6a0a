/**
 * Rule-level checks on evidence built in code (issue 8): the index judged apart from its
 * neighbours, counting statistics on quiet indexes, each rule's signature ranking it, holes
 * never read as quiet, and secondary findings worded as secondary.
 */
import { describe, expect, it } from 'vitest';
import type { TenantActivity } from '../../src/core/types.js';
import { createTimeFormatter } from '../../src/grammar/time-formatter.js';
import { resolveZone } from '../../src/grammar/zones.js';
import { judgeEvidence } from '../../src/verdict/judge-evidence.js';
import { ASKED_INDEX, evidenceWith, MINUTES, series } from '../support/evidence-builder.js';

const fmt = createTimeFormatter(resolveZone('AEST'));
const zero = series(0);
/** A steady count with a little deterministic wobble, so the background is flat but not constant. */
const wobble = (base: number) => Array.from({ length: MINUTES }, (_, i) => base + ((i * 7) % 3) - 1);
const busyIndex = {
  requests: series(200),
  proxy_requests: series(200),
  lb_requests: series(1000),
  target_4xx: zero,
  elb_503: zero,
  elb_504: zero,
  elb_503_index: zero,
  elb_504_index: zero,
  throttled_429: zero,
};

function tenant(name: string, elb502: number[], isIndex = false): TenantActivity {
  return { name, isIndex, requests: 1000, elb502, elb503Total: 0, elb504Total: 0 };
}

describe('judgeEvidence: this index apart from its neighbours', () => {
  it('keeps the keep-alive verdict when a neighbour crash-loops at the asked time, naming it with its numbers', () => {
    const ownBackground = wobble(2);
    const neighbourCrash = series(1, { 88: 30, 89: 40, 90: 35, 91: 30 });
    const lbWide = ownBackground.map((n, i) => n + neighbourCrash[i]! + 1);
    const evidence = evidenceWith(
      { ...busyIndex, origin_5xx: zero, target_5xx: zero, elb_502: lbWide, elb_502_index: ownBackground },
      {},
      {
        tenants: [
          tenant('prod_000_audio', ownBackground, true),
          tenant('prod_007_video', neighbourCrash),
          tenant('prod_003_catalog', series(1)),
        ],
        elb502TargetGroups: 3,
        targetGroupsSeen: 3,
      },
    );

    const findings = judgeEvidence(evidence, fmt);

    expect(findings[0]!.kind).toBe('keepalive_race');
    expect(findings[0]!.reasons.join('\n')).toContain(
      'prod_007_video had 135 LB-minted 502s in 05:39–05:42 AEST (19:39–19:42 UTC) (peak 40/min)',
    );
    expect(findings[0]!.reasons.join('\n')).toMatch(
      /acme had \d+ LB-minted 502s in those minutes, about \d+ expected at its usual ~2\/min: no more than usual\./,
    );
    const neighbour = findings.find((f) => f.headline.startsWith("Another tenant's incident"))!;
    expect(neighbour.kind).toBe('target_unreachable');
    expect(neighbour.facts.scope).toBe('loadBalancer');
  });

  it("sets aside a load-balancer-wide spike the index's own metrics do not show, when metrics cannot name the tenant", () => {
    const lbWide = wobble(3).map((n, i) => (i >= 88 && i <= 91 ? n + 40 : n));
    const evidence = evidenceWith({
      ...busyIndex,
      origin_5xx: zero,
      target_5xx: zero,
      elb_502: lbWide,
      target_connection_errors: zero,
      unhealthy_hosts: zero,
    });

    const findings = judgeEvidence(evidence, fmt);

    expect(findings[0]!.kind).toBe('keepalive_race');
    expect(findings[0]!.reasons[0]).toContain(
      "leaving out a spike in 05:39–05:42 AEST (19:39–19:42 UTC) that acme's own target group does not show",
    );
    const spike = findings.find((f) => f.headline.startsWith('A spike of LB-minted 502s on the shared load balancer'))!;
    expect(spike.reasons.join('\n')).toContain(
      "acme's own target group shows nothing then: 0 connection errors to its targets, no rise in unhealthy targets, its proxy serving as usual",
    );
  });

  it('says other tenants were hit as hard only when their own rate rose too', () => {
    const others = wobble(20).map((n) => Math.max(0, n));
    const ownBurst = series(0, { 90: 10, 91: 12 });
    const calmOthers = evidenceWith({
      ...busyIndex,
      requests: series(20),
      proxy_requests: series(20),
      origin_5xx: zero,
      target_5xx: zero,
      elb_502: others.map((n, i) => n + ownBurst[i]!),
      elb_502_index: ownBurst,
    });

    const [verdict] = judgeEvidence(calmOthers, fmt);

    expect(verdict!.kind).toBe('target_unreachable');
    expect(verdict!.reasons.join('\n')).toContain(
      "the rest is the other tenants' usual background, which did not rise: it is this tenant",
    );
    expect(verdict!.reasons.join('\n')).not.toContain('hit as hard');
    expect(verdict!.headline).toMatch(/^The load balancer could not reach acme's targets/);
  });
});

describe('judgeEvidence on quiet indexes: counting statistics, not percentages of tiny denominators', () => {
  it("reads 2 LB-minted 502s among 5 requests at the load balancer's own 0.5 % rate as background, not unreachable targets", () => {
    const quietRequests = series(4, { [ASKED_INDEX]: 5 });
    const own = series(0, { [ASKED_INDEX]: 2, 30: 1, 140: 1 });
    const lbWide = wobble(5);
    const evidence = evidenceWith({
      ...busyIndex,
      requests: quietRequests,
      proxy_requests: quietRequests,
      origin_5xx: zero,
      target_5xx: zero,
      elb_502: lbWide,
      elb_502_index: own,
    });

    const findings = judgeEvidence(evidence, fmt);

    expect(findings.map((f) => f.kind)).not.toContain('target_unreachable');
    expect(findings[0]!.kind).toBe('keepalive_race');
  });

  it('still calls 5 LB-minted 502s out of 5 requests unreachable targets', () => {
    const quietRequests = series(4, { [ASKED_INDEX]: 5 });
    const own = series(0, { [ASKED_INDEX]: 5 });
    const evidence = evidenceWith({
      ...busyIndex,
      requests: quietRequests,
      proxy_requests: series(4, { [ASKED_INDEX]: 0 }),
      origin_5xx: zero,
      target_5xx: zero,
      elb_502: wobble(5).map((n, i) => n + own[i]!),
      elb_502_index: own,
    });

    const [verdict] = judgeEvidence(evidence, fmt);

    expect(verdict!.kind).toBe('target_unreachable');
  });
});

describe("judgeEvidence: each rule's signature ranks it", () => {
  it('leads with an origin trickle present at the asked minute over a keep-alive background it contradicts', () => {
    const trickle = series(3, { [ASKED_INDEX]: 2 });
    const evidence = evidenceWith({
      ...busyIndex,
      origin_5xx: trickle,
      target_5xx: trickle,
      elb_502: wobble(4),
      elb_502_index: wobble(2),
    });

    const findings = judgeEvidence(evidence, fmt);

    expect(findings.map((f) => f.kind).slice(0, 2)).toEqual(['origin_5xx', 'keepalive_race']);
    expect(findings[0]!.confidence).toBe('medium');
    expect(findings[1]!.headline).toMatch(
      /^Also a flat background of LB-minted 502s .*alongside the targets' own 5xx at the asked time/,
    );
  });

  it('keeps the keep-alive verdict when a few target 5xx came hours away from the asked minute', () => {
    const strays = series(0, { 10: 2, 150: 3 });
    const evidence = evidenceWith({
      ...busyIndex,
      origin_5xx: strays,
      target_5xx: strays,
      elb_502: wobble(4),
      elb_502_index: wobble(2),
    });

    const [verdict] = judgeEvidence(evidence, fmt);

    expect(verdict!.kind).toBe('keepalive_race');
    expect(verdict!.headline).toContain('the keep-alive race between the load balancer and its targets');
  });

  it('words a 429 burst as secondary under an origin incident: no "Not an outage" under another verdict', () => {
    const burst429 = series(0, { 85: 50, 86: 120, 87: 80 });
    const originBurst = series(0, { 89: 40, 90: 60, 91: 30 });
    const evidence = evidenceWith({
      ...busyIndex,
      throttled_429: burst429,
      target_4xx: burst429,
      origin_5xx: originBurst,
      target_5xx: originBurst,
      elb_502: zero,
      elb_502_index: zero,
    });

    const findings = judgeEvidence(evidence, fmt);

    expect(findings[0]!.kind).toBe('origin_5xx');
    const throttling = findings.find((f) => f.kind === 'throttling_429')!;
    expect(throttling.headline).not.toContain('Not an outage');
  });
});

describe('judgeEvidence when the asked minute fell in a hole', () => {
  it('does not let a background finding explain a minute its own logs did not cover', () => {
    const hole = {
      status: 'partial' as const,
      reason: 'the ALB access logs given miss 19:25–19:54 UTC',
      uncovered: [[74, 103]] as [number, number][],
    };
    const evidence = evidenceWith(
      { ...busyIndex, origin_5xx: zero, target_5xx: zero, elb_502: wobble(4), elb_502_index: wobble(2) },
      { elb_502: hole, elb_502_index: hole, target_5xx: hole, requests: hole },
    );

    const findings = judgeEvidence(evidence, fmt);

    expect(findings[0]!.kind).toBe('inconclusive');
    const keepalive = findings.find((f) => f.kind === 'keepalive_race')!;
    expect(keepalive.confidence).toBe('low');
    expect(keepalive.reasons.join('\n')).toContain(
      '05:25–05:54 AEST (19:25–19:54 UTC) is not covered, the asked minute among them',
    );
    expect(keepalive.reasons.join('\n')).not.toContain('before, during or after');
  });
});
