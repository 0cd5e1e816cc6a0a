/**
 * Reads a view's planned pieces on worker threads (or on this thread for small reads) and folds
 * their results together in piece order, so the merged view is the one a single thread reading
 * the files one after another would have built: the same counts, the same first-seen order of
 * every breakdown's keys, the same malformed lines reported with the same file:line.
 */
import { formatCount } from '../../core/format-number.js';
import type { NodeFile } from '../../evidence/detect-missing-node-files.js';
import { zeroCounts } from '../../evidence/minute-buckets.js';
import type { SkippedPath } from '../../files/list-log-files.js';
import type { MalformedLineReporter } from '../../files/malformed-reporter.js';
import type { PieceKind } from '../../parallel/piece-runners.js';
import type { WorkerChoice } from '../../parallel/worker-count.js';
import { runPieces } from '../../parallel/worker-pool.js';
import type { AlbFileName } from './alb-file-name.js';
import { type Coverage, widen } from './coverage.js';
import type { FilePiece, PieceTotals } from './file-piece.js';
import type { FilePlan } from './plan-file-pieces.js';

/**
 * Below this much work (plain-text bytes; a .gz counts 8× its size) one thread is faster: a
 * worker is ready ~35 ms after it is started from the CLI bundle (~0.2 s through tsx), and one
 * thread reads ~250–300 MB of log text a second (measured on the seed-scale bench), so a read
 * under ~16 MB is over before a second thread could pay for its start.
 */
export const ONE_THREAD_BELOW_BYTES = 16 << 20;

/** What reading a view's files counted, every piece folded in. */
export interface ReadCounts {
  /** Files found (read, trimmed or skipped). */
  files: number;
  lines: number;
  malformed: number;
  /** Valid entries of the source's kind, any time. */
  entries: number;
  inWindow: number;
  forIndex: number;
  coverage: Coverage;
  entriesPerMinute: number[];
  /** Files that could not be read to the end (corrupt or truncated .gz, over a size cap), with why. */
  unreadable: string[];
  /** Paths found but not read (unreadable folders, FIFOs, broken links), with why. */
  skipped: SkippedPath[];
  overlongLines: number;
  /** Files left unread because their S3 name puts them outside the window. */
  skippedByName: number;
  /** Time-ordered files read only around the window (parts skipped, or the read stopped past it). */
  trimmedFiles: number;
  /** Entries read from each S3-named file, for the node-hole detection. */
  nodeFiles: NodeFile[];
}

export interface PieceReadDeps {
  warn: (message: string) => void;
  progress?: (message: string) => void;
  signal?: AbortSignal;
  workers: WorkerChoice;
}

export interface ViewReadSpec<R extends PieceTotals> {
  kind: PieceKind;
  /** "ALB logs", "proxy logs": for progress. */
  label: string;
  context: unknown;
  plan: FilePlan;
  skipped: SkippedPath[];
  minutes: number;
  /** Reads one piece on this thread. */
  readHere: (piece: FilePiece) => Promise<R>;
  /** Folds the view's own tally of one piece in (called in piece order). */
  mergeTally: (result: R) => void;
  intervalOf?: (file: string) => AlbFileName | null;
}

export async function readFilePieces<R extends PieceTotals>(
  spec: ViewReadSpec<R>,
  malformed: MalformedLineReporter,
  deps: PieceReadDeps,
): Promise<ReadCounts> {
  const { plan } = spec;
  const read = newReadCounts(spec, plan);
  const fold = new InOrderFold<R>(spec, read, malformed, deps.warn);
  const progress = deps.progress ? new ReadProgress(spec.label, plan, deps.progress) : null;
  const totalWork = plan.workBytes.reduce((sum, bytes) => sum + bytes, 0);
  const { threads, pinned } = deps.workers;
  const parallel = threads > 1 && (pinned || totalWork >= ONE_THREAD_BELOW_BYTES);
  await runPieces<FilePiece, R>(plan.pieces, {
    kind: spec.kind,
    context: spec.context,
    // In parallel, this thread only hands out pieces and folds results: reading here too would
    // cost ~20% more CPU (its young generation is larger and its heap busier) for ~50 MB less at
    // the peak. A small read runs here alone: a worker would not pay for its start.
    threads: parallel ? threads : 0,
    mainThreadReads: !parallel,
    runHere: spec.readHere,
    onResult: (piece, result) => {
      progress?.pieceDone(piece, result.lines);
      fold.add(result);
    },
    ...(deps.signal ? { signal: deps.signal } : {}),
  });
  fold.finish();
  return read;
}

function newReadCounts(spec: { skipped: SkippedPath[]; minutes: number }, plan: FilePlan): ReadCounts {
  let coverage: Coverage = null;
  for (const timeMs of plan.knownTimesMs) coverage = widen(coverage, timeMs);
  return {
    files: plan.files.length,
    lines: 0,
    malformed: 0,
    entries: 0,
    inWindow: 0,
    forIndex: 0,
    coverage,
    entriesPerMinute: zeroCounts(spec.minutes),
    unreadable: [],
    skipped: spec.skipped,
    overlongLines: 0,
    skippedByName: plan.skippedByName,
    trimmedFiles: plan.trimmedFiles,
    nodeFiles: [],
  };
}

/** Folds piece results into the read counts in piece order, whatever order they arrive in. */
class InOrderFold<R extends PieceTotals> {
  private readonly waiting = new Map<number, R>();
  private next = 0;
  /** The file being folded: its lines so far (to number the next piece's), entries, over-long lines and errors. */
  private file = {
    index: -1,
    lineOffset: 0,
    entries: 0,
    overlongLines: 0,
    firstOverlong: null as number | null,
    overlongKnown: false,
    errors: [] as R['error'][],
  };
  private readonly lastPieceOfFile = new Map<number, number>();

  constructor(
    private readonly spec: ViewReadSpec<R>,
    private readonly read: ReadCounts,
    private readonly malformed: MalformedLineReporter,
    private readonly warn: (message: string) => void,
  ) {
    for (const piece of spec.plan.pieces) this.lastPieceOfFile.set(piece.fileIndex, piece.id);
  }

  add(result: R): void {
    this.waiting.set(result.id, result);
    for (let ready = this.waiting.get(this.next); ready; ready = this.waiting.get(this.next)) {
      this.waiting.delete(this.next);
      this.fold(this.spec.plan.pieces[this.next]!, ready);
      this.next++;
    }
  }

  finish(): void {
    if (this.next !== this.spec.plan.pieces.length)
      throw new Error(`${this.spec.plan.pieces.length - this.next} pieces of the ${this.spec.label} were never read`);
  }

  private fold(piece: FilePiece, result: R): void {
    if (piece.fileIndex !== this.file.index)
      this.file = {
        index: piece.fileIndex,
        lineOffset: 0,
        entries: 0,
        overlongLines: 0,
        firstOverlong: null,
        overlongKnown: false,
        errors: [],
      };
    const file = this.file;
    const read = this.read;
    read.lines += result.lines;
    read.malformed += result.malformed;
    read.entries += result.entries;
    read.inWindow += result.inWindow;
    for (let i = 0; i < read.entriesPerMinute.length; i++) read.entriesPerMinute[i]! += result.entriesPerMinute[i]!;
    if (result.coverage) read.coverage = widen(widen(read.coverage, result.coverage.firstMs), result.coverage.lastMs);
    for (const note of result.notes) this.malformed.report(piece.file, note.lineNumber + file.lineOffset, note.reason);
    this.malformed.count += result.malformed - result.notes.length; // past the first few, only counted
    if (result.overlong) {
      file.overlongKnown = true;
      if (file.firstOverlong === null && result.overlong.firstLine !== null)
        file.firstOverlong = result.overlong.firstLine + file.lineOffset;
      file.overlongLines += result.overlong.lines;
    }
    if (result.error) file.errors.push(result.error);
    file.lineOffset += result.lineCount;
    file.entries += result.entries;
    this.spec.mergeTally(result);
    if (this.lastPieceOfFile.get(piece.fileIndex) === piece.id) this.finishFile(piece.file);
  }

  /** What a one-thread read says after a file: why it ended early, then its over-long lines. */
  private finishFile(path: string): void {
    const file = this.file;
    for (const error of file.errors) {
      this.read.unreadable.push(error!.message);
      this.warn(error!.warning);
    }
    if (file.overlongKnown) {
      this.malformed.reportOverlong(path, { overlongLines: file.overlongLines, firstOverlongLine: file.firstOverlong });
      this.read.overlongLines += file.overlongLines;
      this.read.malformed += file.overlongLines;
    }
    const name = this.spec.intervalOf?.(path);
    if (name) this.read.nodeFiles.push({ ...name, entries: file.entries });
  }
}

/** "ALB logs: 412/1,036 files · 7.1M lines · about 8 s left", at most a few times a second. */
class ReadProgress {
  private readonly startedMs = performance.now();
  private lastShownMs = 0;
  private doneWork = 0;
  private lines = 0;
  private filesDone = 0;
  private readonly totalWork: number;
  private readonly piecesLeft = new Map<number, number>();
  private readonly workOf: readonly number[];
  private readonly filesTotal: number;

  constructor(
    private readonly label: string,
    plan: FilePlan,
    private readonly show: (message: string) => void,
  ) {
    this.workOf = plan.workBytes;
    this.totalWork = plan.workBytes.reduce((sum, bytes) => sum + bytes, 0);
    for (const piece of plan.pieces)
      this.piecesLeft.set(piece.fileIndex, (this.piecesLeft.get(piece.fileIndex) ?? 0) + 1);
    this.filesTotal = this.piecesLeft.size;
    show(`${label}: reading ${formatCount(this.filesTotal)} ${this.filesTotal === 1 ? 'file' : 'files'}…`);
  }

  pieceDone(piece: FilePiece, lines: number): void {
    this.doneWork += this.workOf[piece.id] ?? 0;
    this.lines += lines;
    const left = this.piecesLeft.get(piece.fileIndex)! - 1;
    this.piecesLeft.set(piece.fileIndex, left);
    if (left === 0) this.filesDone++;
    const nowMs = performance.now();
    if (nowMs - this.lastShownMs < 250 && this.filesDone < this.filesTotal) return;
    this.lastShownMs = nowMs;
    this.show(
      `${this.label}: ${formatCount(this.filesDone)}/${formatCount(this.filesTotal)} files · ${formatLines(this.lines)} lines${this.eta(nowMs)}`,
    );
  }

  private eta(nowMs: number): string {
    const elapsedMs = nowMs - this.startedMs;
    if (elapsedMs < 1000 || this.doneWork === 0 || this.doneWork >= this.totalWork) return '';
    const leftSeconds = Math.ceil(((this.totalWork - this.doneWork) / this.doneWork) * (elapsedMs / 1000));
    return ` · about ${leftSeconds >= 90 ? `${Math.round(leftSeconds / 60)} min` : `${leftSeconds} s`} left`;
  }
}

function formatLines(lines: number): string {
  if (lines >= 1e6) return `${(lines / 1e6).toFixed(1)}M`;
  if (lines >= 1e4) return `${Math.round(lines / 1e3)}k`;
  return formatCount(lines);
}
