/**
 * `npx why502 prod_000_audio 05:41 AEST` with an aws: section in the config, as a person runs
 * it: a real child process (bin/why502.js), the real AWS SDK clients, credentials and endpoints
 * from the standard environment variables only (nothing overridden in code), answered by a
 * local CloudWatch stand-in running in this test process and serving the seed incident.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ReportJson } from '../../src/core/report.js';
import { simulateIncident } from '../../src/simulate/simulate-incident.js';
import { type CloudWatchFromLogs, cloudWatchFromLogs } from '../support/cloudwatch-from-logs.js';
import { type FakeCloudWatch, startFakeCloudWatch } from '../support/fake-cloudwatch-server.js';
import { INDEX, incident, minute, TENANTS } from '../support/scenarios.js';
import { CONTRACT_SCHEMA, hasContract } from '../support/shared-paths.js';
import { type ChildRun, spawnWhy502 } from '../support/spawn-why502.js';

const LOG_GROUP = '/prod/haproxy';
const SEED = incident([
  { kind: 'throttle', index: INDEX, fromMinute: minute('19:29'), toMinute: minute('19:40'), peakPerMinute: 150 },
  { kind: 'keepalive_502', perMinute: 4 },
]);
const TENANT = TENANTS.find((tenant) => tenant.index === INDEX)!;

let scratch: string;
let configPath: string;
let seedAnswers: CloudWatchFromLogs;
let fake: FakeCloudWatch | null = null;

beforeAll(() => {
  scratch = mkdtempSync(path.join(os.tmpdir(), 'why502-cw-cli-'));
  configPath = path.join(scratch, 'why502.yml');
  writeFileSync(
    configPath,
    [
      'window: 3h',
      'aws:',
      `  region: ${SEED.region}`,
      `  loadBalancer: ${SEED.loadBalancer}`,
      `  proxyLogGroups: ["${LOG_GROUP}"]`,
      'indexes:',
      `  ${INDEX}:`,
      `    targetGroup: ${TENANT.targetGroup}`,
      `    match: /indexes/${INDEX}/`,
      '',
    ].join('\n'),
  );
  seedAnswers = cloudWatchFromLogs(SEED, simulateIncident(SEED), { proxyLogGroups: [LOG_GROUP] });
});

afterEach(async () => {
  await fake?.close();
  fake = null;
});

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function runWhy502(endpoint: string, config = configPath): Promise<ChildRun> {
  const args = [INDEX, '05:41', 'AEST', '--now', '2026-06-18T23:00:00Z', '--config', config, '--format', 'json'];
  return spawnWhy502(args, {
    home: scratch,
    region: 'ap-southeast-2',
    endpoints: { CLOUDWATCH: endpoint, CLOUDWATCH_LOGS: endpoint },
  });
}

/** Stack frames, of our code or of a dependency's. */
const STACK_FRAME = /^\s+at .+[:(]\d+/m;

describe('why502 <index> <time> with an aws: section (CloudWatch as the source)', () => {
  it('explains the seed incident from CloudWatch: one JSON document, throttling_429, Logs Insights with the bytes it scanned', async () => {
    fake = await startFakeCloudWatch({
      queryLatencyMs: 300,
      rowsFor: seedAnswers.rowsFor,
      metricsFor: seedAnswers.metricsFor,
      bytesScannedPerQuery: 2_113_000_000,
    });

    const run = await runWhy502(fake.endpoint);

    expect(run.code).toBe(0);
    expect(run.stderr).not.toMatch(STACK_FRAME);
    const report = JSON.parse(run.stdout) as ReportJson; // throws unless stdout is exactly one JSON document
    expect(report.verdict.kind).toBe('throttling_429');
    expect(report.verdict.facts).toMatchObject({
      burstStart: '2026-06-18T19:29:00Z',
      burstEnd: '2026-06-18T19:40:00Z',
      minutesBeforeAsked: 1,
      origin5xxWindow: 0,
    });
    expect(report.verdict.reasons.join('\n')).toContain('The ALB agrees independently');
    expect(report.sources).toEqual([
      {
        name: `proxy logs via Logs Insights ${LOG_GROUP}`,
        status: 'complete',
        detail: expect.stringMatching(/^complete, 2\.1 GB scanned \([\d,]+ records, 1 query\)$/),
      },
      { name: 'ALB metrics via GetMetricData', status: 'complete', detail: 'complete, 60 s periods, 1 page' },
    ]);
    expect(fake.calls().StartQuery).toBe(1);
    expect(fake.calls().GetMetricData).toBe(1);
    expect(fake.queries()).toEqual([
      {
        logGroupNames: [LOG_GROUP],
        startTime: Date.parse('2026-06-18T18:11:00Z') / 1000,
        endTime: Date.parse('2026-06-18T21:11:00Z') / 1000 - 1,
        queryString: expect.stringContaining('| stats count(*) as requests'),
      },
    ]);
    if (hasContract) {
      const validate = new Ajv2020({ allErrors: true, strict: false }).compile(
        JSON.parse(readFileSync(CONTRACT_SCHEMA, 'utf8')),
      );
      expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    }
  }, 60_000);

  it('stops a query that outlives aws.queryTimeoutSeconds with StopQuery, and answers without it, even with --now pinned', async () => {
    fake = await startFakeCloudWatch({ queryLatencyMs: 3_600_000, metricsFor: seedAnswers.metricsFor });
    const slowConfig = path.join(scratch, 'why502-deadline.yml');
    writeFileSync(slowConfig, readFileSync(configPath, 'utf8').replace('aws:\n', 'aws:\n  queryTimeoutSeconds: 5\n'));

    const run = await runWhy502(fake.endpoint, slowConfig);

    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as ReportJson;
    expect(fake.calls().StopQuery).toBe(1);
    expect(report.sources[0]).toMatchObject({ name: `proxy logs via Logs Insights ${LOG_GROUP}`, status: 'failed' });
    expect(report.signals.throttled_429).toMatchObject({ status: 'unavailable', window: null });
    expect(report.signals.elb_502!.status).toBe('ok');
  }, 60_000);

  it('still answers, inconclusive and naming what failed, when CloudWatch cannot be reached', async () => {
    const down = await startFakeCloudWatch({ queryLatencyMs: 0 });
    const endpoint = down.endpoint;
    await down.close(); // nothing listens there any more

    const run = await runWhy502(endpoint);

    expect(run.code).toBe(0);
    expect(run.stderr).not.toMatch(STACK_FRAME);
    const report = JSON.parse(run.stdout) as ReportJson;
    expect(report.verdict.kind).toBe('inconclusive');
    expect(report.verdict.confidence).toBe('low');
    expect(report.sources.map(({ name, status }) => ({ name, status }))).toEqual([
      { name: `proxy logs via Logs Insights ${LOG_GROUP}`, status: 'failed' },
      { name: 'ALB metrics via GetMetricData', status: 'failed' },
    ]);
    const refused = `ECONNREFUSED ${new URL(endpoint).host}`;
    expect(report.sources[0]!.detail).toMatch(new RegExp(`^failed, Logs Insights on /prod/haproxy: .*${refused}$`));
    expect(report.sources[1]!.detail).toMatch(new RegExp(`^GetMetricData: .*${refused}$`));
    expect(report.verdict.headline).toContain(`the origin's answers (Logs Insights on ${LOG_GROUP}:`);
    const reasons = report.verdict.reasons.join('\n');
    expect(reasons).toContain(`Source proxy logs via Logs Insights ${LOG_GROUP}: failed`);
    expect(reasons).toContain('Source ALB metrics via GetMetricData: failed — GetMetricData:');
    expect(report.signals.throttled_429).toMatchObject({ status: 'unavailable', window: null });
    expect(report.signals.elb_502).toMatchObject({ status: 'unavailable', window: null });
  }, 60_000);
});
