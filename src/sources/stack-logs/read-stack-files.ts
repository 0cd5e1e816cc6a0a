/**
 * What reading any kind of log files needs besides parsing: the files (skipping what cannot be
 * read, naming it), each line streamed with the hardened reader, damage tolerated, and the
 * honesty of the result — entries per minute, their span, and the holes a busy source's
 * silences reveal. The edge and Google Cloud providers share it.
 */
import { formatCount } from '../../core/format-number.js';
import type { MinuteRange, SourceStatus, TimeWindow } from '../../core/types.js';
import { describeError, LogFileError } from '../../errors.js';
import { detectLineGaps } from '../../evidence/detect-line-gaps.js';
import { minuteIndexOf, windowMinutes, zeroCounts } from '../../evidence/minute-buckets.js';
import { uncoveredMinuteCount } from '../../evidence/minute-coverage.js';
import type { ViewProblem } from '../../evidence/views.js';
import { forEachLine, LogFileLimitError } from '../../files/for-each-line.js';
import { describeSkippedPath, findLogFiles } from '../../files/list-log-files.js';
import type { MalformedLineReporter } from '../../files/malformed-reporter.js';
import { plural } from '../../verdict/judge-context.js';

export interface StackReadDeps {
  warn: (message: string) => void;
  progress?: (message: string) => void;
  signal?: AbortSignal;
}

export interface StackRead {
  files: number;
  lines: number;
  malformed: number;
  /** Entries in the window (any index), of the index, and per minute. */
  inWindow: number;
  forIndex: number;
  entriesPerMinute: number[];
  firstMs: number | null;
  lastMs: number | null;
  unreadable: string[];
  skipped: string[];
}

/** What a line held: an entry (its time, and what to count when it falls in the window), or why it is malformed. */
export type ParsedEntry = { timeMs: number; onWindow: (minute: number) => boolean } | { malformed: string };

/**
 * Reads every file under `paths`, line by line: `perFile()` gives each file its own line parser
 * (a CloudFront #Fields line, a JSON array's open bracket, hold state for the lines after), which
 * returns the entries a line completed — none for a header, several for a one-line array.
 * `onWindow` returns whether the entry belongs to the index.
 */
export async function readStackFiles(
  paths: readonly string[],
  window: TimeWindow,
  what: string,
  deps: StackReadDeps,
  malformedReporter: MalformedLineReporter,
  perFile: () => (line: string, lineNumber: number) => ParsedEntry[],
): Promise<StackRead> {
  const listing = await findLogFiles(paths);
  for (const skipped of listing.skipped) deps.warn(`why502: ${describeSkippedPath(skipped)}`);
  const minutes = windowMinutes(window);
  const startMs = window.start.getTime();
  const read: StackRead = {
    files: listing.files.length,
    lines: 0,
    malformed: 0,
    inWindow: 0,
    forIndex: 0,
    entriesPerMinute: zeroCounts(minutes),
    firstMs: null,
    lastMs: null,
    unreadable: [],
    skipped: listing.skipped.map(describeSkippedPath),
  };
  for (const [i, file] of listing.files.entries()) {
    deps.progress?.(`${what}: ${i + 1}/${listing.files.length} ${file}`);
    const parse = perFile();
    try {
      const stats = await forEachLine(
        file,
        (line, lineNumber) => {
          read.lines++;
          for (const entry of parse(line, lineNumber)) {
            if ('malformed' in entry) {
              read.malformed++;
              malformedReporter.report(file, lineNumber, entry.malformed);
              continue;
            }
            if (read.firstMs === null || entry.timeMs < read.firstMs) read.firstMs = entry.timeMs;
            if (read.lastMs === null || entry.timeMs > read.lastMs) read.lastMs = entry.timeMs;
            const minute = minuteIndexOf(entry.timeMs, startMs, minutes);
            if (minute === -1) continue;
            read.inWindow++;
            read.entriesPerMinute[minute]!++;
            if (entry.onWindow(minute)) read.forIndex++;
          }
        },
        undefined,
        deps.signal ? { signal: deps.signal } : {},
      );
      malformedReporter.reportOverlong(file, stats);
      read.malformed += stats.overlongLines;
    } catch (error) {
      if (!(error instanceof LogFileError)) throw error;
      read.unreadable.push(error.message);
      const upTo = error instanceof LogFileLimitError ? 'up to the cap' : 'up to the damage';
      deps.warn(`why502: ${describeError(error)} Its lines ${upTo} were used; the answer says so.`);
    }
  }
  return read;
}

export interface StackReadResult {
  uncovered: MinuteRange[];
  problem: ViewProblem | null;
  source: SourceStatus;
}

/** The holes, the problem and the source line of a read, as files mode words them. */
export function finishStackRead(read: StackRead, window: TimeWindow, name: string, what: string): StackReadResult {
  const minutes = read.entriesPerMinute.length;
  const counted = `${plural(read.files, 'file')}, ${plural(read.lines, 'line')}, ${formatCount(read.malformed)} malformed, ${formatCount(read.inWindow)} in the window, ${formatCount(read.forIndex)} of them for the index`;
  const fail = (reason: string): StackReadResult => ({
    uncovered: [[0, minutes - 1]],
    problem: { status: 'unavailable', reason },
    source: { name, status: 'failed', detail: `${reason}; ${counted}` },
  });
  if (read.files === 0) return fail(`no files found in the ${what} paths given`);
  if (read.firstMs === null) return fail(`the ${what} given hold no valid entries`);
  if (read.inWindow === 0) return fail(`the ${what} given hold no entry in the window`);
  const gaps = detectLineGaps({
    entriesPerMinute: read.entriesPerMinute,
    entriesBefore: read.firstMs < window.start.getTime(),
    entriesAfter: (read.lastMs ?? 0) >= window.end.getTime(),
    detectCollapse: false,
  });
  const uncovered = gaps.map((gap) => gap.range);
  const utc = (index: number) => new Date(window.start.getTime() + index * 60_000).toISOString().slice(11, 16);
  const holes =
    uncovered.length > 0
      ? `the ${what} given miss ${uncovered.map(([a, b]) => (a === b ? utc(a) : `${utc(a)}–${utc(b)}`)).join(', ')} UTC: those minutes are left out, not counted as zero`
      : '';
  const damaged =
    read.unreadable.length > 0
      ? `${plural(read.unreadable.length, 'file')} could not be read to the end: ${read.unreadable.join('; ')}`
      : '';
  const skipped =
    read.skipped.length > 0 ? `${plural(read.skipped.length, 'path')} skipped: ${read.skipped.join('; ')}` : '';
  const reason = [holes, damaged, skipped].filter(Boolean).join('; ');
  if (!reason) return { uncovered: [], problem: null, source: { name, status: 'complete', detail: counted } };
  if (uncoveredMinuteCount(uncovered) >= minutes) return fail(reason);
  return {
    uncovered,
    problem: { status: 'partial', reason },
    source: { name, status: 'partial', detail: `${reason}; ${counted}` },
  };
}
