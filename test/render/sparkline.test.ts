import { describe, expect, it } from 'vitest';
import { drawSparkline, markerLine, minutesPerChar, sparkPosition } from '../../src/render/chart/sparkline.js';

describe('drawSparkline', () => {
  it('draws one character a minute when there is room, zero lowest and the peak highest', () => {
    const sparkline = drawSparkline([0, 0, 1, 3, 143, 120, 47, 0], 60, 'unicode');

    expect(sparkline).toEqual({ text: '▁▁▂▂█▇▄▁', minutesPerChar: 1 });
  });

  it('keeps a lone count visible: anything above zero is at least the second block', () => {
    expect(drawSparkline([1, 0, 0, 4593, 0], 10, 'unicode').text).toBe('▂▁▁█▁');
  });

  it("shows each character's highest minute, so a one-minute burst is not averaged away", () => {
    const values = [0, 0, 0, 0, 0, 0, 0, 0, 0, 90, 0, 0];

    expect(drawSparkline(values, 4, 'unicode')).toEqual({ text: '▁▁▁█', minutesPerChar: 3 });
  });

  it('draws unmeasured minutes as holes, distinct from zero, and a character with any measured minute as that measure', () => {
    const values = [null, null, null, 0, 0, null, 5, null, null];

    expect([
      drawSparkline(values, 9, 'unicode').text,
      drawSparkline(values, 3, 'unicode').text,
      drawSparkline(values, 9, 'ascii').text,
    ]).toEqual(['···▁▁·█··', '·▁█', '???__?@??']);
  });

  it('is flat at the lowest block when nothing was counted', () => {
    expect(drawSparkline([0, 0, 0], 3, 'ascii').text).toBe('___');
  });
});

describe('minutesPerChar and sparkPosition', () => {
  it('fit 180 minutes into at most 36 characters at 5 minutes each, the asked minute 90 in character 18', () => {
    expect([minutesPerChar(180, 36), minutesPerChar(180, 24), sparkPosition(90, 5), minutesPerChar(20, 60)]).toEqual([
      5, 8, 18, 1,
    ]);
  });
});

describe('markerLine', () => {
  it('puts the marker over the asked character with the clock after it, or before it near the right edge', () => {
    expect([
      markerLine(3, 12, '05:41', 'unicode'),
      markerLine(10, 12, '05:41', 'ascii'),
      markerLine(1, 4, '05:41', 'unicode'),
    ]).toEqual(['   ▼05:41   ', '     05:41v ', ' ▼  ']);
  });
});
