import { describe, expect, it } from 'vitest';
import { processQueryLimiter, QueryLimiter } from '../../../src/sources/cloudwatch/query-limiter.js';

/** A task that finishes when told to. */
function controllable<T>(value: T) {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  let started = false;
  return {
    task: async () => {
      started = true;
      await done;
      return value;
    },
    finish: () => finish(),
    started: () => started,
  };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('QueryLimiter', () => {
  it('runs at most `maxConcurrent` tasks at once and starts the next when one ends', async () => {
    const limiter = new QueryLimiter(2);
    const tasks = [controllable('a'), controllable('b'), controllable('c')];

    const results = tasks.map((t) => limiter.run(t.task));
    await tick();
    expect(tasks.map((t) => t.started())).toEqual([true, true, false]);
    expect(limiter.active).toBe(2);

    tasks[0]!.finish();
    await tick();
    expect(tasks[2]!.started()).toBe(true);

    tasks[1]!.finish();
    tasks[2]!.finish();
    expect(await Promise.all(results)).toEqual(['a', 'b', 'c']);
    expect(limiter.active).toBe(0);
    expect(limiter.peakActive).toBe(2);
  });

  it('releases the slot when a task fails', async () => {
    const limiter = new QueryLimiter(1);

    await expect(limiter.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');

    expect(await limiter.run(async () => 'next')).toBe('next');
    expect(limiter.active).toBe(0);
  });

  it('shares one running task between callers with the same key, and forgets it once settled', async () => {
    const limiter = new QueryLimiter(10);
    let runs = 0;
    const task = async () => ++runs;

    const [first, second] = await Promise.all([limiter.share('k', task), limiter.share('k', task)]);
    const third = await limiter.share('k', task);

    expect([first, second, third]).toEqual([1, 1, 2]);
  });

  it('refuses a cap below 1', () => {
    expect(() => new QueryLimiter(0)).toThrow(RangeError);
  });

  it('is one limiter per process, whose cap follows the config', () => {
    const limiter = processQueryLimiter(10);

    expect(processQueryLimiter(4)).toBe(limiter);
    expect(limiter.cap).toBe(4);
  });
});
