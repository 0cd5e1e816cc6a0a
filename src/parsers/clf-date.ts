/**
 * Dates in the Common Log Format family: HAProxy's accept date `06/Feb/2009:12:14:14.655`
 * (no zone), nginx's `$time_local` and Traefik's CLF time `07/Feb/2020:11:48:51 +0000` share the
 * `dd/Mon/yyyy:HH:MM:SS` core read here, by character code, straight from the line.
 */

/** Length of `dd/Mon/yyyy:HH:MM:SS`. */
export const CLF_SECOND_LENGTH = 20;

const DIGIT_0 = 48;
const SLASH = 47;
const COLON = 58;
const DOT = 46;
const SPACE = 32;
const PLUS = 43;
const MINUS = 45;
const CLOSE_BRACKET = 93;

function digitsAt(text: string, start: number, count: number): number {
  let value = 0;
  for (let i = start; i < start + count; i++) {
    const digit = text.charCodeAt(i) - DIGIT_0;
    if (digit < 0 || digit > 9) return NaN;
    value = value * 10 + digit;
  }
  return value;
}

/** 0–11 for `Jan`…`Dec` at `start`, else -1. Compares char codes: no substring per line. */
function monthAt(text: string, start: number): number {
  const code = (text.charCodeAt(start) << 16) | (text.charCodeAt(start + 1) << 8) | text.charCodeAt(start + 2);
  switch (code) {
    case 0x4a616e:
      return 0; // Jan
    case 0x466562:
      return 1; // Feb
    case 0x4d6172:
      return 2; // Mar
    case 0x417072:
      return 3; // Apr
    case 0x4d6179:
      return 4; // May
    case 0x4a756e:
      return 5; // Jun
    case 0x4a756c:
      return 6; // Jul
    case 0x417567:
      return 7; // Aug
    case 0x536570:
      return 8; // Sep
    case 0x4f6374:
      return 9; // Oct
    case 0x4e6f76:
      return 10; // Nov
    case 0x446563:
      return 11; // Dec
    default:
      return -1;
  }
}

// Date.UTC is the costly step, and a log's lines share their hour, so the start of the last
// hour seen is kept; minutes and seconds are added by arithmetic. Pure in effect: the memo
// only ever returns what Date.UTC would.
let memoHourKey = -1;
let memoHourStartMs = 0;

function hourStartMs(year: number, month: number, day: number, hour: number): number {
  const key = ((year * 16 + month) * 32 + day) * 32 + hour;
  if (key !== memoHourKey) {
    memoHourStartMs = Date.UTC(year, month, day, hour);
    memoHourKey = key;
  }
  return memoHourStartMs;
}

/** `dd/Mon/yyyy:HH:MM:SS` at `start`, read as a UTC wall clock → epoch ms; NaN when invalid. */
export function parseClfSecondAsUtc(text: string, start: number): number {
  if (text.length < start + CLF_SECOND_LENGTH) return NaN;
  const separatorsOk =
    text.charCodeAt(start + 2) === SLASH &&
    text.charCodeAt(start + 6) === SLASH &&
    text.charCodeAt(start + 11) === COLON &&
    text.charCodeAt(start + 14) === COLON &&
    text.charCodeAt(start + 17) === COLON;
  const month = monthAt(text, start + 3);
  if (!separatorsOk || month < 0) return NaN;
  const day = digitsAt(text, start, 2);
  const year = digitsAt(text, start + 7, 4);
  const hour = digitsAt(text, start + 12, 2);
  const minute = digitsAt(text, start + 15, 2);
  const second = digitsAt(text, start + 18, 2);
  // NaN fails every comparison, so a non-digit anywhere lands here too.
  if (!(day >= 1 && day <= 31 && year >= 0 && hour <= 23 && minute <= 59 && second <= 60)) return NaN;
  return hourStartMs(year, month, day, hour) + minute * 60_000 + second * 1000;
}

/**
 * HAProxy's accept date between `start` and the closing bracket at `close`, as a UTC wall clock in
 * epoch ms (the caller applies the proxy's UTC offset). Milliseconds are optional: 2004-era logs
 * have `[09/Aug/2004:20:26:09]`. NaN when invalid.
 */
export function acceptDateWallMs(line: string, start: number, close: number): number {
  const secondMs = parseClfSecondAsUtc(line, start);
  const fractionStart = start + CLF_SECOND_LENGTH;
  if (close === fractionStart) return secondMs;
  const digitCount = close - fractionStart - 1;
  if (line.charCodeAt(fractionStart) !== DOT || digitCount < 1 || digitCount > 9) return NaN;
  const fraction = digitsAt(line, fractionStart + 1, digitCount);
  if (digitCount === 3) return secondMs + fraction; // %tr writes milliseconds
  return secondMs + Math.floor((fraction * 1000) / 10 ** digitCount);
}

/** Length of `dd/Mon/yyyy:HH:MM:SS +hhmm`. */
export const CLF_ZONED_LENGTH = CLF_SECOND_LENGTH + 6;

/**
 * True when `[dd/Mon/yyyy:HH:MM:SS ±hhmm]` opens at `start`: nginx's `$time_local` and Traefik's
 * CLF time (HAProxy's accept date has no zone).
 */
export function isClfZonedTimeAt(line: string, start: number): boolean {
  const zoneSign = line.charCodeAt(start + CLF_SECOND_LENGTH + 1);
  return (
    line.charCodeAt(start + CLF_SECOND_LENGTH) === SPACE &&
    (zoneSign === PLUS || zoneSign === MINUS) &&
    line.charCodeAt(start + CLF_ZONED_LENGTH) === CLOSE_BRACKET
  );
}

/** `dd/Mon/yyyy:HH:MM:SS ±hhmm` at `start` → epoch ms; NaN when invalid. */
export function clfZonedTimeToEpochMs(line: string, start: number): number {
  const wallMs = parseClfSecondAsUtc(line, start);
  const zoneStart = start + CLF_SECOND_LENGTH + 1;
  const sign = line.charCodeAt(zoneStart) === MINUS ? -1 : 1;
  const hours = twoDigits(line, zoneStart + 1);
  const minutes = twoDigits(line, zoneStart + 3);
  return wallMs - sign * (hours * 60 + minutes) * 60_000;
}

/** NaN unless both characters are digits. */
function twoDigits(line: string, start: number): number {
  const tens = line.charCodeAt(start) - DIGIT_0;
  const units = line.charCodeAt(start + 1) - DIGIT_0;
  return tens >= 0 && tens <= 9 && units >= 0 && units <= 9 ? tens * 10 + units : NaN;
}
