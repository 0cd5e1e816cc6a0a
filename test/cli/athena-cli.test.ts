/**
 * Issue 9's "done when": `npx why502 prod_000_audio 05:41 AEST` with aws: and aws.athena
 * configured, as a person runs it — a real child process, the real AWS SDK clients, endpoints
 * from AWS_ENDPOINT_URL_* only — answers with the ALB's own access logs from Athena (a local
 * stand-in executing the received SQL in DuckDB over the incident's S3-layout files), the
 * proxy signals from Logs Insights and the metrics from GetMetricData (a CloudWatch stand-in
 * serving the same incident). The answer must equal files mode's on the same logs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReportJson } from '../../src/core/report.js';
import { type AthenaCliStandIns, PROXY_LOG_GROUP, startAthenaCliStandIns } from '../support/athena-cli-stand-ins.js';
import { INDEX, incident, minute } from '../support/scenarios.js';
import type { ChildRun } from '../support/spawn-why502.js';

const SEED = incident([
  { kind: 'throttle', index: INDEX, fromMinute: minute('19:29'), toMinute: minute('19:40'), peakPerMinute: 150 },
  { kind: 'keepalive_502', perMinute: 4 },
  { kind: 'no_targets', index: 'prod_003_catalog', fromMinute: minute('20:05'), toMinute: minute('20:09') },
]);

let standIns: AthenaCliStandIns;

beforeAll(async () => {
  standIns = await startAthenaCliStandIns(SEED, { latencyMs: 200 });
}, 120_000);

afterAll(() => standIns?.close());

const runWhy502 = (extra: string[] = []): Promise<ChildRun> => standIns.run(extra);

describe('why502 <index> <time> with aws.athena: the access logs through Athena, the proxy through Logs Insights', () => {
  it("answers from all three views, with the index's LB-minted errors, the tenant spread and sample rows from Athena, equal to files mode", async () => {
    const production = await runWhy502();
    const files = await runWhy502([
      '--source',
      'files',
      '--alb-logs',
      standIns.written.albDir,
      '--proxy-logs',
      standIns.written.proxyDir,
    ]);

    expect(production.code, production.stderr).toBe(0);
    expect(files.code, files.stderr).toBe(0);
    const report = JSON.parse(production.stdout) as ReportJson;
    const fromFiles = JSON.parse(files.stdout) as ReportJson;
    expect(report.verdict.kind).toBe('throttling_429');
    expect(report.verdict.facts).toEqual(fromFiles.verdict.facts);
    // The access-log view came from Athena, the proxy view from Logs Insights, the metrics from CloudWatch.
    expect(report.signals.elb_502_index).toMatchObject({ status: 'ok', source: 'Athena lb_logs.alb_access_logs' });
    expect(report.signals.throttled_429!.source).toBe(`Logs Insights ${PROXY_LOG_GROUP}`);
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
    expect(standIns.athena.queries().every((q) => q.partitions.join() === '2026/06/18')).toBe(true);
    expect(
      standIns.athena
        .queries()
        .every((q) => !q.queryString.includes('prod_000_audio') && q.executionParameters.length > 0),
    ).toBe(true);
  }, 120_000);

  it("answers again from Athena's reused results: the same investigation costs one scan", async () => {
    standIns.athena.reset();

    const again = await runWhy502();

    expect(again.code, again.stderr).toBe(0);
    expect(standIns.athena.queries().every((q) => q.reusedFrom !== null)).toBe(true);
    const report = JSON.parse(again.stdout) as ReportJson;
    expect(report.sources.find((s) => s.name === 'ALB access logs via Athena')!.detail).toContain(
      'answered from a reused result',
    );
  }, 120_000);

  it('still answers, from the other views, and names the failure when Athena refuses the query', async () => {
    standIns.athena.reset();
    standIns.athena.forgetResults();
    standIns.athena.failNext('StartQueryExecution', 'AccessDeniedException', 4);

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
