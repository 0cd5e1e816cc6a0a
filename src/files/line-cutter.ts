/**
 * Cutting a file's bytes into lines, for forEachLine: the bytes of each chunk read up to its last
 * line ending, decoded a piece at a time (latin1 when ASCII), a line split across chunks carried
 * to the next one, over-long lines counted and skipped, and a byte range trimmed to the lines it owns.
 */
import { isAscii } from 'node:buffer';
import type { ByteRange, LineFileStats } from './for-each-line.js';

/**
 * Called once per non-empty line, like forEachLine's LineHandler, without cutting the line out:
 * it is `text[start, end)` of a larger decoded text (the line ending excluded). For hot paths that parse in place and would otherwise allocate a string per line. Returning
 * true stops the read after this line (a reader that has seen all it needs): no later line is
 * delivered, and the stats count the lines up to this one.
 */
// biome-ignore lint/suspicious/noConfusingVoidType: a handler that returns nothing (nearly all of them) must stay one.
export type LineSpanHandler = (text: string, start: number, end: number, lineNumber: number) => void | boolean;

/**
 * Text is decoded in pieces below V8's large-object threshold (128 KiB): a larger string would
 * be allocated in large-object space, survive until a full GC, and pile up dead chunks in
 * memory; small ones die young. Reads stay large (fewer stream round trips).
 */
const DECODE_BYTES = 120 << 10;
const LF = 10;
const CR = 13;

/**
 * Cuts chunks into lines. A line split across chunks is carried (at most maxLineBytes of it,
 * gathered once at its end, so a long line costs linear time); a longer one is counted and
 * skipped up to its end. A \r that ends a chunk may be the first half of a \r\n.
 */
export class LineCutter {
  private lineNumber = 0;
  private lines = 0;
  private overlong = 0;
  private firstOverlong: number | null = null;
  private carry: Buffer[] = [];
  private carryBytes = 0;
  private skipping = false;
  private afterCR = false;
  /** The handler asked to stop: nothing more is delivered or counted. */
  stopped = false;

  constructor(
    private readonly onLine: LineSpanHandler,
    private readonly maxLineBytes: number,
    private readonly pause: () => Promise<void> | undefined,
    private readonly onAsciiText: ((text: string, bytes: Uint8Array) => void) | undefined,
  ) {}

  counts(): Omit<LineFileStats, 'bytes' | 'gzip'> {
    return {
      lines: this.lines,
      lineCount: this.lineNumber,
      overlongLines: this.overlong,
      firstOverlongLine: this.firstOverlong,
    };
  }

  async push(chunk: Buffer): Promise<void> {
    let bytes = chunk;
    if (bytes.length === 0 || this.stopped) return;
    if (this.afterCR) {
      this.afterCR = false;
      if (bytes[0] === LF) bytes = bytes.subarray(1);
    }
    if (this.carryBytes > 0 || this.skipping) {
      const end = indexOfLineEnd(bytes, 0);
      if (end === -1) {
        this.extendCarry(bytes);
        return;
      }
      this.finishCarried(bytes.subarray(0, end));
      bytes = bytes.subarray(this.skipLineEnd(bytes, end));
    }
    const last = lastIndexOfLineEnd(bytes);
    if (last === -1) {
      this.extendCarry(bytes);
      return;
    }
    await this.deliverWhole(bytes, last + 1);
    if (bytes[last] === CR && last + 1 === bytes.length) this.afterCR = true;
    this.extendCarry(bytes.subarray(last + 1));
  }

  /** The last line, when the file does not end with a line ending. */
  end(): void {
    if (this.carryBytes > 0 || this.skipping) this.finishCarried(Buffer.alloc(0));
  }

  private extendCarry(bytes: Buffer): void {
    if (bytes.length === 0 || this.skipping) return;
    if (this.carryBytes + bytes.length > this.maxLineBytes) {
      this.skipping = true;
      this.carry = [];
      this.carryBytes = 0;
      return;
    }
    this.carry.push(Buffer.from(bytes)); // a copy: keeping a view would keep the whole chunk alive
    this.carryBytes += bytes.length;
  }

  private finishCarried(tail: Buffer): void {
    if (this.skipping || this.carryBytes + tail.length > this.maxLineBytes) this.countOverlong();
    else this.deliverLines(decode(Buffer.concat([...this.carry, tail])), false);
    this.carry = [];
    this.carryBytes = 0;
    this.skipping = false;
  }

  /** The index after the line ending at `at` (\r\n counts as one); notes a \r that ends the chunk. */
  private skipLineEnd(bytes: Buffer, at: number): number {
    if (bytes[at] === CR) {
      if (at + 1 === bytes.length) this.afterCR = true;
      else if (bytes[at + 1] === LF) return at + 2;
    }
    return at + 1;
  }

  /** Decodes bytes[0, end) — whole lines — in pieces that end at a line ending, and delivers their lines. */
  private async deliverWhole(bytes: Buffer, end: number): Promise<void> {
    let start = 0;
    while (start < end && !this.stopped) {
      const pause = this.pause();
      if (pause) await pause;
      let stop = end;
      if (end - start > DECODE_BYTES) {
        const last = lastIndexOfLineEnd(bytes, start + DECODE_BYTES - 1, start);
        if (last === -1) {
          // One line longer than a piece: skipped if over-long, else decoded alone.
          const lineEnd = indexOfLineEnd(bytes, start);
          const after = lineEnd + (bytes[lineEnd] === CR && bytes[lineEnd + 1] === LF ? 2 : 1);
          if (lineEnd - start > this.maxLineBytes) this.countOverlong();
          else this.deliverLines(decode(bytes.subarray(start, after)), false);
          start = after;
          continue;
        }
        stop = last + (bytes[last] === CR && bytes[last + 1] === LF ? 2 : 1);
      }
      const piece = bytes.subarray(start, stop);
      const ascii = isAscii(piece);
      const text = piece.toString(ascii ? 'latin1' : 'utf8');
      if (ascii) this.onAsciiText?.(text, piece);
      this.deliverLines(text, !ascii);
      start = stop;
    }
  }

  /** Delivers the lines of `text`, split at \n, \r\n and lone \r. */
  private deliverLines(text: string, multiByte: boolean): void {
    let start = 0;
    if (text.indexOf('\r') === -1) {
      for (let newline = text.indexOf('\n'); newline !== -1 && !this.stopped; newline = text.indexOf('\n', start)) {
        this.emit(text, start, newline, multiByte);
        start = newline + 1;
      }
    } else {
      let nextLF = text.indexOf('\n');
      let nextCR = text.indexOf('\r');
      while (nextLF !== -1 || nextCR !== -1) {
        const end = nextCR === -1 || (nextLF !== -1 && nextLF < nextCR) ? nextLF : nextCR;
        this.emit(text, start, end, multiByte);
        start = end + (end === nextCR && nextLF === end + 1 ? 2 : 1);
        if (nextLF !== -1 && nextLF < start) nextLF = text.indexOf('\n', start);
        if (nextCR !== -1 && nextCR < start) nextCR = text.indexOf('\r', start);
      }
    }
    if (start < text.length) this.emit(text, start, text.length, multiByte);
  }

  private emit(text: string, start: number, end: number, multiByte: boolean): void {
    if (this.stopped) return;
    if (this.isOverlong(text, start, end, multiByte)) {
      this.countOverlong();
      return;
    }
    this.lineNumber++;
    if (end === start || isBlank(text, start, end)) return;
    this.lines++;
    if (this.onLine(text, start, end, this.lineNumber) === true) this.stopped = true;
  }

  /** In bytes, as read: a UTF-8 character is 1–3 bytes per UTF-16 unit, so only long candidates are measured. */
  private isOverlong(text: string, start: number, end: number, multiByte: boolean): boolean {
    const units = end - start;
    if (units > this.maxLineBytes) return true;
    if (!multiByte || units * 3 <= this.maxLineBytes) return false;
    return Buffer.byteLength(text.slice(start, end), 'utf8') > this.maxLineBytes;
  }

  private countOverlong(): void {
    if (this.stopped) return;
    this.lineNumber++;
    this.overlong++;
    this.firstOverlong ??= this.lineNumber;
  }
}

/** The first \n or \r at or after `from`, or -1. */
function indexOfLineEnd(bytes: Buffer, from: number): number {
  const lf = bytes.indexOf(LF, from);
  // Searching for \r only up to the \n found keeps CR-free files (nearly all logs) at one scan.
  const cr = bytes.subarray(from, lf === -1 ? bytes.length : lf).indexOf(CR);
  return cr === -1 ? lf : from + cr;
}

/** The last \n or \r at or before `to`, not before `from`, or -1. */
function lastIndexOfLineEnd(bytes: Buffer, to = bytes.length - 1, from = 0): number {
  const lf = bytes.lastIndexOf(LF, to);
  const crFrom = Math.max(from, lf + 1);
  const cr = crFrom > to ? -1 : bytes.subarray(crFrom, to + 1).lastIndexOf(CR);
  const last = cr === -1 ? lf : crFrom + cr;
  return last >= from ? last : -1;
}

/** Trims a ranged read's chunks to whole lines: drops the partial first line, stops after the last. */
export class RangeCut {
  done = false;
  private offset: number;
  private skipping: boolean;
  /** The line ending before this piece's first line was a \r that ended the last chunk. */
  private pendingCR = false;

  constructor(
    private readonly range: ByteRange,
    readFrom: number,
  ) {
    this.offset = readFrom;
    this.skipping = range.start > 0;
  }

  take(chunk: Buffer): Buffer {
    const none = chunk.subarray(0, 0);
    if (this.done) return none;
    let from = 0;
    const chunkStart = this.offset;
    this.offset += chunk.length;
    if (this.pendingCR) {
      this.pendingCR = false;
      from = chunk[0] === LF ? 1 : 0;
      if (this.ownsNothingFrom(chunkStart + from)) return none;
    }
    if (this.skipping) {
      // We read from start - 1: the first line ending ends the line the previous piece owns.
      const lineEnd = indexOfLineEnd(chunk, 0);
      if (lineEnd === -1) return none;
      this.skipping = false;
      if (chunk[lineEnd] === CR && lineEnd + 1 === chunk.length) {
        this.pendingCR = true; // \r or \r\n: the next chunk tells
        return none;
      }
      from = lineEnd + (chunk[lineEnd] === CR && chunk[lineEnd + 1] === LF ? 2 : 1);
      if (this.ownsNothingFrom(chunkStart + from)) return none;
    }
    // The last line this piece owns starts at or before end - 1; it ends at the next line ending.
    const lastOwnedByte = this.range.end - 1;
    if (this.offset - 1 >= lastOwnedByte) {
      const lineEnd = indexOfLineEnd(chunk, Math.max(from, lastOwnedByte - chunkStart));
      if (lineEnd !== -1) {
        this.done = true;
        return chunk.subarray(from, lineEnd + (chunk[lineEnd] === CR && chunk[lineEnd + 1] === LF ? 2 : 1));
      }
    }
    return chunk.subarray(from);
  }

  /** The first whole line starts at or past the end: this piece owns no line at all. */
  private ownsNothingFrom(firstLineStart: number): boolean {
    if (firstLineStart < this.range.end) return false;
    this.done = true;
    return true;
  }
}

function decode(bytes: Buffer): string {
  return bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8');
}

/** True when text[start, end) is only spaces and tabs (checked without allocating a substring). */
function isBlank(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code !== 32 && code !== 9) return false;
  }
  return true;
}
