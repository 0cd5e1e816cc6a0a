/**
 * Traefik's JSON access log (`accessLog.format: json`): one object per line with the fields of
 * traefik pkg/middlewares/accesslog/logdata.go: `StartUTC` (RFC 3339, nanoseconds), `Duration`
 * and `OriginDuration` (ns), `DownstreamStatus` (sent to the client), `OriginStatus` (0 when
 * Traefik answered itself), `RouterName`, `ServiceName`, `ServiceURL`, `ServiceAddr`,
 * `RequestMethod`, `RequestPath`, `OriginContentSize`, `DownstreamContentSize`, plus logrus'
 * `level`, `msg`, `time`. Fields can be dropped by configuration (`accessLog.fields`).
 */
import { parseRfc3339Ms } from './iso-time.js';
import { type JsonObject, numberField, statusField, textField } from './json-fields.js';
import { type MalformedLine, malformed, type ProxyRecord } from './proxy-record.js';
import { traefikAnswerFacts } from './traefik-answered-by.js';

const NS_PER_MS = 1_000_000;

/** True when the object has Traefik's access-log fields. */
export function looksLikeTraefikEntry(entry: JsonObject): boolean {
  return 'DownstreamStatus' in entry || 'OriginStatus' in entry;
}

export function traefikJsonRecord(entry: JsonObject): ProxyRecord | MalformedLine {
  const status = statusField(entry, 'DownstreamStatus');
  if (status === null) return malformed('missing DownstreamStatus');
  const durationNs = numberField(entry, 'Duration');
  const timeMs = startMs(entry, durationNs);
  if (Number.isNaN(timeMs)) return malformed('missing or invalid StartUTC');
  const originStatus = statusField(entry, 'OriginStatus');
  const serviceUrl = textField(entry, 'ServiceURL') ?? textField(entry, 'ServiceAddr');
  // OriginStatus decides; when configuration dropped it, a server URL says the request was proxied.
  const proxied = originStatus !== null ? originStatus !== '0' : serviceUrl !== null;
  const bodyBytes = numberField(entry, 'OriginContentSize') ?? numberField(entry, 'DownstreamContentSize');
  const facts = traefikAnswerFacts(status, proxied, bodyBytes);
  const originDurationNs = numberField(entry, 'OriginDuration');
  return {
    kind: 'traefik-json',
    timeMs,
    status,
    termination: null,
    frontend: textField(entry, 'RouterName'),
    backend: textField(entry, 'ServiceName'),
    server: serviceUrl,
    serverResponseMs: proxied && originDurationNs !== null ? Math.round(originDurationNs / NS_PER_MS) : null,
    totalMs: durationNs !== null ? Math.round(durationNs / NS_PER_MS) : null,
    method: textField(entry, 'RequestMethod'),
    path: textField(entry, 'RequestPath'),
    requestTruncated: false,
    upstreamStatus: originStatus,
    answeredBy: facts.answeredBy,
    upstreamFailure: facts.upstreamFailure,
  };
}

/** StartUTC, else StartLocal (with its offset), else logrus' `time` (written at the end) less the duration. */
function startMs(entry: JsonObject, durationNs: number | null): number {
  const start = textField(entry, 'StartUTC') ?? textField(entry, 'StartLocal');
  if (start !== null) return parseRfc3339Ms(start);
  const loggedAt = textField(entry, 'time');
  if (loggedAt === null) return NaN;
  return parseRfc3339Ms(loggedAt) - Math.round((durationNs ?? 0) / NS_PER_MS);
}
