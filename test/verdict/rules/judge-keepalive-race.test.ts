import { describe, expect, it } from 'vitest';
import type { EvidenceContext, MinuteRange, SignalName, SignalSeries } from '../../../src/core/types.js';
import { judgeKeepaliveRace } from '../../../src/verdict/rules/judge-keepalive-race.js';
import {
  ASKED_INDEX,
  contextFor,
  coveredExcept,
  evidenceWith,
  minuteOf,
  series,
  sumOf,
  tenant,
  wobble,
} from '../../support/evidence-builder.js';

const zero = series(0);
/** The seed's background: ~4 LB-minted 502s a minute across all tenants, 60,000 requests a minute through the ALB. */
const background = wobble(4); // 720 in the window, 3 in the asked minute, at most 5
const ownShare = wobble(1); // 180 of them for the index
const ALB_ADVICE = [
  'Make the targets\' keep-alive (idle) timeout longer than the load balancer\'s idle timeout (60 s): e.g. Node.js server.keepAliveTimeout = 65000 and headersTimeout = 66000; HAProxy "timeout http-keep-alive" above 60s.',
  'Clients should retry idempotent requests on 502 with backoff; these succeed on retry.',
];
const FILES_MODE: Partial<EvidenceContext> = { elb502TargetGroups: 12, targetGroupsSeen: 40 };

type Counts = Partial<Record<SignalName, number[]>>;

/** Files mode (ALB access logs + proxy logs): no connection-error metric. */
function keepaliveEvidence(
  counts: Counts = {},
  overrides: Partial<Record<SignalName, Partial<SignalSeries>>> = {},
  context: Partial<EvidenceContext> = FILES_MODE,
) {
  return evidenceWith(
    {
      requests: series(120),
      origin_5xx: zero,
      target_5xx: zero,
      elb_503: zero,
      elb_504: zero,
      lb_requests: series(60_000),
      elb_502: background,
      elb_502_index: ownShare,
      ...counts,
    },
    overrides,
    context,
  );
}

/** Counts with the minutes a source missed zeroed, as the evidence path leaves them (placeholders). */
function withHoles(counts: number[], holes: MinuteRange[]): number[] {
  return counts.map((n, i) => (holes.some(([first, last]) => i >= first && i <= last) ? 0 : n));
}

describe('judgeKeepaliveRace', () => {
  it('calls a flat ~4/min LB-minted 502 background across tenants the keep-alive race, medium without a connection-error count', () => {
    // Prepare
    const ctx = contextFor(keepaliveEvidence());

    // Act
    const result = judgeKeepaliveRace(ctx);

    // Assess
    expect(result).toEqual({
      finding: {
        kind: 'keepalive_race',
        headline:
          'A flat background of LB-minted 502s (~4/min across 12 target groups, 0.0067 % of requests): the keep-alive race between the load balancer and its targets, not a spike.',
        confidence: 'medium',
        reasons: [
          'The load balancer minted 720 502s itself (target status "-") in 04:11–07:11 AEST (18:11–21:11 UTC): ~4/min on average, at most 5/min — flat, no minute stands out from that baseline before, during or after the asked time.',
          'That is 0.0067 % of the 10,800,000 requests through the load balancer.',
          'They are spread across 12 target groups of the 40 seen (tenants): not specific to acme. 180 of them were for acme.',
          '0 target 5xx, 0 LB-minted 503, 0 LB-minted 504 in the window: the targets answered and were reachable; connections were closed while idle. Not measured: connection errors.',
        ],
        advice: ALB_ADVICE,
        facts: {
          elb502Window: 720,
          elb502PerMinuteTypical: 4,
          elb502PerMinuteMax: 5,
          idleTimeoutSeconds: 60,
          lbRequestsWindow: 10_800_000,
          elb502Percent: 0.0067,
          tenantCount: 12,
          elb502IndexWindow: 180,
        },
      },
      relevance: 2,
      secondaryHeadline:
        'Also a flat background of LB-minted 502s (~4/min across 12 target groups, 0.0067 % of requests): the keep-alive race between the load balancer and its targets.',
      basis: ['elb_502', 'elb_502_index'],
    });
  });

  it("is high when the targets' connection errors were measured too, and were 0", () => {
    const ctx = contextFor(keepaliveEvidence({ target_connection_errors: zero }));

    const { finding } = judgeKeepaliveRace(ctx)!;

    expect(finding.confidence).toBe('high');
    expect(finding.reasons[3]).toBe(
      '0 target 5xx, 0 connection errors, 0 LB-minted 503, 0 LB-minted 504 in the window: the targets answered and were reachable; connections were closed while idle.',
    );
    expect(finding.facts.connectionErrorsWindow).toBe(0);
  });

  it('stays medium from CloudWatch metrics, which cannot say which tenants the 502s were for', () => {
    const metricsOnly = { elb_502_index: undefined, target_connection_errors: zero };
    const ctx = contextFor(keepaliveEvidence(metricsOnly, {}, {}));

    const { finding } = judgeKeepaliveRace(ctx)!;

    expect(finding.confidence).toBe('medium');
    expect(finding.headline).toBe(
      'A flat background of LB-minted 502s (~4/min on the shared load balancer, 0.0067 % of requests): the keep-alive race between the load balancer and its targets, not a spike.',
    );
    expect(finding.reasons[2]).toBe(
      'The 502 count is load-balancer-wide (all tenants); CloudWatch has no per-target-group ELB 502 metric.',
    );
    expect(finding.facts).not.toHaveProperty('tenantCount');
    expect(finding.facts).not.toHaveProperty('elb502IndexWindow');
  });

  it("puts the race on this index's targets when 90 % or more of the 502s were for it", () => {
    const ctx = contextFor(
      keepaliveEvidence({ elb_502_index: background }, {}, { elb502TargetGroups: 1, targetGroupsSeen: 40 }),
    );

    const { finding } = judgeKeepaliveRace(ctx)!;

    expect(finding.headline).toBe(
      "A flat background of LB-minted 502s (~4/min on acme's targets, 0.0067 % of requests): the keep-alive race between the load balancer and its targets, not a spike.",
    );
    expect(finding.reasons[2]).toBe(
      "720 of the 720 were for acme: the race is with this index's targets, whose keep-alive timeout is likely shorter than the load balancer's idle timeout.",
    );
  });

  it("speaks Google Cloud on a GCP stack: LB-minted errors, backend services, and the front end's fixed 600 s keep-alive", () => {
    const gcp: Partial<EvidenceContext> = { ...FILES_MODE, stack: { loadBalancer: 'gcp' } };
    const spread = judgeKeepaliveRace(contextFor(keepaliveEvidence({}, {}, gcp)))!.finding;
    const onIndex = judgeKeepaliveRace(contextFor(keepaliveEvidence({ elb_502_index: background }, {}, gcp)))!.finding;

    expect(spread.headline).toBe(
      'A flat background of LB-minted errors (~4/min across 12 backend services, 0.0067 % of requests): the keep-alive race between the load balancer and its targets, not a spike.',
    );
    expect(spread.reasons[0]).toBe(
      'The load balancer minted 720 502s itself (statusDetails other than response_sent_by_backend) in 04:11–07:11 AEST (18:11–21:11 UTC): ~4/min on average, at most 5/min — flat, no minute stands out from that baseline before, during or after the asked time.',
    );
    expect(spread.reasons[2]).toBe(
      'They are spread across 12 backend services of the 40 seen (tenants): not specific to acme. 180 of them were for acme.',
    );
    expect(onIndex.reasons[2]).toBe(
      "720 of the 720 were for acme: the race is with this index's targets, whose keep-alive timeout is likely shorter than Google's front end's fixed 600 s backend keep-alive.",
    );
    expect(spread.advice[0]).toBe(
      "Google's front end keeps idle connections to backends for a fixed 600 s, which cannot be changed: make the backends' keep-alive longer, e.g. 620 s (nginx keepalive_timeout 620s; Node.js server.keepAliveTimeout = 620000 and headersTimeout = 621000).",
    );
    expect(spread.facts.idleTimeoutSeconds).toBe(600);
  });

  it("falls below any finding the asked minute supports when the targets' own 5xx (5 or more) reach the asked minute", () => {
    const trickle = series(0, { 20: 2, 150: 2, [ASKED_INDEX]: 1 });
    const ctx = contextFor(keepaliveEvidence({ target_5xx: trickle, origin_5xx: trickle }));

    const result = judgeKeepaliveRace(ctx)!;

    expect(result.finding.headline).toBe(
      "A flat background of LB-minted 502s (~4/min across 12 target groups, 0.0067 % of requests), but the targets' own 5xx at the asked time too: not the clean keep-alive signature.",
    );
    expect(result.finding.reasons[3]).toBe(
      '0 LB-minted 503, 0 LB-minted 504; 5 target 5xx in the window — not the clean keep-alive signature; see the other findings. Not measured: connection errors.',
    );
    expect(result.finding.confidence).toBe('low');
    expect(result.relevance).toBe(1.6);
    expect(result.secondaryHeadline).toBe(
      "Also a flat background of LB-minted 502s (~4/min across 12 target groups, 0.0067 % of requests), alongside the targets' own 5xx at the asked time: the keep-alive race is likely behind the 502s, not the whole story.",
    );
  });

  it('reads 4 target 5xx in the window as strays that do not contradict the race, even one in the asked minute', () => {
    const strays = series(0, { 20: 2, 150: 1, [ASKED_INDEX]: 1 });
    const ctx = contextFor(keepaliveEvidence({ target_5xx: strays, origin_5xx: strays }));

    const result = judgeKeepaliveRace(ctx)!;

    expect(result.finding.headline).toMatch(
      /: the keep-alive race between the load balancer and its targets, not a spike\.$/,
    );
    expect(result.finding.confidence).toBe('medium');
    expect(result.relevance).toBe(2);
  });

  it('counts target 5xx one minute from the asked minute as at the asked time, but not two minutes away', () => {
    const oneAway = series(0, { 20: 2, 150: 2, [ASKED_INDEX + 1]: 1 });
    const twoAway = series(0, { 20: 2, 150: 2, [ASKED_INDEX + 2]: 1 });

    const near = judgeKeepaliveRace(contextFor(keepaliveEvidence({ target_5xx: oneAway })))!;
    const far = judgeKeepaliveRace(contextFor(keepaliveEvidence({ target_5xx: twoAway })))!;

    expect(near.relevance).toBe(1.6);
    expect(far.relevance).toBe(2);
  });

  it('lowers a race with LB-minted 503s elsewhere in the window half a tier and calls the confidence low', () => {
    const ctx = contextFor(keepaliveEvidence({ elb_503: series(0, { 20: 3 }) }));

    const result = judgeKeepaliveRace(ctx)!;

    expect(result.finding.headline).toBe(
      'A flat background of LB-minted 502s (~4/min across 12 target groups, 0.0067 % of requests), but LB-minted 503s too: not the clean keep-alive signature.',
    );
    expect(result.finding.confidence).toBe('low');
    expect(result.relevance).toBe(1.5);
  });

  // Regression (was a bug): violations are the check
  // names plus "s", so "connection errors" becomes "connection errorss" in the headline.
  it('names connection errors elsewhere in the window in the headline without a doubled "s"', () => {
    const ctx = contextFor(keepaliveEvidence({ target_connection_errors: series(0, { 20: 3 }) }));

    const { finding } = judgeKeepaliveRace(ctx)!;

    expect(finding.headline).toBe(
      'A flat background of LB-minted 502s (~4/min across 12 target groups, 0.0067 % of requests), but connection errors too: not the clean keep-alive signature.',
    );
  });

  it('returns null for 2 LB-minted 502s in the window, and calls 3 a background that explains little', () => {
    const two = contextFor(keepaliveEvidence({ elb_502: series(0, { 20: 1, 150: 1 }), elb_502_index: zero }));
    const three = contextFor(keepaliveEvidence({ elb_502: series(0, { 20: 1, 100: 1, 150: 1 }), elb_502_index: zero }));

    expect(judgeKeepaliveRace(two)).toBeNull();
    expect(judgeKeepaliveRace(three)?.relevance).toBe(1);
  });

  it('returns null when the LB-minted 502s were not measured', () => {
    const ctx = contextFor(keepaliveEvidence({ elb_502: undefined, elb_502_index: undefined }));

    expect(judgeKeepaliveRace(ctx)).toBeNull();
  });

  it("returns null when this index's own LB-minted 502s spike at the asked time: that is not a background", () => {
    const spike = series(0, { 88: 40, 89: 40, 90: 40, 91: 40 });
    const ctx = contextFor(
      keepaliveEvidence({ elb_502: sumOf(background, spike), elb_502_index: sumOf(ownShare, spike) }),
    );

    expect(judgeKeepaliveRace(ctx)).toBeNull();
  });

  it('returns null for a load-balancer-wide spike at the asked time that nothing measured about this index can set aside', () => {
    const spike = series(0, { 88: 40, 89: 40, 90: 40, 91: 40 });
    const ctx = contextFor(keepaliveEvidence({ elb_502: sumOf(background, spike), elb_502_index: undefined }, {}, {}));

    expect(judgeKeepaliveRace(ctx)).toBeNull();
  });

  it('keeps the race when the only spike was hours before the asked time, calling it flat near the asked time', () => {
    const early = series(0, { 9: 40, 10: 40, 11: 40 });
    const ctx = contextFor(
      keepaliveEvidence({ elb_502: sumOf(background, early), elb_502_index: sumOf(ownShare, early) }),
    );

    const { finding } = judgeKeepaliveRace(ctx)!;

    expect(finding.reasons[0]).toBe(
      'The load balancer minted 840 502s itself (target status "-") in 04:11–07:11 AEST (18:11–21:11 UTC): ~4.7/min on average, at most 45/min — flat, no minute stands out from that baseline near the asked time.',
    );
  });

  it("sets aside a metrics-only spike that this index's targets, proxy and health do not show, and judges the rest", () => {
    const spike = series(0, { 88: 40, 89: 40, 90: 40, 91: 40 });
    const ctx = contextFor(
      keepaliveEvidence(
        {
          elb_502: sumOf(background, spike),
          elb_502_index: undefined,
          target_connection_errors: zero,
          unhealthy_hosts: zero,
          proxy_requests: series(120),
        },
        {},
        {},
      ),
    );

    const { finding } = judgeKeepaliveRace(ctx)!;

    expect(finding.reasons[0]).toBe(
      'The load balancer minted 880 502s itself (target status "-") in 04:11–07:11 AEST (18:11–21:11 UTC); leaving out a spike in 05:39–05:42 AEST (19:39–19:42 UTC) that acme\'s own target group does not show (below), the rest ran ~4/min on average, at most 5/min — flat, no minute stands out from that baseline before, during or after the asked time.',
    );
    expect(finding.facts.elb502Window).toBe(880);
  });

  it("leaves a neighbour's crash-loop out of the background and names it, with this index's own share in those minutes", () => {
    const own = wobble(2);
    const neighbourCrash = series(1, { 88: 30, 89: 40, 90: 35, 91: 30 });
    const third = series(1);
    const tenants = [
      tenant('prod_000_audio', own, true),
      tenant('prod_007_video', neighbourCrash),
      tenant('prod_003_catalog', third),
    ];
    const ctx = contextFor(
      keepaliveEvidence(
        { elb_502: sumOf(own, neighbourCrash, third), elb_502_index: own },
        {},
        { tenants, elb502TargetGroups: 3, targetGroupsSeen: 3 },
      ),
    );

    const { finding } = judgeKeepaliveRace(ctx)!;

    expect(finding.reasons[0]).toMatch(
      / in 04:11–07:11 AEST \(18:11–21:11 UTC\); leaving out prod_007_video's own burst \(below\), the rest ran ~4\/min on average/,
    );
    expect(finding.reasons).toContain(
      "prod_007_video had 135 LB-minted 502s in 05:39–05:42 AEST (19:39–19:42 UTC) (peak 40/min): its own targets were unreachable, another tenant's incident. acme had 8 LB-minted 502s in those minutes, about 8 expected at its usual ~2/min: no more than usual.",
    );
  });

  it("names a neighbour's burst of 10 LB-minted 502s in one minute, but not one of 9", () => {
    const judgeWithNeighbourAt = (count: number) => {
      const neighbour = series(0, { [ASKED_INDEX]: count });
      const tenants = [
        tenant('acme', ownShare, true),
        tenant('prod_007_video', neighbour),
        tenant('prod_003_catalog', series(3)),
      ];
      return judgeKeepaliveRace(
        contextFor(
          keepaliveEvidence(
            { elb_502: sumOf(background, neighbour) },
            {},
            { tenants, elb502TargetGroups: 3, targetGroupsSeen: 3 },
          ),
        ),
      )!.finding;
    };

    const ten = judgeWithNeighbourAt(10);
    const nine = judgeWithNeighbourAt(9);

    expect(ten.reasons[0]).toContain("leaving out prod_007_video's own burst (below)");
    expect(
      ten.reasons.some((r) =>
        r.startsWith('prod_007_video had 10 LB-minted 502s at 05:41 AEST (19:41 UTC) (peak 10/min)'),
      ),
    ).toBe(true);
    expect(nine.reasons[0]).not.toContain('leaving out');
  });

  it('judges flatness only over the minutes the logs covered, and says the asked minute was among the missing ones', () => {
    const hole: MinuteRange[] = [[minuteOf('19:25'), minuteOf('19:54')]];
    const gap = coveredExcept('the ALB access logs given miss 19:25–19:54 UTC', hole);
    const ctx = contextFor(
      keepaliveEvidence(
        { elb_502: withHoles(background, hole), elb_502_index: withHoles(ownShare, hole) },
        { elb_502: gap, elb_502_index: gap },
      ),
    );

    const result = judgeKeepaliveRace(ctx)!;

    expect(result.finding.reasons[0]).toBe(
      'The load balancer minted 600 502s itself (target status "-") in 04:11–05:24 AEST (18:11–19:24 UTC) and 05:55–07:10 AEST (19:55–21:10 UTC): ~4/min on average, at most 5/min — flat, no minute stands out from that baseline over the minutes the logs cover; 05:25–05:54 AEST (19:25–19:54 UTC) is not covered, the asked minute among them.',
    );
    expect(result.relevance).toBe(2);
  });

  it('says "are not covered" for two holes away from the asked minute', () => {
    const holes: MinuteRange[] = [
      [minuteOf('18:21'), minuteOf('18:25')],
      [minuteOf('20:30'), minuteOf('20:34')],
    ];
    const gaps = coveredExcept('the ALB access logs given miss two 5-minute files', holes);
    const ctx = contextFor(
      keepaliveEvidence(
        { elb_502: withHoles(background, holes), elb_502_index: withHoles(ownShare, holes) },
        { elb_502: gaps, elb_502_index: gaps },
      ),
    );

    const { finding } = judgeKeepaliveRace(ctx)!;

    expect(finding.reasons[0]).toMatch(
      / — flat, no minute stands out from that baseline over the minutes the logs cover; 04:21–04:25 AEST \(18:21–18:25 UTC\) and 06:30–06:34 AEST \(20:30–20:34 UTC\) are not covered\.$/,
    );
  });
});
