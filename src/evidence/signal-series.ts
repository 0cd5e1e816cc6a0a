import type { SignalScope, SignalSeries } from '../core/types.js';

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

/** Marks a measured signal as partial (some of its data is missing), keeping its numbers. */
export function partialSeries(series: SignalSeries, reason: string, coveredMinutes?: [number, number]): SignalSeries {
  if (series.status === 'unavailable') return series;
  return { ...series, status: 'partial', reason, ...(coveredMinutes ? { coveredMinutes } : {}) };
}

export function seriesTotal(series: SignalSeries | undefined): number | null {
  if (!series || series.counts === null) return null;
  let total = 0;
  for (const count of series.counts) total += count;
  return total;
}
