import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ACTION_POST_SUMMARY, ACTION_REDRAFT } from '../../src/render/slack/draft-message.js';
import { createDynamoDbStateStore } from '../../src/state/dynamodb-state-store.js';
import { type LocalDynamoDb, STATE_TABLE, startDynalite } from '../state/support/dynalite.js';
import { draftActionPayload } from './support/block-actions.js';
import { type Harness, startHarness, testConfig } from './support/harness.js';
import { fixedClock } from './support/report-fixture.js';
import { blockActionBody, postSigned, slashCommandBody } from './support/slack-requests.js';

let harness: Harness | undefined;
let other: Harness | undefined;
afterEach(async () => {
  await other?.close();
  await harness?.close();
  harness = undefined;
  other = undefined;
});

let dynamo: LocalDynamoDb;
beforeAll(async () => {
  dynamo = await startDynalite();
});
afterAll(async () => {
  await dynamo.close();
});

/** Runs one /why502 to completion and returns the recorded draft message. */
async function investigate(h: Harness) {
  await postSigned(
    h.eventsUrl,
    slashCommandBody({ text: 'prod_000_audio 05:41 AEST', responseUrl: h.api.responseUrl('cmd') }),
  );
  await h.handle.whenIdle();
  const draft = h.api
    .callsTo('chat.postMessage')
    .find((c) => JSON.stringify(c.body.blocks).includes(ACTION_POST_SUMMARY));
  if (!draft) throw new Error('no draft message was posted');
  h.api.calls.length = 0;
  return draft;
}

async function click(h: Harness, payload: Record<string, unknown>) {
  const response = await postSigned(h.eventsUrl, blockActionBody(payload));
  await h.handle.whenIdle();
  return response;
}

const PARENT_TS = '1750275660.000100';
const SUMMARY_TS = '1750275660.000103';
const SUMMARY_LINK = 'https://example.slack.com/archives/C0INCIDENTS/p1750275660000103';

describe('the draft message buttons', () => {
  it('posts the summary of the channel’s verdicts in the incident channel, linking each thread, and confirms privately', async () => {
    harness = await startHarness();
    const draft = await investigate(harness);

    const response = await click(
      harness,
      draftActionPayload({ draft, actionId: ACTION_POST_SUMMARY, responseUrl: harness.api.responseUrl('click') }),
    );

    expect(response.status).toBe(200);
    expect(harness.api.calls.map((c) => [c.method, c.body.channel])).toEqual([
      ['conversations.history', 'C0ONCALL'],
      ['chat.getPermalink', 'C0ONCALL'],
      ['conversations.history', 'C0INCIDENTS'],
      ['chat.postMessage', 'C0INCIDENTS'],
      ['chat.getPermalink', 'C0INCIDENTS'],
    ]);
    expect(harness.api.calls[0]!.body).toMatchObject({ include_all_metadata: 'true', limit: '200' });
    expect(harness.api.calls[1]!.body.message_ts).toBe(PARENT_TS);
    const summary = harness.api.calls[3]!.body;
    expect(summary.metadata).toEqual({
      event_type: 'why502_summary',
      event_payload: {
        verdicts: 1,
        latest_verdict_ts: PARENT_TS,
        built_at: '2026-06-18T19:45:00.000Z',
        source_channel: 'C0ONCALL',
      },
    });
    expect(String(summary.text).split('\n')).toEqual([
      'why502 summary · 1 verdict for 1 index: 1× 429 throttling',
      '• prod_000_audio at 19 Jun 05:41 AEST (19:41 UTC, 18 Jun) · 429 throttling (high) — The customer’s "502s" were our 429 rate limiting (burst 05:29–05:40 AEST, peak 4,593/min); the origin returned 0 5xx. · https://example.slack.com/archives/C0ONCALL/p1750275660000100',
      'Built from 1 why502 verdict in #oncall · updated 18 Jun 19:45 UTC · Regenerate updates this message',
    ]);
    expect(harness.api.responses).toEqual([
      {
        id: 'click',
        body: {
          response_type: 'ephemeral',
          replace_original: false,
          text: ':white_check_mark: Posted the summary of 1 why502 verdict in <#C0INCIDENTS> · <https://example.slack.com/archives/C0INCIDENTS/p1750275660000103|view it>.',
        },
      },
    ]);
  });

  it('explains privately that no incident channel is configured, and posts nothing', async () => {
    harness = await startHarness({ config: testConfig() });
    const draft = await investigate(harness);

    await click(
      harness,
      draftActionPayload({ draft, actionId: ACTION_POST_SUMMARY, responseUrl: harness.api.responseUrl('click') }),
    );

    expect(harness.api.calls).toEqual([]);
    expect(harness.api.responses.map((r) => r.body.text)).toEqual([
      ':information_source: No incident channel is configured, so there is nowhere to post the summary. Set `slack.incidentChannel` (a channel ID like C0INCIDENTS) in why502.yml and redeploy.',
    ]);
  });

  it('tells the clicker why the summary could not be posted when Slack refuses it', async () => {
    harness = await startHarness();
    const draft = await investigate(harness);
    harness.api.failNext('chat.postMessage', { error: 'not_in_channel' });

    await click(
      harness,
      draftActionPayload({ draft, actionId: ACTION_POST_SUMMARY, responseUrl: harness.api.responseUrl('click') }),
    );

    expect(harness.api.responses.map((r) => r.body.text)).toEqual([
      ':warning: I could not post the summary in <#C0INCIDENTS>. Slack said not_in_channel: the app is not in that channel; invite it with /invite @why502.',
    ]);
  });

  it('redrafts in the chosen tone from the thread’s kept evidence and replaces the draft message in place', async () => {
    harness = await startHarness();
    const draft = await investigate(harness);

    await click(
      harness,
      draftActionPayload({
        draft,
        actionId: ACTION_REDRAFT,
        selected: 'shorter',
        responseUrl: harness.api.responseUrl('click'),
      }),
    );

    expect(harness.runner.redrafts.map((r) => [r.report.index, r.tone])).toEqual([['prod_000_audio', 'shorter']]);
    expect(harness.runner.runs).toHaveLength(1); // the original investigation only
    expect(harness.api.calls.map((c) => [c.method, c.body.channel, c.body.ts])).toEqual([
      ['chat.update', 'C0ONCALL', '1750275660.000102'],
    ]);
    expect(harness.api.calls[0]!.body.text).toBe(
      'Customer draft (written from the template):\nA shorter draft for prod_000_audio.',
    );
    expect(JSON.stringify(harness.api.calls[0]!.body.blocks)).toContain('Redrafted (shorter) by <@U0CLICKER>.');
  });

  it('tells the clicker privately why a redraft failed, escaping the reason for mrkdwn', async () => {
    harness = await startHarness({
      runner: { redraft: async () => Promise.reject(new Error('model said <error> & gave up')) },
    });
    const draft = await investigate(harness);

    await click(
      harness,
      draftActionPayload({
        draft,
        actionId: ACTION_REDRAFT,
        selected: 'warmer',
        responseUrl: harness.api.responseUrl('click'),
      }),
    );

    expect(harness.api.calls).toEqual([]);
    expect(harness.api.responses.map((r) => r.body.text)).toEqual([
      ':warning: The redraft failed: Something went wrong on our side; the details are in the logs. (Error: model said &lt;error&gt; &amp; gave up)',
    ]);
  });

  it('re-runs the same command for a redraft when no evidence is kept for the thread', async () => {
    const first = await startHarness();
    const draft = await investigate(first);
    harness = await startHarness({ api: first.api }); // another process, with its own (empty) memory store
    other = first;

    await click(
      harness,
      draftActionPayload({
        draft,
        actionId: ACTION_REDRAFT,
        selected: 'technical',
        responseUrl: harness.api.responseUrl('click'),
      }),
    );

    expect(
      harness.runner.runs.map((r) => [r.command.index, r.command.asked.at.toISOString(), r.options?.draftTone]),
    ).toEqual([['prod_000_audio', '2026-06-18T19:41:00.000Z', 'technical']]);
    expect(harness.api.calls.map((c) => c.method)).toEqual(['chat.update']);
  });

  it('refuses an action in a channel outside slack.allowedChannels', async () => {
    harness = await startHarness({
      config: testConfig({ allowedChannels: ['C0ONCALL'], incidentChannel: 'C0INCIDENTS' }),
    });
    const draft = await investigate(harness);

    await click(
      harness,
      draftActionPayload({
        draft,
        actionId: ACTION_POST_SUMMARY,
        channelId: 'C0ELSEWHERE',
        responseUrl: harness.api.responseUrl('click'),
      }),
    );

    expect(harness.api.calls).toEqual([]);
    expect(harness.api.responses.map((r) => r.body.text)).toEqual([
      ':no_entry: /why502 is not enabled in this channel. Use it in <#C0ONCALL>, or ask an admin to add this channel to `slack.allowedChannels` in why502.yml.',
    ]);
  });

  it('gives the replaced draft new block_ids on every redraft, so the Redraft menu does not keep its old choice', async () => {
    harness = await startHarness();
    const draft = await investigate(harness);
    const blockIds = (blocks: unknown) => (blocks as Array<{ block_id?: string }>).map((b) => b.block_id);

    await click(
      harness,
      draftActionPayload({
        draft,
        actionId: ACTION_REDRAFT,
        selected: 'shorter',
        responseUrl: harness.api.responseUrl('click'),
      }),
    );
    await click(
      harness,
      draftActionPayload({
        draft,
        actionId: ACTION_REDRAFT,
        selected: 'warmer',
        responseUrl: harness.api.responseUrl('click'),
      }),
    );

    const [first, second] = harness.api.callsTo('chat.update').map((c) => blockIds(c.body.blocks));
    const original = blockIds(draft.body.blocks);
    expect(original.at(-1)).toBe('why502_draft_actions');
    expect(first!.at(-1)).toMatch(/^why502_draft_actions\.[0-9a-f]{8}$/);
    expect(second!.at(-1)).toMatch(/^why502_draft_actions\.[0-9a-f]{8}$/);
    expect(first!.every((id) => typeof id === 'string' && !original.includes(id) && !second!.includes(id))).toBe(true);
  });

  it('keeps one summary message in the incident channel however often it is clicked: later clicks update it in place', async () => {
    harness = await startHarness();
    const draft = await investigate(harness);

    await click(
      harness,
      draftActionPayload({
        draft,
        actionId: ACTION_POST_SUMMARY,
        responseUrl: harness.api.responseUrl('first'),
        userId: 'U0FIRST',
      }),
    );
    await click(
      harness,
      draftActionPayload({
        draft,
        actionId: ACTION_POST_SUMMARY,
        responseUrl: harness.api.responseUrl('second'),
        userId: 'U0SECOND',
      }),
    );

    expect(harness.api.callsTo('chat.postMessage').map((c) => c.body.channel)).toEqual(['C0INCIDENTS']);
    expect(harness.api.callsTo('chat.update').map((c) => [c.body.channel, c.body.ts])).toEqual([
      ['C0INCIDENTS', SUMMARY_TS],
    ]);
    expect(harness.api.messagesIn('C0INCIDENTS').map((m) => [m.ts, m.metadata?.event_type])).toEqual([
      [SUMMARY_TS, 'why502_summary'],
    ]);
    expect(harness.api.responses.map((r) => [r.id, r.body.text])).toEqual([
      [
        'first',
        `:white_check_mark: Posted the summary of 1 why502 verdict in <#C0INCIDENTS> · <${SUMMARY_LINK}|view it>.`,
      ],
      [
        'second',
        `:white_check_mark: Updated the summary of 1 why502 verdict in <#C0INCIDENTS> · <${SUMMARY_LINK}|view it>.`,
      ],
    ]);
  });

  it('updates the same summary when the second click lands on another instance, through the pointer in the shared DynamoDB store', async () => {
    const storeOf = () =>
      createDynamoDbStateStore({ client: dynamo.client(), tableName: STATE_TABLE, clock: fixedClock });
    harness = await startHarness({ app: { state: storeOf() } });
    other = await startHarness({ app: { state: storeOf() }, api: harness.api });
    const draft = await investigate(harness);

    await click(
      harness,
      draftActionPayload({
        draft,
        actionId: ACTION_POST_SUMMARY,
        responseUrl: harness.api.responseUrl('first'),
        userId: 'U0FIRST',
      }),
    );
    await click(
      other,
      draftActionPayload({
        draft,
        actionId: ACTION_POST_SUMMARY,
        responseUrl: harness.api.responseUrl('second'),
        userId: 'U0SECOND',
      }),
    );

    expect(harness.api.callsTo('chat.postMessage').map((c) => c.body.channel)).toEqual(['C0INCIDENTS']);
    // The pointer was found: the incident channel's history was read once, by the first click only.
    expect(harness.api.callsTo('conversations.history').map((c) => c.body.channel)).toEqual([
      'C0ONCALL',
      'C0INCIDENTS',
      'C0ONCALL',
    ]);
    expect(harness.api.messagesIn('C0INCIDENTS')).toHaveLength(1);
    expect(harness.api.responses.map((r) => r.id)).toEqual(['first', 'second']);
  });

  it('lets a later click post the summary when the first one failed', async () => {
    harness = await startHarness();
    const draft = await investigate(harness);
    harness.api.failNext('chat.postMessage', { error: 'not_in_channel' });

    await click(
      harness,
      draftActionPayload({ draft, actionId: ACTION_POST_SUMMARY, responseUrl: harness.api.responseUrl('first') }),
    );
    await click(
      harness,
      draftActionPayload({ draft, actionId: ACTION_POST_SUMMARY, responseUrl: harness.api.responseUrl('second') }),
    );

    expect(
      harness.api.callsTo('chat.postMessage').map((c) => [c.body.channel, c.result ? 'posted' : 'refused']),
    ).toEqual([
      ['C0INCIDENTS', 'refused'],
      ['C0INCIDENTS', 'posted'],
    ]);
  });
});
