/**
 * What to do with an `app_mention` event (Events API, `event_callback`) before it is handed on.
 * Cheap and local, like the slash command's triage: no store, no Web API call. A mention by a bot
 * (our own replies included: `bot_id`, a subtype, or the bot's own user id) is ignored; anything
 * else becomes a `follow_up` job whose id is the event_id, which Slack repeats on every retry —
 * so however often Slack delivers it, to however many instances, the executor's claim in the
 * state store lets one answer through.
 */
import type { Clock } from '../core/clock.js';
import { SLACK_CHANNEL_ID, SLACK_TEAM_ID, SLACK_USER_ID } from './slack-ids.js';
import { type FollowUpJob, MAX_FOLLOW_UP_TEXT } from './slack-jobs.js';
import type { RetryInfo } from './triage.js';

export interface MentionRequest extends RetryInfo {
  eventId?: string;
  teamId?: string;
  /** The bot's own user id (authorizations[0].user_id): its mention is taken out of the question. */
  botUserId?: string;
  channelId?: string;
  userId?: string;
  text: string;
  ts?: string;
  threadTs?: string;
  /** Set on a bot's message (ours included). */
  botId?: string;
  /** Set on edits, joins and bot messages: never a person asking. */
  subtype?: string;
}

export type MentionTriage = { kind: 'ignore'; reason: string } | { kind: 'dispatch'; job: FollowUpJob };

const SLACK_TS = /^\d{1,12}\.\d{1,8}$/;
/** Slack's event ids: "Ev" and upper-case letters and digits. */
const EVENT_ID = /^Ev[A-Z0-9]{4,40}$/;

/** The fields of an event_callback body the triage reads, each only when it has the expected type. */
export function readMentionRequest(body: Record<string, unknown>, retry: RetryInfo): MentionRequest {
  const event = (body.event ?? {}) as Record<string, unknown>;
  const authorizations = Array.isArray(body.authorizations)
    ? (body.authorizations as Array<Record<string, unknown>>)
    : [];
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  const fields = {
    eventId: text(body.event_id),
    teamId: text(body.team_id),
    botUserId: text(authorizations[0]?.user_id),
    channelId: text(event.channel),
    userId: text(event.user),
    ts: text(event.ts),
    threadTs: text(event.thread_ts),
    botId: text(event.bot_id),
    subtype: text(event.subtype),
  };
  const defined = Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
  return { ...defined, text: text(event.text) ?? '', ...retry };
}

export function triageMention(request: MentionRequest, deps: { clock: Pick<Clock, 'now'> }): MentionTriage {
  if (request.botId !== undefined || request.subtype !== undefined)
    return { kind: 'ignore', reason: 'a bot’s message or an edit, not a question' };
  if (request.botUserId !== undefined && request.userId === request.botUserId)
    return { kind: 'ignore', reason: 'our own message' };
  const invalid = invalidFields(request);
  if (invalid.length > 0) return { kind: 'ignore', reason: `not a Slack ${invalid.join(', ')}` };
  const question = questionOf(request.text, request.botUserId);
  // A thread reply's thread_ts is its parent's ts; the parent itself has thread_ts equal to its own ts.
  const threadTs = request.threadTs !== undefined && request.threadTs !== request.ts ? request.threadTs : undefined;
  return {
    kind: 'dispatch',
    job: {
      kind: 'follow_up',
      jobId: `event:${request.eventId}`,
      origin: {
        channelId: request.channelId!,
        userId: request.userId!,
        ...(request.teamId ? { teamId: request.teamId } : {}),
      },
      messageTs: request.ts!,
      ...(threadTs ? { threadTs } : {}),
      text: question.slice(0, MAX_FOLLOW_UP_TEXT),
      ...(question.length > MAX_FOLLOW_UP_TEXT ? { textLength: question.length } : {}),
      requestedAt: deps.clock.now().toISOString(),
    },
  };
}

/**
 * The question without the bot's mention ("<@U0WHY502> impact" → "impact"), wherever it is; when
 * the bot's id is not known, without a leading mention. Other mentions stay as typed: the answer
 * never renders them as markup (every reply escapes what it quotes).
 */
function questionOf(text: string, botUserId: string | undefined): string {
  const own = botUserId ? new RegExp(`<@${botUserId}(?:\\|[^>]*)?>`, 'g') : null;
  const stripped = own ? text.replace(own, ' ') : text.replace(/^\s*<@[A-Z0-9]+(?:\|[^>]*)?>/, ' ');
  return stripped.replace(/\s+/g, ' ').trim();
}

function invalidFields(request: MentionRequest): string[] {
  return [
    request.eventId !== undefined && EVENT_ID.test(request.eventId) ? null : 'event_id',
    request.channelId !== undefined && SLACK_CHANNEL_ID.test(request.channelId) ? null : 'channel',
    request.userId !== undefined && SLACK_USER_ID.test(request.userId) ? null : 'user',
    request.teamId === undefined || SLACK_TEAM_ID.test(request.teamId) ? null : 'team_id',
    request.ts !== undefined && SLACK_TS.test(request.ts) ? null : 'ts',
    request.threadTs === undefined || SLACK_TS.test(request.threadTs) ? null : 'thread_ts',
    request.botUserId === undefined || SLACK_USER_ID.test(request.botUserId) ? null : 'bot user id',
  ].filter((name): name is string => name !== null);
}
