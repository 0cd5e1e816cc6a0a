/**
 * The seed-scale bench's generator, at a fiftieth of the seed's volume: it must write what the
 * real parsers read, in the S3 layout, with the counts it records; an investigation over them
 * must find those counts minute by minute (the check the bench makes at full scale).
 */
import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  checkSeedScaleSample,
  generateSeedScaleLogs,
  SEED_ASKED,
  SEED_INDEX,
  SEED_NOW,
  SEED_SCALE,
  type SeedScaleManifest,
  type SeedScaleSpec,
} from '../../bench/generate-seed-scale-logs.js';
import { compareCounts } from '../../bench/seed-scale-bench.js';
import { runCli } from '../support/run-cli.js';

const SMALL: SeedScaleSpec = {
  ...SEED_SCALE,
  lbRequestsPerMinute: 1_880,
  indexRequestsPerMinute: 400,
  burst: { ...SEED_SCALE.burst, peakPerMinute: 99 },
  background429PerMinute: 2,
  nodes: 3,
};

let directory: string;
let manifest: SeedScaleManifest;

beforeAll(async () => {
  directory = path.join(mkdtempSync(path.join(os.tmpdir(), 'why502-seed-scale-')), 'logs');
  manifest = await generateSeedScaleLogs(directory, SMALL);
}, 120_000);

describe('generateSeedScaleLogs', () => {
  it('writes lines the real parsers read as ALB and HAProxy entries with the statuses it gave them', async () => {
    expect(await checkSeedScaleSample(manifest)).toEqual([]);
  });

  it('writes one .log.gz per node and file slot every 5 minutes, named as S3 names them, and hourly HAProxy files', () => {
    const albFiles = readdirSync(manifest.albDir, { recursive: true, encoding: 'utf8' }).filter((name) =>
      name.endsWith('.log.gz'),
    );
    expect(albFiles).toHaveLength(37 * 3 * 2);
    expect(manifest.albFiles).toBe(albFiles.length);
    expect(albFiles[0]).toMatch(
      /^AWSLogs\/123456789012\/elasticloadbalancing\/ap-southeast-2\/2026\/06\/18\/123456789012_elasticloadbalancing_ap-southeast-2_app\.k8s-marqoingressgroup\.3c9e5b2a7d1f4e60_20260618T\d{4}Z_10\.0\.\d+\.\d+_[0-9a-f]{8}\.log\.gz$/,
    );
    expect(readdirSync(manifest.proxyDir)).toEqual([
      'haproxy-2026061818.log',
      'haproxy-2026061819.log',
      'haproxy-2026061820.log',
      'haproxy-2026061821.log',
    ]);
    expect(manifest.albLines).toBe(manifest.perMinute.lbRequests.reduce((a, b) => a + b, 0));
  });

  it('reuses a complete copy written for the same spec', async () => {
    const before = statSync(path.join(directory, 'manifest.json')).mtimeMs;
    const again = await generateSeedScaleLogs(directory, SMALL);
    expect(again).toEqual(manifest);
    expect(statSync(path.join(directory, 'manifest.json')).mtimeMs).toBe(before);
  });
});

describe('compareCounts', () => {
  it("finds the generator's counts in an investigation of its logs, every minute of the window", async () => {
    // Act
    const run = await runCli([
      SEED_INDEX,
      ...SEED_ASKED,
      '--alb-logs',
      manifest.albDir,
      '--proxy-logs',
      manifest.proxyDir,
      '--now',
      SEED_NOW,
      '--format',
      'json',
      '--no-draft',
    ]);
    // Assess
    expect(run.code).toBe(0);
    expect(compareCounts(manifest, run.stdout)).toEqual([]);
    expect(JSON.parse(run.stdout).verdict.kind).toBe('throttling_429');
  }, 60_000);

  it('names the signal and minute where a report differs from the generator', async () => {
    const run = await runCli([
      SEED_INDEX,
      ...SEED_ASKED,
      '--alb-logs',
      manifest.albDir,
      '--proxy-logs',
      manifest.proxyDir,
      '--now',
      SEED_NOW,
      '--format',
      'json',
      '--no-draft',
    ]);
    const report = JSON.parse(run.stdout);
    report.signals.elb_502.perMinute[7].count += 1;

    expect(compareCounts(manifest, JSON.stringify(report))).toEqual([
      `elb_502 at window minute 7 (${report.signals.elb_502.perMinute[7].count} vs ${report.signals.elb_502.perMinute[7].count - 1})`,
    ]);
  }, 60_000);
});
