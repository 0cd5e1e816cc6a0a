import { describe, expect, it } from 'vitest';
import { escapeMrkdwn } from '../../src/render/slack/block-kit.js';
import { renderDraftMessage } from '../../src/render/slack/draft-message.js';
import { type DraftRef, encodeDraftRef } from '../../src/render/slack/draft-ref.js';
import { isAllowedResponseUrl } from '../../src/slack/slack-web.js';
import { type CommandRequest, type TriageDeps, triageCommand, triageDraftAction } from '../../src/slack/triage.js';
import { createTtlDedupe } from '../../src/slack/ttl-dedupe.js';
import { testConfig } from './support/harness.js';
import { createFakeRunner, fixedClock, USAGE } from './support/report-fixture.js';

const ESCAPED_USAGE = escapeMrkdwn(USAGE);
const MORE_USAGE =
  '`/why502 summary` keeps one summary of this channel’s verdicts · `/why502 catchup` sends it to you alone · in a verdict’s thread, `@why502 impact`, `tenants`, `08:22`, `claim 537k 502s` or `help`';

function deps(overrides: Partial<TriageDeps> = {}): TriageDeps {
  return {
    runner: createFakeRunner(),
    config: testConfig(),
    clock: fixedClock,
    dedupe: createTtlDedupe({ ttlMs: 60_000, maxEntries: 100, clock: fixedClock }),
    isAllowedResponseUrl: (url) => isAllowedResponseUrl(url, undefined),
    ...overrides,
  };
}

const request = (fields: Partial<CommandRequest> = {}): CommandRequest => ({
  text: 'prod_000_audio 05:41 AEST',
  teamId: 'T0TEAM',
  channelId: 'C0ONCALL',
  userId: 'U0ONCALL',
  responseUrl: 'https://hooks.slack.com/commands/T0TEAM/1/abc',
  triggerId: 'trigger-1',
  ...fields,
});

const ref: DraftRef = {
  v: 1,
  channel: 'C0ONCALL',
  threadTs: '1750275660.000100',
  text: 'prod_000_audio 05:41 AEST',
  requestedAt: '2026-06-18T19:45:00.000Z',
  index: 'prod_000_audio',
  at: '2026-06-18T19:41:00Z',
  kind: 'throttling_429',
  confidence: 'high',
  headline: 'h',
};

describe('triageCommand', () => {
  it('hands a valid command on as an investigate job, read at the injected now', () => {
    expect(triageCommand(request(), deps())).toEqual({
      kind: 'dispatch',
      ackText:
        ':mag: Investigating `prod_000_audio` at 19 Jun 05:41 AEST (19:41 UTC, 18 Jun)… the answer will appear in a thread in this channel.',
      job: {
        kind: 'investigate',
        jobId: 'trigger-1',
        origin: {
          teamId: 'T0TEAM',
          channelId: 'C0ONCALL',
          userId: 'U0ONCALL',
          responseUrl: 'https://hooks.slack.com/commands/T0TEAM/1/abc',
        },
        text: 'prod_000_audio 05:41 AEST',
        // Parsed once here; the worker runs this command as is.
        command: {
          index: 'prod_000_audio',
          asked: {
            input: '05:41 AEST',
            zone: { kind: 'fixed', label: 'AEST', offsetMinutes: 600 },
            utcOffset: '+10:00',
            instant: '2026-06-18T19:41:00.000Z',
            at: '2026-06-18T19:41:00.000Z',
            notes: [],
          },
          window: { start: '2026-06-18T18:11:00.000Z', end: '2026-06-18T21:11:00.000Z' },
          noDraft: false,
        },
        requestedAt: '2026-06-18T19:45:00.000Z',
      },
    });
  });

  it.each(['', '   ', 'help', 'HELP me'])('answers %j with the usage', (text) => {
    expect(triageCommand(request({ text }), deps())).toEqual({
      kind: 'reply',
      text: `\`\`\`${ESCAPED_USAGE}\`\`\`\n${MORE_USAGE}`,
    });
  });

  it('answers help even in a channel where investigations are not allowed', () => {
    expect(
      triageCommand(
        request({ text: 'help', channelId: 'C0OTHER' }),
        deps({ config: testConfig({ allowedChannels: ['C0ONCALL'] }) }),
      ).kind,
    ).toBe('reply');
  });

  it('refuses an investigation outside slack.allowedChannels before parsing it', () => {
    const runner = createFakeRunner();
    runner.parse = () => {
      throw new Error('must not parse');
    };

    const triage = triageCommand(
      request({ channelId: 'C0OTHER' }),
      deps({ runner, config: testConfig({ allowedChannels: ['C0ONCALL'] }) }),
    );

    expect(triage).toEqual({
      kind: 'reply',
      text: ':no_entry: /why502 is not enabled in this channel. Use it in <#C0ONCALL>, or ask an admin to add this channel to `slack.allowedChannels` in why502.yml.',
    });
  });

  it('answers bad input with the problem and the usage', () => {
    expect(triageCommand(request({ text: 'prod_000_audio quarter AEST' }), deps())).toEqual({
      kind: 'reply',
      text: `:warning: Cannot read "prod_000_audio quarter AEST" as &lt;index&gt; &lt;time&gt; AEST. Example: /why502 prod_000_audio 05:41 AEST\n\`\`\`${ESCAPED_USAGE}\`\`\``,
    });
  });

  it('ignores a second delivery of the same trigger_id', () => {
    const shared = deps();
    triageCommand(request(), shared);

    expect(triageCommand(request({ retryNum: 1, retryReason: 'http_error' }), shared)).toEqual({
      kind: 'ignore',
      reason: 'Slack retry #1',
    });
  });

  it('ignores a retry for http_timeout it never saw, because the first delivery is still running elsewhere', () => {
    expect(triageCommand(request({ retryNum: '2', retryReason: 'http_timeout' }), deps())).toEqual({
      kind: 'ignore',
      reason: 'Slack retry (http_timeout)',
    });
  });

  it('takes a retry for another reason that this process never saw', () => {
    expect(triageCommand(request({ retryNum: 1, retryReason: 'http_error' }), deps()).kind).toBe('dispatch');
  });

  it('keys a request without trigger_id on team, channel, user, text and minute', () => {
    const shared = deps();
    const first = triageCommand(request({ triggerId: undefined }), shared);

    expect(first.kind === 'dispatch' && first.job.jobId).toBe(
      'T0TEAM:C0ONCALL:U0ONCALL:prod_000_audio 05:41 AEST:29696865',
    );
    expect(triageCommand(request({ triggerId: undefined }), shared).kind).toBe('ignore');
  });
});

describe('triageDraftAction', () => {
  const draftBlocks = renderDraftMessage({ text: 'd', generator: 'template' }, ref).blocks as unknown[];
  const click = {
    userId: 'U0CLICKER',
    channelId: 'C0ONCALL',
    teamId: 'T0TEAM',
    responseUrl: 'https://hooks.slack.com/actions/1',
    messageTs: '1750275660.000102',
    messageBlocks: draftBlocks,
  };

  it('turns "Post summary" into a post_summary job carrying the button’s thread reference', () => {
    expect(
      triageDraftAction(
        { ...click, actionId: 'why502_post_summary', value: encodeDraftRef(ref), triggerId: 't-1' },
        deps(),
      ),
    ).toEqual({
      kind: 'dispatch',
      job: {
        kind: 'post_summary',
        jobId: 'action:t-1',
        origin: {
          teamId: 'T0TEAM',
          channelId: 'C0ONCALL',
          userId: 'U0CLICKER',
          responseUrl: 'https://hooks.slack.com/actions/1',
        },
        ref,
      },
    });
  });

  it('turns a Redraft choice into a redraft job, finding the reference in the message’s own blocks', () => {
    const triage = triageDraftAction(
      { ...click, actionId: 'why502_redraft', selectedValue: 'warmer', triggerId: 't-2' },
      deps(),
    );

    expect(triage).toMatchObject({
      kind: 'dispatch',
      job: { kind: 'redraft', tone: 'warmer', draftTs: '1750275660.000102', ref },
    });
  });

  it('answers a button whose value is not ours with a stale-button notice', () => {
    expect(
      triageDraftAction({ ...click, actionId: 'why502_post_summary', value: '{"v":0}', triggerId: 't-3' }, deps()),
    ).toEqual({
      kind: 'reply',
      text: ':warning: That button belongs to an older version of why502 and no longer works. Run /why502 again.',
    });
  });

  it('rejects a tone that is not on the menu', () => {
    expect(
      triageDraftAction({ ...click, actionId: 'why502_redraft', selectedValue: 'angrier', triggerId: 't-4' }, deps())
        .kind,
    ).toBe('reply');
  });
});
