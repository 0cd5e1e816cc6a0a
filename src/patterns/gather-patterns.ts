/**
 * The one entry point of patterns over days (issue 13 item 3): for a command with a pattern
 * window and the verdict's kind, read the kind's hourly signal from the first configured source
 * that measures it (the index's own count before the load balancer's), and look for bursts that
 * recur at the same hour on several days. Sources are tried in the kind's order and each is
 * queried at most once; a later one only when the earlier ones did not measure the signal (so
 * Athena's scan is paid only when it is the best, or the only, source left).
 * Never throws for a source failure: the evidence says what was not measured and why.
 */
import type { Clock } from '../core/clock.js';
import type { InvestigationCommand, SignalScope, SourceStatus, VerdictKind } from '../core/types.js';
import type { IndexSelector } from '../evidence/index-matcher.js';
import type { AthenaApi } from '../sources/athena/athena-api.js';
import type { AthenaConfig } from '../sources/athena/athena-config.js';
import type { SharedQueries } from '../sources/athena/shared-queries.js';
import type { LogsInsightsApi, PollingPolicy } from '../sources/cloudwatch/logs-insights.js';
import type { MetricsApi } from '../sources/cloudwatch/metrics.js';
import type { ProxyLogFormats } from '../sources/cloudwatch/proxy-log-formats.js';
import { QueryLimiter } from '../sources/cloudwatch/query-limiter.js';
import {
  type HourGrid,
  type HourlyProvider,
  type HourlySeries,
  type HourlySignal,
  hourGridFor,
  unavailableHourly,
} from './hourly-series.js';
import { judgePatterns, type PatternsEvidence } from './judge-patterns.js';
import { PATTERN_CANDIDATES } from './pattern-signals.js';

/** The plan's views that can be read by the hour (patternSourcesFrom(plan) builds it). */
export interface PatternSources {
  /** CloudWatch metrics are read (the plan's metrics view); they need `loadBalancer`. */
  cloudWatchMetrics: boolean;
  /** The proxy's log groups when the plan reads the proxy through Logs Insights; empty otherwise. */
  proxyLogGroups: readonly string[];
  /** aws.proxyLogFormats: each group's format (a group not named holds HAProxy's lines). */
  proxyLogFormats?: ProxyLogFormats | undefined;
  /** aws.athena when the plan reads the access logs through Athena; null otherwise. */
  athena: AthenaConfig | null;
}

export interface GatherPatternsInput {
  /** Must carry `patternWindow` (parseInvestigation sets it for a --window over 24h). */
  command: InvestigationCommand;
  verdictKind: VerdictKind;
  /** The index: its name, target group (CloudWatch dimension, Athena) and `match`. */
  selector: IndexSelector;
  sources: PatternSources;
  /** aws.loadBalancer: "app/<name>/<16 hex>". */
  loadBalancer?: string | undefined;
  /** aws.queryTimeoutSeconds: the budget of the GetMetricData and Logs Insights calls (Athena has aws.athena.queryTimeoutSeconds). */
  queryTimeoutSeconds: number;
}

export interface GatherPatternsDeps {
  /** The clients of the configured sources; a configured source without its client is reported failed. */
  metrics?: MetricsApi | undefined;
  logs?: LogsInsightsApi | undefined;
  athena?: AthenaApi | undefined;
  clock: Clock;
  /** The process's Logs Insights limiter (CloudWatchDeps.limiter); default a private one of 4 slots. */
  limiter?: QueryLimiter | undefined;
  signal?: AbortSignal | undefined;
  /** [0, 1) for retry and poll jitter; default Math.random. */
  random?: (() => number) | undefined;
  polling?: PollingPolicy | undefined;
  shared?: SharedQueries | undefined;
}

interface ProviderResult {
  series: HourlySeries[];
  sources: SourceStatus[];
}

export async function gatherPatterns(input: GatherPatternsInput, deps: GatherPatternsDeps): Promise<PatternsEvidence> {
  const requestedWindow = input.command.patternWindow;
  if (!requestedWindow)
    throw new RangeError('gatherPatterns needs a command with a pattern window (--window over 24h)');
  const now = deps.clock.now();
  const grid = hourGridFor(requestedWindow, now);
  const runs = new Map<HourlyProvider, Promise<ProviderResult>>();
  const placeholders: HourlySeries[] = [];
  const skipped: SourceStatus[] = [];
  for (const candidate of PATTERN_CANDIDATES[input.verdictKind]) {
    const notConfigured = notConfiguredReason(candidate.provider, input);
    if (notConfigured) {
      placeholders.push(
        unavailableHourly(
          candidate.signal,
          candidate.provider,
          scopeOf(candidate.signal),
          PROVIDER_NAMES[candidate.provider],
          notConfigured,
        ),
      );
      if (!skipped.some((s) => s.name === PROVIDER_NAMES[candidate.provider]))
        skipped.push({ name: PROVIDER_NAMES[candidate.provider], status: 'not_configured', detail: notConfigured });
      continue;
    }
    let run = runs.get(candidate.provider);
    if (!run) {
      run = readProvider(candidate.provider, grid, input, deps);
      runs.set(candidate.provider, run);
    }
    const result = await run;
    if (result.series.some((s) => s.signal === candidate.signal && s.counts !== null)) break;
  }
  const results = await Promise.all(runs.values());
  return judgePatterns({
    grid,
    requestedWindow,
    verdictKind: input.verdictKind,
    index: input.selector.index,
    series: [...results.flatMap((r) => r.series), ...placeholders],
    sources: [...results.flatMap((r) => r.sources), ...skipped],
  });
}

const PROVIDER_NAMES: Record<HourlyProvider, string> = {
  cloudwatch: 'ALB metrics by the hour via GetMetricData',
  logsInsights: 'proxy logs by the hour via Logs Insights',
  athena: 'ALB access logs by the hour via Athena',
};

function notConfiguredReason(provider: HourlyProvider, input: GatherPatternsInput): string | null {
  switch (provider) {
    case 'cloudwatch':
      return input.sources.cloudWatchMetrics
        ? null
        : 'CloudWatch metrics are not read in this configuration (an aws: section with aws.loadBalancer reads them)';
    case 'logsInsights':
      return input.sources.proxyLogGroups.length > 0
        ? null
        : "no proxy log groups: list aws.proxyLogGroups to read the proxy's answers from Logs Insights";
    case 'athena':
      return input.sources.athena
        ? null
        : "no Athena: configure aws.athena to read the access logs (the index's own LB-minted errors) from S3";
  }
}

/** The provider's hourly series, loaded on first use (files-only runs never load these modules). */
async function readProvider(
  provider: HourlyProvider,
  grid: HourGrid,
  input: GatherPatternsInput,
  deps: GatherPatternsDeps,
): Promise<ProviderResult> {
  // Each source's budget starts when it is asked: a fallback is not starved by the source before it.
  const deadlineMs = deps.clock.now().getTime() + input.queryTimeoutSeconds * 1000;
  const common = { clock: deps.clock, signal: deps.signal, random: deps.random };
  switch (provider) {
    case 'cloudwatch': {
      if (!deps.metrics) return missingClient(provider, 'no CloudWatch client');
      const { fetchHourlyMetrics } = await import('../sources/cloudwatch/hourly-metrics.js');
      const outcome = await fetchHourlyMetrics(
        {
          grid,
          index: input.selector.index,
          loadBalancer: input.loadBalancer,
          targetGroup: input.selector.targetGroup,
          deadlineMs,
          timeoutSeconds: input.queryTimeoutSeconds,
        },
        { ...common, api: deps.metrics },
      );
      return { series: outcome.series, sources: [outcome.source] };
    }
    case 'logsInsights': {
      if (!deps.logs) return missingClient(provider, 'no CloudWatch Logs client');
      const { fetchHourlyProxyAnswers } = await import('../sources/cloudwatch/hourly-proxy-answers.js');
      const outcome = await fetchHourlyProxyAnswers(
        {
          grid,
          selector: input.selector,
          logGroups: input.sources.proxyLogGroups,
          formats: input.sources.proxyLogFormats,
          deadlineMs,
          timeoutSeconds: input.queryTimeoutSeconds,
        },
        {
          api: deps.logs,
          clock: deps.clock,
          limiter: deps.limiter ?? new QueryLimiter(4),
          random: deps.random,
          polling: deps.polling,
        },
      );
      return { series: outcome.series, sources: outcome.sources };
    }
    case 'athena': {
      if (!deps.athena || !input.sources.athena) return missingClient(provider, 'no Athena client');
      const { queryHourlyCounts } = await import('../sources/athena/query-hourly-counts.js');
      const outcome = await queryHourlyCounts(
        { grid, selector: input.selector, athena: input.sources.athena, loadBalancer: input.loadBalancer },
        { ...common, athena: deps.athena, shared: deps.shared },
      );
      return { series: outcome.series, sources: [outcome.source] };
    }
  }
}

function missingClient(provider: HourlyProvider, reason: string): ProviderResult {
  const signals = new Set(
    Object.values(PATTERN_CANDIDATES).flatMap((candidates) =>
      candidates.filter((c) => c.provider === provider).map((c) => c.signal),
    ),
  );
  return {
    series: [...signals].map((signal) =>
      unavailableHourly(signal, provider, scopeOf(signal), PROVIDER_NAMES[provider], reason),
    ),
    sources: [{ name: PROVIDER_NAMES[provider], status: 'failed', detail: reason }],
  };
}

function scopeOf(signal: HourlySignal): SignalScope {
  return signal === 'elb_502' || signal === 'elb_503' || signal === 'elb_504' ? 'loadBalancer' : 'index';
}
