/**
 * The replies a thread still needs, in order, and one pass at posting them. Built when the
 * investigation ends; kept in the state store while Slack cannot take them, so another pass
 * (later, possibly in another function instance) finishes the thread.
 *
 * Rules (issue 10):
 * - each reply tries its layouts in order (chart block and native table → native table with
 *   sparklines → stacked lines → text alone for the verdict; blocks → text alone for the
 *   draft): any refusal or server error moves to the next
 *   layout at once; an unreachable or rate-limited Slack, or a server error on every layout,
 *   means "later";
 * - nothing is posted under a reply that is not there yet: the draft waits for the verdict,
 *   and is held back if the verdict is lost;
 * - the parent is updated last: with the headline ("Details in the thread") only once the
 *   verdict (or the failure notice) is in the thread, otherwise with what was lost.
 */
import { z } from 'zod';
import type { KnownBlock } from '../render/slack/block-kit.js';
import { failureNotice } from '../render/slack/notices.js';
import { renderParentLost } from '../render/slack/parent-message.js';
import type { SlackMessage } from '../render/slack/slack-message.js';
import { type AppLogger, errorFields } from './app-logger.js';
import { classifySlackFailure, isTransientSlackFailure } from './slack-failure.js';
import { SlackOriginSchema } from './slack-jobs.js';
import { describeSlackError, type SlackWeb } from './slack-web.js';

const SlackMessageSchema = z.object({
  text: z.string(),
  blocks: z.array(z.custom<KnownBlock>((block) => typeof (block as { type?: unknown } | null)?.type === 'string')),
  metadata: z
    .object({
      event_type: z.string(),
      event_payload: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
    })
    .optional(),
});

const PendingReplySchema = z.object({
  /** The verdict and the failure notice are what the parent points at; a notice says what was lost. */
  purpose: z.enum(['verdict', 'failure_notice', 'draft', 'notice']),
  /** Layouts to try in order, richest first, text alone last. */
  layouts: z.array(SlackMessageSchema).min(1).max(4),
});
export type PendingReply = z.infer<typeof PendingReplySchema>;

export const ThreadOutboxSchema = z.object({
  v: z.literal(1),
  /** Its key in the state store. */
  key: z.string(),
  jobId: z.string(),
  origin: SlackOriginSchema,
  parent: z.object({ channel: z.string(), ts: z.string(), index: z.string(), subjectLine: z.string() }),
  /** Replies still to post, in thread order. */
  pending: z.array(PendingReplySchema),
  /** The parent's last state once the answer (verdict or failure notice) is in the thread. */
  parentWhenAnswered: SlackMessageSchema,
  answered: z.boolean(),
  parentUpdated: z.boolean(),
  /** What could not be posted and will not be ("the verdict", "the customer draft"). */
  lost: z.array(z.string()),
  /** Why, in one line, when something was lost. */
  lostReason: z.string().optional(),
  /** Passes that ended with Slack unavailable. */
  failedPasses: z.number().int().min(0),
  createdAt: z.iso.datetime(),
  lastFailure: z.string().optional(),
});
export type ThreadOutbox = z.infer<typeof ThreadOutboxSchema>;

export interface NewOutbox {
  jobId: string;
  origin: ThreadOutbox['origin'];
  parent: ThreadOutbox['parent'];
  replies: PendingReply[];
  parentWhenAnswered: SlackMessage;
  now: Date;
}

export function createThreadOutbox(input: NewOutbox): ThreadOutbox {
  return {
    v: 1,
    key: `outbox:${input.parent.channel}:${input.parent.ts}`,
    jobId: input.jobId,
    origin: input.origin,
    parent: input.parent,
    pending: input.replies,
    parentWhenAnswered: input.parentWhenAnswered,
    answered: false,
    parentUpdated: false,
    lost: [],
    failedPasses: 0,
    createdAt: input.now.toISOString(),
  };
}

export type PassResult = { state: 'settled' } | { state: 'waiting'; reason: string };

/** Posts what it can, in order; mutates the outbox to record what happened. */
export async function deliverPass(outbox: ThreadOutbox, web: SlackWeb, logger: AppLogger): Promise<PassResult> {
  while (outbox.pending.length > 0) {
    const reply = outbox.pending[0]!;
    const outcome = await postReply(outbox, reply, web, logger);
    if (outcome.posted) {
      outbox.pending.shift();
      if (reply.purpose === 'verdict' || reply.purpose === 'failure_notice') outbox.answered = true;
      continue;
    }
    if (outcome.transient) return { state: 'waiting', reason: outcome.reason };
    outbox.pending.shift();
    recordLostReply(outbox, reply, outcome.reason);
  }
  if (outbox.parentUpdated) return { state: 'settled' };
  try {
    await web.updateOnce(outbox.parent.channel, outbox.parent.ts, finalParent(outbox));
  } catch (error) {
    const kind = classifySlackFailure(error);
    logger.warn('Could not update the parent message', {
      ...errorFields(error),
      channel: outbox.parent.channel,
      ts: outbox.parent.ts,
      kind,
    });
    if (isTransientSlackFailure(kind)) return { state: 'waiting', reason: describeSlackError(error) };
  }
  outbox.parentUpdated = true;
  return { state: 'settled' };
}

type ReplyOutcome = { posted: true } | { posted: false; transient: boolean; reason: string };

async function postReply(
  outbox: ThreadOutbox,
  reply: PendingReply,
  web: SlackWeb,
  logger: AppLogger,
): Promise<ReplyOutcome> {
  const refusals: string[] = [];
  let lastServerError: string | undefined;
  for (const [i, layout] of reply.layouts.entries()) {
    try {
      await web.postOnce(outbox.parent.channel, layout, { threadTs: outbox.parent.ts });
      if (i > 0)
        logger.info('Posted a plainer layout after Slack refused the richer one', {
          purpose: reply.purpose,
          layout: i + 1,
          jobId: outbox.jobId,
        });
      return { posted: true };
    } catch (error) {
      const kind = classifySlackFailure(error);
      const reason = describeSlackError(error);
      logger.warn('Slack did not take a thread reply', {
        ...errorFields(error),
        purpose: reply.purpose,
        layout: i + 1,
        kind,
        jobId: outbox.jobId,
      });
      // Not about this layout: the channel, the token, or Slack itself being away.
      if (kind === 'destination') return { posted: false, transient: false, reason };
      if (kind === 'unreachable' || kind === 'rate_limited') return { posted: false, transient: true, reason };
      if (kind === 'server') lastServerError = reason;
      else refusals.push(reason);
    }
  }
  if (lastServerError) return { posted: false, transient: true, reason: lastServerError };
  return {
    posted: false,
    transient: false,
    reason: `Slack refused every layout of it (${[...new Set(refusals)].join('; ')})`,
  };
}

/** A reply Slack will never take: say so in the thread, and hold back what depended on it. */
function recordLostReply(outbox: ThreadOutbox, reply: PendingReply, reason: string): void {
  outbox.lostReason ??= reason;
  if (reply.purpose === 'verdict') {
    outbox.lost.push('the verdict');
    const heldBack = outbox.pending.some((r) => r.purpose === 'draft');
    if (heldBack) {
      outbox.pending = outbox.pending.filter((r) => r.purpose !== 'draft');
      outbox.lost.push('the customer draft');
    }
    const detail = heldBack
      ? `${reason}. The customer draft is held back: it rests on the verdict. Run /why502 again`
      : `${reason}. Run /why502 again`;
    outbox.pending.unshift(noticeReply(failureNotice('I could not post the verdict', detail)));
  } else if (reply.purpose === 'draft') {
    outbox.lost.push('the customer draft');
    outbox.pending.unshift(noticeReply(failureNotice('I could not post the customer draft', reason)));
  } else if (reply.purpose === 'failure_notice') {
    outbox.lost.push('why the investigation failed');
  }
}

function noticeReply(text: string): PendingReply {
  return { purpose: 'notice', layouts: [{ text, blocks: [] }] };
}

/** The parent's last state: the headline once the answer is in the thread, else what was lost. */
export function finalParent(outbox: ThreadOutbox): SlackMessage {
  if (outbox.answered) return outbox.parentWhenAnswered;
  return renderParentLost(outbox.parent, outbox.lost, outbox.lostReason ?? 'Slack did not take it');
}

/** Gives up on what is still pending: it is lost, for the reason given. */
export function abandonPending(outbox: ThreadOutbox, reason: string): void {
  for (const reply of outbox.pending) {
    if (reply.purpose === 'verdict') outbox.lost.push('the verdict');
    if (reply.purpose === 'draft') outbox.lost.push('the customer draft');
    if (reply.purpose === 'failure_notice') outbox.lost.push('why the investigation failed');
  }
  outbox.pending = [];
  outbox.lostReason = reason;
}
