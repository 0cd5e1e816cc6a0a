/**
 * One line of an origin proxy's access log → a record, whatever the proxy: this module only
 * decides which format a line is in, by a few character checks, and hands it to that format's
 * parser. Formats: HAProxy `option httplog` (raw, or behind any syslog prefix; domain.md §5),
 * ingress-nginx `upstreaminfo`, Traefik's CLF and JSON, Envoy's default text format (and
 * Istio's) and Istio's JSON. Lines HAProxy writes that are not HTTP access lines (tcplog,
 * `Connect from`, SPOE, its own events) come back as `OtherProxyLine`; everything else as
 * `MalformedLine` with the reason.
 *
 * Pure: no I/O, no clock, no env. The only state is a one-entry memo of Date.UTC (clf-date.ts).
 * Built for millions of lines: the dispatch costs a few `charCodeAt`s and one forward `indexOf`
 * walk before any parser runs, and JSON.parse runs only on lines that look like JSON.
 */
import { isClfZonedTimeAt } from './clf-date.js';
import { parseEnvoyLine } from './envoy-line.js';
import { parseHaproxyAccessLine } from './haproxy-httplog.js';
import { classifyLineWithoutAcceptDate } from './haproxy-other-line.js';
import { isRfc3339At } from './iso-time.js';
import { parseNginxIngressLine } from './nginx-ingress-line.js';
import { isNotProxyJson, parseProxyJsonLine } from './proxy-json-line.js';
import { malformed, type ParseProxyLineOptions, type ProxyLine } from './proxy-record.js';
import { endsWithTraefikDuration, isCutTraefikReason, parseTraefikClfLine } from './traefik-clf-line.js';

// The record types live in proxy-record.ts; importers of this module keep finding them here.
export type {
  AnsweredBy,
  MalformedLine,
  OtherProxyLine,
  OtherProxyLineKind,
  ParseProxyLineOptions,
  ProxyKind,
  ProxyLine,
  ProxyRecord,
  UpstreamFailure,
} from './proxy-record.js';

const SPACE = 32;
const DIGIT_0 = 48;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;

export function parseProxyLine(line: string, options?: ParseProxyLineOptions): ProxyLine {
  const text = trimLineEnd(line);
  if (text.length === 0) return malformed('empty line');
  const first = text.charCodeAt(0);
  if (first === OPEN_BRACE) return parseProxyJsonLine(text, 0);
  if (first === OPEN_BRACKET && isRfc3339At(text, 1)) return parseEnvoyLine(text, 1);
  // JSON behind a prefix (a container runtime's `<time> stdout F `, kubectl's pod name, syslog),
  // unless it is no proxy's JSON (a custom HAProxy format ending in a captured header).
  const jsonStart = text.charCodeAt(text.length - 1) === CLOSE_BRACE ? text.indexOf('{"') : -1;
  if (jsonStart > 0) {
    const json = parseProxyJsonLine(text, jsonStart);
    if (json.kind !== 'malformed' || !isNotProxyJson(json.reason)) return json;
  }
  const bracket = findAcceptDateBracket(text);
  if (bracket >= 0) {
    const dateStart = bracket + 2;
    if (isClfZonedTimeAt(text, dateStart)) {
      return endsWithTraefikDuration(text)
        ? parseTraefikClfLine(text, dateStart)
        : parseNginxOrCutTraefikLine(text, dateStart);
    }
    if (isRfc3339At(text, dateStart)) return parseEnvoyLine(text, dateStart);
    // HAProxy's accept date follows `client_ip:port`; in nginx it follows `$remote_user`.
    if (tokenBeforeHasColon(text, bracket)) {
      return parseHaproxyAccessLine(text, dateStart, options?.utcOffsetMinutes ?? 0);
    }
  }
  if (endsWithTraefikDuration(text) && text.includes(' [-] '))
    return malformed('Traefik line without a start time ([-])');
  return classifyLineWithoutAcceptDate(text);
}

/**
 * nginx and Traefik share the CLF opening; Traefik's lines end in `<n>ms`. A Traefik line cut
 * before its duration is told by Traefik's own reason, only once nginx has refused it.
 */
function parseNginxOrCutTraefikLine(text: string, dateStart: number): ProxyLine {
  const nginx = parseNginxIngressLine(text, dateStart);
  if (nginx.kind !== 'malformed') return nginx;
  const traefik = parseTraefikClfLine(text, dateStart);
  return traefik.kind === 'malformed' && isCutTraefikReason(traefik.reason) ? traefik : nginx;
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
