/**
 * The verdict message of the thread (CONTRACT §7), in Block Kit: the verdict, its headline,
 * the incident's per-minute picture, the answer table, the reasons, next steps, a few sample
 * log rows and the sources, plus message metadata and a `text` fallback that says the same.
 * Pure: a report and a TimeFormatter in, a message out.
 *
 * The picture. Slack's `data_visualization` block (a line chart of the minutes around the asked
 * time) in the richest layout; where a workspace refuses it (a phased rollout answers
 * `invalid_blocks`, or any other error), the next layouts carry text sparklines instead.
 *
 * The table is the terminal's answer table (buildAnswerTable): the asked minute, the minutes
 * around it, the window and the peak, cross-checks side by side, rows that are 0 in every
 * minute folded into one line. Slack has a native `table` block (rows ≤ 100, cells ≤ 20 a row,
 * one table a message). It renders a real grid on desktop and scrolls sideways on a phone, so it
 * is the default ("native"). The "stacked" style renders each signal as one mrkdwn line — label,
 * then the minute, the minutes around it, the window and the peak — which wraps cleanly on any
 * client at any width; it is used when Slack does not take the table block (older clients,
 * Enterprise policies, a rollout gap, or any error on it: the thread's outbox moves to the next
 * layout, see thread-outbox.ts) or when chosen with WHY502_SLACK_TABLE=stacked.
 * The `text` fallback always carries the stacked lines.
 */
import type { FindingJson, ReportJson } from '../../core/report.js';
import type { TimeFormatter } from '../../core/types.js';
import {
  collectNextSteps,
  describeAroundColumn,
  describeAskedMoment,
  describeFootnote,
  describeSource,
  describeWindow,
  secondaryFindings,
} from '../report-sections.js';
import { findingLabel } from '../verdict-labels.js';
import {
  type AnswerTable,
  answerTableFootnotes,
  buildAnswerTable,
  EMPTY_CELL,
  type VerdictTableRow,
} from '../verdict-table.js';
import {
  BLOCK_LIMITS,
  bulletSections,
  context,
  escapeMrkdwn,
  fitBlocks,
  header,
  type KnownBlock,
  mrkdwnSection,
  type PrioritisedBlock,
  type TableBlock,
  truncateText,
} from './block-kit.js';
import { chartBlocks, slackChartFor, sparklineBlocks, sparklineText } from './chart-blocks.js';
import { renderSamples } from './sample-rows.js';
import type { MessageMetadata, SlackMessage } from './slack-message.js';
import { VERDICT_ICONS } from './verdict-icons.js';

export type TableStyle = 'native' | 'stacked';
export const TABLE_STYLES: readonly TableStyle[] = ['native', 'stacked'];

export interface VerdictMessageOptions {
  tableStyle: TableStyle;
  /**
   * The per-minute picture: Slack's chart block (the default; text sparklines when the report
   * has nothing to chart), or the sparklines (the layouts after Slack refused the chart block).
   */
  picture?: 'chart' | 'sparklines';
}

export const VERDICT_EVENT_TYPE = 'why502_verdict';
/** Slack's table block takes at most 100 rows, header included here, and 20 cells a row. */
const TABLE_MAX_ROWS = 100;

const TRUNCATION_NOTE =
  'Some sections were left out to fit Slack’s message limits. The terminal has the full report: `npx why502 … --format markdown`.';

export function renderVerdictMessage(
  report: ReportJson,
  fmt: TimeFormatter,
  options: VerdictMessageOptions,
): SlackMessage {
  const table = buildAnswerTable(report, fmt);
  const chart = options.picture === 'sparklines' ? null : slackChartFor(report, fmt);
  const samples = renderSamples(report, fmt);
  const blocks: PrioritisedBlock[] = [
    { block: header(`${findingLabel(report.verdict)}`) },
    { block: mrkdwnSection(leadText(report, fmt)) },
    ...report.asked.notes.map((note) => ({
      block: context(`:information_source: ${escapeMrkdwn(note)}`),
      optional: true,
    })),
    ...(chart ? chartBlocks(chart) : sparklineBlocks(report, fmt)),
    ...tableBlocks(table, options.tableStyle).map((block) => ({ block })),
    ...tableNoteBlocks(report, table),
    ...bulletSections('*Why*', report.verdict.reasons.map(escapeMrkdwn)).map((block, i) => ({
      block,
      optional: i > 0,
    })),
    ...bulletSections('*What changed*', causeLines(report, fmt).map(escapeMrkdwn)).map((block, i) => ({
      block,
      optional: i > 0,
    })),
    ...bulletSections('*Over the days*', (report.patterns?.lines ?? []).map(escapeMrkdwn)).map((block, i) => ({
      block,
      optional: i > 0,
    })),
    ...secondaryFindings(report).map((finding) => ({ block: mrkdwnSection(secondaryText(finding)), optional: true })),
    ...bulletSections('*Next steps*', collectNextSteps(report).map(escapeMrkdwn)).map((block) => ({
      block,
      optional: true,
    })),
    ...(samples ? [{ block: mrkdwnSection(samples.mrkdwn), optional: true }] : []),
    { block: context(sourcesText(report)) },
  ];
  return {
    text: verdictFallbackText(report, fmt, table),
    blocks: fitBlocks(blocks, TRUNCATION_NOTE),
    metadata: verdictMetadata(report),
  };
}

/**
 * The verdict message in the layouts to try, richest first: with Slack's chart block (when the
 * report has something to chart), then without it — text sparklines in its place — with the
 * native table (when it is the preferred style), with the stacked lines, and last the text
 * alone. Every layout carries the same `why502_verdict` metadata, so a fallback is still found
 * by other apps and by the summary.
 */
export function renderVerdictLayouts(report: ReportJson, fmt: TimeFormatter, preferred: TableStyle): SlackMessage[] {
  const styles: TableStyle[] = preferred === 'native' ? ['native', 'stacked'] : ['stacked'];
  const layouts: SlackMessage[] = [];
  if (slackChartFor(report, fmt))
    layouts.push(renderVerdictMessage(report, fmt, { tableStyle: styles[0]!, picture: 'chart' }));
  layouts.push(...styles.map((tableStyle) => renderVerdictMessage(report, fmt, { tableStyle, picture: 'sparklines' })));
  const first = layouts[0]!;
  layouts.push({ text: first.text, blocks: [], ...(first.metadata ? { metadata: first.metadata } : {}) });
  return layouts;
}

/**
 * CONTRACT §7: `at` and the window bounds as ISO 8601 UTC, exactly as the report has them. Also
 * what the channel's summary shows without reading the message's blocks: the headline (plain
 * text, not escaped: metadata is data, never rendered as mrkdwn by Slack), the asked zone's label
 * and the cause kinds ("deploy,oom_kill") when the verdict has causes.
 */
export function verdictMetadata(report: ReportJson): MessageMetadata {
  const causes = [...new Set((report.verdict.causes ?? []).map((cause) => cause.kind))];
  return {
    event_type: VERDICT_EVENT_TYPE,
    event_payload: {
      index: report.index,
      at: report.at,
      verdict_kind: report.verdict.kind,
      confidence: report.verdict.confidence,
      window_start: report.window.start,
      window_end: report.window.end,
      headline: truncateText(report.verdict.headline, METADATA_HEADLINE_CHARS),
      zone: report.asked.zone,
      ...(causes.length > 0 ? { causes: causes.join(',') } : {}),
    },
  };
}

/** The summary reads at most 500 characters of a headline (src/summary/verdict-record.ts). */
const METADATA_HEADLINE_CHARS = 500;
/** A cause's evidence quotes an event or a log line; past this it is cut (the JSON report keeps it whole). */
const CAUSE_EVIDENCE_CHARS = 240;

/**
 * "05:38 AEST — 1 traefik pod OOM-killed (exit 137) (kubectl events: OOMKilling …)", one line per
 * cause of the verdict, the time in the asked zone ("standing" for a configuration with no
 * instant). Plain text: the caller escapes it, since `what` and `evidence` come from events and logs.
 */
export function causeLines(report: ReportJson, fmt: TimeFormatter): string[] {
  return (report.verdict.causes ?? []).map((cause) => {
    const when = cause.at ? `${fmt.localClock(new Date(cause.at))} ${fmt.zoneLabel}` : 'standing';
    const what = cause.what.replace(/\s+/g, ' ').trim();
    const evidence = truncateText(cause.evidence.replace(/\s+/g, ' ').trim(), CAUSE_EVIDENCE_CHARS);
    return `${when} — ${what}${evidence ? ` (${evidence})` : ''}`;
  });
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
function groupedFootnotes(report: ReportJson, table: AnswerTable): string[] {
  const byReason = new Map<string, { status: string; labels: string[] }>();
  for (const footnote of answerTableFootnotes(report, table)) {
    const key = `${footnote.status}|${footnote.reason}`;
    const group = byReason.get(key) ?? { status: footnote.status, labels: [] };
    group.labels.push(footnote.label);
    byReason.set(key, group);
  }
  return [...byReason.entries()].map(([key, group]) =>
    describeFootnote({
      label: group.labels.join(', '),
      status: group.status,
      reason: key.slice(key.indexOf('|') + 1),
    } as Parameters<typeof describeFootnote>[0]),
  );
}

/** "0 in every minute of the window: origin 5xx (proxy); target 5xx (ALB)." — one line, not a row each. */
function foldedLine(table: AnswerTable): string | null {
  if (table.zeroEverywhere.length === 0) return null;
  return `0 in every minute of the window: ${table.zeroEverywhere.map((row) => row.label).join('; ')}.`;
}

/** What the "around" column covers and what was folded away, then the footnotes, under the table. */
function tableNoteBlocks(report: ReportJson, table: AnswerTable): PrioritisedBlock[] {
  const folded = foldedLine(table);
  const about = [...(table.rows.length > 0 ? [describeAroundColumn(table)] : []), ...(folded ? [folded] : [])].map(
    escapeMrkdwn,
  );
  const footnotes = groupedFootnotes(report, table).map((line) => `:warning: ${escapeMrkdwn(line)}`);
  const elements = [...(about.length > 0 ? [about.join('\n')] : []), ...footnotes];
  // A context block holds at most 10 elements; more footnotes share the last one.
  if (elements.length === 0) return [];
  const fitted = elements.length <= 10 ? elements : [...elements.slice(0, 9), elements.slice(9).join('\n')];
  return [{ block: context(...fitted) }];
}

export function tableBlocks(table: AnswerTable, style: TableStyle): KnownBlock[] {
  if (table.rows.length === 0) return [];
  return style === 'native' ? [nativeTable(table)] : stackedTable(table);
}

function nativeTable(table: AnswerTable): TableBlock {
  // A blank cell reads as "nothing measured here"; the table's own mark for "no value" is "—".
  const cell = (text: string) => ({ type: 'raw_text' as const, text: text.trim() === '' ? EMPTY_CELL : text });
  const c = table.columns;
  const rows = [
    [c.signal, c.atMinute, c.around, c.window, c.peak],
    ...table.rows.map((row) => [row.label, row.atMinute, row.around, row.window, row.peak]),
  ]
    .slice(0, TABLE_MAX_ROWS)
    .map((cells) => cells.map(cell));
  return {
    type: 'table',
    rows,
    column_settings: [
      { is_wrapped: true },
      { align: 'right' },
      { align: 'right' },
      { align: 'right', is_wrapped: true },
      { align: 'right' },
    ],
  };
}

/** One line per signal; sections split between lines to stay under the section limit. */
function stackedTable(table: AnswerTable): KnownBlock[] {
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
 * "*429 throttled (proxy PR--)*: 0 at 05:41 · 955 in 05:29–05:46 · 1,047 (3.3 %) in window ·
 * peak 143 at 05:34", one line per signal under a title that names the zone, the minutes
 * around the asked one and the window once. Unmeasured signals collapse to "label: unavailable"
 * so they cannot be misread as zeros.
 */
export function stackedTableLines(table: AnswerTable, bold: boolean): string[] {
  const strong = (text: string) => (bold ? `*${text}*` : text);
  const c = table.columns;
  // "at 05:41 AEST" → "at 05:41": the title carries the zone, each row the clock.
  const atShort = c.atMinute.replace(/\s+\S+$/, '');
  const title = `${strong('Signals')} — ${escapeMrkdwn(c.atMinute.replace(/^at /, 'at the asked minute, '))} · around it, ${escapeMrkdwn(c.around)} · in the window ${escapeMrkdwn(c.window)} · peak minute`;
  return [title, ...table.rows.map((row) => stackedRow(row, atShort, c.around, strong))];
}

function stackedRow(row: VerdictTableRow, atShort: string, around: string, strong: (text: string) => string): string {
  const label = strong(escapeMrkdwn(row.label));
  if (row.status === 'unavailable') return `${label}: unavailable`;
  const parts = [`${row.atMinute} ${atShort}`, `${row.around} in ${around}`, `${windowWithRate(row.window)} in window`];
  if (row.peak !== EMPTY_CELL) parts.push(`peak ${row.peak}`);
  return `${label}: ${escapeMrkdwn(parts.join(' · '))}`;
}

/** "43,930 · 3.2 %" → "43,930 (3.2 %)", so the row's own "·" separators stay unambiguous. */
function windowWithRate(cell: string): string {
  return cell.replace(/^(.+?) · (.+?)( \(partial\))?$/, '$1 ($2)$3');
}

/**
 * The same content as the blocks, as plain lines, for notifications, screen readers and the
 * text-alone layout. Within Slack's recommended 4,000 characters: the optional parts (secondary
 * findings, next steps, the sparklines, the sample rows) go first, last first.
 */
function verdictFallbackText(report: ReportJson, fmt: TimeFormatter, table: AnswerTable): string {
  const { verdict } = report;
  const folded = foldedLine(table);
  const sparklines = sparklineText(report, fmt);
  const samples = renderSamples(report, fmt);
  const parts: TextPart[] = [
    {
      lines: [
        `${findingLabel(verdict)} · confidence ${verdict.confidence}`,
        escapeMrkdwn(verdict.headline),
        `${escapeMrkdwn(report.index)} · ${escapeMrkdwn(describeAskedMoment(report, fmt))} · ${escapeMrkdwn(describeWindow(report, fmt))}`,
        ...report.asked.notes.map((note) => `Note: ${escapeMrkdwn(note)}`),
        '',
        ...(table.rows.length > 0
          ? [...stackedTableLines(table, false), escapeMrkdwn(describeAroundColumn(table))]
          : []),
        ...(folded ? [escapeMrkdwn(folded)] : []),
        ...groupedFootnotes(report, table).map((line) => `Note: ${escapeMrkdwn(line)}`),
        '',
        'Why:',
        ...verdict.reasons.map((reason) => `• ${escapeMrkdwn(reason)}`),
        ...(verdict.causes?.length
          ? ['', 'What changed:', ...causeLines(report, fmt).map((line) => `• ${escapeMrkdwn(line)}`)]
          : []),
        ...(report.patterns
          ? ['', 'Over the days:', ...report.patterns.lines.map((line) => `• ${escapeMrkdwn(line)}`)]
          : []),
      ],
    },
    {
      lines: secondaryFindings(report).map((f) => `Also: ${findingLabel(f)} — ${escapeMrkdwn(f.headline)}`),
      optional: true,
    },
    {
      lines: ['', 'Next steps:', ...collectNextSteps(report).map((step) => `• ${escapeMrkdwn(step)}`)],
      optional: true,
    },
    ...(sparklines ? [{ lines: ['', sparklines], optional: true }] : []),
    ...(samples ? [{ lines: ['', ...samples.lines], optional: true }] : []),
    { lines: ['', sourcesText(report)] },
  ];
  return truncateText(fitTextParts(parts, BLOCK_LIMITS.fallbackText), BLOCK_LIMITS.fallbackText);
}

interface TextPart {
  lines: string[];
  optional?: boolean;
}

/** Joins the parts, leaving out optional ones from the last until the text fits in `max`. */
function fitTextParts(parts: readonly TextPart[], max: number): string {
  const kept = [...parts];
  const join = () => kept.flatMap((part) => part.lines).join('\n');
  for (let i = kept.length - 1; i >= 0 && join().length > max; i -= 1) {
    if (kept[i]!.optional) kept.splice(i, 1);
  }
  return join();
}
