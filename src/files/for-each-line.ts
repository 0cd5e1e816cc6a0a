import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { isAscii } from 'node:buffer';
import { createGunzip } from 'node:zlib';
import { LogFileError } from '../errors.js';

/** Called once per non-empty line, with its 1-based line number in the (decompressed) file. */
export type LineHandler = (line: string, lineNumber: number) => void;

/**
 * The same, without cutting the line out: it is `text[start, end)` (CR and newline excluded).
 * For hot paths that parse in place and would otherwise allocate a string per line.
 */
export type LineSpanHandler = (text: string, start: number, end: number, lineNumber: number) => void;

/**
 * A byte range of a plain file, for reading one file in parallel pieces. A piece owns the lines
 * that start inside [start, end): it skips the partial line it starts in (the previous piece
 * owns it) and reads past `end` to finish its last line.
 */
export interface ByteRange {
  start: number;
  end: number;
}

export interface LineFileStats {
  /** Non-empty lines. */
  lines: number;
  /** All lines, blank ones included: what the next piece's line numbers start after. */
  lineCount: number;
  /** Bytes read from disk (compressed size for .gz). */
  bytes: number;
  gzip: boolean;
}

const CHUNK_BYTES = 512 << 10;
/**
 * Text is decoded in pieces below V8's large-object threshold (128 KiB): a larger string would
 * be allocated in large-object space, survive until a full GC, and pile up dead chunks in
 * memory; small ones die young. Reads stay large (fewer stream round trips).
 */
const DECODE_BYTES = 120 << 10;

/**
 * Streams a log file line by line in constant memory, plain or gzip (detected by its magic
 * bytes, not its name: S3 objects are often renamed). A corrupt or truncated .gz is a
 * LogFileError naming the file; the lines before the damage have already been delivered.
 *
 * Speed matters here (millions of lines): each chunk is cut at its last newline *in bytes*,
 * so no UTF-8 sequence is ever split, and a chunk that is pure ASCII (almost all log data) is
 * decoded as latin1, which is a plain copy, instead of through the much slower UTF-8 decoder.
 */
export function forEachLine(file: string, onLine: LineHandler, range?: ByteRange): Promise<LineFileStats> {
  return forEachLineSpan(file, (text, start, end, lineNumber) => onLine(text.slice(start, end), lineNumber), range);
}

/** forEachLine, delivering each line as a span of a larger decoded text (see LineSpanHandler). */
export async function forEachLineSpan(file: string, onLine: LineSpanHandler, range?: ByteRange): Promise<LineFileStats> {
  const gzip = await isGzip(file);
  if (range && gzip) throw new LogFileError(`${file}: a .gz file cannot be read from the middle.`);
  const readFrom = range && range.start > 0 ? range.start - 1 : 0;
  const raw = createReadStream(file, { highWaterMark: CHUNK_BYTES, start: readFrom });
  const stream = gzip ? raw.pipe(createGunzip({ chunkSize: CHUNK_BYTES })) : raw;
  if (gzip) raw.on('error', (error) => stream.destroy(error));
  const state = { lineNumber: 0, lines: 0 };
  const cut = range ? new RangeCut(range, readFrom) : null;
  let carry: Buffer | null = null;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      let bytes = cut ? cut.take(chunk) : chunk;
      if (carry) {
        // Finish the carried line with this chunk's first line only: copying the whole chunk
        // onto the carry would cost a copy of every byte read.
        const firstNewline = bytes.indexOf(10);
        if (firstNewline === -1) {
          carry = Buffer.concat([carry, bytes]);
          if (cut?.done) break;
          continue;
        }
        deliverLines(state, decode(Buffer.concat([carry, bytes.subarray(0, firstNewline + 1)])), onLine);
        carry = null;
        bytes = bytes.subarray(firstNewline + 1);
      }
      const lastNewline = bytes.lastIndexOf(10);
      if (lastNewline === -1) {
        carry = bytes.length > 0 ? bytes : null;
        if (cut?.done) break;
        continue;
      }
      deliverDecoded(state, bytes, lastNewline + 1, onLine);
      carry = lastNewline + 1 < bytes.length ? Buffer.from(bytes.subarray(lastNewline + 1)) : null;
      if (cut?.done) break;
    }
    if (carry) deliverLines(state, decode(carry), onLine);
  } catch (error) {
    throw readError(file, gzip, error);
  }
  return { lines: state.lines, lineCount: state.lineNumber, bytes: raw.bytesRead, gzip };
}

/** Trims a ranged read's chunks to whole lines: drops the partial first line, stops after the last. */
class RangeCut {
  done = false;
  private offset: number;
  private skipping: boolean;

  constructor(
    private readonly range: ByteRange,
    readFrom: number,
  ) {
    this.offset = readFrom;
    this.skipping = range.start > 0;
  }

  take(chunk: Buffer): Buffer {
    if (this.done) return chunk.subarray(0, 0);
    let from = 0;
    const chunkStart = this.offset;
    this.offset += chunk.length;
    if (this.skipping) {
      // We read from start - 1: the first newline ends the line the previous piece owns.
      const newline = chunk.indexOf(10);
      if (newline === -1) return chunk.subarray(0, 0);
      from = newline + 1;
      this.skipping = false;
      if (chunkStart + from >= this.range.end) {
        // The first whole line starts at or past the end: this piece owns no line at all.
        this.done = true;
        return chunk.subarray(0, 0);
      }
    }
    // The last line this piece owns starts at or before end - 1; it ends at the next newline.
    const lastOwnedByte = this.range.end - 1;
    if (this.offset - 1 >= lastOwnedByte) {
      const newline = chunk.indexOf(10, Math.max(from, lastOwnedByte - chunkStart));
      if (newline !== -1) {
        this.done = true;
        return chunk.subarray(from, newline + 1);
      }
    }
    return chunk.subarray(from);
  }
}

/** Decodes bytes[0, end) — whole lines — in pieces that end at a newline, and delivers their lines. */
function deliverDecoded(state: { lineNumber: number; lines: number }, bytes: Buffer, end: number, onLine: LineSpanHandler): void {
  let start = 0;
  while (start < end) {
    let stop = end;
    if (end - start > DECODE_BYTES) {
      const newline = bytes.lastIndexOf(10, start + DECODE_BYTES - 1);
      // A line longer than a piece is decoded whole.
      stop = newline >= start ? newline + 1 : bytes.indexOf(10, start + DECODE_BYTES) + 1 || end;
    }
    deliverLines(state, decode(bytes.subarray(start, stop)), onLine);
    start = stop;
  }
}

function decode(bytes: Buffer): string {
  return bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8');
}

function deliverLines(state: { lineNumber: number; lines: number }, text: string, onLine: LineSpanHandler): void {
  let start = 0;
  for (let newline = text.indexOf('\n'); newline !== -1; newline = text.indexOf('\n', start)) {
    emit(state, text, start, newline, onLine);
    start = newline + 1;
  }
  if (start < text.length) emit(state, text, start, text.length, onLine);
}

function emit(state: { lineNumber: number; lines: number }, text: string, start: number, end: number, onLine: LineSpanHandler): void {
  state.lineNumber++;
  const stop = end > start && text.charCodeAt(end - 1) === 13 /* \r */ ? end - 1 : end;
  if (stop === start || isBlank(text, start, stop)) return;
  state.lines++;
  onLine(text, start, stop, state.lineNumber);
}

/** True when text[start, end) is only spaces and tabs (checked without allocating a substring). */
function isBlank(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code !== 32 && code !== 9) return false;
  }
  return true;
}

/** True when the file starts with gzip's magic bytes (whatever it is called). */
export async function isGzip(file: string): Promise<boolean> {
  let handle;
  try {
    handle = await open(file, 'r');
    const magic = Buffer.alloc(2);
    const { bytesRead } = await handle.read(magic, 0, 2, 0);
    return bytesRead === 2 && magic[0] === 0x1f && magic[1] === 0x8b;
  } catch (error) {
    throw readError(file, false, error);
  } finally {
    await handle?.close();
  }
}

function readError(file: string, gzip: boolean, error: unknown): LogFileError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new LogFileError(`Log file not found: ${file}.`, undefined, { cause: error });
  if (code === 'EACCES') return new LogFileError(`Cannot read ${file}: permission denied.`, undefined, { cause: error });
  if (code === 'EISDIR') return new LogFileError(`${file} is a directory, not a log file.`, undefined, { cause: error });
  const reason = error instanceof Error ? error.message : String(error);
  if (gzip || code?.startsWith('Z_')) {
    return new LogFileError(
      `${file} is a corrupt or truncated .gz file (${reason}).`,
      'Download it again from S3, or leave it out.',
      { cause: error },
    );
  }
  return new LogFileError(`Cannot read ${file}: ${reason}`, undefined, { cause: error });
}
