/**
 * One line of an origin proxy's access log → a record. Reads HAProxy `option httplog` lines
 * (raw, or behind any syslog prefix; domain.md §5) and ingress-nginx `upstreaminfo` lines.
 * Lines HAProxy writes that are not HTTP access lines (tcplog, `Connect from`, SPOE, its own
 * events) come back as `OtherProxyLine`; everything else as `MalformedLine` with the reason.
 *
 * Pure: no I/O, no clock, no env. The only state is a one-entry memo of Date.UTC (haproxy-accept-date.ts).
 * Built for millions of lines: one forward walk by `indexOf`, no backtracking regex.
 */
import { classifyLineWithoutAcceptDate } from './haproxy-other-line.js';
import { parseHaproxyAccessLine } from './haproxy-httplog.js';
import { isNginxTimeLocalAt, parseNginxIngressLine } from './nginx-ingress-line.js';

export interface ProxyRecord {
  kind: 'haproxy-http' | 'nginx-ingress';
  /** Request time as epoch ms. HAProxy's accept date has no zone: it is read in `utcOffsetMinutes` (default 0 = UTC). nginx's time carries its own offset. */
  timeMs: number;
  /** Verbatim: "429"; "-1" when HAProxy sent no response. */
  status: string;
  /** HAProxy 4-char state verbatim ("PR--", "----", "--VN", "SH--"); null for nginx. */
  termination: string | null;
  /** HAProxy frontend (with its `~` SSL suffix); null for nginx. */
  frontend: string | null;
  /** HAProxy backend; nginx `$proxy_upstream_name` (null when `[]`). */
  backend: string | null;
  /** HAProxy server, `<NOSRV>` and `<STATS>` kept verbatim; nginx `$upstream_addr` verbatim (null when `-`). */
  server: string | null;
  /** Server response time (HAProxy Tr; nginx upstream_response_time first value) in ms; null when -1 / "-" / absent. */
  serverResponseMs: number | null;
  /** Total active time (HAProxy Ta, or Tt in 1.x logs; nginx `$request_time`) in ms, without the logasap "+"; null when absent. */
  totalMs: number | null;
  /** From the request line; null for "<BADREQ>" or "". */
  method: string | null;
  path: string | null;
  /** Request line cut at the syslog length limit (no closing quote, or the line ends before it). */
  requestTruncated: boolean;
  /** nginx: verbatim upstream_status field ("200, 203", "-"); null for HAProxy. */
  upstreamStatus: string | null;
}

export type OtherProxyLineKind = 'tcplog' | 'connect_from' | 'spoe' | 'error_log' | 'other';

/** A recognised HAProxy line that is not an HTTP access line. */
export interface OtherProxyLine {
  kind: 'other';
  otherKind: OtherProxyLineKind;
}

export interface MalformedLine {
  kind: 'malformed';
  /** Short and specific, e.g. "truncated accept date". */
  reason: string;
}

export type ProxyLine = ProxyRecord | OtherProxyLine | MalformedLine;

export interface ParseProxyLineOptions {
  /** HAProxy writes its accept date in its local time; this is that zone's UTC offset. Default 0. */
  utcOffsetMinutes?: number;
}

const SPACE = 32;
const DIGIT_0 = 48;
const CLOSE_BRACKET = 93;

export function parseProxyLine(line: string, options?: ParseProxyLineOptions): ProxyLine {
  const text = trimLineEnd(line);
  if (text.length === 0) return { kind: 'malformed', reason: 'empty line' };
  const bracket = findAcceptDateBracket(text);
  if (bracket >= 0) {
    const dateStart = bracket + 2;
    if (isNginxTimeLocalAt(text, dateStart)) return parseNginxIngressLine(text, dateStart);
    // HAProxy's accept date follows `client_ip:port`; in nginx it follows `$remote_user`.
    if (tokenBeforeHasColon(text, bracket)) {
      return parseHaproxyAccessLine(text, dateStart, options?.utcOffsetMinutes ?? 0);
    }
  }
  return classifyLineWithoutAcceptDate(text);
}

/** Drops a trailing CR (CRLF files) and trailing spaces (dd-agent's cut line ends in one). */
function trimLineEnd(line: string): string {
  return line.length > 0 && line.charCodeAt(line.length - 1) <= SPACE ? line.trimEnd() : line;
}

/**
 * Index of the ` [` that opens an accept date: followed by a digit, or by `]` (an empty date,
 * malformed but still an access line). A syslog tag `haproxy[812]:` has no space before `[`.
 */
function findAcceptDateBracket(line: string): number {
  let from = 0;
  for (;;) {
    const at = line.indexOf(' [', from);
    if (at < 0) return -1;
    const next = line.charCodeAt(at + 2);
    if (next === CLOSE_BRACKET || (next >= DIGIT_0 && next <= DIGIT_0 + 9)) return at;
    from = at + 2;
  }
}

function tokenBeforeHasColon(line: string, bracket: number): boolean {
  let tokenEnd = bracket;
  while (tokenEnd > 0 && line.charCodeAt(tokenEnd - 1) === SPACE) tokenEnd--;
  const tokenStart = line.lastIndexOf(' ', tokenEnd - 1) + 1;
  const colon = line.indexOf(':', tokenStart);
  return colon >= 0 && colon < tokenEnd;
}
