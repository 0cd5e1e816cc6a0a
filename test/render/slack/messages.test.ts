import { describe, expect, it } from 'vitest';
import { createTimeFormatter } from '../../../src/grammar/time-formatter.js';
import { BLOCK_LIMITS, blockTextLength } from '../../../src/render/slack/block-kit.js';
import { renderChannelSummary } from '../../../src/render/slack/channel-summary-messages.js';
import { renderDraftMessage } from '../../../src/render/slack/draft-message.js';
import type { DraftRef } from '../../../src/render/slack/draft-ref.js';
import { channelRefusal, usageReply } from '../../../src/render/slack/notices.js';
import {
  type ParentSubject,
  renderParentDone,
  renderParentFailed,
  renderParentPending,
} from '../../../src/render/slack/parent-message.js';
import { AEST, throttlingReport } from '../../slack/support/report-fixture.js';

const at = new Date('2026-06-18T19:41:00Z');
const fmt = createTimeFormatter(AEST, { referenceInstant: at });
const subject: ParentSubject = {
  index: 'prod_000_audio',
  at,
  windowStart: new Date('2026-06-18T18:11:00Z'),
  windowEnd: new Date('2026-06-18T21:11:00Z'),
  askedBy: 'U0ONCALL',
};
const ref: DraftRef = {
  v: 1,
  channel: 'C0ONCALL',
  threadTs: '1750275660.000100',
  text: 'prod_000_audio 05:41 AEST',
  requestedAt: '2026-06-18T19:45:00.000Z',
  askedBy: 'U0ONCALL',
  index: 'prod_000_audio',
  at: '2026-06-18T19:41:00Z',
  kind: 'throttling_429',
  confidence: 'high',
  headline: 'Our 429 rate limiting, not 502s.',
};

describe('the parent message', () => {
  it('names the index, the asked time in the asked zone and UTC, who asked, and the window being investigated', () => {
    expect(renderParentPending(subject, fmt)).toEqual({
      text: ':mag: *why502* · `prod_000_audio` · 19 Jun 05:41 AEST (19:41 UTC, 18 Jun) · asked by <@U0ONCALL>\nInvestigating 04:11–07:11 AEST (18:11–21:11 UTC)…',
      blocks: [
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: ':mag: *why502* · `prod_000_audio` · 19 Jun 05:41 AEST (19:41 UTC, 18 Jun) · asked by <@U0ONCALL>',
          },
        },
        { type: 'context', elements: [{ type: 'mrkdwn', text: 'Investigating 04:11–07:11 AEST (18:11–21:11 UTC)…' }] },
      ],
    });
  });

  it('leads with the verdict headline once it is known', () => {
    const message = renderParentDone(subject, throttlingReport(), fmt);

    expect((message.blocks[0] as { text: { text: string } }).text.text).toBe(
      ':large_yellow_circle: *prod_000_audio at 05:41 AEST: 429 throttling, not 502s.* The customer’s "502s" were our 429 rate limiting (burst 05:29–05:40 AEST, peak 4,593/min); the origin returned 0 5xx. Details in the thread.',
    );
  });

  it('says what failed when the investigation failed', () => {
    expect(renderParentFailed(subject, fmt, 'Logs Insights timed out.').text.split('\n')[0]).toBe(
      ':warning: *The investigation of prod_000_audio failed.* Logs Insights timed out. Details in the thread.',
    );
  });
});

describe('the draft message', () => {
  it('shows the draft, where it came from, and the two actions carrying the thread reference, posting only after a confirmation', () => {
    const message = renderDraftMessage(
      {
        text: 'Hi team — <b>no</b> 5xx & no outage.',
        generator: 'openai',
        note: 'Checked: every number is in the evidence.',
      },
      ref,
      { incidentChannel: 'C0INCIDENTS' },
    );

    expect(message.text).toBe(
      'Customer draft (rewritten by the model from the evidence):\nHi team — &lt;b&gt;no&lt;/b&gt; 5xx &amp; no outage.',
    );
    expect(message.blocks.map((b) => b.type)).toEqual(['section', 'section', 'context', 'actions']);
    const actions = message.blocks[3] as unknown as { elements: Array<Record<string, unknown>> };
    expect(actions.elements[0]).toEqual({
      type: 'button',
      action_id: 'why502_post_summary',
      text: { type: 'plain_text', text: 'Post summary to incident channel', emoji: true },
      value: JSON.stringify(ref),
      style: 'primary',
      confirm: {
        title: { type: 'plain_text', text: 'Post to the incident channel?' },
        text: {
          type: 'mrkdwn',
          text: 'why502 will post the summary of this channel’s why502 verdicts, with a link to each thread, in <#C0INCIDENTS>, or update the one it posted there before.',
        },
        confirm: { type: 'plain_text', text: 'Post summary' },
        deny: { type: 'plain_text', text: 'Cancel' },
      },
    });
    expect(actions.elements[1]).toEqual({
      type: 'static_select',
      action_id: 'why502_redraft',
      placeholder: { type: 'plain_text', text: 'Redraft…' },
      options: [
        { text: { type: 'plain_text', text: 'Neutral (first draft)' }, value: 'neutral' },
        { text: { type: 'plain_text', text: 'Shorter' }, value: 'shorter' },
        { text: { type: 'plain_text', text: 'More technical' }, value: 'technical' },
        { text: { type: 'plain_text', text: 'Warmer' }, value: 'warmer' },
      ],
    });
  });

  it('splits a long draft into sections under 3000 characters without losing any of it', () => {
    // Six paragraphs (about 5,500 characters): as long as a draft gets within the message budget.
    const paragraphs = Array.from({ length: 6 }, (_, i) => `Paragraph ${i}: ${'words '.repeat(150)}`);

    const message = renderDraftMessage({ text: paragraphs.join('\n'), generator: 'template' }, ref);

    const sections = message.blocks.filter((b) => b.type === 'section').slice(1) as Array<{ text: { text: string } }>;
    expect(sections.every((s) => s.text.text.length <= 3000)).toBe(true);
    expect(sections.map((s) => s.text.text).join('\n')).toBe(paragraphs.join('\n'));
  });

  it('cuts a draft too long for one message at the end, keeping its buttons and saying it was cut', () => {
    const paragraphs = Array.from({ length: 12 }, (_, i) => `Paragraph ${i}: ${'words '.repeat(150)}`);

    const message = renderDraftMessage({ text: paragraphs.join('\n'), generator: 'template' }, ref);

    expect(message.blocks.map((b) => b.type)).toEqual(['section', 'section', 'section', 'actions', 'context']);
    expect((message.blocks.at(-1) as { elements: Array<{ text: string }> }).elements[0]!.text).toBe(
      'The draft was cut to fit Slack’s message limits.',
    );
    expect(message.blocks.reduce((sum, b) => sum + blockTextLength(b), 0)).toBeLessThanOrEqual(
      BLOCK_LIMITS.messageTextBudget,
    );
  });

  it('offers a redraft when the command asked for no draft', () => {
    const message = renderDraftMessage(undefined, ref);

    expect(message.text).toBe(
      'No customer draft: the command asked for `--no-draft`. Pick a tone under *Redraft* to write one.',
    );
    expect(message.blocks.at(-1)!.type).toBe('actions');
  });

  it('notes who redrafted it and in which tone', () => {
    const message = renderDraftMessage({ text: 'Short.', generator: 'template' }, ref, {
      redraft: { tone: 'technical', by: 'U0CLICKER' },
    });

    expect(message.blocks[2]).toEqual({
      type: 'context',
      elements: [
        { type: 'mrkdwn', text: 'Redrafted (more technical) by <@U0CLICKER>.' },
        { type: 'mrkdwn', text: 'Written from the evidence above; read it before sending.' },
      ],
    });
  });
});

describe('renderChannelSummary', () => {
  const record = {
    ts: '1750275660.000100',
    permalink: 'https://example.slack.com/archives/C0ONCALL/p1750275660000100',
    index: 'prod_000_audio',
    at,
    kind: 'throttling_429' as const,
    confidence: 'high' as const,
    window: { start: new Date('2026-06-18T18:11:00Z'), end: new Date('2026-06-18T21:11:00Z') },
    headline: 'Our 429 rate limiting, not 502s.',
    zone: 'AEST',
    causes: [],
  };

  it('summarises another channel’s verdicts where it is posted: names the source, keeps its id in the metadata, and offers Regenerate', () => {
    const message = renderChannelSummary(
      { records: [record], unreadable: 0 },
      {
        builtAt: new Date('2026-06-18T19:50:00Z'),
        zone: AEST,
        sourceChannel: 'C0ONCALL',
        targetChannel: 'C0INCIDENTS',
        sourceName: 'oncall',
        history: { messages: 1000, complete: false },
      },
    );

    expect(message.metadata).toEqual({
      event_type: 'why502_summary',
      event_payload: {
        verdicts: 1,
        latest_verdict_ts: '1750275660.000100',
        built_at: '2026-06-18T19:50:00.000Z',
        source_channel: 'C0ONCALL',
      },
    });
    expect(message.blocks.map((b) => b.type)).toEqual([
      'header',
      'context',
      'context',
      'section',
      'section',
      'section',
      'context',
      'actions',
    ]);
    expect(message.blocks.slice(1, 3)).toEqual([
      {
        type: 'context',
        elements: [{ type: 'mrkdwn', text: 'Verdicts asked in <#C0ONCALL>; each links to its thread there.' }],
      },
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: 'Read the latest 1,000 messages of <#C0ONCALL>; verdicts before them are not counted.',
          },
        ],
      },
    ]);
    expect(message.blocks.at(-2)).toEqual({
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: 'Built from 1 why502 verdict in #oncall · updated 19 Jun 05:50 AEST (19:50 UTC, 18 Jun) · Regenerate updates this message',
        },
      ],
    });
    expect(message.blocks.at(-1)).toEqual({
      type: 'actions',
      block_id: 'why502_summary_actions',
      elements: [
        {
          type: 'button',
          action_id: 'why502_summary_regenerate',
          text: { type: 'plain_text', text: 'Regenerate', emoji: true },
          value: '{"v":1,"source":"C0ONCALL"}',
        },
      ],
    });
  });

  it('says "this channel" and names no source when the summary is in the channel the verdicts were asked in', () => {
    const message = renderChannelSummary(
      { records: [record], unreadable: 0 },
      {
        builtAt: new Date('2026-06-18T19:50:00Z'),
        zone: AEST,
        sourceChannel: 'C0ONCALL',
        targetChannel: 'C0ONCALL',
        history: { messages: 3, complete: true },
      },
    );

    expect(message.blocks.map((b) => b.type)).toEqual([
      'header',
      'section',
      'section',
      'section',
      'context',
      'actions',
    ]);
    expect(message.text.split('\n').at(-1)).toBe(
      'Built from 1 why502 verdict in this channel · updated 19 Jun 05:50 AEST (19:50 UTC, 18 Jun) · /why502 summary updates this message',
    );
  });
});

describe('the notices', () => {
  it('puts the usage in a code block that cannot be closed early by the usage text', () => {
    expect(usageReply('Unknown zone "XYZ".', 'Usage: /why502 ```x```')).toBe(
      ":warning: Unknown zone \"XYZ\".\n```Usage: /why502 '''x'''```",
    );
  });

  it('names the channels where /why502 works', () => {
    expect(channelRefusal(['C1', 'C2'])).toBe(
      ':no_entry: /why502 is not enabled in this channel. Use it in <#C1>, <#C2>, or ask an admin to add this channel to `slack.allowedChannels` in why502.yml.',
    );
  });
});
