import type { ResolvedZone } from '../core/types.js';
import { UsageError } from '../errors.js';
import { canonicalIanaName, ianaOffsetMinutesAt, isKnownIanaZone } from './wall-clock.js';
import { findAbbreviation, UTC_NAMES } from './zone-table.js';

export const UTC_ZONE: Readonly<ResolvedZone> = Object.freeze({ kind: 'fixed', label: 'UTC', offsetMinutes: 0 });

const SUPPORTED_ZONES_HINT =
  'Use UTC, an abbreviation (AEST AEDT ACST ACDT AWST NZST NZDT PST PDT MST MDT CST CDT EST EDT ' +
  'BST CET CEST JST SGT), an offset (+10:00, UTC+10) or an IANA name (Australia/Sydney), e.g. "05:41 AEST".';

/** The largest offsets in use on Earth: UTC-12 (Baker Island) to UTC+14 (Kiribati). */
const MIN_OFFSET_MINUTES = -12 * 60;
const MAX_OFFSET_MINUTES = 14 * 60;

// "+10", "+1000", "+10:00", "-05:30", "UTC+10", "UTC+10:30", "GMT-5".
const NUMERIC_OFFSET = /^(UTC|GMT)?([+-])(\d{1,2})(?::?(\d{2}))?$/i;

/**
 * Resolves a zone as a person typed it: an abbreviation from the table (a fixed offset), a
 * numeric offset, UTC/Z/GMT, or an IANA name. Throws UsageError for anything else, including
 * abbreviations Intl would guess at (IST, EET…).
 */
export function resolveZone(token: string): ResolvedZone {
  const typed = token.trim();
  if (UTC_NAMES.includes(typed.toUpperCase())) return { ...UTC_ZONE };

  const abbreviation = findAbbreviation(typed);
  if (abbreviation)
    return { kind: 'fixed', label: abbreviation.abbreviation, offsetMinutes: abbreviation.offsetMinutes };

  const offset = NUMERIC_OFFSET.exec(typed);
  if (offset) return resolveNumericOffset(typed, offset);

  if (typed.includes('/') && isKnownIanaZone(typed))
    return { kind: 'iana', label: ianaLabel(typed), name: ianaLabel(typed) };

  throw new UsageError(`Unknown time zone ${quote(typed)}.`, SUPPORTED_ZONES_HINT);
}

function resolveNumericOffset(typed: string, match: RegExpExecArray): ResolvedZone {
  const [, prefix, sign, hoursText, minutesText] = match;
  const hours = Number(hoursText);
  const minutes = Number(minutesText ?? '0');
  const offsetMinutes = (sign === '-' ? -1 : 1) * (hours * 60 + minutes);
  if (minutes >= 60 || offsetMinutes < MIN_OFFSET_MINUTES || offsetMinutes > MAX_OFFSET_MINUTES) {
    throw new UsageError(
      `${quote(typed)} is not a UTC offset in use: offsets run from -12:00 to +14:00.`,
      'Write the offset as +10:00, +1000, +10 or UTC+10, e.g. "05:41 +10:00".',
    );
  }
  if (offsetMinutes === 0) return { ...UTC_ZONE };
  const label = prefix ? formatUtcLabel(offsetMinutes) : formatUtcOffset(offsetMinutes);
  return { kind: 'fixed', label, offsetMinutes };
}

/** Intl's spelling when it only fixes the case ("australia/sydney"); otherwise the name as typed. */
function ianaLabel(typed: string): string {
  const canonical = canonicalIanaName(typed);
  return canonical.toLowerCase() === typed.toLowerCase() ? canonical : typed;
}

/** The zone's UTC offset in minutes at an instant (constant for fixed zones). */
export function offsetMinutesAt(zone: ResolvedZone, instant: Date): number {
  return zone.kind === 'fixed' ? zone.offsetMinutes : ianaOffsetMinutesAt(zone.name, instant);
}

/** 600 → "+10:00", -330 → "-05:30", 0 → "+00:00". */
export function formatUtcOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const absolute = Math.abs(minutes);
  const hours = String(Math.floor(absolute / 60)).padStart(2, '0');
  return `${sign}${hours}:${String(absolute % 60).padStart(2, '0')}`;
}

/** 600 → "UTC+10", 570 → "UTC+9:30", -300 → "UTC-5", 0 → "UTC+0". */
export function formatUtcLabel(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const absolute = Math.abs(minutes);
  const remainder = absolute % 60;
  const hours = Math.floor(absolute / 60);
  return `UTC${sign}${hours}${remainder === 0 ? '' : `:${String(remainder).padStart(2, '0')}`}`;
}

/** A token quoted for a message, cut short so a pasted essay cannot flood the reply. */
export function quote(token: string): string {
  const short = token.length > 40 ? `${token.slice(0, 40)}…` : token;
  return `"${short}"`;
}
