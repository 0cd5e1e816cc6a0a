/**
 * The seed's own scale on this machine (issue 14): a files-mode investigation over 3 hours of
 * the seed's shared load balancer (~17 M ALB lines in ~1,000 S3 .gz files) and the index's
 * HAProxy logs, timed in the same run against what inflating the same files costs (`zcat` on
 * one core and on every core: the floor a reader of .gz files cannot go under), with its peak
 * memory, the same report from one thread, and the counts the generator wrote.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, openSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  checkSeedScaleSample,
  generateSeedScaleLogs,
  SEED_ASKED,
  SEED_INDEX,
  SEED_NOW,
  type SeedScaleManifest,
} from './generate-seed-scale-logs.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BENCH_DIR = path.join(ROOT, '.bench');

/** Targets (issue 14), as ratios measured in one run. */
export const TARGETS = { floorRatio: 1.3, peakRssMb: 300 } as const;

export interface Timed {
  seconds: number;
  maxRssMb: number | null;
  stdout: string;
}

export interface SeedScaleFigures {
  cores: number;
  loadBefore: number[];
  loadAfter: number[];
  manifest: SeedScaleManifest;
  investigation: Timed;
  oneThread: Timed;
  zcatOneCore: Timed;
  zcatAllCores: Timed;
  sameReport: boolean;
  countProblems: string[];
}

/** Runs the seed-scale part; returns false when a target was missed or the answers disagree. */
/** `cli`: the launcher of the bundle to time (bench-cli.ts). */
export async function printSeedScaleBench(cli: string, repeats: number): Promise<boolean> {
  const figures = await measureSeedScale(cli, repeats);
  const { manifest, investigation, oneThread, zcatOneCore, zcatAllCores, cores } = figures;
  const ratio = investigation.seconds / zcatAllCores.seconds;
  const rss = investigation.maxRssMb ?? Number.POSITIVE_INFINITY;
  const report = JSON.parse(investigation.stdout) as { verdict: { kind: string } };
  const met = (ok: boolean) => (ok ? 'met' : 'MISSED');
  const gb = (bytes: number) => `${(bytes / 1e9).toFixed(2)} GB`;
  console.log(
    `\nwhy502 bench — the seed's scale: ${cores} cores, load average ${figures.loadBefore.map((n) => n.toFixed(2)).join(' ')} before, ${figures.loadAfter.map((n) => n.toFixed(2)).join(' ')} after`,
  );
  console.log(
    `  logs: ${manifest.albFiles} ALB .log.gz (${(manifest.albLines / 1e6).toFixed(1)}M lines, ${gb(manifest.albBytes)}), ` +
      `${manifest.proxyFiles} HAProxy files (${(manifest.proxyLines / 1e6).toFixed(1)}M lines, ${gb(manifest.proxyBytes)}), generated once into .bench/seed-scale`,
  );
  console.log(
    `  investigation, ${cores} threads : ${seconds(investigation)}  peak RSS ${mb(investigation)}  verdict ${report.verdict.kind}`,
  );
  console.log(
    `  investigation, 1 thread  : ${seconds(oneThread)}  peak RSS ${mb(oneThread)}  same report as ${cores} threads: ${figures.sameReport ? 'yes' : 'NO'}`,
  );
  console.log(`  zcat, 1 core             : ${seconds(zcatOneCore)}`);
  console.log(`  zcat, ${cores} cores (xargs -P) : ${seconds(zcatAllCores)}  (the inflate floor)`);
  console.log(
    `  ratio: the investigation takes ${ratio.toFixed(2)}× the inflate floor on every core (target ≤ ${TARGETS.floorRatio}: ${met(ratio <= TARGETS.floorRatio)}); ${(zcatOneCore.seconds / investigation.seconds).toFixed(2)}× faster than zcat on one core; ${(oneThread.seconds / investigation.seconds).toFixed(2)}× its one-thread time`,
  );
  console.log(`  peak RSS: ${mb(investigation)} (target < ${TARGETS.peakRssMb} MB: ${met(rss < TARGETS.peakRssMb)})`);
  console.log(
    `  counts against the generator's: ${figures.countProblems.length === 0 ? 'every minute of lb_requests, requests, target_4xx (429) and elb_502 matches' : `DIFFER: ${figures.countProblems.join('; ')}`}`,
  );
  return (
    ratio <= TARGETS.floorRatio && rss < TARGETS.peakRssMb && figures.sameReport && figures.countProblems.length === 0
  );
}

export async function measureSeedScale(cli: string, repeats: number): Promise<SeedScaleFigures> {
  const manifest = await generateSeedScaleLogs(path.join(BENCH_DIR, 'seed-scale'), undefined, (line) =>
    process.stderr.write(`${line}\r`),
  );
  const problems = await checkSeedScaleSample(manifest);
  if (problems.length > 0) throw new Error(`the generated logs do not parse as expected:\n${problems.join('\n')}`);
  const cores = os.availableParallelism();
  const list = fileList(manifest);
  const investigate = [
    cli,
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
  ];
  const allThreads = { WHY502_REPORT_RSS: '1', WHY502_WORKERS: undefined };
  const loadBefore = os.loadavg();
  // The two figures whose ratio is the target run back to back, twice by default: the best of each counts.
  let investigation: Timed | null = null;
  let zcatAllCores: Timed | null = null;
  for (let i = 0; i < repeats; i++) {
    investigation = faster(investigation, timeCommand(process.execPath, investigate, allThreads));
    zcatAllCores = faster(
      zcatAllCores,
      timeCommand(
        'xargs',
        ['-a', list, '-P', String(cores), '-n', String(Math.ceil(manifest.albFiles / (cores * 16))), 'zcat', '-f'],
        {},
        { discardStdout: true },
      ),
    );
  }
  const oneThread = timeCommand(process.execPath, investigate, { WHY502_REPORT_RSS: '1', WHY502_WORKERS: '1' });
  const zcatOneCore = timeCommand('xargs', ['-a', list, 'zcat', '-f'], {}, { discardStdout: true });
  return {
    cores,
    loadBefore,
    loadAfter: os.loadavg(),
    manifest,
    investigation: investigation!,
    oneThread,
    zcatOneCore,
    zcatAllCores: zcatAllCores!,
    sameReport: oneThread.stdout === investigation!.stdout,
    countProblems: compareCounts(manifest, investigation!.stdout),
  };
}

/** Every file the investigation reads, one per line, for xargs. */
function fileList(manifest: SeedScaleManifest): string {
  const files = [
    ...readdirSync(manifest.albDir, { recursive: true, encoding: 'utf8' })
      .filter((name) => name.endsWith('.gz'))
      .map((name) => path.join(manifest.albDir, name)),
    ...readdirSync(manifest.proxyDir).map((name) => path.join(manifest.proxyDir, name)),
  ];
  const list = path.join(BENCH_DIR, 'seed-scale-files.txt');
  writeFileSync(list, `${files.join('\n')}\n`);
  return list;
}

interface ReportCounts {
  window: { start: string };
  signals: Record<string, { perMinute: Array<{ minute: string; count: number }>; window: number | null }>;
}

/** The report's per-minute ALB counts and the proxy's totals, against what the generator wrote. */
export function compareCounts(manifest: SeedScaleManifest, reportJson: string): string[] {
  const report = JSON.parse(reportJson) as ReportCounts;
  const offset = Math.round((Date.parse(report.window.start) - Date.parse(manifest.spec.start)) / 60_000);
  const problems: string[] = [];
  const pairs: Array<[string, number[]]> = [
    ['lb_requests', manifest.perMinute.lbRequests],
    ['requests', manifest.perMinute.indexRequests],
    ['target_4xx', manifest.perMinute.index429],
    ['elb_502', manifest.perMinute.elb502],
  ];
  for (const [signal, expected] of pairs) {
    const measured = report.signals[signal]?.perMinute.map((m) => m.count) ?? [];
    const wrong = measured.findIndex((count, i) => count !== expected[offset + i]);
    if (measured.length === 0 || wrong !== -1)
      problems.push(`${signal} at window minute ${wrong} (${measured[wrong]} vs ${expected[offset + wrong]})`);
  }
  const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
  const inWindow = (values: number[]) =>
    values.slice(offset, offset + (report.signals.requests?.perMinute.length ?? 0));
  // The proxy bins by when it answered (a millisecond either side of the ALB's stamp): compare totals.
  if (report.signals.proxy_requests?.window !== sum(inWindow(manifest.perMinute.indexRequests)))
    problems.push('proxy_requests total');
  if (report.signals.throttled_429?.window !== sum(inWindow(manifest.perMinute.index429)))
    problems.push('throttled_429 total');
  return problems;
}

export function timeCommand(
  command: string,
  args: string[],
  env: Record<string, string | undefined>,
  options: { discardStdout?: boolean } = {},
): Timed {
  const devNull = options.discardStdout ? openSync('/dev/null', 'w') : null;
  const started = process.hrtime.bigint();
  const childEnv = { ...process.env, ...env };
  for (const [name, value] of Object.entries(env)) if (value === undefined) delete childEnv[name];
  const result = spawnSync(command, args, {
    env: childEnv,
    encoding: 'utf8',
    maxBuffer: 256 << 20,
    stdio: ['ignore', devNull ?? 'pipe', 'pipe'],
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (devNull !== null) closeSync(devNull);
  if (result.status !== 0)
    throw new Error(
      `${command} ${args.slice(0, 3).join(' ')} … failed (${result.status ?? result.signal}): ${result.stderr}`,
    );
  const rss = /why502-max-rss-kb=(\d+)/.exec(result.stderr);
  return { seconds, maxRssMb: rss ? Number(rss[1]) / 1024 : null, stdout: result.stdout ?? '' };
}

/** The faster run, with the higher peak memory of the two: memory is a ceiling, not a best case. */
function faster(best: Timed | null, next: Timed): Timed {
  if (best === null) return next;
  const peak = best.maxRssMb === null || next.maxRssMb === null ? null : Math.max(best.maxRssMb, next.maxRssMb);
  return { ...(next.seconds < best.seconds ? next : best), maxRssMb: peak };
}

const seconds = (timed: Timed) => `${timed.seconds.toFixed(1).padStart(6)} s`;
const mb = (timed: Timed) => `${timed.maxRssMb?.toFixed(0) ?? '?'} MB`;
