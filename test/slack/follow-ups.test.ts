import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ReportJson } from '../../src/core/report.js';
import { DEMO_NOW } from '../../src/demo/demo-incident.js';
import { SourceError } from '../../src/errors.js';
import { createMemoryStateStore } from '../../src/state/memory-state-store.js';
import {
  ask,
  botRepliesIn,
  DEMO_NOW_S,
  type DemoApp,
  demoThreadConfig,
  PARENT_TS,
  runCommand,
  settableClock,
  startDemoApp,
} from './support/demo-thread.js';
import { FAKE_BOT } from './support/fake-slack-api.js';
import { type Harness, startHarness } from './support/harness.js';
import { throttlingReport } from './support/report-fixture.js';
import { appMentionBody, deliverEvent, deliverLikeSlack, urlVerificationBody } from './support/slack-events.js';
import { postSigned, slashCommandBody } from './support/slack-requests.js';

const lines = (text: string) => text.split('\n');

describe('the demo’s four questions, asked in its verdict thread', () => {
  let app: DemoApp;
  beforeAll(async () => {
    app = await startDemoApp();
    await runCommand(app);
  }, 60_000);
  afterAll(async () => {
    await app.close();
  });

  it('answers `@why502 impact` in the thread with the requests, who minted the 5xx, 1 in N and the worst minute, from the kept evidence', async () => {
    const runsBefore = app.investigations.length;

    const { ack, replies } = await ask(app, 'impact');

    expect(ack.status).toBe(200);
    expect(replies).toHaveLength(1);
    expect(lines(replies[0]!.text)).toEqual([
      'Impact · prod_000_audio · 04:11–07:11 AEST (18:11–21:11 UTC)',
      'prod_000_audio: 163 of its 31,827 requests got a 5xx (1 in 195, 0.51 %), 163 of them minted by the load balancer itself.',
      'prod_000_audio',
      '• Requests: 31,827',
      '• 5xx in all: 163, 1 in 195 requests (0.51 %)',
      '• minted by the load balancer itself: 163 (502: 163 · 503: 0 · 504: 0)',
      '• returned by the targets: 0 (502: 0 · 503: 0 · 504: 0)',
      "• The load balancer's own 5xx are all 502s, no 503 or 504: connections reset on reuse, not a lack of healthy targets (503) or slow targets (504).",
      '• Worst minute: 05:05 AEST (19:05 UTC), 4 of 189 requests got a 5xx (2.1 %)',
      '• 429 rate limited: 1,047 (3.3 %): answered by the rate limit on purpose, not 5xx',
      'The load balancer, all tenants',
      '• Requests: 83,400',
      '• 5xx in all: 379, 1 in 220 requests (0.45 %)',
      '• minted by the load balancer itself: 379 (502: 379 · 503: 0 · 504: 0)',
      '• returned by the targets: unavailable (measured for this index only, not load-balancer-wide)',
      "• The load balancer's own 5xx are all 502s, no 503 or 504: connections reset on reuse, not a lack of healthy targets (503) or slow targets (504).",
      '• Worst minute: 05:32 AEST (19:32 UTC), 6 of 525 requests got a 5xx (1.1 %)',
      'From the evidence this thread already gathered (ALB access logs: complete; proxy logs: complete); no new queries.',
    ]);
    expect((replies[0]!.blocks as Array<{ type: string }>)[0]).toEqual({
      type: 'section',
      text: { type: 'mrkdwn', text: '*Impact · prod_000_audio · 04:11–07:11 AEST (18:11–21:11 UTC)*' },
    });
    expect(app.investigations.length).toBe(runsBefore);
  });

  it('answers `@why502 tenants`: every target group had LB-minted errors, this index its share, in a code block', async () => {
    const { replies } = await ask(app, 'tenants');

    const text = lines(replies[0]!.text);
    expect(text.slice(0, 4)).toEqual([
      'Tenants · LB-minted errors by target group · 04:11–07:11 AEST (18:11–21:11 UTC)',
      'Everyone: 20 of the 20 target groups had LB-minted errors. prod_000_audio had 163 of the 379 (43 %), with 38.2 % of the requests: about the other target groups’ rate per request.'.replace(
        '’',
        "'",
      ),
      'target group | requests | 502 | 503 | 504 | rate',
      'prod_000_audio (this index) | 31,827 | 163 | 0 | 0 | 1 in 195',
    ]);
    expect(text.at(-2)).toBe('8 more target groups | 12,399 | 54 | 0 | 0 | ');
    const table = (replies[0]!.blocks as Array<{ text?: { text: string } }>).find((b) =>
      b.text?.text.startsWith('```'),
    );
    expect(table?.text?.text.split('\n')[2]).toBe('prod_000_audio (this index)    31,827  163    0    0  1 in 195');
  });

  it('answers `@why502 08:22` — outside the thread’s window — by saying so, then running the new investigation and posting its verdict in the thread', async () => {
    const runsBefore = app.investigations.length;

    const { replies } = await ask(app, '08:22');

    expect(lines(replies[0]!.text)).toEqual([
      "19 Jun 08:22 AEST (22:22 UTC, 18 Jun) is outside this thread's evidence",
      'The evidence gathered for prod_000_audio covers 04:11–07:11 AEST (18:11–21:11 UTC); 08:22 AEST (22:22 UTC) is 1h12m after its end.',
      'That minute needs a new investigation of prod_000_audio, with a 3h window centred on it.',
      ':mag: Running `/why502 prod_000_audio 2026-06-19T08:22+10:00 AEST --window 3h` now; its verdict will follow in this thread.',
    ]);
    expect(
      app.investigations
        .slice(runsBefore)
        .map((c) => [c.index, c.asked.at.toISOString(), c.window.start.toISOString(), c.noDraft]),
    ).toEqual([['prod_000_audio', '2026-06-18T22:22:00.000Z', '2026-06-18T20:52:00.000Z', false]]);
    // The demo's logs run on to "now" (23:00 UTC), as the seed's did: 08:22 gets the seed's answer,
    // the flat LB-minted background with nothing from the origin or the targets.
    expect(replies[1]!.metadata).toEqual({
      event_type: 'why502_verdict',
      event_payload: {
        index: 'prod_000_audio',
        at: '2026-06-18T22:22:00Z',
        verdict_kind: 'keepalive_race',
        confidence: 'medium',
        window_start: '2026-06-18T20:52:00Z',
        window_end: '2026-06-18T23:00:00Z',
        headline:
          'A flat background of LB-minted 502s (~1.8/min across 19 target groups, 0.4 % of requests): the keep-alive race between the load balancer and its targets, not a spike.',
        zone: 'AEST',
      },
    });
    expect(JSON.stringify(replies[1]!.blocks)).toContain(
      '0 target 5xx, 0 LB-minted 503, 0 LB-minted 504 in the window',
    );
    // 7 in one minute over ~1.8 a minute is what 128 minutes give by chance: no "spike", no second finding.
    expect(JSON.stringify(replies[1]!.blocks)).not.toMatch(/spike in|Targets unreachable/);
    expect(replies).toHaveLength(2);
  });

  it('checks `@why502 claim 537k 502s` against the requests that exist: impossible, 17 times what the index served', async () => {
    const { replies } = await ask(app, 'claim 537k 502s');

    expect(lines(replies[0]!.text)).toEqual([
      'Claim check · 537k 502s in 3 h (the window) · prod_000_audio',
      '537,000 502s in 3 h: that cannot be HTTP responses from us.',
      'prod_000_audio served 31,827 requests in 04:11–07:11 AEST (18:11–21:11 UTC) (2.9 a second on average, 5.6 in its busiest minute). The most 502s it could have given in that time is 31,827, every request failing. 537,000 is about 17 times that. Even the whole load balancer, all tenants, served 83,400 requests in that time.',
      'Measured 502s in the window: 163, 1 in 195 requests (0.51 %). Over the whole window: 163 LB-minted, 0 from the targets.',
      'Our rate limit answered 1,047 requests with 429 in the window: a dashboard may count those as errors.',
      'Ask what their figure counts (requests, retries, page views or widget refreshes, events in their own tooling) and over which period.',
      'Checked against the evidence this thread already gathered for 04:11–07:11 AEST (18:11–21:11 UTC); no new queries.',
    ]);
  });

  it('answers another minute inside the window with a full verdict for it, judged again from the kept evidence', async () => {
    const runsBefore = app.investigations.length;

    const { replies } = await ask(app, 'what about 06:30?');

    expect(replies).toHaveLength(1);
    expect(replies[0]!.metadata?.event_payload).toMatchObject({
      at: '2026-06-18T20:30:00Z',
      verdict_kind: 'keepalive_race',
      confidence: 'medium',
      window_start: '2026-06-18T18:11:00Z',
    });
    expect(lines(replies[0]!.text).slice(0, 3)).toEqual([
      'LB keep-alive race (flat background) · confidence medium',
      'A flat background of LB-minted 502s (~2.1/min across 20 target groups, 0.45 % of requests): the keep-alive race between the load balancer and its targets, not a spike.',
      'prod_000_audio · 19 Jun 06:30 AEST (20:30 UTC, 18 Jun) · Window 04:11–07:11 AEST (18:11–21:11 UTC)',
    ]);
    expect(app.investigations.length).toBe(runsBefore);
  });

  it('lists what it can answer for free text when no model is configured', async () => {
    const { replies } = await ask(app, 'was there a Cloudflare incident?');

    expect(lines(replies[0]!.text)[0]).toBe('I can answer:');
    expect(replies[0]!.text).toContain('Not answered as asked: free-text questions need OPENAI_API_KEY.');
  });
});

describe('follow-ups the bot cannot answer from evidence', () => {
  let app: DemoApp | undefined;
  let other: DemoApp | undefined;
  afterEach(async () => {
    await other?.close();
    await app?.close();
    app = undefined;
    other = undefined;
  });

  it('says the thread’s evidence expired after 14 days, with the exact command to ask again', async () => {
    const clock = settableClock();
    app = await startDemoApp({ clock });
    await runCommand(app);
    clock.set(new Date(DEMO_NOW.getTime() + 15 * 86_400_000 + 3_600_000));

    const { replies } = await ask(app, 'impact');

    expect(replies.map((r) => r.text)).toEqual([
      ':hourglass: The evidence of this thread has expired after 14 days (the thread is 15 days old), so I cannot answer from it. Run `/why502 prod_000_audio 2026-06-19T05:41+10:00 AEST --window 3h` again for a new thread, and ask there.',
    ]);
    expect(app.api.callsTo('conversations.history').map((c) => c.body)).toEqual([
      {
        channel: 'C0ONCALL',
        limit: '1',
        include_all_metadata: 'true',
        latest: PARENT_TS,
        oldest: PARENT_TS,
        inclusive: 'true',
      },
    ]);
  });

  it('says no evidence is kept for a young verdict thread whose store lost it, with the exact command', async () => {
    app = await startDemoApp();
    await runCommand(app);
    // Another server, with a store of its own: it never saw the investigation.
    other = await startDemoApp({ api: app.api, app: { state: createMemoryStateStore({ clock: settableClock() }) } });

    const { replies } = await ask(other, 'impact');

    expect(replies.map((r) => r.text)).toEqual([
      ':warning: No evidence is kept for this thread (it was posted before why502 kept evidence, or the store lost it), so I cannot answer from it. Run `/why502 prod_000_audio 2026-06-19T05:41+10:00 AEST --window 3h` again for a new thread, and ask there.',
    ]);
  });

  it('answers a mention in the channel itself with how to ask, in a thread under the mention', async () => {
    app = await startDemoApp();

    const { replies, mentionTs } = await ask(app, 'impact', { threadTs: null });

    expect(replies.map((r) => [r.thread_ts, r.text])).toEqual([
      [
        mentionTs,
        ':information_source: I answer questions in the thread of a why502 verdict, not in the channel. Start one with `/why502 <index> <time> [<zone>]` (e.g. `/why502 prod_000_audio 05:41 AEST`), then ask in its thread: `@why502 impact` · `@why502 tenants` · `@why502 08:22` · `@why502 claim 537k 502s` · `@why502 help`.',
      ],
    ]);
  });

  it('answers a mention in someone else’s thread: it is not a why502 verdict', async () => {
    app = await startDemoApp();
    app.api.seedMessages('C0ONCALL', [
      { ts: `${DEMO_NOW_S - 600}.000100`, text: 'Anyone seeing 502s on audio?', user: 'U0OTHER' },
    ]);

    const { replies } = await ask(app, 'impact', { threadTs: `${DEMO_NOW_S - 600}.000100` });

    expect(replies.map((r) => r.text)).toEqual([
      ':information_source: This thread is not a why502 verdict, so I have no evidence to answer from. Start one with `/why502 <index> <time> [<zone>]` (e.g. `/why502 prod_000_audio 05:41 AEST`), then ask in its thread: `@why502 impact` · `@why502 tenants` · `@why502 08:22` · `@why502 claim 537k 502s` · `@why502 help`.',
    ]);
  });

  it('says what failed when the thread’s first message cannot be read to tell whether it is a verdict', async () => {
    app = await startDemoApp();
    app.api.failNext('conversations.history', { error: 'not_in_channel' });

    const { replies } = await ask(app, 'impact', { threadTs: `${DEMO_NOW_S - 600}.000100` });

    expect(replies.map((r) => r.text)).toEqual([
      ':warning: I have no evidence for this thread, and could not read its first message to tell whether it is a why502 verdict (Slack said not_in_channel: the app is not in that channel; invite it with /invite @why502). If it is, run its `/why502` command again and ask in the new thread.',
    ]);
  });
  it('refuses follow-ups in a channel where /why502 is not enabled', async () => {
    app = await startDemoApp({ config: await demoThreadConfig({ allowedChannels: ['C0ELSEWHERE'] }) });
    app.api.seedMessages('C0ONCALL', [{ ts: PARENT_TS, text: 'Is audio down?', user: 'U0OTHER' }]);

    const { replies } = await ask(app, 'impact');

    expect(replies.map((r) => r.text)).toEqual([
      ':no_entry: why502 is not enabled in this channel, so it answers no questions here. Ask an admin to add it to `slack.allowedChannels` in why502.yml.',
    ]);
  });
});

describe('follow-ups asked before the thread has evidence', () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });
  const FAKE_PARENT_TS = '1750275660.000100';

  it('says the investigation is still running when asked before the verdict is there', async () => {
    let finish: (report: ReportJson) => void = () => {};
    const running = new Promise<ReportJson>((resolve) => (finish = resolve));
    harness = await startHarness({ runner: { run: () => running } });
    await postSigned(
      harness.eventsUrl,
      slashCommandBody({ text: 'prod_000_audio 05:41 AEST', responseUrl: harness.api.responseUrl('cmd') }),
    );
    await until(() => harness!.runner.runs.length === 1);

    await deliverEvent(
      harness.eventsUrl,
      appMentionBody({
        eventId: 'Ev0EARLY0001',
        text: `<@${FAKE_BOT.userId}> impact`,
        ts: '1750275700.000200',
        threadTs: FAKE_PARENT_TS,
      }),
    );
    await until(() => botRepliesIn(harness!, 'C0ONCALL', FAKE_PARENT_TS).length === 1);
    finish(throttlingReport());
    await harness.handle.whenIdle();

    expect(botRepliesIn(harness, 'C0ONCALL', FAKE_PARENT_TS)[0]!.text).toBe(
      ':hourglass_flowing_sand: The investigation in this thread is still running; ask again once its verdict is here.',
    );
  });

  it('says the thread’s investigation left no evidence, with its command, when it failed', async () => {
    harness = await startHarness({
      runner: {
        run: async () =>
          Promise.reject(new SourceError('Logs Insights query on /prod/haproxy failed: AccessDeniedException.')),
      },
    });
    await postSigned(
      harness.eventsUrl,
      slashCommandBody({ text: 'prod_000_audio 05:41 AEST', responseUrl: harness.api.responseUrl('cmd') }),
    );
    await harness.handle.whenIdle();

    const { replies } = await ask(harness, 'impact', { threadTs: FAKE_PARENT_TS });

    expect(replies.map((r) => r.text)).toEqual([
      ':warning: The investigation in this thread left no evidence to answer from (it failed, or its evidence could not be kept). Run `/why502 prod_000_audio 05:41 AEST` again for a new thread, and ask there.',
    ]);
  });
});

/** Waits, a turn of the event loop at a time, until `done` holds (at most 5 s). */
async function until(done: () => boolean): Promise<void> {
  for (let waited = 0; !done(); waited += 10) {
    if (waited > 5_000) throw new Error('gave up waiting');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('mentions as the Events API delivers them', () => {
  // One verdict thread for these tests; each asks with its own event_id and checks its own replies.
  let app: DemoApp;
  beforeAll(async () => {
    app = await startDemoApp();
    await runCommand(app);
  }, 60_000);
  afterAll(async () => {
    await app.close();
  });

  it('answers Slack’s url_verification challenge', async () => {
    const response = await deliverEvent(
      app.eventsUrl,
      urlVerificationBody('3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P'),
    );

    expect({ status: response.status, body: JSON.parse(response.text) }).toEqual({
      status: 200,
      body: { challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P' },
    });
  });

  it('answers an event with a bad signature with HTTP 401 and nothing else', async () => {
    const calls = app.api.calls.length;

    const response = await postSigned(
      app.eventsUrl,
      appMentionBody({
        eventId: 'Ev0FORGED01',
        text: `<@${FAKE_BOT.userId}> impact`,
        ts: `${DEMO_NOW_S + 5}.000200`,
        threadTs: PARENT_TS,
      }),
      {
        headers: { 'Content-Type': 'application/json' },
        signature: 'v0=0000000000000000000000000000000000000000000000000000000000000000',
      },
    );
    await app.handle.whenIdle();

    expect(response.status).toBe(401);
    expect(app.api.calls.length).toBe(calls);
  });

  it('answers an event once when Slack delivers it again (X-Slack-Retry-Num 1, http_timeout), and once more after', async () => {
    const body = appMentionBody({
      eventId: 'Ev0RETRY0001',
      text: `<@${FAKE_BOT.userId}> impact`,
      ts: `${DEMO_NOW_S + 5}.000200`,
      threadTs: PARENT_TS,
    });

    const first = await deliverEvent(app.eventsUrl, body);
    const retry = await deliverEvent(app.eventsUrl, body, { num: 1, reason: 'http_timeout' });
    const again = await deliverEvent(app.eventsUrl, body, { num: 2, reason: 'http_error' });
    await app.handle.whenIdle();

    expect([first.status, retry.status, again.status]).toEqual([200, 200, 200]);
    expect(botRepliesIn(app, 'C0ONCALL', PARENT_TS).filter((m) => m.text.startsWith('Impact ·'))).toHaveLength(1);
    expect(
      app.logger.lines.filter((l) => l.message === 'Ignoring a job already taken').map((l) => l.fields?.jobId),
    ).toEqual(['event:Ev0RETRY0001', 'event:Ev0RETRY0001']);
  });

  it('acknowledges a mention with 200 at the first delivery, so Slack does not retry', async () => {
    const attempts = await deliverLikeSlack(
      app.eventsUrl,
      appMentionBody({
        eventId: 'Ev0ONCE00001',
        text: `<@${FAKE_BOT.userId}> tenants`,
        ts: `${DEMO_NOW_S + 5}.000300`,
        threadTs: PARENT_TS,
      }),
    );
    await app.handle.whenIdle();

    expect(attempts.map((a) => [a.status, a.text])).toEqual([[200, '']]);
  });

  it('ignores the bot’s own messages and other bots: no reply, no job', async () => {
    const replies = botRepliesIn(app, 'C0ONCALL', PARENT_TS).length;

    const own = await deliverEvent(
      app.eventsUrl,
      appMentionBody({
        eventId: 'Ev0SELF00001',
        text: `<@${FAKE_BOT.userId}> impact`,
        ts: `${DEMO_NOW_S + 5}.000400`,
        threadTs: PARENT_TS,
        user: FAKE_BOT.userId,
      }),
    );
    const bot = await deliverEvent(
      app.eventsUrl,
      appMentionBody({
        eventId: 'Ev0BOT000001',
        text: `<@${FAKE_BOT.userId}> impact`,
        ts: `${DEMO_NOW_S + 5}.000500`,
        threadTs: PARENT_TS,
        botId: 'B0OTHERBOT',
        subtype: 'bot_message',
      }),
    );
    await app.handle.whenIdle();

    expect([own.status, bot.status]).toEqual([200, 200]);
    expect(botRepliesIn(app, 'C0ONCALL', PARENT_TS)).toHaveLength(replies);
    expect(
      app.logger.lines.filter((l) => l.message === 'Ignoring an app_mention').map((l) => l.fields?.reason),
    ).toEqual(['our own message', 'a bot’s message or an edit, not a question']);
  });

  it('never turns hostile text in a question into markup or a mention: it is quoted escaped', async () => {
    const { replies } = await ask(app, 'claim <!channel> <@U0VICTIM> <https://evil.example|click> *502s*');

    const everything = JSON.stringify({ text: replies[0]!.text, blocks: replies[0]!.blocks });
    expect(lines(replies[0]!.text)[0]).toBe('"&lt;!channel&gt;" is not a number I can read.');
    for (const markup of ['<!channel>', '<@U0VICTIM>', '<https://evil.example'])
      expect(everything).not.toContain(markup);
  });

  it('says a question is too long, with its length, instead of reading it', async () => {
    const { replies } = await ask(app, `impact ${'x'.repeat(2_993)}`);

    expect(replies.map((r) => r.text)).toEqual([
      ':warning: The question is 3,000 characters long; I read at most 500. Ask it shorter, e.g. 08:22 · impact · tenants · claim 537k 502s over 4h · rows · help.',
    ]);
  });
});
