import { afterEach, describe, expect, it } from 'vitest';
import { SourceError } from '../../src/errors.js';
import { ACTION_POST_SUMMARY, ACTION_REDRAFT } from '../../src/render/slack/draft-message.js';
import { type Harness, startHarness, testConfig } from './support/harness.js';
import { throttlingReport } from './support/report-fixture.js';
import { nowSeconds, postSigned, slashCommandBody } from './support/slack-requests.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function sendCommand(
  h: Harness,
  text: string,
  extra: { channelId?: string; triggerId?: string; headers?: Record<string, string> } = {},
) {
  const body = slashCommandBody({ text, responseUrl: h.api.responseUrl('cmd'), ...extra });
  return postSigned(h.eventsUrl, body, { headers: extra.headers ?? {} });
}

const VERDICT_METADATA = {
  event_type: 'why502_verdict',
  event_payload: {
    index: 'prod_000_audio',
    at: '2026-06-18T19:41:00Z',
    verdict_kind: 'throttling_429',
    confidence: 'high',
    window_start: '2026-06-18T18:11:00Z',
    window_end: '2026-06-18T21:11:00Z',
    headline:
      'The customer’s "502s" were our 429 rate limiting (burst 05:29–05:40 AEST, peak 4,593/min); the origin returned 0 5xx.',
    zone: 'AEST',
  },
};

describe('the /why502 command over the real Bolt HTTP receiver', () => {
  it('acknowledges at once, then posts the parent, the threaded verdict and draft, and updates the parent', async () => {
    harness = await startHarness();

    const ack = await sendCommand(harness, 'prod_000_audio 05:41 AEST');
    await harness.handle.whenIdle();

    expect(ack.status).toBe(200);
    expect(JSON.parse(ack.text)).toEqual({
      response_type: 'ephemeral',
      text: ':mag: Investigating `prod_000_audio` at 19 Jun 05:41 AEST (19:41 UTC, 18 Jun)… the answer will appear in a thread in this channel.',
    });
    const calls = harness.api.calls.map((call) => ({
      method: call.method,
      channel: call.body.channel,
      thread_ts: call.body.thread_ts,
      ts: call.body.ts,
    }));
    const parentTs = '1750275660.000100';
    expect(calls).toEqual([
      { method: 'chat.postMessage', channel: 'C0ONCALL', thread_ts: undefined, ts: undefined },
      { method: 'chat.postMessage', channel: 'C0ONCALL', thread_ts: parentTs, ts: undefined },
      { method: 'chat.postMessage', channel: 'C0ONCALL', thread_ts: parentTs, ts: undefined },
      { method: 'chat.update', channel: 'C0ONCALL', thread_ts: undefined, ts: parentTs },
    ]);
    const [parent, verdict, draft, update] = harness.api.calls;
    expect(parent!.body.text).toBe(
      ':mag: *why502* · `prod_000_audio` · 19 Jun 05:41 AEST (19:41 UTC, 18 Jun) · asked by <@U0ONCALL>\nInvestigating 04:11–07:11 AEST (18:11–21:11 UTC)…',
    );
    expect(verdict!.body.metadata).toEqual(VERDICT_METADATA);
    expect((verdict!.body.blocks as Array<{ type: string }>).map((b) => b.type)).toEqual([
      'header',
      'section',
      'table',
      'context',
      'section',
      'section',
      'section',
      'context',
    ]);
    expect(verdict!.body.text).toContain('429 throttling, not 502s · confidence high');
    const actions = (draft!.body.blocks as Array<{ type: string; elements?: Array<{ action_id: string }> }>).find(
      (b) => b.type === 'actions',
    );
    expect(actions?.elements?.map((e) => e.action_id)).toEqual([ACTION_POST_SUMMARY, ACTION_REDRAFT]);
    expect(draft!.body.text).toBe(
      'Customer draft (written from the template):\nHi team — thanks for flagging the errors you saw around 5:41 AM AEST.\n\nOur servers returned no 5xx errors.',
    );
    expect(update!.body.text).toBe(
      ':large_yellow_circle: *prod_000_audio at 05:41 AEST: 429 throttling, not 502s.* The customer’s "502s" were our 429 rate limiting (burst 05:29–05:40 AEST, peak 4,593/min); the origin returned 0 5xx. Details in the thread.\n' +
        ':mag: *why502* · `prod_000_audio` · 19 Jun 05:41 AEST (19:41 UTC, 18 Jun) · asked by <@U0ONCALL>',
    );
    expect(harness.runner.runs.map((r) => r.command.index)).toEqual(['prod_000_audio']);
  });

  it('answers a request with a bad signature with HTTP 401 and nothing else', async () => {
    harness = await startHarness();

    const response = await postSigned(
      harness.eventsUrl,
      slashCommandBody({ text: 'prod_000_audio 05:41 AEST', responseUrl: harness.api.responseUrl('x') }),
      {
        signature: 'v0=0000000000000000000000000000000000000000000000000000000000000000',
      },
    );
    await harness.handle.whenIdle();

    expect(response.status).toBe(401);
    expect(harness.api.calls).toEqual([]);
    expect(harness.runner.runs).toEqual([]);
  });

  it('answers a request signed more than five minutes ago with HTTP 401', async () => {
    harness = await startHarness();

    const response = await postSigned(
      harness.eventsUrl,
      slashCommandBody({ text: 'prod_000_audio 05:41 AEST', responseUrl: harness.api.responseUrl('x') }),
      {
        timestampSeconds: nowSeconds() - 6 * 60,
      },
    );

    expect(response.status).toBe(401);
    expect(harness.api.calls).toEqual([]);
  });

  it('answers bad input ephemerally with what was wrong and the usage, and posts nothing', async () => {
    harness = await startHarness();

    const ack = await sendCommand(harness, 'prod_000_audio quarter past five');
    await harness.handle.whenIdle();

    expect(JSON.parse(ack.text)).toEqual({
      response_type: 'ephemeral',
      text:
        ':warning: Cannot read "prod_000_audio quarter past five" as &lt;index&gt; &lt;time&gt; AEST. Example: /why502 prod_000_audio 05:41 AEST\n' +
        '```Usage: /why502 &lt;index&gt; &lt;time&gt; [&lt;zone&gt;] [--window &lt;duration&gt;] [--no-draft]\nExample: /why502 prod_000_audio 05:41 AEST```',
    });
    expect(harness.api.calls).toEqual([]);
    expect(harness.runner.runs).toEqual([]);
  });

  it('answers help with the usage alone', async () => {
    harness = await startHarness();

    const ack = await sendCommand(harness, 'help');

    expect(JSON.parse(ack.text)).toEqual({
      response_type: 'ephemeral',
      text:
        '```Usage: /why502 &lt;index&gt; &lt;time&gt; [&lt;zone&gt;] [--window &lt;duration&gt;] [--no-draft]\nExample: /why502 prod_000_audio 05:41 AEST```\n' +
        '`/why502 summary` keeps one summary of this channel’s verdicts · `/why502 catchup` sends it to you alone · in a verdict’s thread, `@why502 impact`, `tenants`, `08:22`, `claim 537k 502s` or `help`',
    });
    expect(harness.api.calls).toEqual([]);
  });

  it('refuses a channel outside slack.allowedChannels ephemerally, naming where it works', async () => {
    harness = await startHarness({ config: testConfig({ allowedChannels: ['C0INCIDENTS', 'C0SRE'] }) });

    const ack = await sendCommand(harness, 'prod_000_audio 05:41 AEST', { channelId: 'C0RANDOM' });
    await harness.handle.whenIdle();

    expect(JSON.parse(ack.text)).toEqual({
      response_type: 'ephemeral',
      text: ':no_entry: /why502 is not enabled in this channel. Use it in <#C0INCIDENTS>, <#C0SRE>, or ask an admin to add this channel to `slack.allowedChannels` in why502.yml.',
    });
    expect(harness.api.calls).toEqual([]);
  });

  it('names the failure in the thread and on the parent when the engine throws', async () => {
    harness = await startHarness({
      runner: {
        run: async () =>
          Promise.reject(
            new SourceError(
              'Logs Insights query on /prod/haproxy failed: AccessDeniedException.',
              'Check the IAM role.',
            ),
          ),
      },
    });

    await sendCommand(harness, 'prod_000_audio 05:41 AEST');
    await harness.handle.whenIdle();

    const [parent, failure, update] = harness.api.calls;
    expect(harness.api.calls.map((c) => c.method)).toEqual(['chat.postMessage', 'chat.postMessage', 'chat.update']);
    expect(failure!.body).toMatchObject({
      thread_ts: '1750275660.000100',
      text: ':warning: The investigation failed: Logs Insights query on /prod/haproxy failed: AccessDeniedException. Check the IAM role.',
    });
    expect(update!.body.ts).toBe('1750275660.000100');
    expect(update!.body.text).toContain(
      '*The investigation of prod_000_audio failed.* Logs Insights query on /prod/haproxy failed',
    );
    expect(parent!.body.thread_ts).toBeUndefined();
  });

  it('names an unexpected engine error by type in the thread', async () => {
    harness = await startHarness({
      runner: { run: async () => Promise.reject(new TypeError('Cannot read properties of undefined')) },
    });

    await sendCommand(harness, 'prod_000_audio 05:41 AEST');
    await harness.handle.whenIdle();

    expect(harness.api.callsTo('chat.postMessage')[1]!.body.text).toBe(
      ':warning: The investigation failed: Something went wrong on our side; the details are in the logs. (TypeError: Cannot read properties of undefined)',
    );
  });

  it('tells the asker ephemerally when Slack refuses the parent message', async () => {
    harness = await startHarness();
    harness.api.failNext('chat.postMessage', { error: 'not_in_channel' });

    await sendCommand(harness, 'prod_000_audio 05:41 AEST');
    await harness.handle.whenIdle();

    expect(harness.runner.runs).toEqual([]);
    expect(harness.api.responses).toEqual([
      {
        id: 'cmd',
        body: {
          response_type: 'ephemeral',
          replace_original: false,
          text: ":warning: I couldn't post in this channel, so nothing was investigated. Slack said not_in_channel: the app is not in that channel; invite it with /invite @why502.",
        },
      },
    ]);
  });

  it('falls back to the stacked table when Slack rejects the table block, keeping the metadata', async () => {
    harness = await startHarness();
    const hasTable = (body: Record<string, unknown>) => JSON.stringify(body.blocks ?? []).includes('"type":"table"');
    harness.api.failWhen('chat.postMessage', hasTable, { error: 'invalid_blocks' });

    await sendCommand(harness, 'prod_000_audio 05:41 AEST');
    await harness.handle.whenIdle();

    const threaded = harness.api.callsTo('chat.postMessage').filter((c) => c.body.thread_ts);
    expect(threaded.map((c) => (c.body.blocks as Array<{ type: string }>).map((b) => b.type))).toEqual([
      ['header', 'section', 'table', 'context', 'section', 'section', 'section', 'context'],
      ['header', 'section', 'section', 'context', 'section', 'section', 'section', 'context'],
      ['section', 'section', 'context', 'actions'],
    ]);
    expect(threaded[1]!.body.metadata).toEqual(VERDICT_METADATA);
    expect(harness.api.callsTo('chat.update')).toHaveLength(1);
  });

  it('honours Retry-After when Slack rate-limits a post, then completes the thread', async () => {
    harness = await startHarness();
    harness.api.failNext('chat.postMessage', { status: 429, retryAfterSeconds: 1 });

    await sendCommand(harness, 'prod_000_audio 05:41 AEST');
    await harness.handle.whenIdle();

    const posts = harness.api.callsTo('chat.postMessage');
    expect(posts).toHaveLength(4); // the rate-limited parent, its retry, the verdict, the draft
    expect(posts[1]!.body.text).toBe(posts[0]!.body.text);
    const waitedMs = posts[1]!.atMs - posts[0]!.atMs;
    expect(waitedMs).toBeGreaterThanOrEqual(990);
    expect(harness.api.callsTo('chat.update')).toHaveLength(1);
  });

  it('ignores a Slack retry (X-Slack-Retry-Num) of a command it already took: one investigation, one thread', async () => {
    harness = await startHarness();
    const body = slashCommandBody({
      text: 'prod_000_audio 05:41 AEST',
      responseUrl: harness.api.responseUrl('cmd'),
      triggerId: 'trigger-retried',
    });

    const first = await postSigned(harness.eventsUrl, body);
    const retry = await postSigned(harness.eventsUrl, body, {
      headers: { 'X-Slack-Retry-Num': '1', 'X-Slack-Retry-Reason': 'http_error' },
    });
    await harness.handle.whenIdle();

    expect([first.status, retry.status]).toEqual([200, 200]);
    expect(retry.text).toBe('');
    expect(harness.runner.runs).toHaveLength(1);
    expect(harness.api.callsTo('chat.postMessage').filter((c) => !c.body.thread_ts)).toHaveLength(1);
  });

  it('ignores a retry for http_timeout even when this process never saw the original', async () => {
    harness = await startHarness();
    const body = slashCommandBody({
      text: 'prod_000_audio 05:41 AEST',
      responseUrl: harness.api.responseUrl('cmd'),
      triggerId: 'trigger-seen-elsewhere',
    });

    const retry = await postSigned(harness.eventsUrl, body, {
      headers: { 'X-Slack-Retry-Num': '1', 'X-Slack-Retry-Reason': 'http_timeout' },
    });
    await harness.handle.whenIdle();

    expect(retry.status).toBe(200);
    expect(harness.runner.runs).toEqual([]);
    expect(harness.api.calls).toEqual([]);
  });

  it('acknowledges 10 concurrent commands quickly and answers every one in its own thread', async () => {
    harness = await startHarness({
      runner: {
        run: async (command) => {
          await new Promise((r) => setTimeout(r, 50));
          return throttlingReport({ index: command.index });
        },
      },
    });
    const h = harness;
    const burst = async (round: string) => {
      const acks = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          sendCommand(h, `prod_${String(i).padStart(3, '0')}_audio 05:41 AEST`, { channelId: `C0CHAN${i}` }),
        ),
      );
      await h.handle.whenIdle();
      const latencies = acks.map((a) => a.ms).sort((a, b) => a - b);
      console.log(
        `ack latency, 10 concurrent /why502 over HTTP (${round}): p50 ${((latencies[4]! + latencies[5]!) / 2).toFixed(1)} ms, max ${latencies[9]!.toFixed(1)} ms`,
      );
      return { statuses: acks.map((a) => a.status), max: latencies[9]! };
    };

    const cold = await burst('first burst after start');
    const warm = await burst('second burst');

    expect([...cold.statuses, ...warm.statuses]).toEqual(Array(20).fill(200));
    expect(Math.max(cold.max, warm.max)).toBeLessThan(3000);
    expect(new Set(h.api.callsTo('chat.postMessage').map((c) => c.body.channel)).size).toBe(10);
    expect(h.api.callsTo('chat.postMessage')).toHaveLength(60);
    expect(h.api.callsTo('chat.postMessage').filter((c) => c.body.metadata)).toHaveLength(20);
    expect(h.api.callsTo('chat.update')).toHaveLength(20);
    expect(h.runner.runs).toHaveLength(20);
  });
});
