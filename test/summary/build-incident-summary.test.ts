import { beforeAll, describe, expect, it } from 'vitest';
import { answerAnotherTime } from '../../src/ask/answer-another-time.js';
import { followUpContextFor, parseFollowUp } from '../../src/ask/parse-follow-up.js';
import type { ReportJson } from '../../src/core/report.js';
import type { ResolvedZone } from '../../src/core/types.js';
import { formatterOfReport } from '../../src/grammar/formatters.js';
import { BLOCK_LIMITS, blockTextLength } from '../../src/render/slack/block-kit.js';
import { renderVerdictMessage } from '../../src/render/slack/verdict-message.js';
import { buildCatchUp } from '../../src/summary/build-catch-up.js';
import { buildIncidentSummary, existingSummaryTs } from '../../src/summary/build-incident-summary.js';
import { type HistoryMessage, headlineFromVerdictText, readVerdictRecords } from '../../src/summary/verdict-record.js';
import { loadDemoReport } from '../render/support/demo-report.js';

const AEST: ResolvedZone = { kind: 'fixed', label: 'AEST', offsetMinutes: 600 };
const BUILT_AT = new Date('2026-06-18T23:30:00Z');
const PERMALINK = (ts: string) => `https://acme.slack.com/archives/C0INCIDENT/p${ts.replace('.', '')}`;

/** A verdict message as conversations.history (include_all_metadata) returns what the bot posted. */
function historyMessage(report: ReportJson, ts: string): HistoryMessage & Record<string, unknown> {
  const message = renderVerdictMessage(report, formatterOfReport(report), { tableStyle: 'native' });
  return {
    type: 'message',
    subtype: 'bot_message',
    bot_id: 'B0WHY502',
    ts,
    text: message.text,
    blocks: message.blocks,
    metadata: message.metadata,
    permalink: PERMALINK(ts),
  };
}

function rejudgedAt(report: ReportJson, text: string): ReportJson {
  const question = parseFollowUp(text, followUpContextFor(report, new Date('2026-06-18T23:00:00Z')));
  if (question.kind !== 'time') throw new Error(text);
  const answer = answerAnotherTime(report, question.asked);
  if (answer.kind !== 'rejudged') throw new Error(text);
  return answer.report;
}

describe('readVerdictRecords', () => {
  let demo: ReportJson;
  beforeAll(async () => {
    demo = await loadDemoReport();
  });

  it("reads the bot's verdict messages and skips people, other apps and damaged payloads", () => {
    const history: HistoryMessage[] = [
      { ts: '1781823700.000200', text: 'is this the envato thing?' },
      {
        ts: '1781823650.000100',
        text: 'deploy done',
        metadata: { event_type: 'deploy_finished', event_payload: { service: 'search' } },
      },
      {
        ts: '1781823600.000300',
        text: 'x',
        metadata: { event_type: 'why502_verdict', event_payload: { index: 'prod_000_audio', at: 'yesterday' } },
      },
      historyMessage(demo, '1781823000.000100'),
    ];

    const read = readVerdictRecords(history);

    expect(read).toEqual({
      unreadable: 1,
      records: [
        {
          ts: '1781823000.000100',
          permalink: PERMALINK('1781823000.000100'),
          index: 'prod_000_audio',
          at: new Date('2026-06-18T19:41:00Z'),
          kind: 'throttling_429',
          confidence: 'high',
          window: { start: new Date('2026-06-18T18:11:00Z'), end: new Date('2026-06-18T21:11:00Z') },
          headline: demo.verdict.headline,
          zone: 'AEST',
          causes: [],
        },
      ],
    });
  });

  it('takes the headline from the payload when it carries one, and refuses a link that could break out of mrkdwn', () => {
    const message = historyMessage(demo, '1781823000.000100');
    message.metadata!.event_payload = {
      ...message.metadata!.event_payload,
      headline: 'From the payload',
      zone: 'Australia/Sydney',
      causes: 'deploy,not_a_cause',
    };
    message.permalink = 'https://x.slack.com/a|<!channel>';

    const [record] = readVerdictRecords([message]).records;

    expect({
      headline: record!.headline,
      zone: record!.zone,
      causes: record!.causes,
      permalink: record!.permalink,
    }).toEqual({ headline: 'From the payload', zone: 'Australia/Sydney', causes: ['deploy'], permalink: null });
  });

  it('unescapes the headline of the text fallback', () => {
    expect(headlineFromVerdictText('Origin 5xx · confidence high\nErrors &lt;b&gt; &amp; more\nrest')).toBe(
      'Errors <b> & more',
    );
  });
});

describe('buildIncidentSummary', () => {
  let demo: ReportJson;
  let history: HistoryMessage[];
  beforeAll(async () => {
    demo = await loadDemoReport();
    // The demo's thread: the first answer at 05:41, then "@why502 06:30" in the thread.
    history = [
      historyMessage(rejudgedAt(demo, '06:30'), '1781823900.000100'),
      historyMessage(demo, '1781823000.000100'),
    ];
  });

  it('lists the verdicts by asked time, with their numbers and links, and says nothing is open', () => {
    const summary = buildIncidentSummary(readVerdictRecords(history), { builtAt: BUILT_AT, zone: AEST });

    expect(summary.text).toBe(
      [
        'why502 summary · 2 verdicts for 1 index: 1× 429 throttling, 1× LB keep-alive race (flat background)',
        `• prod_000_audio at 19 Jun 05:41 AEST (19:41 UTC, 18 Jun) · 429 throttling (high) — ${demo.verdict.headline} · ${PERMALINK('1781823000.000100')}`,
        `• prod_000_audio at 19 Jun 06:30 AEST (20:30 UTC, 18 Jun) · LB keep-alive race (flat background) (medium) — A flat background of LB-minted 502s (~2.1/min across 20 target groups, 0.45 % of requests): the keep-alive race between the load balancer and its targets, not a spike. · ${PERMALINK('1781823900.000100')}`,
        'Built from 2 why502 verdicts in this channel · updated 19 Jun 09:30 AEST (23:30 UTC, 18 Jun) · /why502 summary updates this message',
      ].join('\n'),
    );
    expect(summary.blocks.map((b) => b.type)).toEqual(['header', 'section', 'section', 'section', 'context']);
    expect(JSON.stringify(summary.blocks[2])).toContain(`<${PERMALINK('1781823000.000100')}|thread>`);
    expect(JSON.stringify(summary.blocks[3])).toContain('None from the verdicts so far.');
    expect(summary.metadata).toEqual({
      event_type: 'why502_summary',
      event_payload: { verdicts: 2, latest_verdict_ts: '1781823900.000100', built_at: '2026-06-18T23:30:00.000Z' },
    });
  });

  it('raises open questions: inconclusive, low confidence, our side, and two answers for one minute', () => {
    const records = readVerdictRecords(history).records;
    const at = (record: (typeof records)[number], overrides: Partial<(typeof records)[number]>) => ({
      ...record,
      ...overrides,
    });
    const read = {
      unreadable: 0,
      records: [
        at(records[0]!, {
          ts: '1781824000.000100',
          kind: 'inconclusive' as const,
          confidence: 'low' as const,
          at: new Date('2026-06-18T22:22:00Z'),
          headline: null,
        }),
        at(records[1]!, {
          ts: '1781824100.000100',
          kind: 'origin_5xx' as const,
          at: new Date('2026-06-18T19:43:00Z'),
          headline: null,
          permalink: null,
        }),
        records[1]!,
      ],
    };

    const summary = buildIncidentSummary(read, { builtAt: BUILT_AT, zone: AEST });

    expect(summary.text.split('Open questions:\n')[1]!.split('\n').slice(0, -1)).toEqual([
      '• prod_000_audio at 19 Jun 05:43 AEST (19:43 UTC, 18 Jun): Origin 5xx — our side; who owns the fix?',
      '• prod_000_audio at 19 Jun 08:22 AEST (22:22 UTC, 18 Jun): inconclusive — a source was missing or failed (named in the thread); fix it and ask again.',
      '• prod_000_audio at 19 Jun 05:41 AEST (19:41 UTC, 18 Jun) and prod_000_audio at 19 Jun 05:43 AEST (19:43 UTC, 18 Jun) disagree: 429 throttling vs Origin 5xx. Which minute does the customer mean?',
    ]);
  });

  it('escapes headlines and index names: no mention, broadcast or link from a verdict', () => {
    const [record] = readVerdictRecords(history).records;
    const read = {
      unreadable: 0,
      records: [{ ...record!, index: 'idx`<!here>', headline: '<!channel> <https://evil.example|click> & *bold*' }],
    };

    const summary = buildIncidentSummary(read, { builtAt: BUILT_AT, zone: AEST });

    const all = JSON.stringify(summary);
    expect(all).not.toMatch(/<!channel>|<!here>|<https:\/\/evil/);
    expect(JSON.stringify(summary.blocks[2])).toContain("`idx'&lt;!here&gt;`");
  });

  it("stays inside Slack's limits with a long incident, listing the latest and counting the rest", () => {
    const [record] = readVerdictRecords(history).records;
    const records = Array.from({ length: 200 }, (_, i) => ({
      ...record!,
      ts: `${1781823000 + i}.000100`,
      at: new Date(Date.parse('2026-06-18T18:11:00Z') + i * 60_000),
    }));

    const summary = buildIncidentSummary({ unreadable: 0, records }, { builtAt: BUILT_AT, zone: AEST });

    const textChars = summary.blocks.reduce((sum, block) => sum + blockTextLength(block), 0);
    expect({
      blocks: summary.blocks.length <= BLOCK_LIMITS.blocksPerMessage,
      chars: textChars <= BLOCK_LIMITS.messageTextBudget,
      text: summary.text.length <= BLOCK_LIMITS.fallbackText,
    }).toEqual({
      blocks: true,
      chars: true,
      text: true,
    });
    expect(summary.blocks[0]).toMatchObject({ type: 'header', text: { text: 'why502 summary · 200 verdicts' } });
    expect(JSON.stringify(summary.blocks)).toContain('earlier verdicts');
    expect(JSON.stringify(summary.blocks)).toContain('07:30 AEST (21:30 UTC, 18 Jun)'); // the latest one asked is kept
    expect(JSON.stringify(summary.blocks)).not.toContain('left out to fit'); // listed within the budget, not cut by it
  });

  it('says there is nothing yet in a channel without verdicts', () => {
    const summary = buildIncidentSummary({ unreadable: 0, records: [] }, { builtAt: BUILT_AT, zone: AEST });

    expect(summary.blocks.map((b) => b.type)).toEqual(['header', 'section', 'context']);
    expect(JSON.stringify(summary.blocks[1])).toContain('No why502 verdicts in this channel yet');
  });
});

describe('existingSummaryTs', () => {
  it('finds the latest summary message to update in place, or none', () => {
    const summary = (ts: string): HistoryMessage => ({
      ts,
      text: 'why502 summary',
      metadata: { event_type: 'why502_summary', event_payload: { verdicts: 2 } },
    });

    expect([
      existingSummaryTs([
        summary('1781823000.000100'),
        { ts: '1781823999.000100', text: 'hi' },
        summary('1781823500.000100'),
      ]),
      existingSummaryTs([{ ts: '1781823999.000100', text: 'hi' }]),
    ]).toEqual(['1781823500.000100', null]);
  });
});

describe('buildCatchUp', () => {
  let history: HistoryMessage[];
  beforeAll(async () => {
    const demo = await loadDemoReport();
    history = [
      historyMessage(demo, '1781823000.000100'),
      historyMessage(rejudgedAt(demo, '06:30'), '1781823900.000100'),
    ];
  });

  it('leads with what is new since the person last looked', () => {
    const catchUp = buildCatchUp(readVerdictRecords(history), {
      zone: AEST,
      userId: 'U0ONCALL',
      since: '1781823500.000000',
    });

    expect(catchUp.text.split('\n').slice(0, 3)).toEqual([
      'Catch-up: 2 verdicts for 1 index: 1× 429 throttling, 1× LB keep-alive race (flat background)',
      'New since 19 Jun 08:58 AEST (22:58 UTC, 18 Jun): 1',
      expect.stringMatching(/^• prod_000_audio at 19 Jun 06:30 AEST/),
    ]);
    expect(JSON.stringify(catchUp.blocks[0])).toContain('*Catch-up for <@U0ONCALL>*');
    expect(JSON.stringify(catchUp.blocks)).toContain('1 earlier verdict you have seen');
    expect(catchUp.metadata).toBeUndefined();
  });

  it('lists everything without a since, and shows an odd user id as text, not a mention', () => {
    const catchUp = buildCatchUp(readVerdictRecords(history), { zone: AEST, userId: 'U1> <!channel' });

    expect(JSON.stringify(catchUp.blocks[0])).toContain('*Catch-up for U1&gt; &lt;!channel*');
    expect(catchUp.text.split('\n').filter((line) => line.startsWith('• '))).toHaveLength(2);
  });
});
