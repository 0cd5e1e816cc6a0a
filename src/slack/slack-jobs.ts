/**
 * The work a Slack request hands on after its acknowledgement: run an investigation, redraft,
 * post or update a channel's summary, send a catch-up, answer a follow-up in a verdict thread,
 * or deliver posts that Slack could not take earlier. Plain JSON, so it can
 * cross a process boundary (an async Lambda invoke, at most 1 MB) and be validated on the
 * other side.
 */
import { z } from 'zod';
import { DRAFT_TONES } from '../core/types.js';
import { InvestigationCommandJsonSchema } from '../grammar/command-json.js';
import { DraftRefSchema } from '../render/slack/draft-ref.js';
import { SLACK_CHANNEL_ID, SLACK_TEAM_ID, SLACK_USER_ID } from './slack-ids.js';

export const SlackOriginSchema = z.object({
  teamId: z.string().regex(SLACK_TEAM_ID).optional(),
  channelId: z.string().regex(SLACK_CHANNEL_ID),
  userId: z.string().regex(SLACK_USER_ID),
  /** Where ephemeral answers to this person go; Slack accepts 5 uses in 30 minutes. */
  responseUrl: z.url().optional(),
  /** The channel's name as Slack sent it ("oncall"), for text that names it; never a mention. */
  channelName: z
    .string()
    .regex(/^[a-z0-9_-]{1,80}$/)
    .optional(),
});
export type SlackOrigin = z.infer<typeof SlackOriginSchema>;

const InvestigateJobSchema = z.object({
  kind: z.literal('investigate'),
  /** Stable per Slack request: a redelivered job with the same id is ignored. */
  jobId: z.string().min(1).max(300),
  origin: SlackOriginSchema,
  /** The command text as typed after /why502 (for the draft's reference and for people). */
  text: z.string().max(1000),
  /**
   * The command as the listener parsed it: the worker runs it as is. Absent only in jobs queued
   * by an older version during a deploy, whose text the worker reads at `requestedAt`.
   */
  command: InvestigationCommandJsonSchema.optional(),
  /** When the command was read. */
  requestedAt: z.iso.datetime(),
});

const RedraftJobSchema = z.object({
  kind: z.literal('redraft'),
  jobId: z.string().min(1).max(300),
  origin: SlackOriginSchema,
  ref: DraftRefSchema,
  tone: z.enum(DRAFT_TONES),
  /** The draft message to replace. */
  draftTs: z.string().regex(/^\d+\.\d+$/),
});

const PostSummaryJobSchema = z.object({
  kind: z.literal('post_summary'),
  jobId: z.string().min(1).max(300),
  origin: SlackOriginSchema,
  ref: DraftRefSchema,
});

/** Another attempt at a thread's pending posts (thread-outbox.ts), which wait in the state store. */
const DeliverJobSchema = z.object({
  kind: z.literal('deliver'),
  jobId: z.string().min(1).max(300),
  origin: SlackOriginSchema,
  outboxKey: z.string().min(1).max(300),
  /** 1 for the first retry after the attempt the original job made. */
  attempt: z.number().int().min(1).max(50),
  /** Not before this instant: the retry schedule's next slot. */
  notBefore: z.iso.datetime(),
});

const SLACK_TS = /^\d+\.\d+$/;

/** `@why502 <question>` (an app_mention event): answered in the thread it was asked in. */
const FollowUpJobSchema = z.object({
  kind: z.literal('follow_up'),
  /** `event:<event_id>`: Slack repeats the event_id on every retry, so the executor's claim answers once. */
  jobId: z.string().min(1).max(300),
  origin: SlackOriginSchema,
  /** The mention's own ts. */
  messageTs: z.string().regex(SLACK_TS),
  /** The thread it was asked in; absent for a mention in the channel itself. */
  threadTs: z.string().regex(SLACK_TS).optional(),
  /** The question with the bot's mention taken out, at most MAX_FOLLOW_UP_TEXT characters. */
  text: z.string().max(2000),
  /** Its length before it was cut, when it was longer. */
  textLength: z.number().int().min(0).optional(),
  requestedAt: z.iso.datetime(),
});

/**
 * `/why502 summary`, the summary's Regenerate button, and the draft's "Post summary" button:
 * the verdicts of `sourceChannel`, as one summary message in `targetChannel`, updated in place.
 */
const ChannelSummaryJobSchema = z.object({
  kind: z.literal('channel_summary'),
  jobId: z.string().min(1).max(300),
  origin: SlackOriginSchema,
  sourceChannel: z.string().regex(SLACK_CHANNEL_ID),
  targetChannel: z.string().regex(SLACK_CHANNEL_ID),
  /** The summary message to update (Regenerate was clicked on it). */
  summaryTs: z.string().regex(SLACK_TS).optional(),
});

/** `/why502 catchup`: the same summary, to the asking user only. */
const CatchUpJobSchema = z.object({
  kind: z.literal('catch_up'),
  jobId: z.string().min(1).max(300),
  origin: SlackOriginSchema,
});

/** A follow-up's question is bounded before it crosses to the worker (parseFollowUp reads at most 500). */
export const MAX_FOLLOW_UP_TEXT = 2000;

export const SlackJobSchema = z.discriminatedUnion('kind', [
  InvestigateJobSchema,
  RedraftJobSchema,
  PostSummaryJobSchema,
  DeliverJobSchema,
  FollowUpJobSchema,
  ChannelSummaryJobSchema,
  CatchUpJobSchema,
]);
export type SlackJob = z.infer<typeof SlackJobSchema>;
export type InvestigateJob = z.infer<typeof InvestigateJobSchema>;
export type RedraftJob = z.infer<typeof RedraftJobSchema>;
export type PostSummaryJob = z.infer<typeof PostSummaryJobSchema>;
export type DeliverJob = z.infer<typeof DeliverJobSchema>;
export type FollowUpJob = z.infer<typeof FollowUpJobSchema>;
export type ChannelSummaryJob = z.infer<typeof ChannelSummaryJobSchema>;
export type CatchUpJob = z.infer<typeof CatchUpJobSchema>;

/** Hands a job on: run it here in the background, or send it to a worker. Resolves once handed on. */
export interface JobDispatcher {
  dispatch(job: SlackJob): Promise<void>;
}
