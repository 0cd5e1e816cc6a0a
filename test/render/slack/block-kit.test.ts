import { describe, expect, it } from 'vitest';
import {
  blockTextLength,
  bulletSections,
  context,
  escapeMrkdwn,
  fitBlocks,
  header,
  mrkdwnSection,
  truncateText,
} from '../../../src/render/slack/block-kit.js';

describe('escapeMrkdwn', () => {
  it('escapes only &, < and >, leaving quotes, asterisks and underscores alone', () => {
    expect(escapeMrkdwn(`p99 < 2 s & rising > baseline "quoted" *bold* _it_`)).toBe(
      'p99 &lt; 2 s &amp; rising &gt; baseline "quoted" *bold* _it_',
    );
  });
});

describe('truncateText', () => {
  it('returns text within the limit unchanged', () => {
    expect(truncateText('short', 5)).toBe('short');
  });

  it('ends a cut text with an ellipsis within the limit', () => {
    expect(truncateText('abcdefghij', 5)).toBe('abcd…');
  });

  it('never leaves half an escape entity behind', () => {
    expect(truncateText('aa &amp; bb', 6)).toBe('aa…');
  });

  it('never leaves half a link behind', () => {
    expect(truncateText('see <https://example.slack.com/archives/C1|the thread> now', 20)).toBe('see…');
  });

  it('never splits a surrogate pair', () => {
    expect(truncateText('ab😀cd', 4)).toBe('ab…');
  });
});

describe('header', () => {
  it('keeps header text within 150 characters', () => {
    expect(header('x'.repeat(400)).text.text).toHaveLength(150);
  });
});

describe('bulletSections', () => {
  it('splits a long list between items so every section stays under 3000 characters', () => {
    const items = Array.from({ length: 12 }, (_, i) => `${i} ${'y'.repeat(600)}`);

    const sections = bulletSections('*Why*', items);

    expect(sections.map((s) => s.text!.text.length).every((n) => n <= 3000)).toBe(true);
    expect(sections).toHaveLength(3);
    expect(sections[0]!.text!.text.startsWith('*Why*\n• 0 ')).toBe(true);
    expect(sections.map((s) => (s.text!.text.match(/• /g) ?? []).length)).toEqual([4, 4, 4]);
  });

  it('gives no section for an empty list', () => {
    expect(bulletSections('*Next steps*', [])).toEqual([]);
  });
});

describe('fitBlocks', () => {
  it('keeps every block when the message is within the limits', () => {
    const blocks = [{ block: header('h') }, { block: mrkdwnSection('a'), optional: true }];

    expect(fitBlocks(blocks, 'cut')).toEqual([header('h'), mrkdwnSection('a')]);
  });

  it('drops optional blocks from the end first and says so, staying within 50 blocks', () => {
    const blocks = [
      { block: header('h') },
      ...Array.from({ length: 60 }, (_, i) => ({ block: mrkdwnSection(`s${i}`), optional: i > 10 })),
    ];

    const fitted = fitBlocks(blocks, 'Some sections were left out.');

    expect(fitted).toHaveLength(50);
    expect(fitted[0]).toEqual(header('h'));
    expect(fitted[48]).toEqual(mrkdwnSection('s47'));
    expect(fitted[49]).toEqual(context('Some sections were left out.'));
  });

  it('keeps the total text under the budget', () => {
    const blocks = Array.from({ length: 10 }, () => ({ block: mrkdwnSection('z'.repeat(2900)), optional: true }));

    const fitted = fitBlocks(blocks, 'cut', { maxChars: 11_000 });

    expect(fitted.reduce((sum, b) => sum + blockTextLength(b), 0)).toBeLessThanOrEqual(11_000);
    expect(fitted).toHaveLength(4);
  });
});
