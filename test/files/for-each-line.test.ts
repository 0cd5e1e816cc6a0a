import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { LogFileError } from '../../src/errors.js';
import { forEachLine } from '../../src/files/for-each-line.js';
import { listLogFiles } from '../../src/files/list-log-files.js';

const folder = () => mkdtempSync(path.join(os.tmpdir(), 'why502-lines-'));

async function collect(file: string): Promise<Array<[number, string]>> {
  const lines: Array<[number, string]> = [];
  await forEachLine(file, (line, lineNumber) => lines.push([lineNumber, line]));
  return lines;
}

describe('forEachLine', () => {
  it('delivers non-empty lines with their 1-based line numbers, CRLF and a missing final newline included', async () => {
    const file = path.join(folder(), 'a.log');
    writeFileSync(file, 'first\r\n\n   \nsecond\nthird');

    expect(await collect(file)).toEqual([
      [1, 'first'],
      [4, 'second'],
      [5, 'third'],
    ]);
  });

  it('reads gzip by its magic bytes whatever the file is called', async () => {
    const file = path.join(folder(), 'renamed.log');
    writeFileSync(file, gzipSync('one\ntwo\n'));

    expect(await collect(file)).toEqual([
      [1, 'one'],
      [2, 'two'],
    ]);
  });

  it('keeps a UTF-8 character whole when it straddles a read chunk boundary', async () => {
    const file = path.join(folder(), 'utf8.log');
    const before = 'x'.repeat((1 << 20) - 1); // "é" (2 bytes) starts at the last byte of the second 512 KiB read chunk
    writeFileSync(file, `${before}é tail\nnext ünïcode line\n`);

    const lines = await collect(file);

    expect(lines.map(([n, line]) => [n, line.slice(-6)])).toEqual([
      [1, 'é tail'],
      [2, 'e line'],
    ]);
    expect(lines[1]![1]).toBe('next ünïcode line');
  });

  it('names the file when a .gz is corrupt, after delivering the lines before the damage', async () => {
    const file = path.join(folder(), 'broken.log.gz');
    const whole = gzipSync(Array.from({ length: 2000 }, (_, i) => `line ${i}`).join('\n'));
    writeFileSync(file, whole.subarray(0, Math.floor(whole.length / 2)));
    const seen: string[] = [];

    const failure = await forEachLine(file, (line) => seen.push(line)).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(LogFileError);
    expect((failure as LogFileError).message).toBe(`${file} is a corrupt or truncated .gz file (unexpected end of file).`);
  });

  it('says "not found" for a missing file', async () => {
    const failure = await forEachLine('/nonexistent/alb.log', () => {}).catch((error: unknown) => error);

    expect((failure as LogFileError).message).toBe('Log file not found: /nonexistent/alb.log.');
  });
});

describe('listLogFiles', () => {
  it('walks directories recursively in name order, skipping hidden files', async () => {
    const root = folder();
    const deep = path.join(root, 'AWSLogs', '123456789012', 'elasticloadbalancing', 'ap-southeast-2', '2026', '06', '18');
    await import('node:fs/promises').then(({ mkdir }) => mkdir(deep, { recursive: true }));
    writeFileSync(path.join(deep, 'b.log.gz'), '');
    writeFileSync(path.join(deep, 'a.log.gz'), '');
    writeFileSync(path.join(deep, '.DS_Store'), '');

    expect(await listLogFiles([root])).toEqual([path.join(deep, 'a.log.gz'), path.join(deep, 'b.log.gz')]);
  });

  it('names a path that does not exist', async () => {
    await expect(listLogFiles(['./no-such-logs'])).rejects.toThrow('No such file or directory: ./no-such-logs.');
  });
});

describe('forEachLine over byte ranges', () => {
  it('splits a file into pieces that together hold every line exactly once, with consistent line numbers', async () => {
    const file = path.join(folder(), 'pieces.log');
    const lines = Array.from({ length: 1500 }, (_, i) => (i % 97 === 0 ? '' : `line ${i} ${'x'.repeat(i % 37)}`));
    writeFileSync(file, `${lines.join('\n')}\n`);
    const size = (await import('node:fs')).statSync(file).size;
    const whole = await collect(file);

    for (const pieceBytes of [29, 1000, 8_191, size]) {
      const seen: Array<[number, string]> = [];
      let linesBefore = 0;
      for (let start = 0; start < size; start += pieceBytes) {
        const local: Array<[number, string]> = [];
        const stats = await forEachLine(file, (line, n) => local.push([n, line]), { start, end: Math.min(size, start + pieceBytes) });
        seen.push(...local.map(([n, line]): [number, string] => [linesBefore + n, line]));
        linesBefore += stats.lineCount;
      }
      expect(seen).toEqual(whole);
    }
  });
});
