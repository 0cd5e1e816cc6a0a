/**
 * The ALB's CloudWatch metrics BY THE HOUR over a pattern window (up to 14 days, issue 13): ONE
 * GetMetricData call (plus NextToken pages) at Period 3600 for the signals the verdict kinds'
 * daily patterns need — LB-minted 502/503/504 (load balancer), target 5xx/4xx and
 * UnHealthyHostCount Maximum (the index's target group) — and the RequestCounts that show
 * which hours each dimension was live.
 *
 * The rules of metrics.ts, per hour (its header comment says why):
 * - a count metric is only published when non-zero, so a missing hour is 0 ONLY when the same
 *   call shows the dimension live IN THAT HOUR (any datapoint of any of its metrics; the target
 *   group's RequestCount makes the load balancer live too); otherwise that hour is null;
 * - the gauge (UnHealthyHostCount Maximum) is a sample: a missing hour is null, never 0;
 * - PartialData after the last page and any Messages make a series partial; Forbidden and
 *   InternalError make it unavailable. Throttling is retried with backoff until the deadline.
 * Period 3600 is valid at every age (a multiple of 60, 300 and 3600) and hourly data is kept
 * 455 days, so 14 days is always within reach. Never throws for a failure of CloudWatch.
 */
import type { Clock } from '../../core/clock.js';
import type { SignalScope, SourceStatus } from '../../core/types.js';
import {
  gridWindow,
  type HourGrid,
  type HourlySeries,
  type HourlySignal,
  hourIndexOf,
  measuredHourly,
  unavailableHourly,
} from '../../patterns/hourly-series.js';
import {
  callWithRetries,
  newRetryLog,
  type PollOptions,
  type PollPolicy,
  PollTimeoutError,
  type RetryLog,
} from '../poll-until-done.js';
import { classifyAwsError, describeAwsFailure } from './aws-errors.js';
import {
  ALB_METRICS,
  buildMetricDataInput,
  METRICS_PERMISSIONS,
  type MetricDataPage,
  type MetricsApi,
} from './metrics.js';

export const HOURLY_METRICS_SOURCE = 'ALB metrics by the hour via GetMetricData';
const PERIOD_SECONDS = 3600;
const MAX_PAGES = 20;

type MetricSpec = (typeof ALB_METRICS)[number];

/** The metrics of the call: ALB_METRICS' entries, so ids, names, statistics and dimensions are the minute call's. */
const HOURLY_IDS = [
  'tg_requests',
  'tg_target_5xx',
  'tg_target_4xx',
  'tg_unhealthy_hosts',
  'lb_requests',
  'lb_elb_502',
  'lb_elb_503',
  'lb_elb_504',
] as const;
const SIGNAL_OF: Partial<Record<(typeof HOURLY_IDS)[number], HourlySignal>> = {
  tg_target_5xx: 'target_5xx',
  tg_target_4xx: 'target_4xx',
  tg_unhealthy_hosts: 'unhealthy_hosts',
  lb_elb_502: 'elb_502',
  lb_elb_503: 'elb_503',
  lb_elb_504: 'elb_504',
};
const HOURLY_SPECS: readonly MetricSpec[] = HOURLY_IDS.map((id) => ALB_METRICS.find((spec) => spec.id === id)!);

export interface HourlyMetricsRequest {
  grid: HourGrid;
  index: string;
  loadBalancer?: string | undefined;
  targetGroup?: string | undefined;
  /** Epoch ms on the deps' clock after which nothing more is waited for. */
  deadlineMs: number;
  /** The configured timeout behind `deadlineMs` (aws.queryTimeoutSeconds), for the message. */
  timeoutSeconds: number;
}

export interface HourlyMetricsDeps {
  api: MetricsApi;
  clock: Clock;
  signal?: AbortSignal | undefined;
  /** [0, 1) for retry jitter; default Math.random. */
  random?: (() => number) | undefined;
  polling?: Partial<PollPolicy> | undefined;
}

export interface HourlyMetricsOutcome {
  /** One series per hourly signal of this source (elb_502, elb_503, elb_504, target_5xx, target_4xx, unhealthy_hosts). */
  series: HourlySeries[];
  source: SourceStatus;
  /** GetMetricData calls made, retries included. */
  apiCalls: number;
  /** Datapoints returned, over every page. */
  datapoints: number;
}

interface Collected {
  values: Array<number | null>;
  datapoints: number;
  statusCode: string | null;
  messages: string[];
}

export async function fetchHourlyMetrics(
  request: HourlyMetricsRequest,
  deps: HourlyMetricsDeps,
): Promise<HourlyMetricsOutcome> {
  if (!request.loadBalancer)
    return notMeasured('aws.loadBalancer is not set in the config, so there are no ALB metrics', 'not_configured', 0);
  if (request.grid.hours === 0)
    return notMeasured('the pattern window holds no whole hour that has settled yet', 'failed', 0);
  const specs = HOURLY_SPECS.filter((spec) => spec.on === 'loadBalancer' || request.targetGroup);
  const input = buildMetricDataInput(
    {
      window: gridWindow(request.grid),
      now: deps.clock.now(),
      index: request.index,
      loadBalancer: request.loadBalancer,
      targetGroup: request.targetGroup,
      deadlineMs: request.deadlineMs,
      timeoutSeconds: request.timeoutSeconds,
    },
    specs,
    PERIOD_SECONDS,
  );
  const retryLog = newRetryLog();
  const options: PollOptions = {
    deadlineMs: request.deadlineMs,
    clock: deps.clock,
    signal: deps.signal,
    retryLog,
    ...(deps.random ? { random: deps.random } : {}),
    ...(deps.polling ? { policy: deps.polling } : {}),
  };
  const pages: MetricDataPage[] = [];
  try {
    let nextToken: string | undefined;
    do {
      const token = nextToken;
      const page = await callWithRetries(
        ({ abortSignal }) =>
          deps.api.getMetricData({ ...input, ...(token ? { NextToken: token } : {}) }, { abortSignal }),
        options,
      );
      pages.push(page);
      nextToken = page.NextToken;
    } while (nextToken && pages.length < MAX_PAGES);
    const cutShort = nextToken ? `stopped after ${MAX_PAGES} pages` : null;
    return mapHourly(request, specs, pages, cutShort, retryLog);
  } catch (error) {
    if (deps.signal?.aborted) throw deps.signal.reason;
    return notMeasured(failureReason(error, request), 'failed', pages.length + retryLog.count);
  }
}

function failureReason(error: unknown, request: HourlyMetricsRequest): string {
  if (error instanceof PollTimeoutError) {
    const retrying = error.retryingCode ? `, CloudWatch still answering ${error.retryingCode}` : '';
    return `GetMetricData did not answer within ${request.timeoutSeconds} s${retrying} (aws.queryTimeoutSeconds)`;
  }
  return describeAwsFailure(classifyAwsError(error), 'GetMetricData', METRICS_PERMISSIONS);
}

function mapHourly(
  request: HourlyMetricsRequest,
  specs: readonly MetricSpec[],
  pages: readonly MetricDataPage[],
  cutShort: string | null,
  retryLog: RetryLog,
): HourlyMetricsOutcome {
  const collected = collect(request.grid, specs, pages);
  const callProblems = [cutShort, ...pages.flatMap((page) => (page.Messages ?? []).map(messageText))].filter(
    (text): text is string => !!text,
  );
  const live = liveHours(request.grid, collected);
  const series: HourlySeries[] = [];
  const problems: string[] = [];
  const withoutData: string[] = [];
  for (const spec of HOURLY_SPECS) {
    const signal = SIGNAL_OF[spec.id as keyof typeof SIGNAL_OF];
    if (!signal) continue;
    const metric = collected.get(spec.id);
    if (!metric) {
      series.push(
        unavailableHourly(
          signal,
          'cloudwatch',
          'index',
          sourceOf(spec),
          `indexes.${request.index}.targetGroup is not set in the config, so there are no target group metrics`,
        ),
      );
      continue;
    }
    const mapped = toSeries(spec, signal, metric, live, request, callProblems);
    series.push(mapped);
    // CloudWatch's own trouble makes the source partial; a dimension with no datapoints is an answer (the config may be wrong).
    if (hasTrouble(metric)) problems.push(`${signal}: ${mapped.reason}`);
    else if (mapped.status === 'unavailable') withoutData.push(signal);
  }
  const datapoints = [...collected.values()].reduce((sum, metric) => sum + metric.datapoints, 0);
  const status = problems.length === 0 && callProblems.length === 0 ? 'complete' : 'partial';
  const parts = [
    status,
    `${PERIOD_SECONDS} s periods`,
    `${pages.length} page${pages.length === 1 ? '' : 's'}`,
    `${datapoints.toLocaleString('en-US')} datapoints`,
    ...(retryLog.count > 0 ? [describeRetries(retryLog)] : []),
    ...(callProblems.length > 0 ? callProblems : problems),
    ...(withoutData.length > 0 ? [`no datapoints (unavailable): ${withoutData.join(', ')}`] : []),
  ];
  return {
    series,
    source: { name: HOURLY_METRICS_SOURCE, status, detail: parts.join(', ') },
    apiCalls: pages.length + retryLog.count,
    datapoints,
  };
}

function hasTrouble(metric: Collected): boolean {
  return metric.messages.length > 0 || (metric.statusCode !== null && metric.statusCode !== 'Complete');
}

function describeRetries(log: RetryLog): string {
  const codes = Object.entries(log.byCode)
    .map(([code, n]) => `${code} ×${n}`)
    .join(', ');
  return `throttled or briefly failed ${log.count} time${log.count === 1 ? '' : 's'} (${codes}), retried with backoff`;
}

function collect(
  grid: HourGrid,
  specs: readonly MetricSpec[],
  pages: readonly MetricDataPage[],
): Map<string, Collected> {
  const collected = new Map<string, Collected>(
    specs.map((spec) => [
      spec.id,
      { values: new Array<number | null>(grid.hours).fill(null), datapoints: 0, statusCode: null, messages: [] },
    ]),
  );
  const aggregation = new Map(specs.map((spec) => [spec.id, spec.aggregation]));
  for (const page of pages) {
    for (const result of page.MetricDataResults ?? []) {
      const metric = result.Id ? collected.get(result.Id) : undefined;
      if (!metric) continue;
      if (result.StatusCode) metric.statusCode = result.StatusCode;
      metric.messages.push(...(result.Messages ?? []).map(messageText));
      const timestamps = result.Timestamps ?? [];
      const values = result.Values ?? [];
      for (let i = 0; i < timestamps.length && i < values.length; i++) {
        const hour = hourIndexOf(grid, new Date(timestamps[i]!).getTime());
        if (hour < 0) continue;
        metric.datapoints++;
        const previous = metric.values[hour] ?? null;
        metric.values[hour] =
          previous === null
            ? values[i]!
            : aggregation.get(result.Id!) === 'max'
              ? Math.max(previous, values[i]!)
              : previous + values[i]!;
      }
    }
  }
  return collected;
}

interface LiveHours {
  targetGroup: boolean[];
  loadBalancer: boolean[];
}

/** Per hour: whether any usable metric of the dimension has a datapoint then (metrics.ts' liveness, hour by hour). */
function liveHours(grid: HourGrid, collected: Map<string, Collected>): LiveHours {
  const live = {
    targetGroup: new Array<boolean>(grid.hours).fill(false),
    loadBalancer: new Array<boolean>(grid.hours).fill(false),
  };
  for (const spec of HOURLY_SPECS) {
    const metric = collected.get(spec.id);
    if (!metric || metric.statusCode === 'Forbidden' || metric.statusCode === 'InternalError') continue;
    metric.values.forEach((value, hour) => {
      if (value === null) return;
      if (spec.on === 'targetGroup') live.targetGroup[hour] = true;
      // The target group's RequestCount carries the LoadBalancer dimension: requests flowed through it.
      if (spec.on === 'loadBalancer' || spec.id === 'tg_requests') live.loadBalancer[hour] = true;
    });
  }
  return live;
}

function toSeries(
  spec: MetricSpec,
  signal: HourlySignal,
  metric: Collected,
  live: LiveHours,
  request: HourlyMetricsRequest,
  callProblems: readonly string[],
): HourlySeries {
  const scope: SignalScope = spec.on === 'targetGroup' ? 'index' : 'loadBalancer';
  const source = sourceOf(spec);
  if (metric.statusCode === 'Forbidden')
    return unavailableHourly(
      signal,
      'cloudwatch',
      scope,
      source,
      `CloudWatch refused ${spec.metricName} (Forbidden); the credentials need cloudwatch:GetMetricData`,
    );
  if (metric.statusCode === 'InternalError') {
    return unavailableHourly(
      signal,
      'cloudwatch',
      scope,
      source,
      `CloudWatch failed to return ${spec.metricName} (InternalError)${metric.messages.length > 0 ? `: ${metric.messages.join('; ')}` : ''}`,
    );
  }
  const liveHour = spec.on === 'targetGroup' ? live.targetGroup : live.loadBalancer;
  if (spec.kind === 'count' && !liveHour.some(Boolean))
    return unavailableHourly(signal, 'cloudwatch', scope, source, notLiveReason(spec, request));
  if (spec.kind === 'gauge' && metric.datapoints === 0)
    return unavailableHourly(
      signal,
      'cloudwatch',
      scope,
      source,
      `no ${spec.metricName} datapoints for target group ${request.targetGroup} in the window`,
    );
  const counts =
    spec.kind === 'gauge'
      ? [...metric.values]
      : metric.values.map((value, hour) => value ?? (liveHour[hour] ? 0 : null));
  const problems = [
    ...(metric.statusCode === 'PartialData' ? [`CloudWatch returned partial data for ${spec.metricName}`] : []),
    ...metric.messages,
    ...callProblems,
  ];
  return measuredHourly(
    signal,
    'cloudwatch',
    scope,
    source,
    counts,
    problems.length > 0 ? problems.join('; ') : undefined,
  );
}

function sourceOf(spec: MetricSpec): string {
  return `CloudWatch ${spec.metricName}${spec.kind === 'gauge' ? ` ${spec.stat}` : ''} (${spec.on === 'targetGroup' ? 'target group' : 'load balancer'}), hourly`;
}

function notLiveReason(spec: MetricSpec, request: HourlyMetricsRequest): string {
  return spec.on === 'targetGroup'
    ? `no datapoints for target group ${request.targetGroup} in the pattern window: is the TargetGroup dimension right (indexes.${request.index}.targetGroup, with LoadBalancer ${request.loadBalancer})? Without a live dimension a missing count is not a 0`
    : `no datapoints for load balancer ${request.loadBalancer} in the pattern window: is the LoadBalancer dimension right (aws.loadBalancer)? Without a live dimension a missing count is not a 0`;
}

function notMeasured(reason: string, status: 'failed' | 'not_configured', apiCalls: number): HourlyMetricsOutcome {
  const series = HOURLY_SPECS.flatMap((spec) => {
    const signal = SIGNAL_OF[spec.id as keyof typeof SIGNAL_OF];
    return signal
      ? [
          unavailableHourly(
            signal,
            'cloudwatch',
            spec.on === 'targetGroup' ? 'index' : 'loadBalancer',
            sourceOf(spec),
            reason,
          ),
        ]
      : [];
  });
  return { series, source: { name: HOURLY_METRICS_SOURCE, status, detail: reason }, apiCalls, datapoints: 0 };
}

function messageText(message: { Code?: string | undefined; Value?: string | undefined }): string {
  return [message.Code, message.Value].filter(Boolean).join(': ');
}
