/**
 * A signal's per-minute counts laid over the whole window, one slot per minute. Pure.
 *
 * The report lists only the minutes a source covered (`perMinute`); a minute it left out was
 * not measured, so its slot is null — a hole — and never 0.
 */
import type { ReportJson, SignalJson } from '../../core/report.js';

const MINUTE_MS = 60_000;

/** Minutes in the report's window, [start, end). */
export function windowMinutes(report: Pick<ReportJson, 'window'>): number {
  return Math.max(0, Math.round((Date.parse(report.window.end) - Date.parse(report.window.start)) / MINUTE_MS));
}

/** The slot of an ISO minute in the window: 0 for the window's first minute. May fall outside. */
export function minuteIndex(report: Pick<ReportJson, 'window'>, isoMinute: string): number {
  return Math.round((Date.parse(isoMinute) - Date.parse(report.window.start)) / MINUTE_MS);
}

/** The start of slot `index`, as a Date. */
export function minuteAt(report: Pick<ReportJson, 'window'>, index: number): Date {
  return new Date(Date.parse(report.window.start) + index * MINUTE_MS);
}

/** Counts per minute over the window; null where the source did not measure (or the signal is unavailable). */
export function minuteValues(report: Pick<ReportJson, 'window'>, signal: SignalJson): (number | null)[] {
  const values: (number | null)[] = new Array<number | null>(windowMinutes(report)).fill(null);
  if (signal.status === 'unavailable') return values;
  for (const point of signal.perMinute) {
    const index = minuteIndex(report, point.minute);
    if (index >= 0 && index < values.length) values[index] = point.count;
  }
  return values;
}

/** The sum over [first, last] and whether every minute in it was measured; null when none was. */
export function sumMinutes(
  values: readonly (number | null)[],
  first: number,
  last: number,
): { total: number; complete: boolean } | null {
  let total = 0;
  let measured = 0;
  let slots = 0;
  for (let i = Math.max(0, first); i <= Math.min(values.length - 1, last); i++) {
    slots++;
    const value = values[i];
    if (value === null || value === undefined) continue;
    total += value;
    measured++;
  }
  if (measured === 0) return null;
  return { total, complete: measured === slots };
}
