import { describe, expect, it } from 'vitest';
import { readMentionRequest, triageMention } from '../../src/slack/triage-mention.js';
import { FAKE_BOT } from './support/fake-slack-api.js';
import { TEST_NOW } from './support/report-fixture.js';
import { appMentionBody } from './support/slack-events.js';

const deps = { clock: { now: () => new Date(TEST_NOW) } };
const body = (fields: Parameters<typeof appMentionBody>[0]) =>
  JSON.parse(appMentionBody(fields)) as Record<string, unknown>;

describe('triageMention', () => {
  it('turns a mention in a thread into a follow_up job keyed by the event_id, the bot’s mention taken out wherever it is', () => {
    const request = readMentionRequest(
      body({
        eventId: 'Ev08MFMKH6J',
        text: `so <@${FAKE_BOT.userId}|why502> what about 08:22?`,
        ts: '1750275700.000200',
        threadTs: '1750275660.000100',
      }),
      { retryNum: '1', retryReason: 'http_timeout' },
    );

    expect(triageMention(request, deps)).toEqual({
      kind: 'dispatch',
      job: {
        kind: 'follow_up',
        jobId: 'event:Ev08MFMKH6J',
        origin: { channelId: 'C0ONCALL', userId: 'U0ONCALL', teamId: 'T0TEAM' },
        messageTs: '1750275700.000200',
        threadTs: '1750275660.000100',
        text: 'so what about 08:22?',
        requestedAt: '2026-06-18T19:45:00.000Z',
      },
    });
  });

  it('treats a mention whose thread_ts is its own ts (a thread’s first message) as one in the channel', () => {
    const request = readMentionRequest(
      body({
        eventId: 'Ev08MFMKH6K',
        text: `<@${FAKE_BOT.userId}> impact`,
        ts: '1750275700.000200',
        threadTs: '1750275700.000200',
      }),
      {},
    );

    const triage = triageMention(request, deps);

    expect(triage).toMatchObject({ kind: 'dispatch', job: { messageTs: '1750275700.000200' } });
    expect(triage.kind === 'dispatch' && 'threadTs' in triage.job).toBe(false);
  });

  it('keeps at most 2,000 characters of a question and records how long it was', () => {
    const request = readMentionRequest(
      body({
        eventId: 'Ev08MFMKH6L',
        text: `<@${FAKE_BOT.userId}> ${'a'.repeat(5_000)}`,
        ts: '1750275700.000200',
        threadTs: '1750275660.000100',
      }),
      {},
    );

    const triage = triageMention(request, deps);

    expect(triage.kind === 'dispatch' && [triage.job.text.length, triage.job.textLength]).toEqual([2_000, 5_000]);
  });

  it('ignores a mention whose ids are not Slack’s, naming which', () => {
    const forged = body({
      eventId: 'Ev08MFMKH6M',
      text: 'impact',
      ts: '1750275700.000200',
      channel: 'C0ONCALL> <!channel',
      user: 'nobody',
    });

    expect(triageMention(readMentionRequest(forged, {}), deps)).toEqual({
      kind: 'ignore',
      reason: 'not a Slack channel, user',
    });
  });
});
