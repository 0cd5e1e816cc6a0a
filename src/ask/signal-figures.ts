/**
 * Window totals read from a saved report's signals, each with whether it was measured: a count
 * that was not measured is `unavailable` with its reason, never 0; one measured over part of the
 * window is `partial`. Sums keep the weakest status of their parts. Pure.
 */
import { formatCount } from '../core/format-number.js';
import type { ReportJson } from '../core/report.js';
import { minuteValues } from '../render/chart/minute-values.js';

export type Figure =
  | { status: 'ok' | 'partial'; value: number; reason?: string }
  | { status: 'unavailable'; value: null; reason: string };

export function unavailable(reason: string): Figure {
  return { status: 'unavailable', value: null, reason };
}

/** A signal's total over the minutes its source covered. */
export function signalTotal(report: ReportJson, name: string): Figure {
  const signal = report.signals[name];
  if (!signal) return unavailable('not in the report');
  if (signal.status === 'unavailable' || signal.window === null) return unavailable(signal.reason ?? 'not measured');
  return signal.status === 'partial'
    ? { status: 'partial', value: signal.window, reason: signal.reason ?? 'measured over part of the window' }
    : { status: 'ok', value: signal.window };
}

/** A signal's count for one status code ("502" of target_5xx), from its window breakdown. */
export function signalCode(report: ReportJson, name: string, code: string): Figure {
  const total = signalTotal(report, name);
  if (total.status === 'unavailable') return total;
  const byCode = report.signals[name]?.byCode;
  if (total.value === 0) return total; // nothing of any code: 0 of this one, as measured
  if (!byCode) return unavailable(`${name.replace(/_/g, ' ')} has no split by status code`);
  return { ...total, value: byCode[code] ?? 0 };
}

export function sumFigures(...figures: Figure[]): Figure {
  const missing = figures.find((figure) => figure.status === 'unavailable');
  if (missing) return missing;
  const value = figures.reduce((sum, figure) => sum + (figure.value ?? 0), 0);
  const partial = figures.find((figure) => figure.status === 'partial');
  return partial
    ? { status: 'partial', value, reason: partial.reason ?? 'measured over part of the window' }
    : { status: 'ok', value };
}

/** "31,827", "31,827 (partial: …)", "unavailable (…)". */
export function describeFigure(figure: Figure): string {
  if (figure.status === 'unavailable') return `unavailable (${figure.reason})`;
  return figure.status === 'partial'
    ? `${formatCount(figure.value)} in the minutes measured (partial)`
    : formatCount(figure.value);
}

/** Per minute, the sum of the signals; null in a minute any of them did not measure. */
export function summedMinutes(report: ReportJson, names: readonly string[]): (number | null)[] | null {
  const series: (number | null)[][] = [];
  for (const name of names) {
    const signal = report.signals[name];
    if (!signal || signal.status === 'unavailable') return null;
    series.push(minuteValues(report, signal));
  }
  if (series.length === 0) return null;
  return series[0]!.map((_, i) =>
    series.some((values) => values[i] === null) ? null : series.reduce((sum, values) => sum + values[i]!, 0),
  );
}

/** Requests per error: 195 for 163 errors in 31,827 requests; null when either is unknown or there are no errors. */
export function oneIn(errors: Figure, requests: Figure): number | null {
  if (errors.status !== 'ok' || requests.status !== 'ok' || errors.value === 0) return null;
  return requests.value / errors.value;
}

/** "1 in 195", "about 1 in 15,000". */
export function describeOneIn(ratio: number): string {
  if (ratio < 1000) return `1 in ${formatCount(ratio)}`;
  const magnitude = 10 ** (Math.floor(Math.log10(ratio)) - 1);
  return `about 1 in ${formatCount(Math.round(ratio / magnitude) * magnitude)}`;
}
