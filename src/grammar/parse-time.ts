import type { AskedTime, ResolvedZone } from '../core/types.js';
import { ConfigError, UsageError } from '../errors.js';
import { readLeadingTime, type TypedTime } from './read-time-tokens.js';
import { createTimeFormatter } from './time-formatter.js';
import { noteAbbreviationDisagreement, noteClockChange } from './time-notes.js';
import { DAY_MS, floorToMinute, formatWallDate, MINUTE_MS } from './wall-clock.js';
import { resolveWallTimeInZone, type ZonedWallTime } from './zoned-wall-time.js';
import { formatUtcOffset, offsetMinutesAt, quote, resolveZone, UTC_ZONE } from './zones.js';

export interface ResolveTimeOptions {
  /** The moment the question is asked; nothing after it can be investigated. */
  now: Date;
  /** The config's `timezone`, used when no zone is typed. */
  defaultZone?: string;
}

/**
 * Resolves the time a person asked about (CONTRACT §2) to an instant.
 *
 * A time without a date is the most recent occurrence of that wall-clock time in the zone that
 * is not after `now`; a date and time after `now` is refused. Notes explain any reading that is
 * not the obvious one (abbreviation vs the region's clock, DST gaps and overlaps).
 */
export function resolveAskedTime(
  timeTokens: readonly string[],
  zoneToken: string | undefined,
  options: ResolveTimeOptions,
): AskedTime {
  const { typed, timeText, rest } = readLeadingTime(timeTokens);
  if (rest.length > 0) throw unexpectedWordError(timeText, rest, zoneToken);
  const input = [...timeTokens, ...(zoneToken === undefined ? [] : [zoneToken])].join(' ').replace(/\s+/g, ' ').trim();
  const zone = chooseZone(typed, zoneToken, options.defaultZone);
  const { wallMs, resolution } = resolveInZone(zone, typed, options.now);
  const { instant, offsetMinutes } = resolution.reading;

  if (typed.isoOffsetMinutes !== undefined) assertOffsetAgrees(input, zone, typed.isoOffsetMinutes, instant);
  if (instant.getTime() > options.now.getTime()) throw futureTimeError(input, zone, options.now);

  return {
    input,
    zone,
    utcOffset: formatUtcOffset(offsetMinutes),
    instant,
    at: floorToMinute(instant),
    notes: notesFor(zone, wallMs, resolution),
  };
}

function chooseZone(typed: TypedTime, zoneToken: string | undefined, defaultZone: string | undefined): ResolvedZone {
  if (zoneToken !== undefined) return resolveZone(zoneToken);
  if (typed.isoOffsetMinutes !== undefined) return zoneForIsoOffset(typed.isoOffsetMinutes);
  if (defaultZone === undefined) return { ...UTC_ZONE };
  try {
    return resolveZone(defaultZone);
  } catch (error) {
    throw new ConfigError(
      `The config's timezone ${quote(defaultZone)} is not a zone I know.`,
      'Set timezone to an IANA name such as Australia/Sydney, or to UTC.',
      { cause: error },
    );
  }
}

/**
 * Names the first word that does not belong, rather than blaming the time: in "05:41 AEST UTC"
 * the time and the zone are fine and "UTC" is one zone too many.
 */
function unexpectedWordError(timeText: string, rest: readonly string[], zoneToken: string | undefined): UsageError {
  const [next = '', afterNext = zoneToken] = rest;
  if (isZone(next) && afterNext !== undefined) {
    return new UsageError(
      `Unexpected ${quote(afterNext)} after the zone ${quote(next)}.`,
      `Give one zone after the time, e.g. "${timeText} ${next}".`,
    );
  }
  return new UsageError(
    `Unexpected ${quote(next)} after the time ${quote(timeText)}.`,
    `Give the time (with its date first, if any), then at most one zone, e.g. "${timeText} AEST" or "2026-06-19 05:41 AEST".`,
  );
}

function isZone(token: string): boolean {
  try {
    resolveZone(token);
    return true;
  } catch {
    return false;
  }
}

function zoneForIsoOffset(offsetMinutes: number): ResolvedZone {
  return offsetMinutes === 0
    ? { ...UTC_ZONE }
    : { kind: 'fixed', label: formatUtcOffset(offsetMinutes), offsetMinutes };
}

/** Resolves the typed wall time in the zone: on the typed date, else on the latest day not after now. */
function resolveInZone(zone: ResolvedZone, typed: TypedTime, now: Date): { wallMs: number; resolution: ZonedWallTime } {
  if (typed.isoOffsetMinutes !== undefined) {
    const wallMs = (typed.dateWallMs ?? 0) + typed.timeOfDayMs;
    const instant = new Date(wallMs - typed.isoOffsetMinutes * MINUTE_MS);
    return { wallMs, resolution: { kind: 'exact', reading: { instant, offsetMinutes: typed.isoOffsetMinutes } } };
  }
  if (typed.dateWallMs !== undefined) {
    const wallMs = typed.dateWallMs + typed.timeOfDayMs;
    return { wallMs, resolution: resolveWallTime(zone, wallMs) };
  }
  const nowWallMs = now.getTime() + offsetMinutesAt(zone, now) * MINUTE_MS;
  const todayWallMs = Math.floor(nowWallMs / DAY_MS) * DAY_MS;
  // Two days back always suffices; the third step only guards a wall time in today's DST gap.
  for (let daysBack = 0; ; daysBack += 1) {
    const wallMs = todayWallMs - daysBack * DAY_MS + typed.timeOfDayMs;
    const resolution = resolveWallTime(zone, wallMs);
    if (resolution.reading.instant.getTime() <= now.getTime() || daysBack >= 2) return { wallMs, resolution };
  }
}

function resolveWallTime(zone: ResolvedZone, wallMs: number): ZonedWallTime {
  if (zone.kind === 'iana') return resolveWallTimeInZone(zone.name, wallMs);
  return {
    kind: 'exact',
    reading: { instant: new Date(wallMs - zone.offsetMinutes * MINUTE_MS), offsetMinutes: zone.offsetMinutes },
  };
}

function assertOffsetAgrees(input: string, zone: ResolvedZone, isoOffsetMinutes: number, instant: Date): void {
  const zoneOffsetMinutes = offsetMinutesAt(zone, instant);
  if (zoneOffsetMinutes === isoOffsetMinutes) return;
  const [time = input] = input.split(' ');
  throw new UsageError(
    `${quote(time)} carries its own offset, ${formatUtcOffset(isoOffsetMinutes)}, but ${zone.label} was at ${formatUtcOffset(zoneOffsetMinutes)} then.`,
    `Give the offset or the zone, not both: "${time}" alone, or the time without its offset followed by the zone.`,
  );
}

function futureTimeError(input: string, zone: ResolvedZone, now: Date): UsageError {
  const nowWallMs = now.getTime() + offsetMinutesAt(zone, now) * MINUTE_MS;
  const nowText = `${createTimeFormatter(zone).minute(now)} on ${formatWallDate(nowWallMs)}`;
  return new UsageError(
    `${quote(input)} is in the future: it is now ${nowText}.`,
    'Ask about a time that has passed. Without a date, "05:41" means the most recent 05:41.',
  );
}

function notesFor(zone: ResolvedZone, wallMs: number, resolution: ZonedWallTime): string[] {
  const note =
    zone.kind === 'fixed'
      ? noteAbbreviationDisagreement(zone.label, wallMs, resolution.reading.instant)
      : noteClockChange(zone.name, wallMs, resolution);
  return note === undefined ? [] : [note];
}
