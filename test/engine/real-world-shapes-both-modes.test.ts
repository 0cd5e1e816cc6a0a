/**
 * Issue 8's shapes in files mode AND CloudWatch mode, on the same simulated incidents: an origin
 * trickle under the keep-alive background, a neighbour's crash-loop, and a hole in the proxy's
 * logs (an hourly file missing from the download; the same hour missing from the log group).
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ReportJson } from '../../src/core/report.js';
import { investigateBothWays } from '../support/investigate-both-ways.js';
import { INDEX, incident, minute } from '../support/scenarios.js';

const background = { kind: 'keepalive_502', perMinute: 4 } as const;
const kinds = (report: ReportJson) => report.findings.map((finding) => finding.kind);
const HOUR_19 = { from: Date.parse('2026-06-18T19:00:00Z'), to: Date.parse('2026-06-18T20:00:00Z') };

describe("the verdict on issue 8's shapes, files mode and CloudWatch mode", () => {
  it('leads with a steady trickle of origin 500s over the flat LB-minted 502 background in both modes', async () => {
    const trickle = { kind: 'origin_5xx', index: INDEX, fromMinute: 0, toMinute: 209, perMinute: 3 } as const;

    const { files, cloudWatch } = await investigateBothWays(incident([trickle, background]));

    for (const report of [files, cloudWatch]) {
      expect(kinds(report)[0]).toBe('origin_5xx');
      expect(report.verdict.headline).toContain('steady trickle of 5xx');
      expect(report.verdict.confidence).toBe('medium');
      expect(kinds(report)).toContain('keepalive_race');
    }
    expect(cloudWatch.verdict.facts.origin5xxWindow).toBe(files.verdict.facts.origin5xxWindow);
  }, 60_000);

  it("does not make a neighbour's crash-loop this index's verdict in either mode", async () => {
    const neighbour = {
      kind: 'target_down',
      index: 'prod_004_video',
      fromMinute: minute('19:36'),
      toMinute: minute('19:44'),
      failFraction: 0.9,
    } as const;

    const { files, cloudWatch } = await investigateBothWays(incident([neighbour, background]));

    expect(kinds(files)[0]).toBe('keepalive_race');
    expect(files.verdict.reasons.join('\n')).toMatch(/prod_004_video had \d+ LB-minted 502s/);
    // CloudWatch has no per-target-group ELB 502 metric: it cannot name the neighbour, but this
    // index's own target-group metrics (no connection errors, no unhealthy hosts) clear it.
    expect(kinds(cloudWatch)[0]).toBe('keepalive_race');
    expect(cloudWatch.verdict.reasons[0]).toMatch(
      /leaving out a spike in 05:3\d–05:4\d AEST .* that prod_000_audio's own target group does not show/,
    );
    const shared = cloudWatch.findings.find((f) => f.kind === 'target_unreachable')!;
    expect(shared.reasons.join('\n')).toContain(`${INDEX}'s own target group shows nothing then`);
  }, 60_000);

  it("keeps the proxy's missing hour out of every count in both modes, and says so", async () => {
    const seedBurst = {
      kind: 'throttle',
      index: INDEX,
      fromMinute: minute('19:29'),
      toMinute: minute('19:40'),
      peakPerMinute: 150,
    } as const;

    const { files, cloudWatch } = await investigateBothWays(incident([seedBurst, background]), {
      files: (written) => rmSync(path.join(written.proxyDir, 'haproxy-2026061819.log')),
      cloudWatch: (logs) => ({
        ...logs,
        proxy: logs.proxy.filter(({ timeMs }) => timeMs < HOUR_19.from || timeMs >= HOUR_19.to),
      }),
    });

    for (const report of [files, cloudWatch]) {
      const origin = report.signals.origin_5xx!;
      expect(origin.status).toBe('partial');
      expect(origin.atMinute).toBeNull();
      expect(origin.perMinute.some(({ minute: at }) => at.startsWith('2026-06-18T19:'))).toBe(false);
      expect(report.verdict.kind).not.toBe('no_errors');
    }
    expect(files.verdict.kind).toBe('throttling_429');
    expect(cloudWatch.signals.origin_5xx!.reason).toContain(
      'Logs Insights returned no events for the index in 19:00–19:59 UTC',
    );
  }, 60_000);
});
