/**
 * The verdict table: signal × the asked minute × the window, with the peak minute.
 * One model for every renderer (terminal, Markdown, Slack Block Kit), so all of them show
 * the same cells. Pure: the report and a TimeFormatter in, strings out.
 */
import { formatCount, formatPercent } from '../core/format-number.js';
import type { ReportJson, SignalJson } from '../core/report.js';
import type { TimeFormatter } from '../core/types.js';

export interface VerdictTableRow {
  /** The signal's key in `report.signals`, e.g. "throttled_429". */
  signal: string;
  label: string;
  atMinute: string;
  window: string;
  peak: string;
  status: 'ok' | 'partial' | 'unavailable';
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
type RateBase = 'requests' | 'lb_requests';

interface RowSpec {
  signal: string;
  label: (signal: SignalJson, report: ReportJson) => string;
  rateOf?: RateBase;
}

// Order is the reading order of the model reply: traffic, what the origin said, what the
// ALB saw of the targets, what the ALB minted itself, then latency and context.
const ROW_SPECS: readonly RowSpec[] = [
  { signal: 'requests', label: (signal) => `requests (${sourceTag(signal)})` },
  { signal: 'origin_5xx', label: () => 'origin 5xx (proxy)', rateOf: 'requests' },
  { signal: 'throttled_429', label: throttledLabel, rateOf: 'requests' },
  { signal: 'target_5xx', label: () => 'target 5xx (ALB)', rateOf: 'requests' },
  { signal: 'target_connection_errors', label: () => 'target connection errors (ALB)' },
  { signal: 'elb_502', label: () => 'LB-minted 502, all tenants', rateOf: 'lb_requests' },
  { signal: 'elb_502_index', label: () => 'LB-minted 502, this index', rateOf: 'requests' },
  { signal: 'elb_503', label: () => 'LB-minted 503, all tenants', rateOf: 'lb_requests' },
  { signal: 'elb_504', label: () => 'LB-minted 504, all tenants', rateOf: 'lb_requests' },
  { signal: 'slow_requests', label: (_signal, report) => slowRequestsLabel(report), rateOf: 'requests' },
  { signal: 'target_4xx', label: () => 'target 4xx (ALB)', rateOf: 'requests' },
];

export function buildVerdictTable(report: ReportJson, fmt: TimeFormatter): VerdictTable {
  const rows: VerdictTableRow[] = [];
  for (const spec of ROW_SPECS) {
    const signal = report.signals[spec.signal];
    if (signal) rows.push(buildRow(spec, signal, report, fmt));
  }
  return { columns: ['signal', `at ${fmt.localClock(new Date(report.at))} ${fmt.zoneLabel}`, windowColumn(report, fmt), 'peak'], rows };
}

/** The rows whose numbers are missing or incomplete, with the reason the source gave. */
export function buildTableFootnotes(report: ReportJson, table: VerdictTable): VerdictTableFootnote[] {
  const footnotes: VerdictTableFootnote[] = [];
  for (const row of table.rows) {
    if (row.status === 'ok') continue;
    const reason = report.signals[row.signal]?.reason ?? 'no reason given';
    footnotes.push({ signal: row.signal, label: row.label, status: row.status, reason });
  }
  return footnotes;
}

// One formatting of numbers everywhere: the verdict's reasons, the table and the draft's
// grounding check must all write 43,930 and 3.2 % the same way.
export { formatCount, formatPercent };

function buildRow(spec: RowSpec, signal: SignalJson, report: ReportJson, fmt: TimeFormatter): VerdictTableRow {
  const label = spec.label(signal, report);
  if (signal.status === 'unavailable') {
    return { signal: spec.signal, label, atMinute: UNAVAILABLE_CELL, window: UNAVAILABLE_CELL, peak: UNAVAILABLE_CELL, status: 'unavailable' };
  }
  const mark = signal.status === 'partial' ? PARTIAL_MARK : '';
  return {
    signal: spec.signal,
    label,
    atMinute: countCell(signal.atMinute, mark),
    window: windowCell(signal, spec.rateOf ? report.signals[spec.rateOf] : undefined, mark),
    peak: peakCell(signal, fmt),
    status: signal.status,
  };
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
function sourceTag(signal: SignalJson): string {
  const source = signal.source ?? '';
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
  const seconds = [report.verdict, ...report.findings].map((f) => f.facts?.['slowRequestSeconds']).find((v) => typeof v === 'number');
  return seconds === undefined ? 'slow requests' : `slow requests (> ${seconds} s)`;
}
