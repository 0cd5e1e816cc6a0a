/**
 * The report for a terminal: lines of plain text (the CLI adds colour), readable at 100
 * columns. Same content and order as the Markdown and Slack renderers. Pure.
 */
import type { FindingJson, ReportJson } from '../core/report.js';
import type { TimeFormatter } from '../core/types.js';
import {
  type Charset,
  drawSparkline,
  markerLine,
  minutesPerChar,
  SPARK_HOLE,
  SPARK_MARKER,
  sparkPosition,
} from './chart/sparkline.js';
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
  describeVerdict,
  describeWindow,
  secondaryFindings,
} from './report-sections.js';
import { boxTableWidth, type CellAlign, drawBoxTable, drawStackedTable } from './text-table.js';
import { type AnswerTable, answerTableFootnotes, buildAnswerTable } from './verdict-table.js';
import { wrapText } from './wrap-text.js';

export { VERDICT_LABELS } from './verdict-labels.js';

export interface RenderTextOptions {
  /** Terminal width in columns; prose wraps to it and the table falls back to stacked rows. Default 100. */
  width?: number;
  /** Columns the table may use, so a wide terminal gives the sparklines room. Default: `width`. */
  tableWidth?: number;
  /** Plain ASCII only: box, sparklines and punctuation, for terminals that cannot show Unicode. */
  ascii?: boolean;
}

const DEFAULT_WIDTH = 100;
const TABLE_ALIGN: readonly CellAlign[] = ['left', 'right', 'right', 'right', 'right'];
/** The sparkline column appears only when it can be this wide; otherwise the shapes go under the table. */
const MIN_SHAPE_COLUMN_CHARS = 24;
const MAX_SHAPE_CHARS = 60;

export function renderText(input: ReportJson, inputFmt: TimeFormatter, options: RenderTextOptions = {}): string[] {
  const width = options.width ?? DEFAULT_WIDTH;
  const charset: Charset = options.ascii ? 'ascii' : 'unicode';
  // Folded before wrapping: "…" becomes "...", so folding after would push lines past the width.
  const report = options.ascii ? foldReportToAscii(input) : input;
  const fmt = options.ascii ? asciiFormatter(inputFmt) : inputFmt;
  const blocks = [
    headerBlock(report, fmt, width),
    verdictBlock(report.verdict, width),
    tableBlock(report, fmt, { width, tableWidth: options.tableWidth ?? width, charset }),
    sampleRowsBlock(report, fmt),
    bulletSection('Why:', report.verdict.reasons, width),
    bulletSection('What changed:', (report.verdict.causes ?? []).map(describeCause), width),
    bulletSection('Also seen around the errors (not causes):', describeChangesSetAside(report), width),
    bulletSection('Over the days:', report.patterns?.lines ?? [], width),
    ...secondaryFindings(report).map((finding) => secondaryFindingBlock(finding, width)),
    bulletSection('Next steps:', collectNextSteps(report), width),
    bulletSection('Sources:', describeSources(report), width),
    draftBlock(report),
  ];
  const lines = joinBlocks(blocks);
  return options.ascii ? lines.map(foldToAscii) : lines;
}

const ASCII_REPLACEMENTS: Readonly<Record<string, string>> = {
  '–': '-',
  '—': '-',
  '·': '-',
  '…': '...',
  '‘': "'",
  '’': "'",
  '“': '"',
  '”': '"',
  '▼': 'v',
  '→': '->',
  '±': '+/-',
  '×': 'x',
  '≤': '<=',
  '≥': '>=',
  '\u00a0': ' ',
};

function foldReportToAscii(report: ReportJson): ReportJson {
  return JSON.parse(JSON.stringify(report), (_key, value: unknown) =>
    typeof value === 'string' ? foldToAscii(value) : value,
  ) as ReportJson;
}

function asciiFormatter(fmt: TimeFormatter): TimeFormatter {
  return {
    zoneLabel: foldToAscii(fmt.zoneLabel),
    minute: (instant) => foldToAscii(fmt.minute(instant)),
    range: (start, end) => foldToAscii(fmt.range(start, end)),
    localClock: (instant) => foldToAscii(fmt.localClock(instant)),
    localDate: (instant) => foldToAscii(fmt.localDate(instant)),
  };
}

/** The line in plain ASCII: known punctuation spelled out, accents dropped, anything else "?". */
export function foldToAscii(line: string): string {
  const replaced = [...line].map((c) => ASCII_REPLACEMENTS[c] ?? c).join('');
  return replaced
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\x20-\x7e]/g, '?');
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

interface TableLayout {
  width: number;
  tableWidth: number;
  charset: Charset;
}

/**
 * The answer table, then the rows it folded away (zero everywhere) and its footnotes (not
 * measured, partial).
 */
function tableBlock(report: ReportJson, fmt: TimeFormatter, layout: TableLayout): string[] {
  const table = buildAnswerTable(report, fmt);
  return [
    ...(table.rows.length > 0 ? drawAnswerTable(table, layout) : []),
    ...foldedLines(table, layout.width),
    ...answerTableFootnotes(report, table).flatMap((f) => wrapText(describeFootnote(f), layout.width, '* ', '  ')),
  ];
}

/**
 * Numbers per signal, and each signal's shape over the window: as a sparkline column when the
 * width leaves room for a useful one, else as lines under the table (or under the stacked rows
 * of a narrow terminal), all aligned under one marker for the asked minute.
 */
function drawAnswerTable(table: AnswerTable, layout: TableLayout): string[] {
  const { columns: c } = table;
  const header = [c.signal, c.atMinute, c.around, c.window, c.peak];
  // "1,047 · 3.3 %" would fold to "1,047 - 3.3 %", which reads as a subtraction.
  const windowCell = (cell: string) =>
    layout.charset === 'ascii' ? cell.replace(/^(.+?) · (.+?)( \(partial\))?$/, '$1 ($2)$3') : cell;
  const cells = table.rows.map((row) => [row.label, row.atMinute, row.around, windowCell(row.window), row.peak]);
  const room = layout.tableWidth - boxTableWidth(header, cells) - 3;
  if (room >= MIN_SHAPE_COLUMN_CHARS) {
    const shapes = shapeLines(table, Math.min(MAX_SHAPE_CHARS, room), layout.charset);
    const withShapes = cells.map((row, i) => [...row, shapes.lines[i] ?? '']);
    const drawn = drawBoxTable(
      [...header, shapes.marker],
      withShapes,
      [...TABLE_ALIGN, 'left'],
      layout.tableWidth,
      layout.charset,
    );
    if (drawn) return [...drawn, ...wrapText(shapeCaption(table, shapes, layout.charset), layout.width)];
  }
  const shapes = shapeLines(
    table,
    Math.min(MAX_SHAPE_CHARS, layout.tableWidth - labelWidth(table) - 4),
    layout.charset,
  );
  const drawn =
    drawBoxTable(header, cells, TABLE_ALIGN, layout.tableWidth, layout.charset) ??
    drawStackedTable(header, cells, layout.width);
  return [
    ...drawn,
    ...shapeBlock(table, shapes),
    ...wrapText(shapeCaption(table, shapes, layout.charset), layout.width),
  ];
}

interface Shapes {
  /** One sparkline per table row. */
  lines: string[];
  /** A line as wide as the sparklines with the marker over the asked minute. */
  marker: string;
  minutesPerChar: number;
  holes: boolean;
}

function shapeLines(table: AnswerTable, maxChars: number, charset: Charset): Shapes {
  const chars = Math.max(8, maxChars);
  const perChar = minutesPerChar(table.minutes, chars);
  const lines = table.rows.map((row) => drawSparkline(row.perMinute, chars, charset).text);
  const width = Math.ceil(table.minutes / perChar);
  const askedClock = table.columns.atMinute.replace(/^at (\S+).*$/, '$1');
  return {
    lines,
    marker: markerLine(sparkPosition(table.askedIndex, perChar), width, askedClock, charset),
    minutesPerChar: perChar,
    holes: table.rows.some((row) => row.perMinute.includes(null)),
  };
}

function labelWidth(table: AnswerTable): number {
  return Math.max(0, ...table.rows.map((row) => [...row.label].length));
}

/** The sparklines under a table too narrow for them, aligned under one marker line. */
function shapeBlock(table: AnswerTable, shapes: Shapes): string[] {
  const indent = labelWidth(table) + 3;
  return [
    `${' '.repeat(indent)}${shapes.marker}`.trimEnd(),
    ...table.rows.map((row, i) => `  ${row.label.padEnd(indent - 3)} ${shapes.lines[i] ?? ''}`),
  ];
}

function shapeCaption(table: AnswerTable, shapes: Shapes, charset: Charset): string {
  const per =
    shapes.minutesPerChar === 1
      ? 'one character a minute'
      : `one character per ${shapes.minutesPerChar} minutes (their highest count)`;
  const holes = shapes.holes ? `; ${SPARK_HOLE[charset]} not measured` : '';
  return `${describeAroundColumn(table)} Shape over ${table.columns.window}: ${per}; ${SPARK_MARKER[charset]} the asked minute${holes}.`;
}

/** Signals measured in full with nothing in any minute: one line naming them, not a row each. */
function foldedLines(table: AnswerTable, width: number): string[] {
  if (table.zeroEverywhere.length === 0) return [];
  return wrapText(
    `0 in every minute of the window: ${table.zeroEverywhere.map((row) => row.label).join('; ')}.`,
    width,
  );
}

function secondaryFindingBlock(finding: FindingJson, width: number): string[] {
  return [
    ...wrapText(`Also found: ${describeVerdict(finding)}`, width),
    ...wrapText(finding.headline, width, '  '),
    ...finding.reasons.flatMap((reason) => wrapText(reason, width, '  - ', '    ')),
    ...(finding.causes ?? []).flatMap((cause) =>
      wrapText(`What changed: ${describeCause(cause)}`, width, '  - ', '    '),
    ),
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

/** A few LB-minted 5xx rows as aligned columns (the widest cells are trace ids: they stay whole, to be searched for). */
function sampleRowsBlock(report: ReportJson, fmt: TimeFormatter): string[] {
  const section = describeSampleRows(report, fmt);
  if (!section) return [];
  const all = [section.columns, ...section.rows];
  const widths = section.columns.map((_, i) => Math.max(...all.map((row) => row[i]!.length)));
  const line = (row: readonly string[]) =>
    `  ${row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ')}`;
  return [section.heading, ...all.map(line)];
}

function joinBlocks(blocks: readonly string[][]): string[] {
  return blocks.filter((block) => block.length > 0).flatMap((block, i) => (i === 0 ? block : ['', ...block]));
}
