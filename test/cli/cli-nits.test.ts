import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { parseNow, runInvestigate } from '../../commands/investigate.js';
import { readPackageVersion } from '../../src/cli/main.js';
import { UsageError } from '../../src/errors.js';
import { runCli } from '../support/run-cli.js';

// The real command by default; a test can make one call return early to see the options it got.
vi.mock('../../commands/investigate.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../commands/investigate.js')>();
  return { ...actual, runInvestigate: vi.fn(actual.runInvestigate) };
});

const PACKAGE_VERSION: string = JSON.parse(
  readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
).version;
/** A folder with no why502.yml, so no config from the machine leaks in. */
const EMPTY_DIR = mkdtempSync(path.join(os.tmpdir(), 'why502-nits-'));

function usageErrorFrom(act: () => unknown): UsageError {
  try {
    act();
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
  throw new Error('expected a UsageError, but nothing was thrown');
}

/** Bad input: exit 2, one line on stderr, nothing on stdout. */
function expectBadInput(run: { code: number; stdout: string; stderr: string }, line: string): void {
  expect({ code: run.code, stdout: run.stdout, stderr: run.stderr }).toEqual({
    code: 2,
    stdout: '',
    stderr: `${line}\n`,
  });
}

describe('parseNow', () => {
  it('reads a complete ISO 8601 instant', () => {
    expect(parseNow('2026-06-19T10:00:00+10:00')).toEqual(new Date('2026-06-19T00:00:00Z'));
  });

  it.each(['2026-02-30T00:00:00Z', '2026-04-31T12:00Z', '2026-06-19T24:00:00Z', '2027-02-29T00:00:00Z'])(
    'refuses %s, which the Date parser would roll over into another day',
    (text) => {
      const error = usageErrorFrom(() => parseNow(text));

      expect([error.message, error.hint]).toEqual([
        `--now "${text}" is not a date and time in the calendar.`,
        'Use e.g. --now 2026-06-19T00:00:00Z.',
      ]);
    },
  );

  it.each([
    ['0001-01-01T00:00:00Z', '0001'],
    ['0099-06-01T05:41:00Z', '0099'],
    ['1969-12-31T23:59:59Z', '1969'],
  ])('refuses %s: years before 1970 are out of range', (text, year) => {
    const error = usageErrorFrom(() => parseNow(text));

    expect([error.message, error.hint]).toEqual([
      `--now "${text}": the year ${year} is out of range; it must be 1970 or later.`,
      'Use e.g. --now 2026-06-19T00:00:00Z.',
    ]);
  });
});

describe('why502 on the terminal: small things', () => {
  it('refuses --now in year 1 instead of writing notes about a UTC+16655050:05 Sydney', async () => {
    const run = await runCli(['prod_000_audio', '05:41', 'AEST', '--now', '0001-01-01T00:00:00Z'], { cwd: EMPTY_DIR });

    expectBadInput(
      run,
      'why502: --now "0001-01-01T00:00:00Z": the year 0001 is out of range; it must be 1970 or later. Use e.g. --now 2026-06-19T00:00:00Z.',
    );
  });

  it('names the extra word in "05:41 AEST UTC" rather than blaming the time', async () => {
    const run = await runCli(['prod_000_audio', '05:41', 'AEST', 'UTC', '--now', '2026-06-19T00:00:00Z'], {
      cwd: EMPTY_DIR,
    });

    expectBadInput(
      run,
      'why502: Unexpected "UTC" after the zone "AEST". Give one zone after the time, e.g. "05:41 AEST".',
    );
  });

  it('ends an option error with one period, not two', async () => {
    const run = await runCli(['prod_000_audio', '05:41', '--format', 'mark']);

    expectBadInput(
      run,
      "why502: option '--format <format>' argument 'mark' is invalid. Allowed choices are text, json, markdown. " +
        'Run "npx why502 --help" for usage, e.g. npx why502 prod_000_audio 05:41 AEST --alb-logs ./logs/alb',
    );
  });

  it('still adds the period to an option error that has none', async () => {
    const run = await runCli(['scan', '--bogus']);

    expect(run.stderr).toBe(
      'why502: unknown option \'--bogus\'. Run "npx why502 --help" for usage, e.g. npx why502 prod_000_audio 05:41 AEST --alb-logs ./logs/alb\n',
    );
  });

  it('refuses help for a command that does not exist, naming the closest one, with exit 2', async () => {
    const typo = await runCli(['help', 'scna']);
    const nonsense = await runCli(['help', 'nonsense']);

    expectBadInput(
      typo,
      'why502: There is no command "scna" to show help for; did you mean scan? ' +
        'Commands: demo, scan, serve, and the default, why502 <index> <time> [<zone>]. Run "npx why502 --help" for usage.',
    );
    expectBadInput(
      nonsense,
      'why502: There is no command "nonsense" to show help for. ' +
        'Commands: demo, scan, serve, and the default, why502 <index> <time> [<zone>]. Run "npx why502 --help" for usage.',
    );
  });

  it('still shows help for a command that exists', async () => {
    const run = await runCli(['help', 'scan']);

    expect([run.code, run.stderr, run.stdout.split('\n')[0]]).toEqual([0, '', 'Usage: why502 scan [options]']);
  });

  it.each([['--version'], ['-V']])('prints the version from package.json for %s', async (flag) => {
    const run = await runCli([flag]);

    expect(run).toEqual({ code: 0, stdout: `${PACKAGE_VERSION}\n`, stderr: '' });
  });

  it('passes --proxy-log-utc-offset to the investigate command as proxyLogUtcOffset, a negative offset intact', async () => {
    vi.mocked(runInvestigate).mockResolvedValueOnce(0);

    const run = await runCli(['prod_000_audio', '05:41', '-05:00', '--proxy-log-utc-offset', '-05:00']);

    const [input] = vi.mocked(runInvestigate).mock.lastCall ?? [];
    expect(run.code).toBe(0);
    // InvestigateOptions gains proxyLogUtcOffset when the engine is wired to it; until then, read it loosely.
    const options = input?.options as { proxyLogUtcOffset?: string } | undefined;
    expect([input?.positionals, options?.proxyLogUtcOffset]).toEqual([
      ['prod_000_audio', '05:41', 'UTC-05:00'],
      '-05:00',
    ]);
  });

  it('leaves proxyLogUtcOffset unset when the option is not given, so the config decides', async () => {
    vi.mocked(runInvestigate).mockResolvedValueOnce(0);

    await runCli(['prod_000_audio', '05:41']);

    const [input] = vi.mocked(runInvestigate).mock.lastCall ?? [];
    expect(input?.options).not.toHaveProperty('proxyLogUtcOffset');
  });
});

describe('readPackageVersion', () => {
  it("walks up from a bundle in dist/cli/ to why502's package.json, past another package's", () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'why502-version-'));
    mkdirSync(path.join(root, 'dist', 'cli'), { recursive: true });
    writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'why502', version: '9.8.7' }));
    writeFileSync(path.join(root, 'dist', 'package.json'), JSON.stringify({ type: 'module' }));

    const version = readPackageVersion(pathToFileURL(path.join(root, 'dist', 'cli', 'main.mjs')).href);

    expect(version).toBe('9.8.7');
  });
});
