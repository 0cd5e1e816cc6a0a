/**
 * gatherPatterns end to end on the generated 14-day incident (seed 003's daily restart: the
 * index's targets go down at 19:38 UTC on 12 of 14 days), through the real SDK clients and the
 * local stand-ins — CloudWatch answers derived from the lines, Logs Insights answering the hourly
 * query over the proxy lines, Athena on DuckDB over the ALB files: which source is read for which
 * kind, the fallbacks, and the note in the asked zone.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTimeFormatter } from '../../src/grammar/time-formatter.js';
import { resolveZone } from '../../src/grammar/zones.js';
import { describePatterns } from '../../src/patterns/describe-patterns.js';
import { type GatherPatternsInput, gatherPatterns, type PatternSources } from '../../src/patterns/gather-patterns.js';
import { SharedQueries } from '../../src/sources/athena/shared-queries.js';
import { QueryLimiter } from '../../src/sources/cloudwatch/query-limiter.js';
import { ATHENA, athenaApiAt, removeAlbLogs, writeAlbLogs } from '../sources/athena/athena-harness.js';
import { cloudWatchFromLogs } from '../support/cloudwatch-from-logs.js';
import { type DuckAlbTable, loadDuckAlbTable } from '../support/duckdb-alb-table.js';
import { type FakeAthena, startFakeAthena } from '../support/fake-athena-server.js';
import { type FakeCloudWatch, startFakeCloudWatch } from '../support/fake-cloudwatch-server.js';
import { logsApiAt, metricsApiAt } from './support/clients.js';
import { fastClockFrom } from './support/clocks.js';
import {
  at19Utc,
  BURST_DAYS,
  countByHand,
  DAILY_INDEX,
  DAILY_NOW,
  DAILY_SPEC,
  DAILY_START,
  DAILY_TARGET_GROUP,
  dailyCommand,
  dailyLogs,
} from './support/daily-incident-fixture.js';
import { emulateHourlyProxyQuery } from './support/hourly-insights-emulator.js';

const AEST = createTimeFormatter(resolveZone('AEST'));
const CLOUDWATCH_ONLY: PatternSources = { cloudWatchMetrics: true, proxyLogGroups: [], athena: null };
const EVERYTHING: PatternSources = { cloudWatchMetrics: true, proxyLogGroups: ['/prod/haproxy'], athena: ATHENA };

let cloudWatch: FakeCloudWatch;
let root: string;
let table: DuckAlbTable;
let athena: FakeAthena;

beforeAll(async () => {
  const derived = cloudWatchFromLogs(DAILY_SPEC, dailyLogs());
  cloudWatch = await startFakeCloudWatch({
    queryLatencyMs: 0,
    metricsFor: derived.metricsFor,
    rowsFor: (query) =>
      query.logGroupNames.includes('/prod/haproxy')
        ? emulateHourlyProxyQuery(query.queryString, derived.proxyEvents, query.startTime, query.endTime)
        : [],
  });
  root = await writeAlbLogs(DAILY_SPEC);
  table = await loadDuckAlbTable([root]);
  athena = await startFakeAthena({ table });
}, 120_000);
afterAll(async () => {
  await cloudWatch?.close();
  await athena?.close();
  table?.close();
  removeAlbLogs(root);
});
afterEach(() => {
  cloudWatch.resetCounts();
  athena.forgetResults();
  athena.reset();
});

function gather(overrides: Partial<GatherPatternsInput> = {}) {
  return gatherPatterns(
    {
      command: dailyCommand(),
      verdictKind: 'target_unreachable',
      selector: { index: DAILY_INDEX, targetGroup: DAILY_TARGET_GROUP },
      sources: CLOUDWATCH_ONLY,
      loadBalancer: DAILY_SPEC.loadBalancer,
      queryTimeoutSeconds: 60,
      ...overrides,
    },
    {
      metrics: metricsApiAt(cloudWatch.endpoint),
      logs: logsApiAt(cloudWatch.endpoint),
      athena: athenaApiAt(athena.endpoint),
      clock: fastClockFrom(DAILY_NOW.toISOString()),
      limiter: new QueryLimiter(4),
      random: () => 0.5,
      shared: new SharedQueries(),
    },
  );
}

describe('gatherPatterns', () => {
  it("finds the daily restart from CloudWatch alone: 19:00 UTC on 12 of the 14 days, with the hour's real counts", async () => {
    const evidence = await gather();

    expect([evidence.window, evidence.requestedWindow]).toEqual([
      { start: DAILY_START, end: new Date('2026-06-19T00:00:00Z') },
      { start: DAILY_START, end: new Date('2026-06-19T00:00:00Z') },
    ]);
    expect(evidence.judged).toEqual({
      signal: 'elb_502',
      provider: 'cloudwatch',
      source: 'CloudWatch HTTPCode_ELB_502_Count (load balancer), hourly',
    });
    expect(
      evidence.patterns.map(({ kind, hourUtc, days, daysMeasured }) => ({ kind, hourUtc, days, daysMeasured })),
    ).toEqual([{ kind: 'target_unreachable', hourUtc: 19, days: BURST_DAYS, daysMeasured: 14 }]);
    const judged = evidence.series.find((s) => s.signal === 'elb_502')!;
    expect(at19Utc(judged.counts!, DAILY_START, BURST_DAYS)).toEqual(
      at19Utc(countByHand('elb_502', DAILY_START, 336), DAILY_START, BURST_DAYS),
    );
    expect(evidence.sources.map((s) => [s.name, s.status])).toEqual([
      ['ALB metrics by the hour via GetMetricData', 'complete'],
      ['ALB access logs by the hour via Athena', 'not_configured'],
    ]);
    expect(cloudWatch.calls()).toEqual({ GetMetricData: 1 });
  });

  it("says it in the asked zone, and why the index's own 502s were not read", async () => {
    const evidence = await gather();

    const lines = describePatterns(evidence, AEST);

    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe(
      'LB-minted 502s (whole load balancer) burst daily in the hour 05:00–05:59 AEST (19:00–19:59 UTC), on 12 of the 14 days measured ' +
        '(6 Jun, 7 Jun, 8 Jun, 9 Jun, 11 Jun, 12 Jun, 13 Jun, 14 Jun, 16 Jun, 17 Jun, 18 Jun, 19 Jun): something scheduled, such as a daily restart, a cron job or an autoscaling cycle.',
    );
    expect(lines[1]).toMatch(
      /^By the hour \(CloudWatch HTTPCode_ELB_502_Count \(load balancer\), hourly, 5 Jun–19 Jun\): that hour held \d+–\d+ on those days, against a median of \d an hour\.$/,
    );
    expect(lines[2]).toBe(
      "Read from LB-minted 502s (whole load balancer) because LB-minted 502s for prod_000_audio were not measured by the hour: no Athena: configure aws.athena to read the access logs (the index's own LB-minted errors) from S3.",
    );
  });

  it("reads the index's own LB-minted 502s from Athena when configured, and never asks CloudWatch", async () => {
    const evidence = await gather({ sources: EVERYTHING });

    expect(evidence.judged?.signal).toBe('elb_502_index');
    expect(evidence.patterns.map((p) => [p.hourUtc, p.days])).toEqual([[19, BURST_DAYS]]);
    expect(
      at19Utc(evidence.series.find((s) => s.signal === 'elb_502_index')!.counts!, DAILY_START, BURST_DAYS),
    ).toEqual(at19Utc(countByHand('elb_502_index', DAILY_START, 336), DAILY_START, BURST_DAYS));
    expect([athena.queries().length, cloudWatch.calls()]).toEqual([1, {}]);
  });

  it('falls back to CloudWatch when Athena refuses, and says so', async () => {
    athena.failNext('StartQueryExecution', 'AccessDeniedException');

    const evidence = await gather({ sources: EVERYTHING });

    expect([evidence.judged?.signal, evidence.patterns.map((p) => p.hourUtc)]).toEqual(['elb_502', [19]]);
    expect(describePatterns(evidence, AEST).at(-1)).toMatch(
      /^Read from LB-minted 502s \(whole load balancer\) because LB-minted 502s for prod_000_audio were not measured by the hour: Athena \(workgroup why502\): access denied/,
    );
    expect(evidence.sources.map((s) => [s.name, s.status])).toEqual([
      ['ALB access logs by the hour via Athena lb_logs.alb_access_logs', 'failed'],
      ['ALB metrics by the hour via GetMetricData', 'complete'],
    ]);
  });

  it("reads the proxy's 429s for throttling from Logs Insights only, and says nothing recurs where nothing did", async () => {
    const evidence = await gather({ verdictKind: 'throttling_429', sources: EVERYTHING });

    expect([evidence.judged?.signal, evidence.patterns, athena.queries().length, cloudWatch.calls()]).toEqual([
      'throttled_429',
      [],
      0,
      { StartQuery: 1, GetQueryResults: 1 },
    ]);
    expect(describePatterns(evidence, AEST)).toEqual([
      "No daily pattern: the proxy's 429s for prod_000_audio did not burst at the same hour on 3 or more of the 14 days measured (5 Jun–19 Jun, by the hour, Logs Insights /prod/haproxy, hourly).",
    ]);
  });

  it('reads the whole hours of the 14 days up to the question, and leaves the hours before the logs began unmeasured', async () => {
    // Asked at 12:00 UTC on the last day: the judged 3h window ends at 13:30, so the pattern
    // window is 4 Jun 13:30 – 18 Jun 13:30; its whole hours are 14:00 – 13:00, and 4 Jun has no logs.
    const evidence = await gather({ command: dailyCommand(['2026-06-18T12:00:00Z']) });

    expect(evidence.window).toEqual({ start: new Date('2026-06-04T14:00:00Z'), end: new Date('2026-06-18T13:00:00Z') });
    expect(evidence.patterns.map((p) => [p.hourUtc, p.days, p.daysMeasured])).toEqual([
      [
        19,
        [
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
        ],
        13,
      ],
    ]);
  });

  it('says the days were not measured, never "no pattern", when no source for the kind is configured', async () => {
    const evidence = await gather({
      verdictKind: 'origin_5xx',
      sources: { cloudWatchMetrics: false, proxyLogGroups: [], athena: null },
    });

    expect([evidence.judged, evidence.patterns, cloudWatch.totalCalls(), athena.queries().length]).toEqual([
      null,
      [],
      0,
      0,
    ]);
    expect(describePatterns(evidence, AEST)).toEqual([
      'Patterns over days were not measured, so whether the errors recur daily is unknown: ' +
        "the origin's 5xx for prod_000_audio: no proxy log groups: list aws.proxyLogGroups to read the proxy's answers from Logs Insights; " +
        'target 5xx for prod_000_audio: CloudWatch metrics are not read in this configuration (an aws: section with aws.loadBalancer reads them); ' +
        "target 5xx for prod_000_audio: no Athena: configure aws.athena to read the access logs (the index's own LB-minted errors) from S3.",
    ]);
  });

  it('refuses a command without a pattern window', async () => {
    await expect(gather({ command: dailyCommand(['2026-06-12T00:00:00Z'], '3h') })).rejects.toThrow(RangeError);
  });
});
