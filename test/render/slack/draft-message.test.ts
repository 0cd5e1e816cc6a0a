import { afterEach, describe, expect, it } from 'vitest';
import type { ReportJson } from '../../../src/core/report.js';
import { OUR_ACTION_NOTE } from '../../../src/draft/template-draft.js';
import { whyNoDraft } from '../../../src/draft/why-no-draft.js';
import { BLOCK_LIMITS, blockTextLength } from '../../../src/render/slack/block-kit.js';
import { ACTION_POST_SUMMARY, ACTION_REDRAFT, renderDraftMessage } from '../../../src/render/slack/draft-message.js';
import type { DraftRef } from '../../../src/render/slack/draft-ref.js';
import { draftActionPayload } from '../../slack/support/block-actions.js';
import { type Harness, startHarness } from '../../slack/support/harness.js';
import { throttlingReport } from '../../slack/support/report-fixture.js';
import { blockActionBody, postSigned, slashCommandBody } from '../../slack/support/slack-requests.js';

/** The customer draft in Slack (issue 10 item 8): a way back to neutral, no draft without data, the placeholder said out loud. */
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

const PLACEHOLDER_DRAFT =
  "Hi team — thanks for flagging the errors you saw around 5:41 AM AEST.\n\nWhat helps: retry 429 responses with backoff.\n\n[What we're doing: …]";
const contextTexts = (blocks: unknown[]) =>
  (blocks as Array<{ type: string; elements?: Array<{ text: string }> }>)
    .filter((b) => b.type === 'context')
    .flatMap((b) => b.elements!.map((e) => e.text));

/** An inconclusive answer with nothing about the index measured at 05:41: the files did not cover it. */
function inconclusiveWithoutData(): ReportJson {
  const report = throttlingReport();
  for (const [name, signal] of Object.entries(report.signals)) {
    report.signals[name] =
      signal.scope === 'index'
        ? {
            ...signal,
            status: 'unavailable',
            reason: 'no log lines in the window',
            window: null,
            atMinute: null,
            peak: null,
          }
        : signal;
  }
  const verdict = {
    kind: 'inconclusive' as const,
    headline: 'No evidence for prod_000_audio at 05:41 AEST: the logs given do not cover that minute.',
    confidence: 'low' as const,
    reasons: ['The ALB and proxy logs given end at 03:00 AEST.'],
    advice: ['Check that the log files cover 05:41 AEST on 19 Jun (AEST is UTC+10:00), or pass the right zone.'],
    facts: {},
  };
  return { ...report, verdict, findings: [verdict], draft: undefined };
}

describe('the draft message', () => {
  it('says OUR_ACTION_NOTE in a block of its own when the draft leaves the "[What we’re doing: …]" line', () => {
    const message = renderDraftMessage({ text: PLACEHOLDER_DRAFT, generator: 'template' }, ref);

    expect(message.blocks.map((b) => b.type)).toEqual(['section', 'section', 'context', 'context', 'actions']);
    expect(contextTexts(message.blocks)).toEqual([
      `:pencil2: ${OUR_ACTION_NOTE}`,
      'Written from the evidence above; read it before sending.',
    ]);
    expect(message.text.split('\n').at(-1)).toBe(`:pencil2: ${OUR_ACTION_NOTE}`);
  });

  it('says it once when the draft’s own note already carries it, keeping the rest of that note', () => {
    const message = renderDraftMessage(
      {
        text: PLACEHOLDER_DRAFT,
        generator: 'template',
        note: `the model's answer was cut short (max_output_tokens). ${OUR_ACTION_NOTE}`,
      },
      ref,
    );

    expect(contextTexts(message.blocks)).toEqual([
      `:pencil2: ${OUR_ACTION_NOTE}`,
      "the model's answer was cut short (max_output_tokens)",
      'Written from the evidence above; read it before sending.',
    ]);
  });

  it('keeps the note when a long draft is cut to fit', () => {
    const long = `${Array.from({ length: 12 }, (_, i) => `Paragraph ${i}: ${'words '.repeat(150)}`).join('\n')}\n\n[What we're doing: …]`;

    const message = renderDraftMessage({ text: long, generator: 'template' }, ref);

    expect(contextTexts(message.blocks)).toEqual([
      `:pencil2: ${OUR_ACTION_NOTE}`,
      'The draft was cut to fit Slack’s message limits.',
    ]);
    expect(message.blocks.reduce((sum, b) => sum + blockTextLength(b), 0)).toBeLessThanOrEqual(
      BLOCK_LIMITS.messageTextBudget,
    );
  });

  it('has no placeholder note for a draft without the line', () => {
    const message = renderDraftMessage(
      { text: 'Hi team — our servers returned no 5xx errors.', generator: 'template' },
      ref,
    );

    expect(contextTexts(message.blocks)).toEqual(['Written from the evidence above; read it before sending.']);
  });

  it('says why there is no draft, and what to check, when the engine decided there is nothing to tell the customer', () => {
    const note = whyNoDraft(inconclusiveWithoutData())!;

    const message = renderDraftMessage(undefined, ref, { noDraftNote: note });

    expect(message.text).toBe(
      ':information_source: No customer draft: nothing about prod_000_audio was measured at the asked time, so there is nothing to tell the customer yet. Check first: Check that the log files cover 05:41 AEST on 19 Jun (AEST is UTC+10:00), or pass the right zone.',
    );
    expect(message.text).not.toContain('--no-draft');
    expect(message.blocks.at(-1)!.type).toBe('actions');
  });

  it('offers the neutral first draft back in the Redraft menu, first', () => {
    const message = renderDraftMessage({ text: 'Short.', generator: 'template' }, ref);

    const menu = (
      message.blocks.at(-1) as {
        elements: Array<{ action_id: string; options?: Array<{ text: { text: string }; value: string }> }>;
      }
    ).elements.find((e) => e.action_id === ACTION_REDRAFT)!;
    expect(menu.options!.map((o) => [o.text.text, o.value])).toEqual([
      ['Neutral (first draft)', 'neutral'],
      ['Shorter', 'shorter'],
      ['More technical', 'technical'],
      ['Warmer', 'warmer'],
    ]);
  });
});

describe('the draft in the thread', () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  async function investigate(h: Harness) {
    await postSigned(
      h.eventsUrl,
      slashCommandBody({ text: 'prod_000_audio 05:41 AEST', responseUrl: h.api.responseUrl('cmd') }),
    );
    await h.handle.whenIdle();
    return h.api
      .callsTo('chat.postMessage')
      .find((c) => JSON.stringify(c.body.blocks ?? []).includes(ACTION_POST_SUMMARY))!;
  }

  it('says what to check instead of a draft for an inconclusive answer without data', async () => {
    harness = await startHarness({ runner: { report: () => inconclusiveWithoutData() } });

    const draft = await investigate(harness);

    expect(draft.body.text).toBe(`:information_source: ${whyNoDraft(inconclusiveWithoutData())}`);
  });

  it('still says --no-draft when the command asked for no draft and there was data', async () => {
    harness = await startHarness({ runner: { report: () => throttlingReport({ draft: undefined }) } });

    const draft = await investigate(harness);

    expect(draft.body.text).toBe(
      'No customer draft: the command asked for `--no-draft`. Pick a tone under *Redraft* to write one.',
    );
  });

  it('goes back to the neutral tone when Neutral is picked under Redraft, saying so under the draft', async () => {
    harness = await startHarness({
      runner: { redraft: async () => ({ text: PLACEHOLDER_DRAFT, generator: 'template' }) },
    });
    const draft = await investigate(harness);
    harness.api.calls.length = 0;

    await postSigned(
      harness.eventsUrl,
      blockActionBody(
        draftActionPayload({
          draft,
          actionId: ACTION_REDRAFT,
          selected: 'neutral',
          responseUrl: harness.api.responseUrl('click'),
        }),
      ),
    );
    await harness.handle.whenIdle();

    expect(harness.runner.redrafts.map((r) => r.tone)).toEqual(['neutral']);
    const [update] = harness.api.callsTo('chat.update');
    expect(contextTexts(update!.body.blocks as unknown[])).toEqual([
      `:pencil2: ${OUR_ACTION_NOTE}`,
      'Redrafted (back to the neutral first draft) by <@U0CLICKER>.',
      'Written from the evidence above; read it before sending.',
    ]);
  });
});
