/**
 * Runs Slack jobs wherever they land (in the server that acknowledged them, or in a Lambda
 * worker). Each job runs at most once per process, and never throws: every failure has already
 * been told to someone by the time `execute` resolves.
 */
import { errorFields } from './app-logger.js';
import { runPostSummaryJob, runRedraftJob } from './draft-action-jobs.js';
import { runInvestigateJob } from './investigate-job.js';
import type { JobDeps, JobOutcome } from './job-context.js';
import type { SlackJob } from './slack-jobs.js';
import type { DedupeStore } from './ttl-dedupe.js';

export interface JobExecutor {
  execute(job: SlackJob, options?: { timeoutMs?: number }): Promise<JobOutcome>;
}

/** Default time limit for one investigation or redraft when the caller gives none. */
export const DEFAULT_JOB_TIMEOUT_MS = 240_000;

export function createJobExecutor(deps: JobDeps, dedupe: DedupeStore): JobExecutor {
  return {
    async execute(job, options = {}) {
      if (!dedupe.claim(`job:${job.jobId}`)) {
        deps.logger.info('Ignoring a job this process already ran', { jobId: job.jobId, kind: job.kind });
        return 'duplicate';
      }
      const timeoutMs = options.timeoutMs ?? DEFAULT_JOB_TIMEOUT_MS;
      const started = deps.clock.now().getTime();
      try {
        const outcome = await runJob(job, deps, timeoutMs);
        deps.logger.info('Job finished', { jobId: job.jobId, kind: job.kind, outcome, ms: deps.clock.now().getTime() - started });
        return outcome;
      } catch (error) {
        // The jobs catch what they expect; this is a bug, but it must still not end in silence.
        deps.logger.error('Job crashed', { ...errorFields(error), jobId: job.jobId, kind: job.kind });
        if (job.origin.responseUrl) {
          await deps.web.respond(job.origin.responseUrl, { text: ':warning: Something went wrong on our side; the details are in the logs.' }).catch(() => {});
        }
        return 'failed';
      }
    },
  };
}

function runJob(job: SlackJob, deps: JobDeps, timeoutMs: number): Promise<JobOutcome> {
  switch (job.kind) {
    case 'investigate':
      return runInvestigateJob(job, deps, timeoutMs);
    case 'redraft':
      return runRedraftJob(job, deps, timeoutMs);
    case 'post_summary':
      return runPostSummaryJob(job, deps);
  }
}
