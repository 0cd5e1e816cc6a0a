import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { isAscii } from 'node:buffer';
import { createGunzip } from 'node:zlib';
import { LogFileError } from '../errors.js';

/** Called once per non-empty line, with its 1-based line number in the (decompressed) file. */
export type LineHandler = (line: string, lineNumber: number) => void;

export interface LineFileStats {
  /** Non-empty lines. */
  lines: number;
  /** Bytes read from disk (compressed size for .gz). */
  bytes: number;
  gzip: boolean;
}

const CHUNK_BYTES = 1 << 20;

/**
 * Streams a log file line by line in constant memory, plain or gzip (detected by its magic
 * bytes, not its name: S3 objects are often renamed). A corrupt or truncated .gz is a
 * LogFileError naming the file; the lines before the damage have already been delivered.
 *
 * Speed matters here (millions of lines): each chunk is cut at its last newline *in bytes*,
 * so no UTF-8 sequence is ever split, and a chunk that is pure ASCII (almost all log data) is
 * decoded as latin1, which is a plain copy, instead of through the much slower UTF-8 decoder.
 */
export async function forEachLine(file: string, onLine: LineHandler): Promise<LineFileStats> {
  const gzip = await isGzip(file);
  const raw = createReadStream(file, { highWaterMark: CHUNK_BYTES });
  const stream = gzip ? raw.pipe(createGunzip({ chunkSize: CHUNK_BYTES })) : raw;
  if (gzip) raw.on('error', (error) => stream.destroy(error));
  const state = { lineNumber: 0, lines: 0 };
  let carry: Buffer | null = null;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const bytes: Buffer = carry ? Buffer.concat([carry, chunk]) : chunk;
      const lastNewline = bytes.lastIndexOf(10);
      if (lastNewline === -1) {
        carry = bytes;
        continue;
      }
      deliverLines(state, decode(bytes.subarray(0, lastNewline + 1)), onLine);
      carry = lastNewline + 1 < bytes.length ? Buffer.from(bytes.subarray(lastNewline + 1)) : null;
    }
    if (carry) deliverLines(state, decode(carry), onLine);
  } catch (error) {
    throw readError(file, gzip, error);
  }
  return { lines: state.lines, bytes: raw.bytesRead, gzip };
}

function decode(bytes: Buffer): string {
  return bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8');
}

function deliverLines(state: { lineNumber: number; lines: number }, text: string, onLine: LineHandler): void {
  let start = 0;
  for (let newline = text.indexOf('\n'); newline !== -1; newline = text.indexOf('\n', start)) {
    emit(state, text, start, newline, onLine);
    start = newline + 1;
  }
  if (start < text.length) emit(state, text, start, text.length, onLine);
}

function emit(state: { lineNumber: number; lines: number }, text: string, start: number, end: number, onLine: LineHandler): void {
  state.lineNumber++;
  const stop = end > start && text.charCodeAt(end - 1) === 13 /* \r */ ? end - 1 : end;
  if (stop === start || isBlank(text, start, stop)) return;
  state.lines++;
  onLine(text.slice(start, stop), state.lineNumber);
}

/** True when text[start, end) is only spaces and tabs (checked without allocating a substring). */
function isBlank(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code !== 32 && code !== 9) return false;
  }
  return true;
}

async function isGzip(file: string): Promise<boolean> {
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
  if (gzip || code?.startsWith('Z_')) {
    const reason = error instanceof Error ? error.message : String(error);
    return new LogFileError(
      `${file} is a corrupt or truncated .gz file (${reason}).`,
      'Download it again from S3, or leave it out.',
      { cause: error },
    );
  }
  const reason = error instanceof Error ? error.message : String(error);
  return new LogFileError(`Cannot read ${file}: ${reason}`, undefined, { cause: error });
}
