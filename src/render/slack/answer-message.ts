/**
 * A follow-up answer as a Slack thread reply: Block Kit blocks and a `text` fallback that says the
 * same. All text is escaped here (`&`, `<`, `>`: no mention, broadcast or link can be formed from
 * log text), identifiers go in code spans (no bold or italics from a name with `*` or `_`), and
 * tables go in code blocks. Inside Slack's limits (block-kit.ts). Pure.
 */

import { type AnswerBlock, type AnswerDocument, plainTextOf, type Span } from '../../ask/answer-document.js';
import { printableText } from '../../files/printable-text.js';
import { displayWidth } from '../wrap-text.js';
import {
  BLOCK_LIMITS,
  bulletSections,
  context,
  escapeMrkdwn,
  fitBlocks,
  mrkdwnSection,
  type PrioritisedBlock,
  truncateText,
} from './block-kit.js';
import type { SlackMessage } from './slack-message.js';

const TRUNCATION_NOTE =
  'Part of this answer was left out to fit Slack’s limits; `npx why502 ask <report.json> …` prints all of it.';
/** A code block's fences and line breaks take a few characters of the section's 3,000. */
const CODE_BLOCK_CHARS = BLOCK_LIMITS.sectionText - 20;

export function renderAnswerSlack(document: AnswerDocument): SlackMessage {
  const blocks: PrioritisedBlock[] = [
    { block: mrkdwnSection(`*${escapeStrong(document.title)}*`) },
    ...document.blocks.flatMap((block, i) =>
      slackBlocks(block).map((slackBlock) => ({ block: slackBlock, optional: i > 0 })),
    ),
  ];
  return {
    text: truncateText(
      escapeMrkdwn(printableText(plainTextOf(document), { multiline: true })),
      BLOCK_LIMITS.fallbackText,
    ),
    blocks: fitBlocks(blocks, TRUNCATION_NOTE),
  };
}

function slackBlocks(block: AnswerBlock): PrioritisedBlock['block'][] {
  switch (block.kind) {
    case 'paragraph':
      return [mrkdwnSection(spansMrkdwn(block.spans))];
    case 'bullets':
      return bulletSections(block.title ? `*${escapeStrong(block.title)}*` : '', block.items.map(spansMrkdwn));
    case 'table':
      return codeBlocks(alignedRows(block.header, block.rows, block.align ?? [])).map((text) => mrkdwnSection(text));
    case 'note':
      return [context(escapeMrkdwn(oneLine(block.text)))];
  }
}

/** mrkdwn for spans: plain text escaped, emphasis in `*`, identifiers in backticks. */
export function spansMrkdwn(spans: readonly Span[]): string {
  return spans
    .map((span) => {
      if (span.style === 'strong') return strongMrkdwn(span.text);
      if (span.style === 'code') return `\`${escapeCode(span.text)}\``;
      return escapeMrkdwn(oneLine(span.text));
    })
    .join('');
}

/**
 * Slack reads `*…*` as bold only when no space touches the asterisks inside ("*Everyone: *20"
 * shows its asterisks): the span's outer spaces go outside them.
 */
function strongMrkdwn(text: string): string {
  const inner = escapeStrong(text);
  const trimmed = inner.trim();
  if (trimmed === '') return inner;
  const lead = inner.slice(0, inner.length - inner.trimStart().length);
  const trail = inner.slice(inner.trimEnd().length);
  return `${lead}*${trimmed}*${trail}`;
}

function escapeStrong(text: string): string {
  return escapeMrkdwn(oneLine(text)).replace(/\*/g, '∗');
}

/** A backtick would close the span early; it becomes a plain quote. */
function escapeCode(text: string): string {
  return escapeMrkdwn(oneLine(text)).replace(/`/g, "'");
}

function oneLine(text: string): string {
  return printableText(text.replace(/\s+/g, ' '));
}

function alignedRows(
  header: readonly string[],
  rows: readonly string[][],
  align: ReadonlyArray<'left' | 'right'>,
): string[] {
  const all = [header, ...rows].map((row) => row.map((cell) => escapeCode(cell)));
  const widths = all[0]!.map((_, i) => Math.max(...all.map((row) => displayWidth(row[i] ?? ''))));
  const line = (row: string[]) =>
    row
      .map((cell, i) => {
        const fill = ' '.repeat(Math.max(0, widths[i]! - displayWidth(cell)));
        return align[i] === 'right' ? `${fill}${cell}` : `${cell}${fill}`;
      })
      .join('  ')
      .trimEnd();
  return all.map(line);
}

/** Lines in as few ``` blocks as fit a section each, split between lines. */
function codeBlocks(lines: readonly string[]): string[] {
  const chunks: string[] = [];
  let current: string[] = [];
  let size = 0;
  for (const raw of lines) {
    const line = truncateText(raw, CODE_BLOCK_CHARS);
    if (current.length > 0 && size + line.length + 1 > CODE_BLOCK_CHARS) {
      chunks.push(current.join('\n'));
      current = [];
      size = 0;
    }
    current.push(line);
    size += line.length + 1;
  }
  if (current.length > 0) chunks.push(current.join('\n'));
  return chunks.map((chunk) => `\`\`\`\n${chunk}\n\`\`\``);
}
