/**
 * fetchAlbMetrics through the real @aws-sdk/client-cloudwatch client, with nock answering
 * in the protocol the installed client speaks (observed: AWS JSON 1.0, `POST /`,
 * `X-Amz-Target: GraniteServiceVersion20100801.GetMetricData`, epoch-second timestamps).
 */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import type { Clock } from '../../../src/core/clock.js';
import type { TimeWindow } from '../../../src/core/types.js';
import {
  ALB_METRICS,
  type AlbMetricsRequest,
  createMetricsApi,
  fetchAlbMetrics,
  metricPeriodSeconds,
  minuteOfDatapoint,
} from '../../../src/sources/cloudwatch/metrics.js';

const REGION = 'ap-southeast-2';
const MONITORING = `https://monitoring.${REGION}.amazonaws.com`;
const LB = 'app/k8s-ingress/0123456789abcdef';
const TG = 'targetgroup/k8s-prod000audio/0123456789abcdef';
const WINDOW: TimeWindow = { start: new Date('2026-06-18T19:30:00Z'), end: new Date('2026-06-18T19:35:00Z') };
const NOW = new Date('2026-06-18T21:00:00Z');

const clock: Clock = { now: () => NOW, sleep: async () => undefined };

type Json = Record<string, unknown>;

function realMetricsApi() {
  return createMetricsApi(
    new CloudWatchClient({
      region: REGION,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
    }),
  );
}

function request(overrides: Partial<AlbMetricsRequest> = {}): AlbMetricsRequest {
  return {
    window: WINDOW,
    now: NOW,
    index: 'prod_000_audio',
    loadBalancer: LB,
    targetGroup: TG,
    deadlineMs: NOW.getTime() + 60_000,
    timeoutSeconds: 60,
    ...overrides,
  };
}

/** One GetMetricData call answered with `reply`; returns the request bodies. */
function getMetricData(reply: Json, options: { status?: number; headers?: Record<string, string> } = {}): Json[] {
  const bodies: Json[] = [];
  nock(MONITORING)
    .matchHeader('x-amz-target', 'GraniteServiceVersion20100801.GetMetricData')
    .matchHeader('content-type', 'application/x-amz-json-1.0')
    .post('/')
    .reply((_uri, requestBody) => {
      bodies.push(jsonBody(requestBody));
      return [options.status ?? 200, reply, { 'content-type': 'application/x-amz-json-1.0', ...options.headers }];
    });
  return bodies;
}

/** nock hands over a JSON body parsed or as text, depending on the content type. */
function jsonBody(requestBody: unknown): Json {
  return (typeof requestBody === 'string' ? JSON.parse(requestBody) : requestBody) as Json;
}

const at = (hhmm: string) => Date.parse(`2026-06-18T${hhmm}:00Z`) / 1000;

/** A result with datapoints at "HH:MM" minutes. */
function result(id: string, points: Record<string, number>, extra: Json = {}): Json {
  const entries = Object.entries(points);
  return {
    Id: id,
    Label: id,
    Timestamps: entries.map(([t]) => at(t)),
    Values: entries.map(([, v]) => v),
    StatusCode: 'Complete',
    ...extra,
  };
}

/** Every metric of the call, empty unless given. */
function page(results: Json[], extra: Json = {}): Json {
  const given = new Map(results.map((r) => [r.Id, r]));
  return {
    MetricDataResults: ALB_METRICS.map((spec) => given.get(spec.id) ?? result(spec.id, {})),
    Messages: [],
    ...extra,
  };
}

const LIVE_RESULTS = [
  result('tg_requests', { '19:30': 100, '19:31': 120, '19:33': 90 }),
  result('tg_target_4xx', { '19:31': 7 }),
  result('tg_healthy_hosts', { '19:30': 3, '19:32': 2 }),
  result('tg_unhealthy_hosts', { '19:30': 0 }),
  result('tg_response_time_max', { '19:31': 1.4 }),
  result('tg_response_time_p99', { '19:31': 0.9 }),
  result('lb_requests', { '19:30': 900, '19:31': 950, '19:32': 870, '19:33': 910, '19:34': 880 }),
  result('lb_elb_502', { '19:32': 6 }),
];

describe('fetchAlbMetrics', () => {
  it('asks for every ALB metric in ONE call at 60 s periods, oldest first', async () => {
    const bodies = getMetricData(page(LIVE_RESULTS));

    const outcome = await fetchAlbMetrics(request(), { api: realMetricsApi(), clock });

    expect(bodies).toHaveLength(1);
    const body = bodies[0]!;
    expect({ StartTime: body.StartTime, EndTime: body.EndTime, ScanBy: body.ScanBy }).toEqual({
      StartTime: at('19:30'),
      EndTime: at('19:35'),
      ScanBy: 'TimestampAscending',
    });
    const queries = body.MetricDataQueries as Array<{
      Id: string;
      MetricStat: { Metric: { MetricName: string; Dimensions: Json[] }; Period: number; Stat: string };
    }>;
    expect(
      queries.map(
        (q) =>
          `${q.Id} ${q.MetricStat.Metric.MetricName} ${q.MetricStat.Stat} ${q.MetricStat.Period} ${q.MetricStat.Metric.Dimensions.map((d) => d.Name).join('+')}`,
      ),
    ).toEqual([
      'tg_requests RequestCount Sum 60 TargetGroup+LoadBalancer',
      'tg_target_5xx HTTPCode_Target_5XX_Count Sum 60 TargetGroup+LoadBalancer',
      'tg_target_4xx HTTPCode_Target_4XX_Count Sum 60 TargetGroup+LoadBalancer',
      'tg_connection_errors TargetConnectionErrorCount Sum 60 TargetGroup+LoadBalancer',
      'tg_response_time_max TargetResponseTime Maximum 60 TargetGroup+LoadBalancer',
      'tg_response_time_p99 TargetResponseTime p99 60 TargetGroup+LoadBalancer',
      'tg_healthy_hosts HealthyHostCount Minimum 60 TargetGroup+LoadBalancer',
      'tg_unhealthy_hosts UnHealthyHostCount Maximum 60 TargetGroup+LoadBalancer',
      'lb_elb_502 HTTPCode_ELB_502_Count Sum 60 LoadBalancer',
      'lb_elb_503 HTTPCode_ELB_503_Count Sum 60 LoadBalancer',
      'lb_elb_504 HTTPCode_ELB_504_Count Sum 60 LoadBalancer',
      'lb_elb_5xx HTTPCode_ELB_5XX_Count Sum 60 LoadBalancer',
      'lb_elb_4xx HTTPCode_ELB_4XX_Count Sum 60 LoadBalancer',
      'lb_requests RequestCount Sum 60 LoadBalancer',
    ]);
    expect(queries[0]!.MetricStat.Metric.Dimensions).toEqual([
      { Name: 'TargetGroup', Value: TG },
      { Name: 'LoadBalancer', Value: LB },
    ]);
    expect(outcome.apiCalls).toBe(1);
    expect(outcome.source).toEqual({
      name: 'ALB metrics via GetMetricData',
      status: 'complete',
      detail: 'complete, 60 s periods, 1 page',
    });
  });

  it('reads missing count datapoints as 0 where the same call shows the dimension is live', async () => {
    getMetricData(page(LIVE_RESULTS));

    const { signals } = await fetchAlbMetrics(request(), { api: realMetricsApi(), clock });

    expect(signals.requests).toEqual({
      scope: 'index',
      status: 'ok',
      source: 'CloudWatch RequestCount (target group)',
      counts: [100, 120, 0, 90, 0],
    });
    expect(signals.target_5xx?.counts).toEqual([0, 0, 0, 0, 0]);
    expect(signals.target_4xx?.counts).toEqual([0, 7, 0, 0, 0]);
    expect(signals.target_connection_errors?.counts).toEqual([0, 0, 0, 0, 0]);
    expect(signals.elb_502).toEqual({
      scope: 'loadBalancer',
      status: 'ok',
      source: 'CloudWatch HTTPCode_ELB_502_Count (load balancer)',
      counts: [0, 0, 6, 0, 0],
    });
    expect(signals.elb_503?.counts).toEqual([0, 0, 0, 0, 0]);
    expect(signals.lb_requests?.counts).toEqual([900, 950, 870, 910, 880]);
    // Gauges are samples: a missing one repeats the last seen, never 0.
    expect(signals.healthy_hosts?.counts).toEqual([3, 3, 2, 2, 2]);
    expect(signals.unhealthy_hosts?.counts).toEqual([0, 0, 0, 0, 0]);
    expect(signals.elb_502_index).toEqual({
      scope: 'index',
      status: 'unavailable',
      reason: 'no per-target-group ELB 502 metric in CloudWatch; see target_connection_errors, or give ALB access logs',
      counts: null,
    });
    expect(signals.slow_requests).toBeUndefined();
  });

  it('returns TargetResponseTime max and p99 per minute as context, not as a slow-request count', async () => {
    getMetricData(page(LIVE_RESULTS));

    const outcome = await fetchAlbMetrics(request(), { api: realMetricsApi(), clock });

    expect(outcome.responseTime).toEqual({
      maxSeconds: [null, 1.4, null, null, null],
      p99Seconds: [null, 0.9, null, null, null],
    });
    expect(outcome.elb5xx).toEqual([0, 0, 0, 0, 0]);
  });

  it('makes target group counts unavailable, not 0, when the target group shows no datapoints at all', async () => {
    getMetricData(page([result('lb_requests', { '19:30': 900 })]));

    const { signals } = await fetchAlbMetrics(request(), { api: realMetricsApi(), clock });

    expect(signals.target_5xx).toEqual({
      scope: 'index',
      status: 'unavailable',
      reason: `no datapoints for target group ${TG} in the window: is the TargetGroup dimension right (indexes.prod_000_audio.targetGroup, with LoadBalancer ${LB})? Without a live dimension a missing count is not a 0`,
      source: 'CloudWatch HTTPCode_Target_5XX_Count (target group)',
      counts: null,
    });
    expect(signals.requests?.status).toBe('unavailable');
    expect(signals.healthy_hosts?.reason).toBe(`no HealthyHostCount datapoints for target group ${TG} in the window`);
    expect(signals.elb_502?.counts).toEqual([0, 0, 0, 0, 0]);
  });

  it('makes load balancer counts unavailable too when nothing in the call is live', async () => {
    getMetricData(page([]));

    const outcome = await fetchAlbMetrics(request(), { api: realMetricsApi(), clock });

    expect(outcome.signals.elb_502?.reason).toBe(
      `no datapoints for load balancer ${LB} in the window: is the LoadBalancer dimension right (aws.loadBalancer)? Without a live dimension a missing count is not a 0`,
    );
    expect(outcome.signals.target_connection_errors?.status).toBe('unavailable');
    // The call itself was complete: what it says is that nothing matched the dimensions.
    expect(outcome.source).toEqual({
      name: 'ALB metrics via GetMetricData',
      status: 'complete',
      detail:
        'complete, 60 s periods, 1 page, no datapoints (unavailable): requests, target_5xx, target_4xx, target_connection_errors, healthy_hosts, unhealthy_hosts, elb_502, elb_503, elb_504, lb_requests',
    });
  });

  it('follows NextToken until the last page and merges the pages', async () => {
    const first = getMetricData(
      page(
        [
          result('tg_requests', { '19:30': 100, '19:31': 120 }, { StatusCode: 'PartialData' }),
          result('lb_requests', { '19:30': 900 }, { StatusCode: 'PartialData' }),
        ],
        { NextToken: 'page-2' },
      ),
    );
    const second = getMetricData(
      page([result('tg_requests', { '19:32': 80 }), result('lb_requests', { '19:31': 950 })]),
    );

    const outcome = await fetchAlbMetrics(request(), { api: realMetricsApi(), clock });

    expect(first[0]!.NextToken).toBeUndefined();
    expect(second[0]!.NextToken).toBe('page-2');
    expect(outcome.apiCalls).toBe(2);
    expect(outcome.signals.requests?.counts).toEqual([100, 120, 80, 0, 0]);
    expect(outcome.signals.requests?.status).toBe('ok');
    expect(outcome.signals.lb_requests?.counts).toEqual([900, 950, 0, 0, 0]);
    expect(outcome.source.detail).toBe(
      'complete, 60 s periods, 2 pages, no datapoints (unavailable): healthy_hosts, unhealthy_hosts',
    );
  });

  it('marks a metric partial when CloudWatch still says PartialData after the last page', async () => {
    getMetricData(
      page([
        ...LIVE_RESULTS.filter((r) => r.Id !== 'lb_elb_502'),
        result('lb_elb_502', { '19:32': 6 }, { StatusCode: 'PartialData' }),
      ]),
    );

    const outcome = await fetchAlbMetrics(request(), { api: realMetricsApi(), clock });

    expect(outcome.signals.elb_502).toEqual({
      scope: 'loadBalancer',
      status: 'partial',
      reason: 'CloudWatch returned partial data for HTTPCode_ELB_502_Count',
      source: 'CloudWatch HTTPCode_ELB_502_Count (load balancer)',
      counts: [0, 0, 6, 0, 0],
    });
    expect(outcome.signals.elb_503?.status).toBe('ok');
    expect(outcome.source).toEqual({
      name: 'ALB metrics via GetMetricData',
      status: 'partial',
      detail: 'partial, 60 s periods, 1 page, elb_502: CloudWatch returned partial data for HTTPCode_ELB_502_Count',
    });
  });

  it('surfaces Messages as partial with the message', async () => {
    getMetricData(
      page(
        [
          ...LIVE_RESULTS.filter((r) => r.Id !== 'tg_target_5xx'),
          result(
            'tg_target_5xx',
            {},
            { Messages: [{ Code: 'ArithmeticError', Value: 'One or more data-points have been dropped' }] },
          ),
        ],
        { Messages: [{ Code: 'MaxQueryTimeRangeExceed', Value: 'Some data was not returned' }] },
      ),
    );

    const outcome = await fetchAlbMetrics(request(), { api: realMetricsApi(), clock });

    expect(outcome.signals.target_5xx?.status).toBe('partial');
    expect(outcome.signals.target_5xx?.reason).toBe(
      'ArithmeticError: One or more data-points have been dropped; MaxQueryTimeRangeExceed: Some data was not returned',
    );
    expect(outcome.signals.elb_503?.reason).toBe('MaxQueryTimeRangeExceed: Some data was not returned');
    expect(outcome.source.status).toBe('partial');
    expect(outcome.source.detail).toBe(
      'partial, 60 s periods, 1 page, MaxQueryTimeRangeExceed: Some data was not returned',
    );
  });

  it('makes a Forbidden or InternalError metric unavailable and keeps the others', async () => {
    getMetricData(
      page([
        ...LIVE_RESULTS,
        result('tg_connection_errors', {}, { StatusCode: 'Forbidden' }),
        result('lb_elb_504', {}, { StatusCode: 'InternalError' }),
      ]),
    );

    const { signals } = await fetchAlbMetrics(request(), { api: realMetricsApi(), clock });

    expect(signals.target_connection_errors?.reason).toBe(
      'CloudWatch refused TargetConnectionErrorCount (Forbidden); the credentials need cloudwatch:GetMetricData',
    );
    expect(signals.elb_504?.reason).toBe('CloudWatch failed to return HTTPCode_ELB_504_Count (InternalError)');
    expect(signals.elb_502?.status).toBe('ok');
  });

  it('uses 300 s periods beyond 15 days and puts each 5-minute sum on its first minute', async () => {
    const window: TimeWindow = { start: new Date('2026-05-01T10:02:00Z'), end: new Date('2026-05-01T10:12:00Z') };
    const minute = (hhmm: string) => Date.parse(`2026-05-01T${hhmm}:00Z`) / 1000;
    const bodies = getMetricData(
      page([
        {
          Id: 'tg_requests',
          Label: 'r',
          StatusCode: 'Complete',
          Timestamps: [minute('10:00'), minute('10:05'), minute('10:10')],
          Values: [500, 600, 700],
        },
      ]),
    );

    const outcome = await fetchAlbMetrics(request({ window }), { api: realMetricsApi(), clock });

    const queries = bodies[0]!.MetricDataQueries as Array<{ MetricStat: { Period: number } }>;
    expect(queries.every((q) => q.MetricStat.Period === 300)).toBe(true);
    expect(bodies[0]!.StartTime).toBe(minute('10:00'));
    expect(outcome.periodSeconds).toBe(300);
    // 10:00's period overlaps the window from 10:02: it lands on the window's first minute.
    expect(outcome.signals.requests?.counts).toEqual([500, 0, 0, 600, 0, 0, 0, 0, 700, 0]);
    expect(outcome.source.detail).toBe(
      'complete, 300 s periods (the window starts beyond 15 days; 1-minute data is kept 15 days): each 5-minute sum is shown on its first minute, 1 page, no datapoints (unavailable): healthy_hosts, unhealthy_hosts',
    );
  });

  it('names the permission when access is denied, and measures nothing', async () => {
    getMetricData(
      {
        __type: 'com.amazon.coral.service#AccessDeniedException',
        message: 'User: arn:aws:iam::123456789012:user/bot is not authorized to perform: cloudwatch:GetMetricData',
      },
      { status: 400, headers: { 'x-amzn-query-error': 'AccessDenied;Sender' } },
    );

    const outcome = await fetchAlbMetrics(request(), { api: realMetricsApi(), clock });

    expect(outcome.source.status).toBe('failed');
    expect(outcome.source.detail).toMatch(
      /^GetMetricData: access denied \(AccessDenied(Exception)?\); the credentials need cloudwatch:GetMetricData$/,
    );
    expect(outcome.signals.elb_502?.status).toBe('unavailable');
    expect(outcome.signals.elb_502?.reason).toBe(outcome.source.detail);
    expect(outcome.apiCalls).toBe(1);
  });

  it('says the load balancer is not configured without calling AWS', async () => {
    const outcome = await fetchAlbMetrics(request({ loadBalancer: undefined }), { api: realMetricsApi(), clock });

    expect(outcome.source).toEqual({
      name: 'ALB metrics via GetMetricData',
      status: 'not_configured',
      detail: 'aws.loadBalancer is not set in the config, so there are no ALB metrics',
    });
    expect(outcome.apiCalls).toBe(0);
  });

  it('still measures the load balancer when the index has no targetGroup', async () => {
    const bodies = getMetricData(page([result('lb_elb_502', { '19:31': 2 })]));

    const outcome = await fetchAlbMetrics(request({ targetGroup: undefined }), { api: realMetricsApi(), clock });

    expect((bodies[0]!.MetricDataQueries as unknown[]).length).toBe(6);
    expect(outcome.signals.elb_502?.counts).toEqual([0, 2, 0, 0, 0]);
    expect(outcome.signals.target_5xx?.reason).toBe(
      'indexes.prod_000_audio.targetGroup is not set in the config, so there are no target group metrics',
    );
  });
});

describe('metricPeriodSeconds', () => {
  it('follows CloudWatch retention: 60 s for 15 days, 300 s for 63 days, then 3600 s', () => {
    const day = 86_400_000;
    const ago = (days: number) => new Date(NOW.getTime() - days * day);
    expect([ago(1), ago(15), ago(15.01), ago(63), ago(64)].map((start) => metricPeriodSeconds(start, NOW))).toEqual([
      60, 60, 300, 300, 3600,
    ]);
  });
});

describe('minuteOfDatapoint', () => {
  it('puts a datapoint on its minute, a coarse period begun before the window on minute 0', () => {
    const start = Date.parse('2026-06-18T19:32:00Z');
    expect(minuteOfDatapoint(start + 60_000, start, 10, 60)).toBe(1);
    expect(minuteOfDatapoint(start - 120_000, start, 10, 300)).toBe(0);
    expect(minuteOfDatapoint(start - 300_000, start, 10, 300)).toBe(-1);
    expect(minuteOfDatapoint(start + 600_000, start, 10, 60)).toBe(-1);
  });
});
