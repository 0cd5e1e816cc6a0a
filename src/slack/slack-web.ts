/**
 * The Slack Web API calls the app makes, behind the narrowest interface the jobs need, so
 * tests can point the real WebClient at a local server (SLACK_API_URL) or replace it.
 *
 * Rate limits: the WebClient honours HTTP 429 + Retry-After itself (it pauses its queue for
 * the advertised seconds, then retries); the retry policy below bounds the other retries so a
 * worker cannot outlive its Lambda timeout.
 */
import { webApi } from '@slack/bolt';
import type { AppLogger } from './app-logger.js';
import { toBoltLogger } from './app-logger.js';
import type { SlackMessage } from './slack-message.js';

export interface PostedMessage {
  channel: string;
  ts: string;
}

export interface EphemeralReply {
  text: string;
}

export interface SlackWeb {
  post(channel: string, message: SlackMessage, options?: { threadTs?: string }): Promise<PostedMessage>;
  update(channel: string, ts: string, message: SlackMessage): Promise<void>;
  permalink(channel: string, ts: string): Promise<string>;
  /** An ephemeral answer through a response_url (no token, works where the bot cannot post). */
  respond(responseUrl: string, reply: EphemeralReply): Promise<void>;
}

export const DEFAULT_SLACK_API_URL = 'https://slack.com/api/';

/** Retries for network failures and 5xx, and the count for 429s (each waits Retry-After first). */
export const SLACK_RETRY_POLICY = { retries: 5, factor: 2, minTimeout: 500, maxTimeout: 8000, randomize: true };

export interface SlackWebOptions {
  token: string;
  /** SLACK_API_URL; defaults to https://slack.com/api/. */
  slackApiUrl?: string;
  logger: AppLogger;
  retryConfig?: typeof SLACK_RETRY_POLICY | { retries: number; minTimeout?: number; maxTimeout?: number; factor?: number };
  /** Per-request timeout. */
  timeoutMs?: number;
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

export function createSlackWeb(options: SlackWebOptions): SlackWeb {
  const client = createWebClient(options);
  return {
    async post(channel, message, { threadTs } = {}) {
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
    },
    async update(channel, ts, message) {
      await client.chat.update({
        channel,
        ts,
        text: message.text,
        blocks: message.blocks,
        ...(message.metadata ? { metadata: message.metadata } : {}),
      });
    },
    async permalink(channel, ts) {
      const result = await client.chat.getPermalink({ channel, message_ts: ts });
      if (!result.permalink) throw new Error(`chat.getPermalink for ${channel}/${ts} returned no permalink`);
      return result.permalink;
    },
    respond: (responseUrl, reply) => respondEphemeral(responseUrl, reply, { slackApiUrl: options.slackApiUrl, timeoutMs: options.timeoutMs }),
  };
}

/**
 * Posts an ephemeral answer to a response_url. Needs no token, so it still works when the bot
 * token is missing or wrong, or the bot is not in the channel.
 */
export async function respondEphemeral(responseUrl: string, reply: EphemeralReply, options: { slackApiUrl?: string; timeoutMs?: number } = {}): Promise<void> {
  if (!responseUrlPolicy(options.slackApiUrl)(responseUrl)) throw new Error(`Refusing to post to a response_url outside Slack: ${safeHost(responseUrl)}`);
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
 * response_url comes from a signed request, but it is still a URL we POST to: accept Slack's
 * hosts, and the host of a custom SLACK_API_URL (a local Web API in development and tests).
 */
function responseUrlPolicy(slackApiUrl: string | undefined): (url: string) => boolean {
  const customHost = slackApiUrl ? new URL(slackApiUrl).host : null;
  return (raw) => {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return false;
    }
    if (customHost && url.host === customHost) return true;
    return url.protocol === 'https:' && /(^|\.)slack(-gov)?\.com$/.test(url.hostname);
  };
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
  ratelimited: 'Slack kept rate-limiting the app',
};

/** One line for a person about a failed Slack call. */
export function describeSlackError(error: unknown): string {
  const code = slackErrorCode(error);
  if (code) return SLACK_ERROR_ADVICE[code] ? `Slack said ${code}: ${SLACK_ERROR_ADVICE[code]}` : `Slack said ${code}`;
  if (error instanceof Error && /rate limit/i.test(error.message)) return 'Slack kept rate-limiting the app';
  return 'Slack could not be reached or failed';
}
