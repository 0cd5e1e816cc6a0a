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

export interface LambdaDispatcherOptions {
  client: Pick<LambdaClient, 'send'>;
  functionName: string;
  /** Abandon an invoke that has not answered by then (the acknowledgement waits for it). */
  timeoutMs?: number;
}

export function createLambdaDispatcher(options: LambdaDispatcherOptions): JobDispatcher {
  return {
    async dispatch(job: SlackJob) {
      const payload = Buffer.from(JSON.stringify(job), 'utf8');
      if (payload.length > MAX_ASYNC_PAYLOAD_BYTES)
        throw new SourceError(`The job is ${payload.length} bytes, over the 1 MB async invoke limit.`);
      let status: number | undefined;
      try {
        const command = new InvokeCommand({
          FunctionName: options.functionName,
          InvocationType: 'Event',
          Payload: payload,
        });
        const output = await options.client.send(
          command,
          options.timeoutMs ? { abortSignal: AbortSignal.timeout(options.timeoutMs) } : {},
        );
        status = output.StatusCode;
      } catch (error) {
        const name = (error as { name?: string }).name;
        if (name === 'AbortError' || name === 'TimeoutError') {
          // Lambda may still have queued it: say so rather than claim it did not start.
          throw new SourceError(
            `The worker ${options.functionName} did not confirm the job within ${options.timeoutMs} ms, so it may not have started.`,
            'If no thread appears within a minute, run the command again.',
            { cause: error },
          );
        }
        throw new SourceError(
          `Could not start the worker ${options.functionName}: ${error instanceof Error ? error.message : String(error)}`,
          'Check that the function exists and the slack function may invoke it.',
          {
            cause: error,
          },
        );
      }
      if (status !== 202)
        throw new SourceError(
          `The worker ${options.functionName} did not accept the job (HTTP ${status ?? 'unknown'}).`,
        );
    },
  };
}
