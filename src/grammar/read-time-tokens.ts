import { UsageError } from '../errors.js';
import { quote } from './zones.js';

/** A time as typed, before any zone is applied. */
export interface TypedTime {
  /** Midnight of the typed date in wall milliseconds, when a date was typed. */
  dateWallMs?: number;
  /** Milliseconds since midnight on the wall clock. */
  timeOfDayMs: number;
  /** The offset an ISO 8601 time carried itself ("Z", "+10:00"), in minutes. */
  isoOffsetMinutes?: number;
}

const TIME_HINT =
  'Write the time as HH:MM (24-hour), with am/pm, or with a date: "05:41", "5:41am", "5:41 PM", ' +
  '"2026-06-19 05:41", "2026-06-18T19:41:00Z".';

const ISO_DATE_TIME =
  /^(\d{4}-\d{2}-\d{2})T(\d{1,2}:\d{2}(?::\d{2})?)(?:[.,]\d+)?(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const CLOCK = /^(\d{1,2}):(\d{2})(?::(\d{2}))?(?:([ap])\.?m\.?)?$/i;
const MERIDIEM = /^([ap])\.?m\.?$/i;

/** True for "am", "PM", "a.m.": a word that belongs to the time, never a zone. */
export function isMeridiem(token: string): boolean {
  return MERIDIEM.test(token);
}

/** True for tokens shaped like a date or a clock reading, so that they are read as the time. */
export function looksLikeTimeToken(token: string): boolean {
  return /^\d{1,2}:\d{2}/.test(token) || /^\d{4}-\d{2}-\d{2}(T|$)/i.test(token) || isMeridiem(token);
}

/**
 * Reads the time tokens of a command: "05:41", "5:41am", "5:41 PM", "05:41:07",
 * "2026-06-19 05:41", or ISO 8601 ("2026-06-19T05:41", "2026-06-18T19:41:00Z",
 * "2026-06-19T05:41+10:00"). Throws UsageError naming what was wrong.
 */
export function readTimeTokens(tokens: readonly string[]): TypedTime {
  const words = tokens.flatMap((token) => token.split(/\s+/)).filter(Boolean);
  const typed = words.join(' ');
  if (words.length === 0) throw new UsageError('The time is missing.', TIME_HINT);

  const iso = ISO_DATE_TIME.exec(words.length === 2 && DATE.test(words[0] ?? '') ? words.join('T') : typed);
  if (iso) return readIso(typed, iso);

  const hasDate = DATE.test(words[0] ?? '');
  if (hasDate && words.length === 1) throw new UsageError(`The time is missing after the date ${quote(typed)}.`, TIME_HINT);
  const [clockWord, meridiemWord, ...extra] = hasDate ? words.slice(1) : words;
  const clock = CLOCK.exec(clockWord ?? '');
  const meridiem = clock?.[4] ?? (meridiemWord ? MERIDIEM.exec(meridiemWord)?.[1] : undefined);
  const unread = extra.length > 0 || (meridiemWord !== undefined && (clock?.[4] !== undefined || meridiem === undefined));
  if (!clock || unread) throw new UsageError(`I could not read ${quote(typed)} as a time.`, TIME_HINT);

  const timeOfDayMs = readClock(clockWord ?? '', clock, meridiem);
  return hasDate ? { dateWallMs: readDate(words[0] ?? ''), timeOfDayMs } : { timeOfDayMs };
}

function readIso(typed: string, match: RegExpExecArray): TypedTime {
  const [, date = '', time = '', offset] = match;
  const clock = CLOCK.exec(time);
  if (!clock) throw new UsageError(`I could not read ${quote(typed)} as a time.`, TIME_HINT);
  const result: TypedTime = { dateWallMs: readDate(date), timeOfDayMs: readClock(typed, clock, undefined) };
  if (offset !== undefined) result.isoOffsetMinutes = readIsoOffset(typed, offset);
  return result;
}

function readDate(word: string): number {
  const [, year, month, day] = DATE.exec(word)?.map(Number) ?? [];
  const wallMs = Date.UTC(year ?? NaN, (month ?? NaN) - 1, day ?? NaN);
  const date = new Date(wallMs);
  if (Number.isNaN(wallMs) || date.getUTCMonth() + 1 !== month || date.getUTCDate() !== day) {
    throw new UsageError(`${quote(word)} is not a date in the calendar.`, 'Write the date as YYYY-MM-DD, e.g. "2026-06-19 05:41".');
  }
  return wallMs;
}

function readClock(typed: string, clock: RegExpExecArray, meridiem: string | undefined): number {
  const hours = Number(clock[1]);
  const minutes = Number(clock[2]);
  const seconds = Number(clock[3] ?? '0');
  if (minutes > 59 || seconds > 59) {
    throw new UsageError(`${quote(typed)} is not a valid time: minutes and seconds run 00–59.`, TIME_HINT);
  }
  if (meridiem === undefined) {
    if (hours > 23) throw new UsageError(`${quote(typed)} is not a valid time: hours run 00–23.`, TIME_HINT);
    return ((hours * 60 + minutes) * 60 + seconds) * 1000;
  }
  if (hours > 12) {
    throw new UsageError(`${quote(typed)} mixes 24-hour time with am/pm.`, `Write "${hours}:${clock[2]}" or "${hours - 12}:${clock[2]}pm".`);
  }
  if (hours === 0) {
    throw new UsageError(`${quote(typed)}: with am/pm the hour runs 1–12.`, `Write "12:${clock[2]}am" or "00:${clock[2]}".`);
  }
  const hours24 = (hours % 12) + (meridiem.toLowerCase() === 'p' ? 12 : 0);
  return ((hours24 * 60 + minutes) * 60 + seconds) * 1000;
}

function readIsoOffset(typed: string, offset: string): number {
  if (offset.toUpperCase() === 'Z') return 0;
  const [, sign, hours, minutes = '00'] = /^([+-])(\d{2}):?(\d{2})?$/.exec(offset) ?? [];
  const total = (sign === '-' ? -1 : 1) * (Number(hours) * 60 + Number(minutes));
  if (Number(minutes) > 59 || total < -12 * 60 || total > 14 * 60) {
    throw new UsageError(`${quote(typed)} carries an offset that is not in use: offsets run from -12:00 to +14:00.`, TIME_HINT);
  }
  return total;
}
