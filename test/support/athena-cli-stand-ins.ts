/**
 * What a test of `why502 <index> <time>` in production needs, started once: the incident's logs
 * written as a user has them, an Athena stand-in executing the received SQL in DuckDB over the
 * ALB table (and any edge table loaded beside it), a CloudWatch stand-in serving the same
 * incident's metrics and Logs Insights rows, and a why502.yml naming them. `run` spawns the real
 * bin with AWS reached only through AWS_ENDPOINT_URL_* (spawn-why502.ts).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type IncidentSpec, simulateIncident } from '../../src/simulate/simulate-incident.js';
import { type WrittenLogs, writeIncidentLogs } from '../../src/simulate/write-incident-logs.js';
import { cloudWatchFromLogs } from './cloudwatch-from-logs.js';
import { type DuckAlbTable, loadDuckAlbTable } from './duckdb-alb-table.js';
import { type FakeAthena, startFakeAthena } from './fake-athena-server.js';
import { type FakeCloudWatch, startFakeCloudWatch } from './fake-cloudwatch-server.js';
import { INDEX } from './scenarios.js';
import { type ChildRun, spawnWhy502 } from './spawn-why502.js';

export const PROXY_LOG_GROUP = '/prod/haproxy';

export interface AthenaCliStandIns {
  written: WrittenLogs;
  athena: FakeAthena;
  /** `why502 <INDEX> 05:41 AEST --now … --config … --format json`, then `extra`. */
  run(extra?: string[]): Promise<ChildRun>;
  close(): Promise<void>;
}

export interface AthenaCliOptions {
  /** Both stand-ins' latency per query. */
  latencyMs: number;
  /** Lines added under `aws.athena:` (e.g. the edge table). */
  athenaLines?: string[];
  /** Loads more tables into the ALB table's DuckDB (the edge's), from the written logs. */
  loadBeside?: (table: DuckAlbTable, written: WrittenLogs) => Promise<unknown>;
}

export async function startAthenaCliStandIns(
  seed: IncidentSpec,
  options: AthenaCliOptions,
): Promise<AthenaCliStandIns> {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'why502-athena-cli-'));
  const written = await writeIncidentLogs(seed, path.join(scratch, 'logs'));
  const table = await loadDuckAlbTable([written.albDir]);
  await options.loadBeside?.(table, written);
  const athena = await startFakeAthena({ table, latencyMs: options.latencyMs });
  const answers = cloudWatchFromLogs(seed, simulateIncident(seed), { proxyLogGroups: [PROXY_LOG_GROUP] });
  const cloudWatch: FakeCloudWatch = await startFakeCloudWatch({
    queryLatencyMs: options.latencyMs,
    rowsFor: answers.rowsFor,
    metricsFor: answers.metricsFor,
  });
  const config = path.join(scratch, 'why502.yml');
  writeFileSync(
    config,
    [
      'window: 3h',
      'aws:',
      `  region: ${seed.region}`,
      `  loadBalancer: ${seed.loadBalancer}`,
      `  proxyLogGroups: ["${PROXY_LOG_GROUP}"]`,
      '  athena:',
      '    database: lb_logs',
      '    table: alb_access_logs',
      '    workgroup: why502',
      ...(options.athenaLines ?? []).map((line) => `    ${line}`),
      'indexes:',
      ...seed.tenants.flatMap((t) => [
        `  ${t.index}:`,
        `    targetGroup: ${t.targetGroup}`,
        `    match: /indexes/${t.index}/`,
      ]),
      '',
    ].join('\n'),
  );
  return {
    written,
    athena,
    run: (extra = []) =>
      spawnWhy502(
        [INDEX, '05:41', 'AEST', '--now', '2026-06-18T23:00:00Z', '--config', config, '--format', 'json', ...extra],
        {
          home: scratch,
          region: seed.region,
          endpoints: { ATHENA: athena.endpoint, CLOUDWATCH: cloudWatch.endpoint, CLOUDWATCH_LOGS: cloudWatch.endpoint },
        },
      ),
    close: async () => {
      await athena.close();
      await cloudWatch.close();
      table.close();
      rmSync(scratch, { recursive: true, force: true });
    },
  };
}
