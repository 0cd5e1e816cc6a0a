/**
 * The real-format fixtures (test/fixtures/real-format/) are ours: written field by field by
 * generate-real-format-fixtures.ts, counted from how each line was written, small, redacted,
 * and never a copy of a real line from ../shared/data/real-logs/.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { realFormatFixtureTexts } from '../fixtures/real-format/generate-real-format-fixtures.js';
import {
  FIXTURE_CORPUS,
  logFilesIn,
  readCorpusLines,
  SHARED_CORPUS,
} from '../fixtures/real-format/real-format-corpus.js';
import { warnSharedAbsentOnce } from '../support/shared-paths.js';

warnSharedAbsentOnce();

const FOLDERS = ['alb', 'elb-classic', 'nlb', 'haproxy', 'haproxy-other', 'nginx'];
/** The files of the folder that are not generated: how they were made, the script, the loader. */
const HAND_WRITTEN = ['SOURCES.md', 'generate-real-format-fixtures.ts', 'real-format-corpus.ts'];

function filesUnder(dir: string, prefix = ''): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const full = path.join(dir, name);
      return statSync(full).isDirectory() ? filesUnder(full, `${prefix}${name}/`) : [`${prefix}${name}`];
    });
}

const fixtureLines = () =>
  FOLDERS.flatMap((folder) =>
    logFilesIn(FIXTURE_CORPUS, folder).flatMap((file) => readCorpusLines(FIXTURE_CORPUS, `${folder}/${file}`)),
  );

describe('the real-format fixtures', () => {
  it('are exactly what generate-real-format-fixtures.ts writes, and nothing else', () => {
    const generated = realFormatFixtureTexts();

    const onDisk = Object.fromEntries(
      filesUnder(FIXTURE_CORPUS.dir)
        .filter((name) => !HAND_WRITTEN.includes(name))
        .map((name) => [name, readFileSync(`${FIXTURE_CORPUS.dir}${name}`, 'utf8')]),
    );

    expect(Object.keys(onDisk).sort()).toEqual(Object.keys(generated).sort());
    for (const [name, text] of Object.entries(generated))
      expect(onDisk[name], `${name}: run npx tsx test/fixtures/real-format/generate-real-format-fixtures.ts`).toBe(
        text,
      );
  });

  it('hold 30 to 50 lines of each main format: ALB access logs, HAProxy httplog, ingress-nginx', () => {
    const linesOf = (folder: string) =>
      logFilesIn(FIXTURE_CORPUS, folder).reduce(
        (sum, file) => sum + readCorpusLines(FIXTURE_CORPUS, `${folder}/${file}`).length,
        0,
      );

    const sizes = Object.fromEntries(['alb', 'haproxy', 'nginx'].map((folder) => [folder, linesOf(folder)]));

    expect(sizes).toEqual({ alb: 48, haproxy: 42, nginx: 34 });
  });

  it('name every file they hold in SOURCES.md', () => {
    const sources = readFileSync(`${FIXTURE_CORPUS.dir}SOURCES.md`, 'utf8');

    const unnamed = filesUnder(FIXTURE_CORPUS.dir).filter(
      (name) => name !== 'SOURCES.md' && !sources.includes(`\`${name}\``),
    );

    expect(unnamed).toEqual([]);
  });

  it("use only documentation or private addresses and AWS's example account id", () => {
    const text =
      fixtureLines().join('\n') +
      readFileSync(`${FIXTURE_CORPUS.dir}cloudwatch/get-query-results.proxy-signals.complete.json`, 'utf8');

    const ipv4 = [...text.matchAll(/(?<![\d./])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])/g)].map((m) => m[0]);
    const ipv6 = [...text.matchAll(/(?<![\w:])[0-9a-f]{1,4}(?::[0-9a-f]{1,4})*::[0-9a-f:]*/g)].map((m) => m[0]);
    const accounts = new Set([...text.matchAll(/arn:aws:[a-z0-9-]+:[a-z0-9-]*:(\d{12}):/g)].map((m) => m[1]));

    expect(ipv4.filter((address) => !/^(192\.0\.2|198\.51\.100|203\.0\.113)\.\d+$|^10\./.test(address))).toEqual([]);
    expect(ipv4.length).toBeGreaterThan(100);
    expect(ipv6.filter((address) => !address.startsWith('2001:db8:'))).toEqual([]);
    expect(ipv6.length).toBeGreaterThan(3);
    expect([...accounts]).toEqual(['123456789012']);
  });
});

describe.skipIf(!SHARED_CORPUS.present)('the real-format fixtures beside the shared real-log corpus', () => {
  it('share no line with it: real lines are read in place, never copied into the repository', () => {
    const real = new Set(
      FOLDERS.flatMap((folder) =>
        logFilesIn(SHARED_CORPUS, folder).flatMap((file) => readCorpusLines(SHARED_CORPUS, `${folder}/${file}`)),
      ),
    );

    const copied = fixtureLines().filter((line) => real.has(line));

    expect({ compared: real.size > 700, copied }).toEqual({ compared: true, copied: [] });
  });
});
