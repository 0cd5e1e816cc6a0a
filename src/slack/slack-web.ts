/**
 * The Slack Web API calls the app makes, behind the narrowest interface the jobs need, so
 * tests can point the real WebClient at a local server (SLACK_API_URL) or replace it.
 *
 * Two ways to call:
 * - `post` / `update` are patient: the WebClient honours HTTP 429 + Retry-After itself (it
 *   pauses its queue for the advertised seconds, then retries) and retries network failures
 *   and 5xx with backoff, bounded so a worker cannot outlive its Lambda timeout.
 * - `postOnce` / `updateOnce` make one attempt, waiting out a 429's Retry-After (a rate limit
 *   says "later", not "no") at most three times. The thread's answer uses them: a failure
 *   there moves on to a plainer layout at once, and the retry schedule of the outbox decides
 *   when to try again (thread-outbox.ts), instead of ~20 s of retries on one layout.
 *
 * Every update gives each block a new `block_id`: Slack clients keep the state of an
 * interactive element (the Redraft menu's choice) across updates while its block_id stays.
 */
import { randomUUID } from 'node:crypto';
import { webApi } from '@slack/bolt';
import type { KnownBlock } from '../render/slack/block-kit.js';
import type { SlackMessage } from '../render/slack/slack-message.js';
import type { AppLogger } from './app-logger.js';
import { toBoltLogger } from './app-logger.js';

export interface PostedMessage {
  channel: string;
  ts: string;
}

export interface EphemeralReply {
  text: string;
}

/** A file to share as a reply in a thread (Slack's current upload flow, files:write). */
export interface ThreadFile {
  channel: string;
  /** The parent's ts: Slack documents "never use a reply's ts value; use its parent instead". */
  threadTs: string;
  bytes: Uint8Array;
  filename: string;
  title: string;
  altText: string;
}

/** One page of conversations.history, as the app reads it (with include_all_metadata). */
export interface HistoryPage {
  messages: HistoryMessageJson[];
  /** The cursor of the next (older) page; absent on the last. */
  nextCursor?: string;
}

/** A message as conversations.history returns it: the fields the app reads, unvalidated. */
export interface HistoryMessageJson {
  ts?: unknown;
  text?: unknown;
  user?: unknown;
  bot_id?: unknown;
  thread_ts?: unknown;
  metadata?: unknown;
}

export interface HistoryQuery {
  cursor?: string;
  /** Messages per page; Slack recommends at most 200. */
  limit: number;
  /** Only messages at or before this ts (with `inclusive`), e.g. one message by its ts. */
  latest?: string;
  oldest?: string;
  inclusive?: boolean;
}

export interface SlackWeb {
  post(channel: string, message: SlackMessage, options?: { threadTs?: string }): Promise<PostedMessage>;
  /** One attempt (429s wait for Retry-After); the caller decides what a failure means. */
  postOnce(channel: string, message: SlackMessage, options?: { threadTs?: string }): Promise<PostedMessage>;
  update(channel: string, ts: string, message: SlackMessage): Promise<void>;
  updateOnce(channel: string, ts: string, message: SlackMessage): Promise<void>;
  permalink(channel: string, ts: string): Promise<string>;
  /** An ephemeral answer through a response_url (no token, works where the bot cannot post). */
  respond(responseUrl: string, reply: EphemeralReply): Promise<void>;
  /**
   * One attempt (429s wait for Retry-After) at sharing a file in a thread: files.getUploadURLExternal,
   * the bytes POSTed to the upload URL, files.completeUploadExternal with channel_id and thread_ts.
   */
  uploadToThreadOnce(file: ThreadFile): Promise<{ fileId: string }>;
  /**
   * One page of a channel's history with every message's metadata (`include_all_metadata`),
   * newest first. Patient: 429s wait for Retry-After (conversations.history is Tier 3).
   */
  history(channel: string, query: HistoryQuery): Promise<HistoryPage>;
  /** A message only `user` sees, in the channel (and thread); chat:write, the user must be in the channel. */
  postEphemeral(channel: string, user: string, message: SlackMessage, options?: { threadTs?: string }): Promise<void>;
}

/** files.getUploadURLExternal answers alt_txt_too_large over 1,000 characters (its method page). */
const FILE_ALT_TEXT_CHARS = 1_000;

export const DEFAULT_SLACK_API_URL = 'https://slack.com/api/';

/** Retries for network failures and 5xx, and the count for 429s (each waits Retry-After first). */
export const SLACK_RETRY_POLICY = { retries: 5, factor: 2, minTimeout: 500, maxTimeout: 8000, randomize: true };

/** How often, and how long at most, a one-attempt call waits out a 429 before giving up. */
const RATE_LIMIT_WAITS = 3;
const RATE_LIMIT_MAX_WAIT_S = 60;

export interface SlackWebOptions {
  token: string;
  /** SLACK_API_URL; defaults to https://slack.com/api/. */
  slackApiUrl?: string;
  logger: AppLogger;
  retryConfig?:
    | typeof SLACK_RETRY_POLICY
    | { retries: number; minTimeout?: number; maxTimeout?: number; factor?: number };
  /** Per-request timeout of patient calls. */
  timeoutMs?: number;
  /** Per-request timeout of one-attempt calls. */
  onceTimeoutMs?: number;
  /** Waits out Retry-After in one-attempt calls; the job's clock in tests. */
  sleep?: (ms: number) => Promise<void>;
  /** The suffix that makes block_ids new on each update. */
  blockIdSuffix?: () => string;
}

export function createWebClient(options: SlackWebOptions): webApi.WebClient {
  return new webApi.WebClient(options.token, {
    slackApiUrl: options.slackApiUrl ?? DEFAULT_SLACK_API_URL,
    logger: toBoltLogger(options.logger, 'slack-web-api'),
    retryConfig: options.retryConfig ?? SLACK_RETRY_POLICY,
    timeout: options.timeoutMs ?? 10_000,
    rejectRateLimitedCalls: false,
  });
}

function createOnceClient(options: SlackWebOptions): webApi.WebClient {
  return new webApi.WebClient(options.token, {
    slackApiUrl: options.slackApiUrl ?? DEFAULT_SLACK_API_URL,
    logger: toBoltLogger(options.logger, 'slack-web-api'),
    retryConfig: { retries: 0 },
    timeout: options.onceTimeoutMs ?? 8_000,
    // Surfaced as WebAPIRateLimitedError with retryAfter, waited out below.
    rejectRateLimitedCalls: true,
  });
}

export function createSlackWeb(options: SlackWebOptions): SlackWeb {
  const patient = createWebClient(options);
  const once = createOnceClient(options);
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const suffix = options.blockIdSuffix ?? (() => randomUUID().slice(0, 8));

  const postWith = async (
    client: webApi.WebClient,
    channel: string,
    message: SlackMessage,
    threadTs: string | undefined,
  ): Promise<PostedMessage> => {
    const result = await client.chat.postMessage({
      channel,
      text: message.text,
      ...(message.blocks.length > 0 ? { blocks: message.blocks } : {}),
      ...(message.metadata ? { metadata: message.metadata } : {}),
      ...(threadTs ? { thread_ts: threadTs } : {}),
      unfurl_links: false,
      unfurl_media: false,
    });
    if (!result.ts) throw new Error(`chat.postMessage to ${channel} returned no ts`);
    return { channel: result.channel ?? channel, ts: result.ts };
  };
  const updateWith = async (
    client: webApi.WebClient,
    channel: string,
    ts: string,
    message: SlackMessage,
  ): Promise<void> => {
    await client.chat.update({
      channel,
      ts,
      text: message.text,
      blocks: withNewBlockIds(message.blocks, suffix()),
      ...(message.metadata ? { metadata: message.metadata } : {}),
    });
  };
  const waitingOutRateLimits = async <T>(call: () => Promise<T>): Promise<T> => {
    for (let waits = 0; ; waits += 1) {
      try {
        return await call();
      } catch (error) {
        const retryAfterS = (error as { retryAfter?: unknown }).retryAfter;
        if (typeof retryAfterS !== 'number' || waits >= RATE_LIMIT_WAITS) throw error;
        options.logger.info('Slack rate-limited a call; waiting as asked', { retryAfterS });
        await sleep(Math.min(retryAfterS, RATE_LIMIT_MAX_WAIT_S) * 1000);
      }
    }
  };

  return {
    post: (channel, message, { threadTs } = {}) => postWith(patient, channel, message, threadTs),
    postOnce: (channel, message, { threadTs } = {}) =>
      waitingOutRateLimits(() => postWith(once, channel, message, threadTs)),
    update: (channel, ts, message) => updateWith(patient, channel, ts, message),
    updateOnce: (channel, ts, message) => waitingOutRateLimits(() => updateWith(once, channel, ts, message)),
    async permalink(channel, ts) {
      const result = await patient.chat.getPermalink({ channel, message_ts: ts });
      if (!result.permalink) throw new Error(`chat.getPermalink for ${channel}/${ts} returned no permalink`);
      return result.permalink;
    },
    respond: (responseUrl, reply) =>
      respondEphemeral(responseUrl, reply, { slackApiUrl: options.slackApiUrl, timeoutMs: options.timeoutMs }),
    uploadToThreadOnce: (file) => waitingOutRateLimits(() => uploadToThread(once, file)),
    async history(channel, query) {
      const result = await patient.conversations.history({
        channel,
        limit: query.limit,
        include_all_metadata: true,
        ...(query.cursor ? { cursor: query.cursor } : {}),
        ...(query.latest ? { latest: query.latest } : {}),
        ...(query.oldest ? { oldest: query.oldest } : {}),
        ...(query.inclusive ? { inclusive: true } : {}),
      });
      const nextCursor = result.response_metadata?.next_cursor;
      return {
        messages: (result.messages ?? []) as HistoryMessageJson[],
        ...(result.has_more && nextCursor ? { nextCursor } : {}),
      };
    },
    async postEphemeral(channel, user, message, { threadTs } = {}) {
      await patient.chat.postEphemeral({
        channel,
        user,
        text: message.text,
        ...(message.blocks.length > 0 ? { blocks: message.blocks } : {}),
        ...(threadTs ? { thread_ts: threadTs } : {}),
      });
    },
  };
}

/**
 * The SDK's files.uploadV2 runs the three documented steps (getUploadURLExternal with filename,
 * length and alt_text; a POST of the bytes to upload_url, which must answer 200;
 * completeUploadExternal grouping by channel_id and thread_ts) and rejects on any failure.
 */
async function uploadToThread(client: webApi.WebClient, file: ThreadFile): Promise<{ fileId: string }> {
  const result = await client.filesUploadV2({
    channel_id: file.channel,
    thread_ts: file.threadTs,
    file: Buffer.from(file.bytes.buffer, file.bytes.byteOffset, file.bytes.byteLength),
    filename: file.filename,
    title: file.title,
    alt_text: file.altText.slice(0, FILE_ALT_TEXT_CHARS),
  });
  const completed = (result as { files?: Array<{ files?: Array<{ id?: string }> }> }).files ?? [];
  const fileId = completed.flatMap((c) => c.files ?? [])[0]?.id;
  if (!fileId) throw new Error('files.completeUploadExternal returned no file');
  return { fileId };
}

/** The same blocks, each with a block_id no earlier version of the message had. */
export function withNewBlockIds(blocks: readonly KnownBlock[], suffix: string): KnownBlock[] {
  return blocks.map((block, i) => ({
    ...block,
    block_id: `${(block.block_id ?? `b${i}`).replace(/\.[^.]*$/, '')}.${suffix}`.slice(0, 255),
  }));
}

/**
 * Posts an ephemeral answer to a response_url. Needs no token, so it still works when the bot
 * token is missing or wrong, or the bot is not in the channel.
 */
export async function respondEphemeral(
  responseUrl: string,
  reply: EphemeralReply,
  options: { slackApiUrl?: string; timeoutMs?: number } = {},
): Promise<void> {
  if (!isAllowedResponseUrl(responseUrl, options.slackApiUrl))
    throw new Error(`Refusing to post to a response_url outside Slack: ${safeHost(responseUrl)}`);
  const response = await fetch(responseUrl, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json; charset=utf-8' },
    body: JSON.stringify({ response_type: 'ephemeral', replace_original: false, text: reply.text }),
    signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
  });
  if (!response.ok) throw new Error(`response_url answered HTTP ${response.status}`);
}

function safeHost(raw: string): string {
  try {
    return new URL(raw).host;
  } catch {
    return '(not a URL)';
  }
}

/**
 * response_url comes in a signed request, but it is still a URL we POST to, so only Slack's
 * own host for it is accepted — https://hooks.slack.com/ — plus the host of a custom
 * SLACK_API_URL (a local Web API in development and tests).
 */
export function isAllowedResponseUrl(raw: string, slackApiUrl: string | undefined): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (url.username || url.password) return false;
  if (slackApiUrl && url.host === new URL(slackApiUrl).host) return true;
  return url.protocol === 'https:' && url.host === 'hooks.slack.com';
}

/** Slack's error code for a failed call ("not_in_channel", "invalid_blocks"), when it gave one. */
export function slackErrorCode(error: unknown): string | undefined {
  const data = (error as { data?: { error?: unknown } } | null)?.data;
  return typeof data?.error === 'string' ? data.error : undefined;
}

const SLACK_ERROR_ADVICE: Record<string, string> = {
  not_in_channel: 'the app is not in that channel; invite it with /invite @why502',
  channel_not_found: 'the channel does not exist or the app cannot see it; invite the app to it',
  is_archived: 'the channel is archived',
  invalid_auth: 'the bot token is not valid; check SLACK_BOT_TOKEN',
  not_authed: 'no bot token was sent; check SLACK_BOT_TOKEN',
  missing_scope: 'the app lacks a scope it needs; reinstall it from manifest.yml',
  msg_too_long: 'the message was too long for Slack',
  message_not_found: 'the message is gone (deleted, or never in that channel)',
  user_not_in_channel: 'the person is not in that channel',
  ratelimited: 'Slack kept rate-limiting the app',
};

/** One line for a person about a failed Slack call. */
export function describeSlackError(error: unknown): string {
  const code = slackErrorCode(error);
  if (code) return SLACK_ERROR_ADVICE[code] ? `Slack said ${code}: ${SLACK_ERROR_ADVICE[code]}` : `Slack said ${code}`;
  const { code: clientCode, statusCode } = (error ?? {}) as { code?: string; statusCode?: number };
  if (clientCode === 'slack_webapi_rate_limited_error') return 'Slack kept rate-limiting the app';
  if (clientCode === 'slack_webapi_http_error' && statusCode) return `Slack answered HTTP ${statusCode}`;
  if (error instanceof Error && /rate limit/i.test(error.message)) return 'Slack kept rate-limiting the app';
  return 'Slack could not be reached or failed';
}
