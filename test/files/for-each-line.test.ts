import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { LogFileError } from '../../src/errors.js';
import {
  forEachLine,
  forEachLineSpan,
  inflatedCapBytes,
  type LineReadOptions,
  LogFileLimitError,
} from '../../src/files/for-each-line.js';
import { listLogFiles } from '../../src/files/list-log-files.js';

const folder = () => mkdtempSync(path.join(os.tmpdir(), 'why502-lines-'));

async function collect(file: string, options?: LineReadOptions): Promise<Array<[number, string]>> {
  const lines: Array<[number, string]> = [];
  await forEachLine(file, (line, lineNumber) => lines.push([lineNumber, line]), undefined, options);
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

    const lines = await collect(file, { maxLineBytes: 2 << 20 }); // a 1 MiB line is over the default bound

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
    expect((failure as LogFileError).message).toBe(
      `${file} is a corrupt or truncated .gz file (unexpected end of file).`,
    );
  });

  it('hands each ASCII text it decodes, with its bytes, to onAsciiText before its lines (and no other text)', async () => {
    const file = path.join(folder(), 'mixed.log');
    const ascii = Array.from({ length: 20_000 }, (_, i) => `ascii line ${i}`); // ~300 KB: several decoded pieces
    writeFileSync(file, `${ascii.join('\n')}\nünïcode line\n${ascii.join('\n')}\n`);
    const handed = new Map<string, string>();
    const linesOf = new Map<string, number>();

    await forEachLineSpan(
      file,
      (text) => {
        linesOf.set(text, (linesOf.get(text) ?? 0) + 1);
      },
      undefined,
      { onAsciiText: (text, bytes) => handed.set(text, Buffer.from(bytes).toString('latin1')) },
    );

    expect(handed.size).toBeGreaterThan(2);
    for (const [text, fromBytes] of handed) expect(fromBytes).toBe(text);
    const unhanded = [...linesOf.keys()].filter((text) => !handed.has(text));
    expect(unhanded.some((text) => text.includes('ünïcode'))).toBe(true);
    expect([...handed.keys()].some((text) => text.includes('ünïcode'))).toBe(false);
  });

  it('says "not found" for a missing file', async () => {
    const failure = await forEachLine('/nonexistent/alb.log', () => {}).catch((error: unknown) => error);

    expect((failure as LogFileError).message).toBe('Log file not found: /nonexistent/alb.log.');
  });
});

// A worker thread reads a small .gz whole, with one blocking read into a buffer it reuses
// (readSmallGzip); the main thread streams it. Both must deliver and fail alike.
describe.each([
  { reads: 'streamed (main thread)', options: {} },
  { reads: 'read whole (worker thread)', options: { blockingReads: true } },
])('forEachLine on a .gz, $reads', ({ options }) => {
  const numbered = (count: number, from = 0) => Array.from({ length: count }, (_, i) => `line ${from + i}`);

  it('delivers every line and reports the compressed size read', async () => {
    const file = path.join(folder(), 'a.log.gz');
    const compressed = gzipSync(`${numbered(50_000).join('\n')}\n`);
    writeFileSync(file, compressed);
    const seen: string[] = [];

    const stats = await forEachLine(file, (line) => seen.push(line), undefined, options);

    expect(seen).toEqual(numbered(50_000));
    expect(stats).toMatchObject({ lines: 50_000, lineCount: 50_000, bytes: compressed.length, gzip: true });
  });

  it('reads every member of a .gz made of several (cat a.gz b.gz)', async () => {
    const file = path.join(folder(), 'joined.log.gz');
    writeFileSync(file, Buffer.concat([gzipSync('one\ntwo\n'), gzipSync('three\n')]));
    const seen: string[] = [];

    await forEachLine(file, (line) => seen.push(line), undefined, options);

    expect(seen).toEqual(['one', 'two', 'three']);
  });

  it('delivers the lines before the damage of a truncated .gz, then names it', async () => {
    const file = path.join(folder(), 'broken.log.gz');
    const whole = gzipSync(numbered(200_000).join('\n'));
    writeFileSync(file, whole.subarray(0, Math.floor(whole.length / 2)));
    const seen: string[] = [];

    const failure = await forEachLine(file, (line) => seen.push(line), undefined, options).catch(
      (error: unknown) => error,
    );

    expect((failure as LogFileError).message).toBe(
      `${file} is a corrupt or truncated .gz file (unexpected end of file).`,
    );
    expect(seen.length).toBeGreaterThan(50_000);
    expect(seen).toEqual(numbered(seen.length));
  });

  it('stops at the inflated-size cap with the lines before it', async () => {
    const file = path.join(folder(), 'bomb.log.gz');
    writeFileSync(file, gzipSync(Buffer.concat([Buffer.from('one\ntwo\n'), Buffer.alloc(8 << 20)])));
    const seen: string[] = [];

    const failure = await forEachLine(file, (line) => seen.push(line), undefined, {
      ...options,
      maxInflatedBytes: 2 << 20,
    }).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(LogFileLimitError);
    expect(seen).toEqual(['one', 'two']);
  });

  it('reads the next file right after one whose read stopped early, and two files at once', async () => {
    const dir = folder();
    const [first, second, third] = ['1.log.gz', '2.log.gz', '3.log.gz'].map((name) => path.join(dir, name)) as [
      string,
      string,
      string,
    ];
    writeFileSync(first, gzipSync(numbered(300_000).join('\n')));
    writeFileSync(second, gzipSync(numbered(1_000, 500_000).join('\n')));
    writeFileSync(third, gzipSync(numbered(1_000, 900_000).join('\n')));
    let firstSeen = 0;

    await forEachLineSpan(first, () => ++firstSeen === 10, undefined, options);
    const [secondLines, thirdLines] = await Promise.all(
      [second, third].map(async (file) => {
        const seen: string[] = [];
        await forEachLine(file, (line) => seen.push(line), undefined, options);
        return seen;
      }),
    );

    expect(firstSeen).toBe(10);
    expect(secondLines).toEqual(numbered(1_000, 500_000));
    expect(thirdLines).toEqual(numbered(1_000, 900_000));
  });
});

describe('listLogFiles', () => {
  it('walks directories recursively in name order, skipping hidden files', async () => {
    const root = folder();
    const deep = path.join(
      root,
      'AWSLogs',
      '123456789012',
      'elasticloadbalancing',
      'ap-southeast-2',
      '2026',
      '06',
      '18',
    );
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
        const stats = await forEachLine(file, (line, n) => local.push([n, line]), {
          start,
          end: Math.min(size, start + pieceBytes),
        });
        seen.push(...local.map(([n, line]): [number, string] => [linesBefore + n, line]));
        linesBefore += stats.lineCount;
      }
      expect(seen).toEqual(whole);
    }
  });
});

describe('forEachLine with line endings other than \\n', () => {
  it('reads a file with CR-only line endings (classic Mac, some syslog exports) line by line', async () => {
    const file = path.join(folder(), 'cr.log');
    writeFileSync(file, 'first\rsecond\r\rfourth');

    expect(await collect(file)).toEqual([
      [1, 'first'],
      [2, 'second'],
      [4, 'fourth'],
    ]);
  });

  it('counts a \\r\\n split across two read chunks as one line ending', async () => {
    const file = path.join(folder(), 'crlf-boundary.log');
    const first = 'x'.repeat((512 << 10) - 1); // its \r is the last byte of the first 512 KiB chunk, its \n the first of the next
    writeFileSync(file, `${first}\r\nsecond\r\nthird\r\n`);

    const lines = await collect(file, { maxLineBytes: 1 << 20 });

    expect(lines.map(([n, line]) => [n, line.length > 20 ? `${line.length} x` : line])).toEqual([
      [1, `${first.length} x`],
      [2, 'second'],
      [3, 'third'],
    ]);
  });

  it.each([
    ['\\n', '\n'],
    ['\\r\\n', '\r\n'],
    ['\\r', '\r'],
    ['mixed', null],
  ])(
    'splits a file with %s endings into pieces that hold every line once, numbered as in a whole read',
    async (_name, ending) => {
      const file = path.join(folder(), 'pieces.log');
      const endings = ['\n', '\r\n', '\r'];
      const text = Array.from(
        { length: 120 },
        (_, i) => `${i % 23 === 0 ? '' : `line ${i} ${'y'.repeat(i % 11)}`}${ending ?? endings[i % 3]}`,
      ).join('');
      writeFileSync(file, text);
      const size = Buffer.byteLength(text);
      const whole = await collect(file);

      for (const pieceBytes of [1, 2, 3, 29, 500, size]) {
        const seen: Array<[number, string]> = [];
        let linesBefore = 0;
        for (let start = 0; start < size; start += pieceBytes) {
          const stats = await forEachLine(file, (line, n) => seen.push([linesBefore + n, line]), {
            start,
            end: Math.min(size, start + pieceBytes),
          });
          linesBefore += stats.lineCount;
        }
        expect(seen).toEqual(whole);
      }
      expect(whole).toHaveLength(120 - 6);
    },
  );
});

describe('forEachLine on hostile input', () => {
  it('counts and skips a line longer than the bound, in linear time, and reads on after it', async () => {
    const file = path.join(folder(), 'no-newline.log');
    writeFileSync(file, `before\n${'z'.repeat(3 << 20)}\nafter\n${'q'.repeat(70 << 10)}`); // a 3 MiB line, then a 70 KiB one that never ends
    const seen: Array<[number, string]> = [];

    const stats = await forEachLine(file, (line, n) => seen.push([n, line]));

    expect(seen).toEqual([
      [1, 'before'],
      [3, 'after'],
    ]);
    expect({
      lines: stats.lines,
      lineCount: stats.lineCount,
      overlongLines: stats.overlongLines,
      firstOverlongLine: stats.firstOverlongLine,
    }).toEqual({
      lines: 2,
      lineCount: 4,
      overlongLines: 2,
      firstOverlongLine: 2,
    });
  });

  it('measures the bound in bytes, also for a line of multi-byte characters inside one chunk', async () => {
    const file = path.join(folder(), 'utf8-long.log');
    writeFileSync(file, `ok\n${'é'.repeat(40 << 10)}\nok again\n`); // 40 Ki characters, 80 KiB

    const stats = await forEachLine(file, () => {});

    expect([stats.lines, stats.overlongLines, stats.firstOverlongLine]).toEqual([2, 1, 2]);
  });

  it('stops a .gz at the inflated-size cap with a LogFileLimitError that counts the lines read before it', async () => {
    const file = path.join(folder(), 'bomb.log.gz');
    writeFileSync(file, gzipSync(Buffer.concat([Buffer.from('one\ntwo\n'), Buffer.alloc(8 << 20)]))); // 8 MiB of zeros, 8 KiB compressed
    const seen: string[] = [];

    const failure = await forEachLine(file, (line) => seen.push(line), undefined, { maxInflatedBytes: 2 << 20 }).catch(
      (error: unknown) => error,
    );

    expect(failure).toBeInstanceOf(LogFileLimitError);
    expect(failure).toBeInstanceOf(LogFileError); // callers that keep a damaged file's lines keep these too
    expect(seen).toEqual(['one', 'two']);
    expect((failure as LogFileLimitError).stats).toMatchObject({ lines: 2, lineCount: 2, gzip: true });
    expect((failure as LogFileLimitError).message).toBe(
      `${file}: stopped reading at 2 MiB of decompressed text, the cap set for this read; its first 2 lines were read.`,
    );
  });

  it('caps a .gz at 100 times its size, at least 1 GiB and at most 16 GiB', () => {
    expect([inflatedCapBytes(8 << 20), inflatedCapBytes(50 << 20), inflatedCapBytes(1 << 30)]).toEqual([
      1 << 30,
      100 * (50 << 20),
      16 * (1 << 30),
    ]);
  });

  it('stops reading between chunks when the job is aborted, rejecting with the abort reason', async () => {
    const file = path.join(folder(), 'long.log');
    writeFileSync(file, Array.from({ length: 200_000 }, (_, i) => `line ${i}`).join('\n')); // about 2.3 MB: several chunks
    const controller = new AbortController();
    let delivered = 0;

    const failure = await forEachLine(
      file,
      () => {
        delivered++;
        if (delivered === 1) controller.abort(new Error('the Slack job timed out'));
      },
      undefined,
      { signal: controller.signal },
    ).catch((error: unknown) => error);

    expect((failure as Error).message).toBe('the Slack job timed out');
    expect(delivered).toBeGreaterThan(0);
    expect(delivered).toBeLessThan(200_000);
  });

  it('lets other work run during a long read (the event loop is not held for a whole chunk)', async () => {
    const file = path.join(folder(), 'one-chunk.log');
    writeFileSync(
      file,
      Array.from({ length: 1000 }, (_, i) => `line ${String(i).padStart(4, '0')} ${'w'.repeat(380)}`).join('\n'),
    ); // ~390 KB: one read chunk
    let timerRan = false;
    let timerRanBeforeLastLine = false;

    await forEachLine(file, (_line, n) => {
      if (n === 1) setTimeout(() => (timerRan = true), 0); // due while the chunk is being parsed
      if (n <= 30) busyWaitMs(1); // 30 ms of parsing in the chunk's first lines
      if (n === 999) timerRanBeforeLastLine = timerRan; // still inside the chunk: the last line waits for the end of the file
    });

    expect(timerRanBeforeLastLine).toBe(true);
  });

  it('never opens a FIFO: it is refused at once, naming it', async () => {
    const fifo = path.join(folder(), 'pipe.log');
    execFileSync('mkfifo', [fifo]);

    const failure = await forEachLine(fifo, () => {}).catch((error: unknown) => error);

    expect((failure as LogFileError).message).toBe(`${fifo} is a FIFO (named pipe), not a log file.`);
  });

  it('strips control characters from a file name in its messages', async () => {
    const failure = await forEachLine('/nonexistent/\u001b]8;;https://evil.test\u0007alb\u001b[2J.log', () => {}).catch(
      (error: unknown) => error,
    );

    expect((failure as LogFileError).message).toBe('Log file not found: /nonexistent/]8;;https://evil.testalb[2J.log.');
  });
});

function busyWaitMs(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // spin: stands for CPU-bound parsing
  }
}
