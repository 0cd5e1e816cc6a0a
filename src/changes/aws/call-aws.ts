/**
 * One AWS call under the "what changed" deadline: throttling and transient 5xx retried with
 * equal-jitter backoff (poll-until-done's discipline), the HTTP call aborted at the deadline,
 * and a failure turned into one sentence that names the permission to grant.
 */
import type { Clock } from '../../core/clock.js';
import { classifyAwsError, describeAwsFailure } from '../../sources/cloudwatch/aws-errors.js';
import { type CallContext, callWithRetries, PollTimeoutError, type RetryLog } from '../../sources/poll-until-done.js';

export interface AwsCallOptions {
  clock: Clock;
  /** Epoch ms (on `clock`) after which nothing more is waited for. */
  deadlineMs: number;
  signal?: AbortSignal | undefined;
  /** [0, 1); injected so jitter is reproducible in tests. */
  random?: (() => number) | undefined;
  retryLog?: RetryLog | undefined;
}

export function callAws<T>(call: (context: CallContext) => Promise<T>, options: AwsCallOptions): Promise<T> {
  return callWithRetries(call, {
    deadlineMs: options.deadlineMs,
    clock: options.clock,
    signal: options.signal,
    ...(options.random ? { random: options.random } : {}),
    ...(options.retryLog ? { retryLog: options.retryLog } : {}),
  });
}

/** A failed call in words: "DescribeServices: access denied (AccessDeniedException); the credentials need ecs:DescribeServices". */
export function describeCallFailure(
  error: unknown,
  what: string,
  permissions: readonly string[],
  timeoutSeconds: number,
): string {
  if (error instanceof ConfigMismatchError) return `${what}: ${error.message}`;
  if (error instanceof PollTimeoutError) {
    return `${what} did not finish within the ${timeoutSeconds} s budget (aws.changes.timeoutSeconds)${error.retryingCode ? `, throttled (${error.retryingCode}) until then` : ''}`;
  }
  const failure = classifyAwsError(error);
  if (/NotFound(Exception)?$/.test(failure.code))
    return `${what}: not found (${failure.code}: ${failure.message}); check the name in the config and the region`;
  return describeAwsFailure(failure, what, permissions);
}

/** AWS answered, but not about the object the config names (a name found with another id). */
export class ConfigMismatchError extends Error {
  override name = 'ConfigMismatchError';
}
