/**
 * The two buttons on the draft message, after their acknowledgement: "Redraft" replaces the
 * draft in place; "Post summary" posts a compact summary with a link to the thread to the
 * configured incident channel, once per thread however many times it is clicked, on however
 * many instances. Failures are told to the person who clicked, ephemerally.
 */
import { z } from 'zod';
import type { CustomerDraft, TimeFormatter } from '../core/types.js';
import type { InvestigationResult } from '../engine/investigation-runner.js';
import { createTimeFormatter } from '../grammar/time-formatter.js';
import { errorFields } from './app-logger.js';
import { formatterForCommand } from './describe-asked.js';
import type { DraftRef } from './draft-ref.js';
import { describeJobFailure, tellUser, type JobBudget, type JobDeps, type JobOutcome } from './job-context.js';
import { renderDraftLayouts } from './render-draft.js';
import { noIncidentChannel, failureNotice } from './render-notices.js';
import { renderIncidentSummary } from './render-summary.js';
import { runWithDeadline } from './run-with-deadline.js';
import { mentionChannel, mentionUser } from './slack-ids.js';
import type { PostSummaryJob, RedraftJob } from './slack-jobs.js';
import type { SlackMessage } from './slack-message.js';
import { describeSlackError } from './slack-web.js';

export async function runRedraftJob(job: RedraftJob, deps: JobDeps, budget: JobBudget): Promise<JobOutcome> {
  let draft: CustomerDraft | undefined;
  try {
    draft = await runWithDeadline((signal) => redraft(job, deps, signal), budget.timeoutMs, deps.clock);
  } catch (error) {
    deps.logger.error('Redraft failed', { ...errorFields(error), jobId: job.jobId });
    await tellUser(deps, job.origin, failureNotice('The redraft failed', describeJobFailure(error)));
    return 'failed';
  }
  if (!draft) {
    await tellUser(deps, job.origin, ':warning: The redraft produced no draft; the previous one is unchanged.');
    return 'failed';
  }
  const extra = { redraft: { tone: job.tone, by: job.origin.userId }, ...(deps.config.slack.incidentChannel ? { incidentChannel: deps.config.slack.incidentChannel } : {}) };
  const failure = await updateWithFallback(deps, job.ref.channel, job.draftTs, renderDraftLayouts(draft, job.ref, extra));
  if (!failure) return 'done';
  deps.logger.error('Could not replace the draft', { ...errorFields(failure), jobId: job.jobId });
  await tellUser(deps, job.origin, `:warning: I wrote a new draft but could not replace the old one. ${describeSlackError(failure)}.`);
  return 'failed';
}

/** Tries each layout once, richest first; the last error when none was taken. */
async function updateWithFallback(deps: JobDeps, channel: string, ts: string, layouts: SlackMessage[]): Promise<unknown> {
  let lastError: unknown;
  for (const layout of layouts) {
    try {
      await deps.web.updateOnce(channel, ts, layout);
      return undefined;
    } catch (error) {
      lastError = error;
    }
  }
  return lastError;
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

/** A claim that outlives a crashed attempt only briefly; the posted summary is remembered for a week. */
const SUMMARY_CLAIM_TTL_S = 5 * 60;
const SUMMARY_POSTED_TTL_S = 7 * 24 * 3600;

const PostedSummarySchema = z.object({ channel: z.string(), ts: z.string(), by: z.string() });

export async function runPostSummaryJob(job: PostSummaryJob, deps: JobDeps): Promise<JobOutcome> {
  const incidentChannel = deps.config.slack.incidentChannel;
  if (!incidentChannel) {
    await tellUser(deps, job.origin, noIncidentChannel());
    return 'failed';
  }
  const key = `summary:${job.ref.channel}:${job.ref.threadTs}:${incidentChannel}`;
  if (!(await claimSummary(key, deps))) {
    await tellUser(deps, job.origin, await describeExistingSummary(key, incidentChannel, deps));
    return 'duplicate';
  }
  let posted: { channel: string; ts: string };
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
    posted = await deps.web.post(incidentChannel, summary);
  } catch (error) {
    deps.logger.error('Could not post the incident summary', { ...errorFields(error), jobId: job.jobId, incidentChannel });
    // Let the next click try again.
    await deps.state.delete(key).catch((releaseError: unknown) => deps.logger.warn('Could not release the summary claim', errorFields(releaseError)));
    await tellUser(deps, job.origin, `:warning: I could not post the summary to ${mentionChannel(incidentChannel)}. ${describeSlackError(error)}.`);
    return 'failed';
  }
  await deps.state
    .put(key, JSON.stringify({ channel: posted.channel, ts: posted.ts, by: job.origin.userId }), SUMMARY_POSTED_TTL_S)
    .catch((error: unknown) => deps.logger.warn('Could not record the posted summary', { ...errorFields(error), key }));
  await tellUser(deps, job.origin, `:white_check_mark: Posted the summary to ${mentionChannel(incidentChannel)}.`);
  return 'done';
}

/** True when this click may post. A store that cannot answer lets it post: a repeat beats silence. */
async function claimSummary(key: string, deps: JobDeps): Promise<boolean> {
  try {
    return await deps.state.claimOnce(key, SUMMARY_CLAIM_TTL_S);
  } catch (error) {
    deps.logger.warn('The state store did not answer; posting the summary without the once-per-thread check', { ...errorFields(error), key });
    return true;
  }
}

async function describeExistingSummary(key: string, incidentChannel: string, deps: JobDeps): Promise<string> {
  const raw = await deps.state.get(key).catch(() => undefined);
  const parsed = raw === undefined ? undefined : PostedSummarySchema.safeParse(JSON.parse(raw));
  if (!parsed?.success) return `:information_source: The summary of this thread is being posted to ${mentionChannel(incidentChannel)} already.`;
  const { channel, ts, by } = parsed.data;
  const link = await deps.web.permalink(channel, ts).catch(() => undefined);
  const view = link ? ` · <${link}|view it>` : '';
  return `:information_source: The summary of this thread is already in ${mentionChannel(channel)}, posted by ${mentionUser(by)}; it is posted once per thread${view}.`;
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
