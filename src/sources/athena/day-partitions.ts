import type { TimeWindow } from '../../core/types.js';

const DAY_MS = 86_400_000;
/**
 * A request lands in the 5-minute file that ends after it, and the file lands in the folder of
 * the day it is DELIVERED, typically 5–10 minutes later (domain.md §1.1): requests of the last
 * minutes before midnight UTC are in the next day's folder.
 */
export const DELIVERY_MARGIN_MS = 15 * 60_000;
/** The queries have three `day` values; a window of up to 24 h touches at most three folders. */
export const MAX_DAY_PARTITIONS = 3;

/**
 * The `day` partitions (yyyy/MM/dd, as projection names them) that hold the window's requests:
 * from the window's first UTC day through the day its last request's file is delivered.
 */
export function dayPartitionsFor(window: TimeWindow): string[] {
  const firstDayMs = Math.floor(window.start.getTime() / DAY_MS) * DAY_MS;
  const lastMs = window.end.getTime() - 1 + DELIVERY_MARGIN_MS;
  const days: string[] = [];
  for (let dayMs = firstDayMs; dayMs <= lastMs; dayMs += DAY_MS)
    days.push(new Date(dayMs).toISOString().slice(0, 10).replaceAll('-', '/'));
  return days;
}

/** The three `:day_n` values: the partitions, the last repeated to fill (IN ignores duplicates). */
export function dayParameters(days: readonly string[]): { day_1: string; day_2: string; day_3: string } {
  if (days.length === 0 || days.length > MAX_DAY_PARTITIONS)
    throw new RangeError(`expected 1 to ${MAX_DAY_PARTITIONS} day partitions, got ${days.length}`);
  const at = (i: number) => days[Math.min(i, days.length - 1)]!;
  return { day_1: at(0), day_2: at(1), day_3: at(2) };
}
