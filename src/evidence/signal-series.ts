import type { MinuteRange, SignalScope, SignalSeries } from '../core/types.js';
import { unionRanges } from './minute-coverage.js';

/** A measured signal. */
export function measuredSeries(
  scope: SignalScope,
  source: string,
  counts: number[],
  breakdown: Pick<SignalSeries, 'byCode' | 'byTermination'> = {},
): SignalSeries {
  return { scope, status: 'ok', source, counts, ...breakdown };
}

/** A signal that could not be measured: no numbers at all, and the reason why. */
export function unavailableSeries(scope: SignalScope, reason: string, source?: string): SignalSeries {
  return { scope, status: 'unavailable', reason, counts: null, ...(source ? { source } : {}) };
}

/**
 * Marks a measured signal as partial (some of its data is missing). Minutes in `uncovered` join
 * the series' holes and their counts become placeholders (0) that nothing may read as a
 * measurement: a half-delivered minute's count is not that minute's count.
 */
export function partialSeries(
  series: SignalSeries,
  reason: string,
  uncovered: readonly MinuteRange[] = [],
): SignalSeries {
  if (series.status === 'unavailable') return series;
  const holes = unionRanges(series.uncovered, uncovered);
  const counts =
    series.counts && holes.length > 0
      ? series.counts.map((count, index) => (isInRanges(holes, index) ? 0 : count))
      : series.counts;
  return { ...series, status: 'partial', reason, counts, ...(holes.length > 0 ? { uncovered: holes } : {}) };
}

function isInRanges(ranges: readonly MinuteRange[], index: number): boolean {
  return ranges.some(([first, last]) => index >= first && index <= last);
}

export function seriesTotal(series: SignalSeries | undefined): number | null {
  if (!series || series.counts === null) return null;
  let total = 0;
  for (const count of series.counts) total += count;
  return total;
}
