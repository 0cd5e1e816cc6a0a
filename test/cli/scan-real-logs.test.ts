/**
 * `why502 scan` over the shared corpus of real log lines from other projects' test suites must
 * reproduce expected.json, which an independent counter computed (not this tool).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';
import { REAL_LOGS_DIR, hasRealLogs, warnSkipped } from '../support/shared-paths.js';

interface ExpectedFile {
  lines: number;
  entries: number;
  by_elb_status_code?: Record<string, number>;
  by_target_status_code?: Record<string, number>;
  by_type?: Record<string, number>;
  by_status_code?: Record<string, number>;
  by_termination_state?: Record<string, number>;
  by_upstream_status?: Record<string, number>;
  by_kind?: Record<string, number>;
  malformed_lines?: number[];
}

const expected: { files: Record<string, ExpectedFile>; _totals: Record<string, number> } = hasRealLogs
  ? JSON.parse(readFileSync(path.join(REAL_LOGS_DIR, 'expected.json'), 'utf8'))
  : { files: {}, _totals: {} };
const files = Object.entries(expected.files);
const isLb = (name: string) => /^(alb|elb-classic|nlb)\//.test(name);

async function scan(name: string): Promise<Record<string, any>> {
  const flag = isLb(name) ? '--alb-logs' : '--proxy-logs';
  const run = await runCli(['scan', flag, path.join(REAL_LOGS_DIR, name), '--format', 'json']);
  expect(run.code).toBe(0);
  const result = JSON.parse(run.stdout);
  return isLb(name) ? result.alb : result.proxy;
}

if (!hasRealLogs) warnSkipped('the real-log corpus checks', REAL_LOGS_DIR);

describe.skipIf(!hasRealLogs)('why502 scan over the real-log corpus', () => {
  it.each(files)('reproduces expected.json for %s', async (name, want) => {
    const got = await scan(name);

    expect(got.lines).toBe(want.lines);
    expect(got.malformed).toBe(want.lines - want.entries);
    if (want.malformed_lines) expect(got.malformed).toBe(want.malformed_lines.length);
    if (want.by_elb_status_code) expect(got.byElbStatus).toEqual(want.by_elb_status_code);
    if (want.by_target_status_code) expect(got.byTargetStatus).toEqual(want.by_target_status_code);
    if (want.by_type) expect(got.byType).toEqual(want.by_type);
    if (want.by_status_code) expect(got.byStatus).toEqual(want.by_status_code);
    if (want.by_termination_state) expect(got.byTermination).toEqual(want.by_termination_state);
    if (want.by_upstream_status) expect(got.byUpstreamStatus).toEqual(want.by_upstream_status);
    if (want.by_kind) expect(got.byKind).toEqual(want.by_kind);
    if (name.startsWith('nlb/')) expect(got.byKind).toEqual({ nlb: want.entries });
    if (name.startsWith('elb-classic/')) expect(got.byKind).toEqual({ 'classic-elb': want.entries });
  });

  it('reproduces the folder totals when given whole folders, reporting malformed lines as file:line', async () => {
    const run = await runCli(['scan', '--alb-logs', path.join(REAL_LOGS_DIR, 'alb'), '--proxy-logs', path.join(REAL_LOGS_DIR, 'haproxy'), '--format', 'json']);
    const result = JSON.parse(run.stdout);

    expect(run.code).toBe(0);
    expect([result.alb.lines, result.alb.lines - result.alb.malformed]).toEqual([expected._totals.alb_lines, expected._totals.alb_entries]);
    expect([result.proxy.lines, result.proxy.lines - result.proxy.malformed]).toEqual([expected._totals.haproxy_lines, expected._totals.haproxy_entries]);
    expect(run.stderr.trimEnd().split('\n')).toEqual([
      expect.stringMatching(/alb\/diwamoto-alb-log-parser\.log:4: malformed line skipped \(.+\)$/),
      expect.stringMatching(/alb\/diwamoto-alb-log-parser\.log:5: malformed line skipped \(.+\)$/),
      expect.stringMatching(/haproxy\/dd-agent-dogstream-haproxy\.log:6: malformed line skipped \(.+\)$/),
      expect.stringMatching(/haproxy\/gforcada-2_ok_1_invalid\.log:2: malformed line skipped \(.+\)$/),
    ]);
  });
});
