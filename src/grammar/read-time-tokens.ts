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

/** The time read from the front of the tokens, and the words after it that were not part of it. */
export interface LeadingTime {
  typed: TypedTime;
  /** The words that made up the time, as typed: "2026-06-19 5:41 pm". */
  timeText: string;
  /** The words after the time, unread. */
  rest: string[];
}

/**
 * The earliest year a typed date (or --now) may have. Nothing why502 reads is older than 1970
 * (log files, CloudWatch, and the IANA zone data, which is only reliable from 1970); earlier
 * years only ever come from typos, and years 0–99 would be read by Date.UTC as 1900–1999.
 */
export const EARLIEST_YEAR = 1970;

export const TIME_HINT =
  'Write the time as HH:MM (24-hour), with am/pm, or with a date: "05:41", "5:41am", "5am", "5:41 PM", ' +
  '"2026-06-19 05:41", "2026-06-18T19:41:00Z".';

const ISO_DATE_TIME = /^(\d{4}-\d{2}-\d{2})T(\d{1,2}:\d{2}(?::\d{2})?)(?:[.,]\d+)?(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const CLOCK = /^(\d{1,2}):(\d{2})(?::(\d{2}))?(?:([ap])\.?m\.?)?$/i;
const HOUR_WITH_MERIDIEM = /^(\d{1,2})([ap])\.?m\.?$/i;
const BARE_HOUR = /^\d{1,2}$/;
const MERIDIEM = /^([ap])\.?m\.?$/i;

/** The fields of a clock reading, before am/pm is applied. */
interface ClockFields {
  hours: number;
  minutes: number;
  seconds: number;
}

/** True for "am", "PM", "a.m.": a word that belongs to the time, never a zone. */
export function isMeridiem(token: string): boolean {
  return MERIDIEM.test(token);
}

/** True for tokens shaped like a date or a clock reading, so that they are read as the time. */
export function looksLikeTimeToken(token: string): boolean {
  return (
    /^\d{1,2}:\d{2}/.test(token) ||
    /^\d{4}-\d{2}-\d{2}(T|$)/i.test(token) ||
    isMeridiem(token) ||
    HOUR_WITH_MERIDIEM.test(token)
  );
}

/**
 * Reads a time from the front of the tokens: "05:41", "5:41am", "5:41 PM", "05:41:07", "5am",
 * "12 pm" (an hour with am/pm means :00), "2026-06-19 05:41", or ISO 8601 ("2026-06-19T05:41",
 * "2026-06-18T19:41:00Z", "2026-06-19T05:41+10:00"). Words after the time are returned unread
 * so the caller can say what they are. Throws UsageError naming what was wrong with the time.
 */
export function readLeadingTime(tokens: readonly string[]): LeadingTime {
  const words = tokens.flatMap((token) => token.split(/\s+/)).filter(Boolean);
  if (words.length === 0) throw new UsageError('The time is missing.', TIME_HINT);

  const isoWordCount = countIsoWords(words);
  if (isoWordCount > 0) {
    const timeText = words.slice(0, isoWordCount).join(' ');
    const iso = ISO_DATE_TIME.exec(words.slice(0, isoWordCount).join('T'));
    if (iso) return { typed: readIso(timeText, iso), timeText, rest: words.slice(isoWordCount) };
  }

  const [first = ''] = words;
  const hasDate = DATE.test(first);
  if (hasDate && words.length === 1)
    throw new UsageError(`The time is missing after the date ${quote(first)}.`, TIME_HINT);
  const clockStart = hasDate ? 1 : 0;
  const clock = readClockWords(words[clockStart] ?? '', words[clockStart + 1]);
  if (!clock) throw new UsageError(`I could not read ${quote(words.join(' '))} as a time.`, TIME_HINT);

  const timeEnd = clockStart + clock.wordCount;
  const timeText = words.slice(0, timeEnd).join(' ');
  const timeOfDayMs = readClock(timeText, clock.fields, clock.meridiem);
  const typed = hasDate ? { dateWallMs: readDate(first), timeOfDayMs } : { timeOfDayMs };
  return { typed, timeText, rest: words.slice(timeEnd) };
}

/**
 * 1 for "2026-06-19T05:41Z", 2 for "2026-06-19 05:41Z" (read as one ISO time), else 0: not for
 * "2026-06-19 5:41 pm", whose clock needs the am/pm after it.
 */
function countIsoWords(words: readonly string[]): number {
  const [first = '', second, third] = words;
  if (ISO_DATE_TIME.test(first)) return 1;
  const meridiemFollows = third !== undefined && isMeridiem(third);
  if (DATE.test(first) && second !== undefined && !meridiemFollows && ISO_DATE_TIME.test(`${first}T${second}`))
    return 2;
  return 0;
}

/** "5:41", "5:41pm", "5:41 pm", "5pm", "5 pm": the fields, the am/pm letter and how many words they took. */
function readClockWords(
  word: string,
  next: string | undefined,
): { fields: ClockFields; meridiem: string | undefined; wordCount: number } | undefined {
  const nextMeridiem = next === undefined ? undefined : MERIDIEM.exec(next)?.[1];
  const clock = CLOCK.exec(word);
  if (clock) {
    const fields = { hours: Number(clock[1]), minutes: Number(clock[2]), seconds: Number(clock[3] ?? '0') };
    if (clock[4] !== undefined) return { fields, meridiem: clock[4], wordCount: 1 };
    return nextMeridiem === undefined
      ? { fields, meridiem: undefined, wordCount: 1 }
      : { fields, meridiem: nextMeridiem, wordCount: 2 };
  }
  const hourWithMeridiem = HOUR_WITH_MERIDIEM.exec(word);
  if (hourWithMeridiem) return { fields: hourOnly(hourWithMeridiem[1]), meridiem: hourWithMeridiem[2], wordCount: 1 };
  if (BARE_HOUR.test(word) && nextMeridiem !== undefined)
    return { fields: hourOnly(word), meridiem: nextMeridiem, wordCount: 2 };
  return undefined;
}

function hourOnly(hoursText: string | undefined): ClockFields {
  return { hours: Number(hoursText), minutes: 0, seconds: 0 };
}

function readIso(timeText: string, match: RegExpExecArray): TypedTime {
  const [, date = '', time = '', offset] = match;
  const clock = CLOCK.exec(time);
  if (!clock) throw new UsageError(`I could not read ${quote(timeText)} as a time.`, TIME_HINT);
  const fields = { hours: Number(clock[1]), minutes: Number(clock[2]), seconds: Number(clock[3] ?? '0') };
  const result: TypedTime = { dateWallMs: readDate(date), timeOfDayMs: readClock(timeText, fields, undefined) };
  if (offset !== undefined) result.isoOffsetMinutes = readIsoOffset(timeText, offset);
  return result;
}

function readDate(word: string): number {
  const [, year, month, day] = DATE.exec(word)?.map(Number) ?? [];
  if (year !== undefined && year < EARLIEST_YEAR) {
    throw new UsageError(
      `The year in ${quote(word)} is out of range: dates run from ${EARLIEST_YEAR} on.`,
      'Write the date as YYYY-MM-DD, e.g. "2026-06-19 05:41".',
    );
  }
  const wallMs = Date.UTC(year ?? NaN, (month ?? NaN) - 1, day ?? NaN);
  const date = new Date(wallMs);
  if (Number.isNaN(wallMs) || date.getUTCMonth() + 1 !== month || date.getUTCDate() !== day) {
    throw new UsageError(
      `${quote(word)} is not a date in the calendar.`,
      'Write the date as YYYY-MM-DD, e.g. "2026-06-19 05:41".',
    );
  }
  return wallMs;
}

const pad2 = (value: number): string => String(value).padStart(2, '0');

function readClock(typed: string, { hours, minutes, seconds }: ClockFields, meridiem: string | undefined): number {
  if (minutes > 59 || seconds > 59) {
    throw new UsageError(`${quote(typed)} is not a valid time: minutes and seconds run 00–59.`, TIME_HINT);
  }
  if (meridiem === undefined) {
    if (hours > 23) throw new UsageError(`${quote(typed)} is not a valid time: hours run 00–23.`, TIME_HINT);
    return ((hours * 60 + minutes) * 60 + seconds) * 1000;
  }
  if (hours > 12) {
    throw new UsageError(
      `${quote(typed)} mixes 24-hour time with am/pm.`,
      `Write "${hours}:${pad2(minutes)}" or "${hours - 12}:${pad2(minutes)}pm".`,
    );
  }
  if (hours === 0) {
    throw new UsageError(
      `${quote(typed)}: with am/pm the hour runs 1–12.`,
      `Write "12:${pad2(minutes)}am" or "00:${pad2(minutes)}".`,
    );
  }
  const hours24 = (hours % 12) + (meridiem.toLowerCase() === 'p' ? 12 : 0);
  return ((hours24 * 60 + minutes) * 60 + seconds) * 1000;
}

function readIsoOffset(typed: string, offset: string): number {
  if (offset.toUpperCase() === 'Z') return 0;
  const [, sign, hours, minutes = '00'] = /^([+-])(\d{2}):?(\d{2})?$/.exec(offset) ?? [];
  const total = (sign === '-' ? -1 : 1) * (Number(hours) * 60 + Number(minutes));
  if (Number(minutes) > 59 || total < -12 * 60 || total > 14 * 60) {
    throw new UsageError(
      `${quote(typed)} carries an offset that is not in use: offsets run from -12:00 to +14:00.`,
      TIME_HINT,
    );
  }
  return total;
}
