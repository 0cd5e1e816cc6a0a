/**
 * Runs jobs in this process, after the acknowledgement has gone: for `why502 serve`, a
 * long-running server where work may outlive the HTTP response. Work in flight is tracked so a
 * shutdown (or a test) can wait for it.
 */
import type { JobExecutor } from './job-executor.js';
import type { JobDispatcher, SlackJob } from './slack-jobs.js';

export interface WorkTracker {
  track(work: Promise<unknown>): void;
  /** Resolves when nothing is in flight, including work started while waiting. */
  whenIdle(): Promise<void>;
  readonly inFlight: number;
}

export function createWorkTracker(): WorkTracker {
  const pending = new Set<Promise<unknown>>();
  return {
    track(work) {
      const settled = work.then(
        () => undefined,
        () => undefined,
      );
      pending.add(settled);
      void settled.then(() => pending.delete(settled));
    },
    async whenIdle() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
    get inFlight() {
      return pending.size;
    },
  };
}

export function createInProcessDispatcher(
  executor: JobExecutor,
  tracker: WorkTracker,
  options: { timeoutMs?: number; signal?: AbortSignal } = {},
): JobDispatcher {
  const budget = {
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  };
  return {
    async dispatch(job: SlackJob) {
      // Not awaited: the caller acknowledges Slack now; the job reports its own outcome. It
      // starts on a later turn of the event loop so that pending acknowledgements go out first.
      tracker.track(new Promise<void>((resolve) => setImmediate(resolve)).then(() => executor.execute(job, budget)));
    },
  };
}
