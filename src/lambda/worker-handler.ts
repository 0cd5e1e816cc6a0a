/**
 * The `worker` Lambda function: receives a job by async invoke, runs it (investigate, redraft,
 * post a summary, deliver posts Slack could not take before) and posts the results to Slack.
 * Lambda may deliver an async event twice, so a job id any instance has already taken is
 * ignored (the executor's claim in the state store), and the function is deployed with no
 * automatic retries (serverless.yml): a job that fails has already said so in Slack.
 */
import type { Context } from 'aws-lambda';
import type { Clock } from '../core/clock.js';
import { describeError } from '../errors.js';
import { failureNotice } from '../render/slack/notices.js';
import { type AppLogger, errorFields } from '../slack/app-logger.js';
import type { JobOutcome } from '../slack/job-context.js';
import type { JobExecutor } from '../slack/job-executor.js';
import { SlackJobSchema } from '../slack/slack-jobs.js';

export type WorkerLambdaHandler = (
  event: unknown,
  context: Pick<Context, 'getRemainingTimeInMillis' | 'awsRequestId'>,
) => Promise<{ outcome: JobOutcome }>;

export interface WorkerHandlerDeps {
  logger: AppLogger;
  /** The jobs' clock: the invocation's deadline is read on it. */
  clock: Pick<Clock, 'now'>;
  /** Built once per execution environment (secrets, clients, runner). */
  executor(): Promise<JobExecutor>;
  /** An ephemeral answer that needs no bot token, for when the executor cannot be built. */
  respond(responseUrl: string, text: string): Promise<void>;
  /** Time kept back from the Lambda timeout to post the outcome after the investigation stops. */
  reserveMs?: number;
}

const DEFAULT_RESERVE_MS = 15_000;
const MIN_JOB_MS = 5_000;
/** Kept back from the Lambda timeout for the last call of a job (handing a delivery on, logging). */
const DEADLINE_RESERVE_MS = 5_000;

export function createWorkerHandler(deps: WorkerHandlerDeps): WorkerLambdaHandler {
  return async (event, context) => {
    const parsed = SlackJobSchema.safeParse(event);
    if (!parsed.success) {
      deps.logger.error('The worker received something that is not a why502 job', {
        issues: parsed.error.issues.slice(0, 5),
        requestId: context.awsRequestId,
      });
      return { outcome: 'rejected' };
    }
    const job = parsed.data;
    let executor: JobExecutor;
    try {
      executor = await deps.executor();
    } catch (error) {
      deps.logger.error('The worker could not start', { ...errorFields(error), jobId: job.jobId });
      if (job.origin.responseUrl) {
        await deps
          .respond(job.origin.responseUrl, failureNotice('why502 could not start the work', describeError(error)))
          .catch((respondError: unknown) =>
            deps.logger.error('Could not tell the user either', errorFields(respondError)),
          );
      }
      return { outcome: 'failed' };
    }
    const remainingMs = context.getRemainingTimeInMillis();
    const timeoutMs = Math.max(MIN_JOB_MS, remainingMs - (deps.reserveMs ?? DEFAULT_RESERVE_MS));
    const deadline = new Date(deps.clock.now().getTime() + remainingMs - DEADLINE_RESERVE_MS);
    return { outcome: await executor.execute(job, { timeoutMs, deadline }) };
  };
}
