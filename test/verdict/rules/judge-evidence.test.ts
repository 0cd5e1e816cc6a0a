import { describe, expect, it } from 'vitest';
import {
  type EvidenceContext,
  type MinuteRange,
  type SignalName,
  type SignalSeries,
  VERDICT_KINDS,
} from '../../../src/core/types.js';
import { FACT_KEYS } from '../../../src/verdict/facts.js';
import { judgeEvidence } from '../../../src/verdict/judge-evidence.js';
import { judgeKeepaliveRace } from '../../../src/verdict/rules/judge-keepalive-race.js';
import { judgeThrottling } from '../../../src/verdict/rules/judge-throttling.js';
import {
  AEST,
  ASKED_INDEX,
  burst,
  contextFor,
  coveredExcept,
  evidenceWith,
  minuteOf,
  series,
  sumOf,
  wobble,
} from '../../support/evidence-builder.js';

const zero = series(0);
/** The seed: a 429 burst 19:29–19:40 UTC (1,200, peak 150/min) over ~4/min LB-minted 502s across 12 tenants. */
const seedBurst = burst(minuteOf('19:29'), [40, 80, 120, 150, 140, 130, 120, 110, 100, 90, 70, 50]);
const FILES_MODE: Partial<EvidenceContext> = { elb502TargetGroups: 12, targetGroupsSeen: 40 };

type Counts = Partial<Record<SignalName, number[]>>;
type Overrides = Partial<Record<SignalName, Partial<SignalSeries>>>;

function seedEvidence(counts: Counts = {}, overrides: Overrides = {}, context: Partial<EvidenceContext> = FILES_MODE) {
  const throttled = counts.throttled_429 ?? seedBurst;
  return evidenceWith(
    {
      requests: sumOf(series(120), throttled),
      origin_5xx: zero,
      target_5xx: zero,
      throttled_429: throttled,
      target_4xx: sumOf(throttled, series(0, { 10: 3 })),
      elb_502: wobble(4),
      elb_502_index: wobble(1),
      elb_503: zero,
      elb_504: zero,
      lb_requests: series(60_000),
      ...counts,
    },
    {
      ...overrides,
      throttled_429: { source: 'HAProxy logs', byTermination: { 'PR--': 1200 }, ...overrides.throttled_429 },
      origin_5xx: { source: 'HAProxy logs', ...overrides.origin_5xx },
    },
    context,
  );
}

describe('judgeEvidence: ordering', () => {
  it("leads with the seed's 429 burst as the rule judged it, the keep-alive background second in its secondary wording", () => {
    // Prepare
    const evidence = seedEvidence();
    const ctx = contextFor(evidence);

    // Act
    const findings = judgeEvidence(evidence, AEST);

    // Assess
    expect(findings.map((f) => f.kind)).toEqual(['throttling_429', 'keepalive_race']);
    expect(findings[0]).toEqual(judgeThrottling(ctx)!.finding);
    expect(findings[1]).toEqual({
      ...judgeKeepaliveRace(ctx)!.finding,
      headline: judgeKeepaliveRace(ctx)!.secondaryHeadline,
    });
    expect(findings[1]!.headline).toBe(
      'Also a flat background of LB-minted 502s (~4/min across 12 target groups, 0.0067 % of requests): the keep-alive race between the load balancer and its targets.',
    );
  });

  it('lets a finding of relevance exactly 1.5 explain the asked minute', () => {
    // A keep-alive background (2) contradicted elsewhere in the window by connection errors: 2 − 0.5.
    const evidence = seedEvidence(
      { throttled_429: zero, target_connection_errors: series(0, { 20: 3 }) },
      { throttled_429: { byTermination: {} } },
    );

    const [verdict] = judgeEvidence(evidence, AEST);

    expect(verdict!.kind).toBe('keepalive_race');
    expect(verdict!.confidence).toBe('low');
  });

  it('calls the window calm when the best finding is a stray error in the asked minute (1.4), and keeps it as context', () => {
    const stray = series(0, { [ASKED_INDEX]: 1 });
    const evidence = seedEvidence({
      throttled_429: zero,
      origin_5xx: stray,
      target_5xx: stray,
      elb_502: zero,
      elb_502_index: zero,
      target_connection_errors: zero,
    });

    const findings = judgeEvidence(evidence, AEST);

    expect(findings.map((f) => f.kind)).toEqual(['no_errors', 'origin_5xx']);
    expect(findings[0]!.reasons[0]).toBe(
      'At 05:41 AEST (19:41 UTC): 1 origin 5xx, 0 429s, 1 target 5xx, 0 connection errors, 0 LB-minted 502s, 0 LB-minted 503s, 0 LB-minted 504s.',
    );
  });

  // Regression (was a bug): every finding below the 1.5
  // relevance bar is listed as "away from the asked time", though a stray error in the asked
  // minute itself (relevance 1.4) is right at it.
  it('does not call a stray error in the asked minute "away from the asked time"', () => {
    const stray = series(0, { [ASKED_INDEX]: 1 });
    const evidence = seedEvidence({
      throttled_429: zero,
      origin_5xx: stray,
      target_5xx: stray,
      elb_502: zero,
      elb_502_index: zero,
      target_connection_errors: zero,
    });

    const [verdict] = judgeEvidence(evidence, AEST);

    expect(verdict!.reasons.join('\n')).not.toContain('away from the asked time');
  });

  it('lets the same trickle lead once it reaches 5 errors in the window', () => {
    const trickle = series(0, { 10: 1, 40: 1, 150: 1, 170: 1, [ASKED_INDEX]: 1 });
    const evidence = seedEvidence({
      throttled_429: zero,
      origin_5xx: trickle,
      target_5xx: trickle,
      elb_502: zero,
      elb_502_index: zero,
      target_connection_errors: zero,
    });

    const findings = judgeEvidence(evidence, AEST);

    expect(findings.map((f) => f.kind)).toEqual(['origin_5xx']);
  });

  it('words every finding below a calm verdict as secondary, most relevant first', () => {
    const farBurst = burst(minuteOf('18:20'), [50, 150, 100]);
    const sparse502 = series(0, { 20: 1, 100: 1, 150: 1 });
    const evidence = seedEvidence(
      { throttled_429: farBurst, elb_502: sparse502, elb_502_index: zero, target_connection_errors: zero },
      { throttled_429: { byTermination: { 'PR--': 300 } } },
    );

    const findings = judgeEvidence(evidence, AEST);

    expect(findings.map((f) => f.kind)).toEqual(['no_errors', 'keepalive_race', 'throttling_429']);
    expect(findings[1]!.headline).toMatch(/^Also a flat background of LB-minted 502s/);
    expect(findings[2]!.headline).toBe(
      'Rate limiting (429) ran in the window (300), but no burst explains the asked time.',
    );
  });

  it('returns one calm finding, never an empty list, for a window with no error at all', () => {
    const evidence = seedEvidence(
      { throttled_429: zero, elb_502: zero, elb_502_index: zero, target_connection_errors: zero },
      { throttled_429: { byTermination: {} } },
    );

    const findings = judgeEvidence(evidence, AEST);

    expect(findings.map((f) => [f.kind, f.confidence])).toEqual([['no_errors', 'high']]);
  });
});

describe('judgeEvidence: what was not measured', () => {
  it('keeps a clear verdict with a view missing, but at most medium, and says what was not measured', () => {
    const noLbView = { status: 'unavailable' as const, counts: null, reason: 'GetMetricData failed: AccessDenied' };
    const evidence = seedEvidence(
      { elb_502: undefined, elb_502_index: undefined },
      { elb_502: noLbView, elb_502_index: noLbView },
    );

    const findings = judgeEvidence(evidence, AEST);

    expect(findings).toHaveLength(1);
    expect(findings[0]!.kind).toBe('throttling_429');
    expect(findings[0]!.confidence).toBe('medium');
    expect(findings[0]!.reasons.at(-1)).toBe(
      "Not measured: the load balancer's own errors (GetMetricData failed: AccessDenied).",
    );
  });

  it('is inconclusive, not calm, when nothing explains the asked minute and a view is missing', () => {
    const farBurst = burst(minuteOf('18:20'), [50, 150, 100]);
    const evidence = seedEvidence(
      { throttled_429: farBurst, elb_502: undefined, elb_502_index: undefined },
      { throttled_429: { byTermination: { 'PR--': 300 } } },
    );

    const findings = judgeEvidence(evidence, AEST);

    expect(findings.map((f) => f.kind)).toEqual(['inconclusive', 'throttling_429']);
    expect(findings[0]!.headline).toBe(
      "Cannot decide which layer produced the errors: the load balancer's own errors (not given in this test) could not be measured.",
    );
  });

  it('drops a background whose logs missed the asked minute to low, and says which minutes were missing', () => {
    const hole: MinuteRange[] = [[minuteOf('19:25'), minuteOf('19:54')]];
    const gap = coveredExcept('the ALB access logs given miss 19:25–19:54 UTC', hole);
    const holed = (counts: number[]) => counts.map((n, i) => (i >= hole[0]![0] && i <= hole[0]![1] ? 0 : n));
    const evidence = seedEvidence(
      { throttled_429: zero, elb_502: holed(wobble(4)), elb_502_index: holed(wobble(1)) },
      { throttled_429: { byTermination: {} }, elb_502: gap, elb_502_index: gap },
    );

    const findings = judgeEvidence(evidence, AEST);

    expect(findings[0]!.kind).toBe('inconclusive');
    const keepalive = findings.find((f) => f.kind === 'keepalive_race')!;
    expect(keepalive.confidence).toBe('low');
    expect(keepalive.reasons.at(-1)).toBe(
      'The asked minute 05:41 AEST (19:41 UTC) is not covered by these logs (missing: 05:25–05:54 AEST (19:25–19:54 UTC)): this finding describes the rest of the window.',
    );
  });

  it('does not mark a finding uncovered when one of its signals measured the asked minute', () => {
    const hole: MinuteRange[] = [[minuteOf('19:25'), minuteOf('19:54')]];
    const gap = coveredExcept('the ALB access logs given miss 19:25–19:54 UTC', hole);
    const evidence = seedEvidence(
      { throttled_429: zero, elb_502: wobble(4).map((n, i) => (i >= hole[0]![0] && i <= hole[0]![1] ? 0 : n)) },
      { throttled_429: { byTermination: {} }, elb_502: gap },
    );

    const [verdict] = judgeEvidence(evidence, AEST);

    expect(verdict!.kind).toBe('keepalive_race');
    expect(verdict!.reasons.join('\n')).not.toContain('is not covered by these logs');
  });
});

describe('judgeEvidence: the edge layer', () => {
  const CLOUDFLARE: Partial<EvidenceContext> = { ...FILES_MODE, stack: { loadBalancer: 'alb', edge: 'cloudflare' } };

  it("adds what the edge did to the verdict's reasons only", () => {
    const evidence = seedEvidence({ edge_passed_5xx: zero, edge_minted_5xx: zero }, {}, CLOUDFLARE);

    const findings = judgeEvidence(evidence, AEST);

    expect(findings[0]!.reasons.at(-1)).toBe(
      'Cloudflare passed no 5xx on to the customer in the window; it made none itself (no 52x).',
    );
    expect(findings[1]!.reasons.join('\n')).not.toContain('Cloudflare');
  });

  it("does not add the edge sentence when the edge's own finding is the verdict", () => {
    const edgeMinted = burst(minuteOf('19:39'), [20, 45, 25, 10]);
    const evidence = seedEvidence(
      { throttled_429: zero, edge_passed_5xx: zero, edge_minted_5xx: edgeMinted },
      { throttled_429: { byTermination: {} }, edge_minted_5xx: { byCode: { '522': 100 } } },
      CLOUDFLARE,
    );

    const [verdict] = judgeEvidence(evidence, AEST);

    expect(verdict!.facts.scope).toBe('edge');
    expect(verdict!.reasons.join('\n')).not.toContain('passed no 5xx');
  });
});

describe('judgeEvidence: facts', () => {
  it('gives every finding, of every kind, only the FACT KEYS of its kind', () => {
    const cases = [
      seedEvidence(),
      seedEvidence(
        { throttled_429: series(0, { 88: 30, 89: 60, 90: 40 }) },
        { throttled_429: { byTermination: { 'sQ--': 130 } } },
      ),
      seedEvidence({
        throttled_429: zero,
        elb_502_index: sumOf(wobble(1), burst(minuteOf('19:39'), [20, 45, 60])),
        target_connection_errors: series(0, { 20: 3 }),
      }),
      seedEvidence({
        throttled_429: zero,
        origin_5xx: burst(minuteOf('19:37'), [10, 40, 20]),
        elb_504_index: burst(minuteOf('19:39'), [6, 12]),
        elb_503_index: series(0, { 90: 9 }),
      }),
      seedEvidence({ elb_502: undefined, elb_502_index: undefined }),
      seedEvidence({ throttled_429: zero, elb_502: zero, elb_502_index: zero }),
      seedEvidence({ throttled_429: zero, elb_502: undefined, elb_502_index: undefined }),
    ];

    const findings = cases.flatMap((evidence) => judgeEvidence(evidence, AEST));
    const stray = findings.flatMap((finding) => {
      const allowed: readonly string[] = FACT_KEYS[finding.kind];
      return Object.keys(finding.facts)
        .filter((key) => !allowed.includes(key))
        .map((key) => `${finding.kind}.${key}`);
    });

    expect(stray).toEqual([]);
    expect(new Set(findings.map((f) => f.kind))).toEqual(new Set(VERDICT_KINDS));
  });
});
