/**
 * One reply in a thread, tried in its layouts richest first (as thread-outbox.ts does for the
 * verdict): a layout Slack refuses (invalid_blocks, msg_blocks_too_long, msg_too_long) moves to
 * the next at once; Slack away (5xx, no answer, still rate-limited) gets one patient attempt of
 * the plainest layout (the WebClient's own retries and Retry-After waits); a channel the app
 * cannot post in ends it. When every layout is refused, the thread gets a short notice saying so
 * instead of silence.
 */

import { answerDidNotFit } from '../render/slack/follow-up-messages.js';
import type { SlackMessage } from '../render/slack/slack-message.js';
import { errorFields } from './app-logger.js';
import type { JobDeps } from './job-context.js';
import { classifySlackFailure, type SlackFailureKind } from './slack-failure.js';
import { describeSlackError, type PostedMessage } from './slack-web.js';

export type ThreadPost =
  | { posted: true; message: PostedMessage }
  | { posted: false; kind: SlackFailureKind; reason: string };

export interface ThreadPlace {
  channel: string;
  threadTs: string;
}

export async function postInThread(
  deps: Pick<JobDeps, 'web' | 'logger'>,
  place: ThreadPlace,
  layouts: readonly SlackMessage[],
): Promise<ThreadPost> {
  const refusals: string[] = [];
  let away: { kind: SlackFailureKind; reason: string } | undefined;
  for (const [i, layout] of layouts.entries()) {
    try {
      const message = await deps.web.postOnce(place.channel, layout, { threadTs: place.threadTs });
      if (i > 0)
        deps.logger.info('Posted a plainer layout after Slack refused the richer one', {
          layout: i + 1,
          channel: place.channel,
        });
      return { posted: true, message };
    } catch (error) {
      const kind = classifySlackFailure(error);
      const reason = describeSlackError(error);
      deps.logger.warn('Slack did not take a thread reply', {
        ...errorFields(error),
        layout: i + 1,
        kind,
        channel: place.channel,
        threadTs: place.threadTs,
      });
      if (kind === 'destination') return { posted: false, kind, reason };
      if (kind === 'rejected') refusals.push(reason);
      else away = { kind, reason };
    }
  }
  const last = layouts.at(-1);
  if (away && last) return patientPost(deps, place, last, away);
  const reason = [...new Set(refusals)].join('; ') || 'no layout to post';
  await patientPost(deps, place, answerDidNotFit(reason), { kind: 'rejected', reason });
  return { posted: false, kind: 'rejected', reason };
}

/** A plain notice in the thread; false (logged) when even that fails. Never throws. */
export async function postNotice(
  deps: Pick<JobDeps, 'web' | 'logger'>,
  place: ThreadPlace,
  message: SlackMessage,
): Promise<boolean> {
  return (await patientPost(deps, place, message, { kind: 'rejected', reason: '' })).posted;
}

async function patientPost(
  deps: Pick<JobDeps, 'web' | 'logger'>,
  place: ThreadPlace,
  message: SlackMessage,
  before: { kind: SlackFailureKind; reason: string },
): Promise<ThreadPost> {
  try {
    return { posted: true, message: await deps.web.post(place.channel, message, { threadTs: place.threadTs }) };
  } catch (error) {
    deps.logger.error('Could not post in the thread', {
      ...errorFields(error),
      channel: place.channel,
      threadTs: place.threadTs,
    });
    return {
      posted: false,
      kind: before.reason ? before.kind : classifySlackFailure(error),
      reason: describeSlackError(error),
    };
  }
}
