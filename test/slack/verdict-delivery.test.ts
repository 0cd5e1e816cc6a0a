import { afterEach, describe, expect, it } from 'vitest';
import type { RecordedCall } from './support/fake-slack-api.js';
import { type Harness, startHarness } from './support/harness.js';
import { TEST_NOW, throttlingReport } from './support/report-fixture.js';
import { postSigned, slashCommandBody } from './support/slack-requests.js';
import { createVirtualClock } from './support/virtual-clock.js';

/**
 * The thread's answer when Slack refuses or fails the way it documents: errors with a code,
 * HTTP 5xx, 429 with Retry-After, and outages. The verdict must reach the thread (in a plainer
 * layout if need be) with its metadata, the draft only under it, and the parent must never
 * say "Details in the thread" when the thread does not hold the verdict.
 */
let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const PARENT_TS = '1750275660.000100';
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
const PARENT_DONE =
  ':large_yellow_circle: *prod_000_audio at 05:41 AEST: 429 throttling, not 502s.* The customer’s "502s" were our 429 rate limiting (burst 05:29–05:40 AEST, peak 4,593/min); the origin returned 0 5xx. Details in the thread.';

const hasTable = (body: Record<string, unknown>) => JSON.stringify(body.blocks ?? []).includes('"type":"table"');
const isVerdict = (body: Record<string, unknown>) => body.metadata !== undefined;
const isDraft = (body: Record<string, unknown>) => String(body.text).startsWith('Customer draft');
const layoutOf = (call: RecordedCall) => {
  const blocks = (call.body.blocks as Array<{ type: string }> | undefined) ?? [];
  if (blocks.length === 0) return 'text';
  return blocks.some((b) => b.type === 'table')
    ? 'native'
    : blocks.some((b) => b.type === 'actions')
      ? 'draft-blocks'
      : 'stacked';
};
/** The thread as the channel shows it: what was posted (successfully) under the parent, in order. */
const threadReplies = (h: Harness) =>
  h.api.callsTo('chat.postMessage').filter((c) => c.body.thread_ts === PARENT_TS && c.result);
const parentUpdates = (h: Harness) => h.api.callsTo('chat.update').filter((c) => c.body.ts === PARENT_TS && c.result);

async function investigate(h: Harness) {
  const ack = await postSigned(
    h.eventsUrl,
    slashCommandBody({ text: 'prod_000_audio 05:41 AEST', responseUrl: h.api.responseUrl('cmd') }),
  );
  await h.handle.whenIdle();
  return ack;
}

describe('posting the verdict when Slack refuses or fails', () => {
  it('moves to the stacked layout at once when the native table gets HTTP 500, keeping the metadata, then posts the draft', async () => {
    harness = await startHarness();
    harness.api.failWhen('chat.postMessage', hasTable, { status: 500 }, 100);

    await investigate(harness);

    expect(threadReplies(harness).map((c) => [layoutOf(c), c.body.metadata ?? null])).toEqual([
      ['stacked', VERDICT_METADATA],
      ['draft-blocks', null],
    ]);
    expect(harness.api.callsTo('chat.postMessage').filter((c) => hasTable(c.body))).toHaveLength(1);
    expect(parentUpdates(harness).map((c) => String(c.body.text).split('\n')[0])).toEqual([PARENT_DONE]);
  });

  it('moves to the stacked layout when Slack answers internal_error for the table', async () => {
    harness = await startHarness();
    harness.api.failWhen('chat.postMessage', hasTable, { error: 'internal_error' }, 100);

    await investigate(harness);

    expect(threadReplies(harness).map((c) => [layoutOf(c), c.body.metadata ?? null])).toEqual([
      ['stacked', VERDICT_METADATA],
      ['draft-blocks', null],
    ]);
    expect(harness.api.responses).toEqual([]);
  });

  it('posts the verdict and the draft as text alone, the verdict with its metadata, when Slack refuses every block layout', async () => {
    harness = await startHarness();
    const hasBlocks = (body: Record<string, unknown>) =>
      Array.isArray(body.blocks) && body.blocks.length > 0 && body.thread_ts !== undefined;
    harness.api.failWhen('chat.postMessage', hasBlocks, { error: 'invalid_blocks' }, 100);

    await investigate(harness);

    const replies = threadReplies(harness);
    expect(replies.map((c) => [layoutOf(c), c.body.metadata ?? null])).toEqual([
      ['text', VERDICT_METADATA],
      ['text', null],
    ]);
    expect(String(replies[0]!.body.text).split('\n')[0]).toBe('429 throttling, not 502s · confidence high');
    expect(String(replies[1]!.body.text)).toMatch(/^Customer draft \(written from the template\):\nHi team/);
    expect(parentUpdates(harness).map((c) => String(c.body.text).split('\n')[0])).toEqual([PARENT_DONE]);
  });

  it('waits out Retry-After when the verdict is rate-limited and still posts the native table', async () => {
    harness = await startHarness();
    harness.api.failWhen('chat.postMessage', hasTable, { status: 429, retryAfterSeconds: 1 }, 1);

    await investigate(harness);

    const verdictTries = harness.api.callsTo('chat.postMessage').filter((c) => isVerdict(c.body));
    expect(verdictTries.map((c) => [layoutOf(c), c.result ? 'posted' : 'ratelimited'])).toEqual([
      ['native', 'ratelimited'],
      ['native', 'posted'],
    ]);
    expect(verdictTries[1]!.atMs - verdictTries[0]!.atMs).toBeGreaterThanOrEqual(990);
  });

  it('holds the draft back, says what failed in the thread, and never points the parent at a verdict that is not there', async () => {
    harness = await startHarness();
    // Slack documents invalid_metadata_format for chat.postMessage; every layout carries the metadata.
    harness.api.failWhen('chat.postMessage', isVerdict, { error: 'invalid_metadata_format' }, 100);

    await investigate(harness);

    expect(
      harness.api
        .callsTo('chat.postMessage')
        .filter((c) => isVerdict(c.body))
        .map(layoutOf),
    ).toEqual(['native', 'stacked', 'text']);
    expect(threadReplies(harness).map((c) => c.body.text)).toEqual([
      ':warning: I could not post the verdict: Slack refused every layout of it (Slack said invalid_metadata_format). The customer draft is held back: it rests on the verdict. Run /why502 again',
    ]);
    expect(harness.api.callsTo('chat.postMessage').filter((c) => isDraft(c.body))).toEqual([]);
    const parentText = String(parentUpdates(harness)[0]!.body.text);
    expect(parentText.split('\n')[0]).toBe(
      ':warning: *why502 could not post the verdict and the customer draft for prod_000_audio.* Slack refused every layout of it (Slack said invalid_metadata_format). Run /why502 again to get it.',
    );
    expect(parentText).not.toContain('Details in the thread');
    expect(harness.api.responses.map((r) => r.body.text)).toEqual([
      ':warning: why502 could not post the verdict and the customer draft for `prod_000_audio` in the thread: Slack refused every layout of it (Slack said invalid_metadata_format). Run /why502 again to get it.',
    ]);
  });
});

describe('a Slack outage while an answer is in flight', () => {
  it('posts the verdict, the draft and the parent update from the pending posts once Slack is back after 120 s', async () => {
    const clock = createVirtualClock(TEST_NOW);
    let outageEndsMs = 0;
    harness = await startHarness({
      app: { clock },
      runner: {
        // Slack goes away as the investigation ends, for 120 s of (virtual) time.
        run: async () => {
          outageEndsMs = clock.now().getTime() + 120_000;
          return throttlingReport();
        },
      },
    });
    const api = harness.api;
    api.setOutage(() => outageEndsMs > 0 && clock.now().getTime() < outageEndsMs);

    await investigate(harness);

    expect(clock.sleeps).toEqual([10_000, 20_000, 30_000, 60_000]);
    expect(api.refusedDuringOutage).toBe(12); // four passes, three verdict layouts each
    expect(threadReplies(harness).map((c) => [layoutOf(c), c.body.metadata ?? null])).toEqual([
      ['native', VERDICT_METADATA],
      ['draft-blocks', null],
    ]);
    expect(parentUpdates(harness).map((c) => String(c.body.text).split('\n')[0])).toEqual([PARENT_DONE]);
  });

  it('gives up after its bounded schedule and says on the parent, and privately, what was lost', async () => {
    const clock = createVirtualClock(TEST_NOW);
    harness = await startHarness({ app: { clock } });
    // Replies in threads fail for good (HTTP 503); the parent can still be updated.
    harness.api.failWhen('chat.postMessage', (body) => body.thread_ts !== undefined, { status: 503 }, 1000);

    await investigate(harness);

    expect(clock.sleeps).toEqual([10_000, 20_000, 30_000, 60_000, 120_000, 180_000, 240_000, 240_000]);
    expect(threadReplies(harness)).toEqual([]);
    expect(harness.api.callsTo('chat.postMessage').filter((c) => isDraft(c.body))).toEqual([]);
    const parentText = String(parentUpdates(harness)[0]!.body.text);
    expect(parentText.split('\n')[0]).toBe(
      ':warning: *why502 could not post the verdict and the customer draft for prod_000_audio.* Slack did not take the posts for 15 minutes (last: Slack answered HTTP 503). Run /why502 again to get it.',
    );
    expect(harness.api.responses.map((r) => r.body.text)).toEqual([
      ':warning: why502 could not post the verdict and the customer draft for `prod_000_audio` in the thread: Slack did not take the posts for 15 minutes (last: Slack answered HTTP 503). Run /why502 again to get it.',
    ]);
  });
});
