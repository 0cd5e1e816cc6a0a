/**
 * One /why502 after its acknowledgement: the parent message, the investigation, the verdict
 * and the draft in the thread, then the parent updated with the headline. Every way this can
 * fail ends in a message: in the thread once it exists, otherwise ephemerally to the asker.
 */
import type { InvestigationCommand, TimeFormatter } from '../core/types.js';
import type { InvestigationResult } from '../engine/investigation-runner.js';
import { describeError } from '../errors.js';
import { errorFields } from './app-logger.js';
import { formatterForCommand } from './describe-asked.js';
import type { DraftRef } from './draft-ref.js';
import { describeJobFailure, postPlainInThread, tellUser, type JobDeps, type JobOutcome } from './job-context.js';
import { renderVerdictMessage, type TableStyle } from './render-blocks.js';
import { renderDraftMessage } from './render-draft.js';
import { failureNotice, usageReply } from './render-notices.js';
import { renderParentDone, renderParentFailed, renderParentPending, subjectOfCommand, type ParentSubject } from './render-parent.js';
import { runWithDeadline } from './run-with-deadline.js';
import type { InvestigateJob } from './slack-jobs.js';
import { describeSlackError, slackErrorCode, type PostedMessage } from './slack-web.js';
import type { SlackMessage } from './slack-message.js';

export async function runInvestigateJob(job: InvestigateJob, deps: JobDeps, timeoutMs: number): Promise<JobOutcome> {
  const command = await parseJobCommand(job, deps);
  if (!command) return 'failed';
  const fmt = formatterForCommand(command);
  const subject = subjectOfCommand(command, job.origin.userId);

  const parent = await postParent(job, deps, subject, fmt);
  if (!parent) return 'failed';

  let result: InvestigationResult;
  try {
    result = await runWithDeadline((signal) => deps.runner.run(command, { signal }), timeoutMs, deps.clock);
  } catch (error) {
    deps.logger.error('Investigation failed', { ...errorFields(error), jobId: job.jobId, index: command.index });
    await reportRunFailure(job, deps, parent, subject, fmt, describeJobFailure(error));
    return 'failed';
  }
  deps.reports.set(parent.channel, parent.ts, result);

  const verdictPosted = await postVerdict(job, deps, parent, result);
  const draftPosted = await postDraft(job, deps, parent, result, draftRefFor(job, parent, result));
  await updateParent(deps, parent, renderParentDone(subject, result.report, result.formatter));
  return verdictPosted && draftPosted ? 'done' : 'failed';
}

/** The listener already parsed this text; parsing again here keeps jobs plain JSON. */
async function parseJobCommand(job: InvestigateJob, deps: JobDeps): Promise<InvestigationCommand | null> {
  try {
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

async function postParent(job: InvestigateJob, deps: JobDeps, subject: ParentSubject, fmt: TimeFormatter): Promise<PostedMessage | null> {
  try {
    return await deps.web.post(job.origin.channelId, renderParentPending(subject, fmt));
  } catch (error) {
    deps.logger.error('Could not post the parent message', { ...errorFields(error), jobId: job.jobId, channel: job.origin.channelId });
    await tellUser(deps, job.origin, `:warning: I couldn't post in this channel, so nothing was investigated. ${describeSlackError(error)}.`);
    return null;
  }
}

async function reportRunFailure(
  job: InvestigateJob,
  deps: JobDeps,
  parent: PostedMessage,
  subject: ParentSubject,
  fmt: TimeFormatter,
  reason: string,
): Promise<void> {
  const posted = await postPlainInThread(deps, parent, failureNotice('The investigation failed', reason));
  if (!posted) await tellUser(deps, job.origin, failureNotice('The investigation failed', reason));
  await updateParent(deps, parent, renderParentFailed(subject, fmt, reason));
}

/**
 * Slack rejects blocks it does not know or cannot lay out (a table block on a workspace that
 * lacks it, a total over its limits). Each answer below degrades one step: native table, then
 * stacked lines, then the text alone.
 */
const BLOCK_REJECTIONS = new Set(['invalid_blocks', 'invalid_blocks_format', 'invalid_attachments', 'msg_blocks_too_long', 'invalid_arguments']);

async function postVerdict(job: InvestigateJob, deps: JobDeps, parent: PostedMessage, result: InvestigationResult): Promise<boolean> {
  const styles: TableStyle[] = deps.tableStyle === 'native' ? ['native', 'stacked'] : ['stacked'];
  const attempts: SlackMessage[] = styles.map((tableStyle) => renderVerdictMessage(result.report, result.formatter, { tableStyle }));
  attempts.push({ text: attempts[0]!.text, blocks: [] });
  for (const [i, message] of attempts.entries()) {
    try {
      await deps.web.post(parent.channel, message, { threadTs: parent.ts });
      return true;
    } catch (error) {
      const code = slackErrorCode(error);
      deps.logger.warn('Slack refused the verdict message', { ...errorFields(error), jobId: job.jobId, attempt: i + 1 });
      if (!code || !BLOCK_REJECTIONS.has(code)) {
        await failInThreadOrPrivately(job, deps, parent, 'I could not post the verdict', describeSlackError(error));
        return false;
      }
    }
  }
  await failInThreadOrPrivately(job, deps, parent, 'I could not post the verdict', 'Slack rejected every layout of it');
  return false;
}

async function postDraft(job: InvestigateJob, deps: JobDeps, parent: PostedMessage, result: InvestigationResult, ref: DraftRef): Promise<boolean> {
  try {
    await deps.web.post(parent.channel, renderDraftMessage(result.report.draft, ref), { threadTs: parent.ts });
    return true;
  } catch (error) {
    deps.logger.error('Could not post the draft', { ...errorFields(error), jobId: job.jobId });
    await failInThreadOrPrivately(job, deps, parent, 'I could not post the customer draft', describeSlackError(error));
    return false;
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

async function failInThreadOrPrivately(job: InvestigateJob, deps: JobDeps, parent: PostedMessage, what: string, reason: string): Promise<void> {
  const text = failureNotice(what, reason);
  if (!(await postPlainInThread(deps, parent, text))) await tellUser(deps, job.origin, text);
}

/** The thread already holds the answer; a parent that stays "Investigating…" is logged, not retried. */
async function updateParent(deps: JobDeps, parent: PostedMessage, message: SlackMessage): Promise<void> {
  try {
    await deps.web.update(parent.channel, parent.ts, message);
  } catch (error) {
    deps.logger.warn('Could not update the parent message', { ...errorFields(error), channel: parent.channel, ts: parent.ts });
  }
}
