/**
 * Number formatting for people, independent of the machine's locale: the same input gives
 * the same text on every machine (tests pin it, and Slack readers see one style).
 */

/** 43930 → "43,930"; "—" for a value that is not a number. */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return '—';
  const rounded = Math.round(n);
  const sign = rounded < 0 ? '-' : '';
  const digits = String(Math.abs(rounded));
  return sign + digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/**
 * A percentage for people: one decimal from 1 % up (3.17 → "3.2 %", 12.0 → "12 %"), two
 * significant digits below (0.00648 → "0.0065 %"), so tiny LB-wide rates keep their meaning.
 */
export function formatPercent(percent: number): string {
  if (!Number.isFinite(percent)) return '—';
  return `${roundPercent(percent)} %`;
}

/** The number formatPercent shows, as a number (facts carry this, so the draft quotes it exactly). */
export function roundPercent(percent: number): number {
  if (!Number.isFinite(percent) || percent === 0) return 0;
  if (Math.abs(percent) >= 1) return Math.round(percent * 10) / 10;
  return Number(percent.toPrecision(2));
}

/** `part` as a percentage of `whole`, or null when the whole is unknown or zero. */
export function percentOf(part: number, whole: number | null): number | null {
  if (whole === null || whole <= 0) return null;
  return (part / whole) * 100;
}

/** A per-minute rate for people: "0.4", "6", "12" (one decimal below 10, none above). */
export function formatRate(perMinute: number): string {
  if (!Number.isFinite(perMinute)) return '—';
  return perMinute >= 10 ? formatCount(perMinute) : String(Math.round(perMinute * 10) / 10);
}
