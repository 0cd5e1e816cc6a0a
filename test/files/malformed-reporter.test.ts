import { describe, expect, it } from 'vitest';
import { MalformedLineReporter } from '../../src/files/malformed-reporter.js';
import { printableText } from '../../src/files/printable-text.js';

describe('printableText', () => {
  it('drops C0 and C1 controls and DEL: ESC sequences, OSC 8 links, BEL, NUL', () => {
    const hostile =
      'a\u001bcb\u001b]0;owned\u0007c\u001b]8;;https://evil.test\u001b\\d\u0000e\u009b31mf\u007fg\r\nh\ti';

    expect(printableText(hostile)).toBe('acb]0;ownedc]8;;https://evil.test\\de31mfghi');
    expect(printableText(hostile, { multiline: true })).toBe('acb]0;ownedc]8;;https://evil.test\\de31mfg\nh\ti');
  });

  it('leaves ordinary text, Unicode included, as it is', () => {
    expect(printableText('05:41 AEST — “prod_000_audio” ✓ 日本', { multiline: true })).toBe(
      '05:41 AEST — “prod_000_audio” ✓ 日本',
    );
  });
});

describe('MalformedLineReporter', () => {
  it('names a file by a printable name, so a hostile file name cannot reach the terminal', () => {
    const warnings: string[] = [];
    const reporter = new MalformedLineReporter((message) => warnings.push(message));

    reporter.report('logs/\u001b[2J\u001bcx\nfake.log', 3, 'no timestamp \u0007');

    expect(warnings).toEqual(['logs/[2Jcxfake.log:3: malformed line skipped (no timestamp )']);
  });

  it("names a file's over-long lines once, by the first, and counts them with the malformed lines", () => {
    const warnings: string[] = [];
    const reporter = new MalformedLineReporter((message) => warnings.push(message), 2);

    reporter.reportOverlong('a.log', { overlongLines: 3, firstOverlongLine: 7 });
    reporter.reportOverlong('b.log', { overlongLines: 0, firstOverlongLine: null });
    reporter.report('c.log', 1, 'bad');
    reporter.reportOverlong('d.log', { overlongLines: 1, firstOverlongLine: 2 });
    reporter.finish();

    expect(warnings).toEqual([
      'a.log:7: line longer than 64 KiB skipped (3 such lines in this file)',
      '… 3 more malformed lines not shown (5 in all).',
    ]);
    expect(reporter.count).toBe(5);
  });
});
