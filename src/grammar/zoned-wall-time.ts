import { fromZonedTime } from 'date-fns-tz';
import { DAY_MS, formatWallIsoDateTime, ianaOffsetMinutesAt, MINUTE_MS, wallMsInIanaZone } from './wall-clock.js';

/** One way a wall time can be read in a zone: the instant and the offset that gives it. */
export interface WallReading {
  instant: Date;
  offsetMinutes: number;
}

/**
 * A wall time resolved in an IANA zone. Clock changes make some wall times not exist (a gap,
 * spring forward) and some happen twice (an overlap, fall back); both are reported, never
 * silently shifted.
 */
export type ZonedWallTime =
  | { kind: 'exact'; reading: WallReading }
  | {
      kind: 'gap';
      /** Read with the offset in force just before the gap. */
      reading: WallReading;
      /** Read with the offset in force just after the gap. */
      alternative: WallReading;
      transition: Date;
    }
  | {
      kind: 'overlap';
      /** The first (earlier) occurrence. */
      reading: WallReading;
      /** The second occurrence. */
      alternative: WallReading;
      transition: Date;
    };

/**
 * Resolves wall milliseconds (see wall-clock.ts) in an IANA zone.
 *
 * date-fns-tz's fromZonedTime gives the first guess; every candidate is then checked by
 * converting back, because fromZonedTime picks the later instant in an overlap and reads a gap
 * time with the later offset, and neither choice is ours to make silently.
 */
export function resolveWallTimeInZone(ianaName: string, wallMs: number): ZonedWallTime {
  const readings = candidateOffsets(ianaName, wallMs)
    .map((offsetMinutes) => ({ instant: new Date(wallMs - offsetMinutes * MINUTE_MS), offsetMinutes }))
    .filter((reading) => readsBackAs(ianaName, reading.instant, wallMs))
    .sort((a, b) => a.instant.getTime() - b.instant.getTime());

  const [first, second] = readings;
  if (first && second) {
    return {
      kind: 'overlap',
      reading: first,
      alternative: second,
      transition: findTransition(ianaName, first.instant, second.instant),
    };
  }
  if (first) return { kind: 'exact', reading: first };
  return resolveGap(ianaName, wallMs);
}

function candidateOffsets(ianaName: string, wallMs: number): number[] {
  const guess = fromZonedTime(formatWallIsoDateTime(wallMs), ianaName);
  const samples = [guess, new Date(wallMs - DAY_MS), new Date(wallMs + DAY_MS)].filter(
    (d) => !Number.isNaN(d.getTime()),
  );
  return [...new Set(samples.map((instant) => ianaOffsetMinutesAt(ianaName, instant)))];
}

function readsBackAs(ianaName: string, instant: Date, wallMs: number): boolean {
  const wholeSecondWallMs = Math.floor(wallMs / 1000) * 1000;
  return wallMsInIanaZone(ianaName, instant) === wholeSecondWallMs;
}

function resolveGap(ianaName: string, wallMs: number): ZonedWallTime {
  // A gap lies between two offsets; real zones change at most once within a day either side.
  const before = new Date(wallMs - DAY_MS);
  const after = new Date(wallMs + DAY_MS);
  const offsetBefore = ianaOffsetMinutesAt(ianaName, before);
  const offsetAfter = ianaOffsetMinutesAt(ianaName, after);
  const reading = { instant: new Date(wallMs - offsetBefore * MINUTE_MS), offsetMinutes: offsetBefore };
  const alternative = { instant: new Date(wallMs - offsetAfter * MINUTE_MS), offsetMinutes: offsetAfter };
  const transition = offsetBefore === offsetAfter ? reading.instant : findTransition(ianaName, before, after);
  return { kind: 'gap', reading, alternative, transition };
}

/** The first instant (to the second) at which the zone's offset differs from its offset at `from`. */
function findTransition(ianaName: string, from: Date, to: Date): Date {
  const offsetAtStart = ianaOffsetMinutesAt(ianaName, from);
  let low = from.getTime();
  let high = to.getTime();
  while (high - low > 1000) {
    const middle = Math.floor((low + high) / 2);
    if (ianaOffsetMinutesAt(ianaName, new Date(middle)) === offsetAtStart) low = middle;
    else high = middle;
  }
  return new Date(Math.ceil(high / 1000) * 1000);
}
