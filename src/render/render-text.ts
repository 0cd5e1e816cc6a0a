/**
 * The report for a terminal: lines of plain text (the CLI adds colour), readable at 100
 * columns. Same content and order as the Markdown and Slack renderers. Pure.
 */
import type { FindingJson, ReportJson } from '../core/report.js';
import type { TimeFormatter } from '../core/types.js';
import {
  collectNextSteps,
  describeAskedMoment,
  describeDraftOrigin,
  describeFootnote,
  describeSource,
  describeVerdict,
  describeWindow,
  secondaryFindings,
} from './report-sections.js';
import { drawBoxTable, drawStackedTable, type CellAlign } from './text-table.js';
import { buildTableFootnotes, buildVerdictTable } from './verdict-table.js';
import { wrapText } from './wrap-text.js';

export { VERDICT_LABELS } from './verdict-labels.js';

export interface RenderTextOptions {
  /** Terminal width in columns; prose wraps to it and the table falls back to stacked rows. Default 100. */
  width?: number;
}

const DEFAULT_WIDTH = 100;
const TABLE_ALIGN: readonly CellAlign[] = ['left', 'right', 'right', 'right'];

export function renderText(report: ReportJson, fmt: TimeFormatter, options: RenderTextOptions = {}): string[] {
  const width = options.width ?? DEFAULT_WIDTH;
  const blocks = [
    headerBlock(report, fmt, width),
    verdictBlock(report.verdict, width),
    tableBlock(report, fmt, width),
    bulletSection('Why:', report.verdict.reasons, width),
    ...secondaryFindings(report).map((finding) => secondaryFindingBlock(finding, width)),
    bulletSection('Next steps:', collectNextSteps(report), width),
    bulletSection('Sources:', report.sources.map(describeSource), width),
    draftBlock(report),
  ];
  return joinBlocks(blocks);
}

function headerBlock(report: ReportJson, fmt: TimeFormatter, width: number): string[] {
  return [
    ...wrapText(`why502 · ${report.index} · ${describeAskedMoment(report, fmt)}`, width),
    ...wrapText(`${describeWindow(report, fmt)} · asked as "${report.asked.input}"`, width),
    ...report.asked.notes.flatMap((note) => wrapText(note, width, 'Note: ', '      ')),
  ];
}

function verdictBlock(verdict: FindingJson, width: number): string[] {
  return [...wrapText(describeVerdict(verdict), width), ...wrapText(verdict.headline, width)];
}

function tableBlock(report: ReportJson, fmt: TimeFormatter, width: number): string[] {
  const table = buildVerdictTable(report, fmt);
  const cells = table.rows.map((row) => [row.label, row.atMinute, row.window, row.peak]);
  const drawn = drawBoxTable(table.columns, cells, TABLE_ALIGN, width) ?? drawStackedTable(table.columns, cells, width);
  const footnotes = buildTableFootnotes(report, table).flatMap((f) => wrapText(describeFootnote(f), width, '* ', '  '));
  return [...drawn, ...footnotes];
}

function secondaryFindingBlock(finding: FindingJson, width: number): string[] {
  return [
    ...wrapText(`Also found: ${describeVerdict(finding)}`, width),
    ...wrapText(finding.headline, width, '  '),
    ...finding.reasons.flatMap((reason) => wrapText(reason, width, '  - ', '    ')),
  ];
}

function bulletSection(title: string, items: readonly string[], width: number): string[] {
  if (items.length === 0) return [];
  return [title, ...items.flatMap((item) => wrapText(item, width, '  - ', '    '))];
}

// The draft keeps its own line breaks and is not wrapped: it is meant to be copied as is.
function draftBlock(report: ReportJson): string[] {
  const { draft } = report;
  if (!draft) return [];
  return [
    `Draft reply to the customer (${describeDraftOrigin(draft)}):`,
    ...(draft.note ? [`Note: ${draft.note}`] : []),
    '',
    ...draft.text.trimEnd().split(/\r?\n/),
  ];
}

function joinBlocks(blocks: readonly string[][]): string[] {
  return blocks.filter((block) => block.length > 0).flatMap((block, i) => (i === 0 ? block : ['', ...block]));
}
