/**
 * Files mode read on worker threads must give the view one thread gives, bit for bit: the same
 * counts, the same order of every breakdown's keys, the same warnings with the same file:line,
 * the same report. Incidents are written by our simulator (several event kinds, three load-balancer
 * nodes, logs from 17:00 to 22:00 around a 18:11–21:11 window), then damaged as a download is:
 * a truncated .gz, a node's missing files, malformed and over-long proxy lines.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { isPresent } from '../../../src/evidence/views.js';
import { MalformedLineReporter } from '../../../src/files/malformed-reporter.js';
import { parseInvestigation } from '../../../src/grammar/parse-command.js';
import { liveWorkerThreads } from '../../../src/parallel/worker-pool.js';
import type { IncidentSpec } from '../../../src/simulate/simulate-incident.js';
import { type WrittenLogs, writeIncidentLogs } from '../../../src/simulate/write-incident-logs.js';
import {
  accessLogReference,
  type FileEvidenceDeps,
  type FileEvidenceInput,
  readAccessLogFiles,
  readProxyLogFiles,
} from '../../../src/sources/log-files/gather-file-evidence.js';
import { withProcessEnv } from '../../support/process-env.js';
import { runCli } from '../../support/run-cli.js';
import { INDEX, TENANTS } from '../../support/scenarios.js';

const NOW = '2026-06-18T23:00:00Z';
const START = new Date('2026-06-18T17:00:00Z');
const at = (hhmm: string) => (Date.parse(`2026-06-18T${hhmm}:00Z`) - START.getTime()) / 60_000;
const NODES = ['10.0.1.5', '10.0.2.7', '10.0.3.9'];

const SPEC: IncidentSpec = {
  start: START,
  minutes: 300, // 17:00–22:00: S3 files well before and after the window, hourly proxy files across it
  seed: 14,
  loadBalancer: 'app/k8s-ingress/0123456789abcdef',
  region: 'ap-southeast-2',
  accountId: '123456789012',
  tenants: TENANTS,
  albNodes: NODES,
  events: [
    { kind: 'throttle', index: INDEX, fromMinute: at('19:29'), toMinute: at('19:40'), peakPerMinute: 150 },
    { kind: 'keepalive_502', perMinute: 4 },
    { kind: 'origin_5xx', index: 'prod_001_images', fromMinute: at('19:00'), toMinute: at('19:10'), perMinute: 9 },
    {
      kind: 'slow_origin',
      index: INDEX,
      fromMinute: at('20:00'),
      toMinute: at('20:05'),
      fraction: 0.05,
      timeoutSeconds: 30,
    },
    { kind: 'target_down', index: 'prod_002_docs', fromMinute: at('18:40'), toMinute: at('18:45'), failFraction: 0.5 },
    { kind: 'no_targets', index: 'prod_003_catalog', fromMinute: at('20:30'), toMinute: at('20:33') },
  ],
};

const tenant = TENANTS.find((t) => t.index === INDEX)!;

function fileInput(
  written: WrittenLogs,
  proxyUtcOffsetMinutes: number,
  albPaths = [written.albDir],
): FileEvidenceInput {
  return {
    command: parseInvestigation({ positionals: [INDEX, '05:41', 'AEST'] }, { now: new Date(NOW), defaultWindow: '3h' }),
    selector: { index: INDEX, targetGroup: tenant.targetGroup, match: `/indexes/${INDEX}/` },
    albPaths,
    proxyPaths: [written.proxyDir],
    slowRequestSeconds: 2,
    idleTimeoutSeconds: 60,
    proxyUtcOffsetMinutes,
    tenantNames: Object.fromEntries(TENANTS.map((t) => [t.targetGroup, t.index])),
  };
}

/** Both views as the engine reads them (access logs first: the proxy reader lines its clock up with them), and every warning. */
async function readViews(input: FileEvidenceInput, deps: Omit<FileEvidenceDeps, 'warn'>) {
  const warnings: string[] = [];
  const progress: string[] = [];
  const all = {
    ...deps,
    warn: (message: string) => warnings.push(message),
    progress: (message: string) => progress.push(message),
  };
  const malformed = new MalformedLineReporter(all.warn);
  const accessLogs = await readAccessLogFiles(input, all, malformed);
  const reference = isPresent(accessLogs) ? accessLogReference(accessLogs) : null;
  const proxy = await readProxyLogFiles(input, all, malformed, reference);
  malformed.finish();
  return { accessLogs, proxy, warnings, progress };
}

function albFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => path.join(dir, name))
    .filter((file) => statSync(file).isFile())
    .sort();
}

/** A download's damage: a truncated .gz at 19:05, node 10.0.2.7's files missing 19:30–19:55, an over-long line in the 18:00 proxy file and junk in the 19:00 one. */
function damage(written: WrittenLogs): void {
  const files = albFiles(written.albDir);
  const truncated = files.find((file) => file.includes('T1905Z_10.0.1.5_'))!;
  const bytes = readFileSync(truncated);
  writeFileSync(truncated, bytes.subarray(0, Math.floor(bytes.length / 2)));
  for (const file of files) {
    const match = /T(\d{4})Z_10\.0\.2\.7_/.exec(file);
    if (match && match[1]! >= '1930' && match[1]! <= '1955') rmSync(file);
  }
  const insert = (file: string, every: number, count: number, line: (i: number) => string) => {
    const lines = readFileSync(file, 'utf8').split('\n');
    for (let i = 0; i < count; i++) lines.splice(500 + i * every, 0, line(i));
    writeFileSync(file, lines.join('\n'));
  };
  insert(
    path.join(written.proxyDir, 'haproxy-2026061818.log'),
    1,
    1,
    () => `Jun 18 18:20:00 ip-10-0-1-5 haproxy[812]: ${'x'.repeat(70_000)}`,
  );
  insert(path.join(written.proxyDir, 'haproxy-2026061819.log'), 997, 14, (i) => `garbage line ${i}`);
}

/** 1-based numbers of the lines of `file` that contain `text`. */
function lineNumbersOf(file: string, text: string): number[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .flatMap((line, i) => (line.includes(text) ? [i + 1] : []));
}

/** The ALB logs as one plain file (the S3 files decompressed in name order): read in byte ranges. */
function concatenatedAlbLog(written: WrittenLogs, directory: string): string {
  const file = path.join(directory, 'alb-all.log');
  const texts = albFiles(written.albDir).map((gz) => {
    try {
      return gunzipSync(readFileSync(gz)).toString('utf8');
    } catch {
      return ''; // the truncated one
    }
  });
  writeFileSync(file, texts.join(''));
  return file;
}

let written: WrittenLogs;
let directory: string;

beforeAll(async () => {
  directory = mkdtempSync(path.join(os.tmpdir(), 'why502-parallel-'));
  written = await writeIncidentLogs(SPEC, directory);
  damage(written);
}, 120_000);

describe('readAccessLogFiles and readProxyLogFiles on worker threads', () => {
  it.each([
    ['in UTC', 0],
    ['an hour off, re-read when the 429s line up at a shift', -60],
    ['ten hours off, re-read when the logs start that far apart', -600],
  ])(
    'give the same views and warnings with 1, 2 and 4 threads for proxy logs %s',
    async (_zone, offsetMinutes) => {
      // Prepare
      const input = fileInput(written, offsetMinutes);
      // Act
      const one = await readViews(input, { workers: 1, pieceBytes: 96 << 10 });
      const two = await readViews(input, { workers: 2, pieceBytes: 96 << 10 });
      const four = await readViews(input, { workers: 4, pieceBytes: 96 << 10 });
      // Assess
      const { progress: _p1, ...oneViews } = one;
      const { progress: _p2, ...twoViews } = two;
      const { progress: _p4, ...fourViews } = four;
      expect(twoViews).toEqual(oneViews);
      expect(fourViews).toEqual(oneViews);
      // toEqual ignores key order; the report's JSON does not.
      expect(JSON.stringify(twoViews)).toBe(JSON.stringify(oneViews));
      expect(JSON.stringify(fourViews)).toBe(JSON.stringify(oneViews));
      expect(
        isPresent(one.proxy) && (one.proxy.signals?.throttled_429.counts ?? []).slice(78, 90).some((n) => n > 100),
      ).toBe(true);
    },
    240_000,
  );

  it('names the damage, the missing node and each malformed line by file:line, whichever thread read it', async () => {
    // Prepare
    const input = fileInput(written, 0);
    // Act
    const { accessLogs, proxy, warnings } = await readViews(input, { workers: 3, pieceBytes: 96 << 10 });
    // Assess
    const junkFile = path.join(written.proxyDir, 'haproxy-2026061819.log');
    const longFile = path.join(written.proxyDir, 'haproxy-2026061818.log');
    const shown = warnings.filter((w) => w.includes('malformed line skipped') || w.includes('line longer than'));
    expect(shown).toEqual([
      `${longFile}:${lineNumbersOf(longFile, 'xxxxxxxx')[0]}: line longer than 64 KiB skipped`,
      ...lineNumbersOf(junkFile, 'garbage line')
        .slice(0, 9)
        .map((n) => expect.stringMatching(new RegExp(`^${junkFile}:${n}: malformed line skipped \\(`))),
    ]);
    expect(warnings).toContain('… 5 more malformed lines not shown (15 in all).');
    expect(warnings.some((w) => /T1905Z_10\.0\.1\.5_.*corrupt or truncated \.gz/.test(w))).toBe(true);
    expect(isPresent(accessLogs) && accessLogs.problem?.reason).toMatch(
      /^the ALB access logs given miss 19:25–19:29, 19:40–19:54 UTC \(the files of load-balancer node 10\.0\.2\.7 are missing\).*; 1 file could not be read to the end: .*T1905Z_10\.0\.1\.5_1905abcd\.log\.gz is a corrupt or truncated \.gz file/,
    );
    expect(isPresent(proxy) && proxy.sources[0]!.detail).toMatch(/, 15 malformed, /);
  }, 120_000);

  it('reads a large plain ALB log in byte ranges on 1, 2 and 4 threads to the same view', async () => {
    // Prepare
    const plain = concatenatedAlbLog(written, directory);
    const input = fileInput(written, 0, [plain]);
    // Act
    const views = [];
    for (const workers of [1, 2, 4])
      views.push((await readViews(input, { workers, pieceBytes: 256 << 10 })).accessLogs);
    // Assess
    expect(JSON.stringify(views[1])).toBe(JSON.stringify(views[0]));
    expect(JSON.stringify(views[2])).toBe(JSON.stringify(views[0]));
    expect(isPresent(views[0]!) && views[0].sources[0]!.detail).toMatch(
      /^1 file, [\d,]+ lines, 0 malformed, [\d,]+ in the window, [\d,]+ of them for the index; 1 time-ordered file read only around the window$/,
    );
  }, 120_000);

  it('gives the same window counts from a trimmed read as from reading every line', async () => {
    // Prepare: the same ALB lines, once in time order (trimmed) and once with an old line at the end (read whole)
    const plain = concatenatedAlbLog(written, directory);
    const unordered = path.join(directory, 'alb-unordered.log');
    const text = readFileSync(plain, 'utf8');
    writeFileSync(unordered, `${text}${text.split('\n', 1)[0]}\n`);
    // Act
    const trimmed = await readViews(fileInput(written, 0, [plain]), { workers: 2, pieceBytes: 256 << 10 });
    const whole = await readViews(fileInput(written, 0, [unordered]), { workers: 2, pieceBytes: 256 << 10 });
    // Assess
    expect(isPresent(trimmed.accessLogs) && isPresent(whole.accessLogs)).toBe(true);
    if (!isPresent(trimmed.accessLogs) || !isPresent(whole.accessLogs)) return;
    expect(trimmed.accessLogs.counts).toEqual(whole.accessLogs.counts);
    expect(trimmed.accessLogs.samples).toEqual(whole.accessLogs.samples);
    expect(trimmed.accessLogs.inWindow).toBe(whole.accessLogs.inWindow);
    expect(whole.accessLogs.sources[0]!.detail).not.toContain('read only around the window');
    const lines = (detail: string) => Number(/, ([\d,]+) lines,/.exec(detail)![1]!.replace(/,/g, ''));
    expect(lines(trimmed.accessLogs.sources[0]!.detail!)).toBeLessThan(
      lines(whole.accessLogs.sources[0]!.detail!) * 0.8,
    );
  }, 120_000);

  it('skips the S3 files outside the window by their names and says how many', async () => {
    // Prepare
    const input = fileInput(written, 0);
    // Act
    const { accessLogs, proxy } = await readViews(input, { workers: 2 });
    // Assess: 17:05–18:05 (13 intervals) and 21:35–22:00 (6 intervals), 3 nodes each
    expect(isPresent(accessLogs) && accessLogs.sources[0]!.detail).toMatch(
      /; 57 files outside the window skipped by their S3 names$/,
    );
    expect(isPresent(proxy) && proxy.sources[0]!.detail).toMatch(/; 1 time-ordered file read only around the window$/);
  }, 120_000);

  it('reports progress as files done of the total and lines read', async () => {
    // Act
    const { progress } = await readViews(fileInput(written, 0), { workers: 2 });
    // Assess
    expect(progress[0]).toMatch(/^ALB logs: reading [\d,]+ files…$/);
    expect(progress.some((line) => /^ALB logs: \d+\/[\d,]+ files · [\d.,kM]+ lines/.test(line))).toBe(true);
    expect(progress.at(-1)).toMatch(/^proxy logs: 5\/5 files · [\d.,kM]+ lines$/);
  }, 120_000);

  it('stops its worker threads when the read is given up', async () => {
    // Prepare
    const controller = new AbortController();
    const reason = new Error('the Slack job timed out');
    const input = fileInput(written, 0);
    // Act
    const read = readAccessLogFiles(
      input,
      {
        warn: () => {},
        workers: 3,
        signal: controller.signal,
        progress: (message) => message.includes('reading') && setTimeout(() => controller.abort(reason), 50),
      },
      new MalformedLineReporter(() => {}),
    );
    // Assess
    await expect(read).rejects.toBe(reason);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(liveWorkerThreads()).toBe(0);
  }, 60_000);
});

describe('an investigation in files mode on worker threads', () => {
  it('prints the same report JSON with WHY502_WORKERS 1, 2 and 4', async () => {
    // Prepare
    const args = [
      INDEX,
      '05:41',
      'AEST',
      '--alb-logs',
      written.albDir,
      '--proxy-logs',
      written.proxyDir,
      '--now',
      NOW,
      '--format',
      'json',
      '--no-draft',
    ];
    // Act
    const runs = [];
    for (const workers of ['1', '2', '4'])
      runs.push(await withProcessEnv({ WHY502_WORKERS: workers }, () => runCli(args)));
    // Assess
    expect(runs.map((run) => run.code)).toEqual([0, 0, 0]);
    expect(runs[1]!.stdout).toBe(runs[0]!.stdout);
    expect(runs[2]!.stdout).toBe(runs[0]!.stdout);
    expect(runs[1]!.stderr).toBe(runs[0]!.stderr);
    expect(JSON.parse(runs[0]!.stdout).verdict.kind).toBe('throttling_429');
  }, 240_000);
});
