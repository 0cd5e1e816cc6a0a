import type { Clock } from '../../../src/core/clock.js';

/**
 * A clock that reads `startIso` now and runs `factor` times faster than real time, waits
 * included: the stand-ins' work (real time) and the providers' polls (clock time) keep their
 * order, while a deadline of a minute is still far off.
 */
export function fastClockFrom(startIso: string, factor = 10): Clock {
  const realStartMs = Date.now();
  const startMs = Date.parse(startIso);
  return {
    now: () => new Date(startMs + (Date.now() - realStartMs) * factor),
    sleep: (ms, signal) =>
      new Promise<void>((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason);
        const timer = setTimeout(resolve, ms / factor);
        signal?.addEventListener(
          'abort',
          () => {
            clearTimeout(timer);
            reject(signal.reason);
          },
          { once: true },
        );
      }),
  };
}
