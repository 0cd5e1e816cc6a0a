/** Time as an input: pure code never reads the machine's clock, edges inject this. */
export interface Clock {
  now(): Date;
  /** Resolves after `ms`; rejects with the signal's reason when aborted. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => new Date(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal!.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

/**
 * A clock that reads `pinned` at the moment it is made and then moves with real time: "now"
 * is pinned for reproducible answers (--now), while deadlines and backoff still run out.
 */
export function clockFrom(pinned: Date, real: Clock = systemClock): Clock {
  const offsetMs = pinned.getTime() - real.now().getTime();
  return { now: () => new Date(real.now().getTime() + offsetMs), sleep: real.sleep };
}
