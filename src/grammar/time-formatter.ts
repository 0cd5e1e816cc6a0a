import type { ResolvedZone, TimeFormatter } from '../core/types.js';
import { formatWallClock, formatWallDayMonth, ianaOffsetMinutesAt, MINUTE_MS } from './wall-clock.js';
import { abbreviationForRegion } from './zone-table.js';
import { formatUtcLabel, offsetMinutesAt } from './zones.js';

/**
 * What a zone's clock is called at an instant: a fixed zone's own label ("AEST", "+10:00"); for
 * an IANA zone the abbreviation of a region we know ("AEDT" for Australia/Sydney at +11:00),
 * else "UTC+10", or "UTC" at offset 0.
 */
export function zoneLabelAt(zone: ResolvedZone, instant: Date): string {
  if (zone.kind === 'fixed') return zone.label;
  const offsetMinutes = ianaOffsetMinutesAt(zone.name, instant);
  return (
    abbreviationForRegion(zone.name, offsetMinutes) ?? (offsetMinutes === 0 ? 'UTC' : formatUtcLabel(offsetMinutes))
  );
}

/**
 * Formats instants for people, the asked zone first and UTC second: "05:41 AEST (19:41 UTC)".
 * Independent of the process time zone and locale.
 *
 * `referenceInstant` picks the label `zoneLabel` shows for an IANA zone (its clock at the asked
 * time, "AEDT"); without it an IANA zone is labelled by its name.
 */
export function createTimeFormatter(zone: ResolvedZone, options: { referenceInstant?: Date } = {}): TimeFormatter {
  const wallMsOf = (instant: Date): number => instant.getTime() + offsetMinutesAt(zone, instant) * MINUTE_MS;
  const localClock = (instant: Date): string => formatWallClock(wallMsOf(instant));
  const utcClock = (instant: Date): string => formatWallClock(instant.getTime());

  return {
    minute(instant) {
      const label = zoneLabelAt(zone, instant);
      if (label === 'UTC') return `${utcClock(instant)} UTC`;
      return `${localClock(instant)} ${label} (${utcClock(instant)} UTC)`;
    },
    range(start, endInclusive) {
      const startLabel = zoneLabelAt(zone, start);
      const endLabel = zoneLabelAt(zone, endInclusive);
      const utcRange = `${utcClock(start)}–${utcClock(endInclusive)} UTC`;
      if (startLabel === 'UTC' && endLabel === 'UTC') return utcRange;
      const localRange =
        startLabel === endLabel
          ? `${localClock(start)}–${localClock(endInclusive)} ${startLabel}`
          : `${localClock(start)} ${startLabel}–${localClock(endInclusive)} ${endLabel}`;
      return `${localRange} (${utcRange})`;
    },
    localClock,
    localDate: (instant) => formatWallDayMonth(wallMsOf(instant)),
    zoneLabel: options.referenceInstant ? zoneLabelAt(zone, options.referenceInstant) : zone.label,
  };
}
