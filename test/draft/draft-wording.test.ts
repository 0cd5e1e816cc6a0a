import { describe, expect, it } from 'vitest';
import type { FindingJson } from '../../src/core/report.js';
import type { VerdictKind } from '../../src/core/types.js';
import { findUngroundedNumbers } from '../../src/draft/grounding.js';
import { buildTemplateDraft, DRAFT_TONES } from '../../src/draft/template-draft.js';
import { findingOf, fixedZoneFormatter, KEEPALIVE_FINDING, seedReport, THROTTLING_FINDING } from './draft-fixtures.js';

const fmt = fixedZoneFormatter();

/** The report of the seed incident with only `findings` (the first is the verdict). */
function reportWith(...findings: FindingJson[]) {
  return seedReport({ verdict: findings[0]!, findings });
}

/** The bullet lines of a draft, without the "- ". */
function bulletsOf(draft: string): string[] {
  return draft
    .split('\n')
    .filter((line) => line.startsWith('- '))
    .map((line) => line.slice(2));
}

/** A burst of the single minute 05:41 AEST (19:41 UTC), the asked minute. */
const ONE_MINUTE = {
  burstStart: '2026-06-18T19:41:00Z',
  burstEnd: '2026-06-18T19:41:00Z',
  peakMinute: '2026-06-18T19:41:00Z',
  peakCount: 812,
};

const ONE_MINUTE_FINDINGS: Array<[VerdictKind, FindingJson]> = [
  [
    'throttling_429',
    findingOf('throttling_429', {
      ...ONE_MINUTE,
      throttledWindow: 900,
      throttledPercent: 0.4,
      minutesBeforeAsked: 0,
      origin5xxWindow: 0,
    }),
  ],
  ['origin_5xx', findingOf('origin_5xx', { ...ONE_MINUTE, origin5xxWindow: 30, origin5xxPercent: 0.2 })],
  ['target_unreachable', findingOf('target_unreachable', { ...ONE_MINUTE, errorsWindow: 40, baselinePerMinute: 0.2 })],
  [
    'origin_timeout',
    findingOf('origin_timeout', { ...ONE_MINUTE, elb504Window: 12, slowWindow: 30, slowRequestSeconds: 2 }),
  ],
  ['no_healthy_targets', findingOf('no_healthy_targets', { ...ONE_MINUTE, elb503Window: 812 })],
];

/** The keep-alive race with other facts: KEEPALIVE_FINDING is the seed's (20 tenants, 0.0065 %). */
function keepalive(facts: FindingJson['facts']): FindingJson {
  return { ...KEEPALIVE_FINDING, facts };
}

/** The draft in every tone, with the finding as the main one and as a second one after the 429s. */
function everyDraftOf(finding: FindingJson): string[] {
  return DRAFT_TONES.flatMap((tone) =>
    [reportWith(finding), reportWith(THROTTLING_FINDING, finding)].map((report) =>
      buildTemplateDraft(report, fmt, { tone }),
    ),
  );
}

describe('the customer draft of a one-minute burst', () => {
  describe.each(ONE_MINUTE_FINDINGS)('in the %s template', (_kind, finding) => {
    it.each(DRAFT_TONES)(
      'names the minute once, never "between 05:41 and 05:41" nor a peak inside it, in the %s tone',
      (tone) => {
        const drafts = [reportWith(finding), reportWith(THROTTLING_FINDING, finding)].map((report) =>
          buildTemplateDraft(report, fmt, { tone }),
        );

        for (const draft of drafts) {
          expect(draft).not.toMatch(/between (\d{2}:\d{2}) and \1/i);
          expect(draft).not.toMatch(/peaking at [\d,]+ in the minute of 05:41/);
        }
        // The shorter tone may leave the time out; the others name it.
        if (tone !== 'shorter') for (const draft of drafts) expect(draft).toMatch(/in the minute of 05:41/i);
      },
    );

    it.each(DRAFT_TONES)('writes only numbers the evidence backs, in the %s tone', (tone) => {
      const report = reportWith(finding);

      const draft = buildTemplateDraft(report, fmt, { tone });

      expect(findUngroundedNumbers(draft, { templateDraft: '', report, fmt })).toEqual([]);
    });
  });

  it('reads "In the minute of 05:41, 812 of your requests …" for a one-minute 429 burst', () => {
    const report = reportWith(ONE_MINUTE_FINDINGS[0]![1]);

    const bullets = bulletsOf(buildTemplateDraft(report, fmt));

    expect(bullets[1]).toBe(
      "In the minute of 05:41, 812 of your requests went above your plan's rate limit and were answered with HTTP 429 (Too Many Requests). Over the whole period that was about 0.4 % of your requests (900 in total). These are the errors your dashboard shows near 05:41.",
    );
  });

  it('keeps "Between 05:29 and 05:40" and the peak for a longer burst', () => {
    const report = reportWith(
      findingOf('origin_5xx', {
        origin5xxWindow: 30,
        burstStart: '2026-06-18T19:29:00Z',
        burstEnd: '2026-06-18T19:40:00Z',
        peakCount: 9,
        peakMinute: '2026-06-18T19:35:00Z',
      }),
    );

    const bullets = bulletsOf(buildTemplateDraft(report, fmt));

    expect(bullets).toEqual([
      'Our servers returned errors (HTTP 5xx) for 30 of your requests in that period. The errors were concentrated between 05:29 and 05:40, peaking at 9 in the minute of 05:35. This was a problem on our side, not with your requests.',
    ]);
  });
});

describe('the keep-alive race in the customer draft', () => {
  it("places 502s that are (almost) all this index's between our load balancer and the servers behind the index, in every tone", () => {
    const finding = keepalive({
      elb502Window: 500,
      elb502IndexWindow: 498,
      tenantCount: 1,
      elb502Percent: 0.0032,
      elb502PerMinuteTypical: 3,
    });

    const drafts = everyDraftOf(finding);

    for (const draft of drafts) {
      expect(draft).not.toMatch(/platform|indexes/i);
      expect(draft).toContain('the servers behind your index');
    }
  });

  it('words the index-only race as the main finding without the load-balancer-wide percentage', () => {
    const report = reportWith(
      keepalive({ elb502Window: 500, elb502IndexWindow: 498, tenantCount: 2, elb502Percent: 0.0032 }),
    );

    const bullets = bulletsOf(buildTemplateDraft(report, fmt));

    expect(bullets).toEqual([
      'The 502 errors in that period came from our load balancer, not from our servers. They happen at a steady rate between our load balancer and the servers behind your index when a pooled connection is reused just as the server closes it, and they succeed when retried. In that period 498 of them were requests to your index.',
    ]);
  });

  it("treats a large share of the 502s as this index's even when several tenants saw some", () => {
    const finding = keepalive({ elb502Window: 1000, elb502IndexWindow: 600, tenantCount: 4, elb502Percent: 0.0065 });

    const drafts = everyDraftOf(finding);

    for (const draft of drafts) expect(draft).not.toMatch(/platform/i);
  });

  it('says "on our load balancer", never "platform", when there is no tenant count (CloudWatch mode)', () => {
    const finding = keepalive({
      elb502Window: 1031,
      elb502PerMinuteTypical: 6,
      elb502Percent: 0.0065,
      connectionErrorsWindow: 0,
      idleTimeoutSeconds: 60,
    });

    const drafts = everyDraftOf(finding);

    for (const draft of drafts) {
      expect(draft).not.toMatch(/platform|indexes/i);
      expect(draft).toMatch(/on our load balancer|through it/);
    }
  });

  it('says "on our load balancer" when one tenant saw the 502s and this index\'s share is not known', () => {
    const finding = keepalive({ elb502Window: 1031, tenantCount: 1, elb502Percent: 0.0065 });

    const drafts = everyDraftOf(finding);

    for (const draft of drafts) expect(draft).not.toMatch(/platform|behind your index/i);
  });

  it('keeps "across our whole platform" when several tenants saw them and this index had a small share', () => {
    const report = reportWith(
      keepalive({ elb502Window: 1031, elb502IndexWindow: 12, tenantCount: 20, elb502Percent: 0.0065 }),
    );

    const bullets = bulletsOf(buildTemplateDraft(report, fmt));

    expect(bullets).toEqual([
      'The 502 errors in that period came from our load balancer, not from our servers. They happen at a low, steady rate across our whole platform (about 0.0065 % of requests) when a pooled connection is reused just as it closes, and they succeed when retried. In that period 12 of them were requests to your index.',
    ]);
  });

  it('states a rate of 0.1 % or more plainly, never as "very small", "tiny", "low" or "rare", in every tone', () => {
    const finding = keepalive({ elb502Window: 5200, elb502PerMinuteTypical: 29, elb502Percent: 0.3, tenantCount: 20 });

    const drafts = everyDraftOf(finding);

    for (const draft of drafts) {
      expect(draft).not.toMatch(/very small|tiny|\blow\b|\brare\b|rarer still/i);
      expect(draft).toContain('0.3 %');
    }
    expect(bulletsOf(buildTemplateDraft(reportWith(THROTTLING_FINDING, finding), fmt)).at(-1)).toBe(
      'Separately, about 0.3 % of requests across our platform get a 502 when a pooled connection is reused just as it closes; these succeed when retried.',
    );
  });

  it('claims no size at all when the rate was not measured', () => {
    const finding = keepalive({ elb502Window: 5200, tenantCount: 20 });

    const drafts = everyDraftOf(finding);

    for (const draft of drafts) expect(draft).not.toMatch(/very small|tiny|\blow\b|\brare\b|rarer still/i);
  });
});

describe('claims the facts do not back', () => {
  it.each(['shorter', 'technical'] as const)(
    'hedges "the errors your dashboard shows" below high confidence in the %s tone',
    (tone) => {
      const report = reportWith({ ...THROTTLING_FINDING, confidence: 'medium' });

      const draft = buildTemplateDraft(report, fmt, { tone });

      expect(draft).toMatch(/most likely (?:the errors|what) your dashboard shows near 05:41/);
      expect(draft).not.toMatch(/(?<!likely )(?:these are the errors|that is what) your dashboard shows/i);
    },
  );

  it('says the 429s never reached the search servers only when the proxy denied them itself', () => {
    const { termination: _termination, ...withoutTermination } = THROTTLING_FINDING.facts;
    const unknown = buildTemplateDraft(reportWith({ ...THROTTLING_FINDING, facts: withoutTermination }), fmt, {
      tone: 'technical',
    });
    const denied = buildTemplateDraft(reportWith(THROTTLING_FINDING), fmt, { tone: 'technical' });

    expect(unknown).not.toMatch(/reached the search servers/);
    expect(denied).toContain('The proxy answered those requests itself: they never reached the search servers.');
  });

  it('does not call a possibly load-balancer-wide 504 count "your requests"', () => {
    const report = reportWith(findingOf('origin_timeout', { elb504Window: 12 }));

    const drafts = DRAFT_TONES.map((tone) => buildTemplateDraft(report, fmt, { tone }));

    for (const draft of drafts) expect(draft).not.toMatch(/12 of (?:them|your requests)/);
  });

  it('does not put the load balancer\'s 502 background "across our whole platform" in a no-errors draft', () => {
    const report = reportWith(findingOf('no_errors', { requestsWindow: 500, elb502Window: 30 }));

    const drafts = DRAFT_TONES.map((tone) => buildTemplateDraft(report, fmt, { tone }));

    for (const draft of drafts) expect(draft).not.toMatch(/platform|\blow\b|usual low/i);
    expect(bulletsOf(drafts[0]!)).toEqual([
      'We found no errors from our load balancer or our servers for your index in that period above the usual background. We handled 500 requests for your index in that time. Counting all traffic through our load balancer, not only yours, it answered 30 requests with a 502 in that period, a steady background with no spike.',
    ]);
  });
});
