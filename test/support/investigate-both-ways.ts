/**
 * Investigates one simulated incident twice with the real engine: from the log files (files
 * mode) and from CloudWatch through the REAL AWS SDK clients, pointed by
 * AWS_ENDPOINT_URL_CLOUDWATCH(_LOGS) at a local fake whose answers are derived from the very
 * same simulated lines (cloudwatch-from-logs.ts). A test may damage either side the way real
 * evidence is damaged (files missing from a download, events missing from a log group).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect } from 'vitest';
import { type Config, parseConfig } from '../../src/config.js';
import { type Clock, systemClock } from '../../src/core/clock.js';
import type { ReportJson } from '../../src/core/report.js';
import { createInvestigationRunner } from '../../src/engine/create-runner.js';
import { type IncidentSpec, type SimulatedLogs, simulateIncident } from '../../src/simulate/simulate-incident.js';
import { type WrittenLogs, writeIncidentLogs } from '../../src/simulate/write-incident-logs.js';
import { cloudWatchFromLogs } from './cloudwatch-from-logs.js';
import { startFakeCloudWatch } from './fake-cloudwatch-server.js';
import { withProcessEnv } from './process-env.js';
import { INDEX, NOW } from './scenarios.js';

export const LOG_GROUP = '/prod/haproxy';
const ASKED_TEXT = `${INDEX} 05:41 AEST`;

const scratch = mkdtempSync(path.join(os.tmpdir(), 'why502-cw-vs-files-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** One why502.yml for both runs: files mode is chosen by the log paths, CloudWatch by the aws: section. */
export function configFor(spec: IncidentSpec): Config {
  return parseConfig(
    {
      window: '3h',
      idleTimeoutSeconds: 60,
      slowRequestSeconds: 2,
      aws: { region: spec.region, loadBalancer: spec.loadBalancer, proxyLogGroups: [LOG_GROUP] },
      // The team's config names every index on the shared load balancer, so neighbours are named too.
      indexes: Object.fromEntries(
        spec.tenants.map((t) => [t.index, { targetGroup: t.targetGroup, match: `/indexes/${t.index}/` }]),
      ),
    },
    'the cloudwatch-vs-files test',
  );
}

/** "Now" pinned to NOW but moving with real time, so the query deadline and backoff behave as in production. */
function movingClockFrom(start: Date): Clock {
  const startedMs = Date.now();
  return { now: () => new Date(start.getTime() + (Date.now() - startedMs)), sleep: systemClock.sleep };
}

async function investigate(
  config: Config,
  sourceFlags: { source?: 'files'; albLogs: string[]; proxyLogs: string[] } | undefined,
): Promise<ReportJson> {
  const warnings: string[] = [];
  const runner = createInvestigationRunner({
    config,
    env: {},
    clock: movingClockFrom(NOW),
    warn: (w) => warnings.push(w),
    ...(sourceFlags ? { sourceFlags } : {}),
  });
  const command = runner.parse(ASKED_TEXT, NOW);
  if ('help' in command) throw new Error(`"${ASKED_TEXT}" parsed as a help request`);
  const { report } = await runner.run(command, { noDraft: true });
  expect(warnings).toEqual([]);
  return report;
}

/** The AWS SDK's standard chain reads these; each run sets them and puts the old values back. */
async function withAwsEnvironment<T>(endpoint: string, run: () => Promise<T>): Promise<T> {
  const changes: Record<string, string | undefined> = {
    AWS_ENDPOINT_URL_CLOUDWATCH: endpoint,
    AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: endpoint,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_REGION: 'ap-southeast-2',
    AWS_SESSION_TOKEN: undefined,
    AWS_PROFILE: undefined,
    AWS_CONFIG_FILE: path.join(scratch, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(scratch, 'no-aws-credentials'),
  };
  return withProcessEnv(changes, run);
}

export interface BothModes {
  files: ReportJson;
  cloudWatch: ReportJson;
  calls: Record<string, number>;
}

export interface Damage {
  /** To the written files, before files mode reads them. */
  files?: (written: WrittenLogs) => Promise<void> | void;
  /** To the simulated lines, before the CloudWatch fake answers from them. */
  cloudWatch?: (logs: SimulatedLogs) => SimulatedLogs;
}

export async function investigateBothWays(spec: IncidentSpec, damage: Damage = {}): Promise<BothModes> {
  const config = configFor(spec);
  const written = await writeIncidentLogs(spec, mkdtempSync(path.join(scratch, 'logs-')));
  await damage.files?.(written);
  // Files for every view: the config's aws: section would otherwise fill the metrics view from CloudWatch.
  const files = await investigate(config, {
    source: 'files',
    albLogs: [written.albDir],
    proxyLogs: [written.proxyDir],
  });

  const logs = simulateIncident(spec);
  const answers = cloudWatchFromLogs(spec, damage.cloudWatch ? damage.cloudWatch(logs) : logs, {
    proxyLogGroups: [LOG_GROUP],
  });
  if (!damage.cloudWatch) expect(answers.proxyEvents.length).toBe(written.proxyLines); // the same lines, not look-alikes
  const fake = await startFakeCloudWatch({
    queryLatencyMs: 150,
    rowsFor: answers.rowsFor,
    metricsFor: answers.metricsFor,
  });
  try {
    const cloudWatch = await withAwsEnvironment(fake.endpoint, () => investigate(config, undefined));
    return { files, cloudWatch, calls: fake.calls() };
  } finally {
    await fake.close();
  }
}
