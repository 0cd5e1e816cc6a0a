/**
 * Runs Slack jobs wherever they land (in the server that acknowledged them, or in a Lambda
 * worker). Each job runs at most once across every instance sharing the state store — Slack
 * retries a request or an event (a follow-up's job id is its event_id), Lambda delivers an
 * async event twice — and never throws: every failure has already been told to someone by the
 * time `execute` resolves.
 */
import { errorFields } from './app-logger.js';
import { runCatchUpJob, runChannelSummaryJob, runPostSummaryJob } from './channel-summary-job.js';
import { runDeliverJob } from './deliver-thread.js';
import { runRedraftJob } from './draft-action-jobs.js';
import { runFollowUpJob } from './follow-up-job.js';
import { runInvestigateJob } from './investigate-job.js';
import type { JobBudget, JobDeps, JobOutcome } from './job-context.js';
import { postNotice } from './post-in-thread.js';
import type { SlackJob } from './slack-jobs.js';

export interface JobExecutor {
  execute(job: SlackJob, budget?: Partial<JobBudget>): Promise<JobOutcome>;
}

/** Default time limit for one investigation or redraft when the caller gives none. */
export const DEFAULT_JOB_TIMEOUT_MS = 240_000;

/** Longer than Slack retries a request and Lambda redelivers an async event (maximumEventAge 15 min). */
const JOB_CLAIM_TTL_S = 60 * 60;

export function createJobExecutor(deps: JobDeps): JobExecutor {
  return {
    async execute(job, budget = {}) {
      if (!(await claimJob(job, deps))) {
        deps.logger.info('Ignoring a job already taken', { jobId: job.jobId, kind: job.kind });
        return 'duplicate';
      }
      const fullBudget: JobBudget = {
        timeoutMs: budget.timeoutMs ?? DEFAULT_JOB_TIMEOUT_MS,
        ...(budget.deadline ? { deadline: budget.deadline } : {}),
        ...(budget.signal ? { signal: budget.signal } : {}),
      };
      const started = deps.clock.now().getTime();
      try {
        const outcome = await runJob(job, deps, fullBudget);
        deps.logger.info('Job finished', {
          jobId: job.jobId,
          kind: job.kind,
          outcome,
          ms: deps.clock.now().getTime() - started,
        });
        return outcome;
      } catch (error) {
        // The jobs catch what they expect; this is a bug, but it must still not end in silence.
        deps.logger.error('Job crashed', { ...errorFields(error), jobId: job.jobId, kind: job.kind });
        const text = ':warning: Something went wrong on our side; the details are in the logs.';
        if (job.origin.responseUrl) await deps.web.respond(job.origin.responseUrl, { text }).catch(() => {});
        // A follow-up has no response_url: it is answered in its thread.
        else if (job.kind === 'follow_up')
          await postNotice(
            deps,
            { channel: job.origin.channelId, threadTs: job.threadTs ?? job.messageTs },
            { text, blocks: [] },
          );
        return 'failed';
      }
    },
  };
}

/** A store that cannot answer lets the job run: answering twice beats not answering. */
async function claimJob(job: SlackJob, deps: JobDeps): Promise<boolean> {
  try {
    return await deps.state.claimOnce(`job:${job.jobId}`, JOB_CLAIM_TTL_S);
  } catch (error) {
    deps.logger.warn('The state store did not answer; running the job without the once-only check', {
      ...errorFields(error),
      jobId: job.jobId,
    });
    return true;
  }
}

function runJob(job: SlackJob, deps: JobDeps, budget: JobBudget): Promise<JobOutcome> {
  switch (job.kind) {
    case 'investigate':
      return runInvestigateJob(job, deps, budget);
    case 'redraft':
      return runRedraftJob(job, deps, budget);
    case 'post_summary':
      return runPostSummaryJob(job, deps);
    case 'deliver':
      return runDeliverJob(job, deps, budget);
    case 'follow_up':
      return runFollowUpJob(job, deps, budget);
    case 'channel_summary':
      return runChannelSummaryJob(job, deps);
    case 'catch_up':
      return runCatchUpJob(job, deps);
  }
}
