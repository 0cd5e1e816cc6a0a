/**
 * The channel's summary (CONTRACT §10), after the acknowledgement:
 * - `/why502 summary`, and the summary's Regenerate button: the verdicts of this channel, read
 *   from conversations.history (the parents' why502_verdict metadata), as ONE message that is
 *   updated in place — found by Regenerate's message, by the pointer kept in the state store, or
 *   by its why502_summary metadata in the history — and posted only when there is none yet;
 * - the draft's "Post summary to incident channel" button: the same summary of the thread's
 *   channel, kept as one message in the incident channel (the button asks to confirm first);
 * - `/why502 catchup`: the same verdicts, sent with chat.postEphemeral to the asking user only,
 *   leading with what is new since their last catch-up.
 * Every failure is told to the person who asked, ephemerally.
 */
import type { ResolvedZone } from '../core/types.js';
import { resolveZone, UTC_ZONE } from '../grammar/zones.js';
import { renderChannelSummary } from '../render/slack/channel-summary-messages.js';
import { noIncidentChannel } from '../render/slack/notices.js';
import type { SlackMessage } from '../render/slack/slack-message.js';
import { buildCatchUp } from '../summary/build-catch-up.js';
import { existingSummaryTs, MAX_LISTED_VERDICTS, SUMMARY_EVENT_TYPE } from '../summary/build-incident-summary.js';
import {
  type HistoryMessage,
  type ReadVerdicts,
  readVerdictRecords,
  type VerdictRecord,
} from '../summary/verdict-record.js';
import { errorFields } from './app-logger.js';
import { type JobDeps, type JobOutcome, tellUser } from './job-context.js';
import { type ChannelHistory, readChannelHistory } from './read-channel-history.js';
import { classifySlackFailure } from './slack-failure.js';
import { mentionChannel } from './slack-ids.js';
import type { CatchUpJob, ChannelSummaryJob, PostSummaryJob, SlackOrigin } from './slack-jobs.js';
import { describeSlackError, slackErrorCode } from './slack-web.js';

/** Where each summary is, remembered for a month: past the history read, it is still found. */
const SUMMARY_POINTER_TTL_S = 30 * 24 * 3600;
/** One build at a time per summary; a crashed build frees it after this. */
const SUMMARY_LOCK_TTL_S = 120;
const CATCH_UP_SINCE_TTL_S = 30 * 24 * 3600;
/** Permalinks are asked for a few at a time (chat.getPermalink is Tier 4). */
const PERMALINK_CONCURRENCY = 5;
/** A summary message that can no longer be updated: post a new one instead. */
const GONE = new Set(['message_not_found', 'cant_update_message', 'edit_window_closed']);

interface SummaryRequest {
  jobId: string;
  origin: SlackOrigin;
  sourceChannel: string;
  targetChannel: string;
  summaryTs?: string;
}

export function runChannelSummaryJob(job: ChannelSummaryJob, deps: JobDeps): Promise<JobOutcome> {
  return keepSummary(job, deps);
}

/** The draft's button: the thread's channel's verdicts, summarised in the incident channel. */
export async function runPostSummaryJob(job: PostSummaryJob, deps: JobDeps): Promise<JobOutcome> {
  const incidentChannel = deps.config.slack.incidentChannel;
  if (!incidentChannel) {
    await tellUser(deps, job.origin, noIncidentChannel());
    return 'failed';
  }
  return keepSummary(
    { jobId: job.jobId, origin: job.origin, sourceChannel: job.ref.channel, targetChannel: incidentChannel },
    deps,
  );
}

async function keepSummary(request: SummaryRequest, deps: JobDeps): Promise<JobOutcome> {
  const { sourceChannel, targetChannel } = request;
  const lockKey = `summary-lock:${targetChannel}:${sourceChannel}`;
  if (!(await claimOrRun(lockKey, deps))) {
    await tellUser(
      deps,
      request.origin,
      `:hourglass: The summary in ${mentionChannel(targetChannel)} is being rebuilt right now; it will change in a moment.`,
    );
    return 'duplicate';
  }
  try {
    const history = await readHistoryOrTell(request, sourceChannel, deps);
    if (!history) return 'failed';
    const read = await withPermalinks(readVerdictRecords(history.messages), sourceChannel, deps);
    const message = renderChannelSummary(read, {
      builtAt: deps.clock.now(),
      zone: summaryZone(deps),
      sourceChannel,
      targetChannel,
      ...(request.origin.channelId === sourceChannel && request.origin.channelName
        ? { sourceName: request.origin.channelName }
        : {}),
      history: { messages: history.messages.length, complete: history.complete },
    });
    const kept = await putSummary(request, message, history, deps);
    if (!kept) return 'failed';
    await remember(pointerKey(targetChannel, sourceChannel), kept.ts, SUMMARY_POINTER_TTL_S, deps);
    const link = await deps.web.permalink(targetChannel, kept.ts).catch(() => undefined);
    const count = read.records.length;
    await tellUser(
      deps,
      request.origin,
      `:white_check_mark: ${kept.updated ? 'Updated' : 'Posted'} the summary of ${count} why502 verdict${count === 1 ? '' : 's'} in ${mentionChannel(targetChannel)}${link ? ` · <${link}|view it>` : ''}.`,
    );
    return 'done';
  } finally {
    await deps.state
      .delete(lockKey)
      .catch((error: unknown) =>
        deps.logger.warn('Could not release the summary lock', { ...errorFields(error), lockKey }),
      );
  }
}

/** chat.update of the summary there is, or a new post when there is none (or it is gone). */
async function putSummary(
  request: SummaryRequest,
  message: SlackMessage,
  history: ChannelHistory,
  deps: JobDeps,
): Promise<{ ts: string; updated: boolean } | null> {
  const { targetChannel } = request;
  const existing = request.summaryTs ?? (await findSummary(request, history, deps));
  try {
    if (existing) {
      try {
        await deps.web.update(targetChannel, existing, message);
        return { ts: existing, updated: true };
      } catch (error) {
        const code = slackErrorCode(error);
        if (!code || !GONE.has(code)) throw error;
        deps.logger.info('The summary message is gone; posting a new one', {
          channel: targetChannel,
          ts: existing,
          code,
        });
      }
    }
    return { ts: (await deps.web.post(targetChannel, message)).ts, updated: false };
  } catch (error) {
    deps.logger.error('Could not post the summary', {
      ...errorFields(error),
      jobId: request.jobId,
      channel: targetChannel,
    });
    await tellUser(
      deps,
      request.origin,
      `:warning: I could not post the summary in ${mentionChannel(targetChannel)}. ${describeSlackError(error)}.`,
    );
    return null;
  }
}

/**
 * The summary message to update: the pointer the last build left in the state store, else the
 * latest message with why502_summary metadata for this source in the target's history.
 */
async function findSummary(request: SummaryRequest, history: ChannelHistory, deps: JobDeps): Promise<string | null> {
  const pointer = await deps.state.get(pointerKey(request.targetChannel, request.sourceChannel)).catch(() => undefined);
  if (pointer && /^\d+\.\d+$/.test(pointer)) return pointer;
  let messages: HistoryMessage[] = history.messages;
  if (request.targetChannel !== request.sourceChannel) {
    try {
      messages = (await readChannelHistory(deps.web, request.targetChannel, { maxPages: 1 })).messages;
    } catch (error) {
      deps.logger.warn('Could not look for the summary in the target channel’s history', {
        ...errorFields(error),
        channel: request.targetChannel,
      });
      return null;
    }
  }
  const forThisSource = messages.filter(
    (m) =>
      m.metadata?.event_type !== SUMMARY_EVENT_TYPE || sourceOf(m, request.targetChannel) === request.sourceChannel,
  );
  return existingSummaryTs(forThisSource);
}

/** The channel a summary message summarises: its metadata's source_channel; older summaries summarise their own channel. */
function sourceOf(message: HistoryMessage, channel: string): string {
  const source = message.metadata?.event_payload?.source_channel;
  return typeof source === 'string' ? source : channel;
}

export async function runCatchUpJob(job: CatchUpJob, deps: JobDeps): Promise<JobOutcome> {
  const channel = job.origin.channelId;
  const history = await readHistoryOrTell(job, channel, deps);
  if (!history) return 'failed';
  const read = await withPermalinks(readVerdictRecords(history.messages), channel, deps);
  const sinceKey = `catchup:${channel}:${job.origin.userId}`;
  const since = await deps.state.get(sinceKey).catch(() => undefined);
  const message = buildCatchUp(read, {
    zone: summaryZone(deps),
    userId: job.origin.userId,
    ...(since && /^\d+\.\d+$/.test(since) ? { since } : {}),
  });
  if (!(await sendPrivately(job, message, deps))) return 'failed';
  const latest = read.records.map((r) => r.ts).sort((a, b) => Number(b) - Number(a))[0];
  if (latest) await remember(sinceKey, latest, CATCH_UP_SINCE_TTL_S, deps);
  return 'done';
}

/** chat.postEphemeral; when Slack refuses it (the bot is not in the channel), the text through response_url. */
async function sendPrivately(job: CatchUpJob, message: SlackMessage, deps: JobDeps): Promise<boolean> {
  try {
    await deps.web.postEphemeral(job.origin.channelId, job.origin.userId, message);
    return true;
  } catch (error) {
    deps.logger.warn('chat.postEphemeral failed; answering through response_url', {
      ...errorFields(error),
      kind: classifySlackFailure(error),
    });
    return tellUser(deps, job.origin, message.text);
  }
}

async function readHistoryOrTell(
  request: { jobId: string; origin: SlackOrigin },
  channel: string,
  deps: JobDeps,
): Promise<ChannelHistory | null> {
  try {
    return await readChannelHistory(deps.web, channel);
  } catch (error) {
    deps.logger.error('Could not read the channel’s history', { ...errorFields(error), jobId: request.jobId, channel });
    await tellUser(
      deps,
      request.origin,
      `:warning: I could not read the why502 verdicts in ${mentionChannel(channel)}. ${describeSlackError(error)}.`,
    );
    return null;
  }
}

/** Links to the threads of the verdicts a summary lists (the latest by asked time); a link Slack will not give is left out. */
async function withPermalinks(read: ReadVerdicts, channel: string, deps: JobDeps): Promise<ReadVerdicts> {
  const listed = [...read.records].sort((a, b) => b.at.getTime() - a.at.getTime()).slice(0, MAX_LISTED_VERDICTS);
  const links = new Map<string, string>();
  for (let i = 0; i < listed.length; i += PERMALINK_CONCURRENCY) {
    await Promise.all(
      listed.slice(i, i + PERMALINK_CONCURRENCY).map(async (record) => {
        const link = await deps.web.permalink(channel, record.ts).catch((error: unknown) => {
          deps.logger.warn('No permalink for a verdict', { ...errorFields(error), channel, ts: record.ts });
          return undefined;
        });
        if (link && /^https:\/\/[^\s<>|]+$/.test(link)) links.set(record.ts, link);
      }),
    );
  }
  return {
    ...read,
    records: read.records.map(
      (record): VerdictRecord => ({ ...record, permalink: links.get(record.ts) ?? record.permalink }),
    ),
  };
}

function summaryZone(deps: JobDeps): ResolvedZone {
  try {
    return deps.config.timezone ? resolveZone(deps.config.timezone) : { ...UTC_ZONE };
  } catch {
    return { ...UTC_ZONE };
  }
}

function pointerKey(target: string, source: string): string {
  return `summary-msg:${target}:${source}`;
}

/** True when this build may run; a store that cannot answer lets it run (a rare double update beats no summary). */
async function claimOrRun(key: string, deps: JobDeps): Promise<boolean> {
  try {
    return await deps.state.claimOnce(key, SUMMARY_LOCK_TTL_S);
  } catch (error) {
    deps.logger.warn('The state store did not answer; building the summary without the one-at-a-time lock', {
      ...errorFields(error),
      key,
    });
    return true;
  }
}

async function remember(key: string, value: string, ttlSeconds: number, deps: JobDeps): Promise<void> {
  await deps.state
    .put(key, value, ttlSeconds)
    .catch((error: unknown) =>
      deps.logger.warn('Could not remember a summary’s place', { ...errorFields(error), key }),
    );
}
