/**
 * CloudWatch's providers: the ALB metrics view (one GetMetricData call) and the proxy view (one
 * Logs Insights query per proxy log group, the query of the group's format (aws.proxyLogFormats:
 * HAProxy, Traefik JSON, Envoy), summed into one ProxyTally — the same one files mode fills). Never throws for a source failure: the view says so. Throws UsageError /
 * ConfigError only for input that must not reach a query.
 */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { Config } from '../../config.js';
import { type Clock, systemClock } from '../../core/clock.js';
import type { InvestigationCommand, SourceStatus } from '../../core/types.js';
import type { IndexSelector } from '../../evidence/index-matcher.js';
import { ProxyTally } from '../../evidence/proxy-tally.js';
import { partialSeries } from '../../evidence/signal-series.js';
import { type AbsentView, absentView, failedView, type MetricsView, type ProxyView } from '../../evidence/views.js';
import {
  createLogsInsightsApi,
  type InsightsQueryOutcome,
  type LogsInsightsApi,
  type PollingPolicy,
  runInsightsQuery,
} from './logs-insights.js';
import { type AlbMetricsOutcome, createMetricsApi, fetchAlbMetrics, type MetricsApi } from './metrics.js';
import { PROXY_FORMAT_QUERIES } from './proxy-format-queries.js';
import {
  DEFAULT_PROXY_LOG_FORMAT,
  describeProxyLogGroup,
  type ProxyLogFormat,
  proxyLogFormatOf,
} from './proxy-log-formats.js';
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

export interface CloudWatchViews {
  metrics: MetricsView | AbsentView;
  proxy: ProxyView | AbsentView;
  /** API calls behind these views (StartQuery, GetQueryResults, StopQuery, GetMetricData pages). */
  apiCalls: number;
}

const PROXY_SOURCE_PREFIX = 'proxy logs via Logs Insights';

/**
 * The ALB metrics view (GetMetricData) and the proxy view (Logs Insights over the proxy log
 * groups), all calls started at once, so the time to a verdict is the slowest query plus a
 * little. Either view may be left out (not configured): then it is absent, with the reason.
 */
export async function gatherCloudWatchViews(
  input: CloudWatchEvidenceInput,
  deps: CloudWatchDeps,
  wanted: { metrics: boolean; proxy: boolean } = { metrics: true, proxy: true },
): Promise<CloudWatchViews> {
  const { window } = input.command;
  const logGroups = [...new Set(input.aws.proxyLogGroups ?? [])];
  // Validates the index, `match` and the threshold before anything is sent: every format's query
  // in use is built first (the default one too, so bad input fails alike with no group at all).
  const queryFor = buildQueries(input, [
    DEFAULT_PROXY_LOG_FORMAT,
    ...logGroups.map((logGroup) => proxyLogFormatOf(logGroup, input.aws.proxyLogFormats)),
  ]);
  const now = deps.clock.now();
  const timeoutSeconds = input.aws.queryTimeoutSeconds ?? 60;
  const deadlineMs = now.getTime() + timeoutSeconds * 1000;
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
  const metricsKey = [
    'metrics',
    metricsRequest.loadBalancer,
    metricsRequest.targetGroup,
    window.start.toISOString(),
    window.end.toISOString(),
  ].join('|');
  const metricsPromise = wanted.metrics
    ? deps.limiter.share(metricsKey, () => fetchAlbMetrics(metricsRequest, { api: deps.metrics, clock: deps.clock }))
    : Promise.resolve(null);
  const queryPromises = wanted.proxy
    ? logGroups.map((logGroup) => {
        const queryString = queryFor.get(proxyLogFormatOf(logGroup, input.aws.proxyLogFormats))!;
        return deps.limiter.share(['insights', logGroup, startTimeSeconds, endTimeSeconds, queryString].join('|'), () =>
          runInsightsQuery(
            { logGroup, queryString, startTimeSeconds, endTimeSeconds, deadlineMs, timeoutSeconds },
            {
              api: deps.logs,
              clock: deps.clock,
              limiter: deps.limiter,
              random,
              ...(deps.polling ? { polling: deps.polling } : {}),
            },
          ),
        );
      })
    : [];
  const [metrics, ...outcomes] = await Promise.all([metricsPromise, ...queryPromises]);
  return {
    metrics: metrics ? metricsView(metrics) : absentView('no ALB metrics in this configuration'),
    proxy: wanted.proxy ? proxyView(input, outcomes) : absentView('no proxy log groups in this configuration'),
    apiCalls: (metrics?.apiCalls ?? 0) + outcomes.reduce((sum, outcome) => sum + outcome.apiCalls, 0),
  };
}

/** The per-minute query of each format, built once. */
function buildQueries(input: CloudWatchEvidenceInput, formats: readonly ProxyLogFormat[]): Map<ProxyLogFormat, string> {
  const queries = new Map<ProxyLogFormat, string>();
  for (const format of formats) {
    if (!queries.has(format))
      queries.set(
        format,
        PROXY_FORMAT_QUERIES[format].build({ selector: input.index, slowRequestSeconds: input.slowRequestSeconds }),
      );
  }
  return queries;
}

function metricsView(metrics: AlbMetricsOutcome): MetricsView | AbsentView {
  if (metrics.source.status === 'not_configured')
    return absentView(metrics.source.detail ?? 'aws.loadBalancer is not set', [metrics.source]);
  return {
    signals: metrics.signals,
    sources: [metrics.source],
    periodSeconds: metrics.periodSeconds,
    responseTimeMaxSeconds: metrics.responseTime?.maxSeconds ?? null,
  };
}

/** Sums every log group's rows into one tally; a failed group makes the view partial. */
function proxyView(input: CloudWatchEvidenceInput, outcomes: readonly InsightsQueryOutcome[]): ProxyView | AbsentView {
  if (outcomes.length === 0) {
    const reason = 'aws.proxyLogGroups is empty: no proxy logs to query';
    return absentView(reason, [{ name: PROXY_SOURCE_PREFIX, status: 'not_configured', detail: reason }]);
  }
  const formats = input.aws.proxyLogFormats;
  const sources = outcomes.map((outcome) => proxySource(outcome, describeProxyLogGroup(outcome.logGroup, formats)));
  const failed = outcomes.filter((outcome) => outcome.status === 'failed');
  if (failed.length === outcomes.length) return failedView(failed.map((outcome) => outcome.reason).join('; '), sources);
  const tally = new ProxyTally(input.command.window);
  let unreadable = 0;
  let slowUnreadable = 0;
  for (const outcome of outcomes) {
    const added = PROXY_FORMAT_QUERIES[proxyLogFormatOf(outcome.logGroup, formats)].addRows(tally, outcome.rows);
    unreadable += added.unreadable;
    slowUnreadable += added.slowUnreadable;
  }
  const name = `Logs Insights ${outcomes
    .filter((o) => o.status !== 'failed')
    .map((o) => describeProxyLogGroup(o.logGroup, formats))
    .join(', ')}`;
  const signals = tally.toSignals(name);
  const problems = [
    ...failed.map((outcome) => `missing ${outcome.logGroup}: ${outcome.reason}`),
    ...outcomes
      .filter((outcome) => outcome.status === 'partial')
      .map((outcome) => `${outcome.logGroup}: ${outcome.reason}`),
    ...(unreadable > 0 ? [`${unreadable} result row(s) could not be read`] : []),
  ];
  if (slowUnreadable > 0) {
    const slowReason = `${slowUnreadable} result row(s) had no readable slow count: their slowness is unknown, not 0`;
    signals.slow_requests = partialSeries(signals.slow_requests, [...problems, slowReason].join('; '));
  }
  return {
    name,
    signals,
    uncovered: [],
    problem: problems.length > 0 ? { status: 'partial', reason: problems.join('; ') } : null,
    inWindow: null,
    forIndex: null,
    // The query keeps only the index's lines: a silent minute of a busy group while the load
    // balancer counted requests can only be missing events (not ingested, not shipped).
    silenceIsHoleWhenAlbBusy: failed.length === 0,
    sources,
  };
}

/** `described`: the log group as people read it, with its format when not HAProxy. */
function proxySource(outcome: InsightsQueryOutcome, described: string): SourceStatus {
  const { bytesScanned, recordsScanned } = outcome.statistics;
  const queries = `${outcome.queries} quer${outcome.queries === 1 ? 'y' : 'ies'}`;
  // A query stopped or refused reports no statistics: say nothing rather than "0 B".
  const scanned =
    bytesScanned > 0 || recordsScanned > 0
      ? `${formatBytes(bytesScanned)} scanned (${recordsScanned.toLocaleString('en-US')} records, ${queries})`
      : outcome.queries > 0
        ? queries
        : null;
  const detail = [outcome.status, scanned, outcome.reason].filter(Boolean).join(', ');
  return { name: `${PROXY_SOURCE_PREFIX} ${described}`, status: outcome.status, detail };
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
  return unit === 0
    ? `${Math.round(value)} B`
    : `${value >= 100 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
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
