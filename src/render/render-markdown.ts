/**
 * The report as GitHub-flavoured Markdown, for pasting into incident docs: the same content
 * and order as the terminal text, with a real table. Pure.
 */
import type { FindingJson, ReportJson } from '../core/report.js';
import type { TimeFormatter } from '../core/types.js';
import { drawSparkline, minutesPerChar, SPARK_HOLE, sparkPosition } from './chart/sparkline.js';
import {
  collectNextSteps,
  describeAroundColumn,
  describeAskedMoment,
  describeCause,
  describeChangesSetAside,
  describeDraftOrigin,
  describeFootnote,
  describeSampleRows,
  describeSources,
  describeWindow,
  secondaryFindings,
} from './report-sections.js';
import { findingLabel } from './verdict-labels.js';
import { type AnswerTable, answerTableFootnotes, buildAnswerTable } from './verdict-table.js';

export interface RenderMarkdownOptions {
  /** A chart written beside the document (--chart): shown as an image after the table. */
  chart?: { path: string; altText: string };
}

/** Characters of each sparkline: code spans do not wrap, and 60 keeps a 3-hour window at 3 minutes a character. */
const SHAPE_CHARS = 60;

export function renderMarkdown(report: ReportJson, fmt: TimeFormatter, options: RenderMarkdownOptions = {}): string {
  const blocks = [
    headerBlock(report, fmt),
    verdictBlock(report.verdict),
    tableBlock(report, fmt),
    options.chart ? chartBlock(options.chart) : [],
    sampleRowsBlock(report, fmt),
    bulletSection('Why', report.verdict.reasons),
    bulletSection('What changed', (report.verdict.causes ?? []).map(describeCause)),
    bulletSection('Also seen around the errors (not causes)', describeChangesSetAside(report)),
    bulletSection('Over the days', report.patterns?.lines ?? []),
    ...secondaryFindings(report).map(secondaryFindingBlock),
    bulletSection('Next steps', collectNextSteps(report)),
    bulletSection('Sources', describeSources(report)),
    draftBlock(report),
  ];
  return `${blocks
    .filter((block) => block.length > 0)
    .map((block) => block.join('\n'))
    .join('\n\n')}\n`;
}

/**
 * Escapes what GitHub would otherwise read as markup in text that comes from data:
 * emphasis, code, links, HTML, and `~` (GitHub renders a single-tilde pair as strikethrough,
 * and "~6/min" is common in our reasons).
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]<>|~]/g, (c) => `\\${c}`);
}

/** A table cell: inline-escaped (pipes included, so the row keeps its columns) and on one line. */
export function escapeTableCell(text: string): string {
  return escapeMarkdown(text).replace(/\r?\n/g, ' ');
}

/** The sample rows as a table; every cell escaped (they come from the logs). */
function sampleRowsBlock(report: ReportJson, fmt: TimeFormatter): string[] {
  const section = describeSampleRows(report, fmt);
  if (!section) return [];
  const row = (cells: readonly string[]) => `| ${cells.map(escapeTableCell).join(' | ')} |`;
  return [
    escapeMarkdown(section.heading),
    '',
    `| ${section.columns.join(' | ')} |`,
    `|${section.columns.map(() => '---').join('|')}|`,
    ...section.rows.map(row),
  ];
}

function headerBlock(report: ReportJson, fmt: TimeFormatter): string[] {
  return [
    `# why502 · \`${report.index}\` · ${escapeMarkdown(describeAskedMoment(report, fmt))}`,
    '',
    `${escapeMarkdown(describeWindow(report, fmt))} · asked as "${escapeMarkdown(report.asked.input)}"`,
    ...report.asked.notes.flatMap((note) => ['', `> **Note:** ${escapeMarkdown(note)}`]),
  ];
}

function verdictBlock(verdict: FindingJson): string[] {
  return [
    `**${escapeMarkdown(findingLabel(verdict))}** · confidence ${verdict.confidence}`,
    '',
    escapeMarkdown(verdict.headline),
  ];
}

/** The answer table with a sparkline column, then what was folded away and the footnotes. */
function tableBlock(report: ReportJson, fmt: TimeFormatter): string[] {
  const table = buildAnswerTable(report, fmt);
  const c = table.columns;
  const row = (cells: readonly string[], shape: string) => `| ${cells.map(escapeTableCell).join(' | ')} | ${shape} |`;
  const notes = [
    ...(table.zeroEverywhere.length > 0
      ? [`0 in every minute of the window: ${table.zeroEverywhere.map((r) => r.label).join('; ')}.`]
      : []),
    ...answerTableFootnotes(report, table).map(describeFootnote),
  ].map((note) => `- ${escapeMarkdown(note)}`);
  const rows =
    table.rows.length === 0
      ? []
      : [
          row([c.signal, c.atMinute, c.around, c.window, c.peak], 'shape'),
          '|---|---:|---:|---:|---:|---|',
          ...table.rows.map((r) =>
            row(
              [r.label, r.atMinute, r.around, r.window, r.peak],
              `\`${drawSparkline(r.perMinute, SHAPE_CHARS, 'unicode').text}\``,
            ),
          ),
          '',
          escapeMarkdown(shapeCaption(table)),
        ];
  return [...rows, ...(notes.length > 0 ? [...(rows.length > 0 ? [''] : []), ...notes] : [])];
}

function shapeCaption(table: AnswerTable): string {
  const perChar = minutesPerChar(table.minutes, SHAPE_CHARS);
  const per = perChar === 1 ? 'one character a minute' : `one character per ${perChar} minutes (their highest count)`;
  const holes = table.rows.some((r) => r.perMinute.includes(null)) ? `; ${SPARK_HOLE.unicode} not measured` : '';
  const asked = `the asked minute is character ${sparkPosition(table.askedIndex, perChar) + 1}`;
  return `${describeAroundColumn(table)} Shape over ${table.columns.window}: ${per}; ${asked}${holes}.`;
}

/** The chart as an image next to the document; `<…>` keeps a path with spaces or brackets whole. */
function chartBlock(chart: { path: string; altText: string }): string[] {
  const target = /[\s()<>]/.test(chart.path) ? `<${chart.path.replace(/[<>]/g, encodeURIComponent)}>` : chart.path;
  return [`![${escapeMarkdown(chart.altText)}](${target})`];
}

function secondaryFindingBlock(finding: FindingJson): string[] {
  return [
    `## Also found: ${escapeMarkdown(findingLabel(finding))} · confidence ${finding.confidence}`,
    '',
    escapeMarkdown(finding.headline),
    ...(finding.reasons.length > 0 ? ['', ...finding.reasons.map((reason) => `- ${escapeMarkdown(reason)}`)] : []),
    ...(finding.causes ?? []).map((cause) => `- What changed: ${escapeMarkdown(describeCause(cause))}`),
  ];
}

function bulletSection(title: string, items: readonly string[]): string[] {
  if (items.length === 0) return [];
  return [`## ${title}`, '', ...items.map((item) => `- ${escapeMarkdown(item)}`)];
}

// Quoted so it stands apart from our own analysis; line breaks and the draft's own bullets survive.
function draftBlock(report: ReportJson): string[] {
  const { draft } = report;
  if (!draft) return [];
  const origin = `_${describeDraftOrigin(draft).replace(/^./, (c) => c.toUpperCase())}._`;
  return [
    '## Draft reply to the customer',
    '',
    draft.note ? `${origin} ${escapeMarkdown(draft.note)}` : origin,
    '',
    ...draft.text
      .trimEnd()
      .split(/\r?\n/)
      .map((line) => (line.trim() === '' ? '>' : `> ${escapeMarkdown(line)}`)),
  ];
}
