import { isMainThread } from 'node:worker_threads';
import { describeError, LogFileError } from '../../errors.js';
import { zeroCounts } from '../../evidence/minute-buckets.js';
import {
  forEachLineSpan,
  type LineFileStats,
  type LineReadOptions,
  type LineSpanHandler,
  LogFileLimitError,
} from '../../files/for-each-line.js';
import { MAX_REPORTED_MALFORMED } from '../../files/malformed-reporter.js';
import {
  type FilePiece,
  type MalformedNote,
  ORDER_SLACK_MS,
  type OrderedStop,
  type PieceError,
  type PieceTotals,
  type PieceWindow,
  STOP_AFTER_ENTRIES,
} from './file-piece.js';

/**
 * The counts every piece keeps while its lines are read, and the decision to stop a
 * time-ordered file early. The view's reader calls `entry(timeMs)` once per valid entry.
 */
export class PieceCounter {
  lines = 0;
  malformed = 0;
  entries = 0;
  inWindow = 0;
  readonly notes: MalformedNote[] = [];
  readonly entriesPerMinute: number[];
  private firstMs = Number.POSITIVE_INFINITY;
  private lastMs = Number.NEGATIVE_INFINITY;
  private lastLineNumber = 0;
  private readonly stop: StopWatch | null;

  constructor(
    piece: FilePiece,
    private readonly window: PieceWindow,
  ) {
    this.entriesPerMinute = zeroCounts(window.minutes);
    this.stop = piece.stop ? new StopWatch(piece.stop) : null;
  }

  /** Call for every delivered line before parsing it. */
  line(lineNumber: number): void {
    this.lines++;
    this.lastLineNumber = lineNumber;
  }

  noteMalformed(lineNumber: number, reason: string): void {
    this.malformed++;
    if (this.notes.length < MAX_REPORTED_MALFORMED) this.notes.push({ lineNumber, reason });
  }

  /** Counts a valid entry; returns its minute in the window, or -1 outside it. */
  entry(timeMs: number): number {
    this.entries++;
    if (timeMs < this.firstMs) this.firstMs = timeMs;
    if (timeMs > this.lastMs) this.lastMs = timeMs;
    this.stop?.see(timeMs);
    const minute = Math.floor((timeMs - this.window.startMs) / 60_000);
    if (minute < 0 || minute >= this.window.minutes) return -1;
    this.inWindow++;
    this.entriesPerMinute[minute]!++;
    return minute;
  }

  /** True once the read may end (see OrderedStop). */
  get done(): boolean {
    return this.stop?.done ?? false;
  }

  totals(id: number, stats: LineFileStats | null, error: PieceError | null): PieceTotals {
    return {
      id,
      lineCount: stats?.lineCount ?? this.lastLineNumber,
      lines: this.lines,
      malformed: this.malformed,
      notes: this.notes,
      overlong: stats ? { lines: stats.overlongLines, firstLine: stats.firstOverlongLine } : null,
      entries: this.entries,
      inWindow: this.inWindow,
      coverage: this.entries > 0 ? { firstMs: this.firstMs, lastMs: this.lastMs } : null,
      entriesPerMinute: this.entriesPerMinute,
      stoppedEarly: this.done,
      error,
    };
  }
}

class StopWatch {
  done = false;
  private seenFirst = false;
  private disabled = false;
  private latestMs = Number.NEGATIVE_INFINITY;
  private pastInARow = 0;

  constructor(private readonly rule: OrderedStop) {}

  see(timeMs: number): void {
    if (this.disabled || this.done) return;
    if (!this.seenFirst) {
      this.seenFirst = true;
      if (this.rule.firstAtOrBeforeMs !== null && timeMs > this.rule.firstAtOrBeforeMs) this.disabled = true;
    }
    if (timeMs < this.latestMs - ORDER_SLACK_MS) this.disabled = true; // not time-ordered: read it all
    if (this.disabled) return;
    if (timeMs > this.latestMs) this.latestMs = timeMs;
    this.pastInARow = timeMs > this.rule.pastMs ? this.pastInARow + 1 : 0;
    if (this.pastInARow >= STOP_AFTER_ENTRIES) this.done = true;
  }
}

/**
 * Reads a piece's lines with the view's handler (which returns true to stop). One damaged
 * download must not cost the whole answer: its lines up to the damage (or up to a size cap)
 * count, and the piece says why it ended; the merge names the file and makes the source partial.
 */
export async function readPieceLines(
  piece: FilePiece,
  onLine: LineSpanHandler,
  signal?: AbortSignal,
  onAsciiText?: LineReadOptions['onAsciiText'],
): Promise<{ stats: LineFileStats | null; error: PieceError | null }> {
  const counting = piece.mode === 'count';
  const handler: LineSpanHandler = counting ? () => {} : onLine;
  try {
    // A worker thread serves nothing else: it reads plain files with blocking reads; this thread may serve Slack.
    const stats = await forEachLineSpan(piece.file, handler, piece.range ?? undefined, {
      blockingReads: !isMainThread,
      ...(signal ? { signal } : {}),
      ...(onAsciiText && !counting ? { onAsciiText } : {}),
    });
    return { stats, error: null };
  } catch (error) {
    if (!(error instanceof LogFileError)) throw error;
    const limit = error instanceof LogFileLimitError;
    const upTo = limit ? 'up to the cap' : 'up to the damage';
    const pieceError = {
      message: error.message,
      warning: `why502: ${describeError(error)} Its lines ${upTo} were used; the answer says so.`,
      limit,
    };
    return { stats: limit ? error.stats : null, error: pieceError };
  }
}
