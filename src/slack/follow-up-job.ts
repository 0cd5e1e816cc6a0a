/**
 * `@why502 <question>` in a verdict thread, after its acknowledgement (CONTRACT §10): the question
 * is answered in the same thread from the evidence the thread's investigation kept
 * (thread-evidence-store.ts), on whichever instance runs it:
 * - another minute inside the window: the verdict for it, judged again from that evidence,
 *   posted as a verdict message (render/slack/verdict-message.ts);
 * - another minute outside it: a new investigation of the thread's index, run as /why502 would
 *   run it, and its verdict posted in the thread;
 * - impact, tenants, rows, a claim, help, free text: the answer (render/slack/answer-message.ts).
 * A thread without evidence gets why, and the exact command to ask again; every failure is said
 * in the thread. The executor's claim on `event:<event_id>` makes a retried event answer once.
 */

import type { NeedsInvestigationAnswer } from '../ask/answer-another-time.js';
import { askReport, type FollowUpAnswer } from '../ask/answer-follow-up.js';
import { MAX_QUESTION_CHARS } from '../ask/parse-follow-up.js';
import type { InvestigationResult } from '../engine/investigation-runner.js';
import { formatterForAsked } from '../grammar/formatters.js';
import { renderAnswerSlack } from '../render/slack/answer-message.js';
import { mrkdwnSection } from '../render/slack/block-kit.js';
import {
  evidenceExpired,
  evidenceMissing,
  evidenceUnknown,
  followUpFailed,
  followUpsNotEnabled,
  investigatingAnotherMinute,
  investigationLeftNoEvidence,
  investigationRunning,
  notAVerdictThread,
  questionTooLong,
  repeatCommandOf,
} from '../render/slack/follow-up-messages.js';
import type { SlackMessage } from '../render/slack/slack-message.js';
import { renderVerdictLayouts } from '../render/slack/verdict-message.js';
import { readVerdictRecords, type VerdictRecord } from '../summary/verdict-record.js';
import { errorFields } from './app-logger.js';
import { describeJobFailure, type JobBudget, type JobDeps, type JobOutcome } from './job-context.js';
import { postInThread, postNotice, type ThreadPlace } from './post-in-thread.js';
import { readMessage } from './read-channel-history.js';
import { runWithDeadline } from './run-with-deadline.js';
import { type FollowUpJob, MAX_FOLLOW_UP_TEXT } from './slack-jobs.js';
import { describeSlackError } from './slack-web.js';
import type { ThreadEvidence } from './thread-evidence-store.js';
import { readThreadMark, threadMarkKey } from './thread-mark.js';
import { isChannelAllowed } from './triage.js';

const DAY_MS = 24 * 3600_000;

export async function runFollowUpJob(job: FollowUpJob, deps: JobDeps, budget: JobBudget): Promise<JobOutcome> {
  const channel = job.origin.channelId;
  const place: ThreadPlace = { channel, threadTs: job.threadTs ?? job.messageTs };
  if (!isChannelAllowed(channel, deps.config)) return notice(deps, place, followUpsNotEnabled());
  if (!job.threadTs) return notice(deps, place, notAVerdictThread('channel'));
  if (job.textLength !== undefined && job.textLength > MAX_FOLLOW_UP_TEXT)
    return notice(deps, place, questionTooLong(job.textLength, MAX_QUESTION_CHARS));

  let evidence: ThreadEvidence | undefined;
  try {
    evidence = await deps.evidence.load(channel, job.threadTs);
  } catch (error) {
    deps.logger.error('Could not read the thread’s evidence', {
      ...errorFields(error),
      jobId: job.jobId,
      channel,
      threadTs: job.threadTs,
    });
    return notice(deps, place, followUpFailed('I could not read this thread’s evidence', describeJobFailure(error)));
  }
  if (!evidence) return replyWithoutEvidence(job, deps, { channel, threadTs: job.threadTs });

  let answer: FollowUpAnswer;
  try {
    const report = evidence.report;
    const followUps = deps.followUps ? await deps.followUps() : {};
    answer = await runWithDeadline(
      () => askReport(job.text, report, new Date(job.requestedAt), followUps),
      budget.timeoutMs,
      deps.clock,
    );
  } catch (error) {
    deps.logger.error('Could not answer a follow-up', { ...errorFields(error), jobId: job.jobId });
    return notice(deps, place, followUpFailed('I could not answer that', describeJobFailure(error)));
  }
  deps.logger.info('Answering a follow-up', { jobId: job.jobId, kind: answer.kind, channel, threadTs: job.threadTs });
  if (answer.kind === 'needs_investigation') return investigateAnotherMinute(job, deps, budget, place, answer);
  if (answer.kind === 'rejudged') {
    const fmt = formatterForAsked(answer.asked);
    return outcomeOf(await postInThread(deps, place, renderVerdictLayouts(answer.report, fmt, deps.tableStyle)));
  }
  return outcomeOf(await postInThread(deps, place, [renderAnswerSlack(answer.document)]));
}

/**
 * A minute outside the thread's window: say so and what runs, then the same investigation
 * /why502 would run (the thread's index, window width and zone), and its verdict in the thread.
 */
async function investigateAnotherMinute(
  job: FollowUpJob,
  deps: JobDeps,
  budget: JobBudget,
  place: ThreadPlace,
  answer: NeedsInvestigationAnswer,
): Promise<JobOutcome> {
  const explained = renderAnswerSlack(answer.document);
  const running = investigatingAnotherMinute(answer.commandText);
  await postInThread(deps, place, [
    { text: `${explained.text}\n${running}`, blocks: [...explained.blocks, mrkdwnSection(running)] },
  ]);
  let result: InvestigationResult;
  try {
    const command = deps.runner.parse(answer.commandText, new Date(job.requestedAt));
    if ('help' in command) throw new Error(`"${answer.commandText}" did not read as a command`);
    result = await runWithDeadline(
      (signal) => deps.runner.run(command, { signal, noDraft: true }),
      budget.timeoutMs,
      deps.clock,
    );
  } catch (error) {
    deps.logger.error('The follow-up investigation failed', {
      ...errorFields(error),
      jobId: job.jobId,
      command: answer.commandText,
    });
    return notice(deps, place, followUpFailed('The investigation failed', describeJobFailure(error)));
  }
  return outcomeOf(
    await postInThread(deps, place, renderVerdictLayouts(result.report, result.formatter, deps.tableStyle)),
  );
}

/**
 * No evidence is kept for the thread: its first message says whether it is a verdict's (its
 * why502_verdict metadata), and with that the exact command to ask again; the thread's age says
 * whether the evidence expired or was never kept.
 */
async function replyWithoutEvidence(job: FollowUpJob, deps: JobDeps, place: ThreadPlace): Promise<JobOutcome> {
  const mark = readThreadMark(
    await deps.state.get(threadMarkKey(place.channel, place.threadTs)).catch(() => undefined),
  );
  if (mark?.state === 'running') return notice(deps, place, investigationRunning());
  if (mark?.state === 'failed') return notice(deps, place, investigationLeftNoEvidence(mark.text));
  let record: VerdictRecord | undefined;
  try {
    const parent = await readMessage(deps.web, place.channel, place.threadTs);
    record = parent ? readVerdictRecords([parent]).records[0] : undefined;
  } catch (error) {
    deps.logger.warn('Could not read the thread’s first message', {
      ...errorFields(error),
      jobId: job.jobId,
      channel: place.channel,
    });
    return notice(deps, place, evidenceUnknown(describeSlackError(error)));
  }
  if (!record) return notice(deps, place, notAVerdictThread('thread'));
  const ageDays = Math.floor((new Date(job.requestedAt).getTime() - Number(place.threadTs) * 1000) / DAY_MS);
  const command = repeatCommandOf(record);
  const retention = deps.evidence.retentionDays;
  return notice(
    deps,
    place,
    ageDays >= retention ? evidenceExpired(retention, ageDays, command) : evidenceMissing(command),
  );
}

async function notice(deps: JobDeps, place: ThreadPlace, message: SlackMessage): Promise<JobOutcome> {
  return (await postNotice(deps, place, message)) ? 'done' : 'failed';
}

function outcomeOf(post: Awaited<ReturnType<typeof postInThread>>): JobOutcome {
  return post.posted ? 'done' : 'failed';
}
