/**
 * CloudWatch as the evidence source: one Logs Insights query per proxy log group and one
 * GetMetricData call, all started at once, so the time to a verdict is the slowest query
 * plus a little. Log groups are summed into one ProxyTally (the same one files mode uses).
 * Never throws for a source failure: that becomes an unavailable or partial signal with the
 * reason. Throws UsageError / ConfigError only for input that must not reach a query.
 */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { Config } from '../../config.js';
import { systemClock, type Clock } from '../../core/clock.js';
import type { EvidenceContext, InvestigationCommand, MinuteRange, SignalMap, SignalSeries, SourceStatus } from '../../core/types.js';
import { detectLineGaps } from '../../evidence/detect-line-gaps.js';
import type { IndexSelector } from '../../evidence/index-matcher.js';
import { isoMinute, minuteStart } from '../../evidence/minute-buckets.js';
import { ProxyTally } from '../../evidence/proxy-tally.js';
import { partialSeries, unavailableSeries } from '../../evidence/signal-series.js';
import { crossCheckProxyAgainstAlb, type CrossCheck } from './cross-checks.js';
import { createLogsInsightsApi, runInsightsQuery, type InsightsQueryOutcome, type LogsInsightsApi, type PollingPolicy } from './logs-insights.js';
import { createMetricsApi, fetchAlbMetrics, type AlbMetricsOutcome, type MetricsApi } from './metrics.js';
import { addProxySignalRows, buildProxySignalsQuery } from './proxy-signals-query.js';
import { processQueryLimiter, type QueryLimiter } from './query-limiter.js';

export interface CloudWatchEvidenceInput {
  command: InvestigationCommand;
  index: IndexSelector;
  aws: NonNullable<Config['aws']>;
  slowRequestSeconds: number;
}

export interface CloudWatchDeps {
  logs: LogsInsightsApi;
  metrics: MetricsApi;
  clock: Clock;
  limiter: QueryLimiter;
  /** [0, 1) for retry jitter; Math.random by default. */
  random?: () => number;
  polling?: PollingPolicy;
}

export interface CloudWatchEvidence {
  signals: Partial<SignalMap>;
  sources: SourceStatus[];
  context: Partial<EvidenceContext>;
  /** API calls behind this answer (StartQuery, GetQueryResults, StopQuery, GetMetricData pages). */
  apiCalls: number;
  crossChecks: CrossCheck[];
  /** The ALB's TargetResponseTime per minute (seconds), when measured: context for slowness. */
  responseTime: AlbMetricsOutcome['responseTime'];
}

const PROXY_SOURCE_PREFIX = 'proxy logs via Logs Insights';
const PROXY_SIGNALS = ['origin_5xx', 'throttled_429', 'slow_requests'] as const;

export async function gatherCloudWatchEvidence(input: CloudWatchEvidenceInput, deps: CloudWatchDeps): Promise<CloudWatchEvidence> {
  const { window } = input.command;
  // Validates the index, `match` and the threshold before anything is sent.
  const queryString = buildProxySignalsQuery({ selector: input.index, slowRequestSeconds: input.slowRequestSeconds });
  const now = deps.clock.now();
  const timeoutSeconds = input.aws.queryTimeoutSeconds ?? 60;
  const deadlineMs = now.getTime() + timeoutSeconds * 1000;
  const logGroups = [...new Set(input.aws.proxyLogGroups ?? [])];
  const startTimeSeconds = Math.floor(window.start.getTime() / 1000);
  const endTimeSeconds = Math.ceil(window.end.getTime() / 1000) - 1;
  const random = deps.random ?? Math.random;

  const metricsRequest = {
    window,
    now,
    index: input.index.index,
    loadBalancer: input.aws.loadBalancer,
    targetGroup: input.index.targetGroup,
    deadlineMs,
    timeoutSeconds,
  };
  const metricsKey = ['metrics', metricsRequest.loadBalancer, metricsRequest.targetGroup, window.start.toISOString(), window.end.toISOString()].join('|');
  const metricsPromise = deps.limiter.share(metricsKey, () => fetchAlbMetrics(metricsRequest, { api: deps.metrics, clock: deps.clock }));
  const queryPromises = logGroups.map((logGroup) =>
    deps.limiter.share(['insights', logGroup, startTimeSeconds, endTimeSeconds, queryString].join('|'), () =>
      runInsightsQuery(
        { logGroup, queryString, startTimeSeconds, endTimeSeconds, deadlineMs, timeoutSeconds },
        { api: deps.logs, clock: deps.clock, limiter: deps.limiter, random, ...(deps.polling ? { polling: deps.polling } : {}) },
      ),
    ),
  );
  const [metrics, ...outcomes] = await Promise.all([metricsPromise, ...queryPromises]);

  const proxy = proxySignals(input, outcomes, metrics.signals.requests ?? null);
  const signals: Partial<SignalMap> = { ...metrics.signals, ...proxy.signals };
  signals.requests = pickRequests(metrics.signals.requests, proxy.requests);
  // The proxy's own count, beside the ALB's: when targets die the proxy "goes quiet".
  if (proxy.requests) signals.proxy_requests = proxy.requests;
  if (proxy.unavailableReason !== null) signals.slow_requests = slowRequestsUnavailable(proxy.unavailableReason, metrics, input.command);
  return {
    signals,
    sources: [...proxy.sources, metrics.source],
    context: {
      slowRequestSeconds: input.slowRequestSeconds,
      elb502TargetGroups: null,
      targetGroupsSeen: null,
      ...(metrics.periodSeconds > 60 ? { metricPeriodSeconds: metrics.periodSeconds } : {}),
    },
    apiCalls: metrics.apiCalls + outcomes.reduce((sum, outcome) => sum + outcome.apiCalls, 0),
    crossChecks: crossCheckProxyAgainstAlb(signals),
    responseTime: metrics.responseTime,
  };
}

interface ProxyPart {
  signals: Partial<Pick<SignalMap, (typeof PROXY_SIGNALS)[number]>>;
  requests: SignalSeries | null;
  sources: SourceStatus[];
  /** Set when the proxy signals could not be measured at all. */
  unavailableReason: string | null;
}

/** Sums every log group's rows into one tally; a failed group makes the sum partial. */
function proxySignals(input: CloudWatchEvidenceInput, outcomes: readonly InsightsQueryOutcome[], albRequests: SignalSeries | null): ProxyPart {
  if (outcomes.length === 0) {
    const reason = 'aws.proxyLogGroups is empty: no proxy logs to query';
    return {
      signals: unavailableProxySignals(reason),
      requests: null,
      sources: [{ name: PROXY_SOURCE_PREFIX, status: 'not_configured', detail: reason }],
      unavailableReason: reason,
    };
  }
  const sources = outcomes.map(proxySource);
  const failed = outcomes.filter((outcome) => outcome.status === 'failed');
  if (failed.length === outcomes.length) {
    const reason = failed.map((outcome) => outcome.reason).join('; ');
    return { signals: unavailableProxySignals(reason), requests: null, sources, unavailableReason: reason };
  }
  const tally = new ProxyTally(input.command.window);
  let unreadable = 0;
  let slowUnreadable = 0;
  for (const outcome of outcomes) {
    const added = addProxySignalRows(tally, outcome.rows);
    unreadable += added.unreadable;
    slowUnreadable += added.slowUnreadable;
  }
  const measured = tally.toSignals(`Logs Insights ${outcomes.filter((o) => o.status !== 'failed').map((o) => o.logGroup).join(', ')}`);
  const problems = [
    ...failed.map((outcome) => `missing ${outcome.logGroup}: ${outcome.reason}`),
    ...outcomes.filter((outcome) => outcome.status === 'partial').map((outcome) => `${outcome.logGroup}: ${outcome.reason}`),
    ...(unreadable > 0 ? [`${unreadable} result row(s) could not be read`] : []),
  ];
  const holes = silences(tally.requests, albRequests, input.command.window);
  if (holes.reason) problems.push(holes.reason);
  const finish = (series: SignalSeries) => (problems.length > 0 ? partialSeries(series, problems.join('; '), holes.uncovered) : series);
  const slowReason = `${slowUnreadable} result row(s) had no readable slow count: their slowness is unknown, not 0`;
  const slow = slowUnreadable > 0 ? partialSeries(finish(measured.slow_requests), [...problems, slowReason].join('; '), holes.uncovered) : finish(measured.slow_requests);
  return {
    signals: { origin_5xx: finish(measured.origin_5xx), throttled_429: finish(measured.throttled_429), slow_requests: slow },
    requests: finish(measured.requests),
    sources,
    unavailableReason: null,
  };
}

/**
 * Minutes a busy log group returned nothing for while the load balancer counted requests for
 * the index: not a quiet proxy but log events not (yet) ingested or a gap in shipping. Left out,
 * never read as zero 429s or 5xx. When the ALB counted nothing either, the index was quiet.
 */
function silences(requestsPerMinute: readonly number[], albRequests: SignalSeries | null, window: InvestigationCommand['window']): { uncovered: MinuteRange[]; reason: string | null } {
  if (requestsPerMinute.every((n) => n === 0)) return { uncovered: [], reason: null }; // nothing matched: said elsewhere
  const gaps = detectLineGaps({ entriesPerMinute: requestsPerMinute, entriesBefore: true, entriesAfter: true, detectCollapse: false });
  const albCounts = albRequests?.status === 'unavailable' ? null : (albRequests?.counts ?? null);
  const uncovered = gaps
    .map((gap) => gap.range)
    .flatMap(([first, last]) => (albCounts ? minutesWithTraffic(albCounts, first, last) : [[first, last] as MinuteRange]));
  if (uncovered.length === 0) return { uncovered: [], reason: null };
  const utc = (index: number) => isoMinute(minuteStart(window, index)).slice(11, 16);
  const spans = uncovered.map(([first, last]) => (first === last ? utc(first) : `${utc(first)}–${utc(last)}`)).join(', ');
  return { uncovered, reason: `Logs Insights returned no events for the index in ${spans} UTC while the load balancer counted requests for it (not yet ingested, or not shipped): those minutes are left out, not counted as zero` };
}

/** The stretches of [first, last] in which the ALB counted requests. */
function minutesWithTraffic(counts: readonly number[], first: number, last: number): MinuteRange[] {
  const ranges: MinuteRange[] = [];
  for (let i = first; i <= last; i++) {
    if ((counts[i] ?? 0) === 0) continue;
    const previous = ranges[ranges.length - 1];
    if (previous && previous[1] === i - 1) previous[1] = i;
    else ranges.push([i, i]);
  }
  return ranges;
}

function unavailableProxySignals(reason: string): ProxyPart['signals'] {
  return {
    origin_5xx: unavailableSeries('index', reason),
    throttled_429: unavailableSeries('index', reason),
    slow_requests: unavailableSeries('index', reason),
  };
}

function proxySource(outcome: InsightsQueryOutcome): SourceStatus {
  const { bytesScanned, recordsScanned } = outcome.statistics;
  const queries = `${outcome.queries} quer${outcome.queries === 1 ? 'y' : 'ies'}`;
  // A query stopped or refused reports no statistics: say nothing rather than "0 B".
  const scanned = bytesScanned > 0 || recordsScanned > 0
    ? `${formatBytes(bytesScanned)} scanned (${recordsScanned.toLocaleString('en-US')} records, ${queries})`
    : outcome.queries > 0 ? queries : null;
  const detail = [outcome.status, scanned, outcome.reason].filter(Boolean).join(', ');
  return { name: `${PROXY_SOURCE_PREFIX} ${outcome.logGroup}`, status: outcome.status, detail };
}

/** The ALB's count of the index's requests (CONTRACT §3); the proxy's when metrics failed. */
function pickRequests(fromMetrics: SignalSeries | undefined, fromProxy: SignalSeries | null): SignalSeries {
  if (fromMetrics && fromMetrics.status !== 'unavailable') return fromMetrics;
  if (fromProxy) return fromProxy;
  return fromMetrics ?? unavailableSeries('index', 'no source measured the requests');
}

/** slow_requests needs a count; the ALB's TargetResponseTime only says how slow the slowest was. */
function slowRequestsUnavailable(proxyReason: string, metrics: AlbMetricsOutcome, command: InvestigationCommand): SignalSeries {
  const peak = peakResponseTime(metrics.responseTime?.maxSeconds ?? []);
  const hint = peak
    ? `; the ALB's TargetResponseTime (a maximum, not a count) peaked at ${peak.seconds.toFixed(2)} s at ${isoMinute(minuteStart(command.window, peak.minute))}`
    : '';
  return unavailableSeries('index', `slow requests are counted from the proxy logs: ${proxyReason}${hint}`);
}

function peakResponseTime(values: ReadonlyArray<number | null>): { minute: number; seconds: number } | null {
  let peakMinute = -1;
  for (let minute = 0; minute < values.length; minute++) {
    const seconds = values[minute];
    if (seconds != null && (peakMinute < 0 || seconds > values[peakMinute]!)) peakMinute = minute;
  }
  return peakMinute < 0 ? null : { minute: peakMinute, seconds: values[peakMinute]! };
}

/** "2.1 GB", decimal units as AWS bills them. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return unit === 0 ? `${Math.round(value)} B` : `${value >= 100 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

/**
 * The real clients. Credentials come from the standard AWS chain and endpoints from
 * AWS_ENDPOINT_URL* (never set here); the region from aws.region, else AWS_REGION.
 */
export function createCloudWatchDeps(aws: Config['aws']): CloudWatchDeps {
  const clientConfig = aws?.region ? { region: aws.region } : {};
  return {
    logs: createLogsInsightsApi(new CloudWatchLogsClient(clientConfig)),
    metrics: createMetricsApi(new CloudWatchClient(clientConfig)),
    clock: systemClock,
    limiter: processQueryLimiter(aws?.maxConcurrentQueries ?? 10),
  };
}
