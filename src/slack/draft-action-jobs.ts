/**
 * The two buttons on the draft message, after their acknowledgement: "Redraft" replaces the
 * draft in place; "Post summary" posts a compact summary with a link to the thread to the
 * configured incident channel. Failures are told to the person who clicked, ephemerally.
 */
import type { CustomerDraft, TimeFormatter } from '../core/types.js';
import type { InvestigationResult } from '../engine/investigation-runner.js';
import { createTimeFormatter } from '../grammar/time-formatter.js';
import { errorFields } from './app-logger.js';
import { formatterForCommand } from './describe-asked.js';
import type { DraftRef } from './draft-ref.js';
import { describeJobFailure, tellUser, type JobDeps, type JobOutcome } from './job-context.js';
import { renderDraftMessage } from './render-draft.js';
import { noIncidentChannel, failureNotice } from './render-notices.js';
import { renderIncidentSummary } from './render-summary.js';
import { runWithDeadline } from './run-with-deadline.js';
import type { PostSummaryJob, RedraftJob } from './slack-jobs.js';
import { describeSlackError } from './slack-web.js';

export async function runRedraftJob(job: RedraftJob, deps: JobDeps, timeoutMs: number): Promise<JobOutcome> {
  let draft: CustomerDraft | undefined;
  try {
    draft = await runWithDeadline((signal) => redraft(job, deps, signal), timeoutMs, deps.clock);
  } catch (error) {
    deps.logger.error('Redraft failed', { ...errorFields(error), jobId: job.jobId });
    await tellUser(deps, job.origin, failureNotice('The redraft failed', describeJobFailure(error)));
    return 'failed';
  }
  if (!draft) {
    await tellUser(deps, job.origin, ':warning: The redraft produced no draft; the previous one is unchanged.');
    return 'failed';
  }
  try {
    const message = renderDraftMessage(draft, job.ref, { redraft: { tone: job.tone, by: job.origin.userId } });
    await deps.web.update(job.ref.channel, job.draftTs, message);
    return 'done';
  } catch (error) {
    deps.logger.error('Could not replace the draft', { ...errorFields(error), jobId: job.jobId });
    await tellUser(deps, job.origin, `:warning: I wrote a new draft but could not replace the old one. ${describeSlackError(error)}.`);
    return 'failed';
  }
}

/**
 * Reuses the report when this process still has it; otherwise (another Lambda instance, a
 * restart) re-runs the same command, read at the same instant, asking for the new tone.
 */
async function redraft(job: RedraftJob, deps: JobDeps, signal: AbortSignal): Promise<CustomerDraft | undefined> {
  const cached = deps.reports.get(job.ref.channel, job.ref.threadTs);
  if (cached) return deps.runner.redraft(cached.report, job.tone);
  const parsed = deps.runner.parse(job.ref.text, new Date(job.ref.requestedAt));
  if ('help' in parsed) return undefined;
  const result: InvestigationResult = await deps.runner.run(parsed, { draftTone: job.tone, noDraft: false, signal });
  deps.reports.set(job.ref.channel, job.ref.threadTs, result);
  return result.report.draft;
}

export async function runPostSummaryJob(job: PostSummaryJob, deps: JobDeps): Promise<JobOutcome> {
  const incidentChannel = deps.config.slack.incidentChannel;
  if (!incidentChannel) {
    await tellUser(deps, job.origin, noIncidentChannel());
    return 'failed';
  }
  try {
    const permalink = await deps.web.permalink(job.ref.channel, job.ref.threadTs);
    const summary = renderIncidentSummary({
      ref: job.ref,
      index: job.ref.index,
      at: new Date(job.ref.at),
      fmt: summaryFormatter(job.ref, deps),
      permalink,
      sharedBy: job.origin.userId,
    });
    await deps.web.post(incidentChannel, summary);
  } catch (error) {
    deps.logger.error('Could not post the incident summary', { ...errorFields(error), jobId: job.jobId, incidentChannel });
    await tellUser(deps, job.origin, `:warning: I could not post the summary to <#${incidentChannel}>. ${describeSlackError(error)}.`);
    return 'failed';
  }
  await tellUser(deps, job.origin, `:white_check_mark: Posted the summary to <#${incidentChannel}>.`);
  return 'done';
}

/** The asked zone, from the command as first read; UTC when it no longer parses (the config changed). */
function summaryFormatter(ref: DraftRef, deps: JobDeps): TimeFormatter {
  try {
    const parsed = deps.runner.parse(ref.text, new Date(ref.requestedAt));
    if (!('help' in parsed)) return formatterForCommand(parsed);
  } catch {
    // fall through to UTC
  }
  return createTimeFormatter({ kind: 'fixed', label: 'UTC', offsetMinutes: 0 });
}
