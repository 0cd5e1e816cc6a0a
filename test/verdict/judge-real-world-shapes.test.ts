/**
 * Incidents of the shapes real load balancers add (issue 8): holes in the logs, a neighbour's
 * crash-loop, a quiet index, an origin trickle under the keep-alive background. Each is written
 * by our simulator as real-format files, damaged the way a download is, and read back through
 * the real parsers and the files-mode evidence path.
 */
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { tenantSpec } from '../../src/demo/demo-incident.js';
import type { WrittenLogs } from '../../src/simulate/write-incident-logs.js';
import { INDEX, incident, judgeScenario, minute, TENANTS } from '../support/scenarios.js';

const NODES = ['10.0.1.5', '10.0.2.7'];
const seedBurst = {
  kind: 'throttle',
  index: INDEX,
  fromMinute: minute('19:29'),
  toMinute: minute('19:40'),
  peakPerMinute: 150,
} as const;
const background = { kind: 'keepalive_502', perMinute: 4 } as const;

/** Every ALB file under the written folder, with the interval end and node its S3 name gives. */
function albFiles(written: WrittenLogs): Array<{ file: string; end: string; node: string }> {
  const out: Array<{ file: string; end: string; node: string }> = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else {
        const match = /_(\d{8}T\d{4})Z_([\d.]+)_/.exec(name);
        if (match) out.push({ file: full, end: match[1]!, node: match[2]! });
      }
    }
  };
  walk(written.albDir);
  return out;
}

/** Deletes the ALB files whose 5-minute interval ends within [fromHHMM, toHHMM] (UTC, 18 June), for some nodes or all. */
function dropAlbFiles(fromHHMM: string, toHHMM: string, nodes?: string[]) {
  return (written: WrittenLogs) => {
    const from = `20260618T${fromHHMM.replace(':', '')}`;
    const to = `20260618T${toHHMM.replace(':', '')}`;
    for (const { file, end, node } of albFiles(written)) {
      if (end >= from && end <= to && (!nodes || nodes.includes(node))) rmSync(file);
    }
  };
}

describe('judgeEvidence when the logs have holes', () => {
  it("names the hole when one load-balancer node's files stop for 25 minutes, and never counts it as quiet", async () => {
    const { evidence, findings } = await judgeScenario(incident([background], 7, { albNodes: NODES }), {
      damage: dropAlbFiles('19:30', '19:55', ['10.0.2.7']),
    });

    const elb502 = evidence.signals.elb_502;
    expect(elb502.status).toBe('partial');
    // The files ending 19:30…19:55 hold 19:25–19:54 UTC: window minutes 74–103 counted from 18:11.
    expect(elb502.uncovered).toEqual([[74, 103]]);
    expect(elb502.reason).toContain('the ALB access logs given miss 19:25–19:54 UTC');
    expect(elb502.reason).toContain('10.0.2.7');
    expect(evidence.sources.find((s) => s.name === 'ALB access logs')!.status).toBe('partial');
    const verdict = findings[0]!;
    expect(['inconclusive', 'keepalive_race']).toContain(verdict.kind);
    expect(verdict.reasons.join('\n')).not.toMatch(/before, during (and|or) after the asked time/);
    if (verdict.kind === 'keepalive_race') expect(verdict.reasons.join('\n')).toContain('not covered');
  });

  it("is inconclusive about the load balancer, not calm, when every node's files stop across the asked minute", async () => {
    const { evidence, findings } = await judgeScenario(incident([background], 7, { albNodes: NODES }), {
      damage: dropAlbFiles('19:30', '19:55'),
    });

    expect(evidence.signals.requests.uncovered).toEqual([[74, 103]]);
    expect(evidence.signals.requests.counts![90]).toBe(0); // a placeholder…
    const verdict = findings[0]!;
    expect(verdict.kind).not.toBe('no_errors');
    expect(verdict.reasons.join('\n')).toMatch(/not covered|no log covers|did not cover/);
    expect(findings.find((f) => f.kind === 'keepalive_race')?.reasons.join('\n') ?? '').not.toMatch(
      /before, during (and|or) after/,
    );
  });

  it("keeps the 429 verdict and its count when one hourly proxy file is missing, from the ALB's target status", async () => {
    const { evidence, findings } = await judgeScenario(incident([seedBurst, background]), {
      damage: (written) => rmSync(path.join(written.proxyDir, 'haproxy-2026061819.log')),
    });

    expect(evidence.signals.proxy_requests!.status).toBe('partial');
    expect(evidence.signals.proxy_requests!.reason).toContain('the proxy logs given miss 19:00–19:59 UTC');
    const verdict = findings[0]!;
    expect(verdict.kind).toBe('throttling_429');
    expect(verdict.facts.burstStart).toBe('2026-06-18T19:29:00Z');
    expect(verdict.facts.burstEnd).toBe('2026-06-18T19:40:00Z');
    expect(Number(verdict.facts.throttledWindow)).toBeGreaterThan(900);
  });

  it('does not tell the customer "no 5xx" when a .gz truncated at 30 % hid the origin\'s 500s at the asked minute', async () => {
    const origin = {
      kind: 'origin_5xx',
      index: INDEX,
      fromMinute: minute('19:38'),
      toMinute: minute('19:44'),
      perMinute: 25,
    } as const;
    const { evidence, findings } = await judgeScenario(incident([origin, background]), {
      damage: (written) => {
        const file = path.join(written.proxyDir, 'haproxy-2026061819.log');
        const gz = gzipSync(readFileSync(file));
        rmSync(file);
        writeFileSync(`${file}.gz`, gz.subarray(0, Math.floor(gz.length * 0.3)));
      },
    });

    expect(evidence.signals.origin_5xx.status).toBe('partial');
    expect(evidence.signals.origin_5xx.reason).toContain('could not be read to the end');
    const verdict = findings[0]!;
    expect(verdict.kind).toBe('origin_5xx');
    expect(verdict.reasons[0]).toMatch(/^The targets returned \d+ 5xx/); // the ALB's complete count, not the proxy's truncated one
    expect(Number(verdict.facts.origin5xxWindow)).toBeGreaterThan(100);
  });

  it('says the logs hold nothing in the window, not "no errors", for two lines 18 hours apart', async () => {
    const { evidence, findings } = await judgeScenario(incident([background]), {
      damage: (written) => {
        const files = albFiles(written);
        const line = gunzipSync(readFileSync(files[0]!.file)).toString('utf8').split('\n')[0]!;
        const at = (iso: string) => line.replace(/ \d{4}-\d{2}-\d{2}T[\d:.]+Z /, ` ${iso} `);
        for (const { file } of files) rmSync(file);
        writeFileSync(
          files[0]!.file,
          gzipSync(`${at('2026-06-18T10:41:07.000000Z')}\n${at('2026-06-19T04:41:07.000000Z')}\n`),
        );
      },
      proxy: false,
    });

    expect(evidence.signals.elb_502.status).toBe('unavailable');
    expect(evidence.signals.elb_502.reason).toContain('hold no entry in the window');
    expect(findings[0]!.kind).toBe('inconclusive');
  });
});

describe('judgeEvidence with noisy neighbours and quiet indexes', () => {
  it("keeps this index's keep-alive picture when a neighbour crash-loops near the asked time, and names the neighbour", async () => {
    const neighbour = {
      kind: 'target_down',
      index: 'prod_004_video',
      fromMinute: minute('19:36'),
      toMinute: minute('19:44'),
      failFraction: 0.9,
    } as const;
    const { findings, kinds } = await judgeScenario(incident([neighbour, background]));

    expect(kinds[0]).toBe('keepalive_race');
    const reasons = findings[0]!.reasons.join('\n');
    expect(reasons).toMatch(/prod_004_video had \d+ LB-minted 502s/);
    expect(findings[0]!.headline).not.toContain('mostly for other tenants');
  });

  it('calls two LB-minted 502s among five requests on a quiet index the flat background, not unreachable targets', async () => {
    const quiet = [tenantSpec(INDEX, 4), ...TENANTS.slice(1)];
    const { findings, kinds } = await judgeScenario(
      incident([{ kind: 'keepalive_502', perMinute: 6 }], 11, { tenants: quiet }),
    );

    expect(kinds).not.toContain('target_unreachable');
    expect(kinds[0]).toBe('keepalive_race');
    expect(findings[0]!.reasons.join('\n')).toContain('were for prod_000_audio');
  });

  it('leads with a steady trickle of origin 500s at the asked minute over a flat LB-minted 502 background', async () => {
    const trickle = { kind: 'origin_5xx', index: INDEX, fromMinute: 0, toMinute: 209, perMinute: 3 } as const;
    const { findings, kinds } = await judgeScenario(incident([trickle, background]));

    expect(kinds[0]).toBe('origin_5xx');
    expect(kinds).toContain('keepalive_race');
    expect(findings[0]!.headline).toContain('trickle');
    const keepalive = findings.find((f) => f.kind === 'keepalive_race')!;
    expect(keepalive.headline).not.toMatch(/^A flat background of LB-minted 502s .*: the keep-alive race/);
  });
});
