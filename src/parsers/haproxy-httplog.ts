/**
 * The fields of an HAProxy access line from the accept date on (domain.md §5.1):
 * `[date] frontend backend/server TR/Tw/Tc/Tr/Ta status bytes cookie cookie tsc conns queues
 * {captures}? {captures}? "request" trailing…`. Also recognises the lines that share the
 * `client [date]` opening but are not HTTP access lines: tcplog and the connection-error log.
 */

import { acceptDateWallMs, CLF_SECOND_LENGTH } from './clf-date.js';
import { haproxyAnswerFacts } from './haproxy-answered-by.js';
import { CUT_BEFORE_REQUEST, type RequestParts, splitRequestLine } from './haproxy-request-line.js';
import { TokenCursor } from './haproxy-token-cursor.js';
import { type MalformedLine, malformed, type OtherProxyLine, type ProxyRecord } from './proxy-record.js';

export type HaproxyLineResult = ProxyRecord | OtherProxyLine | MalformedLine;

const DIGIT_0 = 48;
const PLUS = 43;
const MINUS = 45;
const SLASH = 47;
const COLON = 58;
const QUOTE = 34;
const OPEN_BRACE = 123;

const TCPLOG: OtherProxyLine = Object.freeze({ kind: 'other', otherKind: 'tcplog' });
const ERROR_LOG: OtherProxyLine = Object.freeze({ kind: 'other', otherKind: 'error_log' });

/**
 * Parses from the accept date opening at `dateStart` (just after `[`). The date has no zone: it is
 * HAProxy's local time, read at `utcOffsetMinutes`.
 */
export function parseHaproxyAccessLine(line: string, dateStart: number, utcOffsetMinutes: number): HaproxyLineResult {
  const dateClose = line.indexOf(']', dateStart);
  if (dateClose === dateStart) return malformed('empty accept date');
  if (dateClose < 0 || dateClose < dateStart + CLF_SECOND_LENGTH) return malformed('truncated accept date');
  const wallMs = acceptDateWallMs(line, dateStart, dateClose);
  if (Number.isNaN(wallMs)) return malformed('invalid accept date');
  return parseFieldsAfterDate(new TokenCursor(line, dateClose + 1), wallMs - utcOffsetMinutes * 60_000);
}

function parseFieldsAfterDate(cursor: TokenCursor, timeMs: number): HaproxyLineResult {
  const line = cursor.line;
  if (!cursor.next()) return malformed('line ends after the accept date');
  // "127.0.0.1:56059 [date] frt/f1: Connection error during SSL handshake"
  if (cursor.lastCode() === COLON) return ERROR_LOG;
  const frontend = cursor.text();
  if (!cursor.next()) return malformed('line ends before backend/server');
  const slash = cursor.indexInToken('/');
  if (slash < 0) return malformed('missing backend/server');
  const backend = line.slice(cursor.start, slash);
  const server = line.slice(slash + 1, cursor.end);
  const timerCount = readTimerBlock(cursor);
  if (typeof timerCount === 'string') return malformed(timerCount);
  if (timerCount === 3) return TCPLOG; // Tw/Tc/Tt
  if (timerCount !== 5) return malformed(`expected 5 timers, found ${timerCount}`);
  const serverResponseMs = orNull(timerScratch[3]!);
  const totalMs = orNull(timerScratch[4]!);
  const tail = readFieldsAfterTimers(cursor);
  if (typeof tail === 'string') return malformed(tail);
  const facts = haproxyAnswerFacts(tail.termination, tail.status, server);
  return {
    kind: 'haproxy-http',
    timeMs,
    status: tail.status,
    termination: tail.termination,
    frontend,
    backend,
    server,
    serverResponseMs,
    totalMs,
    method: tail.request.method,
    path: tail.request.path,
    requestTruncated: tail.request.truncated,
    upstreamStatus: null,
    answeredBy: facts.answeredBy,
    upstreamFailure: facts.upstreamFailure,
  };
}

const orNull = (timerMs: number): number | null => (timerMs < 0 ? null : timerMs);

/**
 * Timer values of the line being parsed. Reused across calls (the parse is synchronous) so a
 * million lines do not allocate a million arrays.
 */
const timerScratch = new Float64Array(8);

/**
 * The timer block after backend/server, parsed into `timerScratch`; returns how many timers it
 * holds (5 for httplog, 3 for tcplog) or the reason it is unreadable. One extra token may sit in
 * between: a custom log-format seen in the wild puts the Host there
 * (`app/node7 app.domain.com 0/0/1/29/30`).
 */
function readTimerBlock(cursor: TokenCursor): number | string {
  if (!cursor.next()) return 'line ends before the timers';
  let count = parseTimers(cursor);
  if (count < 0) {
    if (!cursor.next()) return 'missing timers';
    count = parseTimers(cursor);
  }
  return count < 0 ? 'missing timers' : count;
}

/**
 * `TR/Tw/Tc/Tr/Ta` (or tcplog's `Tw/Tc/Tt`): integers, `-1`, or `+n` with logasap (the `+` is
 * dropped). Returns the count, or -1 when the token is not a timer block.
 */
function parseTimers(cursor: TokenCursor): number {
  const line = cursor.line;
  let count = 0;
  let p = cursor.start;
  while (p <= cursor.end) {
    let code = line.charCodeAt(p);
    let sign = 1;
    if (code === PLUS) code = line.charCodeAt(++p);
    else if (code === MINUS) {
      sign = -1;
      code = line.charCodeAt(++p);
    }
    let value = 0;
    const digitsStart = p;
    while (p < cursor.end && code >= DIGIT_0 && code <= DIGIT_0 + 9) {
      value = value * 10 + (code - DIGIT_0);
      code = line.charCodeAt(++p);
    }
    if (p === digitsStart || (p < cursor.end && code !== SLASH) || count === timerScratch.length) return -1;
    timerScratch[count++] = sign * value;
    p++;
  }
  return count >= 2 ? count : -1;
}

interface FieldsAfterTimers {
  status: string;
  termination: string;
  request: RequestParts;
}

/** status bytes req_cookie res_cookie termination_state conns queues, then the request part. */
function readFieldsAfterTimers(cursor: TokenCursor): FieldsAfterTimers | string {
  if (!cursor.next()) return 'line ends before the status';
  if (!isStatusToken(cursor)) return 'non-numeric status';
  const status = cursor.text();
  if (!cursor.next()) return 'line ends before bytes_read';
  if (!isByteCountToken(cursor)) return 'non-numeric bytes_read';
  if (!cursor.next() || !cursor.next()) return 'line ends before the cookie fields';
  if (!cursor.next()) return 'line ends before the termination state';
  if (!isTerminationStateToken(cursor)) return 'missing termination state';
  const termination = cursor.text();
  if (!cursor.next() || cursor.indexInToken('/') < 0) return 'missing connection counts';
  if (!cursor.next() || cursor.indexInToken('/') < 0) return 'missing queue counts';
  const request = readRequestPart(cursor);
  if (typeof request === 'string') return request;
  return { status, termination, request };
}

/** `-1` (no response was sent, e.g. client aborted) or digits. */
function isStatusToken(cursor: TokenCursor): boolean {
  const line = cursor.line;
  let p = cursor.start;
  if (line.charCodeAt(p) === MINUS) p++;
  if (p === cursor.end) return false;
  for (; p < cursor.end; p++) {
    const code = line.charCodeAt(p);
    if (code < DIGIT_0 || code > DIGIT_0 + 9) return false;
  }
  return cursor.end - cursor.start <= 3;
}

/** Digits, `+` first with logasap (bytes sent so far). */
function isByteCountToken(cursor: TokenCursor): boolean {
  const line = cursor.line;
  let p = cursor.start;
  if (line.charCodeAt(p) === PLUS) p++;
  if (p === cursor.end) return false;
  for (; p < cursor.end; p++) {
    const code = line.charCodeAt(p);
    if (code < DIGIT_0 || code > DIGIT_0 + 9) return false;
  }
  return true;
}

/** Four characters, each a flag letter or `-` ("PR--", "----", "--VN"). */
function isTerminationStateToken(cursor: TokenCursor): boolean {
  if (cursor.end - cursor.start !== 4) return false;
  const line = cursor.line;
  for (let p = cursor.start; p < cursor.end; p++) {
    const code = line.charCodeAt(p) | 0x20; // folds A-Z onto a-z; '-' already has that bit set
    if (!(code === MINUS || (code >= 97 && code <= 122))) return false;
  }
  return true;
}

/**
 * Zero or more `{captured headers}` (any text but `}`: HAProxy escapes it), then the quoted
 * request. A line that ends inside a capture or before the request was cut by syslog.
 */
function readRequestPart(cursor: TokenCursor): RequestParts | string {
  const line = cursor.line;
  let p = cursor.skipSpaces();
  while (p < line.length && line.charCodeAt(p) === OPEN_BRACE) {
    const close = line.indexOf('}', p + 1);
    if (close < 0) return CUT_BEFORE_REQUEST;
    cursor.pos = close + 1;
    p = cursor.skipSpaces();
  }
  if (p >= line.length) return CUT_BEFORE_REQUEST;
  if (line.charCodeAt(p) !== QUOTE) return 'request is not quoted';
  // HAProxy escapes '"' inside the request as #22, so the next quote closes it.
  const close = line.indexOf('"', p + 1);
  return close < 0 ? splitRequestLine(line, p + 1, line.length, true) : splitRequestLine(line, p + 1, close, false);
}
