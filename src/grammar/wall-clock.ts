/**
 * Wall-clock readings without the process time zone. A wall time is carried as "wall
 * milliseconds": the epoch milliseconds a UTC clock would show for the same calendar fields, so
 * that getUTC* reads the fields back and arithmetic on days and minutes stays exact.
 *
 * Why not date-fns-tz here: `formatInTimeZone` builds a Date from system-local fields, so a wall
 * time that falls in the *machine's* DST gap comes out an hour off (Sydney 2026-03-08 02:30 prints
 * as 03:30 under TZ=America/New_York), and `getTimezoneOffset(zone, instant)` reads the instant's
 * fields as a wall time, so it is wrong for the hour after a transition. Intl's formatToParts is
 * exact and depends on neither.
 */

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

const formatters = new Map<string, Intl.DateTimeFormat>();
// Zone names come from users; bound the cache so odd spellings cannot grow it without limit.
const MAX_CACHED_FORMATTERS = 500;

function formatterFor(ianaName: string): Intl.DateTimeFormat {
  let formatter = formatters.get(ianaName);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: ianaName,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    if (formatters.size >= MAX_CACHED_FORMATTERS) formatters.clear();
    formatters.set(ianaName, formatter);
  }
  return formatter;
}

/** The wall time (whole seconds) that an IANA zone's clocks showed at an instant. */
export function wallMsInIanaZone(ianaName: string, instant: Date): number {
  const fields: Record<string, number> = {};
  for (const part of formatterFor(ianaName).formatToParts(instant)) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  const field = (name: string): number => fields[name] ?? 0;
  // Not Date.UTC(year, …): it reads years 0–99 as 1900–1999, which made a year-1 instant's offset
  // come out as millions of hours. setUTCFullYear takes the year as given.
  const wall = new Date(0);
  wall.setUTCFullYear(field('year'), field('month') - 1, field('day'));
  wall.setUTCHours(field('hour') % 24, field('minute'), field('second'), 0);
  return wall.getTime();
}

/** The UTC offset in minutes of an IANA zone at an instant. */
export function ianaOffsetMinutesAt(ianaName: string, instant: Date): number {
  const wholeSecondMs = Math.floor(instant.getTime() / 1000) * 1000;
  return Math.round((wallMsInIanaZone(ianaName, instant) - wholeSecondMs) / MINUTE_MS);
}

/** True when Intl knows the zone name. */
export function isKnownIanaZone(name: string): boolean {
  try {
    formatterFor(name);
    return true;
  } catch {
    return false;
  }
}

/** The canonical spelling Intl gives a zone name ("Australia/Sydney" for "australia/sydney"). */
export function canonicalIanaName(name: string): string {
  return formatterFor(name).resolvedOptions().timeZone;
}

const pad2 = (value: number): string => String(value).padStart(2, '0');

/** "05:41" */
export function formatWallClock(wallMs: number): string {
  const wall = new Date(wallMs);
  return `${pad2(wall.getUTCHours())}:${pad2(wall.getUTCMinutes())}`;
}

/** "05:41", or "05:41:07" when the seconds are not zero. */
export function formatWallClockWithSeconds(wallMs: number): string {
  const seconds = new Date(wallMs).getUTCSeconds();
  return seconds === 0 ? formatWallClock(wallMs) : `${formatWallClock(wallMs)}:${pad2(seconds)}`;
}

/** "19 Jun" */
export function formatWallDayMonth(wallMs: number): string {
  const wall = new Date(wallMs);
  return `${wall.getUTCDate()} ${MONTHS[wall.getUTCMonth()]}`;
}

/** "19 Jun 2026" */
export function formatWallDate(wallMs: number): string {
  return `${formatWallDayMonth(wallMs)} ${new Date(wallMs).getUTCFullYear()}`;
}

/** "2026-06-19" */
export function formatWallIsoDate(wallMs: number): string {
  const wall = new Date(wallMs);
  return `${wall.getUTCFullYear()}-${pad2(wall.getUTCMonth() + 1)}-${pad2(wall.getUTCDate())}`;
}

/** "2026-06-19T05:41:07.000", the form date-fns-tz parses as a wall time in a zone. */
export function formatWallIsoDateTime(wallMs: number): string {
  return new Date(wallMs).toISOString().slice(0, -1);
}

export function floorToMinute(instant: Date): Date {
  return new Date(Math.floor(instant.getTime() / MINUTE_MS) * MINUTE_MS);
}
