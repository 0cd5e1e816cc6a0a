/**
 * The neutral form of a follow-up answer: what it says, in paragraphs, bullets, tables and notes,
 * with no markup. Text from logs (target names, requests, trace ids) travels here as plain strings;
 * each renderer escapes it at the edge (render/answer-text.ts for a terminal, render/slack/answer-message.ts
 * for mrkdwn), so no log line can become markup, a mention or an escape sequence. Pure.
 */

/** A run of text; `strong` is emphasis, `code` an identifier or a count shown as typed. */
export interface Span {
  text: string;
  style?: 'strong' | 'code';
}

/** What builders write: plain strings (text, no markup) and spans. */
export type Inline = string | Span;

export type AnswerBlock =
  | { kind: 'paragraph'; spans: Span[] }
  | { kind: 'bullets'; title?: string; items: Span[][] }
  /** Monospace rows (sample rows, a signal table): shown aligned, never reflowed. */
  | { kind: 'table'; header: string[]; rows: string[][]; align?: Array<'left' | 'right'> }
  /** Small print: where the numbers came from, what was left out. */
  | { kind: 'note'; text: string };

export interface AnswerDocument {
  /** One line: what this answers, e.g. "Impact · prod_000_audio · 04:11–07:11 AEST (18:11–21:11 UTC)". */
  title: string;
  blocks: AnswerBlock[];
}

export const strong = (text: string): Span => ({ text, style: 'strong' });
export const code = (text: string): Span => ({ text, style: 'code' });

/** A paragraph from plain strings and spans: `paragraph('Requests: ', strong('31,827'))`. */
export function paragraph(...parts: Inline[]): AnswerBlock {
  return { kind: 'paragraph', spans: parts.map(toSpan) };
}

/** A bullet list; each item is plain strings and spans. */
export function bullets(items: ReadonlyArray<readonly Inline[]>, title?: string): AnswerBlock {
  return { kind: 'bullets', ...(title ? { title } : {}), items: items.map((item) => item.map(toSpan)) };
}

export function note(text: string): AnswerBlock {
  return { kind: 'note', text };
}

export function table(header: string[], rows: string[][], align?: Array<'left' | 'right'>): AnswerBlock {
  return { kind: 'table', header, rows, ...(align ? { align } : {}) };
}

function toSpan(part: Inline): Span {
  return typeof part === 'string' ? { text: part } : part;
}

/** The document as one plain string (for tests and logs): spans joined, no markup. */
export function plainTextOf(document: AnswerDocument): string {
  const lines = [document.title];
  for (const block of document.blocks) {
    if (block.kind === 'paragraph') lines.push(spansText(block.spans));
    else if (block.kind === 'bullets')
      lines.push(...(block.title ? [block.title] : []), ...block.items.map((item) => `• ${spansText(item)}`));
    else if (block.kind === 'table') lines.push(block.header.join(' | '), ...block.rows.map((row) => row.join(' | ')));
    else lines.push(block.text);
  }
  return lines.join('\n');
}

export function spansText(spans: readonly Span[]): string {
  return spans.map((span) => span.text).join('');
}
