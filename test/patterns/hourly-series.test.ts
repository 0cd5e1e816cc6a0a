/** hourGridFor and measuredHourly, pure: which whole hours a pattern window reads, and honest statuses. */
import { describe, expect, it } from 'vitest';
import { hourGridFor, measuredHourly } from '../../src/patterns/hourly-series.js';

describe('hourGridFor', () => {
  it('reads the whole hours inside the window, a part hour at either end left out', () => {
    const grid = hourGridFor(
      { start: new Date('2026-06-11T19:41:00Z'), end: new Date('2026-06-18T19:42:00Z') },
      new Date('2026-06-19T00:00:00Z'),
    );

    expect(grid).toEqual({ start: new Date('2026-06-11T20:00:00Z'), hours: 7 * 24 - 1 });
  });

  it('leaves out the hours that ended less than 15 minutes before now (their logs are still arriving)', () => {
    const window = { start: new Date('2026-06-12T00:00:00Z'), end: new Date('2026-06-19T00:00:00Z') };

    const settled = hourGridFor(window, new Date('2026-06-19T00:15:00Z'));
    const arriving = hourGridFor(window, new Date('2026-06-19T00:14:59Z'));

    expect([settled.hours, arriving.hours]).toEqual([168, 167]);
  });

  it('is empty, not negative, when no whole hour has settled', () => {
    expect(
      hourGridFor(
        { start: new Date('2026-06-18T23:10:00Z'), end: new Date('2026-06-19T00:00:00Z') },
        new Date('2026-06-19T00:00:00Z'),
      ).hours,
    ).toBe(0);
  });
});

describe('measuredHourly', () => {
  it('is partial when hours were not measured, unavailable when none were, and never turns a null into 0', () => {
    const some = measuredHourly('elb_502', 'cloudwatch', 'loadBalancer', 'CloudWatch', [3, null, 0]);
    const none = measuredHourly('elb_502', 'cloudwatch', 'loadBalancer', 'CloudWatch', [null, null]);

    expect([some.status, some.reason, some.counts, none.status, none.counts]).toEqual([
      'partial',
      '1 of 3 hours not measured',
      [3, null, 0],
      'unavailable',
      null,
    ]);
  });
});
