/**
 * Reading a log file line by line: opening only regular files, plain or gzip by their magic
 * bytes, through a stream, blocking reads (a worker thread's) or one whole read of a small .gz;
 * the caps that bound a read; yielding to the event loop during long ones. The bytes become
 * lines in line-cutter.ts.
 */
import { constants, readSync } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { createGunzip } from 'node:zlib';
import { LogFileError } from '../errors.js';
import { LineCutter, type LineSpanHandler, RangeCut } from './line-cutter.js';
import { printableText } from './printable-text.js';
import { ReusableBuffer } from './reusable-buffer.js';

export type { LineSpanHandler } from './line-cutter.js';

/** Called once per non-empty line, with its 1-based line number in the (decompressed) file. */
export type LineHandler = (line: string, lineNumber: number) => void;

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
 * Parsing runs on the event loop that also acknowledges Slack commands (`serve`): after this
 * much work the read yields, so an ack never waits behind a long read.
 */
const YIELD_EVERY_MS = 10;

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
