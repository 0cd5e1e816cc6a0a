/**
 * Issue 16's Cloudflare in production: `npx why502 prod_000_audio 05:41 AEST` with the ALB's
 * access logs AND Cloudflare's Logpush http_requests in Athena (aws.athena.edgeTable,
 * edgeFormat: cloudflare), as a person runs it — a real child process, the real SDK clients,
 * endpoints from AWS_ENDPOINT_URL_* only, one Athena stand-in executing the received SQL in
 * DuckDB over both tables. Seed 000's shape: the customer saw the ALB's keep-alive 502s through
 * Cloudflare, which passed them on. The edge view must equal files mode's (--edge-logs) and say
 * that the edge passed the 502s rather than made them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReportJson } from '../../src/core/report.js';
import { loadDuckCloudflareTable } from '../sources/athena/duckdb-cloudflare-table.js';
import { type AthenaCliStandIns, startAthenaCliStandIns } from '../support/athena-cli-stand-ins.js';
import { INDEX, incident, minute } from '../support/scenarios.js';
import type { ChildRun } from '../support/spawn-why502.js';

const SEED = incident(
  [
    { kind: 'throttle', index: INDEX, fromMinute: minute('19:29'), toMinute: minute('19:40'), peakPerMinute: 150 },
    { kind: 'keepalive_502', perMinute: 6 },
  ],
  11,
  { stack: { loadBalancer: 'alb', edge: 'cloudflare' } },
);
const EDGE_SIGNALS = ['edge_requests', 'edge_5xx', 'edge_minted_5xx', 'edge_passed_5xx'] as const;

let standIns: AthenaCliStandIns;

beforeAll(async () => {
  standIns = await startAthenaCliStandIns(SEED, {
    latencyMs: 100,
    athenaLines: ['edgeTable: cloudflare_logs', 'edgeFormat: cloudflare'],
    loadBeside: (table, written) => loadDuckCloudflareTable(written.edgeDir!, table.database, 'cloudflare_logs', table),
  });
}, 120_000);

afterAll(() => standIns?.close());

const runWhy502 = (extra: string[] = []): Promise<ChildRun> => standIns.run(extra);

describe('why502 <index> <time> with Cloudflare in front, its Logpush logs read through Athena', () => {
  it('names the edge as having passed on the load balancer’s 502s, minute for minute as files mode', async () => {
    // Act
    const production = await runWhy502();
    const filesWithEdge = await runWhy502([
      '--source',
      'files',
      '--alb-logs',
      standIns.written.albDir,
      '--proxy-logs',
      standIns.written.proxyDir,
      '--edge-logs',
      standIns.written.edgeDir!,
    ]);
    // Assess
    for (const run of [production, filesWithEdge]) expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(production.stdout) as ReportJson;
    const fromFiles = JSON.parse(filesWithEdge.stdout) as ReportJson;
    expect(report.verdict.kind).toBe(fromFiles.verdict.kind);
    for (const name of EDGE_SIGNALS) {
      expect({ name, status: report.signals[name]!.status, source: report.signals[name]!.source }).toEqual({
        name,
        status: 'ok',
        source: 'Cloudflare logs via Athena',
      });
      expect({ name, perMinute: report.signals[name]!.perMinute }).toEqual({
        name,
        perMinute: fromFiles.signals[name]!.perMinute,
      });
    }
    // The 502s the customer saw through Cloudflare are the load balancer's, passed on: none made at the edge.
    expect(report.signals.edge_passed_5xx!.window).toBeGreaterThan(0);
    expect(report.signals.edge_minted_5xx!.window).toBe(0);
    expect(report.signals.edge_passed_5xx!.window).toBe(report.signals.edge_5xx!.window);
    expect(report.context?.stack).toEqual({ loadBalancer: 'alb', edge: 'cloudflare' });
    expect(JSON.stringify(report.verdict)).toContain('the load balancer made them, Cloudflare passed them on');
    const edgeSource = report.sources.find((s) => s.name === 'Cloudflare logs via Athena')!;
    expect(edgeSource.status).toBe('complete');
    expect(edgeSource.detail).toContain('lb_logs.cloudflare_logs');
    // The query read only the window's {DATE} folder, with the index's path as a parameter only.
    const edgeQueries = standIns.athena.queries().filter((q) => q.queryString.includes('cloudflare_logs'));
    expect(edgeQueries).toHaveLength(1);
    expect(edgeQueries[0]!.executionParameters).toContain("'20260618'");
    expect(edgeQueries[0]!.queryString).not.toContain(INDEX);
  }, 180_000);
});
