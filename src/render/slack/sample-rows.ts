/**
 * The report's access-log samples (CONTRACT §9) as a short block of the verdict message: the
 * first few LB-minted 5xx rows nearest the asked minute, so the engineer sees real rows —
 * time, status pair, target, request, trace id — without leaving the thread. Pure.
 *
 * Every field comes from a log line, so it is made inert before Slack sees it: no control or
 * direction-changing characters, no backticks (they would close the code block and let the
 * rest be read as markup), and &, < and > escaped (so `<!channel>` stays text).
 * Never part of the customer draft.
 */
import type { AccessLogSample, ReportJson } from '../../core/report.js';
import type { TimeFormatter } from '../../core/types.js';
import { printableText } from '../../files/printable-text.js';
import { escapeMrkdwn } from './block-kit.js';

/** Rows shown in Slack; the report carries up to 30, the terminal and JSON have them all. */
export const SLACK_SAMPLE_ROWS = 5;

/** Longest request ("GET /indexes/…") and trace id kept on a row. */
const REQUEST_CHARS = 60;
const TRACE_CHARS = 40;

export interface SamplesText {
  /** A title line and a code block, escaped for mrkdwn. */
  mrkdwn: string;
  /** The same rows as plain lines (still escaped: they go into a mrkdwn `text` fallback). */
  lines: string[];
}

export function renderSamples(report: ReportJson, fmt: TimeFormatter): SamplesText | null {
  const samples = report.samples ?? [];
  if (samples.length === 0) return null;
  const shown = samples.slice(0, SLACK_SAMPLE_ROWS);
  const rows = [SAMPLE_COLUMNS, ...shown.map((sample) => sampleCells(sample, fmt))];
  const widths = SAMPLE_COLUMNS.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  const lines = rows
    .map((row) =>
      row
        .map((cell, i) => cell.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .map(escapeMrkdwn);
  const count = samples.length > shown.length ? `${shown.length} of ${samples.length}` : `${shown.length}`;
  const title = `LB-minted 5xx rows nearest the asked minute (${count}, times in ${escapeMrkdwn(fmt.zoneLabel)})`;
  return { mrkdwn: [`*${title}*`, '```', ...lines, '```'].join('\n'), lines: [`${title}:`, ...lines] };
}

const SAMPLE_COLUMNS: readonly string[] = ['time', 'ELB/target', 'target', 'request', 'trace id'];

function sampleCells(sample: AccessLogSample, fmt: TimeFormatter): string[] {
  return [
    localTime(sample.time, fmt),
    `${sample.elbStatusCode}/${inert(sample.targetStatusCode, 5)}`,
    inert(sample.target, 47),
    inert(sample.request, REQUEST_CHARS),
    sample.traceId ? inert(sample.traceId, TRACE_CHARS) : '-',
  ];
}

/** "05:41:02.123" on the asked zone's clock; the row's own text when it is not an ISO instant. */
function localTime(iso: string, fmt: TimeFormatter): string {
  const match = /^(\d{4}-\d\d-\d\dT\d\d:\d\d):(\d\d)(\.\d+)?Z$/.exec(iso);
  if (!match) return inert(iso, 32);
  // Zones are whole minutes from UTC: the seconds read the same on every clock.
  return `${fmt.localClock(new Date(`${match[1]}:00Z`))}:${match[2]}${match[3] ? match[3].slice(0, 4) : ''}`;
}

// Bidirectional overrides and isolates (and the marks) can make a row read in another order.
const DIRECTION_CONTROLS = /[\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** One line of log text, made inert and cut to `max` characters. */
function inert(raw: string, max: number): string {
  const text = printableText(raw).replace(DIRECTION_CONTROLS, '').replace(/`/g, "'").trim();
  if (text === '') return '-';
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
