/**
 * Traefik's default access-log line, its "common" format (traefik
 * pkg/middlewares/accesslog/logger_formatters.go, CommonLogFormatter):
 * `<ClientHost> - <ClientUsername> [<StartUTC as 02/Jan/2006:15:04:05 -0700>] "<method> <path>
 * <protocol>" <DownstreamStatus> <DownstreamContentSize> "<Referer>" "<User-Agent>" <RequestCount>
 * "<RouterName>" "<ServiceURL>" <Duration>ms`. Quoted values escape `"` as `\"`; absent ones are
 * `"-"` (older Traefik: a bare `-`). CLF has no OriginStatus: whether Traefik proxied the request
 * is read from the server URL.
 */
import { CLF_ZONED_LENGTH, clfZonedTimeToEpochMs } from './clf-date.js';
import { splitRequestLine } from './haproxy-request-line.js';
import { TokenCursor } from './haproxy-token-cursor.js';
import { type MalformedLine, malformed, type ProxyRecord } from './proxy-record.js';
import { traefikAnswerFacts } from './traefik-answered-by.js';

const DIGIT_0 = 48;
const QUOTE = 34;
const LOWER_M = 109;
const LOWER_S = 115;

const CUT_IN_SERVER_URL = 'Traefik line cut in its server URL';
const CUT_BEFORE_DURATION = 'Traefik line cut before its duration';

/** True for the reasons that show a Traefik line (router name read) whose end is missing. */
export function isCutTraefikReason(reason: string): boolean {
  return reason === CUT_IN_SERVER_URL || reason === CUT_BEFORE_DURATION;
}

/** True when the line ends in `<digits>ms`: Traefik's duration, which nginx and HAProxy lines never end with. */
export function endsWithTraefikDuration(line: string): boolean {
  const n = line.length;
  const beforeUnit = line.charCodeAt(n - 3);
  return (
    line.charCodeAt(n - 1) === LOWER_S &&
    line.charCodeAt(n - 2) === LOWER_M &&
    beforeUnit >= DIGIT_0 &&
    beforeUnit <= DIGIT_0 + 9
  );
}

/** Parses the line whose `[<time>]` opens at `timeStart` (just after `[`). */
export function parseTraefikClfLine(line: string, timeStart: number): ProxyRecord | MalformedLine {
  const timeMs = clfZonedTimeToEpochMs(line, timeStart);
  if (Number.isNaN(timeMs)) return malformed('invalid start time');
  const cursor = new TokenCursor(line, timeStart + CLF_ZONED_LENGTH + 1);
  if (!cursor.nextQuotedEscaped()) return malformed('request is not quoted');
  const request = splitRequestLine(line, cursor.start, cursor.end, false);
  if (!cursor.next()) return malformed('line ends before the status');
  if (!cursor.isDigits()) return malformed('non-numeric status');
  const status = cursor.text();
  if (!cursor.next()) return malformed('line ends before the content size');
  const bodyBytes = cursor.isDigits() ? Number(cursor.text()) : null;
  if (!cursor.nextQuotedEscaped() || !cursor.nextQuotedEscaped()) return malformed('missing referer or user agent');
  if (!cursor.next()) return malformed('line ends before the request count');
  const router = readQuotedOrDash(cursor);
  if (router === undefined) return malformed('missing router name');
  const serviceUrl = readQuotedOrDash(cursor);
  if (serviceUrl === undefined) return malformed(CUT_IN_SERVER_URL);
  if (!cursor.next() || !endsWithTraefikDuration(cursor.text())) return malformed(CUT_BEFORE_DURATION);
  const facts = traefikAnswerFacts(status, serviceUrl !== null, bodyBytes);
  return {
    kind: 'traefik-clf',
    timeMs,
    status,
    termination: null,
    frontend: router,
    backend: null,
    server: serviceUrl,
    serverResponseMs: null,
    totalMs: Number(line.slice(cursor.start, cursor.end - 2)),
    method: request.method,
    path: request.path,
    requestTruncated: false,
    upstreamStatus: null,
    answeredBy: facts.answeredBy,
    upstreamFailure: facts.upstreamFailure,
  };
}

/** `"value"` → value (unescaped), `"-"` or `-` → null; undefined when neither. */
function readQuotedOrDash(cursor: TokenCursor): string | null | undefined {
  const line = cursor.line;
  if (line.charCodeAt(cursor.skipSpaces()) !== QUOTE) {
    if (!cursor.next()) return undefined;
    return cursor.end - cursor.start === 1 && cursor.firstCode() === 45 /* - */ ? null : undefined;
  }
  if (!cursor.nextQuotedEscaped()) return undefined;
  const value = line.slice(cursor.start, cursor.end);
  if (value === '-' || value === '') return null;
  return value.includes('\\"') ? value.replaceAll('\\"', '"') : value;
}
