import { availableParallelism } from 'node:os';
import { ConfigError } from '../errors.js';

/** The most threads a read starts, whatever is asked: past this, memory grows and speed does not. */
export const MAX_WORKER_THREADS = 64;

export interface WorkerChoice {
  /** Threads to read on; 1 reads on the main thread only. */
  threads: number;
  /** Chosen by the caller or WHY502_WORKERS, and then used whatever the size of the read (tests, the bench). */
  pinned: boolean;
}

/**
 * How many threads read log files: the caller's number, else WHY502_WORKERS, else one per core
 * (then a small read stays on one thread: see ONE_THREAD_BELOW_BYTES).
 */
export function chooseWorkers(
  given: number | undefined,
  env: Record<string, string | undefined> = process.env,
): WorkerChoice {
  if (given !== undefined)
    return { threads: Math.max(1, Math.min(MAX_WORKER_THREADS, Math.floor(given))), pinned: true };
  const typed = env.WHY502_WORKERS;
  if (typed === undefined || typed === '') return { threads: availableParallelism(), pinned: false };
  const count = Number(typed);
  if (!Number.isInteger(count) || count < 1 || count > MAX_WORKER_THREADS) {
    throw new ConfigError(
      `WHY502_WORKERS=${JSON.stringify(typed.slice(0, 20))} is not a number of threads.`,
      `Set it to a whole number from 1 to ${MAX_WORKER_THREADS}, or unset it to use one per core.`,
    );
  }
  return { threads: count, pinned: true };
}
