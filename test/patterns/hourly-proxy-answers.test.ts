/**
 * fetchHourlyProxyAnswers through the real @aws-sdk/client-cloudwatch-logs and the local Logs
 * Insights stand-in, answering the hourly query over generated proxy lines: the proxy's 429s,
 * 5xx and 504s per hour equal the lines counted by hand; hours without a line are not measured;
 * a failed log group is named.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseProxyLine } from '../../src/parsers/proxy-line.js';
import type { HourGrid } from '../../src/patterns/hourly-series.js';
import { dailyIncidentSpec } from '../../src/simulate/daily-incident.js';
import { type SimulatedLogs, simulateIncident } from '../../src/simulate/simulate-incident.js';
import { buildHourlyProxyQuery, fetchHourlyProxyAnswers } from '../../src/sources/cloudwatch/hourly-proxy-answers.js';
import { buildProxySignalsQuery } from '../../src/sources/cloudwatch/proxy-signals-query.js';
import { QueryLimiter } from '../../src/sources/cloudwatch/query-limiter.js';
import { instantClock } from '../sources/athena/athena-harness.js';
import { type FakeCloudWatch, type FakeQuery, startFakeCloudWatch } from '../support/fake-cloudwatch-server.js';
import { logsApiAt } from './support/clients.js';
import { emulateHourlyProxyQuery } from './support/hourly-insights-emulator.js';

const START = new Date('2026-06-15T00:00:00Z');
const INDEX = 'prod_000_audio';
const DAY = 24 * 60;
/** Four days: the rate limit bites at 03:10–03:19 UTC daily; the origin fails once; a slow spell of 504s. */
const SPEC = {
  ...dailyIncidentSpec({ start: START, days: 4 }),
  events: [
    ...[0, 1, 2, 3].map((day) => ({
      kind: 'throttle' as const,
      index: INDEX,
      fromMinute: day * DAY + 190,
      toMinute: day * DAY + 199,
      peakPerMinute: 12,
    })),
    { kind: 'origin_5xx' as const, index: INDEX, fromMinute: DAY + 600, toMinute: DAY + 604, perMinute: 3 },
    {
      kind: 'slow_origin' as const,
      index: INDEX,
      fromMinute: 2 * DAY + 900,
      toMinute: 2 * DAY + 959,
      fraction: 0.2,
      timeoutSeconds: 30,
    },
  ],
};
const GRID: HourGrid = { start: START, hours: 4 * 24 };
const PROXY_GROUP = '/prod/haproxy';

let logs: SimulatedLogs;
let fake: FakeCloudWatch;
let failGroup: string | null = null;

beforeAll(async () => {
  logs = simulateIncident(SPEC);
  const events = logs.proxy.map(({ timeMs, line }) => ({ timestampMs: timeMs, message: line }));
  fake = await startFakeCloudWatch({
    queryLatencyMs: 0,
    rowsFor: (query: FakeQuery) => {
      if (query.logGroupNames.includes(failGroup ?? '')) throw new Error('the stand-in failed this group');
      return query.logGroupNames.includes(PROXY_GROUP)
        ? emulateHourlyProxyQuery(query.queryString, events, query.startTime, query.endTime)
        : [];
    },
  });
}, 60_000);
afterAll(async () => {
  await fake?.close();
});
afterEach(() => {
  fake.resetCounts();
  failGroup = null;
});

function fetch(logGroups: string[], timeoutSeconds = 60) {
  const { clock } = instantClock('2026-06-19T01:00:00Z');
  return fetchHourlyProxyAnswers(
    {
      grid: GRID,
      selector: { index: INDEX },
      logGroups,
      deadlineMs: clock.now().getTime() + timeoutSeconds * 1000,
      timeoutSeconds,
    },
    { api: logsApiAt(fake.endpoint), clock, limiter: new QueryLimiter(4), random: () => 0.5 },
  );
}

/** Per hour, the index's proxy lines whose status passes `counts`, by their own time; null where the index has no line. */
function byHand(counts: (status: string) => boolean): Array<number | null> {
  const perHour: Array<number | null> = new Array(GRID.hours).fill(null);
  for (const { timeMs, line } of logs.proxy) {
    const record = parseProxyLine(line);
    if (record.kind !== 'haproxy-http' || !record.path?.includes(`/indexes/${INDEX}/`)) continue;
    const hour = Math.floor((timeMs - START.getTime()) / 3_600_000);
    if (hour < 0 || hour >= GRID.hours) continue;
    perHour[hour] = (perHour[hour] ?? 0) + (counts(record.status) ? 1 : 0);
  }
  return perHour;
}

describe('buildHourlyProxyQuery', () => {
  it("reuses the per-minute query's parse and index filter, with hourly stats", () => {
    const minute = buildProxySignalsQuery({ selector: { index: INDEX }, slowRequestSeconds: 2 }).split('\n');

    const hourly = buildHourlyProxyQuery({ index: INDEX }).split('\n');

    expect(hourly).toEqual([
      ...minute.slice(0, 4),
      '| stats count(*) as answers by bin(1h) as hour, status',
      '| limit 10000',
    ]);
  });
});

describe('fetchHourlyProxyAnswers', () => {
  it("counts the proxy's 429s, 5xx and 504s per hour exactly as the lines say, in one query over the four days", async () => {
    const outcome = await fetch([PROXY_GROUP]);

    const series = Object.fromEntries(outcome.series.map((s) => [s.signal, s]));
    expect(series.throttled_429).toEqual({
      signal: 'throttled_429',
      provider: 'logsInsights',
      scope: 'index',
      source: 'Logs Insights /prod/haproxy, hourly',
      status: 'ok',
      counts: byHand((s) => s === '429'),
    });
    expect(series.origin_5xx!.counts).toEqual(byHand((s) => /^5\d\d$/.test(s)));
    expect(series.origin_504!.counts).toEqual(byHand((s) => s === '504'));
    // The generated events are there: 429s in every 03:00 hour, 504s in the 15:00 hour of the third day.
    expect([0, 1, 2, 3].every((day) => series.throttled_429!.counts![day * 24 + 3]! > 50)).toBe(true);
    expect(series.origin_504!.counts![2 * 24 + 15]).toBeGreaterThan(5);
    expect(fake.queries()).toEqual([
      {
        logGroupNames: [PROXY_GROUP],
        startTime: START.getTime() / 1000,
        endTime: START.getTime() / 1000 + 4 * 86_400 - 1,
        queryString: buildHourlyProxyQuery({ index: INDEX }),
      },
    ]);
    expect(outcome.sources).toEqual([
      {
        name: 'proxy logs by the hour via Logs Insights /prod/haproxy',
        status: 'complete',
        detail: expect.stringMatching(/^complete, 1\.0 MB scanned \([\d,]+ records, 1 query\)$/),
      },
    ]);
    expect([outcome.apiCalls, outcome.bytesScanned]).toEqual([2, 1_000_000]);
  });

  it('leaves hours without a proxy line unmeasured (null), never 0: a group that holds none of them is unavailable', async () => {
    const outcome = await fetch(['/prod/other']);

    expect(outcome.series.map((s) => [s.signal, s.status, s.counts])).toEqual([
      ['throttled_429', 'unavailable', null],
      ['origin_5xx', 'unavailable', null],
      ['origin_504', 'unavailable', null],
    ]);
    expect(outcome.series[0]!.reason).toBe('96 of 96 hours not measured');
  });

  it('counts the groups that answered and names the one that failed, as partial', async () => {
    failGroup = '/prod/haproxy-b';

    const outcome = await fetch([PROXY_GROUP, '/prod/haproxy-b']);

    const [throttled] = outcome.series;
    expect([throttled!.status, throttled!.counts]).toEqual(['partial', byHand((s) => s === '429')]);
    expect(throttled!.reason).toMatch(
      /^missing \/prod\/haproxy-b: Logs Insights on \/prod\/haproxy-b: InternalFailure: /,
    );
    expect(outcome.sources.map((s) => [s.name, s.status])).toEqual([
      ['proxy logs by the hour via Logs Insights /prod/haproxy', 'complete'],
      ['proxy logs by the hour via Logs Insights /prod/haproxy-b', 'failed'],
    ]);
  });

  it('is unavailable with the reason when the only query outlives the deadline, and stops it', async () => {
    const slow = await startFakeCloudWatch({ queryLatencyMs: 60_000, rowsFor: () => [] });
    try {
      const { clock } = instantClock('2026-06-19T01:00:00Z');
      const outcome = await fetchHourlyProxyAnswers(
        {
          grid: GRID,
          selector: { index: INDEX },
          logGroups: [PROXY_GROUP],
          deadlineMs: clock.now().getTime() + 10_000,
          timeoutSeconds: 10,
        },
        { api: logsApiAt(slow.endpoint), clock, limiter: new QueryLimiter(4), random: () => 0.5 },
      );

      expect(outcome.series[0]).toMatchObject({
        status: 'unavailable',
        counts: null,
        reason:
          'Logs Insights query on /prod/haproxy still running at the 10 s deadline (aws.queryTimeoutSeconds); stopped',
      });
      expect(slow.calls().StopQuery).toBe(1);
    } finally {
      await slow.close();
    }
  });
});
