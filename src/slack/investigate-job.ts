/**
 * One /why502 after its acknowledgement: the parent message, the investigation, then the
 * thread's replies — the verdict, the draft — and the parent updated with the headline, all
 * through the thread's outbox (thread-outbox.ts), so a Slack that refuses a layout or is away
 * for a while delays the answer but does not lose it, and the parent never points at a thread
 * that does not hold the verdict. Every way this can fail ends in a message: in the thread
 * once it exists, otherwise ephemerally to the asker.
 */
import type { InvestigationCommand, TimeFormatter } from '../core/types.js';
import { whyNoDraft } from '../draft/why-no-draft.js';
import type { InvestigationResult } from '../engine/investigation-runner.js';
import { describeError } from '../errors.js';
import { commandFromJson } from '../grammar/command-json.js';
import { formatterForCommand } from '../grammar/formatters.js';
import { renderDraftLayouts } from '../render/slack/draft-message.js';
import type { DraftRef } from '../render/slack/draft-ref.js';
import { evidenceNotKeptNotice } from '../render/slack/follow-up-messages.js';
import { failureNotice, usageReply } from '../render/slack/notices.js';
import {
  type ParentSubject,
  renderParentDone,
  renderParentFailed,
  renderParentPending,
  renderSubjectLine,
  subjectOfCommand,
} from '../render/slack/parent-message.js';
import type { SlackMessage } from '../render/slack/slack-message.js';
import { renderVerdictLayouts, verdictMetadata } from '../render/slack/verdict-message.js';
import { errorFields } from './app-logger.js';
import { deliverThread } from './deliver-thread.js';
import { describeJobFailure, type JobBudget, type JobDeps, type JobOutcome, tellUser } from './job-context.js';
import { runWithDeadline } from './run-with-deadline.js';
import type { InvestigateJob } from './slack-jobs.js';
import { describeSlackError, type PostedMessage } from './slack-web.js';
import { attachChartImage } from './thread-chart.js';
import { THREAD_MARK_TTL_S, type ThreadMark, threadMarkKey } from './thread-mark.js';
import { createThreadOutbox, type PendingReply, type ThreadOutbox } from './thread-outbox.js';

export async function runInvestigateJob(job: InvestigateJob, deps: JobDeps, budget: JobBudget): Promise<JobOutcome> {
  const command = await parseJobCommand(job, deps);
  if (!command) return 'failed';
  const fmt = formatterForCommand(command);
  const subject = subjectOfCommand(command, job.origin.userId);

  const parent = await postParent(job, deps, subject, fmt);
  if (!parent) return 'failed';
  await markThread(deps, parent, { state: 'running', text: job.text });

  let result: InvestigationResult;
  try {
    result = await runWithDeadline(
      (signal) => deps.runner.run(command, { signal, formatter: fmt }),
      budget.timeoutMs,
      deps.clock,
    );
  } catch (error) {
    deps.logger.error('Investigation failed', { ...errorFields(error), jobId: job.jobId, index: command.index });
    const reason = describeJobFailure(error);
    const notice: PendingReply = {
      purpose: 'failure_notice',
      layouts: [{ text: failureNotice('The investigation failed', reason), blocks: [] }],
    };
    await markThread(deps, parent, { state: 'failed', text: job.text });
    const delivered = await deliverReplies(job, deps, budget, {
      parent,
      subject,
      fmt,
      replies: [notice],
      parentWhenAnswered: renderParentFailed(subject, fmt, reason),
    });
    return delivered.outcome === 'deferred' ? 'deferred' : 'failed';
  }
  // Kept before the thread is posted, so a follow-up asked the moment the verdict appears finds it.
  const kept = await keepEvidence(job, deps, parent, result);
  if (!kept) await markThread(deps, parent, { state: 'failed', text: job.text });

  const noDraftNote = result.report.draft ? null : whyNoDraft(result.report);
  const draftContext = {
    ...(deps.config.slack.incidentChannel ? { incidentChannel: deps.config.slack.incidentChannel } : {}),
    ...(noDraftNote ? { noDraftNote } : {}),
  };
  const replies: PendingReply[] = [
    { purpose: 'verdict', layouts: renderVerdictLayouts(result.report, result.formatter, deps.tableStyle) },
    {
      purpose: 'draft',
      layouts: renderDraftLayouts(result.report.draft, draftRefFor(job, parent, result), draftContext),
    },
    ...(kept ? [] : [{ purpose: 'notice' as const, layouts: [{ text: evidenceNotKeptNotice(), blocks: [] }] }]),
  ];
  // The parent carries the verdict's metadata too: conversations.history returns a channel's
  // top-level messages only, so that is where `/why502 summary` (and a follow-up whose evidence
  // has expired) finds the verdict.
  const parentWhenAnswered = {
    ...renderParentDone(subject, result.report, result.formatter),
    metadata: verdictMetadata(result.report),
  };
  const { outcome, outbox } = await deliverReplies(job, deps, budget, {
    parent,
    subject,
    fmt,
    replies,
    parentWhenAnswered,
  });
  // The picture comes after the verdict and the draft, so it never holds them up; a thread
  // whose posts are still waiting for Slack (deferred) goes without it.
  if (outcome !== 'deferred' && verdictInThread(outbox))
    await attachChartImage(deps, parent, result.report, result.formatter, budget);
  return outcome;
}

/**
 * What a follow-up asked before the thread has evidence should hear: the investigation is still
 * running, or it ended without evidence to answer from (and the command to run again). Best effort.
 */
async function markThread(deps: JobDeps, parent: PostedMessage, mark: ThreadMark): Promise<void> {
  await deps.state
    .put(threadMarkKey(parent.channel, parent.ts), JSON.stringify(mark), THREAD_MARK_TTL_S)
    .catch((error: unknown) =>
      deps.logger.warn('Could not mark the thread', {
        ...errorFields(error),
        channel: parent.channel,
        state: mark.state,
      }),
    );
}

/** True when the thread's evidence is kept for follow-ups; a failure is logged and said in the thread. */
async function keepEvidence(
  job: InvestigateJob,
  deps: JobDeps,
  parent: PostedMessage,
  result: InvestigationResult,
): Promise<boolean> {
  try {
    const saved = await deps.evidence.save({
      v: 1,
      channel: parent.channel,
      threadTs: parent.ts,
      command: { text: job.text, requestedAt: job.requestedAt },
      askedBy: job.origin.userId,
      savedAt: deps.clock.now().toISOString(),
      report: result.report,
    });
    deps.logger.info('Kept the thread’s evidence for follow-ups', {
      jobId: job.jobId,
      channel: parent.channel,
      threadTs: parent.ts,
      ...saved,
    });
    return true;
  } catch (error) {
    deps.logger.error('Could not keep the thread’s evidence', {
      ...errorFields(error),
      jobId: job.jobId,
      channel: parent.channel,
    });
    return false;
  }
}

function verdictInThread(outbox: ThreadOutbox): boolean {
  return outbox.answered && !outbox.lost.includes('the verdict');
}

interface ThreadAnswer {
  parent: PostedMessage;
  subject: ParentSubject;
  fmt: TimeFormatter;
  replies: PendingReply[];
  parentWhenAnswered: SlackMessage;
}

async function deliverReplies(
  job: InvestigateJob,
  deps: JobDeps,
  budget: JobBudget,
  answer: ThreadAnswer,
): Promise<{ outcome: JobOutcome; outbox: ThreadOutbox }> {
  const outbox = createThreadOutbox({
    jobId: job.jobId,
    origin: job.origin,
    parent: {
      channel: answer.parent.channel,
      ts: answer.parent.ts,
      index: answer.subject.index,
      subjectLine: renderSubjectLine(answer.subject, answer.fmt),
    },
    replies: answer.replies,
    parentWhenAnswered: answer.parentWhenAnswered,
    now: deps.clock.now(),
  });
  return { outcome: await deliverThread(outbox, deps, budget), outbox };
}

/**
 * The command as the listener parsed it (grammar/command-json.ts). A job queued by an older
 * version during a deploy has only the text: it is read at the instant the listener read it.
 */
async function parseJobCommand(job: InvestigateJob, deps: JobDeps): Promise<InvestigationCommand | null> {
  try {
    if (job.command) return commandFromJson(job.command);
    const parsed = deps.runner.parse(job.text, new Date(job.requestedAt));
    if ('help' in parsed) {
      await tellUser(deps, job.origin, usageReply(null, deps.runner.usage));
      return null;
    }
    return parsed;
  } catch (error) {
    await tellUser(deps, job.origin, usageReply(describeError(error), deps.runner.usage));
    return null;
  }
}

async function postParent(
  job: InvestigateJob,
  deps: JobDeps,
  subject: ParentSubject,
  fmt: TimeFormatter,
): Promise<PostedMessage | null> {
  try {
    return await deps.web.post(job.origin.channelId, renderParentPending(subject, fmt));
  } catch (error) {
    deps.logger.error('Could not post the parent message', {
      ...errorFields(error),
      jobId: job.jobId,
      channel: job.origin.channelId,
    });
    await tellUser(
      deps,
      job.origin,
      `:warning: I couldn't post in this channel, so nothing was investigated. ${describeSlackError(error)}.`,
    );
    return null;
  }
}

function draftRefFor(job: InvestigateJob, parent: PostedMessage, { report }: InvestigationResult): DraftRef {
  return {
    v: 1,
    channel: parent.channel,
    threadTs: parent.ts,
    text: job.text,
    requestedAt: job.requestedAt,
    askedBy: job.origin.userId,
    index: report.index,
    at: report.at,
    kind: report.verdict.kind,
    confidence: report.verdict.confidence,
    headline: report.verdict.headline,
  };
}
