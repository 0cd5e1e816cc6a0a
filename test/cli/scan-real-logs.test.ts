/**
 * `why502 scan` over two corpora of real-format log lines must reproduce their expected.json,
 * counted without this tool: the repository's fixtures (test/fixtures/real-format/, written by us,
 * counted from how each line was written), and the shared corpus of real lines from other
 * projects' test suites (../shared/data/real-logs/, counted by an independent counter), which
 * skips, said once per run, when absent.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  CORPORA,
  type ExpectedCounts,
  FIXTURE_CORPUS,
  type RealFormatCorpus,
  SHARED_CORPUS,
} from '../fixtures/real-format/real-format-corpus.js';
import { runCli } from '../support/run-cli.js';
import { warnSharedAbsentOnce } from '../support/shared-paths.js';

const isLb = (name: string) => /^(alb|elb-classic|nlb)\//.test(name);

// biome-ignore lint/suspicious/noExplicitAny: scan's JSON is read by path in the assertions; its shape is checked by the schema tests.
async function scan(corpus: RealFormatCorpus, name: string): Promise<Record<string, any>> {
  const flag = isLb(name) ? '--alb-logs' : '--proxy-logs';
  const run = await runCli(['scan', flag, path.join(corpus.dir, name), '--format', 'json']);
  expect(run.code).toBe(0);
  const result = JSON.parse(run.stdout);
  return isLb(name) ? result.alb : result.proxy;
}

warnSharedAbsentOnce();

for (const corpus of CORPORA) {
  describe.skipIf(!corpus.present)(`why502 scan over ${corpus.name}`, () => {
    it.each(Object.entries(corpus.expected))('reproduces expected.json for %s', async (name, want: ExpectedCounts) => {
      const got = await scan(corpus, name);

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
      if (want.first !== undefined) expect([got.first, got.last]).toEqual([want.first, want.last]);
    });
  });
}

describe.skipIf(!SHARED_CORPUS.present)('why502 scan over the real-log corpus', () => {
  const expected = { _totals: SHARED_CORPUS.totals };
  const REAL_LOGS_DIR = SHARED_CORPUS.dir;

  it('reproduces the folder totals when given whole folders, reporting malformed lines as file:line', async () => {
    const run = await runCli([
      'scan',
      '--alb-logs',
      path.join(REAL_LOGS_DIR, 'alb'),
      '--proxy-logs',
      path.join(REAL_LOGS_DIR, 'haproxy'),
      '--format',
      'json',
    ]);
    const result = JSON.parse(run.stdout);

    expect(run.code).toBe(0);
    expect([result.alb.lines, result.alb.lines - result.alb.malformed]).toEqual([
      expected._totals.alb_lines,
      expected._totals.alb_entries,
    ]);
    expect([result.proxy.lines, result.proxy.lines - result.proxy.malformed]).toEqual([
      expected._totals.haproxy_lines,
      expected._totals.haproxy_entries,
    ]);
    expect(run.stderr.trimEnd().split('\n')).toEqual([
      expect.stringMatching(/alb\/diwamoto-alb-log-parser\.log:4: malformed line skipped \(.+\)$/),
      expect.stringMatching(/alb\/diwamoto-alb-log-parser\.log:5: malformed line skipped \(.+\)$/),
      expect.stringMatching(/haproxy\/dd-agent-dogstream-haproxy\.log:6: malformed line skipped \(.+\)$/),
      expect.stringMatching(/haproxy\/gforcada-2_ok_1_invalid\.log:2: malformed line skipped \(.+\)$/),
    ]);
  });
});

describe('why502 scan over the repository fixtures, whole folders', () => {
  const { dir, expected, totals } = FIXTURE_CORPUS;

  /** "<dir>alb/older-forms-and-damage.log:6: malformed line skipped (…)" for each broken line, file by file. */
  function malformedReports(folder: string): string[] {
    return Object.keys(expected)
      .filter((name) => name.startsWith(`${folder}/`))
      .sort()
      .flatMap((name) =>
        (expected[name]!.malformed_lines ?? []).map((n) => `${path.join(dir, name)}:${n}: malformed line skipped`),
      );
  }

  it('reproduces the folder totals and time ranges, reporting each malformed line as file:line with its reason', async () => {
    const run = await runCli([
      'scan',
      '--alb-logs',
      path.join(dir, 'alb'),
      '--proxy-logs',
      path.join(dir, 'haproxy'),
      '--format',
      'json',
    ]);
    const result = JSON.parse(run.stdout);

    expect(run.code).toBe(0);
    expect([result.alb.lines, result.alb.lines - result.alb.malformed]).toEqual([totals.alb_lines, totals.alb_entries]);
    expect([result.proxy.lines, result.proxy.lines - result.proxy.malformed]).toEqual([
      totals.haproxy_lines,
      totals.haproxy_entries,
    ]);
    expect([result.alb.first, result.alb.last]).toEqual([
      expected['alb/current-form.log']!.first,
      expected['alb/older-forms-and-damage.log']!.last,
    ]);
    const reports = run.stderr.trimEnd().split('\n');
    expect(reports.map((line) => line.replace(/ \(.+\)$/, ''))).toEqual([
      ...malformedReports('alb'),
      ...malformedReports('haproxy'),
    ]);
    expect(reports.filter((line) => !/ \(.+\)$/.test(line))).toEqual([]);
  });

  it('counts HAProxy access lines, the lines that are not access lines and ingress-nginx lines in one proxy part, by kind', async () => {
    const run = await runCli([
      'scan',
      '--proxy-logs',
      path.join(dir, 'haproxy'),
      '--proxy-logs',
      path.join(dir, 'haproxy-other'),
      '--proxy-logs',
      path.join(dir, 'nginx'),
      '--format',
      'json',
    ]);
    const { proxy } = JSON.parse(run.stdout);

    const httplog = expected['haproxy/httplog.log']!;
    const nginx = expected['nginx/ingress-nginx-upstreaminfo.log']!;
    expect(run.code).toBe(0);
    expect(proxy.lines).toBe(totals.haproxy_lines! + totals['haproxy-other_lines']! + totals.nginx_lines!);
    expect(proxy.byKind).toEqual({
      'haproxy-http': httplog.entries,
      'nginx-ingress': nginx.entries,
      ...expected['haproxy-other/not-access-lines.log']!.by_kind,
    });
    expect(proxy.byKindAndStatus).toEqual({
      'haproxy-http': httplog.by_status_code,
      'nginx-ingress': nginx.by_status_code,
    });
  });
});

// The other stacks (CONTRACT §11), from the committed fixtures (test/fixtures/logs/SOURCES.md):
// every format counted, each in its own part.
const FIXTURES = fileURLToPath(new URL('../fixtures/logs/', import.meta.url));
const fixture = (name: string) => path.join(FIXTURES, name);

describe("why502 scan over the other stacks' logs", () => {
  it('counts Traefik and Envoy lines by format, by status within each, and who answered the 5xx', async () => {
    const run = await runCli([
      'scan',
      '--proxy-logs',
      fixture('traefik-clf/access.log'),
      '--proxy-logs',
      fixture('envoy/access.log'),
      '--format',
      'json',
    ]);
    const result = JSON.parse(run.stdout);

    expect([run.code, run.stderr, result.alb, result.edge, result.gcpLb]).toEqual([0, '', null, null, null]);
    expect(result.proxy).toMatchObject({
      lines: 46,
      malformed: 0,
      first: '2026-08-21T13:15:01.000Z',
      last: '2026-08-21T13:16:09.000Z',
      byKind: { envoy: 22, 'traefik-clf': 24 },
      byKindAndStatus: {
        envoy: { '0': 1, '200': 4, '201': 1, '301': 1, '404': 1, '429': 2, '500': 1, '502': 2, '503': 8, '504': 1 },
        'traefik-clf': {
          '200': 9,
          '201': 1,
          '301': 1,
          '401': 1,
          '404': 1,
          '429': 2,
          '499': 1,
          '500': 1,
          '502': 4,
          '503': 2,
          '504': 1,
        },
      },
      byStatus: {
        '0': 1,
        '200': 13,
        '201': 2,
        '301': 2,
        '401': 1,
        '404': 2,
        '429': 4,
        '499': 1,
        '500': 2,
        '502': 6,
        '503': 10,
        '504': 2,
      },
      byTermination: { DC: 1, NR: 1, RL: 2, UC: 2, UF: 1, 'UF,URX': 1, UH: 1, UO: 1, UPE: 1, UR: 1, URX: 1, UT: 1 },
      byAnsweredBy: { none: 2, 'proxy-rule': 9, 'proxy-upstream-failure': 16, server: 19 },
      byUpstreamFailure: { connect: 2, no_healthy: 3, protocol: 1, reset_before_response: 3, timeout: 2 },
      serverErrorsByAnsweredBy: { 'proxy-upstream-failure': 16, server: 4 },
    });
  });

  it('counts CloudFront and Cloudflare lines under edge: the 5xx the edge minted apart from those it passed on', async () => {
    const run = await runCli([
      'scan',
      '--edge-logs',
      fixture('cloudfront/E2EXAMPLE1234.2026-08-21-13.a1b2c3d4.log'),
      '--edge-logs',
      fixture('cloudflare/http_requests-unixnano.ndjson'),
      '--format',
      'json',
    ]);
    const { edge } = JSON.parse(run.stdout);

    expect([run.code, run.stderr]).toEqual([0, '']);
    expect(edge).toMatchObject({
      lines: 48,
      malformed: 0,
      first: '2026-08-21T13:15:01.000Z',
      last: '2026-08-21T13:17:13.001Z',
      byKind: { cloudflare: 22, cloudfront: 24, header: 2 },
      serverErrorsByAnsweredBy: { 'proxy-internal': 1, 'proxy-upstream-failure': 13, server: 9 },
      byUpstreamFailure: { connect: 5, protocol: 2, reset_before_response: 2, timeout: 2 },
      byOriginStatus: { '0': 12, '200': 4, '201': 1, '500': 1, '502': 3, '504': 1 },
    });
    expect(edge.byKindAndStatus.cloudfront).toEqual({
      '000': 1,
      '200': 9,
      '201': 1,
      '301': 1,
      '403': 1,
      '500': 1,
      '502': 8,
      '503': 1,
      '504': 1,
    });
  });

  it('counts Google Cloud load balancer entries, one per line and in a pretty-printed JSON array, by statusDetails', async () => {
    const run = await runCli([
      'scan',
      '--gcp-lb-logs',
      fixture('gcp-lb/requests.ndjson'),
      '--gcp-lb-logs',
      fixture('gcp-lb/requests-export.json'),
      '--format',
      'json',
    ]);
    const { gcpLb } = JSON.parse(run.stdout);

    expect([run.code, run.stderr]).toEqual([0, '']);
    expect(gcpLb).toEqual({
      entries: 26,
      malformed: 0,
      first: '2026-08-21T13:15:01.118Z',
      last: '2026-08-21T13:16:06.000Z',
      byStatus: { '0': 1, '200': 6, '201': 1, '403': 1, '500': 1, '502': 10, '503': 6 },
      byStatusDetails: {
        backend_connection_closed_after_partial_response_sent: 1,
        backend_connection_closed_before_data_sent_to_client: 6,
        backend_response_corrupted: 1,
        backend_timeout: 1,
        client_disconnected_before_any_response: 1,
        denied_by_security_policy: 1,
        failed_to_connect_to_backend: 4,
        failed_to_pick_backend: 2,
        internal_error: 1,
        response_from_cache: 1,
        response_sent_by_backend: 7,
      },
      byBackendService: {
        '(none)': 1,
        'k8s1-5f2b7c1e-prod-cart-3000-1b7e4f02': 1,
        'k8s1-5f2b7c1e-prod-orders-8080-9d3c2a41': 21,
        'k8s1-5f2b7c1e-prod-payments-8080-3c9d0e55': 2,
        'k8s1-5f2b7c1e-prod-reports-8080-77aa0c13': 1,
      },
      byAnsweredBy: { none: 1, 'proxy-internal': 1, 'proxy-rule': 1, 'proxy-upstream-failure': 14, server: 9 },
      byUpstreamFailure: { connect: 4, no_healthy: 2, protocol: 1, reset_before_response: 6, timeout: 1 },
      serverErrorsByAnsweredBy: { 'proxy-internal': 1, 'proxy-upstream-failure': 14, server: 2 },
    });
  });

  it('reports damaged lines of a known format one by one, with their file and line', async () => {
    const run = await runCli(['scan', '--edge-logs', fixture('cloudfront/damaged.log'), '--format', 'json']);

    expect(run.stderr.trimEnd().split('\n')).toEqual([
      `${fixture('cloudfront/damaged.log')}:3: malformed line skipped (expected at least 9 fields, found 6)`,
      `${fixture('cloudfront/damaged.log')}:4: malformed line skipped (neither a CloudFront line (tab-separated) nor a Cloudflare JSON object)`,
      `${fixture('cloudfront/damaged.log')}:5: malformed line skipped (invalid date or time)`,
      `${fixture('cloudfront/damaged.log')}:6: malformed line skipped (non-numeric sc-status)`,
    ]);
    expect(JSON.parse(run.stdout).edge).toMatchObject({ lines: 6, malformed: 4, byKind: { header: 2 } });
  });

  it('gives a file of no known format one message naming the formats known, not one per line', async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'why502-unknown-')), 'app.log');
    writeFileSync(
      file,
      Array.from({ length: 25 }, (_, i) => `2026-08-21 13:15:${String(i).padStart(2, '0')} INFO request served`).join(
        '\n',
      ),
    );

    const run = await runCli(['scan', '--proxy-logs', file, '--format', 'json']);

    expect([run.code, run.stderr]).toEqual([
      0,
      `why502: ${file}: none of its 25 lines could be read as a format --proxy-logs reads (HAProxy httplog, ingress-nginx upstreaminfo, ` +
        'Traefik access logs (Common Log Format or JSON), Envoy or Istio access logs (default text format or Istio JSON)). ' +
        'Line 1: unrecognised line. ALB access logs go with --alb-logs, CloudFront or Cloudflare logs with --edge-logs, ' +
        'Google Cloud load balancer logs with --gcp-lb-logs.\n',
    ]);
    expect(JSON.parse(run.stdout).proxy).toMatchObject({ lines: 25, malformed: 25 });
  });

  it('refuses CloudFront lines given as Google Cloud load balancer logs in one message', async () => {
    const run = await runCli([
      'scan',
      '--gcp-lb-logs',
      fixture('cloudfront/E2EXAMPLE1234.2026-08-21-13.a1b2c3d4.log'),
      '--format',
      'json',
    ]);

    expect(run.stderr).toMatch(
      /none of its 26 entries could be read as a format --gcp-lb-logs reads \(Google Cloud external Application Load Balancer request logs.*\)\. Line 1: text outside any JSON entry/,
    );
  });
});
