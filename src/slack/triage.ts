/**
 * What to do with a Slack request before acknowledging it. Cheap and local on purpose — it
 * parses the command text and checks the channel, but never queries anything — so the
 * acknowledgement goes out in milliseconds, well inside Slack's 3 s.
 */

import type { Config } from '../config.js';
import type { Clock } from '../core/clock.js';
import type { DraftTone } from '../core/types.js';
import type { InvestigationRunner } from '../engine/investigation-runner.js';
import { describeError } from '../errors.js';
import { commandToJson } from '../grammar/command-json.js';
import { formatterForCommand } from '../grammar/formatters.js';
import { describeAskedInstant } from '../render/report-sections.js';
import { ACTION_REGENERATE_SUMMARY, decodeRegenerateValue } from '../render/slack/channel-summary-messages.js';
import { ACTION_POST_SUMMARY, ACTION_REDRAFT, REDRAFT_TONES } from '../render/slack/draft-message.js';
import { type DraftRef, decodeDraftRef } from '../render/slack/draft-ref.js';
import { channelRefusal, investigatingAck, usageReply } from '../render/slack/notices.js';
import { SLACK_CHANNEL_ID, SLACK_TEAM_ID, SLACK_USER_ID } from './slack-ids.js';
import type { SlackJob, SlackOrigin } from './slack-jobs.js';
import type { DedupeStore } from './ttl-dedupe.js';

export interface TriageDeps {
  runner: InvestigationRunner;
  config: Config;
  clock: Pick<Clock, 'now'>;
  dedupe: DedupeStore;
  /** Whether a response_url may be posted to (https://hooks.slack.com/, or the SLACK_API_URL host). */
  isAllowedResponseUrl(url: string): boolean;
}

/** Slack's own retry markers (X-Slack-Retry-Num / X-Slack-Retry-Reason), when present. */
export interface RetryInfo {
  retryNum?: number | string;
  retryReason?: string;
}

export type Triage =
  /** Answer ephemerally in the acknowledgement and do nothing else. */
  | { kind: 'reply'; text: string }
  /** A repeat of something already handled: acknowledge, silently. */
  | { kind: 'ignore'; reason: string }
  /** Acknowledge (with `ackText` when set), then hand the job on. */
  | { kind: 'dispatch'; job: SlackJob; ackText?: string };

export interface CommandRequest extends RetryInfo {
  text: string;
  teamId?: string;
  channelId: string;
  channelName?: string;
  userId: string;
  responseUrl?: string;
  triggerId?: string;
}

/** The slash-command fields the app reads; each must appear once (a form may repeat a field). */
const COMMAND_FIELDS = [
  'text',
  'team_id',
  'channel_id',
  'channel_name',
  'user_id',
  'response_url',
  'trigger_id',
  'command',
] as const;

/**
 * The command request from the parsed form body, or the fields it repeats: Bolt parses a
 * repeated field (`text=a&text=b`) into an array, which is bad input, not a crash.
 */
export function readCommandRequest(
  body: Record<string, unknown>,
  retry: RetryInfo,
): CommandRequest | { repeated: string[] } {
  const repeated = COMMAND_FIELDS.filter((field) => body[field] !== undefined && typeof body[field] !== 'string');
  if (repeated.length > 0) return { repeated: [...repeated] };
  const field = (name: (typeof COMMAND_FIELDS)[number]) => body[name] as string | undefined;
  return {
    text: field('text') ?? '',
    ...(field('team_id') ? { teamId: field('team_id')! } : {}),
    channelId: field('channel_id') ?? '',
    ...(field('channel_name') ? { channelName: field('channel_name')! } : {}),
    userId: field('user_id') ?? '',
    ...(field('response_url') ? { responseUrl: field('response_url')! } : {}),
    ...(field('trigger_id') ? { triggerId: field('trigger_id')! } : {}),
    ...retry,
  };
}

export function repeatedFieldsReply(fields: readonly string[]): string {
  const names = fields.map((f) => `\`${f}\``).join(', ');
  return `:warning: This request carried ${names} more than once, so why502 cannot tell which to use and did nothing. Send the command again.`;
}

export function triageCommand(request: CommandRequest, deps: TriageDeps): Triage {
  const invalid = invalidRequest(request, deps);
  if (invalid) return { kind: 'reply', text: invalid };
  const key = commandKey(request, deps.clock);
  const duplicate = checkDuplicate(`command:${key}`, request, deps);
  if (duplicate) return duplicate;

  const text = request.text.trim();
  if (text === '' || /^help\b/i.test(text))
    return { kind: 'reply', text: `${usageReply(null, deps.runner.usage)}\n${MORE_USAGE}` };
  if (!isChannelAllowed(request.channelId, deps.config))
    return { kind: 'reply', text: channelRefusal(deps.config.slack.allowedChannels) };
  const word = channelWord(text);
  if (word) return channelWordJob(word, key, request);

  const now = deps.clock.now();
  let parsed: ReturnType<InvestigationRunner['parse']>;
  try {
    parsed = deps.runner.parse(text, now);
  } catch (error) {
    return { kind: 'reply', text: usageReply(describeError(error), deps.runner.usage) };
  }
  if ('help' in parsed) return { kind: 'reply', text: usageReply(null, deps.runner.usage) };

  const askedAt = describeAskedInstant(parsed.asked.at, formatterForCommand(parsed));
  return {
    kind: 'dispatch',
    ackText: investigatingAck(parsed.index, askedAt),
    job: {
      kind: 'investigate',
      jobId: key,
      origin: originOf(request),
      text,
      command: commandToJson(parsed),
      requestedAt: now.toISOString(),
    },
  };
}

export interface DraftActionRequest extends RetryInfo {
  actionId: string;
  channelName?: string;
  /** The clicked button's value (Post summary). */
  value?: string;
  /** The chosen option's value (Redraft). */
  selectedValue?: string;
  teamId?: string;
  channelId?: string;
  userId: string;
  responseUrl?: string;
  triggerId?: string;
  actionTs?: string;
  /** The message the action was taken on: its ts, and its blocks (where the Redraft menu finds the ref). */
  messageTs?: string;
  messageBlocks?: unknown[];
}

export function triageDraftAction(request: DraftActionRequest, deps: TriageDeps): Triage {
  // An action's answer goes to its response_url, so a request this fails gets no answer at all.
  const invalid = invalidRequest(request, deps);
  if (invalid) return { kind: 'ignore', reason: invalid };
  const key = request.triggerId ?? `${request.userId}:${request.actionTs ?? ''}:${request.actionId}`;
  const duplicate = checkDuplicate(`action:${key}`, request, deps);
  if (duplicate) return duplicate;
  if (!request.channelId || !isChannelAllowed(request.channelId, deps.config)) {
    return { kind: 'reply', text: channelRefusal(deps.config.slack.allowedChannels) };
  }
  const origin = originOf({ ...request, channelId: request.channelId });

  if (request.actionId === ACTION_POST_SUMMARY) {
    const ref = decodeDraftRef(request.value);
    if (!ref) return { kind: 'reply', text: STALE_BUTTON };
    return { kind: 'dispatch', job: { kind: 'post_summary', jobId: `action:${key}`, origin, ref } };
  }
  if (request.actionId === ACTION_REGENERATE_SUMMARY) {
    const value = decodeRegenerateValue(request.value);
    if (!value || !request.messageTs) return { kind: 'reply', text: STALE_BUTTON };
    return {
      kind: 'dispatch',
      job: {
        kind: 'channel_summary',
        jobId: `action:${key}`,
        origin,
        sourceChannel: value.source,
        targetChannel: request.channelId,
        summaryTs: request.messageTs,
      },
    };
  }
  if (request.actionId === ACTION_REDRAFT) {
    const tone = REDRAFT_TONES.find((t) => t.tone === request.selectedValue)?.tone as DraftTone | undefined;
    const ref = findDraftRef(request.messageBlocks);
    if (!tone || !ref || !request.messageTs) return { kind: 'reply', text: STALE_BUTTON };
    return {
      kind: 'dispatch',
      job: { kind: 'redraft', jobId: `action:${key}`, origin, ref, tone, draftTs: request.messageTs },
    };
  }
  return { kind: 'reply', text: STALE_BUTTON };
}

/**
 * Ids that are not Slack's, or a response_url that is not Slack's: a validly signed request
 * can still carry them (a leaked signing secret, a proxy that rewrites bodies). Nothing from
 * such a request is echoed or posted to.
 */
function invalidRequest(
  request: { userId: string; channelId?: string; teamId?: string; responseUrl?: string },
  deps: TriageDeps,
): string | null {
  const wrong = [
    SLACK_USER_ID.test(request.userId) ? null : 'user_id',
    request.channelId === undefined || SLACK_CHANNEL_ID.test(request.channelId) ? null : 'channel_id',
    request.teamId === undefined || SLACK_TEAM_ID.test(request.teamId) ? null : 'team_id',
  ].filter((name): name is string => name !== null);
  if (wrong.length > 0)
    return `:warning: This request’s ${wrong.map((w) => `\`${w}\``).join(', ')} is not a Slack id, so why502 did nothing.`;
  if (request.responseUrl !== undefined && !deps.isAllowedResponseUrl(request.responseUrl)) {
    return ':warning: This request’s `response_url` is not a Slack URL, so why502 did nothing.';
  }
  return null;
}

const STALE_BUTTON =
  ':warning: That button belongs to an older version of why502 and no longer works. Run /why502 again.';

export function isChannelAllowed(channelId: string, config: Config): boolean {
  const allowed = config.slack.allowedChannels;
  return allowed.length === 0 || allowed.includes(channelId);
}

/**
 * Slack retries a request it thinks failed. A retry for `http_timeout` means the first
 * delivery reached us and is still being handled (its job will run), so the retry is dropped
 * even when it lands on another process; any other retry is dropped only if this process saw
 * the original.
 */
function checkDuplicate(key: string, request: RetryInfo, deps: TriageDeps): Triage | null {
  const isRetry = request.retryNum !== undefined && request.retryNum !== null && `${request.retryNum}` !== '0';
  if (isRetry && request.retryReason === 'http_timeout')
    return { kind: 'ignore', reason: `Slack retry (${request.retryReason})` };
  if (!deps.dedupe.claim(key))
    return { kind: 'ignore', reason: isRetry ? `Slack retry #${request.retryNum}` : 'repeat of a request in flight' };
  return null;
}

/**
 * trigger_id is unique per invocation and repeated on a retry; without one, the same person
 * typing the same text in the same channel within the same minute is the same request.
 */
function commandKey(request: CommandRequest, clock: Pick<Clock, 'now'>): string {
  if (request.triggerId) return request.triggerId;
  const minute = Math.floor(clock.now().getTime() / 60_000);
  return `${request.teamId ?? ''}:${request.channelId}:${request.userId}:${request.text.trim()}:${minute}`;
}

function originOf(request: {
  teamId?: string;
  channelId: string;
  channelName?: string;
  userId: string;
  responseUrl?: string;
}): SlackOrigin {
  return {
    channelId: request.channelId,
    userId: request.userId,
    ...(request.teamId ? { teamId: request.teamId } : {}),
    ...(request.responseUrl ? { responseUrl: request.responseUrl } : {}),
    // Slack's channel names are lower-case letters, digits, "-" and "_"; anything else is not kept.
    ...(request.channelName && CHANNEL_NAME.test(request.channelName) ? { channelName: request.channelName } : {}),
  };
}

const CHANNEL_NAME = /^[a-z0-9_-]{1,80}$/;

/** The rest of what /why502 does, under the usage in its help. */
const MORE_USAGE =
  '`/why502 summary` keeps one summary of this channel’s verdicts · `/why502 catchup` sends it to you alone · in a verdict’s thread, `@why502 impact`, `tenants`, `08:22`, `claim 537k 502s` or `help`';

type ChannelWord = 'summary' | 'catchup';

/** `/why502 summary` and `/why502 catchup` (also "catch-up", "catch up"): words no index is called. */
function channelWord(text: string): ChannelWord | null {
  const lower = text.toLowerCase().replace(/\s+/g, ' ');
  if (lower === 'summary') return 'summary';
  if (lower === 'catchup' || lower === 'catch-up' || lower === 'catch up') return 'catchup';
  return null;
}

function channelWordJob(word: ChannelWord, key: string, request: CommandRequest): Triage {
  const origin = originOf(request);
  if (word === 'catchup') {
    return {
      kind: 'dispatch',
      ackText: ':hourglass_flowing_sand: Catching you up on this channel’s why502 verdicts… only you will see it.',
      job: { kind: 'catch_up', jobId: key, origin },
    };
  }
  return {
    kind: 'dispatch',
    ackText:
      ':hourglass_flowing_sand: Building the summary of this channel’s why502 verdicts… it is kept as one message here, updated in place.',
    job: {
      kind: 'channel_summary',
      jobId: key,
      origin,
      sourceChannel: request.channelId,
      targetChannel: request.channelId,
    },
  };
}

/** The Redraft menu carries only a tone; the thread it belongs to is in its sibling button's value. */
export function findDraftRef(blocks: unknown[] | undefined): DraftRef | null {
  for (const block of blocks ?? []) {
    const elements = (block as { elements?: unknown[] }).elements;
    for (const element of elements ?? []) {
      const { action_id: actionId, value } = element as { action_id?: string; value?: string };
      if (actionId === ACTION_POST_SUMMARY) return decodeDraftRef(value);
    }
  }
  return null;
}
