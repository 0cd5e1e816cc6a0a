/**
 * ingress-nginx's `upstreaminfo` access line:
 * `$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer"
 * "$http_user_agent" $request_length $request_time [$proxy_upstream_name]
 * [$proxy_alternative_upstream_name] $upstream_addr $upstream_response_length
 * $upstream_response_time $upstream_status $req_id`.
 * The four upstream fields are lists when nginx tried several upstreams ("a, b"), and `-` when
 * it never reached one (a 400 for an unparsable request).
 */
import { ANSWERED, UPSTREAM_FAILED } from './answer-facts.js';
import { CLF_ZONED_LENGTH, clfZonedTimeToEpochMs } from './clf-date.js';
import { splitRequestLine } from './haproxy-request-line.js';
import { TokenCursor } from './haproxy-token-cursor.js';
import { type AnswerFacts, type MalformedLine, malformed, type ProxyRecord } from './proxy-record.js';

const DOT = 46;
const DIGIT_0 = 48;
const CLOSE_BRACKET = 93;
const OPEN_BRACKET = 91;

/** Parses the line whose `$time_local` opens at `timeStart` (just after `[`). */
export function parseNginxIngressLine(line: string, timeStart: number): ProxyRecord | MalformedLine {
  const timeMs = clfZonedTimeToEpochMs(line, timeStart);
  if (Number.isNaN(timeMs)) return malformed('invalid time_local');
  const cursor = new TokenCursor(line, timeStart + CLF_ZONED_LENGTH + 1);
  if (!cursor.nextQuoted()) return malformed('request is not quoted');
  const request = splitRequestLine(line, cursor.start, cursor.end, false);
  if (!cursor.next() || !cursor.isDigits()) return malformed('non-numeric status');
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
  const facts = nginxAnswerFacts(status, upstream);
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
    answeredBy: facts.answeredBy,
    upstreamFailure: facts.upstreamFailure,
  };
}

/** `[name]` → name, `[]` → null; undefined when the field is not bracketed. */
function readBracketed(cursor: TokenCursor): string | null | undefined {
  if (!cursor.next() || cursor.firstCode() !== OPEN_BRACKET || cursor.lastCode() !== CLOSE_BRACKET) return undefined;
  return cursor.end - cursor.start > 2 ? cursor.line.slice(cursor.start + 1, cursor.end - 1) : null;
}

interface UpstreamFields {
  addr: string;
  /** Last value of $upstream_response_length: what the upstream finally tried sent, in bytes ("0", "-"). */
  lastLength: string;
  /** First value of $upstream_response_time, in ms. */
  responseMs: number | null;
  /** $upstream_status verbatim: "200", "200, 203", "-". */
  status: string;
}

function readUpstreamFields(cursor: TokenCursor): UpstreamFields | null {
  if (!nextListField(cursor)) return null;
  const addr = cursor.text();
  if (!nextListField(cursor)) return null;
  const lastLength = lastListValue(cursor.line, cursor.start, cursor.end);
  if (!nextListField(cursor)) return null;
  const responseMs = secondsAsMs(cursor.line, cursor.start, cursor.end);
  if (!nextListField(cursor)) return null;
  return { addr, lastLength, responseMs, status: cursor.text() };
}

/** The last value of a list field ("a, b : c" → "c"). */
function lastListValue(line: string, start: number, end: number): string {
  const lastSpace = line.lastIndexOf(' ', end - 1);
  return line.slice(lastSpace >= start ? lastSpace + 1 : start, end);
}

/**
 * Who answered, from the status and the upstream fields. nginx logs its own 502/504 with the
 * same $upstream_status as a server's (it records the status it chose for the failed attempt),
 * so an upstream 502/504 counts as nginx's own when the upstream sent no bytes
 * ($upstream_response_length 0; nginx source: the length of the response obtained from the
 * upstream). Without an upstream ("-"), nginx answered by its own rule (400, 301, 403, 429…),
 * except for 5xx, where a `limit_req` 503 and a 503 for no endpoints look the same: unknown.
 */
function nginxAnswerFacts(status: string, upstream: UpstreamFields): AnswerFacts {
  if (status === '499') return ANSWERED.byNobody; // the client closed the connection first
  if (upstream.status === '-') return status.charCodeAt(0) === 53 /* 5 */ ? ANSWERED.byNobody : ANSWERED.byRule;
  const lastUpstreamStatus = lastListValue(upstream.status, 0, upstream.status.length);
  if ((status === '502' || status === '504') && lastUpstreamStatus === status && upstream.lastLength === '0') {
    return status === '504' ? UPSTREAM_FAILED.timeout : UPSTREAM_FAILED.unknown;
  }
  return ANSWERED.byServer;
}

function nextListField(cursor: TokenCursor): boolean {
  if (!cursor.next()) return false;
  cursor.extendOverList();
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
