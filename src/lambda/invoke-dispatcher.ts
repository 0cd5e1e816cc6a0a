/**
 * Hands a job to the worker function with an asynchronous Lambda invoke (InvocationType
 * "Event"): Lambda queues it and answers 202 at once, so the `slack` function can return its
 * acknowledgement to Slack within milliseconds and nothing keeps running after it returns.
 */
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { SourceError } from '../errors.js';
import type { JobDispatcher, SlackJob } from '../slack/slack-jobs.js';

/** Async invocations accept at most 1 MB (domain.md §9); jobs are a few kB. */
const MAX_ASYNC_PAYLOAD_BYTES = 1_000_000;

export function createLambdaDispatcher(options: { client: Pick<LambdaClient, 'send'>; functionName: string }): JobDispatcher {
  return {
    async dispatch(job: SlackJob) {
      const payload = Buffer.from(JSON.stringify(job), 'utf8');
      if (payload.length > MAX_ASYNC_PAYLOAD_BYTES) throw new SourceError(`The job is ${payload.length} bytes, over the 1 MB async invoke limit.`);
      let status: number | undefined;
      try {
        const output = await options.client.send(new InvokeCommand({ FunctionName: options.functionName, InvocationType: 'Event', Payload: payload }));
        status = output.StatusCode;
      } catch (error) {
        throw new SourceError(`Could not start the worker ${options.functionName}: ${error instanceof Error ? error.message : String(error)}`, 'Check that the function exists and the slack function may invoke it.', {
          cause: error,
        });
      }
      if (status !== 202) throw new SourceError(`The worker ${options.functionName} did not accept the job (HTTP ${status ?? 'unknown'}).`);
    },
  };
}
