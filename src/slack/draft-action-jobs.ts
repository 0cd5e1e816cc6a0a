/**
 * The draft message's "Redraft" menu, after its acknowledgement: a new draft in the chosen tone
 * replaces the draft in place. Failures are told to the person who clicked, ephemerally. (The
 * draft's other button, "Post summary to incident channel", is channel-summary-job.ts.)
 */
import type { CustomerDraft } from '../core/types.js';
import { renderDraftLayouts } from '../render/slack/draft-message.js';
import { failureNotice } from '../render/slack/notices.js';
import type { SlackMessage } from '../render/slack/slack-message.js';
import { errorFields } from './app-logger.js';
import { describeJobFailure, type JobBudget, type JobDeps, type JobOutcome, tellUser } from './job-context.js';
import { runWithDeadline } from './run-with-deadline.js';
import type { RedraftJob } from './slack-jobs.js';
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
  const extra = {
    redraft: { tone: job.tone, by: job.origin.userId },
    ...(deps.config.slack.incidentChannel ? { incidentChannel: deps.config.slack.incidentChannel } : {}),
  };
  const failure = await updateWithFallback(
    deps,
    job.ref.channel,
    job.draftTs,
    renderDraftLayouts(draft, job.ref, extra),
  );
  if (!failure) return 'done';
  deps.logger.error('Could not replace the draft', { ...errorFields(failure), jobId: job.jobId });
  await tellUser(
    deps,
    job.origin,
    `:warning: I wrote a new draft but could not replace the old one. ${describeSlackError(failure)}.`,
  );
  return 'failed';
}

/** Tries each layout once, richest first; the last error when none was taken. */
async function updateWithFallback(
  deps: JobDeps,
  channel: string,
  ts: string,
  layouts: SlackMessage[],
): Promise<unknown> {
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
 * Redrafts from the thread's kept evidence (thread-evidence-store.ts), on any instance; when
 * there is none any more (expired) or it cannot be read, re-runs the same command, read at the
 * same instant, asking for the new tone.
 */
async function redraft(job: RedraftJob, deps: JobDeps, signal: AbortSignal): Promise<CustomerDraft | undefined> {
  const kept = await deps.evidence.load(job.ref.channel, job.ref.threadTs).catch((error: unknown) => {
    deps.logger.warn('Could not read the thread’s evidence; running the command again', {
      ...errorFields(error),
      jobId: job.jobId,
    });
    return undefined;
  });
  if (kept) return deps.runner.redraft(kept.report, job.tone);
  const parsed = deps.runner.parse(job.ref.text, new Date(job.ref.requestedAt));
  if ('help' in parsed) return undefined;
  const result = await deps.runner.run(parsed, { draftTone: job.tone, noDraft: false, signal });
  return result.report.draft;
}
