import { describe, expect, it } from 'vitest';
import { SharedQueries } from '../../../src/sources/athena/shared-queries.js';

/** A task that resolves when told to, and records whether it was asked to stop. */
function deferredTask() {
  let resolve!: (value: string) => void;
  let stoppedWith: unknown = null;
  let runs = 0;
  const task = (signal: AbortSignal) => {
    runs++;
    return new Promise<string>((res, reject) => {
      resolve = res;
      signal.addEventListener('abort', () => {
        stoppedWith = signal.reason;
        reject(signal.reason);
      });
    });
  };
  return { task, finish: (value: string) => resolve(value), stoppedWith: () => stoppedWith, runs: () => runs };
}

describe('SharedQueries', () => {
  it('runs one task for the same key while it is in flight, and a new one after', async () => {
    const shared = new SharedQueries();
    const work = deferredTask();

    const a = shared.run('q', work.task);
    const b = shared.run('q', work.task);
    work.finish('rows');

    expect(await Promise.all([a, b])).toEqual(['rows', 'rows']);
    expect(work.runs()).toBe(1);
    expect(shared.size).toBe(0);
  });

  it('lets one caller cancel without stopping the query another caller still waits for', async () => {
    const shared = new SharedQueries();
    const work = deferredTask();
    const leaving = new AbortController();

    const a = shared.run('q', work.task, leaving.signal);
    const b = shared.run('q', work.task);
    leaving.abort(new Error('gone'));
    work.finish('rows');

    await expect(a).rejects.toThrow('gone');
    await expect(b).resolves.toBe('rows');
    expect(work.stoppedWith()).toBeNull();
  });

  it('stops the query when every caller waiting for it has cancelled', async () => {
    const shared = new SharedQueries();
    const work = deferredTask();
    const first = new AbortController();
    const second = new AbortController();

    const a = shared.run('q', work.task, first.signal);
    const b = shared.run('q', work.task, second.signal);
    first.abort(new Error('first gone'));
    second.abort(new Error('second gone'));

    await expect(a).rejects.toThrow('first gone');
    await expect(b).rejects.toThrow('second gone');
    expect(work.stoppedWith()).toEqual(new Error('second gone'));
  });
});
