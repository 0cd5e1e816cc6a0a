/**
 * Sparklines: the per-minute shape of a signal in one line of text. Pure.
 *
 * Each character covers the same number of minutes and shows the largest count among them, so
 * a one-minute burst is never averaged away. The height is relative to the row's own largest
 * count (the table's peak column gives the scale). Zero is the lowest block; any count above
 * zero is at least the second, so a single 429 stays visible. A character whose minutes were
 * all unmeasured is a hole, drawn with its own character — never as the lowest block.
 */

export type Charset = 'unicode' | 'ascii';

export const SPARK_LEVELS: Readonly<Record<Charset, string>> = { unicode: '▁▂▃▄▅▆▇█', ascii: '_.-=+*#@' };
export const SPARK_HOLE: Readonly<Record<Charset, string>> = { unicode: '·', ascii: '?' };

export interface Sparkline {
  text: string;
  /** Minutes each character covers. */
  minutesPerChar: number;
}

/** Minutes per character so that `minutes` fit in at most `maxChars` characters. */
export function minutesPerChar(minutes: number, maxChars: number): number {
  return Math.max(1, Math.ceil(minutes / Math.max(1, maxChars)));
}

/** The character holding minute `index` when each covers `perChar` minutes. */
export function sparkPosition(index: number, perChar: number): number {
  return Math.floor(index / perChar);
}

/** Draws `values` (one per minute, null = not measured) in at most `maxChars` characters. */
export function drawSparkline(values: readonly (number | null)[], maxChars: number, charset: Charset): Sparkline {
  const perChar = minutesPerChar(values.length, maxChars);
  const buckets = bucketMaxima(values, perChar);
  const top = Math.max(0, ...buckets.map((v) => v ?? 0));
  const levels = SPARK_LEVELS[charset];
  const text = buckets
    .map((value) => (value === null ? SPARK_HOLE[charset] : levels[level(value, top, levels.length)]))
    .join('');
  return { text, minutesPerChar: perChar };
}

function bucketMaxima(values: readonly (number | null)[], perChar: number): (number | null)[] {
  const buckets: (number | null)[] = [];
  for (let start = 0; start < values.length; start += perChar) {
    const measured = values.slice(start, start + perChar).filter((v): v is number => v !== null);
    buckets.push(measured.length === 0 ? null : Math.max(...measured));
  }
  return buckets;
}

function level(value: number, top: number, count: number): number {
  if (value <= 0 || top <= 0) return 0;
  return 1 + Math.round((value / top) * (count - 2));
}

export const SPARK_MARKER: Readonly<Record<Charset, string>> = { unicode: '▼', ascii: 'v' };

/**
 * A line of `width` characters with the marker over character `position` and `label` beside
 * it (after it when it fits, else before), to stand above sparklines of the same width.
 */
export function markerLine(position: number, width: number, label: string, charset: Charset): string {
  const marker = SPARK_MARKER[charset];
  const at = Math.min(Math.max(0, position), Math.max(0, width - 1));
  if (at + 1 + label.length <= width) return `${' '.repeat(at)}${marker}${label}`.padEnd(width);
  if (at >= label.length) return `${' '.repeat(at - label.length)}${label}${marker}`.padEnd(width);
  return `${' '.repeat(at)}${marker}`.padEnd(width);
}
