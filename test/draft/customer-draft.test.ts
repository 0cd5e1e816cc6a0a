import { describe, expect, it } from 'vitest';
import type { FindingJson, ReportJson, SignalJson } from '../../src/core/report.js';
import { formatClock, readClockStyle } from '../../src/draft/customer-clock.js';
import { findUngroundedNumbers } from '../../src/draft/grounding.js';
import { findInternalDetails } from '../../src/draft/internal-details.js';
import {
  buildCustomerDraft,
  buildTemplateDraft,
  DRAFT_TONES,
  OUR_ACTION_NOTE,
  OUR_ACTION_PLACEHOLDER,
} from '../../src/draft/template-draft.js';
import { whyNoDraft } from '../../src/draft/why-no-draft.js';
import { renderMarkdown } from '../../src/render/render-markdown.js';
import { renderText } from '../../src/render/render-text.js';
import { findingOf, fixedZoneFormatter, KEEPALIVE_FINDING, seedReport, THROTTLING_FINDING } from './draft-fixtures.js';

const fmt = fixedZoneFormatter();

function reportWith(...findings: FindingJson[]): ReportJson {
  return seedReport({ verdict: findings[0]!, findings });
}

function askedAs(input: string, report = seedReport()): ReportJson {
  return { ...report, asked: { ...report.asked, input } };
}

describe('the "What we\'re doing" part of the customer draft', () => {
  it('is a marked placeholder for the SRE, never a sentence the team has not chosen, with a note saying so', () => {
    const report = reportWith(findingOf('origin_5xx', { origin5xxWindow: 12 }));

    const draft = buildCustomerDraft(report, fmt);

    expect(draft.text.split('\n\n').at(-1)).toBe(OUR_ACTION_PLACEHOLDER);
    expect(draft.note).toBe(
      "Fill in or remove the line [What we're doing: …] before sending: what we do about it is the team's decision, so the draft does not say it.",
    );
    expect(draft.note).toBe(OUR_ACTION_NOTE);
  });

  it.each(DRAFT_TONES)('says nothing of what we do, in the %s tone, for any kind', (tone) => {
    const kinds = [
      'origin_5xx',
      'target_unreachable',
      'origin_timeout',
      'no_healthy_targets',
      'keepalive_race',
      'inconclusive',
    ] as const;

    const drafts = kinds.map((kind) => buildTemplateDraft(reportWith(findingOf(kind, {})), fmt, { tone }));

    for (const draft of drafts) {
      expect(draft).toContain(OUR_ACTION_PLACEHOLDER);
      expect(draft).not.toMatch(/we(?:'|’)re (?:investigating|looking into|reviewing|re-running)|will follow up/i);
    }
  });

  it('leaves no placeholder when nothing is ours to act on: 429 throttling alone, or no errors', () => {
    const drafts = [reportWith(THROTTLING_FINDING), reportWith(findingOf('no_errors', { requestsWindow: 500 }))].map(
      (report) => buildCustomerDraft(report, fmt),
    );

    expect(drafts.map((draft) => [draft.text.includes('[What we'), draft.note])).toEqual([
      [false, undefined],
      [false, undefined],
    ]);
  });
});

describe('the customer draft and our tenancy', () => {
  it.each(DRAFT_TONES)(
    'never says how many indexes or customers share the platform, nor that others were hit, in the %s tone',
    (tone) => {
      const reports = [
        reportWith(KEEPALIVE_FINDING), // 20 tenants saw the 502s
        reportWith(THROTTLING_FINDING, KEEPALIVE_FINDING),
        reportWith(
          findingOf('target_unreachable', {
            scope: 'loadBalancer',
            burstStart: '2026-06-18T19:29:00Z',
            burstEnd: '2026-06-18T19:40:00Z',
            burstTotal: 300,
          }),
        ),
      ];

      const drafts = reports.map((report) => buildTemplateDraft(report, fmt, { tone }));

      for (const draft of drafts) {
        expect(findInternalDetails(draft)).toEqual([]);
        expect(draft).not.toMatch(/\b20\b|indexes|tenants?|customers|other than you/i);
      }
    },
  );

  it('flags tenancy figures and other customers in a text, as internal details', () => {
    expect(
      findInternalDetails('It is spread across 20 indexes; other customers were affected too, as were 3 tenants.'),
    ).toEqual(['20 indexes', '3 tenants', 'other customers', 'tenants']);
  });
});

describe('times in the customer draft', () => {
  it('are written in 12-hour form when the customer wrote theirs so, in their spelling', () => {
    const greetings = ['5:41am', '5:41 AM', '5:41 a.m.'].map(
      (input) => buildTemplateDraft(askedAs(`${input} AEST`), fmt).split('\n')[0],
    );

    expect(greetings).toEqual([
      'Hi team — thanks for flagging the errors you saw around 5:41am AEST on 19 Jun. We checked our load balancer and origin records for your index from 4:11am to 7:11am:',
      'Hi team — thanks for flagging the errors you saw around 5:41 AM AEST on 19 Jun. We checked our load balancer and origin records for your index from 4:11 AM to 7:11 AM:',
      'Hi team — thanks for flagging the errors you saw around 5:41 am AEST on 19 Jun. We checked our load balancer and origin records for your index from 4:11 am to 7:11 am:',
    ]);
  });

  it('stay in 24-hour form, padded or not, as the customer wrote them', () => {
    const bursts = ['05:41 AEST', '5:41 AEST', '2026-06-19T05:41+10:00'].map(
      (input) => buildTemplateDraft(askedAs(input), fmt).split('\n')[3],
    );

    expect(bursts.map((line) => line?.slice(0, 40))).toEqual([
      '- Between 05:29 and 05:40 your requests ',
      '- Between 5:29 and 5:40 your requests we',
      '- Between 05:29 and 05:40 your requests ',
    ]);
  });

  it('written in 12-hour form are still backed by the evidence, in every tone', () => {
    const report = askedAs('5:41 am AEST');

    const unbacked = DRAFT_TONES.map((tone) =>
      findUngroundedNumbers(buildTemplateDraft(report, fmt, { tone }), { templateDraft: '', report, fmt }),
    );

    expect(unbacked).toEqual([[], [], [], []]);
  });

  it('reads the style from the asked input and formats midnight and noon in it', () => {
    const twelve = readClockStyle('12 pm');

    expect([
      formatClock('00:20', twelve),
      formatClock('12:05', twelve),
      formatClock('23:59', readClockStyle('7:05')),
    ]).toEqual(['12:20 am', '12:05 pm', '23:59']);
  });
});

describe('whyNoDraft', () => {
  const unavailable = (scope: SignalJson['scope']): SignalJson => ({
    status: 'unavailable',
    reason: 'no files given',
    scope,
    window: null,
    atMinute: null,
    peak: null,
    perMinute: [],
  });
  const inconclusive: FindingJson = {
    ...findingOf(
      'inconclusive',
      { missing: 'origin_5xx, target_5xx, elb_502, elb_502_index, target_connection_errors' },
      'low',
    ),
    advice: ['The log files do not cover the asked time: check the date, time and zone asked.'],
  };

  it('writes no draft for an inconclusive answer with nothing measured for the index, and says what to check', () => {
    const report = seedReport({
      verdict: inconclusive,
      findings: [inconclusive],
      signals: {
        requests: unavailable('index'),
        origin_5xx: unavailable('index'),
        elb_502: { ...unavailable('loadBalancer'), status: 'ok', window: 30, atMinute: 0 },
      },
    });

    expect(whyNoDraft(report)).toBe(
      'No customer draft: nothing about prod_000_audio was measured at the asked time, so there is nothing to tell the customer yet. Check first: The log files do not cover the asked time: check the date, time and zone asked.',
    );
  });

  it('writes a draft for an inconclusive answer that measured the index at the asked minute, and for every other verdict', () => {
    const partlyMeasured = seedReport({ verdict: inconclusive, findings: [inconclusive] });

    expect([whyNoDraft(partlyMeasured), whyNoDraft(seedReport())]).toEqual([null, null]);
  });

  it('leaves the draft section out of the text and Markdown reports when there is no draft', () => {
    const report = seedReport();
    delete report.draft;

    const text = renderText(report, fmt).join('\n');
    const markdown = renderMarkdown(report, fmt);

    expect(text).not.toContain('Draft reply');
    expect(markdown).not.toContain('Draft reply');
  });
});
