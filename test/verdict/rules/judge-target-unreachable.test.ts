import { describe, expect, it } from 'vitest';
import type { EvidenceContext, SignalName, SignalSeries } from '../../../src/core/types.js';
import { judgeTargetUnreachable } from '../../../src/verdict/rules/judge-target-unreachable.js';
import {
  ASKED_INDEX,
  burst,
  contextFor,
  evidenceWith,
  minuteOf,
  series,
  sumOf,
  tenant,
  wobble,
} from '../../support/evidence-builder.js';

const zero = series(0);
/** The other tenants' LB-minted 502s: the seed's flat ~4/min (3 in the asked minute). */
const others = wobble(4);
/** This index's targets die at 19:39–19:43 UTC: 200 LB-minted 502s, peak 60/min in the asked minute. */
const indexCrash = burst(minuteOf('19:39'), [20, 45, 60, 50, 25]);
/** Its proxy, running on those targets, logs almost nothing meanwhile (65 requests instead of 600). */
const proxyGoesQuiet = series(120, { 88: 30, 89: 10, 90: 0, 91: 5, 92: 20 });
const ALB_DRAINING =
  'Make shutdowns graceful: a preStop delay and a deregistration delay longer than the longest request, and SIGTERM handling that drains connections.';
const RETRY = 'Clients should retry idempotent requests on 502 with backoff.';

type Counts = Partial<Record<SignalName, number[]>>;

/** Files mode: ALB access logs (with this index's own LB-minted 502s) and proxy logs. */
function filesEvidence(
  counts: Counts,
  overrides: Partial<Record<SignalName, Partial<SignalSeries>>> = {},
  context: Partial<EvidenceContext> = {},
) {
  return evidenceWith(
    {
      requests: series(120),
      proxy_requests: series(120),
      origin_5xx: zero,
      target_5xx: zero,
      lb_requests: series(60_000),
      ...counts,
    },
    { proxy_requests: { source: 'HAProxy logs' }, origin_5xx: { source: 'HAProxy logs' }, ...overrides },
    context,
  );
}

/** An index's own 502s in the asked minute over the other tenants' background plus `othersExtra`. */
function sharedMinute(own: number, othersExtra: number) {
  const index = series(0, { [ASKED_INDEX]: own });
  return filesEvidence({
    elb_502_index: index,
    elb_502: sumOf(others, index, series(0, { [ASKED_INDEX]: othersExtra })),
  });
}

describe("judgeTargetUnreachable: this index's own targets", () => {
  it("calls a burst of this index's LB-minted 502s while its proxy goes quiet unreachable targets, with high confidence", () => {
    // Prepare
    const ctx = contextFor(
      filesEvidence({ elb_502_index: indexCrash, elb_502: sumOf(others, indexCrash), proxy_requests: proxyGoesQuiet }),
    );

    // Act
    const result = judgeTargetUnreachable(ctx);

    // Assess
    expect(result?.finding).toEqual({
      kind: 'target_unreachable',
      headline:
        "The load balancer could not reach acme's targets: 200 LB-minted 502s for acme 05:39–05:43 AEST (19:39–19:43 UTC) — targets crashed, restarted or were drained.",
      confidence: 'high',
      reasons: [
        "200 LB-minted 502s for acme in 05:39–05:43 AEST (19:39–19:43 UTC) (peak 60/min at 05:41 AEST (19:41 UTC)), against ~0/min outside it, covering the asked time: 33.3 % of the index's requests in those minutes failed.",
        'The proxy went quiet: it logged 65 requests in those 5 minutes (10.8 % of its usual volume) while the load balancer counted 600.',
        "This index accounts for 90.5 % of the load balancer's 502s in those minutes: it is this tenant, not all tenants.",
        'The targets returned no 5xx themselves in those minutes: the errors were minted by the load balancer.',
      ],
      advice: [
        'Look for targets that died or restarted around 05:39 AEST (19:39 UTC): OOM kills, crash loops, deploys, scale-in (kubectl get events / ECS stopped tasks).',
        ALB_DRAINING,
        RETRY,
      ],
      facts: {
        scope: 'index',
        errorsWindow: 200,
        burstTotal: 200,
        baselinePerMinute: 0,
        failedPercent: 33.3,
        requestsWindow: 21_600,
        burstStart: '2026-06-18T19:39:00Z',
        burstEnd: '2026-06-18T19:43:00Z',
        peakCount: 60,
        peakMinute: '2026-06-18T19:41:00Z',
      },
    });
    expect(result?.relevance).toBeCloseTo(3 + Math.log10(201) / 100, 6);
  });

  it('is medium when nothing corroborates it: the proxy kept logging and no connection errors were measured', () => {
    const ownWithBackground = sumOf(wobble(1), indexCrash);
    const ctx = contextFor(filesEvidence({ elb_502_index: ownWithBackground, elb_502: sumOf(others, indexCrash) }));

    const { finding } = judgeTargetUnreachable(ctx)!;

    expect(finding.confidence).toBe('medium');
    expect(finding.reasons[0]).toBe(
      "206 LB-minted 502s for acme in 05:39–05:43 AEST (19:39–19:43 UTC) (peak 60/min at 05:41 AEST (19:41 UTC)), against ~1/min outside it, covering the asked time: 34.3 % of the index's requests in those minutes failed.",
    );
    expect(finding.reasons.join('\n')).not.toContain('went quiet');
    expect(finding.facts.baselinePerMinute).toBe(1);
  });

  it('calls the proxy quiet at 70 % of its usual volume, but not at 71 %', () => {
    const proxyAt = (perMinute: number) =>
      series(120, { 88: perMinute, 89: perMinute, 90: perMinute, 91: perMinute, 92: perMinute });
    const judgeWithProxy = (perMinute: number) =>
      judgeTargetUnreachable(
        contextFor(
          filesEvidence({
            elb_502_index: indexCrash,
            elb_502: sumOf(others, indexCrash),
            proxy_requests: proxyAt(perMinute),
          }),
        ),
      )!.finding;

    const quiet = judgeWithProxy(84);
    const busy = judgeWithProxy(85);

    expect(quiet.reasons[1]).toBe(
      'The proxy went quiet: it logged 420 requests in those 5 minutes (70 % of its usual volume) while the load balancer counted 600.',
    );
    expect(quiet.confidence).toBe('high');
    expect(busy.reasons.join('\n')).not.toContain('went quiet');
    expect(busy.confidence).toBe('medium');
  });

  it('finds connection errors to the targets from CloudWatch metrics, high because the errors themselves corroborate it', () => {
    const connectionErrors = burst(minuteOf('19:39'), [12, 30, 25, 8]);
    const ctx = contextFor(
      evidenceWith({
        requests: series(120),
        target_5xx: zero,
        target_connection_errors: connectionErrors,
        elb_502: sumOf(others, connectionErrors),
      }),
    );

    const { finding } = judgeTargetUnreachable(ctx)!;

    expect(finding.headline).toBe(
      "The load balancer could not reach acme's targets: 75 connection errors to targets 05:39–05:42 AEST (19:39–19:42 UTC) — targets crashed, restarted or were drained.",
    );
    expect(finding.reasons).toEqual([
      "75 connection errors to targets in 05:39–05:42 AEST (19:39–19:42 UTC) (peak 30/min at 05:40 AEST (19:40 UTC)), against ~0/min outside it, covering the asked time: 15.6 % of the index's requests in those minutes failed.",
      'The targets returned no 5xx themselves in those minutes: the errors were minted by the load balancer.',
    ]);
    expect(finding.confidence).toBe('high');
    expect(finding.facts.connectionErrorsWindow).toBe(75);
  });

  it("speaks Google Cloud on a GCP stack: LB-minted errors and the backend service's connection draining", () => {
    const ctx = contextFor(
      filesEvidence(
        { elb_502_index: indexCrash, elb_502: sumOf(others, indexCrash), proxy_requests: proxyGoesQuiet },
        {},
        { stack: { loadBalancer: 'gcp' } },
      ),
    );

    const { finding } = judgeTargetUnreachable(ctx)!;

    expect(finding.headline).toBe(
      "The load balancer could not reach acme's targets: 200 LB-minted errors for acme 05:39–05:43 AEST (19:39–19:43 UTC) — targets crashed, restarted or were drained.",
    );
    expect(finding.reasons[2]).toBe(
      "This index accounts for 90.5 % of the load balancer's errors in those minutes: it is this tenant, not all tenants.",
    );
    expect(finding.advice[1]).toBe(
      "Make shutdowns graceful: set the backend service's connectionDraining.drainingTimeoutSec above the longest request, give pods a preStop delay, and with container-native load balancing (NEGs) let the endpoint leave the NEG before the pod stops.",
    );
  });

  it("returns null when the index's LB-minted 502s and connection errors are a flat background and the load balancer shows no spike", () => {
    const ctx = contextFor(
      filesEvidence({ elb_502_index: wobble(1), elb_502: others, target_connection_errors: zero }),
    );

    expect(judgeTargetUnreachable(ctx)).toBeNull();
  });

  it('returns null when none of its signals was measured', () => {
    const ctx = contextFor(evidenceWith({ requests: series(120), origin_5xx: zero }));

    expect(judgeTargetUnreachable(ctx)).toBeNull();
  });
});

describe('judgeTargetUnreachable: this index among the tenants', () => {
  it("calls a minute in which every tenant's 502s rose a shared spike when the index had under half of them", () => {
    const ctx = contextFor(sharedMinute(10, 20));

    const result = judgeTargetUnreachable(ctx)!;

    expect(result.finding.headline).toBe(
      'A spike of LB-minted 502s across tenants 05:41 AEST (19:41 UTC), acme among them (30.3 % of them): the shared load balancer or ingress, or targets of several tenants, failed.',
    );
    expect(result.finding.reasons[1]).toBe(
      "This index accounts for only 30.3 % of the load balancer's 502s in those minutes: other tenants were hit as hard, so look at what they share.",
    );
    expect(result.finding.advice).toEqual([
      'Look at what the tenants share around that time: the ingress / proxy fleet behind the load balancer, a deploy or node drain that hit several target groups.',
      RETRY,
    ]);
    expect(result.finding.confidence).toBe('medium');
    expect(result.finding.facts.scope).toBe('loadBalancer');
    expect(result.relevance).toBeCloseTo((3 + Math.log10(11) / 100) * 0.9, 6);
  });

  it("keeps it this tenant's at exactly half, and calls it shared just below half", () => {
    const half = judgeTargetUnreachable(contextFor(sharedMinute(13, 10)))!.finding; // 13 of 3 + 10 + 13
    const belowHalf = judgeTargetUnreachable(contextFor(sharedMinute(13, 11)))!.finding; // 13 of 27

    expect(half.facts.scope).toBe('index');
    expect(half.reasons[1]).toBe(
      "This index accounts for 50 % of the load balancer's 502s in those minutes: mostly this tenant, others were hit too.",
    );
    expect(belowHalf.facts.scope).toBe('loadBalancer');
    expect(belowHalf.headline).toMatch(/acme among them \(48\.1 % of them\)/);
  });

  it('says "it is this tenant" from 80 % of the load balancer\'s 502s', () => {
    const ctx = contextFor(sharedMinute(12, 0)); // 12 of 15

    const { finding } = judgeTargetUnreachable(ctx)!;

    expect(finding.reasons[1]).toBe(
      "This index accounts for 80 % of the load balancer's 502s in those minutes: it is this tenant, not all tenants.",
    );
  });

  it("keeps a small share this tenant's when the others stayed at their usual background", () => {
    const ctx = contextFor(sharedMinute(11, 0)); // 11 of 14, the others at their usual 3

    const { finding } = judgeTargetUnreachable(ctx)!;

    expect(finding.reasons[1]).toBe(
      "This index accounts for 78.6 % of the load balancer's 502s in those minutes; the rest is the other tenants' usual background, which did not rise: it is this tenant.",
    );
    expect(finding.facts.scope).toBe('index');
  });

  it("names a neighbour's crash-loop as another tenant's incident, ranked as context, with this index's own share", () => {
    const own = wobble(1);
    const neighbourCrash = series(0, { 88: 30, 89: 40, 90: 35, 91: 30 });
    const rest = series(3);
    const tenants = [
      tenant('acme', own, true),
      tenant('prod_007_video', neighbourCrash),
      tenant('prod_003_catalog', rest),
    ];
    const ctx = contextFor(
      filesEvidence(
        { elb_502_index: own, elb_502: sumOf(own, neighbourCrash, rest) },
        {},
        { tenants, elb502TargetGroups: 3, targetGroupsSeen: 3 },
      ),
    );

    const result = judgeTargetUnreachable(ctx)!;

    expect(result.finding).toEqual({
      kind: 'target_unreachable',
      headline:
        "Another tenant's incident: prod_007_video's targets were unreachable 05:39–05:42 AEST (19:39–19:42 UTC) (135 LB-minted 502s), not acme's.",
      confidence: 'low',
      reasons: [
        'prod_007_video had 135 LB-minted 502s in 05:39–05:42 AEST (19:39–19:42 UTC) (peak 40/min at 05:40 AEST (19:40 UTC)), covering the asked time.',
        'acme had 4 LB-minted 502s in those minutes, about 4 expected at its usual ~1/min: no more than usual.',
      ],
      advice: [
        'If acme shares infrastructure with prod_007_video (nodes, ingress pods), check it for the same restarts.',
      ],
      facts: {
        scope: 'loadBalancer',
        errorsWindow: 855,
        burstStart: '2026-06-18T19:39:00Z',
        burstEnd: '2026-06-18T19:42:00Z',
        peakCount: 40,
        peakMinute: '2026-06-18T19:40:00Z',
        burstTotal: 135,
      },
    });
    expect(result.relevance).toBe(1);
  });
});

describe('judgeTargetUnreachable: a load-balancer-wide spike', () => {
  const spike = series(0, { 88: 40, 89: 40, 90: 40, 91: 40 });
  const lbWide = sumOf(others, spike); // 176 in 19:39–19:42 UTC, peak 45 at 19:40; 880 in the window

  it('calls a metrics-only spike nobody can attribute a low-confidence shared spike', () => {
    const ctx = contextFor(evidenceWith({ requests: series(120), target_5xx: zero, elb_502: lbWide }));

    const result = judgeTargetUnreachable(ctx)!;

    expect(result.finding.headline).toBe(
      'A spike of LB-minted 502s on the shared load balancer 05:39–05:42 AEST (19:39–19:42 UTC): targets behind it were unreachable.',
    );
    expect(result.finding.reasons).toEqual([
      'The load balancer minted 176 502s in 05:39–05:42 AEST (19:39–19:42 UTC) (peak 45/min at 05:40 AEST (19:40 UTC)) against a baseline of ~4/min, covering the asked time.',
      'The count is load-balancer-wide: which tenant cannot be told from the metric (no per-target-group ELB 502 metric).',
    ]);
    expect(result.finding.advice).toEqual([
      'Check the shared ingress and the targets of every tenant for restarts around that time.',
      RETRY,
    ]);
    expect(result.finding.confidence).toBe('low');
    expect(result.finding.facts).toMatchObject({
      scope: 'loadBalancer',
      errorsWindow: 880,
      burstStart: '2026-06-18T19:39:00Z',
      burstEnd: '2026-06-18T19:42:00Z',
      peakCount: 45,
    });
    expect(result.relevance).toBeCloseTo((3 + Math.log10(177) / 100) * 0.9, 6);
  });

  // Regression (was a bug): baselinePerMinute is the
  // mean over the whole window, burst included (880/180 = 4.9), while FACT_KEYS documents it as
  // "the usual rate outside the burst" (704/176 = 4) and the reason says "~4/min".
  it("gives the shared spike's baselinePerMinute as the usual rate outside the burst", () => {
    const ctx = contextFor(evidenceWith({ requests: series(120), target_5xx: zero, elb_502: lbWide }));

    const { finding } = judgeTargetUnreachable(ctx)!;

    expect(finding.facts.baselinePerMinute).toBe(4);
  });

  it("ranks it as activity elsewhere when this index's targets, health and proxy show nothing then", () => {
    const ctx = contextFor(
      evidenceWith({
        requests: series(120),
        proxy_requests: series(120),
        target_5xx: zero,
        target_connection_errors: zero,
        unhealthy_hosts: zero,
        elb_502: lbWide,
      }),
    );

    const result = judgeTargetUnreachable(ctx)!;

    expect(result.finding.reasons[2]).toBe(
      "acme's own target group shows nothing then: 0 connection errors to its targets, no rise in unhealthy targets, its proxy serving as usual — most likely another tenant's incident.",
    );
    expect(result.relevance).toBe(1);
  });

  it('does not clear the index when its unhealthy targets rose during the spike', () => {
    const ctx = contextFor(
      evidenceWith({
        requests: series(120),
        proxy_requests: series(120),
        target_5xx: zero,
        target_connection_errors: zero,
        unhealthy_hosts: series(0, { 89: 2 }),
        elb_502: lbWide,
      }),
    );

    const result = judgeTargetUnreachable(ctx)!;

    expect(result.finding.reasons).toHaveLength(2);
    expect(result.relevance).toBeCloseTo((3 + Math.log10(177) / 100) * 0.9, 6);
  });

  it("says the spike was mostly other tenants' when the index's own count shows only its usual few", () => {
    const ctx = contextFor(filesEvidence({ elb_502_index: wobble(1), elb_502: lbWide }));

    const result = judgeTargetUnreachable(ctx)!;

    expect(result.finding.headline).toBe(
      'A spike of LB-minted 502s on the shared load balancer 05:39–05:42 AEST (19:39–19:42 UTC): targets behind it were unreachable, mostly for other tenants.',
    );
    expect(result.finding.reasons.slice(1)).toEqual([
      'Only 4 of them were for acme: the spike is on other tenants or the shared ingress.',
      "acme's own target group shows nothing then: 4 LB-minted 502s of its own (about 4 usual), its proxy serving as usual — most likely another tenant's incident.",
    ]);
    expect(result.relevance).toBe(1);
  });

  it('returns null for a load-balancer-wide spike an hour away from the asked time', () => {
    const early = sumOf(others, series(0, { 20: 40, 21: 40, 22: 40 }));
    const ctx = contextFor(evidenceWith({ requests: series(120), target_5xx: zero, elb_502: early }));

    expect(judgeTargetUnreachable(ctx)).toBeNull();
  });
});
