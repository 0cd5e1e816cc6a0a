import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkChartTarget, deliverReport, prefersAscii } from '../../commands/output.js';
import type { ReportJson } from '../../src/core/report.js';
import { UsageError } from '../../src/errors.js';
import { runCli } from '../support/run-cli.js';
import { decodePng } from './support/decode-png.js';
import { demoFormatter, loadDemoReport } from './support/demo-report.js';

let scratch: string;
let demo: ReportJson;
beforeAll(async () => {
  scratch = mkdtempSync(path.join(os.tmpdir(), 'why502-chart-test-'));
  demo = await loadDemoReport();
}, 60_000);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const messageOf = (run: () => unknown) => {
  try {
    run();
    return 'no error';
  } catch (error) {
    return error instanceof UsageError ? `${error.message} ${error.hint}` : `not a UsageError: ${String(error)}`;
  }
};

describe('checkChartTarget', () => {
  it('takes the format from the extension, in any case, and resolves the path against the working folder', () => {
    mkdirSync(path.join(scratch, 'out'), { recursive: true });

    expect([
      checkChartTarget('out/incident.PNG', { cwd: scratch }),
      checkChartTarget(undefined, { cwd: scratch }),
    ]).toEqual([{ shown: 'out/incident.PNG', file: path.join(scratch, 'out/incident.PNG'), format: 'png' }, undefined]);
  });

  it('refuses another extension, a folder, a missing folder and a path under a file, saying what to do', () => {
    writeFileSync(path.join(scratch, 'a-file'), 'x');

    expect([
      messageOf(() => checkChartTarget('incident.jpg', { cwd: scratch })),
      messageOf(() => checkChartTarget('incident', { cwd: scratch })),
      messageOf(() => checkChartTarget('missing/incident.png', { cwd: scratch })),
      messageOf(() => checkChartTarget('a-file/incident.png', { cwd: scratch })),
    ]).toEqual([
      '--chart "incident.jpg" ends in ".jpg"; the chart is written as PNG or SVG, chosen by the extension. Use e.g. --chart incident.png or --chart incident.svg.',
      '--chart "incident" has no extension; the chart is written as PNG or SVG, chosen by the extension. Use e.g. --chart incident.png or --chart incident.svg.',
      `--chart "missing/incident.png": the folder ${path.join(scratch, 'missing')} does not exist. Create it first, or write the chart elsewhere.`,
      `--chart "a-file/incident.png": ${path.join(scratch, 'a-file')} is a file, not a folder. Write the chart into a folder.`,
    ]);
  });

  const isRoot = process.getuid?.() === 0;
  if (isRoot) console.warn('skipped: the unwritable-folder check, because root may write anywhere');
  it.skipIf(isRoot)('refuses a folder it may not write to', () => {
    const locked = path.join(scratch, 'locked');
    mkdirSync(locked, { mode: 0o555 });

    expect(messageOf(() => checkChartTarget('locked/incident.png', { cwd: scratch }))).toBe(
      `--chart "locked/incident.png": the folder ${locked} is not writable. Write the chart somewhere you can write to.`,
    );
  });

  it('refuses an existing folder named like an image', () => {
    mkdirSync(path.join(scratch, 'looks-like.png'), { recursive: true });

    expect(messageOf(() => checkChartTarget('looks-like.png', { cwd: scratch }))).toBe(
      '--chart "looks-like.png" is a directory. Give a file name, e.g. --chart incident.png.',
    );
  });
});

describe('prefersAscii', () => {
  it('follows the first of LC_ALL, LC_CTYPE and LANG that is set, and assumes UTF-8 when none is', () => {
    expect([
      prefersAscii({}),
      prefersAscii({ LANG: 'en_AU.UTF-8' }),
      prefersAscii({ LANG: 'C.utf8' }),
      prefersAscii({ LANG: 'C' }),
      prefersAscii({ LC_ALL: 'POSIX', LANG: 'en_AU.UTF-8' }),
      prefersAscii({ LC_ALL: '', LC_CTYPE: 'en_US.ISO-8859-1', LANG: 'en_US.UTF-8' }),
    ]).toEqual([false, false, false, true, true, true]);
  });
});

describe('deliverReport', () => {
  it('still prints the report when the chart cannot be written, and exits 1 saying why', async () => {
    const folder = path.join(scratch, 'vanishing');
    mkdirSync(folder);
    const chart = checkChartTarget(path.join(folder, 'incident.svg'), { cwd: scratch })!;
    rmSync(folder, { recursive: true });
    let stdout = '';
    let stderr = '';
    const io = {
      env: {},
      stdout: { write: (t: string) => (stdout += t) },
      stderr: { write: (t: string) => (stderr += t) },
    };

    const code = await deliverReport(demo, demoFormatter(demo), { format: 'markdown', chart }, io);

    expect(code).toBe(1);
    expect(stderr).toMatch(/^why502: could not write the chart to .*incident\.svg: ENOENT/);
    expect(stdout.startsWith('# why502 · `prod_000_audio`')).toBe(true);
    expect(stdout).not.toContain('![');
  });
});

describe('why502 --chart and --ascii', () => {
  it('checks --chart before reading any log: a wrong extension is exit 2 even when the logs do not exist', async () => {
    const run = await runCli(
      ['prod_000_audio', '05:41', 'AEST', '--alb-logs', path.join(scratch, 'no-such-logs'), '--chart', 'incident.gif'],
      { cwd: scratch },
    );

    expect([run.code, run.stdout, run.stderr.trim().split('\n')]).toEqual([
      2,
      '',
      [
        'why502: --chart "incident.gif" ends in ".gif"; the chart is written as PNG or SVG, chosen by the extension. Use e.g. --chart incident.png or --chart incident.svg.',
      ],
    ]);
  });

  it('writes the demo chart as a PNG and links it from the Markdown', async () => {
    const run = await runCli(['demo', '--chart', 'demo.png', '--format', 'markdown'], { cwd: scratch });

    const png = decodePng(readFileSync(path.join(scratch, 'demo.png')));
    expect(run.code).toBe(0);
    expect([png.width, png.height]).toEqual([1978, 1256]);
    expect(run.stderr).toContain('why502: chart written to demo.png (1978×1256 px, ');
    expect(run.stdout).toContain(
      '![prod\\_000\\_audio · 429 throttling, not 502s. Per-minute chart, asked 19 Jun 05:41 AEST',
    );
    expect(run.stdout).toContain(
      'Shaded: 429 burst 05:29–05:40 AEST. Marked: asked 05:41 AEST / 19:41 UTC.](demo.png)',
    );
  }, 60_000);

  it('writes an SVG when the file ends in .svg', async () => {
    const run = await runCli(['demo', '--chart', 'demo.svg'], { cwd: scratch });

    expect(run.code).toBe(0);
    expect(readFileSync(path.join(scratch, 'demo.svg'), 'utf8')).toMatch(/^<svg [^>]*width="989" height="628"/);
  }, 60_000);

  it('prints plain ASCII under --ascii, and when the locale is not UTF-8', async () => {
    const [flag, locale, utf8] = await Promise.all([
      runCli(['demo', '--ascii']),
      runCli(['demo'], { env: { LANG: 'C' } }),
      runCli(['demo'], { env: { LANG: 'en_AU.UTF-8' } }),
    ]);

    const nonAscii = (text: string) => text.split('\n').filter((l) => /[^\x20-\x7e]/.test(l));
    expect([nonAscii(flag.stdout), nonAscii(locale.stdout)]).toEqual([[], []]);
    expect(flag.stdout).toContain(
      '| 429 throttled (proxy PR--) |             0 |         955 |    1,047 (3.3 %) | 143 at 05:34 |',
    );
    expect(utf8.stdout).toContain(
      '│ 429 throttled (proxy PR--) │             0 │         955 │    1,047 · 3.3 % │ 143 at 05:34 │',
    );
  }, 60_000);
});
