/**
 * Runs work that is started, polled until it is done, and stopped when nobody should wait any
 * longer — an Athena query, a Logs Insights query — with one discipline for all of them:
 *
 * - polls back off: the first after `firstPollMs`, then doubling, capped at `maxPollMs` and at
 *   15 % of the time already waited (so the last poll lands soon after the work is done, however
 *   long it takes), each wait jittered ±10 % so concurrent pollers spread out;
 * - an overall deadline: waits and calls never run past it; at the deadline the work is stopped
 *   (`stop`, best effort, with a few seconds of its own) and a PollTimeoutError is thrown;
 * - cancellation: when `signal` aborts, the work is stopped and the signal's reason thrown;
 * - throttling and transient server errors are retried with "equal jitter" backoff until the
 *   deadline, and counted in a RetryLog so the caller can say so (a visible note).
 *
 * Each backend brings three small calls: `start`, `poll` (one look: done or not), `stop`.
 */
import type { Clock } from '../core/clock.js';
import { SourceError } from '../errors.js';
import { classifyAwsError } from './cloudwatch/aws-errors.js';

/** Passed to every call: abort the HTTP request when it fires (deadline or cancellation). */
export interface CallContext {
  abortSignal: AbortSignal;
}

export type PollState<Result> = { done: false } | { done: true; result: Result };

export interface PollCalls<Id, Result> {
  start(call: CallContext): Promise<Id>;
  /** One look at the work. Report a failed work item as a result; throw only when the call itself fails. */
  poll(id: Id, call: CallContext): Promise<PollState<Result>>;
  /** Best effort: the work should not keep running (and billing) once nobody waits for it. */
  stop(id: Id, call: CallContext): Promise<void>;
}

export interface PollPolicy {
  firstPollMs: number;
  maxPollMs: number;
  /** Retry backoff for throttling and transient errors: base, doubling, capped; equal jitter. */
  retryBaseMs: number;
  retryMaxMs: number;
  /** How long `stop` may take after the deadline. */
  stopTimeoutMs: number;
}

export const DEFAULT_POLL_POLICY: PollPolicy = {
  firstPollMs: 250,
  maxPollMs: 2_000,
  retryBaseMs: 500,
  retryMaxMs: 8_000,
  stopTimeoutMs: 5_000,
};

/** Retries made, by error code, for the caller's note ("throttled 3 times: …"). */
export interface RetryLog {
  count: number;
  byCode: Record<string, number>;
}

export interface PollOptions {
  /** Epoch ms (on `clock`) after which nothing more is waited for. */
  deadlineMs: number;
  clock: Clock;
  signal?: AbortSignal | undefined;
  /** [0, 1); injected so jitter is reproducible in tests. Default Math.random. */
  random?: () => number;
  policy?: Partial<PollPolicy>;
  /**
   * The error code when `error` is worth retrying (throttling, a transient 5xx), else null.
   * Default: throttling as classifyAwsError sees it, and HTTP 500/503 answers.
   */
  retryable?: (error: unknown) => string | null;
  /** Retries are added here; pass one log to several runs to report them together. */
  retryLog?: RetryLog;
}

export interface PollDone<Id, Result> {
  id: Id;
  result: Result;
  polls: number;
}

/** The deadline passed before the work was done; it was stopped when it had started. */
export class PollTimeoutError extends SourceError {
  override name = 'PollTimeoutError';
  constructor(
    /** What was under way: starting, waiting between polls, or a call that did not answer in time. */
    readonly phase: 'start' | 'wait' | 'call',
    /** Whether `stop` was sent for the work. */
    readonly stopped: boolean,
    /** The error code that kept being retried until the deadline, if that is why. */
    readonly retryingCode?: string,
  ) {
    super(
      `deadline passed while ${phase === 'start' ? 'starting' : phase === 'wait' ? 'waiting for the result' : 'waiting for an answer'}${retryingCode ? ` (retrying ${retryingCode})` : ''}`,
    );
  }
}

export function newRetryLog(): RetryLog {
  return { count: 0, byCode: {} };
}

/** Starts the work, polls it until done within the deadline, stops it otherwise. */
export async function pollUntilDone<Id, Result>(
  calls: PollCalls<Id, Result>,
  options: PollOptions,
): Promise<PollDone<Id, Result>> {
  const run = new PollRun(options);
  let id: Id;
  try {
    id = await run.call((call) => calls.start(call));
  } catch (error) {
    throw error instanceof PollTimeoutError ? new PollTimeoutError('start', false, error.retryingCode) : error;
  }
  const startedMs = run.nowMs();
  let waitMs = run.policy.firstPollMs;
  for (let polls = 1; ; polls++) {
    try {
      await run.sleepBeforeDeadline(run.jitter(waitMs));
      const state = await run.call((call) => calls.poll(id, call));
      if (state.done) return { id, result: state.result, polls };
    } catch (error) {
      const stopped = await run.stop(() => calls.stop(id, run.stopContext()));
      if (error instanceof PollTimeoutError) throw new PollTimeoutError(error.phase, stopped, error.retryingCode);
      throw error;
    }
    waitMs = nextPollWaitMs(waitMs, run.nowMs() - startedMs, run.policy);
  }
}

/**
 * One call under the same deadline, cancellation and retry rules, outside a poll loop (e.g.
 * reading a finished query's result pages).
 */
export function callWithRetries<T>(call: (context: CallContext) => Promise<T>, options: PollOptions): Promise<T> {
  return new PollRun(options).call(call);
}

/** The wait before the next poll: doubling, capped at `maxPollMs` and at 15 % of the time waited so far. */
export function nextPollWaitMs(previousWaitMs: number, elapsedMs: number, policy: PollPolicy): number {
  const proportional = Math.max(policy.firstPollMs, Math.floor(elapsedMs * 0.15));
  return Math.min(previousWaitMs * 2, proportional, policy.maxPollMs);
}

/** Throttling (classifyAwsError), InternalServerException and HTTP 500/502/503/504: worth another try. */
export function isRetryableAwsError(error: unknown): string | null {
  const failure = classifyAwsError(error);
  if (failure.kind === 'throttled') return failure.code;
  const status = (error as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode;
  if (failure.code === 'InternalServerException' || (status !== undefined && status >= 500 && status <= 504))
    return failure.code;
  return null;
}

class PollRun {
  readonly policy: PollPolicy;
  private readonly random: () => number;
  private readonly retryable: (error: unknown) => string | null;
  private readonly retryLog: RetryLog;

  constructor(private readonly options: PollOptions) {
    this.policy = { ...DEFAULT_POLL_POLICY, ...options.policy };
    this.random = options.random ?? Math.random;
    this.retryable = options.retryable ?? isRetryableAwsError;
    this.retryLog = options.retryLog ?? newRetryLog();
  }

  nowMs(): number {
    return this.options.clock.now().getTime();
  }

  jitter(ms: number): number {
    return Math.round(ms * (0.9 + 0.2 * this.random()));
  }

  /** Calls `call`, retrying what `retryable` accepts until the deadline. */
  async call<T>(call: (context: CallContext) => Promise<T>): Promise<T> {
    let lastCode: string | undefined;
    for (let attempt = 0; ; attempt++) {
      this.throwIfAborted();
      if (this.nowMs() >= this.options.deadlineMs) throw new PollTimeoutError('call', false, lastCode);
      const abortSignal = this.callSignal();
      try {
        return await call({ abortSignal });
      } catch (error) {
        this.throwIfAborted();
        if (abortSignal.aborted) throw new PollTimeoutError('call', false, lastCode);
        const code = this.retryable(error);
        if (code === null) throw error;
        lastCode = code;
        this.retryLog.count++;
        this.retryLog.byCode[code] = (this.retryLog.byCode[code] ?? 0) + 1;
        const ceilingMs = Math.min(this.policy.retryMaxMs, this.policy.retryBaseMs * 2 ** attempt);
        // Equal jitter: at least half the ceiling, so retries never hammer; the rest random.
        await this.sleepBeforeDeadline(ceilingMs / 2 + this.random() * (ceilingMs / 2), code);
      }
    }
  }

  /** Sleeps `ms` unless that passes the deadline (then throws PollTimeoutError) or the run is cancelled. */
  async sleepBeforeDeadline(ms: number, retryingCode?: string): Promise<void> {
    const remainingMs = this.options.deadlineMs - this.nowMs();
    if (remainingMs <= 0) throw new PollTimeoutError('wait', false, retryingCode);
    await this.options.clock.sleep(Math.min(ms, remainingMs), this.options.signal);
    if (ms >= remainingMs) throw new PollTimeoutError('wait', false, retryingCode);
  }

  /** Sends `stop` with a few seconds of its own (the deadline has passed, or the caller gave up). */
  async stop(send: () => Promise<void>): Promise<boolean> {
    try {
      await send();
      return true;
    } catch {
      return false; // already finished, or not allowed: nothing more to do
    }
  }

  stopContext(): CallContext {
    return { abortSignal: AbortSignal.timeout(this.policy.stopTimeoutMs) };
  }

  /**
   * Bounds one HTTP call by the deadline (a real timer: the injected clock drives the waits
   * between polls, not network I/O) and by cancellation.
   */
  private callSignal(): AbortSignal {
    const remainingMs = Math.max(1, this.options.deadlineMs - this.nowMs());
    const timeout = AbortSignal.timeout(remainingMs);
    return this.options.signal ? AbortSignal.any([this.options.signal, timeout]) : timeout;
  }

  private throwIfAborted(): void {
    if (this.options.signal?.aborted) throw this.options.signal.reason;
  }
}
