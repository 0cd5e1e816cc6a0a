/** Aligned tables for the terminal: Unicode box drawing, or a stacked layout when too wide. Pure. */
import { displayWidth, wrapText } from './wrap-text.js';

export type CellAlign = 'left' | 'right';

/** The table in a box, or null when it would not fit in `maxWidth` columns. */
export function drawBoxTable(header: readonly string[], rows: readonly string[][], align: readonly CellAlign[], maxWidth: number): string[] | null {
  const widths = header.map((title, i) => Math.max(displayWidth(title), ...rows.map((row) => displayWidth(row[i] ?? ''))));
  const totalWidth = widths.reduce((sum, w) => sum + w + 3, 1);
  if (totalWidth > maxWidth) return null;
  const rule = (left: string, middle: string, right: string) => `${left}${widths.map((w) => '─'.repeat(w + 2)).join(middle)}${right}`;
  const line = (cells: readonly string[]) => `│ ${widths.map((w, i) => pad(cells[i] ?? '', w, align[i] ?? 'left')).join(' │ ')} │`;
  return [rule('┌', '┬', '┐'), line(header), rule('├', '┼', '┤'), ...rows.map(line), rule('└', '┴', '┘')];
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

function pad(text: string, width: number, align: CellAlign): string {
  const fill = ' '.repeat(Math.max(0, width - displayWidth(text)));
  return align === 'right' ? `${fill}${text}` : `${text}${fill}`;
}
