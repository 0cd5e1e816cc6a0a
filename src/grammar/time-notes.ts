/**
 * Sentences that tell a person how their time was read when the reading is not the obvious one:
 * an abbreviation that disagrees with its region's clock, a wall time that did not exist, or one
 * that happened twice.
 */

import {
  formatWallClock,
  formatWallClockWithSeconds,
  formatWallDate,
  formatWallDayMonth,
  formatWallIsoDate,
  ianaOffsetMinutesAt,
  MINUTE_MS,
  wallMsInIanaZone,
} from './wall-clock.js';
import { abbreviationForRegion, findAbbreviation, regionCityName } from './zone-table.js';
import type { WallReading, ZonedWallTime } from './zoned-wall-time.js';
import { formatUtcLabel, formatUtcOffset } from './zones.js';

/**
 * "AEST is UTC+10, but on 15 Jan 2026 Sydney was on AEDT (UTC+11): 05:41 AEST is 06:41 Sydney
 * time. Using 05:41 AEST as typed." Undefined when the label is not an abbreviation from the
 * table or its region agrees.
 */
export function noteAbbreviationDisagreement(label: string, wallMs: number, instant: Date): string | undefined {
  const entry = findAbbreviation(label);
  if (!entry) return undefined;
  const regionOffset = ianaOffsetMinutesAt(entry.region, instant);
  if (regionOffset === entry.offsetMinutes) return undefined;

  const city = regionCityName(entry.region);
  const regionAbbreviation = abbreviationForRegion(entry.region, regionOffset);
  const regionClockName = regionAbbreviation
    ? `${regionAbbreviation} (${formatUtcLabel(regionOffset)})`
    : formatUtcLabel(regionOffset);
  const regionWallMs = wallMsInIanaZone(entry.region, instant);
  const sameDay = formatWallIsoDate(regionWallMs) === formatWallIsoDate(wallMs);
  const regionTime = `${formatWallClockWithSeconds(regionWallMs)}${sameDay ? '' : ` on ${formatWallDayMonth(regionWallMs)}`}`;
  const asTyped = `${formatWallClockWithSeconds(wallMs)} ${entry.abbreviation}`;
  return (
    `${entry.abbreviation} is ${formatUtcLabel(entry.offsetMinutes)}, but on ${formatWallDate(wallMs)} ` +
    `${city} was on ${regionClockName}: ${asTyped} is ${regionTime} ${city} time. Using ${asTyped} as typed.`
  );
}

/** The note for a gap or an overlap; undefined for a wall time that occurred exactly once. */
export function noteClockChange(ianaName: string, wallMs: number, resolution: ZonedWallTime): string | undefined {
  if (resolution.kind === 'exact') return undefined;
  return resolution.kind === 'gap'
    ? noteGap(ianaName, wallMs, resolution.reading, resolution.alternative, resolution.transition)
    : noteOverlap(ianaName, wallMs, resolution.reading, resolution.alternative, resolution.transition);
}

function noteGap(
  ianaName: string,
  wallMs: number,
  reading: WallReading,
  alternative: WallReading,
  transition: Date,
): string {
  const clock = formatWallClockWithSeconds(wallMs);
  return (
    `${clock} on ${formatWallDate(wallMs)} does not exist in ${ianaName}: clocks went forward from ` +
    `${clockAt(transition, reading)} to ${clockAt(transition, alternative)} ` +
    `(${offsetName(ianaName, reading)} → ${offsetName(ianaName, alternative)}). ` +
    `Using ${readingName(ianaName, clock, reading)}, the offset in force just before the change: ${utcTime(reading)}. ` +
    `If you meant ${readingName(ianaName, clock, alternative)}, that is ${utcTime(alternative)}; ` +
    `type "${typedForm(ianaName, wallMs, alternative)}".`
  );
}

function noteOverlap(
  ianaName: string,
  wallMs: number,
  first: WallReading,
  second: WallReading,
  transition: Date,
): string {
  const clock = formatWallClockWithSeconds(wallMs);
  return (
    `${clock} on ${formatWallDate(wallMs)} happened twice in ${ianaName}: clocks went back from ` +
    `${clockAt(transition, first)} to ${clockAt(transition, second)} ` +
    `(${offsetName(ianaName, first)} → ${offsetName(ianaName, second)}). ` +
    `Using the first, ${readingName(ianaName, clock, first)} = ${utcTime(first)}; ` +
    `the second, ${readingName(ianaName, clock, second)}, was ${utcTime(second)}. ` +
    `To choose, type "${typedForm(ianaName, wallMs, first)}" or "${typedForm(ianaName, wallMs, second)}".`
  );
}

/** The wall clock at the moment of a change, read with one side's offset ("02:00"). */
function clockAt(transition: Date, side: WallReading): string {
  return formatWallClock(transition.getTime() + side.offsetMinutes * MINUTE_MS);
}

/** "AEST, UTC+10", or "UTC+10" for a region without a known abbreviation. */
function offsetName(ianaName: string, reading: WallReading): string {
  const abbreviation = abbreviationForRegion(ianaName, reading.offsetMinutes);
  const utcLabel = formatUtcLabel(reading.offsetMinutes);
  return abbreviation ? `${abbreviation}, ${utcLabel}` : utcLabel;
}

/** "02:30 AEST (UTC+10)", or "02:30 at UTC+10". */
function readingName(ianaName: string, clock: string, reading: WallReading): string {
  const abbreviation = abbreviationForRegion(ianaName, reading.offsetMinutes);
  const utcLabel = formatUtcLabel(reading.offsetMinutes);
  return abbreviation ? `${clock} ${abbreviation} (${utcLabel})` : `${clock} at ${utcLabel}`;
}

/** "16:30 UTC on 3 Oct" */
function utcTime(reading: WallReading): string {
  const utcMs = reading.instant.getTime();
  return `${formatWallClockWithSeconds(utcMs)} UTC on ${formatWallDayMonth(utcMs)}`;
}

/** What to type to get exactly this reading: "2026-10-04 02:30 AEDT" or "2026-10-04 02:30 +11:00". */
function typedForm(ianaName: string, wallMs: number, reading: WallReading): string {
  const zone = abbreviationForRegion(ianaName, reading.offsetMinutes) ?? formatUtcOffset(reading.offsetMinutes);
  return `${formatWallIsoDate(wallMs)} ${formatWallClockWithSeconds(wallMs)} ${zone}`;
}
