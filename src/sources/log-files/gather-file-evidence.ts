import type { Evidence, InvestigationCommand, MinuteRange, SignalMap, SignalSeries, SourceStatus, TenantActivity } from '../../core/types.js';
import { formatCount } from '../../core/format-number.js';
import { plural } from '../../verdict/judge-context.js';
import { AlbTally } from '../../evidence/alb-tally.js';
import { albSignals as albCountSignals, targetGroupsWith502 } from '../../evidence/alb-counts.js';
import { createIndexMatcher, type IndexSelector } from '../../evidence/index-matcher.js';
import { ProxyTally, answeredAtMs, tallyProxyAnswer } from '../../evidence/proxy-tally.js';
import { detectClockShiftMinutes, formatOffset } from '../../evidence/clock-shift.js';
import { partialSeries, unavailableSeries } from '../../evidence/signal-series.js';
import { LogFileError, describeError } from '../../errors.js';
import { forEachLine } from '../../files/for-each-line.js';
import { listLogFiles } from '../../files/list-log-files.js';
import { MalformedLineReporter } from '../../files/malformed-reporter.js';
import { parseLbLine } from '../../parsers/alb-line.js';
import { parseProxyLine } from '../../parsers/proxy-line.js';
import { type AlbCounts } from '../../evidence/alb-counts.js';
import { detectLineGaps } from '../../evidence/detect-line-gaps.js';
import { detectMissingNodeFiles, type NodeFile } from '../../evidence/detect-missing-node-files.js';
import { detectProxyHoles } from '../../evidence/detect-proxy-holes.js';
import { minuteIndexOf, zeroCounts } from '../../evidence/minute-buckets.js';
import { coverageMask, unionRanges, uncoveredMinuteCount } from '../../evidence/minute-coverage.js';
import { parseAlbFileName } from './alb-file-name.js';
import { type Coverage, describeCoverage, widen } from './coverage.js';

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
}

const ALB_SOURCE = 'ALB access logs';
const PROXY_SOURCE = 'proxy logs';
const CONNECTION_ERRORS_REASON = 'a CloudWatch metric only (TargetConnectionErrorCount); access logs do not record failed connections';

/** Reads ALB and proxy log files (streaming, constant memory) into the evidence of CONTRACT §3, files-mode column. */
export async function gatherFileEvidence(input: FileEvidenceInput, deps: FileEvidenceDeps): Promise<Evidence> {
  const { command } = input;
  const matcher = createIndexMatcher(input.selector);
  const malformed = new MalformedLineReporter(deps.warn);
  const alb = input.albPaths.length > 0 ? await readAlbFiles(input, matcher, malformed, deps) : null;
  let proxy = input.proxyPaths.length > 0 ? await readProxyFiles(input, matcher, malformed, deps) : null;
  malformed.finish();
  const shift = alb?.usable && proxy?.usable ? proxyClockShift(alb, proxy) : null;
  if (shift !== null) proxy = await rereadShifted(input, matcher, deps, shift, 'the same 429s and 5xx, shifted');
  const offCover = alb?.usable && proxy && !proxy.usable ? coverageShiftMinutes(alb, proxy) : null;
  if (offCover !== null) {
    const reread = await rereadShifted(input, matcher, deps, offCover, 'the two logs start that far apart');
    if (reread.usable) proxy = reread;
  }

  if (alb?.usable && proxy?.usable) markProxyHolesSeenByAlb(alb, proxy, input);

  const signals = assembleSignals(alb, proxy);
  const sources: SourceStatus[] = [sourceStatus(ALB_SOURCE, alb, '--alb-logs'), sourceStatus(PROXY_SOURCE, proxy, '--proxy-logs')];
  return {
    index: command.index,
    at: command.asked.at,
    window: command.window,
    signals,
    sources,
    context: {
      idleTimeoutSeconds: input.idleTimeoutSeconds,
      slowRequestSeconds: input.slowRequestSeconds,
      elb502TargetGroups: alb?.usable ? targetGroupsWith502(alb.tally.counts) : null,
      targetGroupsSeen: alb?.usable ? Object.keys(alb.tally.counts.targetGroups).length : null,
      tenants: alb?.usable ? tenantActivity(alb.tally.counts, input) : null,
    },
  };
}

interface FileRead<T> {
  tally: T;
  files: number;
  lines: number;
  malformed: number;
  /** Entries inside the window, any index. */
  inWindow: number;
  /** Of those, entries of the index. */
  forIndex: number;
  coverage: Coverage;
  /** Every entry of the source per minute of the window (all indexes): what holes are judged on. */
  entriesPerMinute: number[];
  /** Minutes the source did not cover: holes in the logs, and before / after them. */
  uncovered: MinuteRange[];
  /** Why the numbers cannot be trusted as measurements of the window, if they cannot. */
  problem: { status: 'unavailable' | 'partial'; reason: string } | null;
  usable: boolean;
  /** Something the reader of the answer should know about how the files were read. */
  note?: string;
}

async function readAlbFiles(
  input: FileEvidenceInput,
  matcher: ReturnType<typeof createIndexMatcher>,
  malformed: MalformedLineReporter,
  deps: FileEvidenceDeps,
): Promise<FileRead<AlbTally>> {
  const tally = new AlbTally(input.command.window, matcher, input.slowRequestSeconds);
  const files = await listLogFiles(input.albPaths);
  const read = newReadCounts(tally.minutes);
  const startMs = input.command.window.start.getTime();
  const nodeFiles: NodeFile[] = [];
  for (const [i, file] of files.entries()) {
    deps.progress?.(`ALB logs: ${i + 1}/${files.length} ${file}`);
    const entriesBefore = read.entries;
    await readTolerantly(file, read, deps, (line, lineNumber) => {
      read.lines++;
      const entry = parseLbLine(line);
      if (entry.kind === 'malformed') {
        read.malformed++;
        malformed.report(file, lineNumber, entry.reason);
        return;
      }
      if (entry.kind !== 'alb') return; // classic ELB / NLB lines carry no ALB signals
      read.entries++;
      read.coverage = widen(read.coverage, entry.timeMs);
      const minute = minuteIndexOf(entry.timeMs, startMs, tally.minutes);
      if (minute === -1) return;
      read.inWindow++;
      read.entriesPerMinute[minute]!++;
      tally.add(entry);
    });
    const name = parseAlbFileName(file);
    if (name) nodeFiles.push({ ...name, entries: read.entries - entriesBefore });
  }
  read.forIndex = tally.counts.perMinute.requests.reduce((sum, n) => sum + n, 0);
  return finishRead(tally, files.length, read, input, 'ALB access logs', { detectCollapse: true, nodeFiles });
}

async function readProxyFiles(
  input: FileEvidenceInput,
  matcher: ReturnType<typeof createIndexMatcher>,
  malformed: MalformedLineReporter,
  deps: FileEvidenceDeps,
): Promise<FileRead<ProxyTally>> {
  const tally = new ProxyTally(input.command.window);
  const files = await listLogFiles(input.proxyPaths);
  const read = newReadCounts(tally.minutes);
  const slowMs = input.slowRequestSeconds * 1000;
  const options = { utcOffsetMinutes: input.proxyUtcOffsetMinutes };
  for (const [i, file] of files.entries()) {
    deps.progress?.(`proxy logs: ${i + 1}/${files.length} ${file}`);
    await readTolerantly(file, read, deps, (line, lineNumber) => {
      read.lines++;
      const entry = parseProxyLine(line, options);
      if (entry.kind === 'malformed') {
        read.malformed++;
        malformed.report(file, lineNumber, entry.reason);
        return;
      }
      if (entry.kind === 'other') return; // tcplog, "Connect from", SPOE…: not HTTP answers
      const answeredMs = answeredAtMs(entry);
      read.entries++;
      read.coverage = widen(read.coverage, answeredMs);
      const minute = tally.minuteOf(answeredMs);
      if (minute === -1) return;
      read.inWindow++;
      read.entriesPerMinute[minute]!++;
      if (!matcher.requestBelongs(entry.path)) return;
      read.forIndex++;
      tallyProxyAnswer(tally, entry, slowMs);
    });
  }
  // A proxy's traffic is one index's (or a few), which can rise and fall on its own: only
  // silences count as holes here; the ALB's target answers find the rest (markProxyHolesSeenByAlb).
  return finishRead(tally, files.length, read, input, 'proxy logs', { detectCollapse: false, nodeFiles: [] });
}

/**
 * The minutes by which the proxy's clock reads ahead of the ALB's, when its 429s and 5xx line up
 * with the ALB's target 429s and 5xx only at a shift: HAProxy logged local time and we read it
 * in another zone. Null when the two agree (or there is too little to tell).
 */
function proxyClockShift(alb: FileRead<AlbTally>, proxy: FileRead<ProxyTally>): number | null {
  const { target429, target5xx } = alb.tally.counts.perMinute;
  const albEvents = target429.map((n, i) => n + target5xx[i]!);
  const proxyEvents = proxy.tally.throttled.map((n, i) => n + proxy.tally.origin5xx[i]!);
  return detectClockShiftMinutes(albEvents, proxyEvents);
}

/**
 * Proxy logs that miss the window entirely while the ALB's cover it, and start a whole number of
 * quarter hours (up to 14 h) after or before the ALB's: HAProxy's local time read as UTC (AEST
 * logs read as UTC land 10 hours late). Null when that is not the picture.
 */
function coverageShiftMinutes(alb: FileRead<AlbTally>, proxy: FileRead<ProxyTally>): number | null {
  if (!alb.coverage || !proxy.coverage) return null;
  const deltaMinutes = (proxy.coverage.firstMs - alb.coverage.firstMs) / 60_000;
  const rounded = Math.round(deltaMinutes / 15) * 15;
  if (Math.abs(rounded) < 15 || Math.abs(rounded) > 14 * 60 || Math.abs(deltaMinutes - rounded) > 10) return null;
  return rounded;
}

/**
 * Reads the proxy logs again in the zone that lines them up with the ALB, so the verdict judges
 * the right minutes; says so on stderr and in the source detail, with the setting that avoids it.
 */
async function rereadShifted(
  input: FileEvidenceInput,
  matcher: ReturnType<typeof createIndexMatcher>,
  deps: FileEvidenceDeps,
  lagMinutes: number,
  evidence: string,
): Promise<FileRead<ProxyTally>> {
  const offsetMinutes = input.proxyUtcOffsetMinutes + lagMinutes;
  const offset = formatOffset(offsetMinutes);
  deps.warn(
    `why502: the proxy logs' times read ${Math.abs(lagMinutes)} minutes ${lagMinutes > 0 ? 'ahead of' : 'behind'} the ALB's (${evidence}): ` +
      `HAProxy logged local time. Reading them as UTC${offset}; set files.proxyLogUtcOffset: "${offset}" in why502.yml (or --proxy-log-utc-offset ${offset}) to say so.`,
  );
  const quiet = new MalformedLineReporter(() => {}); // the first read already reported them
  const read = await readProxyFiles({ ...input, proxyUtcOffsetMinutes: offsetMinutes }, matcher, quiet, deps);
  read.note = `times read as UTC${offset} to line up with the ALB (set files.proxyLogUtcOffset)`;
  return read;
}

interface ReadCounts {
  lines: number;
  malformed: number;
  /** Valid entries of the source's kind, any time. */
  entries: number;
  inWindow: number;
  forIndex: number;
  coverage: Coverage;
  entriesPerMinute: number[];
  /** Files that could not be read to the end (corrupt or truncated .gz), with why. */
  unreadable: string[];
}

function newReadCounts(minutes: number): ReadCounts {
  return { lines: 0, malformed: 0, entries: 0, inWindow: 0, forIndex: 0, coverage: null, entriesPerMinute: zeroCounts(minutes), unreadable: [] };
}

/**
 * One damaged download must not cost the whole answer: its lines up to the damage count, the
 * file is named on stderr and in the source detail, and the source becomes partial.
 */
async function readTolerantly(file: string, read: ReadCounts, deps: FileEvidenceDeps, onLine: (line: string, lineNumber: number) => void): Promise<void> {
  try {
    await forEachLine(file, onLine);
  } catch (error) {
    if (!(error instanceof LogFileError)) throw error;
    read.unreadable.push(error.message);
    deps.warn(`why502: ${describeError(error)} Its lines up to the damage were used; the answer says so.`);
  }
}

interface HoleSearch {
  detectCollapse: boolean;
  nodeFiles: NodeFile[];
}

function finishRead<T>(tally: T, files: number, read: ReadCounts, input: FileEvidenceInput, what: string, search: HoleSearch): FileRead<T> {
  const minutes = read.entriesPerMinute.length;
  const base = { tally, files, ...read, uncovered: [] as MinuteRange[] };
  const unavailable = (reason: string): FileRead<T> => ({ ...base, uncovered: [[0, minutes - 1]], usable: false, problem: { status: 'unavailable', reason } });
  if (files === 0) return unavailable(`no files found in the ${what} paths given`);
  if (read.coverage === null) {
    const hint = read.lines > 0 && read.malformed === read.lines ? ` (none of their ${plural(read.lines, 'line')} is in that format: ${what === 'ALB access logs' ? 'are these proxy logs? Give them with --proxy-logs' : 'are these ALB access logs? Give them with --alb-logs'})` : '';
    return unavailable(`the ${what} given hold no valid entries${hint}`);
  }
  // Entries on both sides of the window and none inside it measure nothing in it: a silence
  // that long is not a quiet load balancer we can vouch for, it is logs we do not have.
  if (read.inWindow === 0) return unavailable(`the ${what} given hold no entry in the window (their entries span ${describeCoverage(read.coverage)})`);
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
  const damaged = read.unreadable.length > 0 ? `${plural(read.unreadable.length, 'file')} could not be read to the end: ${read.unreadable.map((why) => why.replace(/\.$/, '')).join('; ')}` : '';
  const holes = uncovered.length > 0 ? describeHoles(uncovered, missingNodes, gaps, window, what) : '';
  const reason = [holes, damaged].filter(Boolean).join('; ');
  if (!reason) return { ...base, usable: true, problem: null };
  if (uncoveredMinuteCount(uncovered) >= minutes) return unavailable(reason);
  return { ...base, uncovered, usable: true, problem: { status: 'partial', reason } };
}

/** "the ALB access logs given miss 19:30–19:54 UTC (no entries; node 10.0.1.6's files are missing)" */
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
  if (gaps.some((gap) => gap.kind === 'no_entries')) why.push('no entries where the logs run at their usual rate otherwise');
  if (gaps.some((gap) => gap.kind === 'volume_collapse')) why.push('entries fall far below the usual volume');
  const nodes = [...new Set(missingNodes.flatMap((missing) => missing.nodes))];
  if (nodes.length > 0) why.push(`the files of load-balancer ${nodes.length === 1 ? 'node' : 'nodes'} ${nodes.join(', ')} are missing`);
  return `the ${what} given miss ${uncovered.map(span).join(', ')} UTC (${why.join('; ')}): those minutes are left out, not counted as zero`;
}

/**
 * Proxy minutes the ALB saw its target answer as usual while the proxy logged next to nothing:
 * the proxy's lines for them are missing (an hourly file not copied, a .gz cut short). They join
 * the proxy's holes, so its 0 is never read as "no 429s" or "no 5xx".
 */
function markProxyHolesSeenByAlb(alb: FileRead<AlbTally>, proxy: FileRead<ProxyTally>, input: FileEvidenceInput): void {
  const { requests, elb502Index, elb503Index, elb504Index } = alb.tally.counts.perMinute;
  const answered = requests.map((n, i) => n - elb502Index[i]! - elb503Index[i]! - elb504Index[i]!);
  const holes = detectProxyHoles({
    proxyPerMinute: proxy.tally.requests,
    albAnsweredPerMinute: answered,
    albCovered: coverageMask(alb.uncovered, answered.length),
  }).filter(([first, last]) => last - first >= 1 || answered[first]! >= 20);
  if (holes.length === 0) return;
  const fresh = holes.filter(([first, last]) => !proxy.uncovered.some(([a, b]) => first >= a && last <= b));
  if (fresh.length === 0) return;
  proxy.uncovered = unionRanges(proxy.uncovered, fresh);
  const utc = (index: number) => new Date(input.command.window.start.getTime() + index * 60_000).toISOString().slice(11, 16);
  const answeredIn = fresh.reduce((sum, [a, b]) => sum + answered.slice(a, b + 1).reduce((x, y) => x + y, 0), 0);
  const loggedIn = fresh.reduce((sum, [a, b]) => sum + proxy.tally.requests.slice(a, b + 1).reduce((x, y) => x + y, 0), 0);
  const note =
    `the proxy logs miss ${fresh.map(([a, b]) => (a === b ? utc(a) : `${utc(a)}–${utc(b)}`)).join(', ')} UTC: ` +
    `the ALB's targets answered ${formatCount(answeredIn)} requests for the index then and the proxy logged ${formatCount(loggedIn)}; those minutes are left out, not counted as zero`;
  proxy.problem = { status: 'partial', reason: proxy.problem ? `${proxy.problem.reason}; ${note}` : note };
}

/** The target groups the access logs saw, named, with their LB-minted 502s per minute. */
function tenantActivity(counts: AlbCounts, input: FileEvidenceInput): TenantActivity[] {
  const names = Object.entries(input.tenantNames ?? {});
  const indexGroup = input.selector.targetGroup;
  return Object.entries(counts.targetGroups).map(([arn, group]) => {
    const elb502 = zeroCounts(counts.minutes);
    for (const [minute, [e502]] of Object.entries(group.mintedByMinute)) elb502[Number(minute)] = e502;
    const configured = names.find(([targetGroup]) => arn.endsWith(targetGroup));
    return {
      name: configured?.[1] ?? arn.split('/').slice(-2, -1)[0] ?? arn,
      isIndex: indexGroup !== undefined && arn.endsWith(indexGroup),
      requests: group.requests,
      elb502,
    };
  });
}

function assembleSignals(alb: FileRead<AlbTally> | null, proxy: FileRead<ProxyTally> | null): SignalMap {
  const albSignals = alb?.usable ? withoutUnmatchedIndex(applyProblem(albCountSignals(alb.tally.counts, ALB_SOURCE), alb), alb, 'ALB') : null;
  const proxySignals = proxy?.usable ? withoutUnmatchedIndex(applyProblem(proxy.tally.toSignals(PROXY_SOURCE), proxy), proxy, 'proxy') : null;
  const albMissing = alb?.problem?.reason ?? 'no ALB access logs given (--alb-logs)';
  const proxyMissing = proxy?.problem?.reason ?? 'no proxy logs given (--proxy-logs)';
  const fromAlb = (name: keyof NonNullable<typeof albSignals>, scope: 'index' | 'loadBalancer'): SignalSeries =>
    albSignals ? albSignals[name] : unavailableSeries(scope, albMissing);
  const fromProxy = (name: keyof NonNullable<typeof proxySignals>): SignalSeries =>
    proxySignals ? proxySignals[name] : unavailableSeries('index', proxyMissing);
  return {
    requests: albSignals ? albSignals.requests : alb ? unavailableSeries('index', albMissing) : fromProxy('requests'),
    origin_5xx: fromProxy('origin_5xx'),
    // Without a complete proxy view, the ALB still sees the proxy's 429s as target status 429.
    throttled_429:
      proxySignals?.throttled_429.status === 'ok' || !albSignals || albSignals.target_429.status === 'unavailable'
        ? (proxySignals?.throttled_429 ?? fromProxy('throttled_429'))
        : albSignals.target_429,
    target_5xx: fromAlb('target_5xx', 'index'),
    target_connection_errors: unavailableSeries('index', CONNECTION_ERRORS_REASON),
    elb_502: fromAlb('elb_502', 'loadBalancer'),
    elb_502_index: fromAlb('elb_502_index', 'index'),
    elb_503: fromAlb('elb_503', 'loadBalancer'),
    elb_504: fromAlb('elb_504', 'loadBalancer'),
    slow_requests: albSignals ? albSignals.slow_requests : fromProxy('slow_requests'),
    lb_requests: fromAlb('lb_requests', 'loadBalancer'),
    target_4xx: fromAlb('target_4xx', 'index'),
    elb_503_index: fromAlb('elb_503_index', 'index'),
    elb_504_index: fromAlb('elb_504_index', 'index'),
    proxy_requests: fromProxy('requests'),
  };
}

/**
 * Logs with entries in the window but none for the index say nothing about the index: most
 * likely its targetGroup or match does not fit these logs. Its numbers would be false zeros,
 * so the index's signals become unavailable (load-balancer-wide ones stay).
 */
function withoutUnmatchedIndex<T extends Record<string, SignalSeries>>(signals: T, read: FileRead<unknown>, what: string): T {
  if (read.forIndex > 0 || read.inWindow === 0) return signals;
  const reason = `no ${what} log entries matched the index in the window (${formatCount(read.inWindow)} entries for other requests): check its targetGroup / match in why502.yml`;
  return Object.fromEntries(
    Object.entries(signals).map(([name, series]) => [name, series.scope === 'index' ? unavailableSeries('index', reason, series.source) : series]),
  ) as T;
}

function applyProblem<T extends Record<string, SignalSeries>>(signals: T, read: FileRead<unknown>): T {
  const { problem } = read;
  if (!problem || problem.status !== 'partial') return signals;
  return Object.fromEntries(Object.entries(signals).map(([name, series]) => [name, partialSeries(series, problem.reason, read.uncovered)])) as T;
}

function sourceStatus(name: string, read: FileRead<unknown> | null, flag: string): SourceStatus {
  if (!read) return { name, status: 'not_configured', detail: `not given (${flag})` };
  const counted = `${plural(read.files, 'file')}, ${plural(read.lines, 'line')}, ${formatCount(read.malformed)} malformed, ${formatCount(read.inWindow)} in the window, ${formatCount(read.forIndex)} of them for the index`;
  if (!read.problem) return { name, status: 'complete', detail: read.note ? `${counted}; ${read.note}` : counted };
  return { name, status: read.problem.status === 'partial' ? 'partial' : 'failed', detail: `${read.problem.reason}; ${counted}` };
}
