import { beforeAll, describe, expect, it } from 'vitest';
import { answerClaim, requestCeiling } from '../../src/ask/answer-claim.js';
import { plainTextOf } from '../../src/ask/answer-document.js';
import type { ClaimQuestion } from '../../src/ask/follow-up-question.js';
import { followUpContextFor, parseFollowUp } from '../../src/ask/parse-follow-up.js';
import type { ReportJson } from '../../src/core/report.js';
import { formatterOfReport } from '../../src/grammar/formatters.js';
import { loadDemoReport } from '../render/support/demo-report.js';

function claimOf(report: ReportJson, text: string): ClaimQuestion {
  const question = parseFollowUp(text, followUpContextFor(report, new Date('2026-06-18T23:00:00Z')));
  if (question.kind !== 'claim') throw new Error(`"${text}" is not a claim: ${JSON.stringify(question)}`);
  return question;
}

/** The most requests in any `period` consecutive minutes of the report, counted here the plain way. */
function busiestStretch(report: ReportJson, period: number): number {
  const counts = report.signals.requests!.perMinute.map((p) => p.count);
  let most = 0;
  for (let i = 0; i + period <= counts.length; i++)
    most = Math.max(
      most,
      counts.slice(i, i + period).reduce((a, b) => a + b, 0),
    );
  return most;
}

describe('answerClaim on the demo report', () => {
  let demo: ReportJson;
  beforeAll(async () => {
    demo = await loadDemoReport();
  });

  it('finds "537k 502s" impossible: the index served 31,827 requests in the window', () => {
    const answer = answerClaim(demo, claimOf(demo, 'claim 537k 502s'), formatterOfReport(demo));

    expect({
      verdict: answer.verdict,
      ceiling: answer.requests.ceiling,
      times: answer.timesCeiling,
      measured: answer.measured,
      period: answer.periodMinutes,
      scaled: answer.scaled,
    }).toEqual({
      verdict: 'impossible',
      ceiling: 31_827,
      times: 537_000 / 31_827,
      measured: { status: 'ok', value: 163 },
      period: 180,
      scaled: false,
    });
    expect(answer.requests.perSecondAverage).toBeCloseTo(31_827 / 10_800, 10);
    expect(answer.requests.perSecondBusiestMinute).toBeCloseTo(336 / 60, 10);
    expect(plainTextOf(answer.document)).toBe(
      [
        'Claim check · 537k 502s in 3 h (the window) · prod_000_audio',
        '537,000 502s in 3 h: that cannot be HTTP responses from us.',
        'prod_000_audio served 31,827 requests in 04:11–07:11 AEST (18:11–21:11 UTC) (2.9 a second on average, 5.6 in its busiest minute). The most 502s it could have given in that time is 31,827, every request failing. 537,000 is about 17 times that. Even the whole load balancer, all tenants, served 83,400 requests in that time.',
        'Measured 502s in the window: 163, 1 in 195 requests (0.51 %). Over the whole window: 163 LB-minted, 0 from the targets.',
        'Our rate limit answered 1,047 requests with 429 in the window: a dashboard may count those as errors.',
        'Ask what their figure counts (requests, retries, page views or widget refreshes, events in their own tooling) and over which period.',
        'Checked against the evidence this thread already gathered for 04:11–07:11 AEST (18:11–21:11 UTC); no new queries.',
      ].join('\n'),
    );
  });

  it('scales to a longer period and says so: the window plus its busiest minute for every minute beyond it', () => {
    const answer = answerClaim(demo, claimOf(demo, 'claim 537k 502s over 4h'), formatterOfReport(demo));

    expect({
      verdict: answer.verdict,
      ceiling: answer.requests.ceiling,
      atAverage: answer.requests.atAverageRate,
      measured: answer.measured,
      scaled: answer.scaled,
    }).toEqual({
      verdict: 'impossible',
      ceiling: 31_827 + 336 * 60,
      atAverage: Math.round((31_827 * 240) / 180),
      measured: { status: 'ok', value: Math.round((163 * 240) / 180) },
      scaled: true,
    });
    expect(plainTextOf(answer.document)).toContain(
      "Scaled to 4 h: about 42,436 at its average rate, and at most 51,987 even at its busiest minute's rate (336 a minute) for the 1 h not gathered. 537,000 is about 10 times that.",
    );
  });

  it('compares a shorter period with the busiest stretch of that length, and names the count a figure is close to', () => {
    const answer = answerClaim(demo, claimOf(demo, 'claim 1000 errors over 1h'), formatterOfReport(demo));

    expect({ verdict: answer.verdict, ceiling: answer.requests.ceiling, nearest: answer.nearest }).toEqual({
      verdict: 'matches',
      ceiling: busiestStretch(demo, 60),
      nearest: { what: "the index's 429s (rate limited)", value: 1_047 },
    });
  });

  it("measures over the window, and says so, when the targets' 502s have no per-minute split by code", () => {
    const report = structuredClone(demo);
    const target = report.signals.target_5xx!;
    report.signals.target_5xx = {
      ...target,
      window: 40,
      byCode: { '502': 30, '500': 10 },
      perMinute: target.perMinute.map((p, i) => ({ ...p, count: i < 40 ? 1 : 0 })),
    };

    const answer = answerClaim(report, claimOf(report, 'claim 200 502s over 1h'), formatterOfReport(report));

    expect({ measured: answer.measured, over: answer.measuredOver }).toEqual({
      measured: { status: 'ok', value: 163 + 30 },
      over: 'window',
    });
    expect(plainTextOf(answer.document)).toContain(
      'Measured 502s in the window: 193, 1 in 165 requests (0.61 %). Over the whole window: 163 LB-minted, 30 from the targets.',
    );
  });

  it('finds a figure close to the requests "more than we measured", and says what it may count', () => {
    const answer = answerClaim(demo, claimOf(demo, 'claim 30k'), formatterOfReport(demo));

    expect({ verdict: answer.verdict, measured: answer.measured, nearest: answer.nearest }).toEqual({
      verdict: 'more_than_measured',
      measured: { status: 'ok', value: 163 + 1_047 },
      nearest: { what: "the index's requests", value: 31_827 },
    });
  });

  it('finds 10 503s more than the 0 measured, and fewer 502s than measured fewer', () => {
    const verdicts = ['claim 10 503s', 'claim 40 502s', 'claim 150 502s'].map(
      (text) => answerClaim(demo, claimOf(demo, text), formatterOfReport(demo)).verdict,
    );

    expect(verdicts).toEqual(['more_than_measured', 'fewer_than_measured', 'matches']);
  });

  it("bounds the figure by the whole load balancer's requests when the index's were not measured", () => {
    const report = structuredClone(demo);
    const unmeasured = {
      status: 'unavailable' as const,
      scope: 'index' as const,
      reason: 'no ALB access logs given (--alb-logs)',
      window: null,
      atMinute: null,
      peak: null,
      perMinute: [],
    };
    report.signals.requests = unmeasured;
    report.signals.proxy_requests = { ...unmeasured, reason: 'no proxy logs given (--proxy-logs)' };

    const answer = answerClaim(report, claimOf(report, 'claim 537k 502s'), formatterOfReport(report));

    expect({ verdict: answer.verdict, scope: answer.requests.scope, ceiling: answer.requests.ceiling }).toEqual({
      verdict: 'impossible',
      scope: 'loadBalancer',
      ceiling: 83_400,
    });
    expect(plainTextOf(answer.document)).toContain(
      "The index's own requests were not measured; the whole load balancer, all tenants, served 83,400 requests in",
    );
  });

  it('has no ceiling when no requests at all were measured, and says so instead of guessing', () => {
    const report = structuredClone(demo);
    for (const name of ['requests', 'proxy_requests', 'lb_requests']) {
      report.signals[name] = {
        status: 'unavailable',
        scope: 'index',
        reason: 'no ALB access logs given (--alb-logs)',
        window: null,
        atMinute: null,
        peak: null,
        perMinute: [],
      };
    }

    const answer = answerClaim(report, claimOf(report, 'claim 537k 502s'), formatterOfReport(report));

    expect({ verdict: answer.verdict, ceiling: answer.requests.ceiling }).toEqual({
      verdict: 'more_than_measured',
      ceiling: null,
    });
    expect(plainTextOf(answer.document)).toContain(
      'No requests were measured (no ALB access logs given (--alb-logs)), so there is no ceiling to check the figure against.',
    );
  });
});

describe('requestCeiling', () => {
  it('is the busiest stretch for a shorter period, the total for the window, and adds the busiest minute beyond it', () => {
    const perMinute = [10, 30, 20, 5, 40];

    expect([requestCeiling(perMinute, 2), requestCeiling(perMinute, 5), requestCeiling(perMinute, 7)]).toEqual([
      50,
      105,
      105 + 2 * 40,
    ]);
  });

  it('counts a minute the logs missed at the busiest minute, so the ceiling stays a ceiling', () => {
    expect(requestCeiling([10, null, 20], 3)).toBe(10 + 20 + 20);
  });
});
