import type { MinuteRange, SignalSeries } from '../core/types.js';

/**
 * Which minutes of a window a source measured. A minute nobody saw is a hole, never a zero:
 * these helpers turn between the two forms the code needs — a per-minute mask for arithmetic
 * and ordered inclusive ranges for the data and for people.
 */

/** true = covered. Length `minutes`. */
export function coverageMask(uncovered: readonly MinuteRange[] | undefined, minutes: number): boolean[] {
  const mask = new Array<boolean>(minutes).fill(true);
  for (const [first, last] of uncovered ?? []) {
    for (let i = Math.max(0, first); i <= Math.min(minutes - 1, last); i++) mask[i] = false;
  }
  return mask;
}

/** The uncovered minutes of a mask as ordered inclusive ranges. */
export function uncoveredRanges(mask: readonly boolean[]): MinuteRange[] {
  const ranges: MinuteRange[] = [];
  let start = -1;
  for (let i = 0; i <= mask.length; i++) {
    const hole = i < mask.length && !mask[i];
    if (hole && start === -1) start = i;
    if (!hole && start !== -1) {
      ranges.push([start, i - 1]);
      start = -1;
    }
  }
  return ranges;
}

/** The union of several range lists, ordered and merged. */
export function unionRanges(...lists: ReadonlyArray<readonly MinuteRange[] | undefined>): MinuteRange[] {
  const all = lists.flatMap((list) => list ?? []).map(([a, b]) => [a, b] as MinuteRange);
  all.sort((x, y) => x[0] - y[0]);
  const merged: MinuteRange[] = [];
  for (const range of all) {
    const previous = merged[merged.length - 1];
    if (previous && range[0] <= previous[1] + 1) previous[1] = Math.max(previous[1], range[1]);
    else merged.push(range);
  }
  return merged;
}

export function isMinuteCovered(series: Pick<SignalSeries, 'uncovered'> | undefined, index: number): boolean {
  return !(series?.uncovered ?? []).some(([first, last]) => index >= first && index <= last);
}

export function uncoveredMinuteCount(uncovered: readonly MinuteRange[] | undefined): number {
  return (uncovered ?? []).reduce((sum, [first, last]) => sum + last - first + 1, 0);
}

/** The covered minutes as ranges: the complement of `uncovered` within the window. */
export function coveredRanges(uncovered: readonly MinuteRange[] | undefined, minutes: number): MinuteRange[] {
  const covered: MinuteRange[] = [];
  let next = 0;
  for (const [first, last] of uncovered ?? []) {
    if (first > next) covered.push([next, first - 1]);
    next = Math.max(next, last + 1);
  }
  if (next <= minutes - 1) covered.push([next, minutes - 1]);
  return covered;
}
