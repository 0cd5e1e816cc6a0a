/**
 * Which pieces of which files a view reads: what the window needs, and no more.
 *
 * - ALB files named as S3 names them hold the requests of the 5 minutes before the time in
 *   their name. Files whose interval lies wholly before the window (less one interval) or after
 *   it (plus a quarter of an hour) are skipped unread: the interval before gives "entries before
 *   the window" to the hole detection, and the quarter of an hour after catches lines that
 *   delivery put in a later file (domain.md §1.1: delivery is eventually consistent).
 * - Large plain files are split into byte ranges, so every thread gets a share of one big file.
 * - A plain file whose entries, probed at every piece's start and at its last line, run in time
 *   order (HAProxy's hourly files: syslog appends as requests are answered) is read only around
 *   the window: pieces well before it are only counted (for the line numbers), pieces well after
 *   it are skipped, and the piece that crosses the end stops once its entries run past it.
 *   A .gz cannot be probed ahead: it stops only when it is seen to run through the whole window
 *   in order. Probed entries are real entries: they count for the span the files cover.
 */
import { type FileHandle, open, stat } from 'node:fs/promises';
import { isGzip } from '../../files/for-each-line.js';
import { ALB_FILE_INTERVAL_MS, type AlbFileName } from './alb-file-name.js';
import { type FilePiece, ORDER_SLACK_MS, type PieceWindow } from './file-piece.js';

/** Plain files above 1.5 × this are split into pieces of this size. */
export const PIECE_BYTES = 32 << 20;
/** S3-named files: how far outside the window an interval may lie and still be read. */
export const S3_BEFORE_WINDOW_MS = ALB_FILE_INTERVAL_MS;
export const S3_AFTER_WINDOW_MS = 15 * 60_000;
/** Time-ordered files: read from this long before the window to this long after it. */
export const ORDERED_BEFORE_WINDOW_MS = 15 * 60_000;
export const ORDERED_AFTER_WINDOW_MS = 30 * 60_000;
/** How far a probe looks for an entry. */
const PROBE_BYTES = 64 << 10;
/** A .gz inflates to about this many times its size: what its reading weighs against plain bytes. */
const GZIP_WORK_FACTOR = 8;

export interface PlanInput {
  files: readonly string[];
  window: PieceWindow;
  /** When a line's entry happened, as the view bins it; null when the line is no entry of the view. */
  entryTimeMs: (line: string) => number | null;
  /** ALB only: the interval an S3 name says a file holds. */
  intervalOf?: (file: string) => AlbFileName | null;
  /** Plain files above 1.5 × this are split into pieces of this size. Default PIECE_BYTES. */
  pieceBytes?: number;
}

export interface FilePlan {
  files: readonly string[];
  pieces: FilePiece[];
  /** Work per piece, in plain-text bytes (a .gz weighs more than its size): for the ETA and the one-thread threshold. */
  workBytes: number[];
  /** Files left unread because their S3 name puts them outside the window. */
  skippedByName: number;
  /** Time-ordered files read only around the window. */
  trimmedFiles: number;
  /** Entry times known without reading them: probed entries, and the intervals of files skipped by name. */
  knownTimesMs: number[];
}

export async function planFilePieces(input: PlanInput): Promise<FilePlan> {
  const plan: FilePlan = {
    files: input.files,
    pieces: [],
    workBytes: [],
    skippedByName: 0,
    trimmedFiles: 0,
    knownTimesMs: [],
  };
  const pieceBytes = input.pieceBytes ?? PIECE_BYTES;
  for (const [fileIndex, file] of input.files.entries()) {
    const interval = input.intervalOf?.(file) ?? null;
    if (interval && !s3IntervalNeeded(interval, input.window)) {
      plan.skippedByName++;
      plan.knownTimesMs.push(interval.intervalEndMs - ALB_FILE_INTERVAL_MS, interval.intervalEndMs - 1);
      continue;
    }
    const { size, gzip } = await describeFile(file, pieceBytes);
    const add = (piece: Omit<FilePiece, 'id' | 'fileIndex' | 'file'>, work: number) => {
      plan.pieces.push({ id: plan.pieces.length, fileIndex, file, ...piece });
      plan.workBytes.push(work);
    };
    if (gzip || size === null) {
      // An S3 file is read whole; any other .gz may stop once it has run through the window in order.
      const stop =
        interval || size === null
          ? null
          : { pastMs: input.window.endMs + ORDERED_AFTER_WINDOW_MS, firstAtOrBeforeMs: input.window.startMs };
      add({ range: null, mode: 'read', stop }, (size ?? 0) * (gzip ? GZIP_WORK_FACTOR : 1));
      continue;
    }
    const ranges = splitIntoRanges(size, pieceBytes);
    const probes = interval ? null : await probeOrder(file, ranges, input.entryTimeMs);
    if (probes) plan.knownTimesMs.push(...probes.filter((t): t is number => t !== null));
    const trimmed = probes && isTimeOrdered(probes) ? trimToWindow(ranges, probes as number[], input.window) : null;
    if (trimmed)
      plan.trimmedFiles +=
        trimmed.some((piece) => piece.mode === 'count' || piece.stop) || trimmed.length < ranges.length ? 1 : 0;
    for (const [i, range] of ranges.entries()) {
      const piece = trimmed ? trimmed[i] : { mode: 'read' as const, stop: null };
      if (!piece) break; // after the window: this piece and the rest of the file are skipped
      add(
        { range: ranges.length > 1 ? range : null, ...piece },
        piece.mode === 'count' ? (range.end - range.start) / 10 : range.end - range.start,
      );
    }
  }
  return plan;
}

function s3IntervalNeeded(name: AlbFileName, window: PieceWindow): boolean {
  const intervalStartMs = name.intervalEndMs - ALB_FILE_INTERVAL_MS;
  return (
    name.intervalEndMs > window.startMs - S3_BEFORE_WINDOW_MS && intervalStartMs < window.endMs + S3_AFTER_WINDOW_MS
  );
}

async function describeFile(file: string, pieceBytes: number): Promise<{ size: number | null; gzip: boolean }> {
  try {
    // A name ending in .gz is taken at its word here (no extra open of a thousand S3 files); the
    // read itself goes by the magic bytes. Only a file that may be split must prove it is plain.
    const { size } = await stat(file);
    return { size, gzip: file.endsWith('.gz') || (size > pieceBytes * 1.5 && (await isGzip(file))) };
  } catch {
    return { size: null, gzip: false }; // the read says what is wrong with it, in the answer
  }
}

function splitIntoRanges(size: number, pieceBytes: number): { start: number; end: number }[] {
  if (size <= pieceBytes * 1.5) return [{ start: 0, end: size }];
  const ranges: { start: number; end: number }[] = [];
  for (let start = 0; start < size; start += pieceBytes)
    ranges.push({ start, end: Math.min(size, start + pieceBytes) });
  return ranges;
}

/** The time of the first entry of each piece, then of the file's last entry; null where none was found. */
async function probeOrder(
  file: string,
  ranges: readonly { start: number; end: number }[],
  entryTimeMs: PlanInput['entryTimeMs'],
): Promise<(number | null)[] | null> {
  let handle: FileHandle;
  try {
    handle = await open(file, 'r');
  } catch {
    return null;
  }
  try {
    const probes: (number | null)[] = [];
    for (const range of ranges)
      probes.push(
        firstTime(await readText(handle, Math.max(0, range.start - 1), PROBE_BYTES), range.start > 0, entryTimeMs),
      );
    const size = ranges[ranges.length - 1]!.end;
    const tailStart = Math.max(0, size - PROBE_BYTES);
    probes.push(lastTime(await readText(handle, tailStart, size - tailStart), tailStart > 0, entryTimeMs));
    return probes;
  } finally {
    await handle.close();
  }
}

async function readText(handle: FileHandle, position: number, length: number): Promise<string> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await handle.read(buffer, 0, length, position);
  return buffer.subarray(0, bytesRead).toString('latin1');
}

const LINE_ENDING = /\r\n|\n|\r/;

/** The first entry's time in `text`; when `partialFirst`, the text starts inside a line that belongs to the piece before. */
function firstTime(text: string, partialFirst: boolean, entryTimeMs: PlanInput['entryTimeMs']): number | null {
  const lines = text.split(LINE_ENDING);
  lines.pop(); // may be cut by the probe's length
  for (const line of partialFirst ? lines.slice(1) : lines) {
    const time = line.length > 0 ? entryTimeMs(line) : null;
    if (time !== null) return time;
  }
  return null;
}

function lastTime(text: string, partialFirst: boolean, entryTimeMs: PlanInput['entryTimeMs']): number | null {
  const lines = text.split(LINE_ENDING);
  if (partialFirst) lines.shift();
  for (let i = lines.length - 1; i >= 0; i--) {
    const time = lines[i]!.length > 0 ? entryTimeMs(lines[i]!) : null;
    if (time !== null) return time;
  }
  return null;
}

function isTimeOrdered(probes: readonly (number | null)[]): boolean {
  for (let i = 0; i < probes.length; i++) {
    if (probes[i] === null) return false;
    if (i > 0 && probes[i]! < probes[i - 1]! - ORDER_SLACK_MS) return false;
  }
  return true;
}

/**
 * Each piece of a time-ordered file: counted only (wholly before the window), read with a stop
 * (the one that crosses the end), read whole, or left out (after the end: a shorter list).
 */
function trimToWindow(
  ranges: readonly unknown[],
  probes: readonly number[],
  window: PieceWindow,
): Array<Pick<FilePiece, 'mode' | 'stop'>> {
  const stopPastMs = window.endMs + ORDERED_AFTER_WINDOW_MS;
  const countBeforeMs = window.startMs - ORDERED_BEFORE_WINDOW_MS;
  const pieces: Array<Pick<FilePiece, 'mode' | 'stop'>> = [];
  for (let i = 0; i < ranges.length; i++) {
    const firstMs = probes[i]!;
    const nextMs = probes[i + 1]!; // the next piece's first entry, or the file's last
    if (firstMs > stopPastMs) break;
    if (nextMs < countBeforeMs) pieces.push({ mode: 'count', stop: null });
    else
      pieces.push({ mode: 'read', stop: nextMs > stopPastMs ? { pastMs: stopPastMs, firstAtOrBeforeMs: null } : null });
  }
  return pieces;
}
