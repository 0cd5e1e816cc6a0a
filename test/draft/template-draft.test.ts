import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FindingJson } from '../../src/core/report.js';
import { VERDICT_KINDS, type VerdictKind } from '../../src/core/types.js';
import { fillSection } from '../../src/draft/fill-template.js';
import { findInternalDetails } from '../../src/draft/internal-details.js';
import { DEFAULT_DRAFT_TEMPLATES_DIR } from '../../src/draft/load-templates.js';
import { buildTemplateDraft, DRAFT_TONES } from '../../src/draft/template-draft.js';
import { ConfigError } from '../../src/errors.js';
import { FACT_KEYS } from '../../src/verdict/facts.js';
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

/** Every fact key of a kind with a plausible value: times as ISO minutes, counts, percents. */
function fullFacts(kind: VerdictKind): Record<string, number | string> {
  const sample: Record<string, number | string> = {
    burstStart: '2026-06-18T19:29:00Z',
    burstEnd: '2026-06-18T19:40:00Z',
    peakMinute: '2026-06-18T19:35:00Z',
    minutesBeforeAsked: 1,
    topCode: '500',
    termination: 'PR--',
    missing: 'origin_5xx,elb_502',
    slowRequestSeconds: 2,
    idleTimeoutSeconds: 60,
  };
  return Object.fromEntries(
    FACT_KEYS[kind].map((key, i) => [key, sample[key] ?? (/Percent$/.test(key) ? 1.5 : 100 + i)]),
  );
}

describe('buildTemplateDraft', () => {
  it('reads like the model reply for the seed incident: 429 burst first, keep-alive 502s "Separately", times in AEST', () => {
    const report = seedReport();

    const draft = buildTemplateDraft(report, fmt);

    expect(draft).toBe(
      [
        'Hi team — thanks for flagging the errors you saw around 05:41 AEST on 19 Jun. We checked our load balancer and origin records for your index from 04:11 to 07:11:',
        '',
        '- Our servers returned no 5xx errors for your requests in that period.',
        "- Between 05:29 and 05:40 your requests went above your plan's rate limit, and those requests were answered with HTTP 429 (Too Many Requests), peaking at 4,593 in the minute of 05:35. Over the whole period that was about 3.2 % of your requests (43,930 in total). These are the errors your dashboard shows near 05:41.",
        '- Separately, a very small number of requests across our platform (about 0.0065 %) get a 502 when a pooled connection is reused just as it closes; these succeed when retried.',
        '',
        "What helps: retry 429 and 502 responses on searches with exponential backoff and jitter. If your traffic needs larger bursts, we're happy to talk about your rate limit.",
        '',
        "[What we're doing: …]",
      ].join('\n'),
    );
  });

  it('names nothing internal in any tone: no termination code, IP, ARN, host, UTC time or index name', () => {
    const report = seedReport();

    const drafts = DRAFT_TONES.map((tone) => buildTemplateDraft(report, fmt, { tone }));

    for (const draft of drafts) {
      expect(findInternalDetails(draft)).toEqual([]);
      expect(draft).not.toMatch(/PR--|arn:|targetgroup|\bUTC\b|19:29|prod_000_audio|haproxy|pod/i);
    }
  });

  it('gives each tone its own wording', () => {
    const report = seedReport();

    const [neutral, shorter, technical, warmer] = DRAFT_TONES.map((tone) => buildTemplateDraft(report, fmt, { tone }));

    expect(new Set([neutral, shorter, technical, warmer]).size).toBe(4);
    expect(shorter!.length).toBeLessThan(neutral!.length);
    expect(technical).toContain('the HTTP keep-alive race');
    expect(technical).toContain("longer than our load balancer's idle timeout of 60 seconds");
    expect(technical).toContain(
      "Our load balancer's own count of 4xx responses from our servers (429 is one of them) for the same period is 43,943.",
    );
    expect(warmer).toContain('sorry for the trouble they caused');
    expect(
      warmer!.endsWith("If anything here doesn't match what you saw, just reply and we'll keep digging with you."),
    ).toBe(true);
  });

  it('puts the primary finding first and words the others "Separately, …"', () => {
    const report = reportWith(KEEPALIVE_FINDING, THROTTLING_FINDING);

    const bullets = bulletsOf(buildTemplateDraft(report, fmt));

    expect(bullets).toEqual([
      'The 502 errors in that period came from our load balancer, not from our servers. They happen at a low, steady rate across our whole platform (about 0.0065 % of requests) when a pooled connection is reused just as it closes, and they succeed when retried.',
      "Separately, between 05:29 and 05:40 your requests went above your plan's rate limit and were answered with HTTP 429 (Too Many Requests) — about 3.2 % of your requests over the whole period.",
    ]);
  });

  it('makes "What helps" the union of the findings\' actions, retry codes in the findings\' order', () => {
    const report = reportWith(KEEPALIVE_FINDING, findingOf('no_healthy_targets', {}), THROTTLING_FINDING);

    const helps = buildTemplateDraft(report, fmt)
      .split('\n')
      .find((line) => line.startsWith('What helps:'));

    expect(helps).toBe(
      "What helps: retry 502, 503 and 429 responses on searches with exponential backoff and jitter. If your traffic needs larger bursts, we're happy to talk about your rate limit.",
    );
  });

  it('prefixes "Separately, " to a secondary kind that has no secondary wording of its own', () => {
    const report = reportWith(THROTTLING_FINDING, findingOf('origin_5xx', { origin5xxWindow: 12 }));

    const bullets = bulletsOf(buildTemplateDraft(report, fmt));

    expect(bullets.at(-1)).toBe(
      'Separately, our servers returned errors (HTTP 5xx) for 12 of your requests in that period. This was a problem on our side, not with your requests.',
    );
  });

  it('drops only the optional fragment when the peak is unknown', () => {
    const { peakCount: _peakCount, peakMinute: _peakMinute, ...facts } = THROTTLING_FINDING.facts;
    const report = reportWith({ ...THROTTLING_FINDING, facts });

    const bullets = bulletsOf(buildTemplateDraft(report, fmt));

    expect(bullets[1]).toBe(
      "Between 05:29 and 05:40 your requests went above your plan's rate limit, and those requests were answered with HTTP 429 (Too Many Requests). Over the whole period that was about 3.2 % of your requests (43,930 in total). These are the errors your dashboard shows near 05:41.",
    );
  });

  it('does not say "no 5xx errors" when the origin returned some, and hedges at medium confidence', () => {
    const report = reportWith({
      ...THROTTLING_FINDING,
      confidence: 'medium',
      facts: { ...THROTTLING_FINDING.facts, origin5xxWindow: 7 },
    });

    const bullets = bulletsOf(buildTemplateDraft(report, fmt));

    expect(bullets).toEqual([
      "Between 05:29 and 05:40 your requests went above your plan's rate limit, and those requests were answered with HTTP 429 (Too Many Requests), peaking at 4,593 in the minute of 05:35. Over the whole period that was about 3.2 % of your requests (43,930 in total). These are most likely the errors your dashboard shows near 05:41.",
    ]);
  });

  it("does not tie a burst far from the asked time to the customer's errors", () => {
    const report = reportWith({
      ...THROTTLING_FINDING,
      facts: { ...THROTTLING_FINDING.facts, minutesBeforeAsked: 45 },
    });

    const draft = buildTemplateDraft(report, fmt);

    expect(draft).not.toContain('your dashboard shows');
  });

  it('adds the date to a window end that falls on another day than the asked minute', () => {
    const report = seedReport({
      at: '2026-06-18T14:20:00Z', // 00:20 AEST on 19 June
      window: { start: '2026-06-18T12:50:00Z', end: '2026-06-18T15:50:00Z' },
      signals: {}, // the seed's signals belong to another window
      verdict: findingOf('no_errors', { requestsWindow: 500 }),
      findings: [findingOf('no_errors', { requestsWindow: 500 })],
    });

    const greeting = buildTemplateDraft(report, fmt).split('\n')[0];

    expect(greeting).toBe(
      'Hi team — thanks for flagging the errors you saw around 00:20 AEST on 19 Jun. We checked our load balancer and origin records for your index from 22:50 on 18 Jun to 01:50:',
    );
  });

  it('names the missing records of an inconclusive verdict in plain words and leaves what we do to the SRE', () => {
    const report = reportWith(findingOf('inconclusive', { missing: 'origin_5xx,elb_502,elb_503' }, 'low'));

    const draft = buildTemplateDraft(report, fmt);

    expect(bulletsOf(draft)).toEqual([
      "We couldn't read some of our records for that period (our servers' error records and our load balancer's error counts), so we can't yet say where the errors came from.",
    ]);
    expect(draft).toContain("\n\n[What we're doing: …]");
    expect(draft).toContain(
      'What helps: if you still see errors, send us the times or request IDs of a few failed requests',
    );
  });

  it('uses the verdict when the findings list is empty', () => {
    const report = seedReport({ findings: [] });

    const bullets = bulletsOf(buildTemplateDraft(report, fmt));

    expect(bullets[0]).toBe('Our servers returned no 5xx errors for your requests in that period.');
    expect(bullets).toHaveLength(2);
  });

  describe.each(VERDICT_KINDS)('the %s template', (kind) => {
    it.each(DRAFT_TONES)('renders every fact, with no placeholder left, in the %s tone', (tone) => {
      const report = reportWith(findingOf(kind, fullFacts(kind)), KEEPALIVE_FINDING);

      const draft = buildTemplateDraft(report, fmt, { tone });

      expect(bulletsOf(draft).length).toBeGreaterThanOrEqual(2);
      expect(draft).not.toMatch(/\{\{|\}\}|\[\[|\]\]|undefined|NaN|null|<!--/);
      expect(findInternalDetails(draft)).toEqual([]);
    });

    it.each(DRAFT_TONES)(
      'drops the sentences that need facts when it has none, in the %s tone, printing no number',
      (tone) => {
        const report = reportWith(findingOf(kind, {}));

        const bullets = bulletsOf(buildTemplateDraft(report, fmt, { tone }));

        expect(bullets.length).toBeGreaterThanOrEqual(1);
        for (const bullet of bullets) {
          expect(bullet).not.toMatch(/\{\{|\[\[|undefined|NaN|null|\(\)|\s[,.]/);
          // Only HTTP status codes may remain: no count, percent or time was known.
          expect(bullet.replace(/\b(?:429|502|503|504|5xx|4xx)s?\b/g, '')).not.toMatch(/\d/);
        }
      },
    );
  });

  it('reads templates from another folder when asked, and says which file is missing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'why502-drafts-'));
    for (const file of readdirSync(DEFAULT_DRAFT_TEMPLATES_DIR))
      writeFileSync(join(dir, file), readFileSync(join(DEFAULT_DRAFT_TEMPLATES_DIR, file)));
    writeFileSync(join(dir, 'no_errors.md'), '## body\nAll quiet for {{index}}.\n');
    const emptyDir = mkdtempSync(join(tmpdir(), 'why502-drafts-empty-'));
    const report = reportWith(findingOf('no_errors', {}));

    const draft = buildTemplateDraft(report, fmt, { templatesDir: dir });

    expect(bulletsOf(draft)).toEqual(['All quiet for prod_000_audio.']);
    expect(() => buildTemplateDraft(report, fmt, { templatesDir: emptyDir })).toThrow(ConfigError);
    expect(() => buildTemplateDraft(report, fmt, { templatesDir: emptyDir })).toThrow(/throttling_429\.md/);
  });
});

describe('fillSection', () => {
  const values = new Map([
    ['count', { text: '43,930', raw: 43930 }],
    ['zero', { text: '0', raw: 0 }],
    ['level', { text: 'high', raw: 'high' }],
  ]);

  it('keeps a line whose conditions hold and drops one whose condition fails or whose fact is missing', () => {
    const section = [
      '{{if zero = 0}}No errors.',
      '{{if count > 50000}}Too many.',
      'Seen {{missing}} times.',
      '{{if level = high}}{{if !missing}}Sure.',
    ].join('\n');

    const blocks = fillSection('test', section, values);

    expect(blocks).toEqual(['No errors. Sure.']);
  });

  it('drops an optional fragment alone and tidies the space it leaves', () => {
    const blocks = fillSection(
      'test',
      'Got {{count}} in total[[ ({{missing}} %)]][[, at {{level}} level]].\n\nSecond block.',
      values,
    );

    expect(blocks).toEqual(['Got 43,930 in total, at high level.', 'Second block.']);
  });

  it('refuses a condition it cannot read, naming the template', () => {
    expect(() => fillSection('keepalive_race', '{{if count ~ 3}}Text.', values)).toThrow(
      'Draft template keepalive_race.md: cannot read the condition "{{if count ~ 3}}".',
    );
  });
});

describe('the checked period in the greeting', () => {
  it('names the minutes the records cover, not the whole window, when the sources were partial', () => {
    const report = seedReport();
    const minute = (hhmm: string) => ({ minute: `2026-06-18T${hhmm}:00Z`, count: 0 });
    report.signals = {
      requests: {
        status: 'partial',
        scope: 'index',
        reason: 'the ALB access logs given cover only part of the window',
        window: 0,
        atMinute: 0,
        peak: null,
        perMinute: [minute('19:00'), minute('19:59')],
      },
    };

    const greeting = buildTemplateDraft(report, fmt).split('\n')[0];

    expect(greeting).toContain('from 05:00 to 06:00:');
  });
});
