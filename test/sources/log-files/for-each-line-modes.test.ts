/**
 * The two reading modes the parallel readers added to forEachLineSpan: blocking reads (worker
 * threads) must deliver what the stream delivers, piece by piece, and a handler may end a read.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { forEachLineSpan, type LineReadOptions } from '../../../src/files/for-each-line.js';

function writeLog(text: string): string {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'why502-lines-')), 'log.txt');
  writeFileSync(file, text);
  return file;
}

async function read(file: string, range: { start: number; end: number } | undefined, options: LineReadOptions) {
  const lines: string[] = [];
  const stats = await forEachLineSpan(
    file,
    (text, start, end, lineNumber) => void lines.push(`${lineNumber}:${text.slice(start, end)}`),
    range,
    options,
  );
  return { lines, stats };
}

// Lines of every ending, a blank one, a long one across reads, one over the line cap, and no final line ending.
const TEXT = ['a1', 'b2\r', 'c3\r\n', '', 'd4 '.repeat(300_000), 'y'.repeat(70_000), 'e5\rf6\r\n\ng7', 'é8'].join('\n');

describe('forEachLineSpan with blocking reads', () => {
  it('delivers the same lines, numbers and counts as the stream, whole and in byte ranges', async () => {
    // Prepare
    const file = writeLog(TEXT);
    const size = Buffer.byteLength(TEXT);
    const cuts = [0, 3, 7, 900_001, 970_000, size - 5, size];
    const ranges = cuts.slice(1).map((end, i) => ({ start: cuts[i]!, end }));
    for (const range of [undefined, ...ranges]) {
      // Act
      const streamed = await read(file, range, {});
      const blocking = await read(file, range, { blockingReads: true });
      // Assess
      expect(blocking.lines, JSON.stringify(range)).toEqual(streamed.lines);
      expect({ ...blocking.stats, bytes: 0 }).toEqual({ ...streamed.stats, bytes: 0 });
    }
  });
});

describe('forEachLineSpan with a handler that stops', () => {
  it('delivers no line after the one that returned true, and counts the lines up to it', async () => {
    // Prepare
    const file = writeLog(Array.from({ length: 5000 }, (_, i) => `line ${i + 1}`).join('\n'));
    for (const blockingReads of [false, true]) {
      const seen: number[] = [];
      // Act
      const stats = await forEachLineSpan(
        file,
        (_text, _start, _end, lineNumber) => {
          seen.push(lineNumber);
          return lineNumber === 1234;
        },
        undefined,
        { blockingReads },
      );
      // Assess
      expect(seen.at(-1)).toBe(1234);
      expect(seen).toHaveLength(1234);
      expect(stats).toMatchObject({ lines: 1234, lineCount: 1234 });
    }
  });
});
