/**
 * Field-level readers for AWS load-balancer access-log lines (ALB, Classic ELB, NLB).
 *
 * They work on index ranges of the whole line, not on substrings: a parser walks millions of
 * lines, and cutting every line into ~30 strings would cost more than the rest of the scan.
 */
import type { ByteFieldScan } from './byte-field-scan.js';

const SPACE = 32;
const QUOTE = 34;
const DASH = 45;
const DOT = 46;
const ZERO = 48;
const COLON = 58;
const LETTER_T = 84;
const LETTER_Z = 90;
const CARRIAGE_RETURN = 13;
const LINE_FEED = 10;

/**
 * The ALB access-log fields in the order ALB writes them (domain.md §1.2), named as AWS's
 * field list names them. AWS only ever appends: lines written before 2021 stop after
 * `error_reason` (25 fields), and the transform fields are the newest.
 */
export const ALB_FIELD_NAMES = [
  'type',
  'time',
  'elb',
  'client:port',
  'target:port',
  'request_processing_time',
  'target_processing_time',
  'response_processing_time',
  'elb_status_code',
  'target_status_code',
  'received_bytes',
  'sent_bytes',
  'request',
  'user_agent',
  'ssl_cipher',
  'ssl_protocol',
  'target_group_arn',
  'trace_id',
  'domain_name',
  'chosen_cert_arn',
  'matched_rule_priority',
  'request_creation_time',
  'actions_executed',
  'redirect_url',
  'error_reason',
  'target:port_list',
  'target_status_code_list',
  'classification',
  'classification_reason',
  'conn_trace_id',
  'transformed_host',
  'transformed_uri',
  'request_transform_status',
] as const;

/** The oldest ALB lines still in the wild end at `error_reason`. */
export const ALB_MINIMUM_FIELDS = 25;

/** Where a line's content ends: trailing spaces and a CR/LF left by the line splitter are ignored. */
export function contentEnd(line: string, lineStart = 0, lineEnd = line.length): number {
  let end = lineEnd;
  while (end > lineStart) {
    const code = line.charCodeAt(end - 1);
    if (code !== SPACE && code !== CARRIAGE_RETURN && code !== LINE_FEED) break;
    end--;
  }
  return end;
}

/**
 * The field boundaries of one line, found in a single pass of indexOf jumps. Fields are separated
 * by single spaces. A field that starts with `"` runs to the next `"` followed by a space or the
 * end of the line, so quoted fields may hold spaces (user agents, URLs) and even a stray quote.
 * One instance is meant to be reused line after line, so a line costs no allocation here.
 */
export class FieldScan {
  /** ends[i] is the index just past field i (0-based); a quoted field includes its quotes. */
  readonly ends: Int32Array;
  /** Number of fields, or -n when field n (1-based) opens a quote it never closes. */
  count = 0;
  /** Bit i is set when field i (i < 31) is quoted. */
  quotedMask = 0;
  /** Where the line starts in the text scanned (0 unless the line is a span of a larger text). */
  private lineStart = 0;

  /**
   * Fields past `capacity` are counted but their boundaries are not kept. `ends`: where to keep
   * them (a ByteFieldScan's, so that both scans fill the one array the readers below use).
   */
  constructor(capacity: number, ends: Int32Array = new Int32Array(capacity)) {
    this.ends = ends;
  }

  /** Scans `line[lineStart, lineEnd)`; see `count`. Boundaries are indexes into `line`. */
  scan(line: string, lineEnd: number, lineStart = 0): void {
    const ends = this.ends;
    let count = 0;
    let quotedMask = 0;
    let start = lineStart;
    this.lineStart = lineStart;
    while (start <= lineEnd) {
      let end: number;
      if (line.charCodeAt(start) === QUOTE) {
        end = closingQuote(line, start + 1, lineEnd);
        if (end < 0) break;
        end++;
        if (count < 31) quotedMask |= 1 << count;
      } else {
        end = line.indexOf(' ', start);
        if (end < 0 || end > lineEnd) end = lineEnd;
      }
      if (count < ends.length) ends[count] = end;
      count++;
      start = end + 1;
    }
    this.count = start <= lineEnd ? -(count + 1) : count;
    this.quotedMask = quotedMask;
  }

  /**
   * The same as `scan` for a line of the text whose bytes `byteScan` holds (ByteFieldScan.load),
   * through its WebAssembly: `ends` must be the ByteFieldScan's own.
   */
  scanBytes(byteScan: ByteFieldScan, lineEnd: number, lineStart: number): void {
    this.lineStart = lineStart;
    this.count = byteScan.scan(lineStart, lineEnd);
    this.quotedMask = byteScan.quotedMask;
  }

  /** Index of field i's first character (its opening quote, if quoted). */
  start(field: number): number {
    return field === 0 ? this.lineStart : (this.ends[field - 1] as number) + 1;
  }

  /** Index just past field i. */
  end(field: number): number {
    return this.ends[field] as number;
  }
}

function closingQuote(line: string, from: number, lineEnd: number): number {
  let quote = line.indexOf('"', from);
  while (quote >= 0 && quote + 1 < lineEnd && line.charCodeAt(quote + 1) !== SPACE) {
    quote = line.indexOf('"', quote + 1);
  }
  return quote >= 0 && quote < lineEnd ? quote : -1;
}

/** True when `line[start, end)` is a quoted field. */
export function isQuoted(line: string, start: number, end: number): boolean {
  return end - start >= 2 && line.charCodeAt(start) === QUOTE;
}

/** True when `line[start, end)` is exactly `-`. */
export function isDash(line: string, start: number, end: number): boolean {
  return end - start === 1 && line.charCodeAt(start) === DASH;
}

// Lines arrive in time order, so consecutive lines nearly always share their minute: remember
// the last "YYYY-MM-DDTHH:MM:" prefix and its epoch ms, and only parse and check the date (Feb 30
// is not one) on a new minute. A memo; it never changes a result.
let cachedMinutePrefix = '';
let cachedMinuteMs = 0;

/**
 * Epoch ms of an ISO 8601 UTC time `YYYY-MM-DDTHH:MM:SS[.fraction][Z]` in `line[start, end)`,
 * as ALB (microseconds, `Z`) and NLB (whole seconds, no `Z`) write it. NaN when it is not one.
 * Fractions beyond milliseconds are truncated.
 */
export function parseTimestampMs(line: string, start: number, end: number): number {
  if (end - start < 19) return NaN;
  // indexOf, not startsWith: V8 runs startsWith with a position several times slower.
  let minuteMs = cachedMinuteMs;
  if (cachedMinutePrefix === '' || line.indexOf(cachedMinutePrefix, start) !== start) {
    minuteMs = parseMinuteMs(line, start);
    if (Number.isNaN(minuteMs)) return NaN;
    // A copy: a slice would keep alive the whole text this line was cut from.
    cachedMinutePrefix = [...line.slice(start, start + 17)].join('');
    cachedMinuteMs = minuteMs;
  }
  const second = twoDigits(line, start + 17);
  if (second < 0 || second > 59) return NaN;
  return minuteMs + second * 1000 + parseFractionMs(line, start + 19, end); // NaN stays NaN
}

/** Epoch ms of the "YYYY-MM-DDTHH:MM:" at `start`, or NaN. */
function parseMinuteMs(line: string, start: number): number {
  const century = twoDigits(line, start);
  const yearOfCentury = twoDigits(line, start + 2);
  const hour = twoDigits(line, start + 11);
  const minute = twoDigits(line, start + 14);
  const separatorsOk =
    line.charCodeAt(start + 4) === DASH &&
    line.charCodeAt(start + 7) === DASH &&
    line.charCodeAt(start + 10) === LETTER_T &&
    line.charCodeAt(start + 13) === COLON &&
    line.charCodeAt(start + 16) === COLON;
  const partsOk = century >= 0 && yearOfCentury >= 0 && hour >= 0 && hour <= 23 && minute >= 0 && minute <= 59;
  if (!separatorsOk || !partsOk) return NaN;
  const dayMs = dayStartMs(century * 100 + yearOfCentury, twoDigits(line, start + 5), twoDigits(line, start + 8));
  return dayMs + hour * 3_600_000 + minute * 60_000;
}

/** Epoch ms of 00:00 UTC on that day, or NaN for an impossible date such as Feb 30. */
function dayStartMs(year: number, month: number, day: number): number {
  // Date.UTC reads years 0-99 as 19xx; no load balancer logged before the year 1000.
  if (year < 1000 || month < 1 || month > 12 || day < 1) return NaN;
  const ms = Date.UTC(year, month - 1, day);
  return new Date(ms).getUTCDate() === day ? ms : NaN;
}

/** Milliseconds of an optional `.fraction` and optional `Z` filling `line[from, end)`, or NaN. */
function parseFractionMs(line: string, from: number, end: number): number {
  // ALB's own shape, `.123456Z`, on every line: read without the general loop.
  if (end - from === 8 && line.charCodeAt(from) === DOT && line.charCodeAt(from + 7) === LETTER_Z) {
    const ms = threeDigits(line, from + 1);
    if (ms >= 0 && threeDigits(line, from + 4) >= 0) return ms;
  }
  let pos = from;
  let ms = 0;
  if (pos < end && line.charCodeAt(pos) === DOT) {
    pos++;
    const digitsStart = pos;
    while (pos < end && isDigit(line.charCodeAt(pos))) {
      if (pos - digitsStart < 3) ms = ms * 10 + (line.charCodeAt(pos) - ZERO);
      pos++;
    }
    const digits = pos - digitsStart;
    if (digits === 0) return NaN;
    if (digits === 1) ms *= 100;
    else if (digits === 2) ms *= 10;
  }
  if (pos < end && line.charCodeAt(pos) === LETTER_Z) pos++;
  return pos === end ? ms : NaN;
}

/** The number written by the three digits at `at`, or -1. */
function threeDigits(line: string, at: number): number {
  const hundreds = line.charCodeAt(at) - ZERO;
  const tens = line.charCodeAt(at + 1) - ZERO;
  const ones = line.charCodeAt(at + 2) - ZERO;
  // A code below "0" makes its difference negative, and so the OR.
  if ((hundreds | tens | ones) < 0 || hundreds > 9 || tens > 9 || ones > 9) return -1;
  return hundreds * 100 + tens * 10 + ones;
}

function twoDigits(line: string, at: number): number {
  const tens = line.charCodeAt(at) - ZERO;
  const ones = line.charCodeAt(at + 1) - ZERO;
  return tens >= 0 && tens <= 9 && ones >= 0 && ones <= 9 ? tens * 10 + ones : -1;
}

function isDigit(code: number): boolean {
  return code >= ZERO && code <= ZERO + 9;
}

const POWERS_OF_TEN = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/**
 * A timing field in seconds (`0.086`, `0.000073`). Null for `-1` or any other negative value and
 * for `-`: the load balancer could not measure it. NaN when the field is not a number.
 */
export function parseSeconds(line: string, start: number, end: number): number | null {
  // ALB writes nearly every timer as `0.123`: read without the general loop (the same division).
  if (end - start === 5 && line.charCodeAt(start + 1) === DOT) {
    const units = line.charCodeAt(start) - ZERO;
    const thousandths = threeDigits(line, start + 2);
    if (units >= 0 && units <= 9 && thousandths >= 0) return (units * 1000 + thousandths) / 1000;
  }
  if (start >= end) return NaN;
  if (line.charCodeAt(start) === DASH) {
    return end - start === 1 || !Number.isNaN(parseDecimal(line, start + 1, end)) ? null : NaN;
  }
  return parseDecimal(line, start, end);
}

/** An unsigned decimal such as `12` or `0.052`, or NaN. Exact: one division of an integer. */
function parseDecimal(line: string, start: number, end: number): number {
  let mantissa = 0;
  let dot = -1;
  for (let pos = start; pos < end; pos++) {
    const code = line.charCodeAt(pos);
    if (code === DOT && dot < 0) dot = pos;
    else if (isDigit(code)) mantissa = mantissa * 10 + (code - ZERO);
    else return NaN;
  }
  const digits = end - start - (dot < 0 ? 0 : 1);
  if (digits === 0) return NaN;
  // Past 15 digits the integer mantissa stops being exact; let the engine round it.
  if (digits > 15) return Number(line.slice(start, end));
  return dot < 0 ? mantissa : mantissa / (POWERS_OF_TEN[end - dot - 1] as number);
}

/**
 * A byte count. `-1` and `-` (not available; Classic ELB writes `-1`) become -1. NaN when the
 * field is not an integer.
 */
export function parseByteCount(line: string, start: number, end: number): number {
  if (start >= end) return NaN;
  if (line.charCodeAt(start) === DASH) {
    return end - start === 1 || (end - start === 2 && line.charCodeAt(start + 1) === ZERO + 1) ? -1 : NaN;
  }
  let count = 0;
  for (let pos = start; pos < end; pos++) {
    const code = line.charCodeAt(pos);
    if (!isDigit(code)) return NaN;
    count = count * 10 + (code - ZERO);
  }
  return count;
}

// Every line carries two status codes; handing out one shared string per code saves two
// allocations a line.
const STATUS_TEXTS: readonly string[] = Array.from({ length: 1000 }, (_, code) => String(code).padStart(3, '0'));

/** A status field: three digits, or `-` when there is none. Null for anything else. */
export function readStatus(line: string, start: number, end: number): string | null {
  if (end - start === 1) return line.charCodeAt(start) === DASH ? '-' : null;
  if (end - start !== 3) return null;
  const hundreds = line.charCodeAt(start) - ZERO;
  const rest = twoDigits(line, start + 1);
  if (hundreds < 0 || hundreds > 9 || rest < 0) return null;
  return STATUS_TEXTS[hundreds * 100 + rest] as string;
}
