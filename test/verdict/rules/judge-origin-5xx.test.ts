import { describe, expect, it } from 'vitest';
import type { EvidenceContext, SignalName, SignalSeries } from '../../../src/core/types.js';
import { judgeOrigin5xx } from '../../../src/verdict/rules/judge-origin-5xx.js';
import { burst, contextFor, evidenceWith, minuteOf, series } from '../../support/evidence-builder.js';

const zero = series(0);
/** An application incident: 240 5xx in 19:37–19:44 UTC, peak 60/min at 19:40, on 120 requests/min. */
const incident = burst(minuteOf('19:37'), [10, 25, 40, 60, 45, 30, 20, 10]);
const PROXY_KEEPALIVE_ADVICE =
  "Make the application's keep-alive (idle) timeout longer than the proxy's idle timeout for upstream connections: HAProxy \"timeout http-keep-alive\"/\"timeout server\", Traefik serversTransport idleConnTimeout (90 s by default), Envoy's upstream idle_timeout (1 h by default), nginx keepalive_timeout in the upstream block — or lower the proxy's below the application's.";

type Breakdown = Pick<SignalSeries, 'byCode' | 'byTermination'>;

/** The proxy's 5xx (with its codes and termination keys) and the ALB's target 5xx, which may differ. */
function originEvidence(
  origin: number[],
  breakdown: Breakdown,
  options: {
    target5xx?: number[] | undefined;
    origin?: Partial<SignalSeries>;
    context?: Partial<EvidenceContext>;
  } = {},
) {
  const target5xx = 'target5xx' in options ? options.target5xx : origin;
  const counts: Partial<Record<SignalName, number[]>> = {
    requests: series(120),
    origin_5xx: origin,
    throttled_429: zero,
    elb_502: series(4),
    elb_502_index: zero,
  };
  if (target5xx) counts.target_5xx = target5xx;
  return evidenceWith(
    counts,
    { origin_5xx: { source: 'HAProxy logs', ...breakdown, ...options.origin } },
    options.context,
  );
}

describe('judgeOrigin5xx', () => {
  it('calls a 5xx burst covering the asked minute a real application incident, high when the ALB agrees', () => {
    // Prepare
    const ctx = contextFor(
      originEvidence(incident, { byCode: { '500': 228, '503': 12 }, byTermination: { '----': 240 } }),
    );

    // Act
    const result = judgeOrigin5xx(ctx);

    // Assess
    expect(result?.finding).toEqual({
      kind: 'origin_5xx',
      headline:
        'The origin returned 5xx: 240 between 05:37–05:44 AEST (19:37–19:44 UTC) — a real application incident.',
      confidence: 'high',
      reasons: [
        "The origin proxy returned 240 5xx in 04:11–07:11 AEST (18:11–21:11 UTC) (500: 228, 503: 12) — 1.1 % of the index's 21,600 requests.",
        'They peaked in 05:37–05:44 AEST (19:37–19:44 UTC): 240 5xx, peak 60/min at 05:40 AEST (19:40 UTC), covering the asked time.',
        'The proxy passed them through from the application (termination "----"): the application answered 5xx itself.',
        'The ALB agrees independently: target 5xx 240.',
      ],
      advice: [
        "Check the application's logs, deploys and resource limits around 05:40 AEST (19:40 UTC) (mostly HTTP 500).",
        'Tell the customer it was on our side; clients should retry idempotent requests with backoff.',
      ],
      facts: {
        origin5xxWindow: 240,
        origin5xxPercent: 1.1,
        requestsWindow: 21_600,
        topCode: '500',
        burstStart: '2026-06-18T19:37:00Z',
        burstEnd: '2026-06-18T19:44:00Z',
        peakCount: 60,
        peakMinute: '2026-06-18T19:40:00Z',
      },
    });
    expect(result?.relevance).toBeCloseTo(3 + Math.log10(241) / 100, 6);
  });

  it('agrees with the ALB within 5 % (or 5), and says the sources disagree just outside it, at medium confidence', () => {
    const withAlbCount = (total: number) =>
      originEvidence(
        incident,
        { byCode: { '500': 240 } },
        { target5xx: burst(minuteOf('19:37'), [10, 25, 40, 60 - (240 - total), 45, 30, 20, 10]) },
      );

    const agrees = judgeOrigin5xx(contextFor(withAlbCount(228)))!.finding;
    const disagrees = judgeOrigin5xx(contextFor(withAlbCount(227)))!.finding;

    expect(agrees.reasons[2]).toBe('The ALB agrees independently: target 5xx 228.');
    expect(agrees.confidence).toBe('high');
    expect(disagrees.reasons[2]).toBe("The sources disagree: the ALB counted 227 target 5xx against the proxy's 240.");
    expect(disagrees.confidence).toBe('medium');
  });

  it('names Google\'s load balancer as "the load balancer" in the cross-check', () => {
    const ctx = contextFor(
      originEvidence(incident, { byCode: { '500': 240 } }, { context: { stack: { loadBalancer: 'gcp' } } }),
    );

    const { finding } = judgeOrigin5xx(ctx)!;

    expect(finding.reasons[2]).toBe('The load balancer agrees independently: target 5xx 240.');
  });

  it('calls a steady trickle present at the asked minute an application problem, medium when confirmed', () => {
    const ctx = contextFor(originEvidence(series(2), { byCode: { '500': 360 }, byTermination: { '----': 360 } }));

    const result = judgeOrigin5xx(ctx)!;

    expect(result.finding.headline).toBe(
      'The origin returns a steady trickle of 5xx (360 in the window) — an application problem, not the load balancer.',
    );
    expect(result.finding.reasons.slice(0, 2)).toEqual([
      "The origin proxy returned 360 5xx in 04:11–07:11 AEST (18:11–21:11 UTC) (500: 360) — 1.7 % of the index's 21,600 requests.",
      'A steady ~2/min with no burst; 2 at 05:41 AEST (19:41 UTC).',
    ]);
    expect(result.finding.advice[0]).toBe(
      "Check the application's logs, deploys and resource limits around 05:41 AEST (19:41 UTC) (mostly HTTP 500).",
    );
    expect(result.finding.confidence).toBe('medium');
    expect(result.relevance).toBe(2);
  });

  it('calls a flat trickle of HAProxy SH-- 502s the keep-alive race between the proxy and the application', () => {
    const ctx = contextFor(originEvidence(series(2), { byCode: { '502': 360 }, byTermination: { 'SH--': 360 } }));

    const { finding } = judgeOrigin5xx(ctx)!;

    expect(finding.headline).toBe(
      'The proxy minted a steady trickle of 5xx (360 in the window): the keep-alive race between the proxy and the application, not the load balancer.',
    );
    expect(finding.reasons.slice(2)).toEqual([
      'Most were minted by the proxy (SH--): the application closed the connection or crashed before sending headers.',
      'The ALB agrees independently: target 5xx 360.',
      'A flat trickle of connections the application closed before answering is the keep-alive race between the proxy and the application: the application dropped idle connections the proxy was about to reuse.',
    ]);
    expect(finding.advice).toEqual([
      PROXY_KEEPALIVE_ADVICE,
      "Check the application's logs, deploys and resource limits around 05:41 AEST (19:41 UTC) (mostly HTTP 502).",
      'Tell the customer it was on our side; clients should retry idempotent requests with backoff.',
    ]);
  });

  it("reads Envoy's UC (upstream connection termination) 503s the same way", () => {
    const ctx = contextFor(originEvidence(series(2), { byCode: { '503': 360 }, byTermination: { UC: 360 } }));

    const { finding } = judgeOrigin5xx(ctx)!;

    expect(finding.headline).toBe(
      'The proxy minted a steady trickle of 5xx (360 in the window): the keep-alive race between the proxy and the application, not the load balancer.',
    );
    expect(finding.reasons[2]).toBe(
      'Most were minted by the proxy itself (UC): the application closed or reset the connection before sending headers.',
    );
    expect(finding.advice[0]).toBe(PROXY_KEEPALIVE_ADVICE);
  });

  it('calls Traefik\'s own "Bad Gateway" trickle most likely the race, since its log does not say reset or refused', () => {
    const ctx = contextFor(
      originEvidence(series(2), {
        byCode: { '502': 360 },
        byTermination: { 'answered-by:proxy-upstream-failure': 360 },
      }),
    );

    const { finding } = judgeOrigin5xx(ctx)!;

    expect(finding.headline).toBe(
      'The proxy minted a steady trickle of 5xx (360 in the window): most likely the keep-alive race between the proxy and the application, not the load balancer.',
    );
    expect(finding.reasons[2]).toBe(
      'Most were minted by the proxy itself: the application failed (closed, reset or refused the connection; this log does not say which).',
    );
    expect(finding.reasons[4]).toBe(
      'A flat trickle of errors the proxy made itself, with no burst, is most often the keep-alive race between the proxy and the application (this log does not say whether the connection was reset or refused).',
    );
  });

  it("does not call failed connects, queue timeouts or the proxy's own overload a keep-alive race", () => {
    const judgeKey = (key: string) =>
      judgeOrigin5xx(contextFor(originEvidence(series(2), { byCode: { '503': 360 }, byTermination: { [key]: 360 } })))!
        .finding;

    const refused = judgeKey('SC--');
    const queued = judgeKey('sQ--');
    const overloaded = judgeKey('OM');
    const connectFailed = judgeKey('answered-by:proxy-upstream-failure:connect');

    expect(refused.reasons[2]).toBe(
      'Most were minted by the proxy (SC--): the application refused the connection, or no server was available.',
    );
    expect(queued.reasons[2]).toBe('Most were minted by the proxy (sQ--): requests timed out in the proxy queue.');
    expect(overloaded.reasons[2]).toBe(
      'Most were minted by the proxy (OM): it failed by itself (its own resources or overload), not the application.',
    );
    expect(connectFailed.reasons[2]).toBe(
      'Most were minted by the proxy itself: it could not connect to the application (refused, unreachable, or a connect timeout).',
    );
    for (const finding of [refused, queued, overloaded, connectFailed]) {
      expect(finding.headline).toBe(
        'The origin returns a steady trickle of 5xx (360 in the window) — an application problem, not the load balancer.',
      );
      expect(finding.advice).not.toContain(PROXY_KEEPALIVE_ADVICE);
    }
  });

  it("calls a flat 10/min of SH-- the proxy's keep-alive race, but not 11/min", () => {
    const ten = judgeOrigin5xx(
      contextFor(originEvidence(series(10), { byCode: { '502': 1800 }, byTermination: { 'SH--': 1800 } })),
    )!.finding;
    const eleven = judgeOrigin5xx(
      contextFor(originEvidence(series(11), { byCode: { '502': 1980 }, byTermination: { 'SH--': 1980 } })),
    )!.finding;

    expect(ten.headline).toMatch(
      /^The proxy minted a steady trickle of 5xx \(1,800 in the window\): the keep-alive race/,
    );
    expect(eleven.headline).toBe(
      'The origin returns a steady trickle of 5xx (1,980 in the window) — an application problem, not the load balancer.',
    );
  });

  it('calls a burst of SH-- an incident, not the race', () => {
    const ctx = contextFor(originEvidence(incident, { byCode: { '502': 240 }, byTermination: { 'SH--': 240 } }));

    const { finding } = judgeOrigin5xx(ctx)!;

    expect(finding.headline).toBe(
      'The origin returned 5xx: 240 between 05:37–05:44 AEST (19:37–19:44 UTC) — a real application incident.',
    );
    expect(finding.advice).not.toContain(PROXY_KEEPALIVE_ADVICE);
  });

  it('leaves 504-dominated origin errors to origin_timeout: null at half 504s, a finding just below half', () => {
    const half = contextFor(originEvidence(incident, { byCode: { '504': 120, '500': 120 } }));
    const justBelowHalf = contextFor(originEvidence(incident, { byCode: { '504': 119, '500': 121 } }));

    expect(judgeOrigin5xx(half)).toBeNull();
    expect(judgeOrigin5xx(justBelowHalf)?.finding.facts.topCode).toBe('500');
  });

  it('returns null when the origin returned no 5xx, and when no view of the origin was measured', () => {
    const clean = contextFor(originEvidence(zero, {}));
    const unmeasured = contextFor(evidenceWith({ requests: series(120), elb_502: series(4) }));

    expect(judgeOrigin5xx(clean)).toBeNull();
    expect(judgeOrigin5xx(unmeasured)).toBeNull();
  });

  it("uses the ALB's complete target 5xx when the proxy logs stop before the asked minute, without a cross-check", () => {
    const ctx = contextFor(
      originEvidence(
        incident.map((n, i) => (i >= 49 ? 0 : n)),
        {},
        {
          target5xx: incident,
          origin: { status: 'partial', reason: 'the proxy logs cover 18:11–18:59 UTC only', uncovered: [[49, 179]] },
        },
      ),
    );

    const { finding } = judgeOrigin5xx(ctx)!;

    expect(finding.reasons[0]).toBe(
      "The targets returned 240 5xx in 04:11–07:11 AEST (18:11–21:11 UTC) — 1.1 % of the index's 21,600 requests.",
    );
    expect(finding.reasons.join('\n')).not.toContain('agrees independently');
    expect(finding.confidence).toBe('medium');
  });

  it("uses the ALB's target 5xx when there are no proxy logs at all", () => {
    const ctx = contextFor(
      originEvidence(incident, {}, { origin: { status: 'unavailable', counts: null, reason: 'no proxy logs given' } }),
    );

    const { finding } = judgeOrigin5xx(ctx)!;

    expect(finding.reasons[0]).toMatch(/^The targets returned 240 5xx in /);
  });

  it('calls a burst an hour before the asked time low-relevance context', () => {
    const ctx = contextFor(originEvidence(burst(minuteOf('18:21'), [30, 50, 40, 20]), { byCode: { '500': 140 } }));

    const result = judgeOrigin5xx(ctx)!;

    expect(result.finding.reasons[1]).toBe(
      'They peaked in 04:21–04:24 AEST (18:21–18:24 UTC): 140 5xx, peak 50/min at 04:22 AEST (18:22 UTC), ending 77 minutes before the asked time.',
    );
    expect(result.finding.confidence).toBe('low');
    expect(result.relevance).toBeCloseTo(0.4, 6);
  });
});
