/**
 * CPU and memory of the services behind the load balancer, Maximum AND Average (one GetMetricData
 * call, NextToken pages): AWS/ECS CPUUtilization / MemoryUtilization per service, and with EKS
 * Container Insights, pod_cpu/memory_utilization_over_pod_limit and the container restarts per
 * workload. "Maximum: the utilization of the task with the highest resource usage in the service"
 * (next-capabilities §4.2) — what the Average hides. A service with no running task publishes no
 * datapoints: that is "not measured", never 0. Never throws.
 */
import type { GetMetricDataCommandInput } from '@aws-sdk/client-cloudwatch';
import type { Clock } from '../../core/clock.js';
import type { SourceStatus, TimeWindow } from '../../core/types.js';
import { type MetricDataPage, type MetricsApi, metricPeriodSeconds } from '../../sources/cloudwatch/metrics.js';
import { type ChangeEvent, type ChangeEvidence, emptyChangeEvidence, type ResourceSeries } from '../change-event.js';
import type { ContainerInsightsConfig } from '../changes-config.js';
import { callAws, describeCallFailure } from './call-aws.js';
import { RESOURCE_METRICS_PERMISSIONS } from './change-apis.js';

export const ECS_METRICS_SOURCE = 'AWS/ECS CPU and memory';
export const CONTAINER_INSIGHTS_SOURCE = 'Container Insights';
const MAX_PAGES = 10;
const MINUTE_MS = 60_000;
const AFTER_WINDOW_MINUTES = 5;

export interface ResourceMetricsRequest {
  window: TimeWindow;
  now: Date;
  marginMinutes: number;
  deadlineMs: number;
  timeoutSeconds: number;
  ecs?: { cluster: string; services: string[] } | undefined;
  containerInsights?: ContainerInsightsConfig | undefined;
}

export interface ResourceMetricsDeps {
  api: MetricsApi;
  clock: Clock;
  random?: () => number;
  signal?: AbortSignal;
}

/** One metric of one object: an id for the call and where its answer goes. */
interface MetricSpec {
  id: string;
  group: 'ecs' | 'insights';
  object: string;
  namespace: 'AWS/ECS' | 'ContainerInsights';
  metricName: string;
  stat: 'Maximum' | 'Average';
  dimensions: Array<{ Name: string; Value: string }>;
  role: 'cpu' | 'memory' | 'restarts';
}

export async function fetchResourceMetrics(
  request: ResourceMetricsRequest,
  deps: ResourceMetricsDeps,
): Promise<ChangeEvidence> {
  const specs = metricSpecs(request);
  const evidence = emptyChangeEvidence();
  if (specs.length === 0) return evidence;
  const periodSeconds = metricPeriodSeconds(
    new Date(request.window.start.getTime() - request.marginMinutes * MINUTE_MS),
    request.now,
  );
  let pages: MetricDataPage[];
  try {
    pages = await fetchPages(buildInput(request, specs, periodSeconds), request, deps);
  } catch (error) {
    const detail = describeCallFailure(error, 'GetMetricData', RESOURCE_METRICS_PERMISSIONS, request.timeoutSeconds);
    for (const group of groupsOf(specs)) evidence.sources.push({ name: sourceName(group), status: 'failed', detail });
    return evidence;
  }
  const collected = collect(pages);
  for (const group of groupsOf(specs)) {
    const groupSpecs = specs.filter((s) => s.group === group);
    const series = seriesOf(groupSpecs, collected, periodSeconds);
    evidence.resources.push(...series);
    if (group === 'insights') evidence.changes.push(...restartsOf(groupSpecs, collected));
    evidence.sources.push(statusOf(group, series, periodSeconds, pages));
  }
  return evidence;
}

function metricSpecs(request: ResourceMetricsRequest): MetricSpec[] {
  const specs: MetricSpec[] = [];
  request.ecs?.services.forEach((service, i) => {
    const dimensions = [
      { Name: 'ClusterName', Value: request.ecs!.cluster },
      { Name: 'ServiceName', Value: service },
    ];
    for (const [role, metricName] of [
      ['cpu', 'CPUUtilization'],
      ['memory', 'MemoryUtilization'],
    ] as const) {
      for (const stat of ['Maximum', 'Average'] as const)
        specs.push({
          id: `e${i}_${role}_${stat === 'Maximum' ? 'max' : 'avg'}`,
          group: 'ecs',
          object: service,
          namespace: 'AWS/ECS',
          metricName,
          stat,
          dimensions,
          role,
        });
    }
  });
  const insights = request.containerInsights;
  insights?.workloads.forEach((workload, i) => {
    const dimensions = [
      { Name: 'ClusterName', Value: insights.clusterName },
      { Name: 'Namespace', Value: insights.namespace },
      { Name: 'PodName', Value: workload },
    ];
    for (const [role, metricName] of [
      ['cpu', 'pod_cpu_utilization_over_pod_limit'],
      ['memory', 'pod_memory_utilization_over_pod_limit'],
    ] as const) {
      for (const stat of ['Maximum', 'Average'] as const)
        specs.push({
          id: `k${i}_${role}_${stat === 'Maximum' ? 'max' : 'avg'}`,
          group: 'insights',
          object: workload,
          namespace: 'ContainerInsights',
          metricName,
          stat,
          dimensions,
          role,
        });
    }
    specs.push({
      id: `k${i}_restarts`,
      group: 'insights',
      object: workload,
      namespace: 'ContainerInsights',
      metricName: 'pod_number_of_container_restarts',
      stat: 'Maximum',
      dimensions,
      role: 'restarts',
    });
  });
  return specs;
}

function buildInput(
  request: ResourceMetricsRequest,
  specs: readonly MetricSpec[],
  periodSeconds: number,
): GetMetricDataCommandInput {
  const periodMs = periodSeconds * 1000;
  const from = request.window.start.getTime() - request.marginMinutes * MINUTE_MS;
  return {
    StartTime: new Date(Math.floor(from / periodMs) * periodMs),
    EndTime: new Date(Math.min(request.window.end.getTime() + AFTER_WINDOW_MINUTES * MINUTE_MS, request.now.getTime())),
    // GetMetricData returns newest-first unless told otherwise.
    ScanBy: 'TimestampAscending',
    MetricDataQueries: specs.map((spec) => ({
      Id: spec.id,
      ReturnData: true,
      MetricStat: {
        Metric: { Namespace: spec.namespace, MetricName: spec.metricName, Dimensions: spec.dimensions },
        Period: periodSeconds,
        Stat: spec.stat,
      },
    })),
  };
}

async function fetchPages(
  input: GetMetricDataCommandInput,
  request: ResourceMetricsRequest,
  deps: ResourceMetricsDeps,
): Promise<MetricDataPage[]> {
  const pages: MetricDataPage[] = [];
  let nextToken: string | undefined;
  do {
    const token = nextToken;
    const page = await callAws(
      (context) => deps.api.getMetricData({ ...input, ...(token ? { NextToken: token } : {}) }, context),
      {
        clock: deps.clock,
        deadlineMs: request.deadlineMs,
        signal: deps.signal,
        random: deps.random,
      },
    );
    pages.push(page);
    nextToken = page.NextToken;
  } while (nextToken && pages.length < MAX_PAGES);
  return pages;
}

interface Collected {
  points: Map<number, number>;
  statusCode: string | null;
  messages: string[];
}

function collect(pages: readonly MetricDataPage[]): Map<string, Collected> {
  const byId = new Map<string, Collected>();
  for (const page of pages) {
    for (const result of page.MetricDataResults ?? []) {
      if (!result.Id) continue;
      const entry: Collected = byId.get(result.Id) ?? { points: new Map(), statusCode: null, messages: [] };
      if (result.StatusCode) entry.statusCode = result.StatusCode;
      entry.messages.push(...(result.Messages ?? []).map((m) => [m.Code, m.Value].filter(Boolean).join(': ')));
      const timestamps = result.Timestamps ?? [];
      const values = result.Values ?? [];
      for (let i = 0; i < timestamps.length && i < values.length; i++)
        entry.points.set(new Date(timestamps[i]!).getTime(), values[i]!);
      byId.set(result.Id, entry);
    }
  }
  return byId;
}

function seriesOf(
  specs: readonly MetricSpec[],
  collected: Map<string, Collected>,
  periodSeconds: number,
): ResourceSeries[] {
  const out: ResourceSeries[] = [];
  const objects = [...new Set(specs.map((s) => s.object))];
  for (const object of objects) {
    for (const metric of ['cpu', 'memory'] as const) {
      const max = specs.find((s) => s.object === object && s.role === metric && s.stat === 'Maximum');
      const avg = specs.find((s) => s.object === object && s.role === metric && s.stat === 'Average');
      if (!max || !avg) continue;
      out.push(toSeries(max, collected.get(max.id), collected.get(avg.id), periodSeconds));
    }
  }
  return out;
}

function toSeries(
  max: MetricSpec,
  maxData: Collected | undefined,
  avgData: Collected | undefined,
  periodSeconds: number,
): ResourceSeries {
  const dims = max.dimensions.map((d) => `${d.Name} ${d.Value}`).join(', ');
  const base = {
    object: max.object,
    metric: max.role as 'cpu' | 'memory',
    unit: max.group === 'ecs' ? ('task' as const) : ('pod' as const),
    source: `${max.namespace} ${max.metricName} (${dims})`,
    periodSeconds,
  };
  const codes = [maxData?.statusCode, avgData?.statusCode];
  if (codes.includes('Forbidden'))
    return {
      ...base,
      status: 'unavailable',
      reason: `CloudWatch refused ${max.metricName} (Forbidden); the credentials need cloudwatch:GetMetricData`,
      points: [],
    };
  if (codes.includes('InternalError'))
    return {
      ...base,
      status: 'unavailable',
      reason: `CloudWatch failed to return ${max.metricName} (InternalError)`,
      points: [],
    };
  const times = [...new Set([...(maxData?.points.keys() ?? []), ...(avgData?.points.keys() ?? [])])].sort(
    (a, b) => a - b,
  );
  if (times.length === 0) {
    const why =
      max.group === 'ecs'
        ? 'ECS publishes them only while the service has RUNNING tasks, or the cluster or service name is wrong'
        : 'Container Insights publishes them only for running pods, or the names are wrong';
    return {
      ...base,
      status: 'unavailable',
      reason: `no ${max.metricName} datapoints for ${max.object} in the range: ${why} — not 0`,
      points: [],
    };
  }
  const points = times.map((t) => ({
    at: new Date(t),
    maximumPercent: maxData?.points.get(t) ?? null,
    averagePercent: avgData?.points.get(t) ?? null,
  }));
  const problems = [
    ...(maxData?.messages ?? []),
    ...(avgData?.messages ?? []),
    ...(codes.includes('PartialData') ? [`CloudWatch returned partial data for ${max.metricName}`] : []),
  ];
  return problems.length > 0
    ? { ...base, status: 'partial', reason: problems.join('; '), points }
    : { ...base, status: 'ok', points };
}

/**
 * pod_number_of_container_restarts per workload: a period whose Maximum rises above the one
 * before is a restart (whether the metric counts per period or in total is unverified; a rise
 * is a restart either way). The first datapoint has nothing to rise from and counts for nothing.
 */
function restartsOf(specs: readonly MetricSpec[], collected: Map<string, Collected>): ChangeEvent[] {
  const changes: ChangeEvent[] = [];
  for (const spec of specs.filter((s) => s.role === 'restarts')) {
    const points = [...(collected.get(spec.id)?.points.entries() ?? [])].sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < points.length; i++) {
      const [atMs, value] = points[i]!;
      const before = points[i - 1]![1];
      if (value <= before) continue;
      changes.push({
        at: new Date(atMs),
        kind: 'container_restart',
        object: spec.object,
        objectKind: 'pod',
        count: 1,
        repeats: Math.round(value - before),
        source: CONTAINER_INSIGHTS_SOURCE,
        evidence: `pod_number_of_container_restarts (Maximum) of ${spec.object} rose from ${before} to ${value} at ${new Date(atMs).toISOString()}`,
      });
    }
  }
  return changes;
}

function groupsOf(specs: readonly MetricSpec[]): Array<MetricSpec['group']> {
  return [...new Set(specs.map((s) => s.group))];
}

function sourceName(group: MetricSpec['group']): string {
  return group === 'ecs' ? ECS_METRICS_SOURCE : CONTAINER_INSIGHTS_SOURCE;
}

function statusOf(
  group: MetricSpec['group'],
  series: readonly ResourceSeries[],
  periodSeconds: number,
  pages: readonly MetricDataPage[],
): SourceStatus {
  const unavailable = series.filter((s) => s.status !== 'ok');
  const cut = pages.at(-1)?.NextToken ? [`stopped after ${MAX_PAGES} pages`] : [];
  // A series without datapoints is an answer (no running task), not a failed call: partial, with why.
  const status = unavailable.length === 0 && cut.length === 0 ? 'complete' : 'partial';
  const detail = [
    `${periodSeconds} s periods`,
    ...unavailable.map((s) => `${s.object} ${s.metric}: ${s.reason}`),
    ...cut,
  ].join('; ');
  return { name: sourceName(group), status, detail };
}
