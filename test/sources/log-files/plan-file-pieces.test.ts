import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseAlbFileName } from '../../../src/sources/log-files/alb-file-name.js';
import type { FilePiece, PieceWindow } from '../../../src/sources/log-files/file-piece.js';
import { PieceCounter } from '../../../src/sources/log-files/piece-totals.js';
import { planFilePieces } from '../../../src/sources/log-files/plan-file-pieces.js';

const at = (hhmm: string) => Date.parse(`2026-06-18T${hhmm}:00Z`);
/** 18:11–21:11 UTC, the window of an asked 19:41 UTC. */
const WINDOW: PieceWindow = { startMs: at('18:11'), endMs: at('21:11'), minutes: 180 };

/** A file of one line a minute from `from` to `to` (HH:MM), each line its own time: "2026-06-18T18:00:00Z entry 1". */
function minuteLog(directory: string, name: string, from: string, to: string, lineBytes = 1000): string {
  const lines: string[] = [];
  // lineBytes with its line ending, so that line k starts at byte k × lineBytes
  for (let ms = at(from); ms <= at(to); ms += 60_000)
    lines.push(`${new Date(ms).toISOString().slice(0, 19)}Z ${'x'.repeat(lineBytes - 22)}`);
  const file = path.join(directory, name);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

const entryTimeMs = (line: string) => {
  const ms = Date.parse(line.slice(0, 20));
  return Number.isNaN(ms) ? null : ms;
};

const shape = (pieces: FilePiece[]) =>
  pieces.map(({ mode, stop, range }) => ({ mode, stop: stop?.pastMs ?? null, start: range?.start ?? 0 }));

describe('planFilePieces', () => {
  it('skips S3 files whose 5-minute interval lies outside the window, keeping one interval before it and a quarter of an hour after', async () => {
    // Prepare
    const name = (hhmm: string) =>
      `123456789012_elasticloadbalancing_ap-southeast-2_app.k8s.0123456789abcdef_20260618T${hhmm.replace(':', '')}Z_10.0.1.5_abcd.log.gz`;
    const ends = ['18:05', '18:10', '18:15', '21:10', '21:15', '21:30', '21:35'];
    // Act
    const plan = await planFilePieces({
      files: ends.map(name),
      window: WINDOW,
      entryTimeMs,
      intervalOf: parseAlbFileName,
    });
    // Assess: 18:05 holds 18:00–18:05 (before the margin); 21:35 holds 21:30–21:35 (past 21:26)
    expect(plan.pieces.map((piece) => ends[piece.fileIndex])).toEqual(['18:10', '18:15', '21:10', '21:15', '21:30']);
    expect(plan.skippedByName).toBe(2);
    expect(plan.knownTimesMs).toEqual([at('18:00'), at('18:05') - 1, at('21:30'), at('21:35') - 1]);
  });

  it('reads a time-ordered file only around the window: counts the pieces well before, stops in the one that crosses the end, leaves out the rest', async () => {
    // Prepare: a day of entries, 1,440 lines of 1,000 bytes, in pieces of 100 lines
    const directory = mkdtempSync(path.join(os.tmpdir(), 'why502-plan-'));
    const file = minuteLog(directory, 'haproxy.log', '00:00', '23:59');
    // Act
    const plan = await planFilePieces({ files: [file], window: WINDOW, entryTimeMs, pieceBytes: 100_000 });
    // Assess: piece i holds minutes 100·i to 100·i + 99; 17:56 is minute 1076; 21:41 (the stop) is minute 1301
    const pieces = shape(plan.pieces);
    expect(pieces.slice(0, 10).every((piece) => piece.mode === 'count')).toBe(true);
    expect(pieces[9]).toEqual({ mode: 'count', stop: null, start: 900_000 });
    expect(pieces[10]).toEqual({ mode: 'read', stop: null, start: 1_000_000 });
    expect(pieces.at(-1)).toEqual({ mode: 'read', stop: at('21:41'), start: 1_300_000 });
    expect(pieces).toHaveLength(14);
    expect(plan.trimmedFiles).toBe(1);
    expect(plan.knownTimesMs.at(-1)).toBe(at('23:59'));
  });

  it('reads every piece of a file whose probed entries go back in time', async () => {
    // Prepare: the day's second half written before its first
    const directory = mkdtempSync(path.join(os.tmpdir(), 'why502-plan-'));
    const late = minuteLog(directory, 'late.log', '12:00', '23:59');
    const early = minuteLog(directory, 'early.log', '00:00', '11:59');
    const { readFileSync } = await import('node:fs');
    const file = path.join(directory, 'both.log');
    writeFileSync(file, readFileSync(late, 'utf8') + readFileSync(early, 'utf8'));
    // Act
    const plan = await planFilePieces({ files: [file], window: WINDOW, entryTimeMs, pieceBytes: 100_000 });
    // Assess
    expect(shape(plan.pieces).every((piece) => piece.mode === 'read' && piece.stop === null)).toBe(true);
    expect(plan.pieces).toHaveLength(15);
    expect(plan.trimmedFiles).toBe(0);
  });

  it('lets a .gz stop only once it is seen to run through the window from before its start', async () => {
    // Prepare
    const directory = mkdtempSync(path.join(os.tmpdir(), 'why502-plan-'));
    const file = path.join(directory, 'haproxy.log.1.gz');
    writeFileSync(file, gzipSync('2026-06-18T00:00:00Z x\n'));
    // Act
    const plan = await planFilePieces({ files: [file], window: WINDOW, entryTimeMs });
    // Assess
    expect(plan.pieces.map((piece) => piece.stop)).toEqual([{ pastMs: at('21:41'), firstAtOrBeforeMs: at('18:11') }]);
  });
});

describe('PieceCounter', () => {
  const piece = (stop: FilePiece['stop']): FilePiece => ({
    id: 0,
    fileIndex: 0,
    file: 'x',
    range: null,
    mode: 'read',
    stop,
  });
  /** The index of the entry at which the read may end, or -1. */
  const feed = (counter: PieceCounter, times: number[]) =>
    times.findIndex((ms) => {
      counter.entry(ms);
      return counter.done;
    });

  it('ends an ordered read at the 200th entry in a row past the stop', () => {
    const counter = new PieceCounter(piece({ pastMs: at('21:41'), firstAtOrBeforeMs: null }), WINDOW);
    const times = [at('21:00'), at('21:42'), at('21:40'), ...Array.from({ length: 300 }, (_, i) => at('21:42') + i)];

    expect(feed(counter, times)).toBe(3 + 199);
  });

  it('reads to the end after an entry far in the future that the next ones go back from (a clock glitch)', () => {
    const counter = new PieceCounter(piece({ pastMs: at('21:41'), firstAtOrBeforeMs: null }), WINDOW);
    const times = [at('21:00'), at('23:00'), at('21:01'), ...Array.from({ length: 300 }, (_, i) => at('21:42') + i)];

    expect(feed(counter, times)).toBe(-1);
  });

  it('reads to the end once an entry goes back more than five minutes', () => {
    const counter = new PieceCounter(piece({ pastMs: at('21:41'), firstAtOrBeforeMs: null }), WINDOW);
    const times = [at('21:00'), at('20:54'), ...Array.from({ length: 300 }, (_, i) => at('21:42') + i)];

    expect(feed(counter, times)).toBe(-1);
  });

  it('never ends a .gz whose first entry is after the window starts', () => {
    const counter = new PieceCounter(piece({ pastMs: at('21:41'), firstAtOrBeforeMs: at('18:11') }), WINDOW);
    const times = [at('19:00'), ...Array.from({ length: 300 }, (_, i) => at('21:42') + i)];

    expect(feed(counter, times)).toBe(-1);
  });
});
