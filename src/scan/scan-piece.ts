import { stat } from 'node:fs/promises';
import { forEachLine, forEachLineSpan, isGzip } from '../files/for-each-line.js';
import { newLbLineSummary, summarizeLbLineAt } from '../parsers/alb-line.js';
import { parseProxyLine } from '../parsers/proxy-line.js';
import { MAX_REPORTED_MALFORMED } from '../files/malformed-reporter.js';
import { LogFileError } from '../errors.js';
import { AlbScanTally, type AlbScanJson, ProxyScanTally, type ProxyScanJson } from './scan-tally.js';

export type LogFormat = 'alb' | 'proxy';

/** A unit of scanning work: a whole file, or a byte range of a large plain file. */
export interface ScanPiece {
  id: number;
  file: string;
  format: LogFormat;
  range: { start: number; end: number } | null;
}

export interface PieceResult {
  id: number;
  /** All lines of the piece, blank ones included (to number the next piece's lines). */
  lineCount: number;
  tally: AlbScanJson | ProxyScanJson;
  /** The piece's first malformed lines, numbered within the piece. */
  malformed: Array<{ lineNumber: number; reason: string }>;
  /** Why the piece could not be read to the end (a corrupt .gz); its lines up to there count. */
  error?: string;
}

/** Plain files above this size are split so that every core gets a share of one big file. */
const PIECE_BYTES = 32 << 20;

export async function planPieces(files: { file: string; format: LogFormat }[]): Promise<ScanPiece[]> {
  const pieces: ScanPiece[] = [];
  for (const { file, format } of files) {
    const { size } = await stat(file);
    if (size <= PIECE_BYTES * 1.5 || (await isGzip(file))) {
      pieces.push({ id: pieces.length, file, format, range: null });
      continue;
    }
    for (let start = 0; start < size; start += PIECE_BYTES) {
      pieces.push({ id: pieces.length, file, format, range: { start, end: Math.min(size, start + PIECE_BYTES) } });
    }
  }
  return pieces;
}

/**
 * Scans one piece: the same parsers and tallies as everywhere else. A file that cannot be read
 * to the end (a corrupt .gz) does not stop the scan: the piece reports how far it got and why.
 */
export async function scanPiece(piece: ScanPiece, utcOffsetMinutes: number): Promise<PieceResult> {
  const malformed: PieceResult['malformed'] = [];
  const noteMalformed = (lineNumber: number, reason: string) => {
    if (malformed.length < MAX_REPORTED_MALFORMED) malformed.push({ lineNumber, reason });
  };
  const range = piece.range ?? undefined;
  const alb = new AlbScanTally();
  const proxy = new ProxyScanTally();
  const summary = newLbLineSummary();
  const options = { utcOffsetMinutes };
  let lineCount = 0;
  let error: string | undefined;
  try {
    const stats =
      piece.format === 'alb'
        ? await forEachLineSpan(piece.file, (text, start, end, lineNumber) => {
            const entry = summarizeLbLineAt(text, start, end, summary);
            alb.add(entry);
            if (entry.kind === 'malformed') noteMalformed(lineNumber, entry.reason);
          }, range)
        : await forEachLine(piece.file, (line, lineNumber) => {
            const entry = parseProxyLine(line, options);
            proxy.add(entry);
            if (entry.kind === 'malformed') noteMalformed(lineNumber, entry.reason);
          }, range);
    lineCount = stats.lineCount;
  } catch (failure) {
    if (!(failure instanceof LogFileError)) throw failure;
    error = failure.message;
  }
  const tally = piece.format === 'alb' ? alb.toJson() : proxy.toJson();
  return { id: piece.id, lineCount, tally, malformed, ...(error ? { error } : {}) };
}
