import { describe, expect, it } from 'vitest';
import { type AnswerDocument, bullets, code, note, paragraph, strong, table } from '../../src/ask/answer-document.js';
import { renderAnswerText } from '../../src/render/answer-text.js';
import { renderAnswerSlack, spansMrkdwn } from '../../src/render/slack/answer-message.js';
import { BLOCK_LIMITS, blockTextLength } from '../../src/render/slack/block-kit.js';

describe('renderAnswerSlack', () => {
  it('escapes plain text, keeps emphasis and code spans closed, and drops control characters', () => {
    const block = paragraph('Hi <!here> & ', strong('*bold*'), ' ', code('idx`name'), ' \u001b[31mred\u0007');
    if (block.kind !== 'paragraph') throw new Error('not a paragraph');

    expect(spansMrkdwn(block.spans)).toBe("Hi &lt;!here&gt; &amp; *∗bold∗* `idx'name` [31mred");
  });

  it('moves the spaces of an emphasised span outside its asterisks, where Slack still reads it as bold', () => {
    const block = paragraph(strong('Everyone: '), '20 of the 20 target groups', strong(' ok'));
    if (block.kind !== 'paragraph') throw new Error('not a paragraph');

    expect(spansMrkdwn(block.spans)).toBe('*Everyone:* 20 of the 20 target groups *ok*');
  });

  it("puts a long table in code blocks inside Slack's limits, and says when rows were left out", () => {
    const rows = Array.from({ length: 400 }, (_, i) => [
      `2026-06-18T19:${String(i % 60).padStart(2, '0')}:00.000000Z`,
      '502',
      '-',
      'POST /indexes/prod_000_audio/search',
      `Root=1-${i}`,
    ]);
    const document: AnswerDocument = {
      title: 'Rows',
      blocks: [table(['time', 'elb', 'target', 'request', 'trace'], rows), note('small print')],
    };

    const message = renderAnswerSlack(document);

    const sections = message.blocks
      .filter((b) => b.type === 'section')
      .map((b) => (b as { text: { text: string } }).text.text);
    expect(message.blocks.length).toBeLessThanOrEqual(BLOCK_LIMITS.blocksPerMessage);
    expect(message.blocks.reduce((sum, b) => sum + blockTextLength(b), 0)).toBeLessThanOrEqual(
      BLOCK_LIMITS.messageTextBudget,
    );
    expect(
      sections
        .slice(1)
        .every((text) => text.startsWith('```\n') && text.endsWith('\n```') && text.length <= BLOCK_LIMITS.sectionText),
    ).toBe(true);
    expect(JSON.stringify(message.blocks.at(-1))).toContain('Part of this answer was left out');
    expect(message.text.length).toBeLessThanOrEqual(BLOCK_LIMITS.fallbackText);
  });

  it('gives a text fallback that says what the blocks say', () => {
    const message = renderAnswerSlack({
      title: 'Impact',
      blocks: [bullets([['Requests: ', '31,827']], 'prod_000_audio'), note('No new queries.')],
    });

    expect(message.text).toBe('Impact\nprod_000_audio\n• Requests: 31,827\nNo new queries.');
  });
});

describe('renderAnswerText', () => {
  it('draws a table in a box when it fits, and stacks its rows when it does not', () => {
    const document: AnswerDocument = {
      title: 'T',
      blocks: [table(['target group', 'requests'], [['prod_000_audio', '22,616']], ['left', 'right'])],
    };

    expect([renderAnswerText(document, { width: 60 }), renderAnswerText(document, { width: 20 })]).toEqual([
      [
        'T',
        '',
        '┌────────────────┬──────────┐',
        '│ target group   │ requests │',
        '├────────────────┼──────────┤',
        '│ prod_000_audio │   22,616 │',
        '└────────────────┴──────────┘',
      ],
      ['T', '', 'prod_000_audio', '  requests: 22,616'],
    ]);
  });
});
