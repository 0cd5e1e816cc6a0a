/**
 * The seeds' other stacks (CONTRACT §11), end to end on the terminal: each incident is simulated,
 * written in the stack's own log formats (Traefik JSON, Envoy, a Google Cloud load balancer's
 * request log, CloudFront and Cloudflare in front), read back by the real parsers through the
 * flags a user types, and judged. The verdict must name the layer the seed's authors found.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, describe, expect, it } from 'vitest';
import type { ReportJson } from '../../src/core/report.js';
import type { IncidentEvent, StackSpec } from '../../src/simulate/simulate-incident.js';
import { writeIncidentLogs } from '../../src/simulate/write-incident-logs.js';
import { runCli } from '../support/run-cli.js';
import { INDEX, incident, minute, TENANTS } from '../support/scenarios.js';
import { CONTRACT_SCHEMA, hasContract } from '../support/shared-paths.js';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'why502-stacks-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const background: IncidentEvent = { kind: 'keepalive_502', perMinute: 4 };
const CONFIG = `indexes:\n${TENANTS.map((t) => `  ${t.index}:\n    targetGroup: ${t.targetGroup}\n    match: /indexes/${t.index}/\n`).join('')}`;

interface StackRun {
  report: ReportJson;
  text: string;
  stderr: string;
}

/** Writes the incident in the stack's formats and runs `why502 prod_000_audio 05:41 AEST` over it, as JSON and as text. */
async function investigateStack(
  stack: StackSpec,
  events: IncidentEvent[],
  { text: withText = false } = {},
): Promise<StackRun> {
  const directory = mkdtempSync(path.join(scratch, 'run-'));
  const written = await writeIncidentLogs(incident(events, 7, { stack }), directory);
  writeFileSync(path.join(directory, 'why502.yml'), CONFIG);
  const args = [
    INDEX,
    '05:41',
    'AEST',
    '--now',
    '2026-06-18T23:00:00Z',
    '--no-draft',
    ...(stack.loadBalancer === 'gcp' ? ['--gcp-lb-logs', written.albDir] : ['--alb-logs', written.albDir]),
    '--proxy-logs',
    written.proxyDir,
    ...(written.edgeDir ? ['--edge-logs', written.edgeDir] : []),
  ];
  const json = await runCli([...args, '--format', 'json'], { cwd: directory });
  expect(json.code, json.stderr).toBe(0);
  const text = withText ? await runCli(args, { cwd: directory }) : null;
  expect(text?.code ?? 0, text?.stderr).toBe(0);
  return { report: JSON.parse(json.stdout) as ReportJson, text: text?.stdout ?? '', stderr: json.stderr };
}

const total = (report: ReportJson, signal: string) => report.signals[signal]?.window ?? null;
const allReasons = (report: ReportJson) => report.verdict.reasons.join('\n');

describe("the seeds' other stacks, end to end", () => {
  it('seed 001: Traefik behind the ALB, OOM-killed — the ALB minted the 502s and Traefik never saw them', async () => {
    const oom: IncidentEvent = {
      kind: 'target_down',
      index: INDEX,
      fromMinute: minute('19:38'),
      toMinute: minute('19:44'),
      failFraction: 0.3,
    };

    const { report, stderr } = await investigateStack({ proxy: 'traefik-json' }, [oom]);

    expect(stderr).not.toMatch(/malformed/);
    expect(report.verdict.kind).toBe('target_unreachable');
    expect(report.verdict.headline).toMatch(
      /^The load balancer could not reach prod_000_audio's targets: \d+ LB-minted 502s/,
    );
    // The proxy's own log is complete and shows no 5xx: the seed's "only in the ALB access logs".
    expect(report.signals.origin_5xx).toMatchObject({ status: 'ok', window: 0 });
    expect(total(report, 'elb_502_index')).toBeGreaterThan(100);
    expect(report.sources.find((s) => s.name === 'proxy logs')?.status).toBe('complete');
  }, 60_000);

  it('seed 002: CloudFront in front of the ALB — the load balancer made the 502s, CloudFront passed them on', async () => {
    const overloaded: IncidentEvent = {
      kind: 'target_down',
      index: INDEX,
      fromMinute: minute('19:35'),
      toMinute: minute('19:45'),
      failFraction: 0.2,
    };

    const { report, text } = await investigateStack({ edge: 'cloudfront' }, [overloaded, background], { text: true });

    expect(report.verdict.kind).toBe('target_unreachable');
    expect(total(report, 'edge_minted_5xx')).toBe(0);
    expect(total(report, 'edge_passed_5xx')).toBe(total(report, 'elb_502_index'));
    expect(allReasons(report)).toMatch(
      /CloudFront passed [\d,]+ 5xx from the load balancer on to the customer; it made none itself/,
    );
    expect(allReasons(report)).toMatch(
      /\(100 %\) line up with the load balancer's own LB-minted 502s for prod_000_audio/,
    );
    expect(text).toContain('5xx the edge passed on (CloudFront)');
  }, 60_000);

  it("seed 003: a Google Cloud load balancer's flat 502s are the keep-alive race, with Google's fixed 600 s to beat", async () => {
    const race: IncidentEvent = { kind: 'keepalive_502', perMinute: 6, index: INDEX };

    const { report, text } = await investigateStack({ loadBalancer: 'gcp', proxy: 'envoy' }, [race], { text: true });

    expect(report.verdict.kind).toBe('keepalive_race');
    expect(allReasons(report)).toMatch(/statusDetails other than response_sent_by_backend/);
    expect(allReasons(report)).toContain("shorter than Google's front end's fixed 600 s backend keep-alive");
    expect(report.verdict.advice.join('\n')).toMatch(
      /fixed 600 s, which cannot be changed: make the backends' keep-alive longer, e\.g\. 620 s/,
    );
    expect(report.signals.target_connection_errors).toMatchObject({ status: 'ok', window: 0 });
    expect(text).toContain('requests (GCP LB)');
    expect(text).toContain('LB-minted error, this index');
  }, 60_000);

  it('a Google Cloud backend that stops accepting connections: errors classed by statusDetails though GFE answers 503', async () => {
    const down: IncidentEvent = {
      kind: 'target_down',
      index: INDEX,
      fromMinute: minute('19:38'),
      toMinute: minute('19:44'),
      failFraction: 0.5,
    };

    const { report } = await investigateStack({ loadBalancer: 'gcp' }, [down, background]);

    expect(report.verdict.kind).toBe('target_unreachable');
    expect(report.verdict.headline).toMatch(/\d+ LB-minted errors for prod_000_audio/);
    // Every failed_to_connect_to_backend is a connection error, all inside the burst.
    expect(total(report, 'target_connection_errors')).toBeGreaterThan(300);
    expect(report.verdict.advice.join('\n')).toContain('connectionDraining.drainingTimeoutSec');
  }, 60_000);

  it('seed 004: Traefik minting a flat trickle of 502s itself is the keep-alive race between proxy and application', async () => {
    const race: IncidentEvent = { kind: 'proxy_keepalive_502', index: INDEX, perMinute: 2 };

    const { report } = await investigateStack({ proxy: 'traefik-json' }, [race]);

    expect(report.verdict.kind).toBe('origin_5xx');
    expect(report.verdict.headline).toMatch(
      /^The proxy minted a steady trickle of 5xx \([\d,]+ in the window\): most likely the keep-alive race between the proxy and the application/,
    );
    expect(report.signals.origin_5xx!.byTermination).toEqual({
      'answered-by:proxy-upstream-failure': total(report, 'origin_5xx'),
    });
    expect(total(report, 'target_5xx')).toBe(total(report, 'origin_5xx'));
    expect(report.verdict.advice[0]).toContain('Traefik serversTransport idleConnTimeout (90 s by default)');
  }, 60_000);

  it('Envoy says how: its 503 UC is the application closing the connection before answering', async () => {
    const race: IncidentEvent = { kind: 'proxy_keepalive_502', index: INDEX, perMinute: 2 };

    const { report } = await investigateStack({ proxy: 'envoy' }, [race]);

    expect(report.verdict.kind).toBe('origin_5xx');
    expect(report.signals.origin_5xx!.byCode).toEqual({ '503': total(report, 'origin_5xx') });
    expect(allReasons(report)).toContain(
      'Most were minted by the proxy itself (UC): the application closed or reset the connection before sending headers.',
    );
    expect(report.verdict.headline).toMatch(/: the keep-alive race between the proxy and the application/);
  }, 60_000);

  it('Cloudflare that cannot reach the load balancer: the edge made the 5xx, and nothing behind it saw them', async () => {
    const unreachable: IncidentEvent = {
      kind: 'edge_unreachable',
      index: INDEX,
      fromMinute: minute('19:38'),
      toMinute: minute('19:44'),
      failFraction: 0.4,
    };

    const { report } = await investigateStack({ edge: 'cloudflare' }, [unreachable, background]);

    expect(report.verdict.kind).toBe('target_unreachable');
    expect(report.verdict.headline).toMatch(
      /^Cloudflare could not reach the load balancer: it made [\d,]+ 5xx itself in 05:3\d–05:4\d AEST/,
    );
    expect(total(report, 'edge_minted_5xx')).toBeGreaterThan(200);
    // The load balancer's own errors stay the flat background: the edge's 5xx never reached it.
    expect(report.findings.map((f) => f.kind)).toContain('keepalive_race');
  }, 60_000);

  it("Envoy's RL rate limit behind CloudFront is still our 429s, not 502s", async () => {
    const burst: IncidentEvent = {
      kind: 'throttle',
      index: INDEX,
      fromMinute: minute('19:29'),
      toMinute: minute('19:40'),
      peakPerMinute: 150,
    };

    const { report, text } = await investigateStack({ proxy: 'envoy', edge: 'cloudfront' }, [burst, background], {
      text: true,
    });

    expect(report.verdict.kind).toBe('throttling_429');
    expect(report.signals.throttled_429!.byTermination).toEqual({ RL: total(report, 'throttled_429') });
    expect(text).toContain('429 throttled (proxy RL)');
  }, 60_000);

  it.skipIf(!hasContract)(
    'writes reports valid against the contract schema for every stack',
    async () => {
      const validate = new Ajv2020({ strict: false, allErrors: true }).compile(
        JSON.parse(readFileSync(CONTRACT_SCHEMA, 'utf8')),
      );
      const { report } = await investigateStack({ loadBalancer: 'gcp', proxy: 'traefik-json', edge: 'cloudflare' }, [
        background,
      ]);

      expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    },
    60_000,
  );
});
