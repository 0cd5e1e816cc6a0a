import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
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
 */
export async function forEachLine(file: string, onLine: LineHandler): Promise<LineFileStats> {
  const gzip = await isGzip(file);
  const raw = createReadStream(file, { highWaterMark: CHUNK_BYTES });
  const stream = gzip ? raw.pipe(createGunzip({ chunkSize: CHUNK_BYTES })) : raw;
  if (gzip) raw.on('error', (error) => stream.destroy(error));
  const decoder = new StringDecoder('utf8');
  const state = { carry: '', lineNumber: 0, lines: 0 };
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      deliverLines(state, state.carry + decoder.write(chunk), onLine, false);
    }
    deliverLines(state, state.carry + decoder.end(), onLine, true);
  } catch (error) {
    throw readError(file, gzip, error);
  }
  return { lines: state.lines, bytes: raw.bytesRead, gzip };
}

function deliverLines(
  state: { carry: string; lineNumber: number; lines: number },
  text: string,
  onLine: LineHandler,
  final: boolean,
): void {
  let start = 0;
  for (let newline = text.indexOf('\n'); newline !== -1; newline = text.indexOf('\n', start)) {
    emit(state, text, start, newline, onLine);
    start = newline + 1;
  }
  if (final) {
    if (start < text.length) emit(state, text, start, text.length, onLine);
    state.carry = '';
  } else {
    state.carry = text.slice(start);
  }
}

function emit(state: { lineNumber: number; lines: number }, text: string, start: number, end: number, onLine: LineHandler): void {
  state.lineNumber++;
  const stop = end > start && text.charCodeAt(end - 1) === 13 /* \r */ ? end - 1 : end;
  if (stop === start) return;
  const line = text.slice(start, stop);
  if (line.trim() === '') return;
  state.lines++;
  onLine(line, state.lineNumber);
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
