/**
 * Issue 9's "done when": `npx why502 prod_000_audio 05:41 AEST` with aws: and aws.athena
 * configured, as a person runs it — a real child process, the real AWS SDK clients, endpoints
 * from AWS_ENDPOINT_URL_* only — answers with the ALB's own access logs from Athena (a local
 * stand-in executing the received SQL in DuckDB over the incident's S3-layout files), the
 * proxy signals from Logs Insights and the metrics from GetMetricData (a CloudWatch stand-in
 * serving the same incident). The answer must equal files mode's on the same logs.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReportJson } from '../../src/core/report.js';
import { simulateIncident } from '../../src/simulate/simulate-incident.js';
import { type WrittenLogs, writeIncidentLogs } from '../../src/simulate/write-incident-logs.js';
import { cloudWatchFromLogs } from '../support/cloudwatch-from-logs.js';
import { type DuckAlbTable, loadDuckAlbTable } from '../support/duckdb-alb-table.js';
import { type FakeAthena, startFakeAthena } from '../support/fake-athena-server.js';
import { type FakeCloudWatch, startFakeCloudWatch } from '../support/fake-cloudwatch-server.js';
import { INDEX, incident, minute } from '../support/scenarios.js';
import { type ChildRun, spawnWhy502 } from '../support/spawn-why502.js';

const LOG_GROUP = '/prod/haproxy';
const SEED = incident([
  { kind: 'throttle', index: INDEX, fromMinute: minute('19:29'), toMinute: minute('19:40'), peakPerMinute: 150 },
  { kind: 'keepalive_502', perMinute: 4 },
  { kind: 'no_targets', index: 'prod_003_catalog', fromMinute: minute('20:05'), toMinute: minute('20:09') },
]);

let scratch: string;
let written: WrittenLogs;
let table: DuckAlbTable;
let athena: FakeAthena;
let cloudWatch: FakeCloudWatch;

beforeAll(async () => {
  scratch = mkdtempSync(path.join(os.tmpdir(), 'why502-athena-cli-'));
  written = await writeIncidentLogs(SEED, path.join(scratch, 'logs'));
  table = await loadDuckAlbTable([written.albDir]);
  athena = await startFakeAthena({ table, latencyMs: 200 });
  const answers = cloudWatchFromLogs(SEED, simulateIncident(SEED), { proxyLogGroups: [LOG_GROUP] });
  cloudWatch = await startFakeCloudWatch({
    queryLatencyMs: 200,
    rowsFor: answers.rowsFor,
    metricsFor: answers.metricsFor,
  });
  writeFileSync(
    path.join(scratch, 'why502.yml'),
    [
      'window: 3h',
      'aws:',
      `  region: ${SEED.region}`,
      `  loadBalancer: ${SEED.loadBalancer}`,
      `  proxyLogGroups: ["${LOG_GROUP}"]`,
      '  athena:',
      '    database: lb_logs',
      '    table: alb_access_logs',
      '    workgroup: why502',
      'indexes:',
      ...SEED.tenants.flatMap((t) => [
        `  ${t.index}:`,
        `    targetGroup: ${t.targetGroup}`,
        `    match: /indexes/${t.index}/`,
      ]),
      '',
    ].join('\n'),
  );
}, 120_000);

afterAll(async () => {
  await athena?.close();
  await cloudWatch?.close();
  table?.close();
  rmSync(scratch, { recursive: true, force: true });
});

function runWhy502(extra: string[] = []): Promise<ChildRun> {
  const args = [INDEX, '05:41', 'AEST', '--now', '2026-06-18T23:00:00Z'];
  args.push('--config', path.join(scratch, 'why502.yml'), '--format', 'json', ...extra);
  return spawnWhy502(args, {
    home: scratch,
    region: SEED.region,
    endpoints: { ATHENA: athena.endpoint, CLOUDWATCH: cloudWatch.endpoint, CLOUDWATCH_LOGS: cloudWatch.endpoint },
  });
}

describe('why502 <index> <time> with aws.athena: the access logs through Athena, the proxy through Logs Insights', () => {
  it("answers from all three views, with the index's LB-minted errors, the tenant spread and sample rows from Athena, equal to files mode", async () => {
    const production = await runWhy502();
    const files = await runWhy502([
      '--source',
      'files',
      '--alb-logs',
      written.albDir,
      '--proxy-logs',
      written.proxyDir,
    ]);

    expect(production.code, production.stderr).toBe(0);
    expect(files.code, files.stderr).toBe(0);
    const report = JSON.parse(production.stdout) as ReportJson;
    const fromFiles = JSON.parse(files.stdout) as ReportJson;
    expect(report.verdict.kind).toBe('throttling_429');
    expect(report.verdict.facts).toEqual(fromFiles.verdict.facts);
    // The access-log view came from Athena, the proxy view from Logs Insights, the metrics from CloudWatch.
    expect(report.signals.elb_502_index).toMatchObject({ status: 'ok', source: 'Athena lb_logs.alb_access_logs' });
    expect(report.signals.throttled_429!.source).toBe(`Logs Insights ${LOG_GROUP}`);
    expect(report.signals.target_connection_errors).toMatchObject({ status: 'ok', window: 0 });
    for (const name of ['elb_502_index', 'elb_503', 'elb_504', 'elb_502', 'lb_requests', 'requests', 'target_4xx']) {
      expect({ name, perMinute: report.signals[name]!.perMinute }).toEqual({
        name,
        perMinute: fromFiles.signals[name]!.perMinute,
      });
    }
    expect(report.signals.elb_503_index!.window).toBe(0); // prod_003_catalog's outage is not this index's
    expect(report.tenants).toEqual(fromFiles.tenants);
    expect(report.tenants!.find((t) => t.name === 'prod_003_catalog')!.elb503).toBeGreaterThan(0);
    expect(report.samples).toHaveLength(30);
    expect(report.samples).toEqual(fromFiles.samples);
    const athenaSource = report.sources.find((s) => s.name === 'ALB access logs via Athena')!;
    expect(athenaSource.status).toBe('complete');
    expect(athenaSource.detail).toMatch(/2 queries, [\d.]+ [kM]?B scanned \(~\$[\d.]+\), day partition 2026\/06\/18/);
    // Only the window's day partition was read, and values went as parameters only.
    expect(athena.queries().every((q) => q.partitions.join() === '2026/06/18')).toBe(true);
    expect(
      athena.queries().every((q) => !q.queryString.includes('prod_000_audio') && q.executionParameters.length > 0),
    ).toBe(true);
  }, 120_000);

  it("answers again from Athena's reused results: the same investigation costs one scan", async () => {
    athena.reset();

    const again = await runWhy502();

    expect(again.code, again.stderr).toBe(0);
    expect(athena.queries().every((q) => q.reusedFrom !== null)).toBe(true);
    const report = JSON.parse(again.stdout) as ReportJson;
    expect(report.sources.find((s) => s.name === 'ALB access logs via Athena')!.detail).toContain(
      'answered from a reused result',
    );
  }, 120_000);

  it('still answers, from the other views, and names the failure when Athena refuses the query', async () => {
    athena.reset();
    athena.forgetResults();
    athena.failNext('StartQueryExecution', 'AccessDeniedException', 4);

    const run = await runWhy502();

    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as ReportJson;
    expect(report.signals.elb_502_index!.status).toBe('unavailable');
    expect(report.signals.elb_502_index!.reason).toMatch(/not authorized|AccessDenied/);
    // LB-wide counts fall back to the metrics view; the verdict still stands on the proxy's 429s.
    expect(report.signals.elb_502).toMatchObject({
      status: 'ok',
      source: 'CloudWatch HTTPCode_ELB_502_Count (load balancer)',
    });
    expect(report.verdict.kind).toBe('throttling_429');
    expect(report.sources.find((s) => s.name === 'ALB access logs via Athena')!.status).toBe('failed');
  }, 120_000);
});
