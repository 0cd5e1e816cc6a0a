/**
 * Pure: instants and distances in cause sentences. With the report's TimeFormatter times read in
 * the asked zone ("05:40 AEST (19:40 UTC)"); without one, in UTC ("19:40 UTC").
 */
import type { TimeFormatter } from '../../core/types.js';
import type { ErrorSpan, Relation } from './cause-windows.js';

export interface CauseClock {
  at(instant: Date): string;
  /** Inclusive range; one minute when start and end fall in the same minute. */
  range(start: Date, endInclusive: Date): string;
}

const MINUTE_MS = 60_000;

export function causeClock(fmt?: Pick<TimeFormatter, 'minute' | 'range'>): CauseClock {
  const floor = (d: Date) => new Date(Math.floor(d.getTime() / MINUTE_MS) * MINUTE_MS);
  if (fmt) {
    return {
      at: (instant) => fmt.minute(floor(instant)),
      range: (start, end) =>
        floor(start).getTime() === floor(end).getTime()
          ? fmt.minute(floor(start))
          : fmt.range(floor(start), floor(end)),
    };
  }
  const hhmm = (d: Date) => d.toISOString().slice(11, 16);
  return {
    at: (instant) => `${hhmm(instant)} UTC`,
    range: (start, end) =>
      hhmm(start) === hhmm(end) && start.toISOString().slice(0, 10) === end.toISOString().slice(0, 10)
        ? `${hhmm(start)} UTC`
        : `${hhmm(start)}–${hhmm(end)} UTC`,
  };
}

/**
 * "2 minutes before the errors began at 19:40 UTC", "during the errors (19:40–19:44 UTC)".
 * Distances count clock minutes, as people read the times: 19:39:40 is 1 minute before 19:40.
 */
export function describeRelation(relation: Relation, span: ErrorSpan, clock: CauseClock, at?: Date): string {
  const lastMinute = new Date(span.end.getTime() - MINUTE_MS);
  if (relation.position === 'during') return `during the errors (${clock.range(span.start, lastMinute)})`;
  const minuteOf = (d: Date) => Math.floor(d.getTime() / MINUTE_MS);
  if (relation.position === 'before') {
    const minutes = at ? minuteOf(span.start) - minuteOf(at) : Math.max(1, Math.round(relation.minutes));
    return `${durationText(Math.max(1, minutes))} before the errors began at ${clock.at(span.start)}`;
  }
  const minutes = at ? minuteOf(at) - minuteOf(lastMinute) : Math.max(1, Math.round(relation.minutes));
  return `${durationText(Math.max(1, minutes))} after the errors ended at ${clock.at(lastMinute)}`;
}

/** "1 minute", "14 minutes", "2 h 5 min". */
export function durationText(minutes: number): string {
  if (minutes < 60) return `${minutes} minute${minutes === 1 ? '' : 's'}`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}
