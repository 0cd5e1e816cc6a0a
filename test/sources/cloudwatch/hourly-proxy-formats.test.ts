/**
 * fetchHourlyProxyAnswers (patterns over days) on Traefik JSON and Envoy log groups: each
 * group's hourly query is its format's per-minute selection with hourly stats, answered by the
 * command-by-command emulator; the proxy's 429s, 5xx and 504s per hour equal the lines counted
 * by hand with the files parser.
 */
import { describe, expect, it } from 'vitest';
import type { Clock } from '../../../src/core/clock.js';
import { parseProxyLine } from '../../../src/parsers/proxy-line.js';
import type { HourGrid } from '../../../src/patterns/hourly-series.js';
import { dailyIncidentSpec } from '../../../src/simulate/daily-incident.js';
import { type IncidentSpec, type StackSpec, simulateIncident } from '../../../src/simulate/simulate-incident.js';
import { fetchHourlyProxyAnswers } from '../../../src/sources/cloudwatch/hourly-proxy-answers.js';
import { QueryLimiter } from '../../../src/sources/cloudwatch/query-limiter.js';
import type { LogEvent } from '../../support/insights-emulator.js';
import { pipelineLogsInsightsApi } from '../../support/insights-pipeline-emulator.js';

const START = new Date('2026-06-15T00:00:00Z');
const INDEX = 'prod_000_audio';
const DAY = 24 * 60;
const GRID: HourGrid = { start: START, hours: 2 * 24 };

function spec(proxy: NonNullable<StackSpec['proxy']>): IncidentSpec {
  return {
    ...dailyIncidentSpec({ start: START, days: 2 }),
    events: [
      ...[0, 1].map((day) => ({
        kind: 'throttle' as const,
        index: INDEX,
        fromMinute: day * DAY + 190,
        toMinute: day * DAY + 199,
        peakPerMinute: 12,
      })),
      { kind: 'proxy_keepalive_502' as const, index: INDEX, perMinute: 0.2 },
      {
        kind: 'slow_origin' as const,
        index: INDEX,
        fromMinute: DAY + 900,
        toMinute: DAY + 959,
        fraction: 0.3,
        timeoutSeconds: 30,
      },
    ],
    stack: { proxy },
  };
}

const lines = {
  'traefik-json': simulateIncident(spec('traefik-json')).proxy,
  envoy: simulateIncident(spec('envoy')).proxy,
};
const events = (format: keyof typeof lines): LogEvent[] =>
  lines[format].map(({ timeMs, line }) => ({ timestampMs: timeMs, message: line }));

/** Per hour, both groups' lines of the index whose status passes `counts`; null where neither has one. */
function byHand(counts: (status: string) => boolean): Array<number | null> {
  const perHour: Array<number | null> = new Array(GRID.hours).fill(null);
  for (const { timeMs, line } of [...lines['traefik-json'], ...lines.envoy]) {
    const record = parseProxyLine(line);
    if ((record.kind !== 'traefik-json' && record.kind !== 'envoy') || !record.path?.includes(`/indexes/${INDEX}/`))
      continue;
    const hour = Math.floor((timeMs - START.getTime()) / 3_600_000);
    if (hour < 0 || hour >= GRID.hours) continue;
    perHour[hour] = (perHour[hour] ?? 0) + (counts(record.status) ? 1 : 0);
  }
  return perHour;
}

function instantClock(): Clock {
  let nowMs = Date.parse('2026-06-17T01:00:00Z');
  return {
    now: () => new Date(nowMs),
    sleep: async (ms: number) => {
      nowMs += ms;
    },
  };
}

function fetch(formats: Record<string, 'traefik-json' | 'envoy'> | undefined, linesPerGroup = Infinity) {
  const clock = instantClock();
  return fetchHourlyProxyAnswers(
    {
      grid: GRID,
      selector: { index: INDEX },
      logGroups: ['/prod/traefik', '/prod/envoy'],
      formats,
      deadlineMs: clock.now().getTime() + 60_000,
      timeoutSeconds: 60,
    },
    {
      api: pipelineLogsInsightsApi({
        '/prod/traefik': events('traefik-json').slice(0, linesPerGroup),
        '/prod/envoy': events('envoy').slice(0, linesPerGroup),
      }),
      clock,
      limiter: new QueryLimiter(4),
      random: () => 0.5,
    },
  );
}

describe('fetchHourlyProxyAnswers on Traefik JSON and Envoy log groups', () => {
  it("counts each group with its own format's query: the 429s, 5xx and 504s per hour the lines hold", async () => {
    const outcome = await fetch({ '/prod/traefik': 'traefik-json', '/prod/envoy': 'envoy' });

    const series = Object.fromEntries(outcome.series.map((s) => [s.signal, s]));
    expect(series.throttled_429).toMatchObject({
      status: 'ok',
      source: 'Logs Insights /prod/traefik (Traefik JSON), /prod/envoy (Envoy), hourly',
      counts: byHand((s) => s === '429'),
    });
    expect(series.origin_5xx!.counts).toEqual(byHand((s) => /^5\d\d$/.test(s)));
    expect(series.origin_504!.counts).toEqual(byHand((s) => s === '504'));
    // Not vacuous: the daily 429 burst, the keep-alive race's 5xx, the slow spell's 504s.
    expect([0, 1].every((day) => series.throttled_429!.counts![day * 24 + 3]! > 50)).toBe(true);
    expect(series.origin_504!.counts![24 + 15]).toBeGreaterThan(5);
    expect(outcome.sources.map((s) => s.name)).toEqual([
      'proxy logs by the hour via Logs Insights /prod/traefik (Traefik JSON)',
      'proxy logs by the hour via Logs Insights /prod/envoy (Envoy)',
    ]);
  });

  it('measures nothing, never 0, when a caller does not pass the formats: the HAProxy query finds no line of theirs', async () => {
    // A few hundred lines are enough: HAProxy's regex is slow to give up on a long JSON line.
    const outcome = await fetch(undefined, 300);

    expect(outcome.series.map((s) => [s.signal, s.status, s.counts, s.reason])).toEqual([
      ['throttled_429', 'unavailable', null, '48 of 48 hours not measured'],
      ['origin_5xx', 'unavailable', null, '48 of 48 hours not measured'],
      ['origin_504', 'unavailable', null, '48 of 48 hours not measured'],
    ]);
  });
});
