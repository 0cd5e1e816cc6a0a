/**
 * Seed 004's shape end to end in CloudWatch mode: Traefik (JSON access log) minting a flat
 * trickle of 502s itself — the keep-alive race between proxy and application — and the same
 * with Envoy's 503 UC. The real engine (createInvestigationRunner) reads the proxy through
 * Logs Insights with the log group's format (aws.proxyLogFormats), through the REAL AWS SDK
 * clients pointed at a local stand-in (test/support/fake-cloudwatch-server.ts) whose answers
 * come from the very lines files mode reads: the query run command by command over them
 * (insights-pipeline-emulator.ts), the ALB metrics aggregated from the ALB lines. Both modes
 * must reach the same verdict on the same numbers.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { afterAll, describe, expect, it } from 'vitest';
import { type Config, parseConfig } from '../../src/config.js';
import { type Clock, systemClock } from '../../src/core/clock.js';
import type { ReportJson } from '../../src/core/report.js';
import { createInvestigationRunner, type RunnerOptions } from '../../src/engine/create-runner.js';
import { type IncidentEvent, type IncidentSpec, simulateIncident } from '../../src/simulate/simulate-incident.js';
import { writeIncidentLogs } from '../../src/simulate/write-incident-logs.js';
import { createLogsInsightsApi } from '../../src/sources/cloudwatch/logs-insights.js';
import { createMetricsApi } from '../../src/sources/cloudwatch/metrics.js';
import type { ProxyLogFormat } from '../../src/sources/cloudwatch/proxy-log-formats.js';
import { QueryLimiter } from '../../src/sources/cloudwatch/query-limiter.js';
import { cloudWatchFromLogs } from '../support/cloudwatch-from-logs.js';
import { startFakeCloudWatch } from '../support/fake-cloudwatch-server.js';
import { emulateInsightsPipeline } from '../support/insights-pipeline-emulator.js';
import { INDEX, incident, NOW } from '../support/scenarios.js';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'why502-proxy-formats-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const LOG_GROUP = '/prod/proxy';
const ASKED_TEXT = `${INDEX} 05:41 AEST`;

function configFor(spec: IncidentSpec, format: ProxyLogFormat): Config {
  return parseConfig(
    {
      window: '3h',
      idleTimeoutSeconds: 60,
      slowRequestSeconds: 2,
      aws: {
        region: spec.region,
        loadBalancer: spec.loadBalancer,
        proxyLogGroups: [LOG_GROUP],
        proxyLogFormats: { [LOG_GROUP]: format },
      },
      indexes: Object.fromEntries(
        spec.tenants.map((t) => [t.index, { targetGroup: t.targetGroup, match: `/indexes/${t.index}/` }]),
      ),
    },
    'the proxy-formats test',
  );
}

/** "Now" pinned to NOW but moving with real time, so the query deadline and polling behave as in production. */
function movingClockFrom(start: Date): Clock {
  const startedMs = Date.now();
  return { now: () => new Date(start.getTime() + (Date.now() - startedMs)), sleep: systemClock.sleep };
}

async function investigate(options: Omit<RunnerOptions, 'env' | 'clock' | 'warn'>): Promise<ReportJson> {
  const warnings: string[] = [];
  const runner = createInvestigationRunner({
    ...options,
    env: {},
    clock: options.cloudWatchDeps?.clock ?? movingClockFrom(NOW),
    warn: (w) => warnings.push(w),
  });
  const command = runner.parse(ASKED_TEXT, NOW);
  if ('help' in command) throw new Error(`"${ASKED_TEXT}" parsed as a help request`);
  const { report } = await runner.run(command, { noDraft: true });
  expect(warnings).toEqual([]);
  return report;
}

interface BothModes {
  files: ReportJson;
  cloudWatch: ReportJson;
  queries: string[];
}

async function investigateBothWays(format: ProxyLogFormat, events: IncidentEvent[]): Promise<BothModes> {
  const spec = incident(events, 7, { stack: { proxy: format === 'traefik-json' ? 'traefik-json' : 'envoy' } });
  const config = configFor(spec, format);
  const written = await writeIncidentLogs(spec, mkdtempSync(path.join(scratch, 'logs-')));
  const files = await investigate({
    config,
    sourceFlags: { source: 'files', albLogs: [written.albDir], proxyLogs: [written.proxyDir] },
  });

  const answers = cloudWatchFromLogs(spec, simulateIncident(spec), { proxyLogGroups: [LOG_GROUP] });
  expect(answers.proxyEvents.length).toBe(written.proxyLines); // the same lines, not look-alikes
  const fake = await startFakeCloudWatch({
    queryLatencyMs: 100,
    rowsFor: (query) =>
      query.logGroupNames.includes(LOG_GROUP)
        ? emulateInsightsPipeline(query.queryString, answers.proxyEvents, query.startTime, query.endTime)
        : [],
    metricsFor: answers.metricsFor,
  });
  try {
    const client = {
      region: spec.region,
      endpoint: fake.endpoint,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
    };
    const cloudWatchDeps = {
      logs: createLogsInsightsApi(new CloudWatchLogsClient(client)),
      metrics: createMetricsApi(new CloudWatchClient(client)),
      clock: movingClockFrom(NOW),
      limiter: new QueryLimiter(10),
    };
    const cloudWatch = await investigate({ config, cloudWatchDeps });
    return { files, cloudWatch, queries: fake.queries().map((query) => query.queryString) };
  } finally {
    await fake.close();
  }
}

const measured = (report: ReportJson, name: string) => {
  const signal = report.signals[name];
  return (
    signal && {
      status: signal.status,
      window: signal.window,
      perMinute: signal.perMinute,
      byCode: signal.byCode,
      byTermination: signal.byTermination,
    }
  );
};

describe('createInvestigationRunner: other proxy formats through Logs Insights and from files', () => {
  it('seed 004 with Traefik JSON: the proxy minted a flat trickle of 502s, the same verdict from both sources', async () => {
    const race: IncidentEvent = { kind: 'proxy_keepalive_502', index: INDEX, perMinute: 2 };

    const { files, cloudWatch, queries } = await investigateBothWays('traefik-json', [race]);

    expect(queries.every((query) => query.includes('| filter ispresent(DownstreamStatus)'))).toBe(true);
    expect(files.verdict.kind).toBe('origin_5xx');
    expect(cloudWatch.verdict.kind).toBe(files.verdict.kind);
    expect(cloudWatch.verdict.headline).toBe(files.verdict.headline);
    expect(cloudWatch.verdict.headline).toMatch(
      /^The proxy minted a steady trickle of 5xx \([\d,]+ in the window\): most likely the keep-alive race between the proxy and the application/,
    );
    expect(cloudWatch.verdict.advice).toEqual(files.verdict.advice);
    expect(cloudWatch.verdict.facts).toEqual(files.verdict.facts);
    for (const name of ['origin_5xx', 'throttled_429', 'proxy_requests'])
      expect({ name, ...measured(cloudWatch, name) }).toEqual({ name, ...measured(files, name) });
    expect(cloudWatch.signals.origin_5xx!.byTermination).toEqual({
      'answered-by:proxy-upstream-failure': cloudWatch.signals.origin_5xx!.window,
    });
    expect(cloudWatch.sources.find((s) => s.name.startsWith('proxy logs'))).toMatchObject({
      name: `proxy logs via Logs Insights ${LOG_GROUP} (Traefik JSON)`,
      status: 'complete',
    });
  }, 60_000);

  it("Envoy's 503 UC through Logs Insights: the application closed the connection, the same verdict from both sources", async () => {
    const race: IncidentEvent = { kind: 'proxy_keepalive_502', index: INDEX, perMinute: 2 };

    const { files, cloudWatch } = await investigateBothWays('envoy', [race]);

    expect(cloudWatch.verdict.kind).toBe('origin_5xx');
    expect(cloudWatch.verdict.headline).toBe(files.verdict.headline);
    expect(cloudWatch.verdict.reasons).toContain(
      'Most were minted by the proxy itself (UC): the application closed or reset the connection before sending headers.',
    );
    expect(cloudWatch.verdict.facts).toEqual(files.verdict.facts);
    for (const name of ['origin_5xx', 'throttled_429', 'proxy_requests'])
      expect({ name, ...measured(cloudWatch, name) }).toEqual({ name, ...measured(files, name) });
  }, 60_000);
});
