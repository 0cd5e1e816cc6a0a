/**
 * The verdict table: signal × the asked minute × the minutes around it × the window, with the
 * peak minute and the per-minute shape. One model for every renderer (terminal, Markdown, Slack
 * Block Kit), so all of them show the same cells. Pure: the report and a TimeFormatter in,
 * strings out.
 *
 * Two layouts of the same rows: `buildVerdictTable` (every signal in reading order, four
 * columns) and `buildAnswerTable` (the cross-checks side by side, the minutes around the asked
 * time, and the rows with nothing to show folded into one line each).
 */
import { formatCount, formatPercent } from '../core/format-number.js';
import type { ReportJson, SignalJson } from '../core/report.js';
import type { SignalName, TimeFormatter, VerdictKind } from '../core/types.js';
import { minuteAt, minuteIndex, minuteValues, sumMinutes, windowMinutes } from './chart/minute-values.js';

export interface VerdictTableRow {
  /** The signal's key in `report.signals`, e.g. "throttled_429". */
  signal: string;
  label: string;
  atMinute: string;
  /** The count in the minutes around the asked time (see AnswerTable.around). */
  around: string;
  window: string;
  peak: string;
  status: 'ok' | 'partial' | 'unavailable';
  /** One count per minute of the window; null where the source did not measure. */
  perMinute: (number | null)[];
}

export interface VerdictTable {
  columns: [string, string, string, string];
  rows: VerdictTableRow[];
}

/** A row that needs explaining under the table: a signal not measured, or measured in part. */
export interface VerdictTableFootnote {
  signal: string;
  label: string;
  status: 'partial' | 'unavailable';
  reason: string;
}

export const UNAVAILABLE_CELL = 'unavailable';
export const PARTIAL_MARK = ' (partial)';
export const EMPTY_CELL = '—';

/** Which signal a row's window rate is a percentage of. */
type RateBase = Extract<SignalName, 'requests' | 'lb_requests' | 'edge_requests'>;

interface RowSpec {
  signal: SignalName;
  label: (signal: SignalJson, report: ReportJson) => string;
  rateOf?: RateBase;
}

// Order is the reading order of the model reply: traffic, what the origin said, what the
// ALB saw of the targets, what the ALB minted itself, then latency and context.
const ROW_SPECS: readonly RowSpec[] = [
  { signal: 'requests', label: (signal) => `requests (${sourceTag(signal)})` },
  { signal: 'origin_5xx', label: () => 'origin 5xx (proxy)', rateOf: 'requests' },
  { signal: 'throttled_429', label: throttledLabel, rateOf: 'requests' },
  { signal: 'target_5xx', label: (signal) => `target 5xx (${lbTag(signal)})`, rateOf: 'requests' },
  { signal: 'target_connection_errors', label: (signal) => `target connection errors (${lbTag(signal)})` },
  { signal: 'elb_502', label: (signal) => `${mintedLabel(signal)}, all tenants`, rateOf: 'lb_requests' },
  { signal: 'elb_502_index', label: (signal) => `${mintedLabel(signal)}, this index`, rateOf: 'requests' },
  { signal: 'elb_503', label: () => 'LB-minted 503, all tenants', rateOf: 'lb_requests' },
  { signal: 'elb_504', label: () => 'LB-minted 504, all tenants', rateOf: 'lb_requests' },
  { signal: 'slow_requests', label: (_signal, report) => slowRequestsLabel(report), rateOf: 'requests' },
  { signal: 'target_4xx', label: (signal) => `target 4xx (${lbTag(signal)})`, rateOf: 'requests' },
  { signal: 'edge_5xx', label: (signal) => `5xx at the edge (${edgeTag(signal)})`, rateOf: 'edge_requests' },
  { signal: 'edge_minted_5xx', label: (signal) => `5xx the edge made (${edgeTag(signal)})`, rateOf: 'edge_requests' },
  {
    signal: 'edge_passed_5xx',
    label: (signal) => `5xx the edge passed on (${edgeTag(signal)})`,
    rateOf: 'edge_requests',
  },
];

/**
 * Reading order for cross-checks: each group puts a signal beside the one that confirms or
 * contradicts it from another layer — the proxy's 429s beside the ALB's target 4xx, the
 * origin's 5xx beside the ALB's target 5xx, LB-minted 502s beside the target connection
 * errors that would explain them.
 */
const CROSS_CHECK_GROUPS: readonly (readonly string[])[] = [
  ['requests'],
  ['throttled_429', 'target_4xx'],
  ['origin_5xx', 'target_5xx'],
  ['elb_502_index', 'elb_502', 'target_connection_errors'],
  ['elb_503', 'elb_504'],
  ['edge_5xx', 'edge_minted_5xx', 'edge_passed_5xx'],
  ['slow_requests'],
];

/** The group a verdict is about moves up to sit right under the traffic. */
const VERDICT_LEAD_SIGNAL: Readonly<Partial<Record<VerdictKind, string>>> = {
  throttling_429: 'throttled_429',
  keepalive_race: 'elb_502_index',
  origin_5xx: 'origin_5xx',
  target_unreachable: 'elb_502_index',
  origin_timeout: 'elb_504',
  no_healthy_targets: 'elb_503',
};

/** Minutes either side of the asked minute that the "around" column always covers. */
export const AROUND_MINUTES = 5;
/** A burst nearer than this to the asked minute is pulled into the "around" column. */
const NEAR_BURST_MINUTES = 15;
/** The "around" column never reaches further than this from the asked minute. */
const AROUND_MAX_REACH_MINUTES = 30;

export interface AroundSpan {
  /** Window minute indexes, inclusive. */
  first: number;
  last: number;
  /** "burst" when the span was widened to the nearest burst, else "asked" (± AROUND_MINUTES). */
  basis: 'burst' | 'asked';
}

export interface AnswerTable {
  columns: { signal: string; atMinute: string; around: string; window: string; peak: string };
  around: AroundSpan;
  /** The asked minute's index in the window, and the window's length in minutes. */
  askedIndex: number;
  minutes: number;
  /** Rows with something to show, cross-checks side by side. */
  rows: VerdictTableRow[];
  /** Measured in full and 0 in every minute: named in one line instead of a row each. */
  zeroEverywhere: VerdictTableRow[];
  /** Not measured at all: named with their reasons under the table (see answerTableFootnotes). */
  unmeasured: VerdictTableRow[];
}

export function buildVerdictTable(report: ReportJson, fmt: TimeFormatter): VerdictTable {
  const around = aroundSpan(report);
  const rows: VerdictTableRow[] = [];
  for (const spec of ROW_SPECS) {
    const signal = report.signals[spec.signal];
    if (signal) rows.push(buildRow(spec, signal, report, fmt, around));
  }
  return { columns: ['signal', atColumn(report, fmt), windowColumn(report, fmt), 'peak'], rows };
}

/** The table that answers "what happened at that minute": see AnswerTable. */
export function buildAnswerTable(report: ReportJson, fmt: TimeFormatter): AnswerTable {
  const around = aroundSpan(report);
  // A partial signal's count at the asked minute is a measurement when its source covered
  // that minute ("—" otherwise): only its window total needs the "(partial)" mark here.
  const measuredAt = (row: VerdictTableRow) =>
    row.status === 'partial' ? { ...row, atMinute: row.atMinute.replace(PARTIAL_MARK, '') } : row;
  const bySignal = new Map(buildVerdictTable(report, fmt).rows.map((row) => [row.signal, measuredAt(row)]));
  const ordered = crossCheckOrder(report.verdict.kind).flatMap((signal) => bySignal.get(signal) ?? []);
  const isZero = (row: VerdictTableRow) => row.status === 'ok' && report.signals[row.signal]?.window === 0;
  return {
    columns: {
      signal: 'signal',
      atMinute: atColumn(report, fmt),
      around: `${fmt.localClock(minuteAt(report, around.first))}–${fmt.localClock(minuteAt(report, around.last))}`,
      window: windowColumn(report, fmt),
      peak: 'peak',
    },
    around,
    askedIndex: minuteIndex(report, report.at),
    minutes: windowMinutes(report),
    rows: ordered.filter((row) => row.status !== 'unavailable' && !isZero(row)),
    zeroEverywhere: ordered.filter(isZero),
    unmeasured: ordered.filter((row) => row.status === 'unavailable'),
  };
}

/** The label a signal has in the table (and the chart's legend), or a plain one for context signals. */
export function signalLabel(report: ReportJson, name: string): string {
  const spec = ROW_SPECS.find((s) => s.signal === name);
  const signal = report.signals[name];
  if (spec && signal) return spec.label(signal, report);
  return CONTEXT_LABELS[name] ?? name.replace(/_/g, ' ');
}

const CONTEXT_LABELS: Readonly<Record<string, string>> = {
  lb_requests: 'requests, all tenants (ALB)',
  proxy_requests: 'requests (proxy)',
  elb_503_index: 'LB-minted 503, this index',
  elb_504_index: 'LB-minted 504, this index',
  healthy_hosts: 'healthy targets (min)',
  unhealthy_hosts: 'unhealthy targets (max)',
};

function crossCheckOrder(kind: VerdictKind): string[] {
  const lead = VERDICT_LEAD_SIGNAL[kind];
  const leadGroup = CROSS_CHECK_GROUPS.findIndex((group) => lead !== undefined && group.includes(lead));
  const groups =
    leadGroup > 0
      ? [
          CROSS_CHECK_GROUPS[0]!,
          CROSS_CHECK_GROUPS[leadGroup]!,
          ...CROSS_CHECK_GROUPS.filter((_, i) => i !== 0 && i !== leadGroup),
        ]
      : CROSS_CHECK_GROUPS;
  return groups.flat();
}

/**
 * The asked minute ± AROUND_MINUTES, widened to cover the burst nearest the asked minute when
 * it lies within NEAR_BURST_MINUTES of it: a burst that ended a minute before the asked time
 * then shows in the table itself. Clipped to AROUND_MAX_REACH_MINUTES either side and to the window.
 */
export function aroundSpan(report: ReportJson): AroundSpan {
  const asked = minuteIndex(report, report.at);
  const lowest = Math.max(0, asked - AROUND_MAX_REACH_MINUTES);
  const highest = Math.min(windowMinutes(report) - 1, asked + AROUND_MAX_REACH_MINUTES);
  const clip = (index: number) => Math.min(highest, Math.max(lowest, index));
  const burst = nearestBurst(report, asked);
  if (!burst) return { first: clip(asked - AROUND_MINUTES), last: clip(asked + AROUND_MINUTES), basis: 'asked' };
  return {
    first: clip(Math.min(asked - AROUND_MINUTES, burst.first)),
    last: clip(Math.max(asked + AROUND_MINUTES, burst.last)),
    basis: 'burst',
  };
}

/** Bursts the findings recorded (facts burstStart/burstEnd), as window minute indexes. */
export function findingBursts(report: ReportJson): { kind: VerdictKind; first: number; last: number }[] {
  const seen = new Set<string>();
  const bursts: { kind: VerdictKind; first: number; last: number }[] = [];
  for (const finding of [report.verdict, ...report.findings]) {
    const start = finding.facts?.burstStart;
    const end = finding.facts?.burstEnd;
    if (typeof start !== 'string' || typeof end !== 'string' || seen.has(`${finding.kind}|${start}|${end}`)) continue;
    seen.add(`${finding.kind}|${start}|${end}`);
    bursts.push({ kind: finding.kind, first: minuteIndex(report, start), last: minuteIndex(report, end) });
  }
  return bursts;
}

function nearestBurst(report: ReportJson, asked: number): { first: number; last: number } | undefined {
  const distance = (b: { first: number; last: number }) =>
    asked < b.first ? b.first - asked : asked > b.last ? asked - b.last : 0;
  const near = findingBursts(report).filter((b) => distance(b) <= NEAR_BURST_MINUTES);
  return near.sort((a, b) => distance(a) - distance(b))[0];
}

function atColumn(report: ReportJson, fmt: TimeFormatter): string {
  return `at ${fmt.localClock(new Date(report.at))} ${fmt.zoneLabel}`;
}

/** The rows whose numbers are missing or incomplete, with the reason the source gave. */
export function buildTableFootnotes(report: ReportJson, table: Pick<VerdictTable, 'rows'>): VerdictTableFootnote[] {
  const footnotes: VerdictTableFootnote[] = [];
  for (const row of table.rows) {
    if (row.status === 'ok') continue;
    const reason = report.signals[row.signal]?.reason ?? 'no reason given';
    footnotes.push({ signal: row.signal, label: row.label, status: row.status, reason });
  }
  return footnotes;
}

/** The footnotes of an answer table: its rows, then the signals it folded away as unmeasured. */
export function answerTableFootnotes(report: ReportJson, table: AnswerTable): VerdictTableFootnote[] {
  return buildTableFootnotes(report, { rows: [...table.rows, ...table.unmeasured] });
}

// One formatting of numbers everywhere: the verdict's reasons, the table and the draft's
// grounding check must all write 43,930 and 3.2 % the same way.
export { formatCount, formatPercent };

function buildRow(
  spec: RowSpec,
  signal: SignalJson,
  report: ReportJson,
  fmt: TimeFormatter,
  around: AroundSpan,
): VerdictTableRow {
  const label = spec.label(signal, report);
  const perMinute = minuteValues(report, signal);
  if (signal.status === 'unavailable') {
    const cell = UNAVAILABLE_CELL;
    return {
      signal: spec.signal,
      label,
      atMinute: cell,
      around: cell,
      window: cell,
      peak: cell,
      status: 'unavailable',
      perMinute,
    };
  }
  const mark = signal.status === 'partial' ? PARTIAL_MARK : '';
  return {
    signal: spec.signal,
    label,
    atMinute: countCell(signal.atMinute, mark),
    around: aroundCell(perMinute, around),
    window: windowCell(signal, spec.rateOf ? report.signals[spec.rateOf] : undefined, mark),
    peak: peakCell(signal, fmt),
    status: signal.status,
    perMinute,
  };
}

/** The count in the span; "(partial)" when some of its minutes were not measured, "—" when none was. */
function aroundCell(perMinute: readonly (number | null)[], around: AroundSpan): string {
  const sum = sumMinutes(perMinute, around.first, around.last);
  if (sum === null) return EMPTY_CELL;
  return `${formatCount(sum.total)}${sum.complete ? '' : PARTIAL_MARK}`;
}

function countCell(count: number | null, mark: string): string {
  return count === null ? EMPTY_CELL : `${formatCount(count)}${mark}`;
}

function windowCell(signal: SignalJson, base: SignalJson | undefined, mark: string): string {
  if (signal.window === null) return EMPTY_CELL;
  const rate = windowRate(signal.window, base);
  return `${formatCount(signal.window)}${rate === null ? '' : ` · ${formatPercent(rate)}`}${mark}`;
}

/**
 * The window count as a percentage of its base, or null when that would mislead: nothing
 * counted, or a base that was not fully measured (a partial denominator inflates the rate).
 */
function windowRate(count: number, base: SignalJson | undefined): number | null {
  if (count === 0 || !base || base.status !== 'ok' || !base.window) return null;
  return (count / base.window) * 100;
}

function peakCell(signal: SignalJson, fmt: TimeFormatter): string {
  if (!signal.window || !signal.peak) return EMPTY_CELL;
  return `${formatCount(signal.peak.count)} at ${fmt.localClock(new Date(signal.peak.minute))}`;
}

/** "04:11–07:11 AEST"; dates are added only when the window crosses a local midnight. */
function windowColumn(report: ReportJson, fmt: TimeFormatter): string {
  const start = new Date(report.window.start);
  const end = new Date(report.window.end);
  const startDate = fmt.localDate(start);
  const endDate = fmt.localDate(end);
  if (startDate === endDate) return `${fmt.localClock(start)}–${fmt.localClock(end)} ${fmt.zoneLabel}`;
  return `${startDate} ${fmt.localClock(start)} – ${endDate} ${fmt.localClock(end)} ${fmt.zoneLabel}`;
}

// Request counts come from the ALB in both modes (RequestCount, or ALB access lines); a
// report built from proxy logs alone says so in its source, and the label follows it.
/** The load balancer a signal's numbers came from: an ALB (logs, Athena or metrics) or a Google Cloud one. */
function lbTag(signal: SignalJson): string {
  return signal.source?.startsWith('Google Cloud') ? 'GCP LB' : 'ALB';
}

/** Google's front end answers its own failures with 502 or 503: its minted errors are counted together. */
function mintedLabel(signal: SignalJson): string {
  return lbTag(signal) === 'GCP LB' ? 'LB-minted error' : 'LB-minted 502';
}

/** "Cloudflare", "CloudFront": the edge in front of the load balancer. */
function edgeTag(signal: SignalJson): string {
  return (signal.source ?? 'edge').replace(/ logs$/, '');
}

function sourceTag(signal: SignalJson): string {
  const source = signal.source ?? '';
  if (source.startsWith('Google Cloud')) return 'GCP LB';
  if (/\b(alb|elb|load ?balancer|requestcount)\b/i.test(source)) return 'ALB';
  if (/proxy|haproxy|logs insights/i.test(source)) return 'proxy';
  return 'ALB';
}

function throttledLabel(signal: SignalJson): string {
  const termination = dominantKey(signal.byTermination);
  if (signal.source?.startsWith('ALB')) return '429 throttled (ALB target status)';
  return termination ? `429 throttled (proxy ${termination})` : '429 throttled (proxy)';
}

/** The key with the largest count; ties go to the alphabetically first key, for stable output. */
export function dominantKey(counts: Record<string, number> | undefined): string | null {
  let best: [string, number] | null = null;
  for (const [key, count] of Object.entries(counts ?? {})) {
    if (count <= 0) continue;
    if (!best || count > best[1] || (count === best[1] && key < best[0])) best = [key, count];
  }
  return best ? best[0] : null;
}

// The threshold lives in the evidence context, which the report does not carry; a finding
// that used it (origin_timeout) records it in its facts.
function slowRequestsLabel(report: ReportJson): string {
  const seconds = [report.verdict, ...report.findings]
    .map((f) => f.facts?.slowRequestSeconds)
    .find((v) => typeof v === 'number');
  return seconds === undefined ? 'slow requests' : `slow requests (> ${seconds} s)`;
}
