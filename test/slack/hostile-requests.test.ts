import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ACTION_POST_SUMMARY } from '../../src/render/slack/draft-message.js';
import { draftActionPayload } from './support/block-actions.js';
import { type Harness, startHarness } from './support/harness.js';
import { blockActionBody, nowSeconds, postSigned, slashCommandBody } from './support/slack-requests.js';

/**
 * Validly signed requests that still carry something hostile (a leaked signing secret, a
 * rewriting proxy): nothing they carry may be posted to, echoed as markup, or crash the app.
 */
let harness: Harness | undefined;
let elsewhere: { server: Server; url: string; requests: string[] };

beforeEach(async () => {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    res.writeHead(200).end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  // Another host as far as the app can tell: same address, another port than SLACK_API_URL's.
  elsewhere = { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/collect`, requests };
});

afterEach(async () => {
  await harness?.close();
  harness = undefined;
  await new Promise<void>((resolve) => elsewhere.server.close(() => resolve()));
});

/** Every text the app sent to Slack: posts, updates and ephemeral answers. */
const everythingSent = (h: Harness) =>
  JSON.stringify([h.api.calls.map((c) => c.body), h.api.responses.map((r) => r.body)]);

async function draftFrom(h: Harness) {
  await postSigned(
    h.eventsUrl,
    slashCommandBody({ text: 'prod_000_audio 05:41 AEST', responseUrl: h.api.responseUrl('cmd') }),
  );
  await h.handle.whenIdle();
  const draft = h.api
    .callsTo('chat.postMessage')
    .find((c) => JSON.stringify(c.body.blocks).includes(ACTION_POST_SUMMARY))!;
  h.api.calls.length = 0;
  h.api.responses.length = 0;
  return draft;
}

describe('validly signed but hostile requests', () => {
  it('answers a request timestamped a year ahead with HTTP 401 and nothing else', async () => {
    harness = await startHarness();

    const response = await postSigned(
      harness.eventsUrl,
      slashCommandBody({ text: 'prod_000_audio 05:41 AEST', responseUrl: harness.api.responseUrl('cmd') }),
      {
        timestampSeconds: nowSeconds() + 365 * 24 * 3600,
      },
    );
    await harness.handle.whenIdle();

    expect(response).toMatchObject({ status: 401, text: '' });
    expect(harness.api.calls).toEqual([]);
    expect(harness.runner.runs).toEqual([]);
  });

  it('never answers a button through a response_url outside Slack', async () => {
    harness = await startHarness();
    const draft = await draftFrom(harness);
    const payload = draftActionPayload({ draft, actionId: ACTION_POST_SUMMARY, responseUrl: elsewhere.url });
    (payload.actions as Array<Record<string, unknown>>)[0]!.value = '{"v":0}'; // a stale button: answered through response_url

    const response = await postSigned(harness.eventsUrl, blockActionBody(payload));
    await harness.handle.whenIdle();

    expect(response.status).toBe(200);
    expect(elsewhere.requests).toEqual([]);
    expect(harness.api.calls).toEqual([]);
  });

  it('refuses a command whose response_url is outside Slack, in the acknowledgement only', async () => {
    harness = await startHarness();

    const ack = await postSigned(
      harness.eventsUrl,
      slashCommandBody({ text: 'prod_000_audio 05:41 AEST', responseUrl: elsewhere.url }),
    );
    await harness.handle.whenIdle();

    expect(JSON.parse(ack.text)).toEqual({
      response_type: 'ephemeral',
      text: ':warning: This request’s `response_url` is not a Slack URL, so why502 did nothing.',
    });
    expect(elsewhere.requests).toEqual([]);
    expect(harness.api.calls).toEqual([]);
  });

  it('refuses a command whose user_id is crafted to mention the whole channel, posting nothing', async () => {
    harness = await startHarness();

    const ack = await postSigned(
      harness.eventsUrl,
      slashCommandBody({
        text: 'prod_000_audio 05:41 AEST',
        responseUrl: harness.api.responseUrl('cmd'),
        userId: 'U0ONCALL> <!channel',
      }),
    );
    await harness.handle.whenIdle();

    expect(JSON.parse(ack.text)).toEqual({
      response_type: 'ephemeral',
      text: ':warning: This request’s `user_id` is not a Slack id, so why502 did nothing.',
    });
    expect(harness.api.calls).toEqual([]);
    expect(harness.runner.runs).toEqual([]);
  });

  it('never turns a crafted button value into a mention of the whole channel', async () => {
    harness = await startHarness();
    const draft = await draftFrom(harness);
    const payload = draftActionPayload({
      draft,
      actionId: ACTION_POST_SUMMARY,
      responseUrl: harness.api.responseUrl('click'),
    });
    const action = (payload.actions as Array<Record<string, unknown>>)[0]!;
    action.value = JSON.stringify({ ...JSON.parse(String(action.value)), askedBy: 'U1><!channel' });

    await postSigned(harness.eventsUrl, blockActionBody(payload));
    await harness.handle.whenIdle();

    expect(everythingSent(harness)).not.toContain('<!channel');
    expect(harness.api.calls).toEqual([]);
    expect(harness.api.responses.map((r) => r.body.text)).toEqual([
      ':warning: That button belongs to an older version of why502 and no longer works. Run /why502 again.',
    ]);
  });

  it('ignores a button click whose user id is crafted, posting nothing', async () => {
    harness = await startHarness();
    const draft = await draftFrom(harness);
    const payload = draftActionPayload({
      draft,
      actionId: ACTION_POST_SUMMARY,
      responseUrl: harness.api.responseUrl('click'),
      userId: 'U0CLICKER> <!here',
    });

    await postSigned(harness.eventsUrl, blockActionBody(payload));
    await harness.handle.whenIdle();

    expect(harness.api.calls).toEqual([]);
    expect(harness.api.responses).toEqual([]);
  });

  it('answers a command with a repeated text field as bad input, with a clear message and nothing posted', async () => {
    harness = await startHarness();
    const body = `${slashCommandBody({ text: 'prod_000_audio 05:41 AEST', responseUrl: harness.api.responseUrl('cmd') })}&text=${encodeURIComponent('prod_001_images 05:42 AEST')}`;

    const ack = await postSigned(harness.eventsUrl, body);
    await harness.handle.whenIdle();

    expect(JSON.parse(ack.text)).toEqual({
      response_type: 'ephemeral',
      text: ':warning: This request carried `text` more than once, so why502 cannot tell which to use and did nothing. Send the command again.',
    });
    expect(harness.api.calls).toEqual([]);
    expect(harness.runner.runs).toEqual([]);
  });
});
