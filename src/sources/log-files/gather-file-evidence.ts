/**
 * Files mode: the access-log view and the proxy view filled from log files a user downloaded,
 * read streaming in constant memory on every core (read-file-pieces.ts: worker threads read
 * pieces, this thread merges them exactly), only as much of them as the window needs
 * (plan-file-pieces.ts), then combined with whatever else the investigation has.
 */

import { formatCount } from '../../core/format-number.js';
import { type AccessLogSample, MAX_SAMPLES } from '../../core/report.js';
import type { Evidence, InvestigationCommand, MinuteRange, SourceStatus } from '../../core/types.js';
import { nearestSamples } from '../../evidence/access-log-samples.js';
import { type AlbCounts, emptyAlbCounts, mergeAlbCounts } from '../../evidence/alb-counts.js';
import { detectClockShiftMinutes, formatOffset } from '../../evidence/clock-shift.js';
import { combineViews } from '../../evidence/combine-views.js';
import { detectLineGaps } from '../../evidence/detect-line-gaps.js';
import { detectMissingNodeFiles, type NodeFile } from '../../evidence/detect-missing-node-files.js';
import type { IndexSelector } from '../../evidence/index-matcher.js';
import { windowMinutes } from '../../evidence/minute-buckets.js';
import { uncoveredMinuteCount, unionRanges } from '../../evidence/minute-coverage.js';
import { answeredAtMs, ProxyTally } from '../../evidence/proxy-tally.js';
import {
  type AbsentView,
  type AccessLogView,
  absentView,
  failedView,
  type ProxyView,
  type ViewProblem,
} from '../../evidence/views.js';
import { describeSkippedPath, findLogFiles, type SkippedPath } from '../../files/list-log-files.js';
import { MalformedLineReporter } from '../../files/malformed-reporter.js';
import { chooseWorkers } from '../../parallel/worker-count.js';
import { parseLbLine } from '../../parsers/alb-line.js';
import { parseProxyLine } from '../../parsers/proxy-line.js';
import { plural } from '../../verdict/judge-context.js';
import { parseAlbFileName } from './alb-file-name.js';
import { type Coverage, describeCoverage } from './coverage.js';
import type { PieceWindow } from './file-piece.js';
import { planFilePieces } from './plan-file-pieces.js';
import { mergeProxyTally } from './proxy-tally-data.js';
import { type AlbPieceContext, type AlbPieceResult, readAlbPiece } from './read-alb-piece.js';
import { type PieceReadDeps, type ReadCounts, readFilePieces } from './read-file-pieces.js';
import { type ProxyPieceContext, type ProxyPieceResult, readProxyPiece } from './read-proxy-piece.js';

export interface FileEvidenceInput {
  command: InvestigationCommand;
  selector: IndexSelector;
  albPaths: readonly string[];
  proxyPaths: readonly string[];
  slowRequestSeconds: number;
  idleTimeoutSeconds: number;
  /** The zone HAProxy wrote its accept dates in (it logs local time without an offset). */
  proxyUtcOffsetMinutes: number;
  /** Index names by target group (the config's indexes), to name a neighbour in a reason. */
  tenantNames?: Record<string, string>;
}

export interface FileEvidenceDeps {
  /** Malformed lines and other warnings, one line each (stderr on the terminal). */
  warn: (message: string) => void;
  /** Progress on long reads. */
  progress?: (message: string) => void;
  /** Stops reading when the job is given up (a timed-out Slack job must not keep burning CPU): the worker threads end too. */
  signal?: AbortSignal;
  /**
   * Threads to read on, used whatever the size of the read; default WHY502_WORKERS, else one per
   * core for reads big enough to gain from them (chooseWorkers). 1 reads on this thread only.
   */
  workers?: number;
  /** Plain files above 1.5 × this many bytes are read in pieces of this size; default 32 MiB (tests make it small). */
  pieceBytes?: number;
}

export const ALB_FILES_SOURCE = 'ALB access logs';
export const PROXY_FILES_SOURCE = 'proxy logs';

/** Reads ALB and proxy log files into the evidence of CONTRACT §3, files-mode column. */
export async function gatherFileEvidence(input: FileEvidenceInput, deps: FileEvidenceDeps): Promise<Evidence> {
  const malformed = new MalformedLineReporter(deps.warn);
  const accessLogs =
    input.albPaths.length > 0
      ? await readAccessLogFiles(input, deps, malformed)
      : absentView('no ALB access logs given (--alb-logs)', [notGiven(ALB_FILES_SOURCE, '--alb-logs')]);
  const reference = 'absent' in accessLogs ? null : accessLogReference(accessLogs);
  const proxy =
    input.proxyPaths.length > 0
      ? await readProxyLogFiles(input, deps, malformed, reference)
      : absentView('no proxy logs given (--proxy-logs)', [notGiven(PROXY_FILES_SOURCE, '--proxy-logs')]);
  malformed.finish();
  return combineViews(
    { accessLogs, proxy, metrics: absentView('CloudWatch metrics are not read in files mode', []) },
    {
      command: input.command,
      idleTimeoutSeconds: input.idleTimeoutSeconds,
      slowRequestSeconds: input.slowRequestSeconds,
      indexTargetGroup: input.selector.targetGroup,
      ...(input.tenantNames ? { tenantNames: input.tenantNames } : {}),
    },
  );
}

/** What the proxy reader needs from the access logs, whichever provider filled them: counts and the span of their entries. */
export interface AccessLogReference {
  counts: AlbCounts;
  coverage: { firstMs: number; lastMs: number } | null;
}

export function accessLogReference(view: AccessLogView & { coverage?: Coverage }): AccessLogReference | null {
  if (!view.counts || view.problem?.status === 'unavailable') return null;
  return { counts: view.counts, coverage: view.coverage ?? null };
}

function notGiven(name: string, flag: string): SourceStatus {
  return { name, status: 'not_configured', detail: `not given (${flag})` };
}

// ---------------------------------------------------------------------------- access logs

/** The access-log view from ALB log files (S3 layout or plain, .gz or not). */
export async function readAccessLogFiles(
  input: FileEvidenceInput,
  deps: FileEvidenceDeps,
  malformed: MalformedLineReporter,
): Promise<(AccessLogView & { coverage: Coverage }) | AbsentView> {
  const window = pieceWindow(input);
  const listing = await listFiles(input.albPaths, deps);
  const plan = await planFilePieces({
    files: listing.files,
    window,
    entryTimeMs: albEntryTimeMs,
    intervalOf: parseAlbFileName,
    ...pieceSize(deps),
  });
  const context: AlbPieceContext = {
    window,
    askedAtMs: input.command.asked.at.getTime(),
    selector: input.selector,
    slowRequestSeconds: input.slowRequestSeconds,
  };
  const counts = emptyAlbCounts(input.command.window);
  let candidates: AccessLogSample[] = [];
  const read = await readFilePieces<AlbPieceResult>(
    {
      kind: 'alb-view',
      label: 'ALB logs',
      context,
      plan,
      skipped: listing.skipped,
      minutes: window.minutes,
      readHere: (piece) => readAlbPiece(piece, context, deps.signal),
      mergeTally: (result) => {
        mergeAlbCounts(counts, result.counts);
        candidates.push(...result.samples);
        // The cut keeps ties in piece order, so cutting as it goes picks what one cut at the end would.
        if (candidates.length > 4 * MAX_SAMPLES) candidates = nearestSamples(candidates, input.command.asked.at);
      },
      intervalOf: parseAlbFileName,
    },
    malformed,
    readDeps(deps),
  );
  read.forIndex = counts.perMinute.requests.reduce((sum, n) => sum + n, 0);
  const finished = finishRead(read, input, 'ALB access logs', { detectCollapse: true, nodeFiles: read.nodeFiles });
  if (finished.problem?.status === 'unavailable')
    return failedView(finished.problem.reason, [sourceStatus(ALB_FILES_SOURCE, read, finished.problem)]);
  return {
    name: ALB_FILES_SOURCE,
    counts,
    uncovered: finished.uncovered,
    problem: finished.problem,
    inWindow: read.inWindow,
    forIndex: read.forIndex,
    samples: nearestSamples(candidates, input.command.asked.at),
    sources: [sourceStatus(ALB_FILES_SOURCE, read, finished.problem)],
    coverage: read.coverage,
  };
}

/** When an ALB line's entry happened (for probing plain files' order), or null when it is no ALB entry. */
function albEntryTimeMs(line: string): number | null {
  const entry = parseLbLine(line);
  return entry.kind === 'alb' ? entry.timeMs : null;
}

// ---------------------------------------------------------------------------- proxy logs

interface ProxyRead {
  tally: ProxyTally;
  read: ReadCounts;
  finished: FinishedRead;
}

/**
 * The proxy view from proxy log files. HAProxy writes its accept date in local time without a
 * zone: read in the wrong zone, its minutes slide against the ALB's. When the access logs
 * (whichever provider filled them) show the same 429s and 5xx at a shift, or the two logs start
 * whole quarter hours apart, the files are read again in the zone that lines them up, and the
 * answer says which offset to set.
 */
export async function readProxyLogFiles(
  input: FileEvidenceInput,
  deps: FileEvidenceDeps,
  malformed: MalformedLineReporter,
  accessLogs: AccessLogReference | null,
): Promise<ProxyView | AbsentView> {
  const listing = await listFiles(input.proxyPaths, deps);
  let proxy = await readProxyFilesOnce(input, deps, malformed, listing, input.proxyUtcOffsetMinutes);
  let note: string | null = null;
  const usable = proxy.finished.problem?.status !== 'unavailable';
  const shift = accessLogs && usable ? proxyClockShift(accessLogs.counts, proxy.tally) : null;
  const offCover =
    accessLogs && !usable && shift === null ? coverageShiftMinutes(accessLogs.coverage, proxy.read.coverage) : null;
  const lag = shift ?? offCover;
  if (lag !== null) {
    const offsetMinutes = input.proxyUtcOffsetMinutes + lag;
    const offset = formatOffset(offsetMinutes);
    const evidence = shift !== null ? 'the same 429s and 5xx, shifted' : 'the two logs start that far apart';
    deps.warn(
      `why502: the proxy logs' times read ${Math.abs(lag)} minutes ${lag > 0 ? 'ahead of' : 'behind'} the ALB's (${evidence}): ` +
        `HAProxy logged local time. Reading them as UTC${offset}; set files.proxyLogUtcOffset: "${offset}" in why502.yml (or --proxy-log-utc-offset ${offset}) to say so.`,
    );
    const quiet = new MalformedLineReporter(() => {}); // the first read already reported them
    const reread = await readProxyFilesOnce(input, deps, quiet, listing, offsetMinutes);
    if (shift !== null || reread.finished.problem?.status !== 'unavailable') {
      proxy = reread;
      note = `times read as UTC${offset} to line up with the ALB (set files.proxyLogUtcOffset)`;
    }
  }
  const { tally, read, finished } = proxy;
  const status = sourceStatus(PROXY_FILES_SOURCE, read, finished.problem, note);
  if (finished.problem?.status === 'unavailable') return failedView(finished.problem.reason, [status]);
  return {
    name: PROXY_FILES_SOURCE,
    signals: tally.toSignals(PROXY_FILES_SOURCE),
    uncovered: finished.uncovered,
    problem: finished.problem,
    inWindow: read.inWindow,
    forIndex: read.forIndex,
    // Files mode judges silences on every index's lines; the ALB's target answers find the rest.
    silenceIsHoleWhenAlbBusy: false,
    sources: [status],
  };
}

async function readProxyFilesOnce(
  input: FileEvidenceInput,
  deps: FileEvidenceDeps,
  malformed: MalformedLineReporter,
  listing: { files: string[]; skipped: SkippedPath[] },
  utcOffsetMinutes: number,
): Promise<ProxyRead> {
  const window = pieceWindow(input);
  const options = { utcOffsetMinutes };
  const plan = await planFilePieces({
    files: listing.files,
    window,
    entryTimeMs: (line) => proxyEntryTimeMs(line, options),
    ...pieceSize(deps),
  });
  const context: ProxyPieceContext = {
    window,
    selector: input.selector,
    slowRequestSeconds: input.slowRequestSeconds,
    utcOffsetMinutes,
  };
  const tally = new ProxyTally(input.command.window);
  let forIndex = 0;
  const read = await readFilePieces<ProxyPieceResult>(
    {
      kind: 'proxy-view',
      label: 'proxy logs',
      context,
      plan,
      skipped: listing.skipped,
      minutes: window.minutes,
      readHere: (piece) => readProxyPiece(piece, context, deps.signal),
      mergeTally: (result) => {
        mergeProxyTally(tally, result.tally);
        forIndex += result.forIndex;
      },
    },
    malformed,
    readDeps(deps),
  );
  read.forIndex = forIndex;
  // A proxy's traffic is one index's (or a few), which can rise and fall on its own: only
  // silences count as holes here; the ALB's target answers find the rest (combineViews).
  const finished = finishRead(read, input, 'proxy logs', { detectCollapse: false, nodeFiles: [] });
  return { tally, read, finished };
}

/** When a proxy line's answer was given (how the view bins it), or null when it is no HTTP answer. */
function proxyEntryTimeMs(line: string, options: { utcOffsetMinutes: number }): number | null {
  const entry = parseProxyLine(line, options);
  return entry.kind === 'malformed' || entry.kind === 'other' ? null : answeredAtMs(entry);
}

/**
 * The minutes by which the proxy's clock reads ahead of the ALB's, when its 429s and 5xx line up
 * with the ALB's target 429s and 5xx only at a shift. Null when the two agree (or there is too
 * little to tell).
 */
function proxyClockShift(counts: AlbCounts, proxy: ProxyTally): number | null {
  const { target429, target5xx } = counts.perMinute;
  const albEvents = target429.map((n, i) => n + target5xx[i]!);
  const proxyEvents = proxy.throttled.map((n, i) => n + proxy.origin5xx[i]!);
  return detectClockShiftMinutes(albEvents, proxyEvents);
}

/**
 * Proxy logs that miss the window entirely while the ALB's cover it, and start a whole number of
 * quarter hours (up to 14 h) after or before the ALB's: HAProxy's local time read as UTC (AEST
 * logs read as UTC land 10 hours late). Null when that is not the picture.
 */
function coverageShiftMinutes(alb: { firstMs: number } | null, proxy: Coverage): number | null {
  if (!alb || !proxy) return null;
  const deltaMinutes = (proxy.firstMs - alb.firstMs) / 60_000;
  const rounded = Math.round(deltaMinutes / 15) * 15;
  if (Math.abs(rounded) < 15 || Math.abs(rounded) > 14 * 60 || Math.abs(deltaMinutes - rounded) > 10) return null;
  return rounded;
}

// ---------------------------------------------------------------------------- reading and its honesty

async function listFiles(
  paths: readonly string[],
  deps: FileEvidenceDeps,
): Promise<{ files: string[]; skipped: SkippedPath[] }> {
  const listing = await findLogFiles(paths);
  for (const skipped of listing.skipped) deps.warn(`why502: ${describeSkippedPath(skipped)}`);
  return listing;
}

function pieceWindow(input: FileEvidenceInput): PieceWindow {
  const { window } = input.command;
  return { startMs: window.start.getTime(), endMs: window.end.getTime(), minutes: windowMinutes(window) };
}

function pieceSize(deps: FileEvidenceDeps): { pieceBytes?: number } {
  return deps.pieceBytes !== undefined ? { pieceBytes: deps.pieceBytes } : {};
}

function readDeps(deps: FileEvidenceDeps): PieceReadDeps {
  return {
    warn: deps.warn,
    workers: chooseWorkers(deps.workers),
    ...(deps.progress ? { progress: deps.progress } : {}),
    ...(deps.signal ? { signal: deps.signal } : {}),
  };
}

interface HoleSearch {
  detectCollapse: boolean;
  nodeFiles: NodeFile[];
}

interface FinishedRead {
  uncovered: MinuteRange[];
  problem: ViewProblem | null;
}

function finishRead(read: ReadCounts, input: FileEvidenceInput, what: string, search: HoleSearch): FinishedRead {
  const minutes = read.entriesPerMinute.length;
  const unavailable = (reason: string): FinishedRead => ({
    uncovered: [[0, minutes - 1]],
    problem: { status: 'unavailable', reason },
  });
  const skipped =
    read.skipped.length > 0
      ? `; ${plural(read.skipped.length, 'path')} skipped: ${read.skipped.map((s) => describeSkippedPath(s)).join('; ')}`
      : '';
  if (read.files === 0) return unavailable(`no files found in the ${what} paths given${skipped}`);
  if (read.coverage === null) {
    const hint =
      read.lines > 0 && read.malformed === read.lines
        ? ` (none of their ${plural(read.lines, 'line')} is in that format: ${what === 'ALB access logs' ? 'are these proxy logs? Give them with --proxy-logs' : 'are these ALB access logs? Give them with --alb-logs'})`
        : '';
    return unavailable(`the ${what} given hold no valid entries${hint}`);
  }
  // Entries on both sides of the window and none inside it measure nothing in it: a silence
  // that long is not a quiet load balancer we can vouch for, it is logs we do not have.
  if (read.inWindow === 0)
    return unavailable(
      `the ${what} given hold no entry in the window (their entries span ${describeCoverage(read.coverage)})`,
    );
  const window = input.command.window;
  const gaps = detectLineGaps({
    entriesPerMinute: read.entriesPerMinute,
    entriesBefore: read.coverage.firstMs < window.start.getTime(),
    entriesAfter: read.coverage.lastMs >= window.end.getTime(),
    detectCollapse: search.detectCollapse,
  });
  const missingNodes = detectMissingNodeFiles(search.nodeFiles, window);
  const uncovered = unionRanges(
    gaps.map((gap) => gap.range),
    missingNodes.map((missing) => missing.range),
  );
  const damaged =
    read.unreadable.length > 0
      ? `${plural(read.unreadable.length, 'file')} could not be read to the end: ${read.unreadable.map((why) => why.replace(/\.$/, '')).join('; ')}`
      : '';
  const holes = uncovered.length > 0 ? describeHoles(uncovered, missingNodes, gaps, window, what) : '';
  const reason = [holes, damaged, skipped.replace(/^; /, '')].filter(Boolean).join('; ');
  if (!reason) return { uncovered: [], problem: null };
  if (uncoveredMinuteCount(uncovered) >= minutes) return unavailable(reason);
  return { uncovered, problem: { status: 'partial', reason } };
}

/** "the ALB access logs given miss 19:30–19:54 UTC (no entries…; node 10.0.1.6's files are missing)" */
function describeHoles(
  uncovered: readonly MinuteRange[],
  missingNodes: ReturnType<typeof detectMissingNodeFiles>,
  gaps: ReturnType<typeof detectLineGaps>,
  window: FileEvidenceInput['command']['window'],
  what: string,
): string {
  const utc = (index: number) => new Date(window.start.getTime() + index * 60_000).toISOString().slice(11, 16);
  const span = ([first, last]: MinuteRange) => (first === last ? `${utc(first)}` : `${utc(first)}–${utc(last)}`);
  const why: string[] = [];
  if (gaps.some((gap) => gap.kind === 'no_entries'))
    why.push('no entries where the logs run at their usual rate otherwise');
  if (gaps.some((gap) => gap.kind === 'volume_collapse')) why.push('entries fall far below the usual volume');
  const nodes = [...new Set(missingNodes.flatMap((missing) => missing.nodes))];
  if (nodes.length > 0)
    why.push(`the files of load-balancer ${nodes.length === 1 ? 'node' : 'nodes'} ${nodes.join(', ')} are missing`);
  return `the ${what} given miss ${uncovered.map(span).join(', ')} UTC (${why.join('; ')}): those minutes are left out, not counted as zero`;
}

function sourceStatus(
  name: string,
  read: ReadCounts,
  problem: ViewProblem | null,
  note: string | null = null,
): SourceStatus {
  const counted = `${plural(read.files, 'file')}, ${plural(read.lines, 'line')}, ${formatCount(read.malformed)} malformed, ${formatCount(read.inWindow)} in the window, ${formatCount(read.forIndex)} of them for the index${describeTrimming(read)}`;
  if (!problem) return { name, status: 'complete', detail: note ? `${counted}; ${note}` : counted };
  return { name, status: problem.status === 'partial' ? 'partial' : 'failed', detail: `${problem.reason}; ${counted}` };
}

/** "; 412 files outside the window skipped by their S3 names; 2 time-ordered files read only around the window" */
function describeTrimming(read: ReadCounts): string {
  const byName =
    read.skippedByName > 0
      ? `; ${plural(read.skippedByName, 'file')} outside the window skipped by ${read.skippedByName === 1 ? 'its' : 'their'} S3 ${read.skippedByName === 1 ? 'name' : 'names'}`
      : '';
  const trimmed =
    read.trimmedFiles > 0 ? `; ${plural(read.trimmedFiles, 'time-ordered file')} read only around the window` : '';
  return byName + trimmed;
}
