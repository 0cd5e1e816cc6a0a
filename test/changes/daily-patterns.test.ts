/**
 * Patterns over days (issue 13 item 3): bursts of one kind that recur at the same hour on
 * several days — a daily restart, a cron, an autoscaling cycle — named with the hour and the days.
 */
import { describe, expect, it } from 'vitest';
import type { ChangeEvent } from '../../src/changes/change-event.js';
import { findDailyChangePatterns, findDailyPatterns } from '../../src/changes/daily-patterns.js';
import { changeIncident } from '../../src/simulate/change-incidents.js';
import { noisyCount, seededRandom } from '../../src/simulate/random.js';
import { INDEX, START, TENANTS } from '../support/scenarios.js';

const dailyRestart = () =>
  changeIncident('daily_restart', { index: INDEX, targetGroup: TENANTS[0]!.targetGroup, start: START });

describe('findDailyPatterns', () => {
  it('notes bursts at 19:00 UTC on 12 of 14 days of a forced daily restart, with the days', () => {
    const { hourlyErrors } = dailyRestart();

    const patterns = findDailyPatterns({
      kind: 'target_unreachable',
      counts: hourlyErrors!.counts,
      start: hourlyErrors!.start,
      bucketMinutes: 60,
    });

    expect(patterns).toEqual([
      {
        kind: 'target_unreachable',
        hourUtc: 19,
        days: [
          '2026-06-05',
          '2026-06-06',
          '2026-06-07',
          '2026-06-08',
          '2026-06-10',
          '2026-06-11',
          '2026-06-12',
          '2026-06-13',
          '2026-06-15',
          '2026-06-16',
          '2026-06-17',
          '2026-06-18',
        ],
        daysMeasured: 14,
        what: 'Bursts of LB-minted 502s (targets unreachable) recur daily around 19:00–19:59 UTC: on 12 of the 14 days measured (2026-06-05, 2026-06-06, 2026-06-07, 2026-06-08, 2026-06-10, 2026-06-11, 2026-06-12, 2026-06-13, 2026-06-15, 2026-06-16, 2026-06-17, 2026-06-18) — something scheduled, such as a daily restart, a cron job or an autoscaling cycle.',
        evidence: expect.stringMatching(
          /^Errors per hour from 2026-06-05: the 19:00 UTC hour held \d+–\d+ on those days, against a median of 3 per hour\.$/,
        ),
      },
    ]);
  });

  it('gives the minutes within the hour from per-minute counts', () => {
    const random = seededRandom(9);
    const start = new Date('2026-06-15T00:00:00Z');
    const counts = Array.from({ length: 4 * 1440 }, (_, i) => {
      const minuteOfDay = i % 1440;
      return minuteOfDay >= 3 * 60 + 2 && minuteOfDay <= 3 * 60 + 4
        ? 40 + noisyCount(5, random)
        : noisyCount(0.05, random);
    });

    const [pattern] = findDailyPatterns({ kind: 'keepalive_race', counts, start, bucketMinutes: 1 });

    expect(pattern).toMatchObject({
      hourUtc: 3,
      peakMinutes: [2, 4],
      days: ['2026-06-15', '2026-06-16', '2026-06-17', '2026-06-18'],
    });
    expect(pattern!.what).toMatch(
      /^LB-minted 502 bursts recur daily around 03:02–03:04 UTC: on 4 of the 4 days measured/,
    );
  });

  it('finds nothing in noise, in a single burst, or in bursts on two days only', () => {
    const random = seededRandom(4);
    const start = new Date('2026-06-05T00:00:00Z');
    const noise = Array.from({ length: 14 * 24 }, () => noisyCount(6, random));
    const once = noise.map((n, i) => (i === 5 * 24 + 19 ? 400 : n));
    const twice = once.map((n, i) => (i === 9 * 24 + 19 ? 400 : n));

    for (const counts of [noise, once, twice])
      expect(findDailyPatterns({ kind: 'origin_5xx', counts, start, bucketMinutes: 60 })).toEqual([]);
  });

  it('does not count hours that were not measured, and needs bursts on half the days that were', () => {
    const start = new Date('2026-06-05T00:00:00Z');
    const counts: Array<number | null> = Array.from({ length: 14 * 24 }, (_, i) => (i % 24 === 4 ? 300 : 2));
    // The 04:00 hour was not measured on 10 of the 14 days: 4 bursts in 4 measured days still recur.
    for (let day = 0; day < 10; day++) counts[day * 24 + 4] = null;

    const [pattern] = findDailyPatterns({ kind: 'origin_5xx', counts, start, bucketMinutes: 60 });

    expect(pattern).toMatchObject({
      hourUtc: 4,
      daysMeasured: 4,
      days: ['2026-06-15', '2026-06-16', '2026-06-17', '2026-06-18'],
    });
  });

  it('refuses buckets that do not divide an hour', () => {
    expect(() => findDailyPatterns({ kind: 'origin_5xx', counts: [], start: new Date(0), bucketMinutes: 7 })).toThrow(
      RangeError,
    );
  });
});

describe('findDailyChangePatterns', () => {
  it('notes a workload restarted at the same hour on several days', () => {
    const restart = (day: string, time: string): ChangeEvent => ({
      at: new Date(`2026-06-${day}T${time}Z`),
      kind: 'container_restart',
      object: 'websocktunnel',
      objectKind: 'pod',
      count: 1,
      source: 'CloudTrail',
      evidence: 'restart',
    });

    const patterns = findDailyChangePatterns([
      restart('15', '19:38:05'),
      restart('16', '19:38:11'),
      restart('17', '19:39:02'),
      restart('17', '07:12:00'),
    ]);

    expect(patterns).toEqual([
      {
        kind: 'container_restart',
        object: 'websocktunnel',
        hourUtc: 19,
        days: ['2026-06-15', '2026-06-16', '2026-06-17'],
        what: 'websocktunnel: restarted daily around 19:38–19:39 UTC, on 3 days (2026-06-15, 2026-06-16, 2026-06-17).',
        evidence: 'CloudTrail: restart (and 2 more at the same hour)',
      },
    ]);
  });
});
