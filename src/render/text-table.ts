/** Aligned tables for the terminal: box drawing (Unicode or ASCII), or a stacked layout when too wide. Pure. */
import { displayWidth, wrapText } from './wrap-text.js';

export type CellAlign = 'left' | 'right';
export type BoxStyle = 'unicode' | 'ascii';

interface BoxCharacters {
  horizontal: string;
  vertical: string;
  top: [string, string, string];
  middle: [string, string, string];
  bottom: [string, string, string];
}

const BOX: Readonly<Record<BoxStyle, BoxCharacters>> = {
  unicode: { horizontal: '─', vertical: '│', top: ['┌', '┬', '┐'], middle: ['├', '┼', '┤'], bottom: ['└', '┴', '┘'] },
  ascii: { horizontal: '-', vertical: '|', top: ['+', '+', '+'], middle: ['+', '+', '+'], bottom: ['+', '+', '+'] },
};

/** The width a box table of these cells takes, borders included. */
export function boxTableWidth(header: readonly string[], rows: readonly string[][]): number {
  return columnWidths(header, rows).reduce((sum, w) => sum + w + 3, 1);
}

/** The table in a box, or null when it would not fit in `maxWidth` columns. */
export function drawBoxTable(
  header: readonly string[],
  rows: readonly string[][],
  align: readonly CellAlign[],
  maxWidth: number,
  style: BoxStyle = 'unicode',
): string[] | null {
  const widths = columnWidths(header, rows);
  if (boxTableWidth(header, rows) > maxWidth) return null;
  const box = BOX[style];
  const rule = ([left, middle, right]: [string, string, string]) =>
    `${left}${widths.map((w) => box.horizontal.repeat(w + 2)).join(middle)}${right}`;
  const line = (cells: readonly string[]) =>
    `${box.vertical} ${widths.map((w, i) => pad(cells[i] ?? '', w, align[i] ?? 'left')).join(` ${box.vertical} `)} ${box.vertical}`;
  return [rule(box.top), line(header), rule(box.middle), ...rows.map(line), rule(box.bottom)];
}

/**
 * One block per row for narrow terminals: the first cell as a title, then one
 * "column: value" line per other cell, so no value is split across lines.
 */
export function drawStackedTable(header: readonly string[], rows: readonly string[][], maxWidth: number): string[] {
  return rows.flatMap((row) => [
    row[0] ?? '',
    ...header.slice(1).flatMap((title, i) => wrapText(`${title}: ${row[i + 1] ?? ''}`, maxWidth, '  ', '    ')),
  ]);
}

function columnWidths(header: readonly string[], rows: readonly string[][]): number[] {
  return header.map((title, i) => Math.max(displayWidth(title), ...rows.map((row) => displayWidth(row[i] ?? ''))));
}

function pad(text: string, width: number, align: CellAlign): string {
  const fill = ' '.repeat(Math.max(0, width - displayWidth(text)));
  return align === 'right' ? `${fill}${text}` : `${text}${fill}`;
}
