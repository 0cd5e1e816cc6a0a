/**
 * ingress-nginx's `upstreaminfo` access line:
 * `$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer"
 * "$http_user_agent" $request_length $request_time [$proxy_upstream_name]
 * [$proxy_alternative_upstream_name] $upstream_addr $upstream_response_length
 * $upstream_response_time $upstream_status $req_id`.
 * The four upstream fields are lists when nginx tried several upstreams ("a, b"), and `-` when
 * it never reached one (a 400 for an unparsable request).
 */
import type { MalformedLine, ProxyRecord } from './proxy-line.js';
import { CLF_SECOND_LENGTH, parseClfSecondAsUtc } from './haproxy-accept-date.js';
import { splitRequestLine } from './haproxy-request-line.js';
import { TokenCursor } from './haproxy-token-cursor.js';

const SPACE = 32;
const PLUS = 43;
const MINUS = 45;
const DOT = 46;
const DIGIT_0 = 48;
const CLOSE_BRACKET = 93;
const OPEN_BRACKET = 91;

/** Length of `dd/Mon/yyyy:HH:MM:SS +hhmm`. */
const TIME_LOCAL_LENGTH = CLF_SECOND_LENGTH + 6;

const malformed = (reason: string): MalformedLine => ({ kind: 'malformed', reason });

/** True when `[$time_local]` (date, space, ±hhmm, `]`) opens at `start`: the nginx shape. */
export function isNginxTimeLocalAt(line: string, start: number): boolean {
  const zoneSign = line.charCodeAt(start + CLF_SECOND_LENGTH + 1);
  return (
    line.charCodeAt(start + CLF_SECOND_LENGTH) === SPACE &&
    (zoneSign === PLUS || zoneSign === MINUS) &&
    line.charCodeAt(start + TIME_LOCAL_LENGTH) === CLOSE_BRACKET
  );
}

/** `dd/Mon/yyyy:HH:MM:SS ±hhmm` at `start` → epoch ms; NaN when invalid. */
function timeLocalToEpochMs(line: string, start: number): number {
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

/** Parses the line whose `$time_local` opens at `timeStart` (just after `[`). */
export function parseNginxIngressLine(line: string, timeStart: number): ProxyRecord | MalformedLine {
  const timeMs = timeLocalToEpochMs(line, timeStart);
  if (Number.isNaN(timeMs)) return malformed('invalid time_local');
  const cursor = new TokenCursor(line, timeStart + TIME_LOCAL_LENGTH + 1);
  if (!cursor.nextQuoted()) return malformed('request is not quoted');
  const request = splitRequestLine(line, cursor.start, cursor.end, false);
  if (!cursor.next() || !isDigits(line, cursor.start, cursor.end)) return malformed('non-numeric status');
  const status = cursor.text();
  if (!cursor.next()) return malformed('line ends before body_bytes_sent');
  if (!cursor.nextQuoted() || !cursor.nextQuoted()) return malformed('missing referer or user agent');
  if (!cursor.next() || !cursor.next()) return malformed('line ends before request_time');
  const totalMs = secondsAsMs(line, cursor.start, cursor.end);
  const upstreamName = readBracketed(cursor);
  if (upstreamName === undefined || readBracketed(cursor) === undefined) {
    return malformed('missing [proxy_upstream_name]: not the upstreaminfo format');
  }
  const upstream = readUpstreamFields(cursor);
  if (upstream === null) return malformed('missing upstream fields');
  return {
    kind: 'nginx-ingress',
    timeMs,
    status,
    termination: null,
    frontend: null,
    backend: upstreamName,
    server: upstream.addr === '-' ? null : upstream.addr,
    serverResponseMs: upstream.responseMs,
    totalMs,
    method: request.method,
    path: request.path,
    requestTruncated: false,
    upstreamStatus: upstream.status,
  };
}

/** `[name]` → name, `[]` → null; undefined when the field is not bracketed. */
function readBracketed(cursor: TokenCursor): string | null | undefined {
  if (!cursor.next() || cursor.firstCode() !== OPEN_BRACKET || cursor.lastCode() !== CLOSE_BRACKET) return undefined;
  return cursor.end - cursor.start > 2 ? cursor.line.slice(cursor.start + 1, cursor.end - 1) : null;
}

interface UpstreamFields {
  addr: string;
  /** First value of $upstream_response_time, in ms. */
  responseMs: number | null;
  /** $upstream_status verbatim: "200", "200, 203", "-". */
  status: string;
}

function readUpstreamFields(cursor: TokenCursor): UpstreamFields | null {
  if (!nextListField(cursor)) return null;
  const addr = cursor.text();
  if (!nextListField(cursor) || !nextListField(cursor)) return null;
  const responseMs = secondsAsMs(cursor.line, cursor.start, cursor.end);
  if (!nextListField(cursor)) return null;
  return { addr, responseMs, status: cursor.text() };
}

function nextListField(cursor: TokenCursor): boolean {
  if (!cursor.next()) return false;
  cursor.extendOverList();
  return true;
}

function isDigits(line: string, start: number, end: number): boolean {
  if (end <= start) return false;
  for (let p = start; p < end; p++) {
    const code = line.charCodeAt(p);
    if (code < DIGIT_0 || code > DIGIT_0 + 9) return false;
  }
  return true;
}

/**
 * nginx seconds with ms resolution ("0.036") → ms, reading only the first value of a list
 * ("0.100, 0.004"). Null for "-" or anything unreadable.
 */
function secondsAsMs(line: string, start: number, end: number): number | null {
  let p = start;
  let whole = 0;
  while (p < end && isDigitCode(line.charCodeAt(p))) whole = whole * 10 + (line.charCodeAt(p++) - DIGIT_0);
  if (p === start) return null;
  let ms = whole * 1000;
  if (line.charCodeAt(p) === DOT) {
    let scale = 100;
    for (p++; p < end && isDigitCode(line.charCodeAt(p)); p++) {
      ms += (line.charCodeAt(p) - DIGIT_0) * scale;
      scale /= 10;
    }
  }
  return Math.round(ms);
}

const isDigitCode = (code: number): boolean => code >= DIGIT_0 && code <= DIGIT_0 + 9;
