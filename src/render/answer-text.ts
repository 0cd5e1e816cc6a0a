/**
 * A follow-up answer for a terminal: lines of plain text, wrapped to the width. Every string is
 * made printable here (no control characters, no line breaks inside a cell or a span), so a
 * target name or request path from the logs prints as text and nothing else. Pure.
 */

import { type AnswerBlock, type AnswerDocument, spansText } from '../ask/answer-document.js';
import { printableText } from '../files/printable-text.js';
import { drawBoxTable, drawStackedTable } from './text-table.js';
import { wrapText } from './wrap-text.js';

const DEFAULT_WIDTH = 100;

export interface RenderAnswerTextOptions {
  /** Columns prose wraps to. Default 100. */
  width?: number;
  /** Columns a table may take before its rows are stacked instead. Default: `width`. */
  tableWidth?: number;
}

export function renderAnswerText(document: AnswerDocument, options: RenderAnswerTextOptions = {}): string[] {
  const width = options.width ?? DEFAULT_WIDTH;
  const lines = wrapText(oneLine(document.title), width);
  for (const block of document.blocks) lines.push('', ...blockLines(block, width, options.tableWidth ?? width));
  return lines;
}

function blockLines(block: AnswerBlock, width: number, tableWidth: number): string[] {
  switch (block.kind) {
    case 'paragraph':
      return wrapText(oneLine(spansText(block.spans)), width);
    case 'bullets':
      return [
        ...(block.title ? [oneLine(block.title)] : []),
        ...block.items.flatMap((item) => wrapText(oneLine(spansText(item)), width, '• ', '  ')),
      ];
    case 'table': {
      const header = block.header.map(oneLine);
      const rows = block.rows.map((row) => row.map(oneLine));
      return drawBoxTable(header, rows, block.align ?? [], tableWidth) ?? drawStackedTable(header, rows, width);
    }
    case 'note':
      return wrapText(oneLine(block.text), width, 'Note: ', '      ');
  }
}

function oneLine(text: string): string {
  return printableText(text.replace(/\s+/g, ' '));
}
