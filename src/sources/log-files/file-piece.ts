/**
 * A unit of files-mode reading (a whole file, or a byte range of a large plain one) and what
 * reading it yields, as plain data a worker thread can send back. Both views share this part;
 * each adds its own tally (read-alb-piece.ts, read-proxy-piece.ts).
 */
import type { ByteRange } from '../../files/for-each-line.js';

export interface FilePiece {
  id: number;
  /** Its file's position in the plan's file list. */
  fileIndex: number;
  file: string;
  range: ByteRange | null;
  /**
   * read: parse every line. count: a part of a time-ordered file well before the window, whose
   * lines are only counted, so the next part's malformed lines still get their right numbers.
   */
  mode: 'read' | 'count';
  /** When the read may end before the piece does (a time-ordered file past the window); null: read it all. */
  stop: OrderedStop | null;
}

/**
 * Stop once entries run in time order past `pastMs`: STOP_AFTER_ENTRIES of them in a row, with
 * no entry so far earlier than the latest by more than ORDER_SLACK_MS. A file that goes back in
 * time is read to its end. With `firstAtOrBeforeMs`, only when the piece's first entry is at or
 * before it (a .gz cannot be probed ahead: it must be seen to run through the window itself).
 */
export interface OrderedStop {
  pastMs: number;
  firstAtOrBeforeMs: number | null;
}

export const ORDER_SLACK_MS = 5 * 60_000;
/** One entry past the end could be a clock glitch; this many in a row, in order, are not. */
export const STOP_AFTER_ENTRIES = 200;

/** The window as the readers need it: plain numbers, cheap to send to a worker. */
export interface PieceWindow {
  startMs: number;
  endMs: number;
  minutes: number;
}

export interface MalformedNote {
  /** Numbered within the piece; the merge adds the lines of the file's earlier pieces. */
  lineNumber: number;
  reason: string;
}

export interface PieceError {
  /** For the source's detail: "x.log.gz is a corrupt or truncated .gz file (…)." */
  message: string;
  /** For stderr, whole. */
  warning: string;
  /** The read stopped at a documented cap (its over-long line count is known), not at damage. */
  limit: boolean;
}

/** What every piece read yields, whatever the view. */
export interface PieceTotals {
  id: number;
  /** All lines, blank and over-long ones included: what the next piece's line numbers start after. */
  lineCount: number;
  /** Non-empty lines parsed. */
  lines: number;
  /** Lines in no known shape of the view's format (over-long lines not included). */
  malformed: number;
  /** The first MAX_REPORTED_MALFORMED of them. */
  notes: MalformedNote[];
  /** Lines too long to be log lines; null when a damaged file hid them (as a one-thread read would). */
  overlong: { lines: number; firstLine: number | null } | null;
  /** Valid entries of the view's kind, any time. */
  entries: number;
  inWindow: number;
  /** Earliest and latest entry (epoch ms); null before any. */
  coverage: { firstMs: number; lastMs: number } | null;
  entriesPerMinute: number[];
  /** The read ended early: a time-ordered file went past the window. */
  stoppedEarly: boolean;
  error: PieceError | null;
}
