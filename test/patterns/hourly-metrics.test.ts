/**
 * fetchHourlyMetrics through the real @aws-sdk/client-cloudwatch and the local CloudWatch
 * stand-in, whose answers are derived from the generated 14-day incident's own ALB lines
 * (cloudwatch-from-logs.ts): pages, throttling, PartialData, refusals, and hours that were not
 * measured — never a 0 for those.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { HourGrid } from '../../src/patterns/hourly-series.js';
import { fetchHourlyMetrics, type HourlyMetricsRequest } from '../../src/sources/cloudwatch/hourly-metrics.js';
import { instantClock } from '../sources/athena/athena-harness.js';
import { cloudWatchFromLogs } from '../support/cloudwatch-from-logs.js';
import {
  type FakeCloudWatch,
  type FakeMetricQuery,
  type FakeMetricResult,
  startFakeCloudWatch,
} from '../support/fake-cloudwatch-server.js';
import { metricsApiAt } from './support/clients.js';
import {
  countByHand,
  DAILY_INDEX,
  DAILY_SPEC,
  DAILY_START,
  DAILY_TARGET_GROUP,
  dailyLogs,
} from './support/daily-incident-fixture.js';

const GRID: HourGrid = { start: DAILY_START, hours: 336 };
const NOW_ISO = '2026-06-19T01:00:00Z';

type MetricsFor = (queries: FakeMetricQuery[], range: { startTime: number; endTime: number }) => FakeMetricResult[];
let derived: MetricsFor;
/** What the stand-in answers; each test may bend the derived answer. */
let answer: MetricsFor;
const asked: Array<{ queries: FakeMetricQuery[]; range: { startTime: number; endTime: number } }> = [];
let fake: FakeCloudWatch;
let pagedFake: FakeCloudWatch;

beforeAll(async () => {
  derived = cloudWatchFromLogs(DAILY_SPEC, dailyLogs()).metricsFor;
  const metricsFor: MetricsFor = (queries, range) => {
    asked.push({ queries, range });
    return answer(queries, range);
  };
  fake = await startFakeCloudWatch({ queryLatencyMs: 0, metricsFor });
  pagedFake = await startFakeCloudWatch({ queryLatencyMs: 0, metricsFor, metricsPageDatapoints: 300 });
}, 60_000);
afterAll(async () => {
  await fake?.close();
  await pagedFake?.close();
});
afterEach(() => {
  fake.resetCounts();
  pagedFake.resetCounts();
  asked.length = 0;
});

function request(overrides: Partial<HourlyMetricsRequest> = {}): HourlyMetricsRequest {
  const { clock } = instantClock(NOW_ISO);
  return {
    grid: GRID,
    index: DAILY_INDEX,
    loadBalancer: DAILY_SPEC.loadBalancer,
    targetGroup: DAILY_TARGET_GROUP,
    deadlineMs: clock.now().getTime() + 60_000,
    timeoutSeconds: 60,
    ...overrides,
  };
}

function fetchFrom(
  server: FakeCloudWatch,
  overrides: Partial<HourlyMetricsRequest> = {},
  respond: MetricsFor = derived,
) {
  answer = respond;
  const { clock } = instantClock(NOW_ISO);
  return fetchHourlyMetrics(request(overrides), { api: metricsApiAt(server.endpoint), clock, random: () => 0.5 });
}

const seriesOf = (outcome: Awaited<ReturnType<typeof fetchHourlyMetrics>>, signal: string) =>
  outcome.series.find((s) => s.signal === signal)!;
const zeros = new Array<number>(336).fill(0);

describe('fetchHourlyMetrics', () => {
  it('reads 14 days in ONE call at 3600 s periods, each hourly count equal to the lines counted by hand', async () => {
    const outcome = await fetchFrom(fake);

    expect(asked).toHaveLength(1);
    expect(asked[0]!.range).toEqual({
      startTime: Date.parse('2026-06-05T00:00:00Z') / 1000,
      endTime: Date.parse('2026-06-19T00:00:00Z') / 1000,
    });
    expect(
      asked[0]!.queries.map((q) => [q.Id, q.MetricStat?.Metric?.MetricName, q.MetricStat?.Stat, q.MetricStat?.Period]),
    ).toEqual([
      ['tg_requests', 'RequestCount', 'Sum', 3600],
      ['tg_target_5xx', 'HTTPCode_Target_5XX_Count', 'Sum', 3600],
      ['tg_target_4xx', 'HTTPCode_Target_4XX_Count', 'Sum', 3600],
      ['tg_unhealthy_hosts', 'UnHealthyHostCount', 'Maximum', 3600],
      ['lb_requests', 'RequestCount', 'Sum', 3600],
      ['lb_elb_502', 'HTTPCode_ELB_502_Count', 'Sum', 3600],
      ['lb_elb_503', 'HTTPCode_ELB_503_Count', 'Sum', 3600],
      ['lb_elb_504', 'HTTPCode_ELB_504_Count', 'Sum', 3600],
    ]);
    expect(seriesOf(outcome, 'elb_502')).toEqual({
      signal: 'elb_502',
      provider: 'cloudwatch',
      scope: 'loadBalancer',
      source: 'CloudWatch HTTPCode_ELB_502_Count (load balancer), hourly',
      status: 'ok',
      counts: countByHand('elb_502', DAILY_START, 336),
    });
    expect([
      seriesOf(outcome, 'elb_503').counts,
      seriesOf(outcome, 'target_5xx').counts,
      seriesOf(outcome, 'unhealthy_hosts').counts,
    ]).toEqual([zeros, zeros, zeros]);
    // Datapoints only where non-zero (counts) or sampled (the gauge): both RequestCounts and the gauge every hour, 502s in some.
    const hoursWith502 = countByHand('elb_502', DAILY_START, 336).filter((n) => n > 0).length;
    expect([outcome.apiCalls, outcome.datapoints, fake.metricsDatapoints()]).toEqual([
      1,
      3 * 336 + hoursWith502,
      3 * 336 + hoursWith502,
    ]);
    expect(outcome.source).toEqual({
      name: 'ALB metrics by the hour via GetMetricData',
      status: 'complete',
      detail: `complete, 3600 s periods, 1 page, ${outcome.datapoints.toLocaleString('en-US')} datapoints`,
    });
  });

  it('follows NextToken across pages and reads them as one answer, PartialData of the earlier pages included', async () => {
    const whole = await fetchFrom(fake);

    const paged = await fetchFrom(pagedFake);

    const pages = Math.ceil(whole.datapoints / 300);
    expect(pages).toBeGreaterThan(3);
    expect([paged.series, paged.apiCalls, paged.source.status]).toEqual([whole.series, pages, 'complete']);
    expect(pagedFake.calls()).toEqual({ GetMetricData: pages });
  });

  it('marks a series partial when CloudWatch still says PartialData after the last page', async () => {
    const outcome = await fetchFrom(fake, {}, (queries, range) =>
      derived(queries, range).map((r) => (r.Id === 'lb_elb_502' ? { ...r, StatusCode: 'PartialData' } : r)),
    );

    expect([
      seriesOf(outcome, 'elb_502').status,
      seriesOf(outcome, 'elb_502').reason,
      seriesOf(outcome, 'elb_502').counts,
    ]).toEqual([
      'partial',
      'CloudWatch returned partial data for HTTPCode_ELB_502_Count',
      countByHand('elb_502', DAILY_START, 336),
    ]);
    expect(outcome.source.status).toBe('partial');
  });

  it('retries throttling with backoff and says so', async () => {
    fake.failNextMetrics('Throttling', 2);

    const outcome = await fetchFrom(fake);

    expect([outcome.source.status, outcome.apiCalls, seriesOf(outcome, 'elb_502').counts]).toEqual([
      'complete',
      3,
      countByHand('elb_502', DAILY_START, 336),
    ]);
    expect(outcome.source.detail).toContain(
      'throttled or briefly failed 2 times (Throttling ×2), retried with backoff',
    );
  });

  it('gives up at the deadline when CloudWatch keeps throttling, every series unavailable', async () => {
    fake.failNextMetrics('Throttling', 1000);

    const outcome = await fetchFrom(fake);

    const reason =
      'GetMetricData did not answer within 60 s, CloudWatch still answering Throttling (aws.queryTimeoutSeconds)';
    expect(outcome.series.map((s) => [s.signal, s.status, s.reason, s.counts])).toEqual(
      ['target_5xx', 'target_4xx', 'unhealthy_hosts', 'elb_502', 'elb_503', 'elb_504'].map((signal) => [
        signal,
        'unavailable',
        reason,
        null,
      ]),
    );
    expect(outcome.source).toEqual({
      name: 'ALB metrics by the hour via GetMetricData',
      status: 'failed',
      detail: reason,
    });
  });

  it('names the permission when the call is refused', async () => {
    fake.failNextMetrics('AccessDenied');

    const outcome = await fetchFrom(fake);

    expect([seriesOf(outcome, 'elb_502').reason, outcome.source.status]).toEqual([
      'GetMetricData: access denied (AccessDenied); the credentials need cloudwatch:GetMetricData',
      'failed',
    ]);
  });

  it('leaves an hour with no datapoint of the dimension unmeasured (null), never 0', async () => {
    const firstDayEnd = Date.parse('2026-06-06T00:00:00Z') / 1000;
    const outcome = await fetchFrom(fake, {}, (queries, range) =>
      derived(queries, range).map((r) => {
        const kept = r.Timestamps.map((t, i) => [t, r.Values[i]!] as const).filter(([t]) => t >= firstDayEnd);
        return { ...r, Timestamps: kept.map(([t]) => t), Values: kept.map(([, v]) => v) };
      }),
    );

    const byHand = countByHand('elb_502', DAILY_START, 336);
    expect(seriesOf(outcome, 'elb_502')).toMatchObject({
      status: 'partial',
      reason: '24 of 336 hours not measured',
      counts: [...new Array(24).fill(null), ...byHand.slice(24)],
    });
  });

  it('is unavailable, not zero, when the load balancer has no datapoint at all', async () => {
    const outcome = await fetchFrom(fake, { loadBalancer: 'app/k8s-other/fedcba9876543210' });

    expect([seriesOf(outcome, 'elb_502').status, seriesOf(outcome, 'elb_502').reason]).toEqual([
      'unavailable',
      'no datapoints for load balancer app/k8s-other/fedcba9876543210 in the pattern window: is the LoadBalancer dimension right (aws.loadBalancer)? Without a live dimension a missing count is not a 0',
    ]);
  });

  it('makes one metric unavailable when CloudWatch forbids it, and the source partial', async () => {
    const outcome = await fetchFrom(fake, {}, (queries, range) =>
      derived(queries, range).map((r) =>
        r.Id === 'tg_target_5xx' ? { Id: r.Id, Timestamps: [], Values: [], StatusCode: 'Forbidden' } : r,
      ),
    );

    expect([
      seriesOf(outcome, 'target_5xx').reason,
      seriesOf(outcome, 'elb_502').status,
      outcome.source.status,
    ]).toEqual([
      'CloudWatch refused HTTPCode_Target_5XX_Count (Forbidden); the credentials need cloudwatch:GetMetricData',
      'ok',
      'partial',
    ]);
  });

  it('sends nothing without aws.loadBalancer, and says it is not configured', async () => {
    const outcome = await fetchFrom(fake, { loadBalancer: undefined });

    expect([outcome.source.status, outcome.apiCalls, fake.calls()]).toEqual(['not_configured', 0, {}]);
  });
});
