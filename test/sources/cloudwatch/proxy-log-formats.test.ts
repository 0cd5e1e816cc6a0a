/**
 * aws.proxyLogFormats: validated with the config, and the format chosen per log group by
 * gatherCloudWatchViews (each group gets its format's query, named with its format).
 */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config.js';
import type { Clock } from '../../../src/core/clock.js';
import type { InvestigationCommand } from '../../../src/core/types.js';
import { ConfigError, UsageError } from '../../../src/errors.js';
import { gatherCloudWatchViews } from '../../../src/sources/cloudwatch/gather-cloudwatch-evidence.js';
import type { LogsInsightsApi } from '../../../src/sources/cloudwatch/logs-insights.js';
import type { MetricsApi } from '../../../src/sources/cloudwatch/metrics.js';
import { PROXY_FORMAT_QUERIES } from '../../../src/sources/cloudwatch/proxy-format-queries.js';
import { describeProxyLogGroup, proxyLogFormatOf } from '../../../src/sources/cloudwatch/proxy-log-formats.js';
import { QueryLimiter } from '../../../src/sources/cloudwatch/query-limiter.js';

const GROUPS = ['/prod/haproxy', '/prod/traefik', '/prod/envoy'];

describe('aws.proxyLogFormats in why502.yml', () => {
  it("reads a format per log group; a group not named holds HAProxy's lines", () => {
    const config = parseConfig(
      { aws: { proxyLogGroups: GROUPS, proxyLogFormats: { '/prod/traefik': 'traefik-json', '/prod/envoy': 'envoy' } } },
      'why502.yml',
    );

    expect(config.aws?.proxyLogFormats).toEqual({ '/prod/traefik': 'traefik-json', '/prod/envoy': 'envoy' });
    expect(GROUPS.map((group) => proxyLogFormatOf(group, config.aws?.proxyLogFormats))).toEqual([
      'haproxy',
      'traefik-json',
      'envoy',
    ]);
    expect(GROUPS.map((group) => describeProxyLogGroup(group, config.aws?.proxyLogFormats))).toEqual([
      '/prod/haproxy',
      '/prod/traefik (Traefik JSON)',
      '/prod/envoy (Envoy)',
    ]);
    expect(parseConfig({ aws: { proxyLogGroups: GROUPS } }, 'why502.yml').aws?.proxyLogFormats).toBeUndefined();
  });

  it('refuses a format it does not know, naming the group and the formats it knows', () => {
    const read = () =>
      parseConfig(
        { aws: { proxyLogGroups: ['/prod/nginx'], proxyLogFormats: { '/prod/nginx': 'nginx' } } },
        'why502.yml',
      );

    expect(read).toThrow(ConfigError);
    expect(read).toThrow(
      'Invalid configuration in why502.yml: aws.proxyLogFormats./prod/nginx: must be one of haproxy, traefik-json, envoy.',
    );
  });

  it('refuses a format for a log group that is not queried, naming it', () => {
    const read = () =>
      parseConfig(
        { aws: { proxyLogGroups: ['/prod/traefik'], proxyLogFormats: { '/prod/treafik': 'traefik-json' } } },
        'why502.yml',
      );

    expect(read).toThrow(
      'Invalid configuration in why502.yml: aws.proxyLogFormats./prod/treafik: is not one of aws.proxyLogGroups.',
    );
  });
});

// ---------------------------------------------------------------- one query per group, of its format

const clock: Clock = (() => {
  let nowMs = Date.parse('2026-06-18T21:00:00Z');
  return {
    now: () => new Date(nowMs),
    sleep: async (ms: number) => {
      nowMs += ms;
    },
  };
})();

const command: InvestigationCommand = {
  index: 'prod_000_audio',
  asked: {
    input: '05:41 AEST',
    zone: { kind: 'fixed', label: 'AEST', offsetMinutes: 600 },
    utcOffset: '+10:00',
    instant: new Date('2026-06-18T19:41:00Z'),
    at: new Date('2026-06-18T19:41:00Z'),
    notes: [],
  },
  window: { start: new Date('2026-06-18T19:38:00Z'), end: new Date('2026-06-18T19:44:00Z') },
  noDraft: true,
};

const noMetrics: MetricsApi = {
  getMetricData: async () => {
    throw new Error('no metrics call is expected');
  },
};

/** Records what each StartQuery asked for; every query completes with no rows. */
function recordingLogs(): { api: LogsInsightsApi; started: Array<{ logGroup: string; queryString: string }> } {
  const started: Array<{ logGroup: string; queryString: string }> = [];
  return {
    started,
    api: {
      startQuery: async (input) => {
        started.push({ logGroup: input.logGroupNames[0]!, queryString: input.queryString });
        return { queryId: `q${started.length}` };
      },
      getQueryResults: async () => ({
        status: 'Complete',
        results: [],
        statistics: { bytesScanned: 2_000_000, recordsScanned: 10, recordsMatched: 0 },
      }),
      stopQuery: async () => ({ success: true }),
    },
  };
}

const AWS = {
  proxyLogGroups: GROUPS,
  proxyLogFormats: { '/prod/traefik': 'traefik-json', '/prod/envoy': 'envoy' } as const,
  queryTimeoutSeconds: 60,
  maxConcurrentQueries: 10,
};

describe('gatherCloudWatchViews with proxy log groups of several formats', () => {
  it('sends each log group the query of its format, and names the format in the view and its sources', async () => {
    const logs = recordingLogs();
    const selector = { index: 'prod_000_audio' };

    const views = await gatherCloudWatchViews(
      { command, index: selector, aws: AWS, slowRequestSeconds: 2 },
      { logs: logs.api, metrics: noMetrics, clock, limiter: new QueryLimiter(10) },
      { metrics: false, proxy: true },
    );

    const built = (format: keyof typeof PROXY_FORMAT_QUERIES) =>
      PROXY_FORMAT_QUERIES[format].build({ selector, slowRequestSeconds: 2 });
    expect([...logs.started].sort((a, b) => a.logGroup.localeCompare(b.logGroup))).toEqual([
      { logGroup: '/prod/envoy', queryString: built('envoy') },
      { logGroup: '/prod/haproxy', queryString: built('haproxy') },
      { logGroup: '/prod/traefik', queryString: built('traefik-json') },
    ]);
    expect(views.proxy).toMatchObject({
      name: 'Logs Insights /prod/haproxy, /prod/traefik (Traefik JSON), /prod/envoy (Envoy)',
      sources: [
        {
          name: 'proxy logs via Logs Insights /prod/haproxy',
          status: 'complete',
          detail: 'complete, 2.0 MB scanned (10 records, 1 query)',
        },
        {
          name: 'proxy logs via Logs Insights /prod/traefik (Traefik JSON)',
          status: 'complete',
          detail: 'complete, 2.0 MB scanned (10 records, 1 query)',
        },
        {
          name: 'proxy logs via Logs Insights /prod/envoy (Envoy)',
          status: 'complete',
          detail: 'complete, 2.0 MB scanned (10 records, 1 query)',
        },
      ],
    });
  });

  it('refuses an index name or a match that must not reach a query before any query is sent, whatever the formats', async () => {
    const logs = recordingLogs();
    const deps = { logs: logs.api, metrics: noMetrics, clock, limiter: new QueryLimiter(10) };
    const traefikOnly = { ...AWS, proxyLogGroups: ['/prod/traefik'] };

    await expect(
      gatherCloudWatchViews(
        { command, index: { index: 'x" | stats count(*)' }, aws: traefikOnly, slowRequestSeconds: 2 },
        deps,
      ),
    ).rejects.toThrow(UsageError);
    await expect(
      gatherCloudWatchViews(
        { command, index: { index: 'a', match: 'line\nbreak' }, aws: traefikOnly, slowRequestSeconds: 2 },
        deps,
      ),
    ).rejects.toThrow(ConfigError);
    expect(logs.started).toEqual([]);
  });
});
