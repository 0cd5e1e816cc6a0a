import { describe, expect, it } from 'vitest';
import { createTimeFormatter } from '../../src/grammar/time-formatter.js';
import { resolveZone } from '../../src/grammar/zones.js';
import { judgeEvidence } from '../../src/verdict/judge-evidence.js';
import { ASKED_INDEX, evidenceWith, series } from '../support/evidence-builder.js';

const fmt = createTimeFormatter(resolveZone('AEST'));
const zero = series(0);
const calmIndex = {
  requests: series(10),
  proxy_requests: series(10),
  target_4xx: zero,
  target_5xx: zero,
  elb_503: zero,
  elb_504: zero,
  elb_503_index: zero,
  elb_504_index: zero,
  lb_requests: series(30),
};

describe('judgeEvidence on a quiet index', () => {
  it('calls 5 origin 5xx out of 15 requests in the asked minute an origin incident, though 5 is within count noise', () => {
    const evidence = evidenceWith({
      ...calmIndex,
      origin_5xx: series(0, { [ASKED_INDEX]: 5 }),
      throttled_429: zero,
      elb_502: zero,
      elb_502_index: zero,
    });

    const [verdict] = judgeEvidence(evidence, fmt);

    expect(verdict!.kind).toBe('origin_5xx');
    expect(verdict!.facts.burstStart).toBe('2026-06-18T19:41:00Z');
  });

  it('calls 4 LB-minted 502s for the index, all in the asked minute, unreachable targets and not a flat background', () => {
    const spike = series(0, { [ASKED_INDEX]: 4 });
    const evidence = evidenceWith({
      ...calmIndex,
      origin_5xx: zero,
      throttled_429: zero,
      elb_502: spike,
      elb_502_index: spike,
    });

    const findings = judgeEvidence(evidence, fmt);

    expect(findings[0]!.kind).toBe('target_unreachable');
    expect(findings.map((f) => f.kind)).not.toContain('keepalive_race');
  });

  it('does not blame one tenant for a load-balancer-wide spike it had a third of', () => {
    const evidence = evidenceWith({
      ...calmIndex,
      origin_5xx: zero,
      throttled_429: zero,
      elb_502: series(0, { [ASKED_INDEX]: 30 }),
      elb_502_index: series(0, { [ASKED_INDEX]: 10 }),
    });

    const [verdict] = judgeEvidence(evidence, fmt);

    expect(verdict!.kind).toBe('target_unreachable');
    expect(verdict!.headline).toMatch(/^A spike of LB-minted 502s across tenants/);
    expect(verdict!.reasons.join('\n')).toContain("This index accounts for only 33.3 % of the load balancer's 502s");
    expect(verdict!.reasons.join('\n')).not.toContain('it is this tenant');
    expect(verdict!.confidence).toBe('medium');
  });

  it("does not call the ALB's own 429 count an independent agreement when proxy logs were not given", () => {
    const burst = series(0, { 85: 20, 86: 40, 87: 30, 88: 20 });
    const evidence = evidenceWith(
      { ...calmIndex, target_4xx: burst, throttled_429: burst, target_5xx: zero, elb_502: zero, elb_502_index: zero },
      {
        throttled_429: { source: 'ALB access logs (target status 429)' },
        proxy_requests: { status: 'unavailable', counts: null, reason: 'no proxy logs given' },
      },
    );

    const [verdict] = judgeEvidence(evidence, fmt);

    expect(verdict!.kind).toBe('throttling_429');
    expect(verdict!.reasons.join('\n')).not.toContain('agrees independently');
    expect(verdict!.reasons.join('\n')).toContain('The load balancer logged 110 responses with target status 429');
    expect(verdict!.confidence).toBe('medium');
  });

  it('shows a sub-1/min background rate with its decimal, not as ~0/min', () => {
    const sparse = series(0, Object.fromEntries(Array.from({ length: 72 }, (_, i) => [i * 2 + 30, 1])));
    const evidence = evidenceWith({
      ...calmIndex,
      origin_5xx: zero,
      throttled_429: zero,
      elb_502: sparse,
      elb_502_index: zero,
    });

    const keepalive = judgeEvidence(evidence, fmt).find((f) => f.kind === 'keepalive_race')!;

    expect(keepalive.reasons[0]).toContain('~0.4/min on average, at most 1/min');
  });
});

describe('judgeEvidence with partial or mixed evidence', () => {
  it('leads with the origin incident when 429s and origin 5xx burst in the same minutes', () => {
    const burst429 = series(0, { 88: 100, 89: 200, 90: 300 });
    const burst5xx = series(0, { 89: 20, 90: 30 });
    const evidence = evidenceWith({
      ...calmIndex,
      requests: series(200),
      throttled_429: burst429,
      target_4xx: burst429,
      origin_5xx: burst5xx,
      target_5xx: burst5xx,
      elb_502: zero,
      elb_502_index: zero,
    });

    const findings = judgeEvidence(evidence, fmt);

    expect(findings.map((f) => f.kind).slice(0, 2)).toEqual(['origin_5xx', 'throttling_429']);
    expect(findings[1]!.headline).not.toContain('Not an outage');
  });

  it("judges 429s that were the proxy's queue timing out (sQ--) as saturation, not the customer's rate limit", () => {
    const burst = series(0, { 88: 30, 89: 60, 90: 40 });
    const evidence = evidenceWith(
      { ...calmIndex, throttled_429: burst, target_4xx: burst, origin_5xx: zero, elb_502: zero, elb_502_index: zero },
      { throttled_429: { byTermination: { 'sQ--': 130 }, source: 'proxy logs' } },
    );

    const [verdict] = judgeEvidence(evidence, fmt);

    expect(verdict!.kind).toBe('origin_timeout');
    expect(verdict!.headline).toContain("not the customer's rate limit");
  });

  it('is inconclusive, not "no errors", when no log covers the asked minute', () => {
    const covered = {
      status: 'partial' as const,
      reason: 'the logs cover 18:11–19:20 only',
      uncovered: [[71, 179]] as [number, number][],
    };
    const evidence = evidenceWith(
      { ...calmIndex, origin_5xx: zero, target_5xx: zero, throttled_429: zero, elb_502: zero, elb_502_index: zero },
      { origin_5xx: covered, target_5xx: covered, elb_502: covered, elb_502_index: covered, throttled_429: covered },
    );

    const [verdict] = judgeEvidence(evidence, fmt);

    expect(verdict!.kind).toBe('inconclusive');
    expect(verdict!.headline).toContain('no log covers 05:41 AEST (19:41 UTC)');
  });

  it("uses the ALB's complete target 5xx when the proxy logs stop before the asked minute", () => {
    const evidence = evidenceWith(
      {
        ...calmIndex,
        origin_5xx: zero,
        target_5xx: series(0, { [ASKED_INDEX]: 5 }),
        throttled_429: zero,
        elb_502: zero,
        elb_502_index: zero,
      },
      { origin_5xx: { status: 'partial', reason: 'the proxy logs cover 18:11–18:59 only', uncovered: [[49, 179]] } },
    );

    const [verdict] = judgeEvidence(evidence, fmt);

    expect(verdict!.kind).toBe('origin_5xx');
    expect(verdict!.reasons[0]).toMatch(/^The targets returned 5 5xx/);
  });
});
