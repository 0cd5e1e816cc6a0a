/**
 * The verdict message of the thread (CONTRACT §7), in Block Kit: the verdict, its headline,
 * the verdict table, the reasons, next steps and sources, plus message metadata and a `text`
 * fallback that says the same. Pure: a report and a TimeFormatter in, a message out.
 *
 * The table. Slack has a native `table` block (rows ≤ 100, cells ≤ 20 a row, one table a
 * message). It renders a real grid on desktop and scrolls sideways on a phone, so it is the
 * default ("native"). The "stacked" style renders each signal as one mrkdwn line — label, then
 * the minute, the window and the peak — which wraps cleanly on any client at any width; it is
 * used when Slack does not take the table block (older clients, Enterprise policies, a rollout
 * gap, or any error on it: the thread's outbox moves to the next layout, see thread-outbox.ts)
 * or when chosen with WHY502_SLACK_TABLE=stacked.
 * The `text` fallback always carries the stacked lines.
 */
import type { FindingJson, ReportJson } from '../core/report.js';
import type { TimeFormatter } from '../core/types.js';
import {
  collectNextSteps,
  describeAskedMoment,
  describeFootnote,
  describeSource,
  describeWindow,
  secondaryFindings,
} from '../render/report-sections.js';
import { VERDICT_LABELS, findingLabel } from '../render/verdict-labels.js';
import { buildTableFootnotes, buildVerdictTable, EMPTY_CELL, type VerdictTable, type VerdictTableRow } from '../render/verdict-table.js';
import {
  BLOCK_LIMITS,
  bulletSections,
  context,
  escapeMrkdwn,
  fitBlocks,
  header,
  mrkdwnSection,
  truncateText,
  type KnownBlock,
  type PrioritisedBlock,
  type TableBlock,
} from './block-kit.js';
import type { MessageMetadata, SlackMessage } from './slack-message.js';
import { VERDICT_ICONS } from './verdict-icons.js';

export type TableStyle = 'native' | 'stacked';
export const TABLE_STYLES: readonly TableStyle[] = ['native', 'stacked'];

export interface VerdictMessageOptions {
  tableStyle: TableStyle;
}

export const VERDICT_EVENT_TYPE = 'why502_verdict';
/** Slack's table block takes at most 100 rows, header included here, and 20 cells a row. */
const TABLE_MAX_ROWS = 100;

const TRUNCATION_NOTE =
  'Some sections were left out to fit Slack’s message limits. The terminal has the full report: `npx why502 … --format markdown`.';

export function renderVerdictMessage(report: ReportJson, fmt: TimeFormatter, options: VerdictMessageOptions): SlackMessage {
  const table = buildVerdictTable(report, fmt);
  const blocks: PrioritisedBlock[] = [
    { block: header(`${findingLabel(report.verdict)}`) },
    { block: mrkdwnSection(leadText(report, fmt)) },
    ...report.asked.notes.map((note) => ({ block: context(`:information_source: ${escapeMrkdwn(note)}`), optional: true })),
    ...tableBlocks(table, options.tableStyle).map((block) => ({ block })),
    ...footnoteBlocks(report, table),
    ...bulletSections('*Why*', report.verdict.reasons.map(escapeMrkdwn)).map((block, i) => ({ block, optional: i > 0 })),
    ...secondaryFindings(report).map((finding) => ({ block: mrkdwnSection(secondaryText(finding)), optional: true })),
    ...bulletSections('*Next steps*', collectNextSteps(report).map(escapeMrkdwn)).map((block) => ({ block, optional: true })),
    { block: context(sourcesText(report)) },
  ];
  return {
    text: verdictFallbackText(report, fmt, table),
    blocks: fitBlocks(blocks, TRUNCATION_NOTE),
    metadata: verdictMetadata(report),
  };
}

/**
 * The verdict message in the layouts to try, richest first: the native table (when it is the
 * preferred style), the stacked lines, then the text alone. Every layout carries the same
 * `why502_verdict` metadata, so a fallback is still found by other apps and by the summary.
 */
export function renderVerdictLayouts(report: ReportJson, fmt: TimeFormatter, preferred: TableStyle): SlackMessage[] {
  const styles: TableStyle[] = preferred === 'native' ? ['native', 'stacked'] : ['stacked'];
  const layouts = styles.map((tableStyle) => renderVerdictMessage(report, fmt, { tableStyle }));
  const first = layouts[0]!;
  layouts.push({ text: first.text, blocks: [], ...(first.metadata ? { metadata: first.metadata } : {}) });
  return layouts;
}

/** CONTRACT §7: `at` and the window bounds as ISO 8601 UTC, exactly as the report has them. */
export function verdictMetadata(report: ReportJson): MessageMetadata {
  return {
    event_type: VERDICT_EVENT_TYPE,
    event_payload: {
      index: report.index,
      at: report.at,
      verdict_kind: report.verdict.kind,
      confidence: report.verdict.confidence,
      window_start: report.window.start,
      window_end: report.window.end,
    },
  };
}

function leadText(report: ReportJson, fmt: TimeFormatter): string {
  const { verdict } = report;
  return [
    `${VERDICT_ICONS[verdict.kind] ?? ''} *${escapeMrkdwn(verdict.headline)}*`.trim(),
    `Confidence *${verdict.confidence}* · \`${escapeMrkdwn(report.index)}\` · ${escapeMrkdwn(describeAskedMoment(report, fmt))}`,
    escapeMrkdwn(describeWindow(report, fmt)),
  ].join('\n');
}

function secondaryText(finding: FindingJson): string {
  const label = findingLabel(finding);
  return `*Also: ${escapeMrkdwn(label)}* (confidence ${finding.confidence}) — ${escapeMrkdwn(finding.headline)}`;
}

function sourcesText(report: ReportJson): string {
  const sources = report.sources.map((source) => escapeMrkdwn(describeSource(source)));
  return `Sources: ${sources.length > 0 ? sources.join(' · ') : 'none reported'}`;
}

/**
 * Why signals are unavailable or partial, one line per reason: eleven signals missing for the
 * same reason ("no proxy logs given") read as one line naming them, not eleven.
 */
function groupedFootnotes(report: ReportJson, table: VerdictTable): string[] {
  const byReason = new Map<string, { status: string; labels: string[] }>();
  for (const footnote of buildTableFootnotes(report, table)) {
    const key = `${footnote.status}|${footnote.reason}`;
    const group = byReason.get(key) ?? { status: footnote.status, labels: [] };
    group.labels.push(footnote.label);
    byReason.set(key, group);
  }
  return [...byReason.entries()].map(([key, group]) => describeFootnote({ label: group.labels.join(', '), status: group.status, reason: key.slice(key.indexOf('|') + 1) } as Parameters<typeof describeFootnote>[0]));
}

function footnoteBlocks(report: ReportJson, table: VerdictTable): PrioritisedBlock[] {
  const footnotes = groupedFootnotes(report, table).map((line) => `:warning: ${escapeMrkdwn(line)}`);
  // A context block holds at most 10 elements; more footnotes share the last one.
  if (footnotes.length === 0) return [];
  const elements = footnotes.length <= 10 ? footnotes : [...footnotes.slice(0, 9), footnotes.slice(9).join('\n')];
  return [{ block: context(...elements) }];
}

export function tableBlocks(table: VerdictTable, style: TableStyle): KnownBlock[] {
  return style === 'native' ? [nativeTable(table)] : stackedTable(table);
}

function nativeTable(table: VerdictTable): TableBlock {
  // A blank cell reads as "nothing measured here"; the table's own mark for "no value" is "—".
  const cell = (text: string) => ({ type: 'raw_text' as const, text: text.trim() === '' ? EMPTY_CELL : text });
  const rows = [table.columns, ...table.rows.map((row) => [row.label, row.atMinute, row.window, row.peak])]
    .slice(0, TABLE_MAX_ROWS)
    .map((cells) => cells.map(cell));
  return {
    type: 'table',
    rows,
    column_settings: [{ is_wrapped: true }, { align: 'right' }, { align: 'right', is_wrapped: true }, { align: 'right' }],
  };
}

/** One line per signal; sections split between lines to stay under the section limit. */
function stackedTable(table: VerdictTable): KnownBlock[] {
  const lines = stackedTableLines(table, true);
  return bulletlessSections(lines);
}

function bulletlessSections(lines: string[]): KnownBlock[] {
  const sections: KnownBlock[] = [];
  let current = '';
  for (const line of lines) {
    const candidate = current === '' ? line : `${current}\n${line}`;
    if (candidate.length > BLOCK_LIMITS.sectionText && current !== '') {
      sections.push(mrkdwnSection(current));
      current = line;
    } else {
      current = candidate;
    }
  }
  if (current !== '') sections.push(mrkdwnSection(current));
  return sections;
}

/**
 * "*429 throttled (proxy PR--)*: 212 at 05:41 · 43,930 (3.2 %) in window · peak 4,593 at 05:35",
 * one line per signal under a title that names the zone and the window once. Unmeasured
 * signals collapse to "label: unavailable" so they cannot be misread as zeros.
 */
export function stackedTableLines(table: VerdictTable, bold: boolean): string[] {
  const strong = (text: string) => (bold ? `*${text}*` : text);
  const [, atColumn, windowColumn] = table.columns;
  // "at 05:41 AEST" → "at 05:41": the title carries the zone, each row the clock.
  const atShort = atColumn.replace(/\s+\S+$/, '');
  const title = `${strong('Signals')} — ${escapeMrkdwn(atColumn.replace(/^at /, 'at the asked minute, '))} · in the window ${escapeMrkdwn(windowColumn)} · peak minute`;
  return [title, ...table.rows.map((row) => stackedRow(row, atShort, strong))];
}

function stackedRow(row: VerdictTableRow, atShort: string, strong: (text: string) => string): string {
  const label = strong(escapeMrkdwn(row.label));
  if (row.status === 'unavailable') return `${label}: unavailable`;
  const parts = [`${row.atMinute} ${atShort}`, `${windowWithRate(row.window)} in window`];
  if (row.peak !== EMPTY_CELL) parts.push(`peak ${row.peak}`);
  return `${label}: ${escapeMrkdwn(parts.join(' · '))}`;
}

/** "43,930 · 3.2 %" → "43,930 (3.2 %)", so the row's own "·" separators stay unambiguous. */
function windowWithRate(cell: string): string {
  return cell.replace(/^(.+?) · (.+?)( \(partial\))?$/, '$1 ($2)$3');
}

/** The same content as the blocks, as plain lines, for notifications and screen readers. */
function verdictFallbackText(report: ReportJson, fmt: TimeFormatter, table: VerdictTable): string {
  const { verdict } = report;
  const lines = [
    `${findingLabel(verdict)} · confidence ${verdict.confidence}`,
    escapeMrkdwn(verdict.headline),
    `${escapeMrkdwn(report.index)} · ${escapeMrkdwn(describeAskedMoment(report, fmt))} · ${escapeMrkdwn(describeWindow(report, fmt))}`,
    ...report.asked.notes.map((note) => `Note: ${escapeMrkdwn(note)}`),
    '',
    ...stackedTableLines(table, false),
    ...groupedFootnotes(report, table).map((line) => `Note: ${escapeMrkdwn(line)}`),
    '',
    'Why:',
    ...verdict.reasons.map((reason) => `• ${escapeMrkdwn(reason)}`),
    ...secondaryFindings(report).map((f) => `Also: ${findingLabel(f)} — ${escapeMrkdwn(f.headline)}`),
    '',
    'Next steps:',
    ...collectNextSteps(report).map((step) => `• ${escapeMrkdwn(step)}`),
    '',
    sourcesText(report),
  ];
  return truncateText(lines.join('\n'), BLOCK_LIMITS.fallbackText);
}
