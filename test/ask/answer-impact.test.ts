import { beforeAll, describe, expect, it } from 'vitest';
import { plainTextOf } from '../../src/ask/answer-document.js';
import { answerImpact } from '../../src/ask/answer-impact.js';
import { formatCount } from '../../src/core/format-number.js';
import type { ReportJson, SignalJson } from '../../src/core/report.js';
import { formatterOfReport } from '../../src/grammar/formatters.js';
import { loadDemoReport } from '../render/support/demo-report.js';

/** A signal as CloudWatch mode reports it when it has no per-target-group count: no numbers at all. */
function unavailableSignal(signal: SignalJson, reason: string): SignalJson {
  return {
    status: 'unavailable',
    scope: signal.scope,
    reason,
    window: null,
    atMinute: null,
    peak: null,
    perMinute: [],
  };
}

describe('answerImpact', () => {
  let demo: ReportJson;
  beforeAll(async () => {
    demo = await loadDemoReport();
  });

  it("gives the demo's requests, 5xx split by who minted them and by code, the rate and the worst minute", () => {
    // Act
    const { index, loadBalancer } = answerImpact(demo, formatterOfReport(demo));

    // Assess: every figure from the report's own signals
    const ok = (value: number) => ({ status: 'ok', value });
    expect(index).toEqual({
      requests: ok(31_827),
      lbMinted: { total: ok(163), byCode: { '502': ok(163), '503': ok(0), '504': ok(0) } },
      target: { total: ok(0), byCode: { '502': ok(0), '503': ok(0), '504': ok(0) } },
      errors: ok(163),
      oneIn: 31_827 / 163,
      percent: (163 / 31_827) * 100,
      worstMinute: { minute: '2026-06-18T19:05:00Z', errors: 4, requests: 189 },
      throttled: ok(1_047),
    });
    expect(loadBalancer).toMatchObject({
      requests: ok(83_400),
      lbMinted: { total: ok(379), byCode: { '502': ok(379), '503': ok(0), '504': ok(0) } },
      target: {
        total: { status: 'unavailable', value: null, reason: 'measured for this index only, not load-balancer-wide' },
      },
      oneIn: 83_400 / 379,
      worstMinute: { minute: '2026-06-18T19:32:00Z', errors: 6, requests: 525 },
    });
  });

  it('says it the way the seed did: 1 in N, the 502-only signature, the worst minute', () => {
    const { document } = answerImpact(demo, formatterOfReport(demo));

    expect(plainTextOf(document)).toBe(
      [
        'Impact · prod_000_audio · 04:11–07:11 AEST (18:11–21:11 UTC)',
        'prod_000_audio: 163 of its 31,827 requests got a 5xx (1 in 195, 0.51 %), 163 of them minted by the load balancer itself.',
        'prod_000_audio',
        '• Requests: 31,827',
        '• 5xx in all: 163, 1 in 195 requests (0.51 %)',
        '• minted by the load balancer itself: 163 (502: 163 · 503: 0 · 504: 0)',
        '• returned by the targets: 0 (502: 0 · 503: 0 · 504: 0)',
        "• The load balancer's own 5xx are all 502s, no 503 or 504: connections reset on reuse, not a lack of healthy targets (503) or slow targets (504).",
        '• Worst minute: 05:05 AEST (19:05 UTC), 4 of 189 requests got a 5xx (2.1 %)',
        '• 429 rate limited: 1,047 (3.3 %): answered by the rate limit on purpose, not 5xx',
        'The load balancer, all tenants',
        '• Requests: 83,400',
        '• 5xx in all: 379, 1 in 220 requests (0.45 %)',
        '• minted by the load balancer itself: 379 (502: 379 · 503: 0 · 504: 0)',
        '• returned by the targets: unavailable (measured for this index only, not load-balancer-wide)',
        "• The load balancer's own 5xx are all 502s, no 503 or 504: connections reset on reuse, not a lack of healthy targets (503) or slow targets (504).",
        '• Worst minute: 05:32 AEST (19:32 UTC), 6 of 525 requests got a 5xx (1.1 %)',
        'From the evidence this thread already gathered (ALB access logs: complete; proxy logs: complete); no new queries.',
      ].join('\n'),
    );
  });

  it('says unavailable, never 0, for what CloudWatch metrics cannot split by target group', () => {
    // Prepare: the demo as metrics would give it, with no per-index LB-minted counts
    const reason = 'CloudWatch has no per-target-group count of LB-minted errors';
    const report = structuredClone(demo);
    for (const name of ['elb_502_index', 'elb_503_index', 'elb_504_index'])
      report.signals[name] = unavailableSignal(report.signals[name]!, reason);

    // Act
    const answer = answerImpact(report, formatterOfReport(report));

    // Assess
    expect({
      lbMinted: answer.index.lbMinted.total,
      errors: answer.index.errors,
      oneIn: answer.index.oneIn,
      worst: answer.index.worstMinute,
    }).toEqual({
      lbMinted: { status: 'unavailable', value: null, reason },
      errors: { status: 'unavailable', value: null, reason },
      oneIn: null,
      worst: null,
    });
    expect(plainTextOf(answer.document)).toContain(`• minted by the load balancer itself: unavailable (${reason})\n`);
    expect(plainTextOf(answer.document)).toContain('• Worst minute: unavailable\n');
  });

  it('counts a partial signal over the minutes it measured, and says so', () => {
    const report = structuredClone(demo);
    const requests = report.signals.requests!;
    const kept = requests.perMinute.filter(
      (p) => p.minute < '2026-06-18T19:30:00Z' || p.minute > '2026-06-18T19:44:00Z',
    );
    report.signals.requests = {
      ...requests,
      status: 'partial',
      reason: 'ALB files missing for 19:30–19:44 UTC',
      perMinute: kept,
      window: kept.reduce((s, p) => s + p.count, 0),
    };

    const answer = answerImpact(report, formatterOfReport(report));

    expect(answer.index.requests).toEqual({
      status: 'partial',
      value: kept.reduce((s, p) => s + p.count, 0),
      reason: 'ALB files missing for 19:30–19:44 UTC',
    });
    expect(answer.index.oneIn).toBeNull();
    expect(plainTextOf(answer.document)).toContain(
      `• Requests: ${formatCount(answer.index.requests.value!)} in the minutes measured (partial)\n`,
    );
  });
});
