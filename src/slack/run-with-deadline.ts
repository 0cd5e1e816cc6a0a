/**
 * Runs work with a time limit, so an investigation that hangs still ends in a message (a
 * Lambda worker is killed silently at its timeout; a server would wait forever).
 */
import type { Clock } from '../core/clock.js';
import { SourceError } from '../errors.js';

export class InvestigationTimeoutError extends SourceError {
  override name = 'InvestigationTimeoutError';
}

export async function runWithDeadline<T>(
  work: (signal: AbortSignal) => Promise<T>,
  timeoutMs: number,
  clock: Clock,
): Promise<T> {
  const workController = new AbortController();
  const timerController = new AbortController();
  const timeout = new Promise<never>((_, reject) => {
    clock.sleep(timeoutMs, timerController.signal).then(
      () => {
        const error = new InvestigationTimeoutError(
          `The investigation did not finish within ${Math.round(timeoutMs / 1000)} s.`,
          'Try a shorter window, e.g. `--window 1h`, or ask again in a minute.',
        );
        workController.abort(error);
        reject(error);
      },
      () => {}, // the work finished first and cancelled the timer
    );
  });
  try {
    return await Promise.race([work(workController.signal), timeout]);
  } finally {
    timerController.abort();
  }
}
