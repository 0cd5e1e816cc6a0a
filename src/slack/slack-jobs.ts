/**
 * The work a Slack request hands on after its acknowledgement: run an investigation, redraft,
 * post a summary, or deliver posts that Slack could not take earlier. Plain JSON, so it can
 * cross a process boundary (an async Lambda invoke, at most 1 MB) and be validated on the
 * other side.
 */
import { z } from 'zod';
import { DraftRefSchema } from './draft-ref.js';
import { SLACK_CHANNEL_ID, SLACK_TEAM_ID, SLACK_USER_ID } from './slack-ids.js';

export const SlackOriginSchema = z.object({
  teamId: z.string().regex(SLACK_TEAM_ID).optional(),
  channelId: z.string().regex(SLACK_CHANNEL_ID),
  userId: z.string().regex(SLACK_USER_ID),
  /** Where ephemeral answers to this person go; Slack accepts 5 uses in 30 minutes. */
  responseUrl: z.url().optional(),
});
export type SlackOrigin = z.infer<typeof SlackOriginSchema>;

const InvestigateJobSchema = z.object({
  kind: z.literal('investigate'),
  /** Stable per Slack request: a redelivered job with the same id is ignored. */
  jobId: z.string().min(1).max(300),
  origin: SlackOriginSchema,
  /** The command text as typed after /why502. */
  text: z.string().max(1000),
  /** When the command was read: parse(text, requestedAt) gives the same command anywhere. */
  requestedAt: z.iso.datetime(),
});

const RedraftJobSchema = z.object({
  kind: z.literal('redraft'),
  jobId: z.string().min(1).max(300),
  origin: SlackOriginSchema,
  ref: DraftRefSchema,
  tone: z.enum(['neutral', 'shorter', 'technical', 'warmer']),
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

export const SlackJobSchema = z.discriminatedUnion('kind', [InvestigateJobSchema, RedraftJobSchema, PostSummaryJobSchema, DeliverJobSchema]);
export type SlackJob = z.infer<typeof SlackJobSchema>;
export type InvestigateJob = z.infer<typeof InvestigateJobSchema>;
export type RedraftJob = z.infer<typeof RedraftJobSchema>;
export type PostSummaryJob = z.infer<typeof PostSummaryJobSchema>;
export type DeliverJob = z.infer<typeof DeliverJobSchema>;

/** Hands a job on: run it here in the background, or send it to a worker. Resolves once handed on. */
export interface JobDispatcher {
  dispatch(job: SlackJob): Promise<void>;
}
