import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import nock from 'nock';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ERASE_LINE } from '../../src/cli/cli-io.js';
import { main } from '../../src/cli/main.js';
import { MAX_CONFIG_BYTES, parseConfig } from '../../src/config.js';
import { writeIncidentLogs } from '../../src/simulate/write-incident-logs.js';
import { incident, minute } from '../support/scenarios.js';

const NOW = ['--now', '2026-06-18T23:00:00Z'];
const ASK = ['prod_000_audio', '05:41', 'AEST', ...NOW];
/** A name that would rewrite the terminal: an OSC 8 link, a BEL, a screen clear, a reset, then Markdown. */
const HOSTILE_NAME =
  '\u001b]8;;mailto:x@evil.test\u0007click\u001b]8;;\u0007\u001b[2J\u001bc[x](mailto:x@evil.test)<img src=x>.log.gz'; // no "/": it is a file name
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this matches
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

interface TerminalRun {
  code: number;
  stdout: string;
  /** stderr as the terminal received it, the progress line's erase sequences included. */
  stderr: string;
}

/** Runs why502 in-process on a terminal: stderr is a TTY, so the progress line is drawn. */
async function runOnTerminal(
  args: string[],
  env: Record<string, string> = {},
  cwd = process.cwd(),
): Promise<TerminalRun> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    env,
    cwd,
    stdout: { write: (text: string) => (stdout += text), isTTY: true },
    stderr: { write: (text: string) => (stderr += text), isTTY: true },
  });
  return { code, stdout, stderr };
}

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
  ]);
  logs = await writeIncidentLogs(spec, mkdtempSync(path.join(os.tmpdir(), 'why502-hostile-')));
  const albFolder = firstFolderWithFiles(logs.albDir);
  const damaged = gzipSync('not an ALB line\n'.repeat(2000));
  writeFileSync(path.join(albFolder, HOSTILE_NAME), damaged.subarray(0, damaged.length >> 1)); // a truncated .gz: named on stderr and in the sources
  writeFileSync(path.join(logs.proxyDir, 'no-newline.log'), 'x'.repeat(3 << 20)); // one 3 MiB line, never ended
  execFileSync('mkfifo', [path.join(albFolder, 'pipe.log')]); // would block a reader forever
});

function firstFolderWithFiles(root: string): string {
  const entries = readdirSync(root, { withFileTypes: true });
  if (entries.some((entry) => entry.isFile())) return root;
  return firstFolderWithFiles(path.join(root, entries.find((entry) => entry.isDirectory())!.name));
}

describe('why502 on hostile log files', () => {
  it.each(['text', 'markdown', 'json'])(
    'prints no control character in %s, from a file name or anywhere else, and finishes',
    async (format) => {
      const run = await runOnTerminal([
        ...ASK,
        '--alb-logs',
        logs.albDir,
        '--proxy-logs',
        logs.proxyDir,
        '--format',
        format,
      ]);

      expect(run.code).toBe(0);
      expect(run.stdout).not.toMatch(CONTROL);
      expect(run.stderr.split(ERASE_LINE).join('')).not.toMatch(CONTROL);
      expect(run.stderr).toContain(
        'click]8;;[2Jc[x](mailto:x@evil.test)<img src=x>.log.gz is a corrupt or truncated .gz file',
      );
    },
  );

  it('keeps the progress line working: its erase sequence is the only one written raw', async () => {
    const run = await runOnTerminal([...ASK, '--alb-logs', logs.albDir, '--proxy-logs', logs.proxyDir]);

    expect(run.stderr).toContain(`${ERASE_LINE}ALB logs: 1/`);
    expect(run.stderr.replaceAll(ERASE_LINE, '')).not.toContain('\u001b');
  });

  it('lets no file name inject Markdown: links and HTML stay text', async () => {
    const run = await runOnTerminal([
      ...ASK,
      '--alb-logs',
      logs.albDir,
      '--proxy-logs',
      logs.proxyDir,
      '--format',
      'markdown',
    ]);

    expect(run.stdout).toContain('click\\]8;;\\[2Jc\\[x\\](mailto:x@evil.test)\\<img src=x\\>.log.gz');
    expect(run.stdout).not.toMatch(/(?<!\\)\[x(?<!\\)\]\(|(?<!\\)<img/);
  });
});

describe('why502 printing a model draft', () => {
  let savedBaseUrl: string | undefined;
  beforeEach(() => {
    savedBaseUrl = process.env.OPENAI_BASE_URL;
    delete process.env.OPENAI_BASE_URL;
  });
  afterEach(() => {
    if (savedBaseUrl !== undefined) process.env.OPENAI_BASE_URL = savedBaseUrl;
  });

  it('prints a rewrite holding ESC c, a title change and NUL without them', async () => {
    const args = [...ASK, '--alb-logs', logs.albDir, '--proxy-logs', logs.proxyDir];
    const template = JSON.parse((await runOnTerminal([...args, '--format', 'json'])).stdout).draft.text as string;
    const hostile = `\u001bc\u001b]0;pwned\u0007${template.replace('Hi team', 'Hi\u0000 team')}`;
    nock('https://api.openai.com')
      .post('/v1/responses')
      .reply(200, {
        id: 'resp_1',
        object: 'response',
        created_at: 1781811660,
        status: 'completed',
        model: 'gpt-test',
        output: [
          {
            type: 'message',
            id: 'msg_1',
            status: 'completed',
            role: 'assistant',
            content: [{ type: 'output_text', text: hostile, annotations: [] }],
          },
        ],
      });

    const run = await runOnTerminal(args, { OPENAI_API_KEY: 'test' });

    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Draft reply to the customer (rewritten by the model from the evidence):');
    expect(run.stdout).toContain(`]0;pwned${template}`);
    expect(run.stdout).not.toMatch(CONTROL);
  });
});

describe('why502 with a hostile config', () => {
  const configIn = (text: string | Buffer) => {
    const folder = mkdtempSync(path.join(os.tmpdir(), 'why502-config-'));
    writeFileSync(path.join(folder, 'why502.yml'), text);
    return folder;
  };

  it('refuses an unknown timezone at start, even when the command names its own zone, naming the setting', async () => {
    const cwd = configIn('timezone: Mars/Olympus_Mons\n');

    const run = await runOnTerminal([...ASK, '--alb-logs', logs.albDir], {}, cwd);

    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(
      /^why502: Invalid configuration in .*why502\.yml: timezone: Unknown time zone "Mars\/Olympus_Mons"\./,
    );
    expect(run.stderr).not.toContain('ALB logs:');
  });

  it("refuses a window outside the grammar's bounds at start, also in a command that does not use it", async () => {
    const cwd = configIn('window: 30h\n');

    const run = await runOnTerminal(['scan', '--alb-logs', logs.albDir], {}, cwd);

    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/window: The window "30h" is too long: at most 24h\./);
  });

  it('refuses a config file over the size limit before parsing it, naming the file and the limit', async () => {
    const cwd = configIn(`timezone: UTC\nindexes:\n  prod_000_audio:\n    match: "${'a'.repeat(MAX_CONFIG_BYTES)}"\n`);

    const run = await runOnTerminal(['prod_000_audio', '05:41', ...NOW, '--alb-logs', logs.albDir], {}, cwd);

    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      `why502: Config file ${path.join(cwd, 'why502.yml')} is 257 KiB; a config may be at most 256 KiB. Check that --config names the why502.yml (see "Configuration" in the README).\n`,
    );
  });

  it('refuses a FIFO given as --config at once instead of waiting for a writer', async () => {
    const folder = mkdtempSync(path.join(os.tmpdir(), 'why502-config-'));
    execFileSync('mkfifo', [path.join(folder, 'why502.yml')]);

    const run = await runOnTerminal(['prod_000_audio', '05:41', ...NOW, '--alb-logs', logs.albDir], {}, folder);

    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/Config file .*why502\.yml is not a regular file\./);
  });
});

describe('parseConfig', () => {
  it('accepts every zone and window the command grammar accepts', () => {
    const configs = [
      { timezone: 'AEST', window: '90m' },
      { timezone: 'Australia/Sydney', window: '2h30m' },
      { timezone: 'UTC+10', window: '1d' },
      { timezone: '+05:30', window: '10m' },
    ].map((document) => parseConfig(document, 'why502.yml'));

    expect(configs.map(({ timezone, window }) => [timezone, window])).toEqual([
      ['AEST', '90m'],
      ['Australia/Sydney', '2h30m'],
      ['UTC+10', '1d'],
      ['+05:30', '10m'],
    ]);
  });

  it('lists every problem at once, each naming its key', () => {
    expect(() => parseConfig({ timezone: 'IST', window: '5m' }, 'why502.yml')).toThrow(
      'Invalid configuration in why502.yml: timezone: Unknown time zone "IST". Use UTC, an abbreviation (AEST AEDT ACST ACDT AWST NZST NZDT PST PDT MST MDT CST CDT EST EDT BST CET CEST JST SGT), an offset (+10:00, UTC+10) or an IANA name (Australia/Sydney), e.g. "05:41 AEST"; window: The window "5m" is too short: at least 10m. Give the window as hours and/or minutes, e.g. "--window 3h", "--window 90m" or "--window 2h30m" (10m to 24h).',
    );
  });
});
