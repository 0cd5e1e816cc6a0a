import { describe, expect, it } from 'vitest';
import type { EvidenceContext, SignalName, SignalSeries } from '../../../src/core/types.js';
import { describeEdgeLayer, judgeEdgeMinted } from '../../../src/verdict/rules/judge-edge.js';
import { burst, contextFor, evidenceWith, minuteOf, series } from '../../support/evidence-builder.js';

const zero = series(0);
const CLOUDFLARE: Partial<EvidenceContext> = { stack: { loadBalancer: 'alb', edge: 'cloudflare' } };
const CLOUDFRONT: Partial<EvidenceContext> = { stack: { loadBalancer: 'alb', edge: 'cloudfront' } };
/** Cloudflare could not connect (522) or timed out (524): 100 of its own 5xx in 19:39–19:42 UTC, peak 45/min at 19:40. */
const edgeMinted = burst(minuteOf('19:39'), [20, 45, 25, 10]);
/** Meanwhile the ALB logged only 95 of the index's usual 120 requests a minute. */
const albRequests = series(120, { 88: 30, 89: 10, 90: 15, 91: 40 });

type Counts = Partial<Record<SignalName, number[]>>;

function edgeEvidence(
  counts: Counts,
  overrides: Partial<Record<SignalName, Partial<SignalSeries>>> = {},
  context: Partial<EvidenceContext> = CLOUDFLARE,
) {
  return evidenceWith({ origin_5xx: zero, target_5xx: zero, elb_502: series(4), ...counts }, overrides, context);
}

describe('judgeEdgeMinted', () => {
  it('says Cloudflare could not reach the load balancer when it minted a burst of 52x while the ALB saw fewer requests', () => {
    // Prepare
    const ctx = contextFor(
      edgeEvidence(
        { requests: albRequests, edge_minted_5xx: edgeMinted },
        { edge_minted_5xx: { source: 'Cloudflare logs', byCode: { '522': 80, '524': 20 } } },
      ),
    );

    // Act
    const result = judgeEdgeMinted(ctx);

    // Assess
    expect(result?.finding).toEqual({
      kind: 'target_unreachable',
      headline:
        'Cloudflare could not reach the load balancer: it made 100 5xx itself in 05:39–05:42 AEST (19:39–19:42 UTC); those requests never reached our logs behind it.',
      confidence: 'high',
      reasons: [
        'Cloudflare answered 100 requests with a 5xx of its own in 04:11–07:11 AEST (18:11–21:11 UTC) (522: 80, 524: 20): it did not get a usable answer from the load balancer behind it.',
        'They clustered in 05:39–05:42 AEST (19:39–19:42 UTC) (peak 45/min at 05:40 AEST (19:40 UTC)), covering the asked time.',
        'The load balancer logged 95 requests for acme in those 4 minutes, against its usual ~120/min.',
      ],
      advice: [
        "Check the path from Cloudflare to the load balancer at that time: security groups or firewall allow-lists for Cloudflare's address ranges, the listener and its certificate, the origin's DNS name.",
        "Cloudflare's own codes say which: 521/522/523 a connection that failed, 524 a timeout, 525/526 TLS, 520 an empty or reset answer.",
      ],
      facts: {
        scope: 'edge',
        errorsWindow: 100,
        burstStart: '2026-06-18T19:39:00Z',
        burstEnd: '2026-06-18T19:42:00Z',
        peakCount: 45,
        peakMinute: '2026-06-18T19:40:00Z',
      },
    });
    expect(result?.relevance).toBeCloseTo(3 + Math.log10(101) / 100, 6);
  });

  it("names CloudFront and its Origin*Error codes on a CloudFront stack, medium without the ALB's request count", () => {
    const ctx = contextFor(
      edgeEvidence(
        { edge_minted_5xx: edgeMinted },
        { edge_minted_5xx: { byCode: { OriginConnectError: 100 } } },
        CLOUDFRONT,
      ),
    );

    const { finding } = judgeEdgeMinted(ctx)!;

    expect(finding.headline).toBe(
      'CloudFront could not reach the load balancer: it made 100 5xx itself in 05:39–05:42 AEST (19:39–19:42 UTC); those requests never reached our logs behind it.',
    );
    expect(finding.reasons[0]).toBe(
      'CloudFront answered 100 requests with a 5xx of its own in 04:11–07:11 AEST (18:11–21:11 UTC) (OriginConnectError: 100): it did not get a usable answer from the load balancer behind it.',
    );
    expect(finding.reasons).toHaveLength(2);
    expect(finding.confidence).toBe('medium');
  });

  it('says "in the window" when the edge\'s own 5xx were a steady trickle, and finds them missing behind it', () => {
    const ctx = contextFor(
      edgeEvidence(
        { requests: series(120), edge_requests: series(121), edge_minted_5xx: series(1) },
        { edge_minted_5xx: { byCode: { '520': 180 } } },
      ),
    );

    const result = judgeEdgeMinted(ctx)!;

    expect(result.finding.headline).toBe(
      'Cloudflare could not reach the load balancer: it made 180 5xx itself in the window; those requests never reached our logs behind it.',
    );
    expect(result.finding.reasons[1]).toBe(
      'Cloudflare saw 21,780 requests for acme in the window and the load balancer 21,600: 180 never reached it, about the 180 Cloudflare answered itself.',
    );
    expect(result.finding.confidence).toBe('medium');
    expect(result.relevance).toBe(2);
  });

  it('says the gap does not match, and stays low, when the edge saw no more requests than the load balancer', () => {
    const ctx = contextFor(
      edgeEvidence(
        { requests: series(120), edge_requests: series(120), edge_minted_5xx: series(1) },
        { edge_minted_5xx: { byCode: { '520': 180 } } },
      ),
    );

    const { finding } = judgeEdgeMinted(ctx)!;

    expect(finding.reasons[1]).toBe(
      'Cloudflare saw 21,600 requests for acme in the window and the load balancer 21,600: a gap of 0, not the 180 Cloudflare answered itself (the logs may cover different requests).',
    );
    expect(finding.confidence).toBe('low');
  });

  // Regression (was a bug): without a burst the span is the whole
  // window, so nothing is left "outside" it and the reason claims the index's usual rate is
  // ~0/min (a false zero) while the ALB logged 120 requests a minute.
  it("does not claim a usual ~0 requests/min when the edge's own 5xx had no burst", () => {
    const ctx = contextFor(
      edgeEvidence(
        { requests: series(120), edge_minted_5xx: series(1) },
        { edge_minted_5xx: { byCode: { '520': 180 } } },
      ),
    );

    const { finding } = judgeEdgeMinted(ctx)!;

    expect(finding.reasons.join('\n')).not.toContain('against its usual ~0/min');
  });

  // Regression (was a bug): a one-minute burst reads "in those minute".
  it('says "in that minute" for a one-minute burst of the edge\'s own 5xx', () => {
    const ctx = contextFor(
      edgeEvidence(
        { requests: series(120, { 90: 20 }), edge_minted_5xx: series(0, { 90: 100 }) },
        { edge_minted_5xx: { byCode: { '522': 100 } } },
      ),
    );

    const { finding } = judgeEdgeMinted(ctx)!;

    expect(finding.reasons[2]).toBe(
      'The load balancer logged 20 requests for acme in that minute, against its usual ~120/min.',
    );
  });

  it('returns null when the edge made no 5xx itself, and without edge logs', () => {
    const none = contextFor(edgeEvidence({ requests: series(120), edge_minted_5xx: zero }));
    const noEdgeLogs = contextFor(edgeEvidence({ requests: series(120) }));

    expect(judgeEdgeMinted(none)).toBeNull();
    expect(judgeEdgeMinted(noEdgeLogs)).toBeNull();
  });
});

describe('describeEdgeLayer', () => {
  /** The load balancer's own 502s for the index, and the 5xx Cloudflare passed on in the same minutes. */
  const lbMinted = burst(minuteOf('19:39'), [8, 20, 20]);
  const passed = burst(minuteOf('19:39'), [10, 20, 15]);

  it("matches the 5xx the edge passed on with the load balancer's own 502s, minute by minute", () => {
    const ctx = contextFor(edgeEvidence({ elb_502_index: lbMinted, edge_passed_5xx: passed, edge_minted_5xx: zero }));

    const layer = describeEdgeLayer(ctx);

    expect(layer).toBe(
      "Cloudflare passed 45 5xx from the load balancer on to the customer; it made none itself (no 52x). Minute by minute, 43 of them (95.6 %) line up with the load balancer's own LB-minted 502s for acme: the load balancer made them, Cloudflare passed them on.",
    );
  });

  it('says LB-minted errors on a Google Cloud load balancer', () => {
    const ctx = contextFor(
      edgeEvidence(
        { elb_502_index: lbMinted, edge_passed_5xx: passed, edge_minted_5xx: zero },
        {},
        { stack: { loadBalancer: 'gcp', edge: 'cloudflare' } },
      ),
    );

    expect(describeEdgeLayer(ctx)).toContain("line up with the load balancer's own LB-minted errors for acme");
  });

  it("points to the edge's own finding when it minted 5xx too, and skips the match without this index's LB-minted count", () => {
    const ctx = contextFor(edgeEvidence({ edge_passed_5xx: passed, edge_minted_5xx: edgeMinted }));

    expect(describeEdgeLayer(ctx)).toBe(
      'Cloudflare passed 45 5xx from the load balancer on to the customer; it made 100 itself (see its finding).',
    );
  });

  it("says the edge passed none and made none, in each edge's own terms", () => {
    const cloudflare = contextFor(edgeEvidence({ edge_passed_5xx: zero, edge_minted_5xx: zero }));
    const cloudfront = contextFor(edgeEvidence({ edge_passed_5xx: zero, edge_minted_5xx: zero }, {}, CLOUDFRONT));
    const mintedUnknown = contextFor(edgeEvidence({ edge_passed_5xx: zero }));

    expect(describeEdgeLayer(cloudflare)).toBe(
      'Cloudflare passed no 5xx on to the customer in the window; it made none itself (no 52x).',
    );
    expect(describeEdgeLayer(cloudfront)).toBe(
      'CloudFront passed no 5xx on to the customer in the window; it made none itself (no Origin*Error).',
    );
    expect(describeEdgeLayer(mintedUnknown)).toBe('Cloudflare passed no 5xx on to the customer in the window.');
  });

  it('returns null without edge logs', () => {
    const ctx = contextFor(edgeEvidence({ elb_502_index: lbMinted }));

    expect(describeEdgeLayer(ctx)).toBeNull();
  });
});
