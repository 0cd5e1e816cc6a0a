import { stat } from 'node:fs/promises';
import { LogFileError } from '../errors.js';
import { forEachLine, forEachLineSpan, isGzip, type LineFileStats } from '../files/for-each-line.js';
import { MAX_REPORTED_MALFORMED } from '../files/malformed-reporter.js';
import { attachLineBytes, newLbLineSummary, summarizeLbLineAt } from '../parsers/alb-line.js';
import { createEdgeLineParser } from '../parsers/edge-line.js';
import { gcpLbRecord } from '../parsers/gcp-lb-entry.js';
import type { GcpLbEntry } from '../parsers/gcp-lb-record.js';
import { JsonEntrySplitter, type SplitPiece } from '../parsers/json-entry-splitter.js';
import { parseProxyLine } from '../parsers/proxy-line.js';
import { malformed } from '../parsers/proxy-record.js';
import { type EdgeScanJson, EdgeScanTally } from './edge-scan-tally.js';
import { type GcpLbScanJson, GcpLbScanTally } from './gcp-lb-scan-tally.js';
import { type AlbScanJson, AlbScanTally, type ProxyScanJson, ProxyScanTally } from './scan-tally.js';

export type LogFormat = 'alb' | 'proxy' | 'edge' | 'gcp-lb';

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
  /** What the tally counted: lines (entries for GCP logs), malformed ones included. */
  entries: number;
  tally: AlbScanJson | ProxyScanJson | EdgeScanJson | GcpLbScanJson;
  /** The piece's first malformed lines, numbered within the piece. */
  malformed: Array<{ lineNumber: number; reason: string }>;
  /** Lines too long to be log lines, skipped unread: how many, and the first (numbered within the piece). */
  overlong: { lines: number; firstLine: number | null };
  /** Why the piece could not be read to the end (a corrupt .gz); its lines up to there count. */
  error?: string;
}

/** Plain files above this size are split so that every core gets a share of one big file. */
const PIECE_BYTES = 32 << 20;

/**
 * Formats whose lines can be read from the middle of a file. A CloudFront file's #Fields line
 * governs the lines after it, and a JSON array spans lines: those files stay whole.
 */
const SPLITTABLE: ReadonlySet<LogFormat> = new Set(['alb', 'proxy']);

export async function planPieces(files: { file: string; format: LogFormat }[]): Promise<ScanPiece[]> {
  const pieces: ScanPiece[] = [];
  for (const { file, format } of files) {
    const { size } = await stat(file);
    if (!SPLITTABLE.has(format) || size <= PIECE_BYTES * 1.5 || (await isGzip(file))) {
      pieces.push({ id: pieces.length, file, format, range: null });
      continue;
    }
    for (let start = 0; start < size; start += PIECE_BYTES) {
      pieces.push({ id: pieces.length, file, format, range: { start, end: Math.min(size, start + PIECE_BYTES) } });
    }
  }
  return pieces;
}

type NoteMalformed = (lineNumber: number, reason: string) => void;

/** `scan` runs on the command line only: no thread of it serves anything while it reads, so plain files are read with blocking reads. */
const BLOCKING = { blockingReads: true } as const;

/**
 * A JSON array export may sit on one line (`jq -c`): Google Cloud load balancer files get a line
 * limit far above the 64 KiB that bounds a log line elsewhere.
 */
const GCP_MAX_LINE_BYTES = 64 << 20;

/**
 * Scans one piece: the same parsers and tallies as everywhere else. A file that cannot be read
 * to the end (a corrupt .gz) does not stop the scan: the piece reports how far it got and why.
 */
export async function scanPiece(piece: ScanPiece, utcOffsetMinutes: number): Promise<PieceResult> {
  const malformedLines: PieceResult['malformed'] = [];
  const noteMalformed: NoteMalformed = (lineNumber, reason) => {
    if (malformedLines.length < MAX_REPORTED_MALFORMED) malformedLines.push({ lineNumber, reason });
  };
  const scanner = SCANNERS[piece.format](piece, utcOffsetMinutes, noteMalformed);
  let stats: LineFileStats | null = null;
  let error: string | undefined;
  try {
    stats = await scanner.read();
  } catch (failure) {
    if (!(failure instanceof LogFileError)) throw failure;
    error = failure.message;
  }
  const { entries, tally } = scanner.result();
  return {
    id: piece.id,
    lineCount: stats?.lineCount ?? 0,
    entries,
    tally,
    malformed: malformedLines,
    overlong: { lines: stats?.overlongLines ?? 0, firstLine: stats?.firstOverlongLine ?? null },
    ...(error ? { error } : {}),
  };
}

interface PieceScanner {
  read(): Promise<LineFileStats>;
  /** The tally so far (also after a failed read). */
  result(): { entries: number; tally: PieceResult['tally'] };
}

type ScannerFactory = (piece: ScanPiece, utcOffsetMinutes: number, noteMalformed: NoteMalformed) => PieceScanner;

const SCANNERS: Record<LogFormat, ScannerFactory> = {
  alb: (piece, _offset, noteMalformed) => {
    const alb = new AlbScanTally();
    const summary = newLbLineSummary();
    return {
      read: () =>
        forEachLineSpan(
          piece.file,
          (text, start, end, lineNumber) => {
            const entry = summarizeLbLineAt(text, start, end, summary);
            alb.add(entry);
            if (entry.kind === 'malformed') noteMalformed(lineNumber, entry.reason);
          },
          piece.range ?? undefined,
          { ...BLOCKING, onAsciiText: attachLineBytes },
        ),
      result: () => ({ entries: alb.lines, tally: alb.toJson() }),
    };
  },
  proxy: (piece, utcOffsetMinutes, noteMalformed) => {
    const proxy = new ProxyScanTally();
    const options = { utcOffsetMinutes };
    return {
      read: () =>
        forEachLine(
          piece.file,
          (line, lineNumber) => {
            const entry = parseProxyLine(line, options);
            proxy.add(entry);
            if (entry.kind === 'malformed') noteMalformed(lineNumber, entry.reason);
          },
          piece.range ?? undefined,
          BLOCKING,
        ),
      result: () => ({ entries: proxy.lines, tally: proxy.toJson() }),
    };
  },
  edge: (piece, _offset, noteMalformed) => {
    const edge = new EdgeScanTally();
    const parse = createEdgeLineParser();
    return {
      read: () =>
        forEachLine(
          piece.file,
          (line, lineNumber) => {
            const entry = parse(line);
            edge.add(entry);
            if (entry.kind === 'malformed') noteMalformed(lineNumber, entry.reason);
          },
          undefined,
          BLOCKING,
        ),
      result: () => ({ entries: edge.lines, tally: edge.toJson() }),
    };
  },
  'gcp-lb': (piece, _offset, noteMalformed) => {
    const gcp = new GcpLbScanTally();
    const splitter = new JsonEntrySplitter();
    const take = (split: SplitPiece) => {
      const entry = gcpEntryOf(split);
      gcp.add(entry);
      if (entry.kind === 'malformed') noteMalformed(split.lineNumber, entry.reason);
    };
    return {
      read: async () => {
        const stats = await forEachLine(
          piece.file,
          (line, lineNumber) => {
            for (const split of splitter.push(line, lineNumber)) take(split);
          },
          undefined,
          { ...BLOCKING, maxLineBytes: GCP_MAX_LINE_BYTES },
        );
        const rest = splitter.finish();
        if (rest !== null) take(rest);
        return stats;
      },
      result: () => ({ entries: gcp.entries, tally: gcp.toJson() }),
    };
  },
};

function gcpEntryOf(split: SplitPiece): GcpLbEntry {
  if (split.kind === 'junk') return malformed('text outside any JSON entry, or a JSON entry cut short');
  let value: unknown;
  try {
    value = JSON.parse(split.text);
  } catch {
    return malformed('invalid JSON (a cut entry?)');
  }
  return gcpLbRecord(value);
}
