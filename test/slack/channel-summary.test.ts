import { afterEach, describe, expect, it } from 'vitest';
import type { InvestigationCommand } from '../../src/core/types.js';
import { ACTION_REGENERATE_SUMMARY } from '../../src/render/slack/channel-summary-messages.js';
import { ACTION_POST_SUMMARY } from '../../src/render/slack/draft-message.js';
import { draftActionPayload } from './support/block-actions.js';
import type { RecordedCall, StoredMessage } from './support/fake-slack-api.js';
import { type Harness, startHarness } from './support/harness.js';
import { throttlingReport } from './support/report-fixture.js';
import { blockActionBody, postSigned, slashCommandBody } from './support/slack-requests.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** Reports whose asked minute is the command's (the fake runner reads "HH:MM AEST"). */
const runner = {
  report: (command: InvestigationCommand) =>
    throttlingReport({ index: command.index, at: command.asked.at.toISOString().replace('.000Z', 'Z') }),
};

async function command(h: Harness, text: string, responseId = 'cmd', userId = 'U0ONCALL') {
  const ack = await postSigned(
    h.eventsUrl,
    slashCommandBody({ text, responseUrl: h.api.responseUrl(responseId), userId }),
  );
  await h.handle.whenIdle();
  return JSON.parse(ack.text) as { response_type: string; text: string };
}

async function click(h: Harness, payload: Record<string, unknown>) {
  const response = await postSigned(h.eventsUrl, blockActionBody(payload));
  await h.handle.whenIdle();
  return response;
}

const summariesIn = (h: Harness, channel: string) =>
  h.api.messagesIn(channel).filter((m) => m.metadata?.event_type === 'why502_summary');
const lines = (message: StoredMessage) => message.text.split('\n');
const responseTexts = (h: Harness) => h.api.responses.map((r) => r.body.text);

/** A verdict an older why502 posted: metadata without headline, zone or causes; the headline is in its text. */
function olderVerdict(ts: string, at: string): StoredMessage {
  return {
    ts,
    bot_id: 'B0WHY502',
    text: '502 from the load balancer, target unreachable · confidence medium\nTargets closed connections &lt;unexpectedly&gt;: 41 LB-minted 502s at 05:12.\nprod_001_images · …',
    metadata: {
      event_type: 'why502_verdict',
      event_payload: {
        index: 'prod_001_images',
        at,
        verdict_kind: 'target_unreachable',
        confidence: 'medium',
        window_start: '2026-06-18T17:42:00Z',
        window_end: '2026-06-18T20:42:00Z',
      },
    },
  };
}

describe('/why502 summary', () => {
  it('posts one summary of the channel’s verdicts, then updates that message in place when asked again', async () => {
    harness = await startHarness({ runner });
    await command(harness, 'prod_000_audio 05:41 AEST');

    const firstAck = await command(harness, 'summary', 'first');
    const created = summariesIn(harness, 'C0ONCALL');
    await command(harness, 'prod_000_audio 05:30 AEST');
    const secondAck = await command(harness, 'summary', 'second');

    expect(firstAck).toEqual({
      response_type: 'ephemeral',
      text: ':hourglass_flowing_sand: Building the summary of this channel’s why502 verdicts… it is kept as one message here, updated in place.',
    });
    expect(secondAck.text).toBe(firstAck.text);
    const summaries = summariesIn(harness, 'C0ONCALL');
    expect(summaries.map((m) => m.ts)).toEqual([created[0]!.ts]);
    expect(harness.api.callsTo('chat.update').filter((c) => c.body.ts === created[0]!.ts)).toHaveLength(1);
    expect(lines(summaries[0]!)).toEqual([
      'why502 summary · 2 verdicts for 1 index: 2× 429 throttling',
      '• prod_000_audio at 19 Jun 05:30 AEST (19:30 UTC, 18 Jun) · 429 throttling (high) — The customer’s "502s" were our 429 rate limiting (burst 05:29–05:40 AEST, peak 4,593/min); the origin returned 0 5xx. · https://example.slack.com/archives/C0ONCALL/p1750275660000104',
      '• prod_000_audio at 19 Jun 05:41 AEST (19:41 UTC, 18 Jun) · 429 throttling (high) — The customer’s "502s" were our 429 rate limiting (burst 05:29–05:40 AEST, peak 4,593/min); the origin returned 0 5xx. · https://example.slack.com/archives/C0ONCALL/p1750275660000100',
      'Built from 2 why502 verdicts in this channel · updated 18 Jun 19:45 UTC · /why502 summary updates this message',
    ]);
    expect(summaries[0]!.metadata).toEqual({
      event_type: 'why502_summary',
      event_payload: {
        verdicts: 2,
        latest_verdict_ts: '1750275660.000104',
        built_at: '2026-06-18T19:45:00.000Z',
        source_channel: 'C0ONCALL',
      },
    });
    expect(responseTexts(harness).filter((t) => String(t).includes('summary'))).toEqual([
      ':white_check_mark: Posted the summary of 1 why502 verdict in <#C0ONCALL> · <https://example.slack.com/archives/C0ONCALL/p1750275660000103|view it>.',
      ':white_check_mark: Updated the summary of 2 why502 verdicts in <#C0ONCALL> · <https://example.slack.com/archives/C0ONCALL/p1750275660000103|view it>.',
    ]);
  });

  it('rebuilds the same message when Regenerate is clicked on it', async () => {
    harness = await startHarness({ runner });
    await command(harness, 'prod_000_audio 05:41 AEST');
    await command(harness, 'summary');
    const posted = harness.api
      .callsTo('chat.postMessage')
      .find((c) => (c.body.metadata as { event_type?: string } | undefined)?.event_type === 'why502_summary')!;
    harness.api.seedMessages('C0ONCALL', [olderVerdict('1750275000.000100', '2026-06-18T19:12:00Z')]);
    harness.api.calls.length = 0;

    await click(
      harness,
      draftActionPayload({
        draft: posted,
        actionId: ACTION_REGENERATE_SUMMARY,
        responseUrl: harness.api.responseUrl('regenerate'),
      }),
    );

    expect(harness.api.calls.map((c) => [c.method, c.body.channel, c.body.ts ?? c.body.message_ts ?? null])).toEqual([
      ['conversations.history', 'C0ONCALL', null],
      ['chat.getPermalink', 'C0ONCALL', '1750275660.000100'],
      ['chat.getPermalink', 'C0ONCALL', '1750275000.000100'],
      ['chat.update', 'C0ONCALL', posted.result!.ts],
      ['chat.getPermalink', 'C0ONCALL', posted.result!.ts],
    ]);
    expect(lines(summariesIn(harness, 'C0ONCALL')[0]!).slice(0, 3)).toEqual([
      'why502 summary · 2 verdicts for 2 indexes: 1× Targets unreachable, 1× 429 throttling',
      // The older verdict's headline comes from its text, unescaped, then escaped once for the fallback.
      '• prod_001_images at 18 Jun 19:12 UTC · Targets unreachable (medium) — Targets closed connections &lt;unexpectedly&gt;: 41 LB-minted 502s at 05:12. · https://example.slack.com/archives/C0ONCALL/p1750275000000100',
      '• prod_000_audio at 19 Jun 05:41 AEST (19:41 UTC, 18 Jun) · 429 throttling (high) — The customer’s "502s" were our 429 rate limiting (burst 05:29–05:40 AEST, peak 4,593/min); the origin returned 0 5xx. · https://example.slack.com/archives/C0ONCALL/p1750275660000100',
    ]);
  });

  it('reads the channel’s history page by page with cursors, up to five pages, and says when older messages were left unread', async () => {
    harness = await startHarness({ runner });
    harness.api.seedMessages('C0ONCALL', [olderVerdict('1750270000.000100', '2026-06-18T19:12:00Z')]);
    harness.api.seedMessages(
      'C0ONCALL',
      Array.from({ length: 450 }, (_, i) => ({
        ts: `${1750271000 + i}.000100`,
        text: `standup note ${i}`,
        user: 'U0CHATTY',
      })),
    );

    await command(harness, 'summary');
    const small = lines(summariesIn(harness, 'C0ONCALL')[0]!);
    harness.api.seedMessages(
      'C0ONCALL',
      Array.from({ length: 700 }, (_, i) => ({
        ts: `${1750272000 + i}.000100`,
        text: `more chatter ${i}`,
        user: 'U0CHATTY',
      })),
    );
    harness.api.calls.length = 0;
    await command(harness, 'summary');

    expect(small[0]).toBe('why502 summary · 1 verdict for 1 index: 1× Targets unreachable');
    const pages = harness.api.callsTo('conversations.history').map((c) => [c.body.limit, c.body.cursor ?? null]);
    expect(pages).toEqual([
      ['200', null],
      ['200', 'bmV4dF9vZmZzZXQ6MjAw'],
      ['200', 'bmV4dF9vZmZzZXQ6NDAw'],
      ['200', 'bmV4dF9vZmZzZXQ6NjAw'],
      ['200', 'bmV4dF9vZmZzZXQ6ODAw'],
    ]);
    const updated = summariesIn(harness, 'C0ONCALL')[0]!;
    expect(lines(updated)[0]).toBe('why502 summary · 0 verdicts for 0 indexes');
    expect(JSON.stringify(updated.blocks)).toContain(
      'Read the latest 1,000 messages of <#C0ONCALL>; verdicts before them are not counted.',
    );
  });

  it('waits out a rate limit on conversations.history (HTTP 429, Retry-After) and still builds the summary', async () => {
    harness = await startHarness({ runner });
    await command(harness, 'prod_000_audio 05:41 AEST');
    harness.api.failNext('conversations.history', { status: 429, retryAfterSeconds: 1 });

    await command(harness, 'summary');

    const tries = harness.api.callsTo('conversations.history');
    expect(tries.map((c) => (c.result ? 'ok' : 'limited'))).toEqual(['limited', 'ok']);
    expect(tries[1]!.atMs - tries[0]!.atMs).toBeGreaterThanOrEqual(990);
    expect(summariesIn(harness, 'C0ONCALL')).toHaveLength(1);
  });

  it('tells the asker why, and posts nothing, when the app cannot read the channel (not_in_channel)', async () => {
    harness = await startHarness({ runner });
    harness.api.failNext('conversations.history', { error: 'not_in_channel' });

    await command(harness, 'summary');

    expect(harness.api.callsTo('chat.postMessage')).toEqual([]);
    expect(responseTexts(harness)).toEqual([
      ':warning: I could not read the why502 verdicts in <#C0ONCALL>. Slack said not_in_channel: the app is not in that channel; invite it with /invite @why502.',
    ]);
  });

  it('posts a new summary when the one it kept was deleted (message_not_found)', async () => {
    harness = await startHarness({ runner });
    await command(harness, 'prod_000_audio 05:41 AEST');
    await command(harness, 'summary');
    const first = summariesIn(harness, 'C0ONCALL')[0]!;
    harness.api.deleteMessage('C0ONCALL', first.ts);

    await command(harness, 'summary');

    const updates = harness.api.callsTo('chat.update').filter((c) => c.body.ts === first.ts);
    expect(updates.map((c) => (c.result ? 'updated' : 'refused'))).toEqual(['refused']);
    expect(summariesIn(harness, 'C0ONCALL').map((m) => m.ts)).toEqual(['1750275660.000104']);
  });

  it('lists a verdict’s causes and shows its time in its own zone, from the metadata the verdict message carries', async () => {
    harness = await startHarness({ runner });
    harness.api.seedMessages('C0ONCALL', [
      {
        ts: '1750274000.000100',
        bot_id: 'B0WHY502',
        text: 'Targets unreachable · confidence high',
        metadata: {
          event_type: 'why502_verdict',
          event_payload: {
            index: 'prod_000_audio',
            at: '2026-06-18T19:38:00Z',
            verdict_kind: 'target_unreachable',
            confidence: 'high',
            window_start: '2026-06-18T18:08:00Z',
            window_end: '2026-06-18T21:08:00Z',
            headline: '41 LB-minted 502s while 2 of 3 traefik pods restarted.',
            zone: 'Australia/Sydney',
            causes: 'deploy,oom_kill',
          },
        },
      },
    ]);

    await command(harness, 'summary');

    expect(lines(summariesIn(harness, 'C0ONCALL')[0]!)[1]).toBe(
      '• prod_000_audio at 19 Jun 05:38 AEST (19:38 UTC, 18 Jun) · Targets unreachable (high) — 41 LB-minted 502s while 2 of 3 traefik pods restarted. · causes: deploy, oom kill · https://example.slack.com/archives/C0ONCALL/p1750274000000100',
    );
  });

  it('escapes a hostile headline in another app’s why502_verdict metadata: no broadcast, no link', async () => {
    harness = await startHarness({ runner });
    harness.api.seedMessages('C0ONCALL', [
      {
        ts: '1750274000.000100',
        user: 'U0MALLORY',
        text: 'hi',
        metadata: {
          event_type: 'why502_verdict',
          event_payload: {
            index: 'prod_000_audio',
            at: '2026-06-18T19:30:00Z',
            verdict_kind: 'origin_5xx',
            confidence: 'high',
            window_start: '2026-06-18T18:00:00Z',
            window_end: '2026-06-18T21:00:00Z',
            headline: '<!channel> <https://evil.example|urgent> *everyone*',
            zone: 'AEST',
          },
        },
      },
    ]);

    await command(harness, 'summary');

    const summary = JSON.stringify(summariesIn(harness, 'C0ONCALL')[0]!.blocks);
    expect(summary).toContain('&lt;!channel&gt; &lt;https://evil.example|urgent&gt;');
    for (const markup of ['<!channel>', '<https://evil.example']) expect(summary).not.toContain(markup);
  });
});

describe('/why502 catchup', () => {
  it('sends the verdicts to the asker alone (chat.postEphemeral), then leads with what is new since their last catch-up', async () => {
    harness = await startHarness({ runner });
    await command(harness, 'prod_000_audio 05:41 AEST');

    const ack = await command(harness, 'catchup');
    await command(harness, 'prod_000_audio 05:30 AEST');
    await command(harness, 'catch-up');

    expect(ack.text).toBe(
      ':hourglass_flowing_sand: Catching you up on this channel’s why502 verdicts… only you will see it.',
    );
    const sent = harness.api.callsTo('chat.postEphemeral');
    expect(sent.map((c) => [c.body.channel, c.body.user])).toEqual([
      ['C0ONCALL', 'U0ONCALL'],
      ['C0ONCALL', 'U0ONCALL'],
    ]);
    expect(String(sent[0]!.body.text).split('\n').slice(0, 2)).toEqual([
      'Catch-up: 1 verdict for 1 index: 1× 429 throttling',
      '• prod_000_audio at 19 Jun 05:41 AEST (19:41 UTC, 18 Jun) · 429 throttling (high) — The customer’s "502s" were our 429 rate limiting (burst 05:29–05:40 AEST, peak 4,593/min); the origin returned 0 5xx. · https://example.slack.com/archives/C0ONCALL/p1750275660000100',
    ]);
    expect(String(sent[1]!.body.text).split('\n').slice(0, 3)).toEqual([
      'Catch-up: 2 verdicts for 1 index: 2× 429 throttling',
      'New since 18 Jun 19:41 UTC: 1',
      '• prod_000_audio at 19 Jun 05:30 AEST (19:30 UTC, 18 Jun) · 429 throttling (high) — The customer’s "502s" were our 429 rate limiting (burst 05:29–05:40 AEST, peak 4,593/min); the origin returned 0 5xx. · https://example.slack.com/archives/C0ONCALL/p1750275660000104',
    ]);
    // Nothing was posted to the channel for it.
    expect(summariesIn(harness, 'C0ONCALL')).toEqual([]);
  });

  it('answers through response_url when Slack refuses the ephemeral message (user_not_in_channel)', async () => {
    harness = await startHarness({ runner });
    harness.api.failNext('chat.postEphemeral', { error: 'user_not_in_channel' });

    await command(harness, 'catchup', 'catchup');

    expect(harness.api.responses.map((r) => [r.id, String(r.body.text).split('\n')[0]])).toEqual([
      ['catchup', 'Catch-up: 0 verdicts for 0 indexes'],
    ]);
  });
});

describe('the draft’s "Post summary to incident channel" button', () => {
  it('asks to confirm before posting to another channel, naming it (a Block Kit confirm dialog)', async () => {
    harness = await startHarness({ runner });
    await command(harness, 'prod_000_audio 05:41 AEST');

    const draft = harness.api
      .callsTo('chat.postMessage')
      .find((c) => JSON.stringify(c.body.blocks).includes(ACTION_POST_SUMMARY))!;
    const button = buttonOf(draft, ACTION_POST_SUMMARY);

    expect(button.confirm).toEqual({
      title: { type: 'plain_text', text: 'Post to the incident channel?' },
      text: {
        type: 'mrkdwn',
        text: 'why502 will post the summary of this channel’s why502 verdicts, with a link to each thread, in <#C0INCIDENTS>, or update the one it posted there before.',
      },
      confirm: { type: 'plain_text', text: 'Post summary' },
      deny: { type: 'plain_text', text: 'Cancel' },
    });
  });

  it('keeps the incident channel’s summary of #oncall as one message, found again by its metadata when the pointer is gone', async () => {
    harness = await startHarness({ runner });
    await command(harness, 'prod_000_audio 05:41 AEST');
    const draft = harness.api
      .callsTo('chat.postMessage')
      .find((c) => JSON.stringify(c.body.blocks).includes(ACTION_POST_SUMMARY))!;
    // Another app's summary for another source in the incident channel must not be the one updated.
    harness.api.seedMessages('C0INCIDENTS', [
      {
        ts: '1750275000.000100',
        bot_id: 'B0WHY502',
        text: 'why502 summary of #sre',
        metadata: { event_type: 'why502_summary', event_payload: { verdicts: 3, source_channel: 'C0SRE' } },
      },
    ]);

    await click(
      harness,
      draftActionPayload({ draft, actionId: ACTION_POST_SUMMARY, responseUrl: harness.api.responseUrl('first') }),
    );
    const posted = summariesIn(harness, 'C0INCIDENTS').find(
      (m) => m.metadata?.event_payload.source_channel === 'C0ONCALL',
    )!;
    const restarted = await startHarness({ runner, api: harness.api }); // a new process: no pointer in its memory
    await click(
      restarted,
      draftActionPayload({ draft, actionId: ACTION_POST_SUMMARY, responseUrl: harness.api.responseUrl('second') }),
    );
    await restarted.close();

    expect(summariesIn(harness, 'C0INCIDENTS').map((m) => [m.ts, m.metadata?.event_payload.source_channel])).toEqual([
      ['1750275000.000100', 'C0SRE'],
      [posted.ts, 'C0ONCALL'],
    ]);
    expect(
      harness.api
        .callsTo('chat.update')
        .filter((c) => c.body.channel === 'C0INCIDENTS')
        .map((c) => c.body.ts),
    ).toEqual([posted.ts]);
    expect(lines(summariesIn(harness, 'C0INCIDENTS')[1]!).at(-1)).toBe(
      'Built from 1 why502 verdict in #oncall · updated 18 Jun 19:45 UTC · Regenerate updates this message',
    );
  });
});

function buttonOf(message: RecordedCall, actionId: string): Record<string, unknown> {
  const blocks = message.body.blocks as Array<{ type: string; elements?: Array<Record<string, unknown>> }>;
  return blocks.flatMap((b) => b.elements ?? []).find((e) => e.action_id === actionId)!;
}
