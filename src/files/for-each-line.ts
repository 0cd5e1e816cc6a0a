import { isAscii } from 'node:buffer';
import { constants, readSync } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { createGunzip } from 'node:zlib';
import { LogFileError } from '../errors.js';
import { printableText } from './printable-text.js';
import { ReusableBuffer } from './reusable-buffer.js';

/** Called once per non-empty line, with its 1-based line number in the (decompressed) file. */
export type LineHandler = (line: string, lineNumber: number) => void;

/**
 * The same, without cutting the line out: it is `text[start, end)` (the line ending excluded).
 * For hot paths that parse in place and would otherwise allocate a string per line. Returning
 * true stops the read after this line (a reader that has seen all it needs): no later line is
 * delivered, and the stats count the lines up to this one.
 */
// biome-ignore lint/suspicious/noConfusingVoidType: a handler that returns nothing (nearly all of them) must stay one.
export type LineSpanHandler = (text: string, start: number, end: number, lineNumber: number) => void | boolean;

/**
 * A byte range of a plain file, for reading one file in parallel pieces. A piece owns the lines
 * that start inside [start, end): it skips the partial line it starts in (the previous piece
 * owns it) and reads past `end` to finish its last line.
 */
export interface ByteRange {
  start: number;
  end: number;
}

export interface LineReadOptions {
  /** Stops the read between chunks: the promise rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Lines longer than this many bytes are counted and skipped. Default MAX_LINE_BYTES. */
  maxLineBytes?: number;
  /** The most a .gz may inflate to. Default: inflatedCapBytes(its compressed size). */
  maxInflatedBytes?: number;
  /**
   * Read a plain file with blocking reads into one reused buffer: for a worker thread, whose event
   * loop serves nothing else. It skips a stream's per-chunk hops and allocations (each freed
   * 512 KiB buffer otherwise lingers in the allocator of the thread that freed it). A .gz still
   * inflates on a stream.
   */
  blockingReads?: boolean;
  /**
   * Called with each text decoded one character a byte (ASCII) and the bytes it came from, just
   * before its lines are delivered: a parser that reads the bytes (alb-line.ts attachLineBytes)
   * takes them here. Lines of other texts (carried across reads, or not ASCII) come without.
   */
  onAsciiText?: (text: string, bytes: Uint8Array) => void;
}

export interface LineFileStats {
  /** Non-empty lines delivered. */
  lines: number;
  /** All lines, blank and over-long ones included: what the next piece's line numbers start after. */
  lineCount: number;
  /** Bytes read from disk (compressed size for .gz). */
  bytes: number;
  gzip: boolean;
  /** Lines longer than maxLineBytes: counted in lineCount, never delivered. */
  overlongLines: number;
  /** The line number of the first of them; null when there was none. */
  firstOverlongLine: number | null;
}

/**
 * A line longer than this is not a log entry (HAProxy's longest log line is 64 KiB, its `len`
 * maximum; ALB entries are a few KiB): it is counted and skipped, so one unterminated line
 * (a binary file, /dev/zero-like input) costs constant memory and linear time.
 */
export const MAX_LINE_BYTES = 64 << 10;

/**
 * The inflated size of a .gz is capped at INFLATED_RATIO × its compressed size, at least
 * INFLATED_FLOOR_BYTES and at most INFLATED_CEILING_BYTES. Log text compresses 5–20×; a
 * gzip bomb (8 MB of zeros → 8 GiB) 1000×. Reaching the cap ends the read with a
 * LogFileLimitError: the lines before it count, and the source is partial.
 */
export const INFLATED_RATIO = 100;
export const INFLATED_FLOOR_BYTES = 1 << 30;
export const INFLATED_CEILING_BYTES = 16 * (1 << 30);

export function inflatedCapBytes(compressedBytes: number): number {
  return Math.min(INFLATED_CEILING_BYTES, Math.max(INFLATED_FLOOR_BYTES, INFLATED_RATIO * compressedBytes));
}

/** A read that stopped at a documented cap. Its lines up to the cap were delivered; `stats` counts them. */
export class LogFileLimitError extends LogFileError {
  override name = 'LogFileLimitError';
  constructor(
    message: string,
    readonly stats: LineFileStats,
    hint?: string,
  ) {
    super(message, hint);
  }
}

const CHUNK_BYTES = 512 << 10;
/**
 * A .gz is read in smaller pieces: zlib inflates each piece it is given whole, into output
 * chunks the reader has not asked for yet, so a 512 KiB read of log text (~8× smaller than what
 * it inflates to) puts 4 MiB in flight. Measured over 300 S3 files on two threads: peak memory
 * 255 MB with 512 KiB reads and 512 KiB output chunks, 165 MB with these, for the same time.
 */
const GZIP_READ_BYTES = 128 << 10;
/**
 * A .gz up to this size is read whole on a worker thread (readSmallGzip). An ALB writes one file
 * per node every 5 minutes: 1.6 MB each for the seed's ~94,000 requests a minute on 14 nodes.
 */
const WHOLE_GZIP_MAX_BYTES = 8 << 20;
const smallGzipBuffer = new ReusableBuffer(WHOLE_GZIP_MAX_BYTES);
const INFLATE_CHUNK_BYTES = 256 << 10;
/**
 * Text is decoded in pieces below V8's large-object threshold (128 KiB): a larger string would
 * be allocated in large-object space, survive until a full GC, and pile up dead chunks in
 * memory; small ones die young. Reads stay large (fewer stream round trips).
 */
const DECODE_BYTES = 120 << 10;
/**
 * Parsing runs on the event loop that also acknowledges Slack commands (`serve`): after this
 * much work the read yields, so an ack never waits behind a long read.
 */
const YIELD_EVERY_MS = 10;
const LF = 10;
const CR = 13;

/**
 * Streams a log file line by line in constant memory, plain or gzip (detected by its magic
 * bytes, not its name: S3 objects are often renamed). Lines end in \n, \r\n or a lone \r.
 * Only regular files are opened (never a FIFO, socket or device, which could block or never
 * end). A corrupt or truncated .gz is a LogFileError naming the file; the lines before the
 * damage have already been delivered. Bounded: see MAX_LINE_BYTES and inflatedCapBytes.
 *
 * Speed matters here (millions of lines): each chunk is cut at its last line ending *in bytes*,
 * so no UTF-8 sequence is ever split, and a chunk that is pure ASCII (almost all log data) is
 * decoded as latin1, which is a plain copy, instead of through the much slower UTF-8 decoder.
 */
export function forEachLine(
  file: string,
  onLine: LineHandler,
  range?: ByteRange,
  options?: LineReadOptions,
): Promise<LineFileStats> {
  // A block body: whatever a LineHandler returns must never stop the read.
  return forEachLineSpan(
    file,
    (text, start, end, lineNumber) => {
      onLine(text.slice(start, end), lineNumber);
    },
    range,
    options,
  );
}

/** forEachLine, delivering each line as a span of a larger decoded text (see LineSpanHandler). */
export async function forEachLineSpan(
  file: string,
  onLine: LineSpanHandler,
  range?: ByteRange,
  options: LineReadOptions = {},
): Promise<LineFileStats> {
  options.signal?.throwIfAborted();
  const { handle, size, gzip } = await openRegularFile(file);
  if (range && gzip) {
    await handle.close();
    throw new LogFileError(`${printableText(file)}: a .gz file cannot be read from the middle.`);
  }
  const readFrom = range && range.start > 0 ? range.start - 1 : 0;
  if (options.blockingReads && !gzip) return readPlainBlocking(file, handle, size, readFrom, onLine, range, options);
  if (options.blockingReads && gzip && size <= WHOLE_GZIP_MAX_BYTES)
    return readSmallGzip(file, handle, size, onLine, options);
  // A plain file is read to the size it had when opened: one still being written does not run on.
  const raw = handle.createReadStream({
    highWaterMark: gzip ? GZIP_READ_BYTES : CHUNK_BYTES,
    start: readFrom,
    ...(gzip ? {} : { end: Math.max(readFrom, size - 1) }),
  });
  const gunzip = gzip ? createGunzip({ chunkSize: INFLATE_CHUNK_BYTES }) : null;
  if (gunzip) raw.on('error', (error) => gunzip.destroy(error)).pipe(gunzip);
  const cut = range ? new RangeCut(range, readFrom) : null;
  try {
    return await readChunks(file, gunzip ?? raw, size, gzip, cut, () => raw.bytesRead, onLine, options);
  } finally {
    raw.destroy();
    gunzip?.destroy();
  }
}

/**
 * A small .gz on a worker thread (blockingReads): its compressed bytes taken with one blocking
 * read into a buffer the thread keeps, and inflated from there. Reading it through a file stream
 * instead costs a trip through libuv's thread pool for every 128 KiB (~8 % of a seed-scale
 * investigation); a fresh buffer per file would cost memory instead (glibc keeps the freed
 * megabytes in each thread's arena: +110 MB at the peak, measured).
 */
async function readSmallGzip(
  file: string,
  handle: FileHandle,
  size: number,
  onLine: LineSpanHandler,
  options: LineReadOptions,
): Promise<LineFileStats> {
  const compressed = smallGzipBuffer.lease(size);
  const gunzip = createGunzip({ chunkSize: INFLATE_CHUNK_BYTES });
  let filled = 0;
  try {
    while (filled < size) {
      const bytesRead = readSync(handle.fd, compressed, filled, size - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    gunzip.end(compressed.subarray(0, filled));
    return await readChunks(file, gunzip, size, true, null, () => filled, onLine, options);
  } catch (error) {
    if (error instanceof LogFileError || options.signal?.aborted) throw error;
    throw readError(file, true, error);
  } finally {
    gunzip.destroy();
    smallGzipBuffer.release(compressed, !gunzip.readableEnded);
    await handle.close();
  }
}

/** Delivers the lines of a stream of chunks (inflated or plain) up to the range's end or the inflate cap. */
async function readChunks(
  file: string,
  stream: AsyncIterable<Buffer>,
  size: number,
  gzip: boolean,
  cut: RangeCut | null,
  bytesRead: () => number,
  onLine: LineSpanHandler,
  options: LineReadOptions,
): Promise<LineFileStats> {
  const cutter = newLineCutter(onLine, options);
  const inflatedCap = gzip ? (options.maxInflatedBytes ?? inflatedCapBytes(size)) : Infinity;
  let inflated = 0;
  const stats = (): LineFileStats => ({ ...cutter.counts(), bytes: bytesRead(), gzip });
  try {
    for await (const chunk of stream) {
      options.signal?.throwIfAborted();
      await cutter.push(cut ? cut.take(chunk) : chunk);
      if (cutter.stopped) break;
      inflated += chunk.length;
      if (inflated >= inflatedCap)
        throw inflatedCapError(file, inflatedCap, options.maxInflatedBytes === undefined ? size : null, stats());
      if (cut?.done) break;
    }
    if (!cut?.done && !cutter.stopped) cutter.end();
  } catch (error) {
    if (error instanceof LogFileError || options.signal?.aborted) throw error;
    throw readError(file, gzip, error);
  }
  return stats();
}

/** forEachLineSpan for a plain file, with blocking reads into one reused buffer (LineReadOptions.blockingReads). */
async function readPlainBlocking(
  file: string,
  handle: FileHandle,
  size: number,
  readFrom: number,
  onLine: LineSpanHandler,
  range: ByteRange | undefined,
  options: LineReadOptions,
): Promise<LineFileStats> {
  const cutter = newLineCutter(onLine, options);
  const cut = range ? new RangeCut(range, readFrom) : null;
  // Reused: the cutter copies what it keeps of a chunk, and each chunk is done with before the next read.
  const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  let position = readFrom;
  try {
    // A plain file is read to the size it had when opened: one still being written does not run on.
    while (position < size) {
      options.signal?.throwIfAborted();
      const bytesRead = readSync(handle.fd, buffer, 0, Math.min(CHUNK_BYTES, size - position), position);
      if (bytesRead === 0) break;
      position += bytesRead;
      const chunk = buffer.subarray(0, bytesRead);
      await cutter.push(cut ? cut.take(chunk) : chunk);
      if (cutter.stopped || cut?.done) break;
    }
    if (!cut?.done && !cutter.stopped) cutter.end();
  } catch (error) {
    if (error instanceof LogFileError || options.signal?.aborted) throw error;
    throw readError(file, false, error);
  } finally {
    await handle.close();
  }
  return { ...cutter.counts(), bytes: position - readFrom, gzip: false };
}

/**
 * A pause between pieces of work: a promise that resolves on the next turn of the event loop
 * once YIELD_EVERY_MS of work has run since the last one (then the abort signal is checked
 * again), else nothing, so the common case costs no await.
 */
function eventLoopYielder(signal: AbortSignal | undefined): () => Promise<void> | undefined {
  let lastYieldMs = performance.now();
  return () => {
    if (performance.now() - lastYieldMs < YIELD_EVERY_MS) return undefined;
    return passThroughEventLoop().then(() => {
      signal?.throwIfAborted();
      lastYieldMs = performance.now();
    });
  };
}

/**
 * Resumes after one full turn of the event loop, timers and I/O callbacks (a Slack ack) included.
 * Called from an I/O callback (a stream's data), one setImmediate resumes in the same turn's
 * check phase, before any of them; the second one resumes only after they had their turn.
 */
async function passThroughEventLoop(): Promise<void> {
  await yieldToEventLoop();
  await yieldToEventLoop();
}

/** `compressed` is the file's size when the cap is the default one (null: set by the caller). */
function inflatedCapError(
  file: string,
  cap: number,
  compressed: number | null,
  stats: LineFileStats,
): LogFileLimitError {
  const why =
    compressed === null
      ? 'the cap set for this read'
      : `the cap for a ${formatBytes(compressed)} .gz (${INFLATED_RATIO}× its size, at least ${formatBytes(INFLATED_FLOOR_BYTES)}, at most ${formatBytes(INFLATED_CEILING_BYTES)})`;
  return new LogFileLimitError(
    `${printableText(file)}: stopped reading at ${formatBytes(cap)} of decompressed text, ${why}; its first ${stats.lineCount} lines were read.`,
    stats,
    'Log text compresses 5–20×: check that this is a log file, or split it.',
  );
}

function formatBytes(bytes: number): string {
  if (bytes >= 1 << 30) return `${+(bytes / (1 << 30)).toFixed(1)} GiB`;
  if (bytes >= 1 << 20) return `${+(bytes / (1 << 20)).toFixed(1)} MiB`;
  if (bytes >= 1 << 10) return `${+(bytes / (1 << 10)).toFixed(1)} KiB`;
  return `${bytes} bytes`;
}

function newLineCutter(onLine: LineSpanHandler, options: LineReadOptions): LineCutter {
  return new LineCutter(
    onLine,
    options.maxLineBytes ?? MAX_LINE_BYTES,
    eventLoopYielder(options.signal),
    options.onAsciiText,
  );
}

/**
 * Cuts chunks into lines. A line split across chunks is carried (at most maxLineBytes of it,
 * gathered once at its end, so a long line costs linear time); a longer one is counted and
 * skipped up to its end. A \r that ends a chunk may be the first half of a \r\n.
 */
class LineCutter {
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
class RangeCut {
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

// O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer, forever.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/** Opens a regular file (refusing FIFOs, sockets, devices and directories) and reads its magic bytes. */
async function openRegularFile(file: string): Promise<{ handle: FileHandle; size: number; gzip: boolean }> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(file, OPEN_FLAGS);
    const info = await handle.stat();
    if (!info.isFile()) throw new LogFileError(`${printableText(file)} is ${describeFileType(info)}, not a log file.`);
    const magic = Buffer.alloc(2);
    const { bytesRead } = await handle.read(magic, 0, 2, 0);
    return { handle, size: info.size, gzip: bytesRead === 2 && magic[0] === 0x1f && magic[1] === 0x8b };
  } catch (error) {
    await handle?.close();
    throw error instanceof LogFileError ? error : readError(file, false, error);
  }
}

/** "a directory", "a FIFO (named pipe)", …: what a path is when it is not a regular file. */
export function describeFileType(info: {
  isDirectory(): boolean;
  isFIFO(): boolean;
  isSocket(): boolean;
  isCharacterDevice(): boolean;
  isBlockDevice(): boolean;
  isSymbolicLink(): boolean;
}): string {
  if (info.isDirectory()) return 'a directory';
  if (info.isFIFO()) return 'a FIFO (named pipe)';
  if (info.isSocket()) return 'a socket';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device';
  if (info.isSymbolicLink()) return 'a symbolic link';
  return 'not a regular file';
}

/** True when the file starts with gzip's magic bytes (whatever it is called). Only regular files are opened. */
export async function isGzip(file: string): Promise<boolean> {
  const { handle, gzip } = await openRegularFile(file);
  await handle.close();
  return gzip;
}

function readError(file: string, gzip: boolean, error: unknown): LogFileError {
  const name = printableText(file);
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new LogFileError(`Log file not found: ${name}.`, undefined, { cause: error });
  if (code === 'EACCES')
    return new LogFileError(`Cannot read ${name}: permission denied.`, undefined, { cause: error });
  if (code === 'EISDIR')
    return new LogFileError(`${name} is a directory, not a log file.`, undefined, { cause: error });
  const reason = printableText(error instanceof Error ? error.message : String(error));
  if (gzip || code?.startsWith('Z_')) {
    return new LogFileError(
      `${name} is a corrupt or truncated .gz file (${reason}).`,
      'Download it again from S3, or leave it out.',
      { cause: error },
    );
  }
  return new LogFileError(`Cannot read ${name}: ${reason}`, undefined, { cause: error });
}
