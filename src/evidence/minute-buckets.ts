import type { TimeWindow } from '../core/types.js';

export const MINUTE_MS = 60_000;

/** Number of whole minutes in a minute-aligned window. */
export function windowMinutes(window: TimeWindow): number {
  return Math.round((window.end.getTime() - window.start.getTime()) / MINUTE_MS);
}

/** Index of the minute containing `timeMs` in the window, or -1 when outside it. */
export function minuteIndexOf(timeMs: number, windowStartMs: number, minutes: number): number {
  const index = Math.floor((timeMs - windowStartMs) / MINUTE_MS);
  return index >= 0 && index < minutes ? index : -1;
}

/** The instant at which minute `index` of the window starts. */
export function minuteStart(window: TimeWindow, index: number): Date {
  return new Date(window.start.getTime() + index * MINUTE_MS);
}

/** "2026-06-18T19:41:00Z": the contract's instant format, without milliseconds. */
export function isoMinute(instant: Date): string {
  return instant.toISOString().replace('.000Z', 'Z');
}

export function zeroCounts(minutes: number): number[] {
  return new Array<number>(minutes).fill(0);
}

/** Adds `count` to a tally map. */
export function bump(map: Record<string, number>, key: string, count = 1): void {
  map[key] = (map[key] ?? 0) + count;
}
