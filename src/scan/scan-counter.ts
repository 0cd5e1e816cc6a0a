/**
 * Counting helpers shared by the scan tallies. Tallies count in Map cells while counting (the hot
 * path: at most one lookup per count) and become plain objects, sorted by key, at the end.
 */

/**
 * Counts by key. Lines come in runs that share a key (nearly every line of a log is a 200 of the
 * same format), so the last key's cell is kept at hand and a run costs no Map lookup.
 */
export class Counter extends Map<string, { n: number }> {
  private lastKey: string | null = null;
  private lastCell: { n: number } = { n: 0 };

  bump(key: string, by: number): void {
    if (key === this.lastKey) {
      this.lastCell.n += by;
      return;
    }
    let cell = this.get(key);
    if (cell === undefined) {
      cell = { n: 0 };
      this.set(key, cell);
    }
    cell.n += by;
    this.lastKey = key;
    this.lastCell = cell;
  }
}

/** Counts under a first key, then a second (format → status). */
export type NestedCounter = Map<string, Counter>;

export function bump(counter: Counter, key: string, by = 1): void {
  counter.bump(key, by);
}

export function bumpNested(counter: NestedCounter, outer: string, inner: string, by = 1): void {
  let cells = counter.get(outer);
  if (cells === undefined) {
    cells = new Counter();
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
  const sum = new Counter();
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
