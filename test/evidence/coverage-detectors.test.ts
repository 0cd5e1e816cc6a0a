import { describe, expect, it } from 'vitest';
import { detectLineGaps } from '../../src/evidence/detect-line-gaps.js';
import { detectMissingNodeFiles, type NodeFile } from '../../src/evidence/detect-missing-node-files.js';
import { detectProxyHoles } from '../../src/evidence/detect-proxy-holes.js';
import { coverageMask, coveredRanges, uncoveredRanges, unionRanges } from '../../src/evidence/minute-coverage.js';

const flat = (minutes: number, perMinute: number, at: Record<number, number> = {}) =>
  Array.from({ length: minutes }, (_, i) => at[i] ?? perMinute);
const zeros = (from: number, to: number) =>
  Object.fromEntries(Array.from({ length: to - from + 1 }, (_, i) => [from + i, 0]));
const options = { entriesBefore: true, entriesAfter: true, detectCollapse: true };

describe('detectLineGaps', () => {
  it('calls 25 empty minutes in logs that run ~460 entries a minute a hole', () => {
    const gaps = detectLineGaps({ entriesPerMinute: flat(180, 460, zeros(74, 98)), ...options });

    expect(gaps).toEqual([{ range: [74, 98], kind: 'no_entries' }]);
  });

  it('accepts a 20-minute silence in logs that carry one entry every 10 minutes', () => {
    const sparse = Array.from({ length: 180 }, (_, i) => (i % 10 === 0 && (i < 60 || i > 80) ? 1 : 0));

    expect(detectLineGaps({ entriesPerMinute: sparse, ...options })).toEqual([]);
  });

  it('calls a half-volume stretch a collapse (one node of two missing), but not ordinary noise', () => {
    const halved = flat(180, 400, Object.fromEntries(Array.from({ length: 25 }, (_, i) => [74 + i, 200])));
    const noisy = flat(180, 400, { 10: 360, 11: 440, 50: 350 });

    expect(detectLineGaps({ entriesPerMinute: halved, ...options })).toEqual([
      { range: [74, 98], kind: 'volume_collapse' },
    ]);
    expect(detectLineGaps({ entriesPerMinute: noisy, ...options })).toEqual([]);
  });

  it("leaves collapses alone when told to (a proxy's one-index traffic rises and falls on its own)", () => {
    const halved = flat(180, 400, Object.fromEntries(Array.from({ length: 25 }, (_, i) => [74 + i, 200])));

    expect(detectLineGaps({ entriesPerMinute: halved, ...options, detectCollapse: false })).toEqual([]);
  });

  it('calls a window with no entry at all uncovered, and judges nothing on one or two busy minutes', () => {
    expect(detectLineGaps({ entriesPerMinute: flat(30, 0), ...options })).toEqual([
      { range: [0, 29], kind: 'no_entries' },
    ]);
    expect(detectLineGaps({ entriesPerMinute: flat(30, 0, { 4: 500 }), ...options })).toEqual([]);
  });

  it('calls the minutes before logs that start late in the window a hole', () => {
    const lateStart = flat(180, 300, zeros(0, 19));

    expect(detectLineGaps({ entriesPerMinute: lateStart, ...options, entriesBefore: false })).toEqual([
      { range: [0, 19], kind: 'no_entries' },
    ]);
  });
});

describe('detectMissingNodeFiles', () => {
  const window = { start: new Date('2026-06-18T18:10:00Z'), end: new Date('2026-06-18T19:10:00Z') };
  const filesFor = (nodes: string[], skip: (end: number, node: string) => boolean, entries = 1000): NodeFile[] =>
    Array.from({ length: 12 }, (_, k) => window.start.getTime() + (k + 1) * 300_000).flatMap((end) =>
      nodes.filter((node) => !skip(end, node)).map((node) => ({ node, intervalEndMs: end, entries })),
    );

  it('names the node whose files stop for three intervals, with the minutes they held', () => {
    const missing = Date.parse('2026-06-18T18:35:00Z');
    const files = filesFor(
      ['10.0.1.5', '10.0.2.7'],
      (end, node) => node === '10.0.2.7' && end >= missing && end <= missing + 600_000,
    );

    expect(detectMissingNodeFiles(files, window)).toEqual([{ range: [20, 34], nodes: ['10.0.2.7'] }]);
  });

  it('takes a node that leaves while the others carry its traffic for a scale-in, not a hole', () => {
    const gone = Date.parse('2026-06-18T18:40:00Z');
    const files = filesFor(['10.0.1.5', '10.0.2.7'], (end, node) => node === '10.0.2.7' && end >= gone).map((file) =>
      file.node === '10.0.1.5' && file.intervalEndMs >= gone ? { ...file, entries: 2000 } : file,
    );

    expect(detectMissingNodeFiles(files, window)).toEqual([]);
  });
});

describe('detectProxyHoles', () => {
  it("finds the hour the proxy logged next to nothing while the ALB's targets answered as usual", () => {
    const answered = flat(180, 150);
    const proxy = flat(180, 152, Object.fromEntries(Array.from({ length: 60 }, (_, i) => [49 + i, 0])));

    expect(
      detectProxyHoles({ proxyPerMinute: proxy, albAnsweredPerMinute: answered, albCovered: coverageMask([], 180) }),
    ).toEqual([[49, 108]]);
  });

  it('does not call a proxy that goes quiet because its targets died a hole: the ALB answered those requests itself', () => {
    const answered = flat(180, 150, { 90: 10, 91: 8 }); // the rest were LB-minted 502s
    const proxy = flat(180, 150, { 90: 10, 91: 8 });

    expect(
      detectProxyHoles({ proxyPerMinute: proxy, albAnsweredPerMinute: answered, albCovered: coverageMask([], 180) }),
    ).toEqual([]);
  });
});

describe('minute ranges', () => {
  it('turns between masks and ranges, merges lists, and gives the covered complement', () => {
    const mask = coverageMask(
      [
        [2, 3],
        [7, 7],
      ],
      10,
    );

    expect(uncoveredRanges(mask)).toEqual([
      [2, 3],
      [7, 7],
    ]);
    expect(
      unionRanges(
        [[5, 6]],
        [
          [2, 3],
          [4, 4],
        ],
        undefined,
      ),
    ).toEqual([[2, 6]]);
    expect(
      coveredRanges(
        [
          [2, 3],
          [7, 7],
        ],
        10,
      ),
    ).toEqual([
      [0, 1],
      [4, 6],
      [8, 9],
    ]);
  });
});
