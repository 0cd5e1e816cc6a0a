import { describe, expect, it } from 'vitest';
import { InvestigationTimeoutError, runWithDeadline } from '../../src/slack/run-with-deadline.js';
import { fixedClock } from './support/report-fixture.js';

describe('runWithDeadline', () => {
  it('returns the work’s result when it finishes in time', async () => {
    await expect(runWithDeadline(async () => 'verdict', 1000, fixedClock)).resolves.toBe('verdict');
  });

  it('aborts the work and rejects with a timeout that says what to try when time runs out', async () => {
    let aborted: unknown;
    const clock = { now: fixedClock.now, sleep: () => Promise.resolve() };

    const run = runWithDeadline(
      (signal) =>
        new Promise((_resolve, reject) =>
          signal.addEventListener('abort', () => {
            aborted = signal.reason;
            reject(aborted);
          }),
        ),
      90_000,
      clock,
    );

    await expect(run).rejects.toBeInstanceOf(InvestigationTimeoutError);
    await expect(run).rejects.toMatchObject({
      message: 'The investigation did not finish within 90 s.',
      hint: 'Try a shorter window, e.g. `--window 1h`, or ask again in a minute.',
    });
    expect(aborted).toBeInstanceOf(InvestigationTimeoutError);
  });
});
