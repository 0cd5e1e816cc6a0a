/**
 * Counting helpers shared by the scan tallies. Tallies count in Map cells while counting (the hot
 * path: one lookup per count) and become plain objects, sorted by key, at the end.
 */

export type Counter = Map<string, { n: number }>;
/** Counts under a first key, then a second (format → status). */
export type NestedCounter = Map<string, Counter>;

export function bump(counter: Counter, key: string, by = 1): void {
  const cell = counter.get(key);
  if (cell) cell.n += by;
  else counter.set(key, { n: by });
}

export function bumpNested(counter: NestedCounter, outer: string, inner: string, by = 1): void {
  let cells = counter.get(outer);
  if (cells === undefined) {
    cells = new Map();
    counter.set(outer, cells);
  }
  bump(cells, inner, by);
}

const byKey = <T>([a]: [string, T], [b]: [string, T]) => (a < b ? -1 : a > b ? 1 : 0);

export function toObject(counter: Counter): Record<string, number> {
  return Object.fromEntries([...counter.entries()].sort(byKey).map(([key, cell]) => [key, cell.n]));
}

export function toNestedObject(counter: NestedCounter): Record<string, Record<string, number>> {
  return Object.fromEntries([...counter.entries()].sort(byKey).map(([key, cells]) => [key, toObject(cells)]));
}

/** The inner counts summed over the outer keys (format → status gives status). */
export function sumNested(counter: NestedCounter): Counter {
  const sum: Counter = new Map();
  for (const cells of counter.values()) for (const [key, cell] of cells) bump(sum, key, cell.n);
  return sum;
}

export function mergeInto(counter: Counter, values: Record<string, number>): void {
  for (const [key, count] of Object.entries(values)) bump(counter, key, count);
}

export function mergeNestedInto(counter: NestedCounter, values: Record<string, Record<string, number>>): void {
  for (const [outer, inner] of Object.entries(values))
    for (const [key, count] of Object.entries(inner)) bumpNested(counter, outer, key, count);
}

export const iso = (ms: number): string | null => (Number.isFinite(ms) ? new Date(ms).toISOString() : null);

/** The earliest and latest record times of a tally. */
export class TimeRange {
  firstMs = Infinity;
  lastMs = -Infinity;

  add(timeMs: number): void {
    if (timeMs < this.firstMs) this.firstMs = timeMs;
    if (timeMs > this.lastMs) this.lastMs = timeMs;
  }

  merge(first: string | null, last: string | null): void {
    if (first) this.firstMs = Math.min(this.firstMs, Date.parse(first));
    if (last) this.lastMs = Math.max(this.lastMs, Date.parse(last));
  }
}

/** "500".."599". */
export function isServerErrorStatus(status: string): boolean {
  return status.length === 3 && status.charCodeAt(0) === 53 /* 5 */;
}
