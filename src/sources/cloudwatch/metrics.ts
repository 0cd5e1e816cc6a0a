/**
 * The ALB's CloudWatch metrics (AWS/ApplicationELB) for one index: ONE GetMetricData call
 * (plus NextToken pages) for everything the signals and the verdict need.
 *
 * Rules (domain.md §2, §7; CONTRACT §3):
 * - Period 60 s; when the window starts more than 15 days ago 1-minute data is gone, so 300 s
 *   (and 3600 s beyond 63 days). A coarse period's sum is put on the FIRST minute of its
 *   period (the other minutes get 0): window totals stay exact and the cross-checks keep
 *   working, while spreading would invent fractional counts and a flatness nobody measured.
 *   The answer says so (source detail, EvidenceContext.metricPeriodSeconds).
 * - Count metrics are only published when non-zero, so "no datapoint" is 0 ONLY when the
 *   same call shows the dimension is live: any datapoint of any metric of that target group
 *   (for the target group's counts), any datapoint of the load balancer's metrics or of the
 *   target group's RequestCount (which carries the LoadBalancer dimension) for the LB's
 *   counts. Otherwise the signal is unavailable, with a reason that names the dimension.
 * - Gauges (HealthyHostCount Minimum, UnHealthyHostCount Maximum) are samples, not counts: a
 *   missing sample repeats the last one seen; none at all is unavailable.
 * - `PartialData` after the last page and any `Messages` make the signals `partial`;
 *   `Forbidden` and `InternalError` make that metric's signal unavailable.
 * - slow_requests is NOT derived here: TargetResponseTime gives a per-minute maximum and
 *   p99, not a count of slow requests. They are returned as `responseTime` for the reasons
 *   and for the unavailable-reason of slow_requests when there are no proxy logs.
 */
import {
  type CloudWatchClient,
  GetMetricDataCommand,
  type GetMetricDataCommandInput,
} from '@aws-sdk/client-cloudwatch';
import type { Clock } from '../../core/clock.js';
import type { SignalMap, SignalName, SignalScope, SignalSeries, SourceStatus, TimeWindow } from '../../core/types.js';
import { MINUTE_MS, windowMinutes, zeroCounts } from '../../evidence/minute-buckets.js';
import { measuredSeries, partialSeries, unavailableSeries } from '../../evidence/signal-series.js';
import { classifyAwsError, describeAwsFailure } from './aws-errors.js';

export interface MetricDataPage {
  MetricDataResults?:
    | Array<{
        Id?: string | undefined;
        Label?: string | undefined;
        Timestamps?: Date[] | undefined;
        Values?: number[] | undefined;
        StatusCode?: string | undefined;
        Messages?: Array<{ Code?: string | undefined; Value?: string | undefined }> | undefined;
      }>
    | undefined;
  NextToken?: string | undefined;
  Messages?: Array<{ Code?: string | undefined; Value?: string | undefined }> | undefined;
}

/** The one call this module makes, narrowed so tests and the bench can stand in. */
export interface MetricsApi {
  getMetricData(input: GetMetricDataCommandInput, options?: { abortSignal?: AbortSignal }): Promise<MetricDataPage>;
}

/** The real thing. Credentials, region and endpoint come from the client's own chain. */
export function createMetricsApi(client: CloudWatchClient): MetricsApi {
  return {
    getMetricData: (input, options) =>
      client.send(new GetMetricDataCommand(input), options?.abortSignal ? { abortSignal: options.abortSignal } : {}),
  };
}

export const METRICS_PERMISSIONS = ['cloudwatch:GetMetricData'] as const;
export const METRICS_SOURCE_NAME = 'ALB metrics via GetMetricData';
const NAMESPACE = 'AWS/ApplicationELB';
/** Pages beyond this are not fetched (the whole request is ~13 × 1,440 points: one page). */
const MAX_PAGES = 20;

type Dimension = 'targetGroup' | 'loadBalancer';
type Aggregation = 'sum' | 'min' | 'max';

interface MetricSpec {
  id: string;
  metricName: string;
  stat: string;
  on: Dimension;
  aggregation: Aggregation;
  kind: 'count' | 'gauge' | 'seconds';
  signal?: SignalName;
}

/** Every metric of the call. Ids start with a lowercase letter (API rule). */
export const ALB_METRICS: readonly MetricSpec[] = [
  {
    id: 'tg_requests',
    metricName: 'RequestCount',
    stat: 'Sum',
    on: 'targetGroup',
    aggregation: 'sum',
    kind: 'count',
    signal: 'requests',
  },
  {
    id: 'tg_target_5xx',
    metricName: 'HTTPCode_Target_5XX_Count',
    stat: 'Sum',
    on: 'targetGroup',
    aggregation: 'sum',
    kind: 'count',
    signal: 'target_5xx',
  },
  {
    id: 'tg_target_4xx',
    metricName: 'HTTPCode_Target_4XX_Count',
    stat: 'Sum',
    on: 'targetGroup',
    aggregation: 'sum',
    kind: 'count',
    signal: 'target_4xx',
  },
  {
    id: 'tg_connection_errors',
    metricName: 'TargetConnectionErrorCount',
    stat: 'Sum',
    on: 'targetGroup',
    aggregation: 'sum',
    kind: 'count',
    signal: 'target_connection_errors',
  },
  {
    id: 'tg_response_time_max',
    metricName: 'TargetResponseTime',
    stat: 'Maximum',
    on: 'targetGroup',
    aggregation: 'max',
    kind: 'seconds',
  },
  {
    id: 'tg_response_time_p99',
    metricName: 'TargetResponseTime',
    stat: 'p99',
    on: 'targetGroup',
    aggregation: 'max',
    kind: 'seconds',
  },
  {
    id: 'tg_healthy_hosts',
    metricName: 'HealthyHostCount',
    stat: 'Minimum',
    on: 'targetGroup',
    aggregation: 'min',
    kind: 'gauge',
    signal: 'healthy_hosts',
  },
  {
    id: 'tg_unhealthy_hosts',
    metricName: 'UnHealthyHostCount',
    stat: 'Maximum',
    on: 'targetGroup',
    aggregation: 'max',
    kind: 'gauge',
    signal: 'unhealthy_hosts',
  },
  {
    id: 'lb_elb_502',
    metricName: 'HTTPCode_ELB_502_Count',
    stat: 'Sum',
    on: 'loadBalancer',
    aggregation: 'sum',
    kind: 'count',
    signal: 'elb_502',
  },
  {
    id: 'lb_elb_503',
    metricName: 'HTTPCode_ELB_503_Count',
    stat: 'Sum',
    on: 'loadBalancer',
    aggregation: 'sum',
    kind: 'count',
    signal: 'elb_503',
  },
  {
    id: 'lb_elb_504',
    metricName: 'HTTPCode_ELB_504_Count',
    stat: 'Sum',
    on: 'loadBalancer',
    aggregation: 'sum',
    kind: 'count',
    signal: 'elb_504',
  },
  {
    id: 'lb_elb_5xx',
    metricName: 'HTTPCode_ELB_5XX_Count',
    stat: 'Sum',
    on: 'loadBalancer',
    aggregation: 'sum',
    kind: 'count',
  },
  {
    id: 'lb_elb_4xx',
    metricName: 'HTTPCode_ELB_4XX_Count',
    stat: 'Sum',
    on: 'loadBalancer',
    aggregation: 'sum',
    kind: 'count',
  },
  {
    id: 'lb_requests',
    metricName: 'RequestCount',
    stat: 'Sum',
    on: 'loadBalancer',
    aggregation: 'sum',
    kind: 'count',
    signal: 'lb_requests',
  },
];

const DAY_MS = 86_400_000;

/** 60 s while 1-minute data is kept (15 days), 300 s up to 63 days, 3600 s beyond. */
export function metricPeriodSeconds(windowStart: Date, now: Date): 60 | 300 | 3600 {
  const ageMs = now.getTime() - windowStart.getTime();
  if (ageMs > 63 * DAY_MS) return 3600;
  if (ageMs > 15 * DAY_MS) return 300;
  return 60;
}

export interface AlbMetricsRequest {
  window: TimeWindow;
  now: Date;
  index: string;
  loadBalancer?: string | undefined;
  targetGroup?: string | undefined;
  /** Epoch ms after which the call is abandoned. */
  deadlineMs: number;
  timeoutSeconds: number;
}

export interface AlbMetricsOutcome {
  signals: Partial<SignalMap>;
  source: SourceStatus;
  periodSeconds: number;
  apiCalls: number;
  /** TargetResponseTime per minute (seconds; null where no datapoint), when measured. */
  responseTime: { maxSeconds: Array<number | null>; p99Seconds: Array<number | null> } | null;
  /** HTTPCode_ELB_5XX_Count per minute (all LB-minted 5xx), when measured. */
  elb5xx: number[] | null;
}

interface CollectedMetric {
  values: Array<number | null>;
  datapoints: number;
  statusCode: string | null;
  messages: string[];
}

/** Fetches and maps the ALB metrics. Never throws: failures become unavailable signals. */
export async function fetchAlbMetrics(
  request: AlbMetricsRequest,
  deps: { api: MetricsApi; clock: Clock },
): Promise<AlbMetricsOutcome> {
  const periodSeconds = metricPeriodSeconds(request.window.start, request.now);
  const specs = ALB_METRICS.filter((spec) => (spec.on === 'targetGroup' ? request.targetGroup : request.loadBalancer));
  if (!request.loadBalancer) {
    return notMeasured(
      periodSeconds,
      'aws.loadBalancer is not set in the config, so there are no ALB metrics',
      'not_configured',
    );
  }
  const input = buildMetricDataInput(request, specs, periodSeconds);
  let apiCalls = 0;
  const pages: MetricDataPage[] = [];
  try {
    let nextToken: string | undefined;
    do {
      apiCalls++;
      const page = await withDeadline(request, deps.clock, (signal) =>
        deps.api.getMetricData({ ...input, ...(nextToken ? { NextToken: nextToken } : {}) }, { abortSignal: signal }),
      );
      pages.push(page);
      nextToken = page.NextToken;
    } while (nextToken && pages.length < MAX_PAGES);
    const cutShort = nextToken ? `stopped after ${MAX_PAGES} pages` : null;
    return { ...mapMetrics(request, specs, pages, periodSeconds, cutShort), apiCalls };
  } catch (error) {
    const reason =
      error instanceof DeadlineError
        ? `GetMetricData did not answer within ${request.timeoutSeconds} s (aws.queryTimeoutSeconds)`
        : describeAwsFailure(classifyAwsError(error), 'GetMetricData', METRICS_PERMISSIONS);
    return { ...notMeasured(periodSeconds, reason, 'failed'), apiCalls };
  }
}

export function buildMetricDataInput(
  request: AlbMetricsRequest,
  specs: readonly MetricSpec[],
  periodSeconds: number,
): GetMetricDataCommandInput {
  const periodMs = periodSeconds * 1000;
  const startMs = Math.floor(request.window.start.getTime() / periodMs) * periodMs;
  return {
    StartTime: new Date(startMs),
    EndTime: request.window.end,
    ScanBy: 'TimestampAscending',
    MetricDataQueries: specs.map((spec) => ({
      Id: spec.id,
      ReturnData: true,
      MetricStat: {
        Metric: {
          Namespace: NAMESPACE,
          MetricName: spec.metricName,
          Dimensions:
            spec.on === 'targetGroup'
              ? [
                  { Name: 'TargetGroup', Value: request.targetGroup! },
                  { Name: 'LoadBalancer', Value: request.loadBalancer! },
                ]
              : [{ Name: 'LoadBalancer', Value: request.loadBalancer! }],
        },
        Period: periodSeconds,
        Stat: spec.stat,
      },
    })),
  };
}

function mapMetrics(
  request: AlbMetricsRequest,
  specs: readonly MetricSpec[],
  pages: readonly MetricDataPage[],
  periodSeconds: number,
  cutShort: string | null,
): Omit<AlbMetricsOutcome, 'apiCalls'> {
  const minutes = windowMinutes(request.window);
  const collected = collect(request.window, specs, pages, periodSeconds);
  const callMessages = pages.flatMap((page) => (page.Messages ?? []).map(messageText));
  const callProblem = [cutShort, ...callMessages].filter((text): text is string => !!text);
  const live = liveness(collected);
  const signals: Partial<SignalMap> = {};
  const problems: string[] = [];
  const withoutData: string[] = [];
  for (const spec of specs) {
    if (!spec.signal) continue;
    const metric = collected.get(spec.id)!;
    const series = toSeries(spec, metric, live, request, callProblem);
    signals[spec.signal] = series;
    if (series.status === 'ok') continue;
    // CloudWatch's own trouble makes the source partial; a dimension with no datapoints is
    // an answer (the config may be wrong), said in the detail and in each signal's reason.
    if (hasCallTrouble(metric) || callProblem.length > 0) problems.push(`${spec.signal}: ${series.reason}`);
    else withoutData.push(spec.signal);
  }
  if (!request.targetGroup) {
    for (const spec of ALB_METRICS) {
      if (spec.on === 'targetGroup' && spec.signal) {
        signals[spec.signal] = unavailableSeries(
          'index',
          `indexes.${request.index}.targetGroup is not set in the config, so there are no target group metrics`,
        );
      }
    }
  }
  signals.elb_502_index = unavailableSeries(
    'index',
    'no per-target-group ELB 502 metric in CloudWatch; see target_connection_errors, or give ALB access logs',
  );
  if (signals.lb_requests)
    signals.lb_requests = everyRequestAnswered(
      signals.lb_requests,
      signals.elb_503,
      countsOf(collected.get('lb_elb_4xx'), live.loadBalancer, minutes),
    );
  return {
    signals,
    source: metricsSource(periodSeconds, pages.length, problems, callProblem, withoutData),
    periodSeconds,
    responseTime: responseTimeOf(collected, live.targetGroup),
    elb5xx: countsOf(collected.get('lb_elb_5xx'), live.loadBalancer, minutes),
  };
}

/**
 * Every request the load balancer answered, the denominator of its LB-wide rates (as files
 * mode counts every access-log line). RequestCount counts only requests for which a target was
 * chosen (domain.md §2): the 502s and 504s it mints after choosing one are in it, but the 4xx
 * it answers itself and the 503s for want of a healthy target are not — so they are added.
 */
function everyRequestAnswered(
  requestCount: SignalSeries,
  elb503: SignalSeries | undefined,
  elb4xx: number[] | null,
): SignalSeries {
  if (requestCount.counts === null) return requestCount;
  if (!elb503?.counts || !elb4xx) {
    return partialSeries(
      requestCount,
      'RequestCount only: the 4xx and 503s the load balancer answered itself (HTTPCode_ELB_4XX_Count, HTTPCode_ELB_503_Count) could not be added, so LB-wide rates are over requests routed to targets',
    );
  }
  const counts = requestCount.counts.map((n, i) => n + elb4xx[i]! + elb503.counts![i]!);
  const series: SignalSeries = {
    ...requestCount,
    counts,
    source:
      'CloudWatch RequestCount + HTTPCode_ELB_4XX_Count + HTTPCode_ELB_503_Count (load balancer): every request it answered',
  };
  return elb503.status === 'partial' && requestCount.status !== 'partial'
    ? partialSeries(series, elb503.reason ?? 'HTTPCode_ELB_503_Count was partial')
    : series;
}

/** Per metric: values per window minute, aggregated per the metric's statistic. */
function collect(
  window: TimeWindow,
  specs: readonly MetricSpec[],
  pages: readonly MetricDataPage[],
  periodSeconds: number,
): Map<string, CollectedMetric> {
  const minutes = windowMinutes(window);
  const startMs = window.start.getTime();
  const collected = new Map<string, CollectedMetric>();
  const byId = new Map(specs.map((spec) => [spec.id, spec]));
  for (const spec of specs)
    collected.set(spec.id, { values: new Array(minutes).fill(null), datapoints: 0, statusCode: null, messages: [] });
  for (const page of pages) {
    for (const result of page.MetricDataResults ?? []) {
      const spec = result.Id ? byId.get(result.Id) : undefined;
      if (!spec) continue;
      const metric = collected.get(spec.id)!;
      if (result.StatusCode) metric.statusCode = result.StatusCode;
      metric.messages.push(...(result.Messages ?? []).map(messageText));
      const timestamps = result.Timestamps ?? [];
      const values = result.Values ?? [];
      for (let i = 0; i < timestamps.length && i < values.length; i++) {
        const minute = minuteOfDatapoint(new Date(timestamps[i]!).getTime(), startMs, minutes, periodSeconds);
        if (minute < 0) continue;
        metric.datapoints++;
        metric.values[minute] = combine(spec.aggregation, metric.values[minute] ?? null, values[i]!);
      }
    }
  }
  return collected;
}

/**
 * The window minute a datapoint goes to: its own minute, or for a coarse period that began
 * before the window (CloudWatch rounds StartTime down), the window's first minute.
 */
export function minuteOfDatapoint(
  timestampMs: number,
  windowStartMs: number,
  minutes: number,
  periodSeconds: number,
): number {
  if (timestampMs + periodSeconds * 1000 <= windowStartMs) return -1;
  const minute = Math.max(0, Math.floor((timestampMs - windowStartMs) / MINUTE_MS));
  return minute < minutes ? minute : -1;
}

function combine(aggregation: Aggregation, previous: number | null, value: number): number {
  if (previous === null) return value;
  if (aggregation === 'sum') return previous + value;
  return aggregation === 'min' ? Math.min(previous, value) : Math.max(previous, value);
}

interface Liveness {
  targetGroup: boolean;
  loadBalancer: boolean;
}

function liveness(collected: Map<string, CollectedMetric>): Liveness {
  const hasData = (spec: MetricSpec) => usable(collected.get(spec.id)) && collected.get(spec.id)!.datapoints > 0;
  const targetGroup = ALB_METRICS.some((spec) => spec.on === 'targetGroup' && hasData(spec));
  // The target group's RequestCount is published with the LoadBalancer dimension: requests
  // for it flowed through this load balancer, so the LB's own counts are live too.
  const loadBalancer = ALB_METRICS.some(
    (spec) => (spec.on === 'loadBalancer' || spec.id === 'tg_requests') && hasData(spec),
  );
  return { targetGroup, loadBalancer };
}

function usable(metric: CollectedMetric | undefined): boolean {
  return metric !== undefined && metric.statusCode !== 'Forbidden' && metric.statusCode !== 'InternalError';
}

function toSeries(
  spec: MetricSpec,
  metric: CollectedMetric,
  live: Liveness,
  request: AlbMetricsRequest,
  callProblems: readonly string[],
): SignalSeries {
  const scope: SignalScope = spec.on === 'targetGroup' ? 'index' : 'loadBalancer';
  const source = `CloudWatch ${spec.metricName}${spec.kind === 'gauge' ? ` ${spec.stat}` : ''} (${spec.on === 'targetGroup' ? 'target group' : 'load balancer'})`;
  if (metric.statusCode === 'Forbidden') {
    return unavailableSeries(
      scope,
      `CloudWatch refused ${spec.metricName} (Forbidden); the credentials need cloudwatch:GetMetricData`,
      source,
    );
  }
  if (metric.statusCode === 'InternalError') {
    return unavailableSeries(
      scope,
      `CloudWatch failed to return ${spec.metricName} (InternalError)${suffix(metric.messages)}`,
      source,
    );
  }
  let series: SignalSeries;
  if (spec.kind === 'gauge') {
    if (metric.datapoints === 0)
      return unavailableSeries(
        scope,
        `no ${spec.metricName} datapoints for ${dimensionText(spec.on, request)} in the window`,
        source,
      );
    series = measuredSeries(scope, source, carryForward(metric.values));
  } else {
    const isLive = spec.on === 'targetGroup' ? live.targetGroup : live.loadBalancer;
    if (!isLive) return unavailableSeries(scope, notLiveReason(spec.on, request), source);
    series = measuredSeries(
      scope,
      source,
      metric.values.map((value) => value ?? 0),
    );
  }
  const problems = [
    ...(metric.statusCode === 'PartialData' ? [`CloudWatch returned partial data for ${spec.metricName}`] : []),
    ...metric.messages,
    ...callProblems,
  ];
  return problems.length > 0 ? partialSeries(series, problems.join('; ')) : series;
}

function notLiveReason(on: Dimension, request: AlbMetricsRequest): string {
  return on === 'targetGroup'
    ? `no datapoints for target group ${request.targetGroup} in the window: is the TargetGroup dimension right (indexes.${request.index}.targetGroup, with LoadBalancer ${request.loadBalancer})? Without a live dimension a missing count is not a 0`
    : `no datapoints for load balancer ${request.loadBalancer} in the window: is the LoadBalancer dimension right (aws.loadBalancer)? Without a live dimension a missing count is not a 0`;
}

function dimensionText(on: Dimension, request: AlbMetricsRequest): string {
  return on === 'targetGroup' ? `target group ${request.targetGroup}` : `load balancer ${request.loadBalancer}`;
}

/** A missing gauge sample repeats the previous one (the first ones take the first seen). */
function carryForward(values: ReadonlyArray<number | null>): number[] {
  const firstSeen = values.find((value) => value !== null) ?? 0;
  let last = firstSeen;
  return values.map((value) => {
    if (value !== null) last = value;
    return last;
  });
}

function countsOf(metric: CollectedMetric | undefined, isLive: boolean, minutes: number): number[] | null {
  if (!metric || !usable(metric) || !isLive) return null;
  const counts = zeroCounts(minutes);
  metric.values.forEach((value, minute) => {
    counts[minute] = value ?? 0;
  });
  return counts;
}

function responseTimeOf(
  collected: Map<string, CollectedMetric>,
  targetGroupLive: boolean,
): AlbMetricsOutcome['responseTime'] {
  const max = collected.get('tg_response_time_max');
  const p99 = collected.get('tg_response_time_p99');
  if (!targetGroupLive || !max || !p99 || !usable(max) || !usable(p99)) return null;
  return { maxSeconds: [...max.values], p99Seconds: [...p99.values] };
}

function hasCallTrouble(metric: CollectedMetric): boolean {
  return metric.messages.length > 0 || (metric.statusCode !== null && metric.statusCode !== 'Complete');
}

function metricsSource(
  periodSeconds: number,
  pages: number,
  problems: readonly string[],
  callProblems: readonly string[],
  withoutData: readonly string[],
): SourceStatus {
  const status = problems.length === 0 ? 'complete' : 'partial';
  const parts = [status, periodText(periodSeconds), `${pages} page${pages === 1 ? '' : 's'}`];
  if (callProblems.length > 0) parts.push(callProblems.join('; '));
  else if (problems.length > 0) parts.push(problems.join('; '));
  if (withoutData.length > 0) parts.push(`no datapoints (unavailable): ${withoutData.join(', ')}`);
  return { name: METRICS_SOURCE_NAME, status, detail: parts.join(', ') };
}

export function periodText(periodSeconds: number): string {
  if (periodSeconds === 60) return '60 s periods';
  const kept = periodSeconds === 300 ? '1-minute data is kept 15 days' : '5-minute data is kept 63 days';
  const minutes = periodSeconds / 60;
  return `${periodSeconds} s periods (the window starts beyond ${periodSeconds === 300 ? 15 : 63} days; ${kept}): each ${minutes}-minute sum is shown on its first minute`;
}

function notMeasured(
  periodSeconds: number,
  reason: string,
  status: 'failed' | 'not_configured',
): Omit<AlbMetricsOutcome, 'apiCalls'> & { apiCalls: number } {
  const signals: Partial<SignalMap> = {};
  for (const spec of ALB_METRICS) {
    if (spec.signal)
      signals[spec.signal] = unavailableSeries(spec.on === 'targetGroup' ? 'index' : 'loadBalancer', reason);
  }
  signals.elb_502_index = unavailableSeries(
    'index',
    'no per-target-group ELB 502 metric in CloudWatch; see target_connection_errors, or give ALB access logs',
  );
  return {
    signals,
    source: { name: METRICS_SOURCE_NAME, status, detail: reason },
    periodSeconds,
    apiCalls: 0,
    responseTime: null,
    elb5xx: null,
  };
}

function messageText(message: { Code?: string | undefined; Value?: string | undefined }): string {
  return [message.Code, message.Value].filter(Boolean).join(': ');
}

function suffix(messages: readonly string[]): string {
  return messages.length > 0 ? `: ${messages.join('; ')}` : '';
}

class DeadlineError extends Error {
  override name = 'DeadlineError';
}

/**
 * Runs `call` with an abort signal that fires at the request's deadline. A real timer, not
 * the injected clock: it bounds real network I/O, which a test's instant clock cannot.
 */
async function withDeadline<T>(
  request: AlbMetricsRequest,
  clock: Clock,
  call: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const remainingMs = request.deadlineMs - clock.now().getTime();
  if (remainingMs <= 0) throw new DeadlineError();
  const signal = AbortSignal.timeout(remainingMs);
  try {
    return await call(signal);
  } catch (error) {
    if (signal.aborted) throw new DeadlineError();
    throw error;
  }
}
