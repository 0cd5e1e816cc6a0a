/**
 * A clock whose sleeps take no real time: each sleep moves "now" forward by its length, on the
 * next turn of the event loop (so work that is already done — a fake investigation — wins a
 * race against its deadline, as it would in real time). An aborted sleep moves nothing.
 */
import type { Clock } from '../../../src/core/clock.js';

export interface VirtualClock extends Clock {
  /** Milliseconds of virtual time slept so far. */
  readonly elapsedMs: number;
  /** Each completed sleep, in ms, in order. */
  readonly sleeps: number[];
}

export function createVirtualClock(start: Date): VirtualClock {
  let nowMs = start.getTime();
  const sleeps: number[] = [];
  return {
    now: () => new Date(nowMs),
    sleep: (ms, signal) =>
      new Promise<void>((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason);
        const onAbort = () => {
          clearImmediate(timer);
          reject(signal!.reason);
        };
        const timer = setImmediate(() => {
          signal?.removeEventListener('abort', onAbort);
          nowMs += ms;
          sleeps.push(ms);
          resolve();
        });
        signal?.addEventListener('abort', onAbort, { once: true });
      }),
    get elapsedMs() {
      return nowMs - start.getTime();
    },
    sleeps,
  };
}
