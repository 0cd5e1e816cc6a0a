/**
 * CloudWatch's answers for a simulated incident, derived from the very log lines files mode
 * reads: Logs Insights rows come from the proxy lines through the query emulator
 * (insights-emulator.ts), GetMetricData datapoints from the ALB lines aggregated the way the
 * AWS/ApplicationELB metrics are published (domain.md §2):
 * - count metrics have a datapoint only where the value is non-zero ("no datapoint = 0");
 * - RequestCount counts only requests for which a target was chosen (not the 503s of a
 *   target group without targets);
 * - HTTPCode_ELB_* counts what the load balancer answered itself (target status "-"),
 *   per load balancer only: there is no TargetGroup dimension for them;
 * - TargetResponseTime = target_processing_time of requests a target answered;
 * - HealthyHostCount / UnHealthyHostCount are gauges published every minute for every target
 *   group of the incident: `healthyTargets` healthy, 0 during a no_targets event.
 * The simulator has no failed connections, so TargetConnectionErrorCount has no datapoints.
 * Feed `rowsFor` and `metricsFor` to startFakeCloudWatch.
 */
import { parseLbLine } from '../../src/parsers/alb-line.js';
import { type IncidentSpec, type SimulatedLogs, simulateIncident } from '../../src/simulate/simulate-incident.js';
import type { InsightsRow } from '../../src/sources/cloudwatch/proxy-signals-query.js';
import type { FakeMetricQuery, FakeMetricResult, FakeQuery } from './fake-cloudwatch-server.js';
import { emulateInsightsQuery, type LogEvent } from './insights-emulator.js';

export interface CloudWatchFromLogsOptions {
  /** Log groups that hold the proxy lines; a query on any other group finds nothing. Default: every group. */
  proxyLogGroups?: readonly string[];
  /** Healthy targets per target group while it has targets. Default 3 (the simulator's pods per tenant). */
  healthyTargets?: number;
}

export interface CloudWatchFromLogs {
  /** Logs Insights: the query evaluated over the proxy lines whose @timestamp is in [startTime, endTime] s. */
  rowsFor(query: FakeQuery): InsightsRow[];
  /** GetMetricData: datapoints per requested metric, dimensions, period and statistic. */
  metricsFor(queries: FakeMetricQuery[], range: { startTime: number; endTime: number }): FakeMetricResult[];
  /** The proxy lines as log events (@timestamp = the line's time). */
  proxyEvents: LogEvent[];
}

const MINUTE_MS = 60_000;

/** What one minute of ALB lines adds up to, for one dimension set. */
interface MinuteTotals {
  requests: number;
  target5xx: number;
  target4xx: number;
  elb502: number;
  elb503: number;
  elb504: number;
  elb5xx: number;
  elb4xx: number;
  /** target_processing_time of every answered request, seconds. */
  targetSeconds: number[];
}

type Series = Map<number, MinuteTotals>; // minute start (epoch ms) → totals

export function cloudWatchFromLogs(
  spec: IncidentSpec,
  logs: SimulatedLogs = simulateIncident(spec),
  options: CloudWatchFromLogsOptions = {},
): CloudWatchFromLogs {
  const proxyEvents: LogEvent[] = logs.proxy.map(({ timeMs, line }) => ({ timestampMs: timeMs, message: line }));
  const byDimensions = aggregateAlbLines(logs);
  const healthyTargets = options.healthyTargets ?? 3;
  const targetGroups = new Set(spec.tenants.map((tenant) => tenant.targetGroup));

  const rowsFor = (query: FakeQuery): InsightsRow[] => {
    const holdsProxyLines =
      !options.proxyLogGroups || query.logGroupNames.some((group) => options.proxyLogGroups!.includes(group));
    return holdsProxyLines ? emulateInsightsQuery(query.queryString, proxyEvents, query.startTime, query.endTime) : [];
  };

  const metricsFor = (queries: FakeMetricQuery[], range: { startTime: number; endTime: number }): FakeMetricResult[] =>
    queries.map((query) => {
      const stat = query.MetricStat;
      const metricName = stat?.Metric?.MetricName ?? '';
      const statistic = stat?.Stat ?? '';
      const periodMs = (stat?.Period ?? 60) * 1000;
      const dimensions = Object.fromEntries((stat?.Metric?.Dimensions ?? []).map((d) => [d.Name, d.Value]));
      const key = dimensionKey(dimensions);
      const fromMs = range.startTime * 1000;
      const toMs = range.endTime * 1000;
      if (metricName === 'HealthyHostCount' || metricName === 'UnHealthyHostCount') {
        const gauge = gaugeDatapoints(spec, metricName, dimensions, targetGroups, healthyTargets, {
          fromMs,
          toMs,
          periodMs,
        });
        return { Id: query.Id, ...gauge };
      }
      const series = byDimensions.get(key);
      const pick = aggregateFor(metricName, statistic, key);
      return { Id: query.Id, ...datapoints(series, pick, { fromMs, toMs, periodMs }) };
    });

  return { rowsFor, metricsFor, proxyEvents };
}

/** "TargetGroup=…|LoadBalancer=…" or "LoadBalancer=…": the dimension sets ALB metrics are published with. */
function dimensionKey(dimensions: Record<string, string>): string {
  return Object.keys(dimensions)
    .sort()
    .reverse()
    .map((name) => `${name}=${dimensions[name]}`)
    .join('|');
}

function emptyTotals(): MinuteTotals {
  return {
    requests: 0,
    target5xx: 0,
    target4xx: 0,
    elb502: 0,
    elb503: 0,
    elb504: 0,
    elb5xx: 0,
    elb4xx: 0,
    targetSeconds: [],
  };
}

/** Per dimension set (target group + load balancer, and load balancer alone): per-minute totals. */
function aggregateAlbLines(logs: SimulatedLogs): Map<string, Series> {
  const byDimensions = new Map<string, Series>();
  const totalsFor = (key: string, minuteMs: number): MinuteTotals => {
    let series = byDimensions.get(key);
    if (!series) {
      series = new Map();
      byDimensions.set(key, series);
    }
    let totals = series.get(minuteMs);
    if (!totals) {
      totals = emptyTotals();
      series.set(minuteMs, totals);
    }
    return totals;
  };
  for (const { line } of logs.alb) {
    const entry = parseLbLine(line);
    if (entry.kind !== 'alb') throw new Error(`The simulator wrote an ALB line the parser rejects: ${line}`);
    const minuteMs = Math.floor(entry.timeMs / MINUTE_MS) * MINUTE_MS;
    const loadBalancer = totalsFor(dimensionKey({ LoadBalancer: entry.elb }), minuteMs);
    const targetGroupName = entry.targetGroupArn?.slice(entry.targetGroupArn.indexOf('targetgroup/')) ?? null;
    const targetGroup = targetGroupName
      ? totalsFor(dimensionKey({ TargetGroup: targetGroupName, LoadBalancer: entry.elb }), minuteMs)
      : null;
    const targetChosen = entry.target !== null;
    const minted = entry.targetStatus === '-' ? entry.elbStatus : null;
    for (const totals of [loadBalancer, targetGroup]) {
      if (!totals) continue;
      if (targetChosen) totals.requests++;
      if (/^5\d\d$/.test(entry.targetStatus)) totals.target5xx++;
      if (/^4\d\d$/.test(entry.targetStatus)) totals.target4xx++;
      if (entry.targetProcessingSeconds !== null && entry.targetStatus !== '-')
        totals.targetSeconds.push(entry.targetProcessingSeconds);
    }
    if (minted === '502') loadBalancer.elb502++;
    if (minted === '503') loadBalancer.elb503++;
    if (minted === '504') loadBalancer.elb504++;
    if (minted?.startsWith('5')) loadBalancer.elb5xx++;
    if (minted?.startsWith('4')) loadBalancer.elb4xx++;
  }
  return byDimensions;
}

type Aggregate = { kind: 'sum'; of: (totals: MinuteTotals) => number } | { kind: 'samples'; stat: 'max' | 'p99' };

/** How a metric + statistic is read from the totals; throws for what this stand-in does not publish. */
function aggregateFor(metricName: string, statistic: string, key: string): Aggregate {
  const onTargetGroup = key.startsWith('TargetGroup=');
  const sums: Record<string, (totals: MinuteTotals) => number> = {
    RequestCount: (t) => t.requests,
    HTTPCode_Target_5XX_Count: (t) => t.target5xx,
    HTTPCode_Target_4XX_Count: (t) => t.target4xx,
    TargetConnectionErrorCount: () => 0,
    ...(onTargetGroup
      ? {}
      : {
          HTTPCode_ELB_502_Count: (t: MinuteTotals) => t.elb502,
          HTTPCode_ELB_503_Count: (t: MinuteTotals) => t.elb503,
          HTTPCode_ELB_504_Count: (t: MinuteTotals) => t.elb504,
          HTTPCode_ELB_5XX_Count: (t: MinuteTotals) => t.elb5xx,
          HTTPCode_ELB_4XX_Count: (t: MinuteTotals) => t.elb4xx,
        }),
  };
  if (statistic === 'Sum' && sums[metricName]) return { kind: 'sum', of: sums[metricName]! };
  if (metricName === 'TargetResponseTime' && statistic === 'Maximum') return { kind: 'samples', stat: 'max' };
  if (metricName === 'TargetResponseTime' && statistic === 'p99') return { kind: 'samples', stat: 'p99' };
  throw new Error(`cloudWatchFromLogs does not publish ${metricName} ${statistic} for ${key}`);
}

interface Range {
  fromMs: number;
  toMs: number;
  periodMs: number;
}

/** One datapoint per period that has a non-zero value (counts) or at least one sample (response time). */
function datapoints(
  series: Series | undefined,
  aggregate: Aggregate,
  range: Range,
): Pick<FakeMetricResult, 'Timestamps' | 'Values'> {
  const periods = new Map<number, MinuteTotals[]>();
  for (const [minuteMs, totals] of series ?? []) {
    if (minuteMs < range.fromMs || minuteMs >= range.toMs) continue;
    const periodMs = Math.floor(minuteMs / range.periodMs) * range.periodMs;
    periods.set(periodMs, [...(periods.get(periodMs) ?? []), totals]);
  }
  const out = { Timestamps: [] as number[], Values: [] as number[] };
  for (const periodMs of [...periods.keys()].sort((a, b) => a - b)) {
    const minutes = periods.get(periodMs)!;
    let value: number | null;
    if (aggregate.kind === 'sum') {
      const sum = minutes.reduce((total, totals) => total + aggregate.of(totals), 0);
      value = sum > 0 ? sum : null;
    } else {
      const samples = minutes.flatMap((totals) => totals.targetSeconds).sort((a, b) => a - b);
      value =
        samples.length === 0
          ? null
          : aggregate.stat === 'max'
            ? samples.at(-1)!
            : samples[Math.ceil(samples.length * 0.99) - 1]!;
    }
    if (value === null) continue;
    out.Timestamps.push(periodMs / 1000);
    out.Values.push(value);
  }
  return out;
}

/** Gauges of a target group of the incident: every period of the incident in the range. */
function gaugeDatapoints(
  spec: IncidentSpec,
  metricName: 'HealthyHostCount' | 'UnHealthyHostCount',
  dimensions: Record<string, string>,
  targetGroups: ReadonlySet<string>,
  healthyTargets: number,
  range: Range,
): Pick<FakeMetricResult, 'Timestamps' | 'Values'> {
  const out = { Timestamps: [] as number[], Values: [] as number[] };
  const targetGroup = dimensions.TargetGroup;
  if (!targetGroup || dimensions.LoadBalancer !== spec.loadBalancer || !targetGroups.has(targetGroup)) return out;
  const tenant = spec.tenants.find((t) => t.targetGroup === targetGroup)!;
  const startMs = spec.start.getTime();
  const endMs = startMs + spec.minutes * MINUTE_MS;
  for (
    let periodMs = Math.floor(Math.max(range.fromMs, startMs) / range.periodMs) * range.periodMs;
    periodMs < Math.min(range.toMs, endMs);
    periodMs += range.periodMs
  ) {
    const first = Math.floor((periodMs - startMs) / MINUTE_MS);
    const last = first + range.periodMs / MINUTE_MS - 1;
    const noTargets = spec.events.some(
      (e) => e.kind === 'no_targets' && e.index === tenant.index && last >= e.fromMinute && first <= e.toMinute,
    );
    out.Timestamps.push(periodMs / 1000);
    // Minimum healthy / maximum unhealthy: without registered targets both are 0.
    out.Values.push(metricName === 'HealthyHostCount' ? (noTargets ? 0 : healthyTargets) : 0);
  }
  return out;
}
