import { describe, expect, it } from 'vitest';
import {
  callWithRetries,
  DEFAULT_POLL_POLICY,
  newRetryLog,
  nextPollWaitMs,
  type PollCalls,
  PollTimeoutError,
  pollUntilDone,
} from '../../../src/sources/poll-until-done.js';
import { instantClock } from './athena-harness.js';

const DEADLINE_IN_MS = 60_000;

/** Work that is done after `pollsToDone` polls; records every call. */
function scriptedWork(pollsToDone: number, failures: { start?: unknown[]; poll?: unknown[] } = {}) {
  const log: string[] = [];
  const startFailures = [...(failures.start ?? [])];
  const pollFailures = [...(failures.poll ?? [])];
  let polls = 0;
  const calls: PollCalls<string, string> = {
    start: async () => {
      log.push('start');
      const failure = startFailures.shift();
      if (failure) throw failure;
      return 'q-1';
    },
    poll: async (id) => {
      log.push(`poll ${id}`);
      const failure = pollFailures.shift();
      if (failure) throw failure;
      polls++;
      return polls >= pollsToDone ? { done: true, result: 'rows' } : { done: false };
    },
    stop: async (id) => {
      log.push(`stop ${id}`);
    },
  };
  return { calls, log };
}

const awsError = (name: string, httpStatusCode: number) =>
  Object.assign(new Error(`${name} happened`), { name, $metadata: { httpStatusCode } });

describe('pollUntilDone', () => {
  it('polls with doubling waits, capped, until the work is done, and stops nothing', async () => {
    // Prepare
    const { clock, sleeps } = instantClock();
    const { calls, log } = scriptedWork(30);

    // Act
    const done = await pollUntilDone(calls, {
      deadlineMs: clock.now().getTime() + DEADLINE_IN_MS,
      clock,
      random: () => 0.5,
    });

    // Assess
    expect(done).toEqual({ id: 'q-1', result: 'rows', polls: 30 });
    // 250 ms while 15 % of the time waited is less; then 15 % of it; never more than 2 s.
    expect(sleeps).toEqual([
      250, 250, 250, 250, 250, 250, 250, 262, 301, 346, 398, 458, 527, 606, 697, 801, 921, 1060, 1219, 1401, 1612, 1853,
      2000, 2000, 2000, 2000, 2000, 2000, 2000, 2000,
    ]);
    expect(log).toEqual(['start', ...Array(30).fill('poll q-1')]);
  });

  it('stops the work and throws a PollTimeoutError when the deadline passes', async () => {
    const { clock, sleeps } = instantClock();
    const { calls, log } = scriptedWork(Number.POSITIVE_INFINITY);

    const error = await pollUntilDone(calls, {
      deadlineMs: clock.now().getTime() + 10_000,
      clock,
      random: () => 0.5,
    }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(PollTimeoutError);
    expect(error).toMatchObject({ phase: 'wait', stopped: true });
    expect(log.at(-1)).toBe('stop q-1');
    expect(sleeps.reduce((a, b) => a + b, 0)).toBe(10_000);
  });

  it('retries throttling with jittered backoff, counts it, and carries on', async () => {
    const { clock, sleeps } = instantClock();
    const retryLog = newRetryLog();
    const { calls } = scriptedWork(1, {
      start: [awsError('TooManyRequestsException', 400), awsError('ThrottlingException', 400)],
      poll: [awsError('InternalServerException', 500)],
    });

    const done = await pollUntilDone(calls, {
      deadlineMs: clock.now().getTime() + DEADLINE_IN_MS,
      clock,
      random: () => 0,
      retryLog,
    });

    expect(done.result).toBe('rows');
    expect(retryLog).toEqual({
      count: 3,
      byCode: { TooManyRequestsException: 1, ThrottlingException: 1, InternalServerException: 1 },
    });
    // Equal jitter with random() = 0: half of 500, half of 1,000, then the poll's own wait and half of 500.
    expect(sleeps).toEqual([250, 500, 225, 250]);
  });

  it('gives up at the deadline while throttled, naming what it kept retrying', async () => {
    const { clock } = instantClock();
    const throttled = Array.from({ length: 50 }, () => awsError('TooManyRequestsException', 400));
    const { calls, log } = scriptedWork(1, { start: throttled });

    const error = await pollUntilDone(calls, {
      deadlineMs: clock.now().getTime() + 20_000,
      clock,
      random: () => 0.5,
    }).catch((e: unknown) => e);

    expect(error).toMatchObject({
      name: 'PollTimeoutError',
      phase: 'start',
      stopped: false,
      retryingCode: 'TooManyRequestsException',
    });
    expect(log.every((entry) => entry === 'start')).toBe(true);
  });

  it('throws an error that is not worth retrying at once, after stopping the work it started', async () => {
    const { clock } = instantClock();
    const denied = awsError('AccessDeniedException', 400);
    const { calls, log } = scriptedWork(3, { poll: [denied] });

    const error = await pollUntilDone(calls, {
      deadlineMs: clock.now().getTime() + DEADLINE_IN_MS,
      clock,
      random: () => 0.5,
    }).catch((e: unknown) => e);

    expect(error).toBe(denied);
    expect(log).toEqual(['start', 'poll q-1', 'stop q-1']);
  });

  it('stops the work and rethrows the reason when the caller cancels', async () => {
    const { clock } = instantClock();
    const { calls, log } = scriptedWork(Number.POSITIVE_INFINITY);
    const controller = new AbortController();
    const cancelling = {
      ...calls,
      poll: async (id: string, call: { abortSignal: AbortSignal }) => {
        const state = await calls.poll(id, call);
        if (log.length === 3) controller.abort(new Error('the user gave up'));
        return state;
      },
    };

    const error = await pollUntilDone(cancelling, {
      deadlineMs: clock.now().getTime() + DEADLINE_IN_MS,
      clock,
      signal: controller.signal,
      random: () => 0.5,
    }).catch((e: unknown) => e);

    expect(error).toEqual(new Error('the user gave up'));
    expect(log).toEqual(['start', 'poll q-1', 'poll q-1', 'stop q-1']);
  });
});

describe('callWithRetries', () => {
  it('retries a throttled call until it answers, under the same deadline', async () => {
    const { clock } = instantClock();
    const answers = [awsError('ThrottlingException', 400), awsError('ThrottlingException', 400), 'page'];
    const retryLog = newRetryLog();

    const page = await callWithRetries(
      async () => {
        const next = answers.shift();
        if (next instanceof Error) throw next;
        return next;
      },
      { deadlineMs: clock.now().getTime() + DEADLINE_IN_MS, clock, random: () => 0.5, retryLog },
    );

    expect(page).toBe('page');
    expect(retryLog).toEqual({ count: 2, byCode: { ThrottlingException: 2 } });
  });
});

describe('nextPollWaitMs', () => {
  it('doubles, but never past 15 % of the time waited nor past the cap', () => {
    expect(nextPollWaitMs(250, 1_000, DEFAULT_POLL_POLICY)).toBe(250);
    expect(nextPollWaitMs(250, 4_000, DEFAULT_POLL_POLICY)).toBe(500);
    expect(nextPollWaitMs(1_600, 60_000, DEFAULT_POLL_POLICY)).toBe(2_000);
  });
});
