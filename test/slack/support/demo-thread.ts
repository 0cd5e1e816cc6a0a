/**
 * The demo's verdict thread in a running app: the bundled demo incident's real-format logs,
 * the real investigation runner over them (files mode, the demo's config), the real Bolt HTTP
 * receiver, and the Slack stand-in. `/why502 prod_000_audio 05:41 AEST` makes the thread; the
 * tests then ask in it as the seed's author did, by `@why502` mentions delivered as the Events
 * API delivers them.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Config } from '../../../src/config.js';
import type { Clock } from '../../../src/core/clock.js';
import { systemClock } from '../../../src/core/clock.js';
import type { InvestigationCommand } from '../../../src/core/types.js';
import { DEMO_INCIDENT, DEMO_NOW, demoConfig } from '../../../src/demo/demo-incident.js';
import { createInvestigationRunner } from '../../../src/engine/create-runner.js';
import type { InvestigationRunner } from '../../../src/engine/investigation-runner.js';
import { writeIncidentLogs } from '../../../src/simulate/write-incident-logs.js';
import type { CreateSlackAppOptions } from '../../../src/slack/create-slack-app.js';
import { FAKE_BOT, type FakeSlackApi, type StoredMessage, startFakeSlackApi } from './fake-slack-api.js';
import { type Harness, startHarness } from './harness.js';
import { appMentionBody, deliverEvent } from './slack-events.js';
import { postSigned, type SignedPostResult, slashCommandBody } from './slack-requests.js';

/** The demo's "now" (09:00 AEST, 19 June) as a Slack ts: the stand-in's first message gets it. */
export const DEMO_NOW_S = Math.floor(DEMO_NOW.getTime() / 1000);
export const PARENT_TS = `${DEMO_NOW_S}.000100`;

/** A clock whose "now" is set by the test (the demo's by default) and whose sleeps are real. */
export function settableClock(start = DEMO_NOW): Clock & { set(instant: Date): void } {
  let now = start.getTime();
  return {
    now: () => new Date(now),
    sleep: systemClock.sleep,
    set: (instant) => {
      now = instant.getTime();
    },
  };
}

let logs: Promise<string> | undefined;

/** The demo incident's log files, written once per test file. */
export function demoLogs(): Promise<string> {
  logs ??= (async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'why502-demo-thread-'));
    await writeIncidentLogs(DEMO_INCIDENT, dir);
    return dir;
  })();
  return logs;
}

export async function demoThreadConfig(slack: Partial<Config['slack']> = {}): Promise<Config> {
  const dir = await demoLogs();
  const config = demoConfig(path.join(dir, 'alb'), path.join(dir, 'haproxy'));
  return { ...config, slack: { allowedChannels: [], incidentChannel: 'C0INCIDENTS', ...slack } };
}

export interface DemoAppOptions {
  clock?: Clock;
  api?: FakeSlackApi;
  app?: Partial<CreateSlackAppOptions>;
  config?: Config;
}

export interface DemoApp extends Harness {
  /** Each investigation the real runner ran, in order (the command it ran). */
  investigations: InvestigationCommand[];
}

/** An app over the demo's logs with the real runner; its own Slack stand-in unless one is shared. */
export async function startDemoApp(options: DemoAppOptions = {}): Promise<DemoApp> {
  const clock = options.clock ?? settableClock();
  const config = options.config ?? (await demoThreadConfig());
  const api = options.api ?? (await startFakeSlackApi({ firstTs: DEMO_NOW_S }));
  const investigations: InvestigationCommand[] = [];
  const real = createInvestigationRunner({ config, env: {}, clock, warn: () => {} });
  const runner: InvestigationRunner = {
    ...real,
    run: (command, runOptions) => {
      investigations.push(command);
      return real.run(command, runOptions);
    },
  };
  const harness = await startHarness({ config, api, app: { runner, clock, ...options.app } });
  const close = options.api
    ? harness.close
    : async () => {
        await harness.close();
        await api.close();
      };
  return { ...harness, close, investigations };
}

/** `/why502 <text>` in #oncall, to completion. */
export async function runCommand(h: Harness, text = 'prod_000_audio 05:41 AEST'): Promise<SignedPostResult> {
  const ack = await postSigned(h.eventsUrl, slashCommandBody({ text, responseUrl: h.api.responseUrl('cmd') }));
  await h.handle.whenIdle();
  return ack;
}

let mentionCounter = 0;

export interface Asked {
  ack: SignedPostResult;
  /** The ts of the message that asked. */
  mentionTs: string;
  /** The bot's replies in the thread that came after the question. */
  replies: StoredMessage[];
}

/**
 * Someone types `@why502 <question>` in the thread (`threadTs`; none: in the channel): the message
 * appears in Slack, then the app_mention event is delivered. Resolves when the app is idle.
 */
export async function ask(
  h: Harness,
  question: string,
  options: { threadTs?: string | null; eventId?: string; user?: string; channel?: string } = {},
): Promise<Asked> {
  mentionCounter += 1;
  const channel = options.channel ?? 'C0ONCALL';
  const threadTs = options.threadTs === undefined ? PARENT_TS : (options.threadTs ?? undefined);
  const ts = `${DEMO_NOW_S + 60 + mentionCounter}.000200`;
  const text = `<@${FAKE_BOT.userId}> ${question}`;
  h.api.seedMessages(channel, [
    { ts, text, user: options.user ?? 'U0ONCALL', ...(threadTs ? { thread_ts: threadTs } : {}) },
  ]);
  const before = botRepliesIn(h, channel, threadTs ?? ts).length;
  const ack = await deliverEvent(
    h.eventsUrl,
    appMentionBody({
      eventId: options.eventId ?? `Ev0ASK${String(mentionCounter).padStart(6, '0')}`,
      text,
      ts,
      ...(threadTs ? { threadTs } : {}),
      channel,
      ...(options.user ? { user: options.user } : {}),
    }),
  );
  await h.handle.whenIdle();
  return { ack, mentionTs: ts, replies: botRepliesIn(h, channel, threadTs ?? ts).slice(before) };
}

export function botRepliesIn(h: Harness, channel: string, threadTs: string): StoredMessage[] {
  return h.api.repliesIn(channel, threadTs).filter((m) => m.bot_id === FAKE_BOT.botId);
}
