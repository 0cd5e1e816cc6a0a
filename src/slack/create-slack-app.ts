/**
 * The why502 Slack app: a Bolt App with the /why502, `@why502` and button listeners, on the
 * receiver the deployment needs — HTTP (`POST /slack/events`, verified by our own server),
 * Socket Mode (SLACK_APP_TOKEN), or one passed in (AwsLambdaReceiver). Work after the
 * acknowledgement goes to the dispatcher: by default it runs in this process; the Lambda
 * `slack` function passes one that invokes the worker instead.
 */
import type { Server } from 'node:http';
import { App, HTTPReceiver, type Receiver, SocketModeReceiver } from '@slack/bolt';
import type { FollowUpDeps } from '../ask/answer-follow-up.js';
import type { Config, Secrets } from '../config.js';
import { type Clock, systemClock } from '../core/clock.js';
import type { InvestigationRunner } from '../engine/investigation-runner.js';
import { ConfigError } from '../errors.js';
import type { TableStyle } from '../render/slack/verdict-message.js';
import { createMemoryBlobStore } from '../state/blob-store.js';
import { createMemoryStateStore } from '../state/memory-state-store.js';
import type { StateStore } from '../state/state-store.js';
import { type AppLogger, toBoltLogger } from './app-logger.js';
import { createFollowUpDeps } from './follow-up-deps.js';
import { createInProcessDispatcher, createWorkTracker } from './in-process-dispatcher.js';
import { createJobExecutor, DEFAULT_JOB_TIMEOUT_MS, type JobExecutor } from './job-executor.js';
import { registerListeners } from './register-listeners.js';
import type { JobDispatcher } from './slack-jobs.js';
import { createSlackWeb, isAllowedResponseUrl, respondEphemeral, type SlackWeb } from './slack-web.js';
import type { ChartImageRenderer } from './thread-chart.js';
import { createThreadEvidenceStore, retentionOf, type ThreadEvidenceStore } from './thread-evidence-store.js';
import { createTtlDedupe, type DedupeStore } from './ttl-dedupe.js';
import { createVerifiedHttpServer } from './verified-http-server.js';

export const SLACK_EVENTS_PATH = '/slack/events';

export interface CreateSlackAppOptions {
  runner: InvestigationRunner;
  config: Config;
  secrets: Secrets;
  logger: AppLogger;
  clock: Clock;
  /** The clock request signatures are checked against; the machine's by default (Slack signs with real time). */
  requestClock?: Pick<Clock, 'now'>;
  /** A receiver to use instead of HTTP / Socket Mode (the Lambda `slack` function passes AwsLambdaReceiver). */
  receiver?: Receiver;
  /** SLACK_API_URL: the Web API base URL (default https://slack.com/api/). */
  slackApiUrl?: string;
  /** Where acknowledged work goes; default: run it in this process. */
  dispatcher?: JobDispatcher;
  /** The Web API as the jobs use it; default: a WebClient with the bot token. */
  web?: SlackWeb;
  tableStyle?: TableStyle;
  dedupe?: DedupeStore;
  /** State that must outlive a request; default: this process's memory (CONTRACT §7, one machine). */
  state?: StateStore;
  /**
   * Where each verdict thread's report is kept for follow-ups and Redraft; default: in `state`,
   * with large reports in this process's memory, for slack.threadEvidence.retentionDays.
   */
  evidence?: ThreadEvidenceStore;
  /** For follow-up questions: the model for free text; default: OpenAI when the secrets hold a key. */
  followUps?: () => Promise<FollowUpDeps>;
  /** Time limit for one investigation run in this process. */
  jobTimeoutMs?: number;
  /** Time limit for an ephemeral answer sent from the acknowledgement path. */
  respondTimeoutMs?: number;
  /**
   * Draws the chart PNG shared in the thread after the verdict (`why502 serve` passes
   * renderChartPng from chart-image.ts); absent, no image is shared. Passed in rather than
   * imported here so the `slack` Lambda function, built from this module, stays without Vega.
   */
  chartImage?: ChartImageRenderer;
}

export interface SlackAppHandle {
  app: App;
  mode: 'http' | 'socket' | 'custom';
  /** Starts listening; for HTTP mode returns the bound port (pass port 0 for any free one). */
  start(listen?: { port: number; host?: string }): Promise<{ port?: number }>;
  /** Stops receiving, ends waits for Slack, then waits for work in flight. */
  stop(): Promise<void>;
  /** Resolves when no job started by this app is still running in this process. */
  whenIdle(): Promise<void>;
  /** Present when jobs run in this process. */
  executor?: JobExecutor;
}

/** Ten minutes: longer than Slack retries a request (three retries within minutes) and a Lambda redelivery. */
const DEDUPE_TTL_MS = 10 * 60_000;

export function createSlackApp(options: CreateSlackAppOptions): SlackAppHandle {
  const { logger, clock } = options;
  const boltLogger = toBoltLogger(logger);
  const mode: SlackAppHandle['mode'] = options.receiver ? 'custom' : options.secrets.slackAppToken ? 'socket' : 'http';
  const signingSecret =
    mode === 'http' ? requireSecret(options.secrets.slackSigningSecret, 'SLACK_SIGNING_SECRET') : undefined;
  const receiver = options.receiver ?? createReceiver(mode === 'socket' ? 'socket' : 'http', options, boltLogger);
  const dedupe = options.dedupe ?? createTtlDedupe({ ttlMs: DEDUPE_TTL_MS, maxEntries: 10_000, clock });
  const tracker = createWorkTracker();
  const shutdown = new AbortController();

  let executor: JobExecutor | undefined;
  let dispatcher = options.dispatcher;
  if (!dispatcher) {
    const web =
      options.web ??
      createSlackWeb({
        token: requireSecret(options.secrets.slackBotToken, 'SLACK_BOT_TOKEN'),
        slackApiUrl: options.slackApiUrl,
        logger,
        sleep: (ms) => clock.sleep(ms),
      });
    const state = options.state ?? createMemoryStateStore({ clock });
    executor = createJobExecutor({
      runner: options.runner,
      web,
      config: options.config,
      clock,
      logger,
      evidence:
        options.evidence ??
        createThreadEvidenceStore({ state, blobs: createMemoryBlobStore(), ...retentionOf(options.config) }),
      followUps: options.followUps ?? createFollowUpDeps(options.config, options.secrets.openaiApiKey),
      tableStyle: options.tableStyle ?? 'native',
      state,
      ...(options.chartImage ? { chartImage: options.chartImage } : {}),
    });
    dispatcher = createInProcessDispatcher(executor, tracker, {
      timeoutMs: options.jobTimeoutMs ?? DEFAULT_JOB_TIMEOUT_MS,
      signal: shutdown.signal,
    });
  }

  const botToken = options.secrets.slackBotToken;
  const app = new App({
    receiver,
    // A fixed token, no auth.test round trip: the first acknowledgement after a start must
    // not wait on a Web API call.
    authorize: async () => (botToken ? { botToken } : {}),
    logger: boltLogger,
    convoStore: false,
    clientOptions: { slackApiUrl: options.slackApiUrl ?? 'https://slack.com/api/' },
  });
  const allowed = (url: string) => isAllowedResponseUrl(url, options.slackApiUrl);
  registerListeners(app, {
    runner: options.runner,
    config: options.config,
    clock,
    dedupe,
    dispatcher,
    logger,
    isAllowedResponseUrl: allowed,
    respond: (responseUrl, text) =>
      respondEphemeral(
        responseUrl,
        { text },
        { slackApiUrl: options.slackApiUrl, timeoutMs: options.respondTimeoutMs ?? 5_000 },
      ),
    track: (work) => tracker.track(work),
  });

  let server: Server | undefined;
  return {
    app,
    mode,
    executor,
    async start(listen) {
      if (mode !== 'http') {
        await app.start();
        return {};
      }
      server = createVerifiedHttpServer({
        receiver: receiver as HTTPReceiver,
        signingSecret: signingSecret!,
        path: SLACK_EVENTS_PATH,
        clock: options.requestClock ?? systemClock,
        logger,
      });
      const bound = server;
      await new Promise<void>((resolve, reject) => {
        bound.once('error', reject);
        bound.listen(listen?.port ?? 3000, listen?.host, () => resolve());
      });
      const address = bound.address();
      return { port: typeof address === 'object' && address ? address.port : listen?.port };
    },
    async stop() {
      if (mode === 'http') {
        const running = server;
        if (running) await new Promise<void>((resolve) => running.close(() => resolve()));
      } else {
        await app.stop();
      }
      shutdown.abort(new Error('The server is stopping.'));
      await tracker.whenIdle();
    },
    whenIdle: () => tracker.whenIdle(),
  };
}

function createReceiver(
  mode: 'http' | 'socket',
  options: CreateSlackAppOptions,
  logger: ReturnType<typeof toBoltLogger>,
): Receiver {
  if (mode === 'socket') {
    requireSecret(options.secrets.slackBotToken, 'SLACK_BOT_TOKEN');
    return new SocketModeReceiver({ appToken: options.secrets.slackAppToken!, logger });
  }
  // The signature is checked by createVerifiedHttpServer before Bolt sees the request.
  return new HTTPReceiver({
    signingSecret: '',
    signatureVerification: false,
    endpoints: SLACK_EVENTS_PATH,
    logger,
    processBeforeResponse: false,
  });
}

function requireSecret(value: string | undefined, name: string): string {
  if (!value) {
    throw new ConfigError(
      `${name} is not set.`,
      `The Slack app needs SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN (or SLACK_APP_TOKEN for Socket Mode) in the environment; see docs/slack.md.`,
    );
  }
  return value;
}
