/**
 * Envoy's default access-log line (Envoy docs, "Default Format String"):
 * `[%START_TIME%] "%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %PROTOCOL%" %RESPONSE_CODE%
 * %RESPONSE_FLAGS% %BYTES_RECEIVED% %BYTES_SENT% %DURATION% %RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)%
 * "%REQ(X-FORWARDED-FOR)%" "%REQ(USER-AGENT)%" "%REQ(X-REQUEST-ID)%" "%REQ(:AUTHORITY)%" "%UPSTREAM_HOST%"`,
 * and Istio's default, which adds `%RESPONSE_CODE_DETAILS% %CONNECTION_TERMINATION_DETAILS%
 * "%UPSTREAM_TRANSPORT_FAILURE_REASON%"` after the flags (older Istio: only the quoted reason)
 * and `%UPSTREAM_CLUSTER% …` at the end. Absent values are `-`.
 */
import { envoyAnswerFacts } from './envoy-response-flags.js';
import { splitRequestLine } from './haproxy-request-line.js';
import { TokenCursor } from './haproxy-token-cursor.js';
import { parseRfc3339Ms } from './iso-time.js';
import { type MalformedLine, malformed, type OtherProxyLine, type ProxyRecord } from './proxy-record.js';

const QUOTE = 34;

const TCP_LINE: OtherProxyLine = Object.freeze({ kind: 'other', otherKind: 'tcplog' });

/** The quoted fields after the timers, in order: X-Forwarded-For, User-Agent, X-Request-Id, :authority, upstream host. */
const QUOTED_TAIL = ['x-forwarded-for', 'user agent', 'request id', 'authority', 'upstream host'] as const;

/** Parses the line whose `%START_TIME%` opens at `timeStart` (just after `[`). */
export function parseEnvoyLine(line: string, timeStart: number): ProxyRecord | OtherProxyLine | MalformedLine {
  const timeEnd = line.indexOf(']', timeStart);
  if (timeEnd < 0) return malformed('truncated start time');
  const timeMs = parseRfc3339Ms(line.slice(timeStart, timeEnd));
  if (Number.isNaN(timeMs)) return malformed('invalid start time');
  const cursor = new TokenCursor(line, timeEnd + 1);
  if (!cursor.nextQuoted()) return malformed('request is not quoted');
  const request = splitRequestLine(line, cursor.start, cursor.end, false);
  if (!cursor.next()) return malformed('line ends before the response code');
  if (cursor.end - cursor.start === 1 && cursor.firstCode() === 45 /* - */) return TCP_LINE; // a TCP proxy line: no HTTP code
  if (!cursor.isDigits()) return malformed('non-numeric response code');
  const status = cursor.text();
  if (!cursor.next()) return malformed('line ends before the response flags');
  const flags = dashToNull(cursor.text());
  const details = skipIstioDetails(cursor);
  if (details === undefined) return malformed('missing byte counts after the response flags');
  if (!cursor.next()) return malformed('line ends before bytes sent');
  if (!cursor.next() || !cursor.isDigits()) return malformed('missing duration');
  const totalMs = Number(cursor.text());
  if (!cursor.next()) return malformed('line ends before the upstream service time');
  const serverResponseMs = cursor.isDigits() ? Number(cursor.text()) : null;
  let upstreamHost: string | null = null;
  for (const field of QUOTED_TAIL) {
    if (!cursor.nextQuoted()) return malformed(`missing quoted ${field}`);
    if (field === 'upstream host') upstreamHost = dashToNull(line.slice(cursor.start, cursor.end));
  }
  // Istio: %UPSTREAM_CLUSTER% follows.
  const cluster = cursor.next() ? dashToNull(cursor.text()) : null;
  const facts = envoyAnswerFacts(status, flags, details, upstreamHost);
  return {
    kind: 'envoy',
    timeMs,
    status,
    termination: flags,
    frontend: null,
    backend: cluster,
    server: upstreamHost,
    serverResponseMs,
    totalMs,
    method: request.method,
    path: request.path,
    requestTruncated: false,
    upstreamStatus: null,
    answeredBy: facts.answeredBy,
    upstreamFailure: facts.upstreamFailure,
  };
}

/**
 * Moves the cursor onto %BYTES_RECEIVED% (the first all-digit token after the flags), past
 * Istio's extra fields. Returns RESPONSE_CODE_DETAILS (null when absent or "-"), or undefined
 * when the line ends first.
 */
function skipIstioDetails(cursor: TokenCursor): string | null | undefined {
  let details: string | null = null;
  for (let extra = 0; extra <= 3; extra++) {
    if (cursor.skipSpaces() >= cursor.line.length) return undefined;
    if (cursor.line.charCodeAt(cursor.pos) === QUOTE) {
      if (!cursor.nextQuoted()) return undefined;
      continue;
    }
    cursor.next();
    if (cursor.isDigits()) return details;
    if (extra === 0) details = dashToNull(cursor.text());
  }
  return undefined;
}

function dashToNull(text: string): string | null {
  return text === '-' || text === '' ? null : text;
}
