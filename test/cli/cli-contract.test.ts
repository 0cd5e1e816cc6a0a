import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { listLogFiles } from '../../src/files/list-log-files.js';
import { writeIncidentLogs } from '../../src/simulate/write-incident-logs.js';
import { runCli } from '../support/run-cli.js';
import { incident, minute } from '../support/scenarios.js';
import { CONTRACT_SCHEMA, hasContract, warnSkipped } from '../support/shared-paths.js';

const NOW = ['--now', '2026-06-18T23:00:00Z'];
let logs: { albDir: string; proxyDir: string };

beforeAll(async () => {
  const spec = incident([
    {
      kind: 'throttle',
      index: 'prod_000_audio',
      fromMinute: minute('19:29'),
      toMinute: minute('19:40'),
      peakPerMinute: 150,
    },
    { kind: 'keepalive_502', perMinute: 3 },
  ]);
  logs = await writeIncidentLogs(spec, mkdtempSync(path.join(os.tmpdir(), 'why502-cli-')));
});

/** Bad input: exit 2, one line on stderr, nothing on stdout, no stack trace. */
function expectBadInput(run: { code: number; stdout: string; stderr: string }, message: string | RegExp): void {
  expect(run.code).toBe(2);
  expect(run.stdout).toBe('');
  expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(run.stderr).toMatch(message);
  expect(run.stderr).not.toMatch(/\bat .*\.ts:\d+/);
}

describe('why502 <index> <time> on the terminal', () => {
  it('explains the generated seed incident from log files in text, naming the 429 burst in the asked zone', async () => {
    const run = await runCli([
      'prod_000_audio',
      '05:41',
      'AEST',
      ...NOW,
      '--alb-logs',
      logs.albDir,
      '--proxy-logs',
      logs.proxyDir,
    ]);

    expect(run.code).toBe(0);
    expect(run.stdout).toContain('429 throttling, not 502s · confidence high');
    expect(run.stdout).toMatch(/The biggest 429 burst ran 05:29–05:40 AEST \(19:29–19:40 UTC\)/);
    expect(run.stdout).toContain('Draft reply to the customer');
  });

  it.skipIf(!hasContract)('prints exactly one JSON document valid against the contract schema', async () => {
    const run = await runCli([
      'prod_000_audio',
      '2026-06-18T19:41:00Z',
      ...NOW,
      '--alb-logs',
      logs.albDir,
      '--proxy-logs',
      logs.proxyDir,
      '--format',
      'json',
    ]);
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    const validate = ajv.compile(JSON.parse(readFileSync(CONTRACT_SCHEMA, 'utf8')));

    const report = JSON.parse(run.stdout);

    expect(run.code).toBe(0);
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    expect(report.verdict.kind).toBe('throttling_429');
    expect(report.at).toBe('2026-06-18T19:41:00Z');
    expect(report.window).toEqual({ start: '2026-06-18T18:11:00Z', end: '2026-06-18T21:11:00Z' });
    expect(report.signals.target_connection_errors).toMatchObject({
      status: 'unavailable',
      window: null,
      atMinute: null,
    });
  });

  it('prints Markdown with a real table', async () => {
    const run = await runCli([
      'prod_000_audio',
      '05:41',
      'AEST',
      ...NOW,
      '--alb-logs',
      logs.albDir,
      '--format',
      'markdown',
      '--no-draft',
    ]);

    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^\| signal \| at 05:41 AEST \|/m);
    expect(run.stdout).not.toContain('Draft reply');
  });

  it('exits 2 with one line for a time that cannot be read', async () => {
    expectBadInput(await runCli(['prod_000_audio', '25:99', 'AEST', ...NOW, '--alb-logs', logs.albDir]), /25:99/);
  });

  it('exits 2 for an unknown zone abbreviation instead of guessing', async () => {
    expectBadInput(await runCli(['prod_000_audio', '05:41', 'IST', ...NOW, '--alb-logs', logs.albDir]), /IST/);
  });

  it('rejects an index name that could reach a query before anything is read', async () => {
    expectBadInput(await runCli(['prod"; drop', '05:41', ...NOW, '--alb-logs', logs.albDir]), /index/i);
  });

  it('names the closest known indexes for an unknown one', async () => {
    const folder = mkdtempSync(path.join(os.tmpdir(), 'why502-config-'));
    writeFileSync(path.join(folder, 'why502.yml'), 'indexes:\n  prod_000_audio: {}\n  prod_001_images: {}\n');

    const run = await runCli(['prod_00_audio', '05:41', 'AEST', ...NOW, '--alb-logs', logs.albDir], { cwd: folder });

    expectBadInput(run, /Unknown index .*prod_000_audio/);
  });

  it('exits 2 with how to give a source when there are no log files and no aws: config', async () => {
    const run = await runCli(['prod_000_audio', '05:41', 'AEST', ...NOW], {
      cwd: mkdtempSync(path.join(os.tmpdir(), 'why502-empty-')),
    });

    expectBadInput(run, /--alb-logs/);
  });

  it('exits 2 for a window over 24 hours and for an unknown option', async () => {
    expectBadInput(
      await runCli(['prod_000_audio', '05:41', ...NOW, '--window', '48h', '--alb-logs', logs.albDir]),
      /24h/,
    );
    expectBadInput(await runCli(['prod_000_audio', '05:41', ...NOW, '--frobnicate']), /frobnicate/);
  });

  it('names a corrupt .gz on stderr and still answers from the rest, marking the ALB source partial', async () => {
    const folder = mkdtempSync(path.join(os.tmpdir(), 'why502-gz-'));
    const file = path.join(folder, 'broken.log.gz');
    const [someAlbFile] = await listLogFiles([logs.albDir]);
    const whole = readFileSync(someAlbFile!);
    writeFileSync(file, whole.subarray(0, Math.floor(whole.length / 2)));

    const run = await runCli([
      'prod_000_audio',
      '05:41',
      'AEST',
      ...NOW,
      '--alb-logs',
      logs.albDir,
      '--alb-logs',
      file,
      '--proxy-logs',
      logs.proxyDir,
      '--format',
      'json',
    ]);
    const report = JSON.parse(run.stdout);

    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`why502: ${file} is a corrupt or truncated .gz file (unexpected end of file).`);
    expect(report.sources[0]).toMatchObject({ name: 'ALB access logs', status: 'partial' });
    expect(report.sources[0].detail).toContain(
      `1 file could not be read to the end: ${file} is a corrupt or truncated .gz file`,
    );
    expect(report.verdict.kind).toBe('throttling_429');
  });

  it('scans past a corrupt .gz, naming it, and counts its lines up to the damage', async () => {
    const folder = mkdtempSync(path.join(os.tmpdir(), 'why502-gz-'));
    const file = path.join(folder, 'broken.log.gz');
    const [someAlbFile] = await listLogFiles([logs.albDir]);
    const whole = readFileSync(someAlbFile!);
    writeFileSync(file, whole.subarray(0, Math.floor(whole.length / 2)));

    const run = await runCli(['scan', '--alb-logs', file, '--alb-logs', someAlbFile!, '--format', 'json']);
    const result = JSON.parse(run.stdout);

    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`${file} is a corrupt or truncated .gz file`);
    expect(result.alb.unreadable).toEqual([`${file} is a corrupt or truncated .gz file (unexpected end of file).`]);
    expect(result.alb.lines).toBeGreaterThan(0);
  });

  it('exits 2 for a config file with an invalid key, naming the key', async () => {
    const folder = mkdtempSync(path.join(os.tmpdir(), 'why502-config-'));
    writeFileSync(path.join(folder, 'why502.yml'), 'idleTimeoutSeconds: soon\n');

    expectBadInput(
      await runCli(['prod_000_audio', '05:41', ...NOW, '--alb-logs', logs.albDir], { cwd: folder }),
      /idleTimeoutSeconds/,
    );
  });

  it('reports malformed lines with file:line at most ten times and still answers', async () => {
    const folder = mkdtempSync(path.join(os.tmpdir(), 'why502-bad-'));
    const file = path.join(folder, 'mixed.log');
    writeFileSync(file, Array.from({ length: 25 }, (_, i) => `garbage line ${i}`).join('\n'));

    const run = await runCli([
      'prod_000_audio',
      '05:41',
      'AEST',
      ...NOW,
      '--alb-logs',
      logs.albDir,
      '--alb-logs',
      file,
      '--proxy-logs',
      logs.proxyDir,
      '--format',
      'json',
    ]);

    expect(run.code).toBe(0);
    const warnings = run.stderr.trimEnd().split('\n');
    expect(warnings.slice(0, 10).every((line) => line.startsWith(`${file}:`))).toBe(true);
    expect(warnings[0]).toMatch(/mixed\.log:1: malformed line skipped/);
    expect(warnings[10]).toBe('… 15 more malformed lines not shown (25 in all).');
    expect(JSON.parse(run.stdout).verdict.kind).toBe('throttling_429');
  });
});

describe('why502 demo', () => {
  it.skipIf(!hasContract)(
    'answers the bundled incident with a throttling verdict, as valid contract JSON',
    async () => {
      const run = await runCli(['demo', '--format', 'json']);
      const validate = new Ajv2020({ strict: false }).compile(JSON.parse(readFileSync(CONTRACT_SCHEMA, 'utf8')));

      const report = JSON.parse(run.stdout);

      expect(run.code).toBe(0);
      expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
      expect(report.findings.map((f: { kind: string }) => f.kind).slice(0, 2)).toEqual([
        'throttling_429',
        'keepalive_race',
      ]);
      expect(report.draft.generator).toBe('template');
    },
  );
});

if (!hasContract) warnSkipped('contract schema checks', CONTRACT_SCHEMA);

describe("the proxy logs' zone", () => {
  it('reads proxy logs in the zone given by --proxy-log-utc-offset, and refuses an offset that is not one', async () => {
    const run = await runCli([
      'prod_000_audio',
      '05:41',
      'AEST',
      ...NOW,
      '--alb-logs',
      logs.albDir,
      '--proxy-logs',
      logs.proxyDir,
      '--proxy-log-utc-offset',
      '+00:00',
      '--format',
      'json',
    ]);
    expect(JSON.parse(run.stdout).verdict.kind).toBe('throttling_429');

    const bad = await runCli([
      'prod_000_audio',
      '05:41',
      'AEST',
      ...NOW,
      '--proxy-logs',
      logs.proxyDir,
      '--proxy-log-utc-offset',
      '+25:00',
    ]);
    expect([bad.code, bad.stdout, bad.stderr.trim().split('\n').length]).toEqual([2, '', 1]);
    expect(bad.stderr).toContain('--proxy-log-utc-offset "+25:00" is not a UTC offset.');
  });

  it("scans the config's files: lists when no paths are given", async () => {
    const folder = mkdtempSync(path.join(os.tmpdir(), 'why502-scan-config-'));
    writeFileSync(
      path.join(folder, 'why502.yml'),
      `files:\n  albLogs: [${JSON.stringify(logs.albDir)}]\n  proxyLogs: [${JSON.stringify(logs.proxyDir)}]\n`,
    );

    const run = await runCli(['scan', '--format', 'json'], { cwd: folder });
    const result = JSON.parse(run.stdout);

    expect(run.code).toBe(0);
    expect(result.alb.lines).toBeGreaterThan(1000);
    expect(result.proxy.lines).toBeGreaterThan(1000);
  });
});
