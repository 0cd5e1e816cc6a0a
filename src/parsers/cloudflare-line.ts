/**
 * Cloudflare Logpush `http_requests` entries, one JSON object per line (cloudflare-docs
 * logs/reference/log-fields/zone/http_requests.md; next-capabilities.md §5.2). Fields are chosen
 * per job, so any may be missing. Timestamps come as the job's `timestamp_format`: `unixnano`
 * (the default, an integer), `unix` (seconds) or `rfc3339`.
 */
import { ANSWERED, UPSTREAM_FAILED } from './answer-facts.js';
import type { EdgeRecord } from './edge-record.js';
import { parseRfc3339Ms } from './iso-time.js';
import { isJsonObject, type JsonObject, numberField, statusField, textField } from './json-fields.js';
import { type AnswerFacts, type MalformedLine, malformed } from './proxy-record.js';

/** Cloudflare's own 5xx for origin trouble (Cloudflare docs, "Cloudflare 5xx errors"). */
const ORIGIN_ERROR_FACTS: Record<string, AnswerFacts> = {
  // "the origin server returns an empty, unknown, or unexpected response" (crashes, resets).
  '520': UPSTREAM_FAILED.resetBeforeResponse,
  '521': UPSTREAM_FAILED.connect, // web server is down (refused)
  '522': UPSTREAM_FAILED.connect, // connection timed out
  '523': UPSTREAM_FAILED.connect, // origin is unreachable
  '524': UPSTREAM_FAILED.timeout, // connected, no HTTP response within the proxy read timeout
  '525': UPSTREAM_FAILED.protocol, // SSL handshake failed
  '526': UPSTREAM_FAILED.protocol, // invalid SSL certificate
  '527': UPSTREAM_FAILED.unknown, // Railgun (legacy)
  '530': UPSTREAM_FAILED.unknown, // with a 1xxx error, e.g. origin DNS
};

/** Served from Cloudflare's cache without asking the origin. */
const FROM_CACHE = new Set(['hit', 'stale', 'updating']);

export function parseCloudflareLine(line: string): EdgeRecord | MalformedLine {
  let entry: unknown;
  try {
    entry = JSON.parse(line);
  } catch {
    return malformed('invalid JSON (a cut line?)');
  }
  return isJsonObject(entry) ? cloudflareRecord(entry) : malformed('JSON that is not an object');
}

/** True when the object has Logpush http_requests fields. */
export function looksLikeCloudflareEntry(entry: JsonObject): boolean {
  return 'EdgeResponseStatus' in entry || 'RayID' in entry;
}

export function cloudflareRecord(entry: JsonObject): EdgeRecord | MalformedLine {
  if (!looksLikeCloudflareEntry(entry))
    return malformed('JSON without EdgeResponseStatus or RayID: not a Cloudflare http_requests entry');
  const status = statusField(entry, 'EdgeResponseStatus');
  if (status === null) return malformed('missing EdgeResponseStatus');
  const startMs = timestampMs(entry.EdgeStartTimestamp);
  const endMs = timestampMs(entry.EdgeEndTimestamp);
  const timeMs = Number.isNaN(endMs) ? startMs : endMs;
  if (Number.isNaN(timeMs)) return malformed('missing or invalid EdgeStartTimestamp');
  const originStatus = statusField(entry, 'OriginResponseStatus');
  const cacheStatus = textField(entry, 'CacheCacheStatus');
  const facts = cloudflareAnswerFacts(status, originStatus, cacheStatus);
  const originNs = numberField(entry, 'OriginResponseTime');
  const askedOrigin = originStatus !== '0';
  return {
    kind: 'cloudflare',
    timeMs,
    totalMs: Number.isNaN(startMs) || Number.isNaN(endMs) ? null : endMs - startMs,
    status,
    originStatus,
    originMs: askedOrigin
      ? (numberField(entry, 'OriginResponseDurationMs') ?? (originNs === null ? null : Math.round(originNs / 1e6)))
      : null,
    detail: cacheStatus,
    method: textField(entry, 'ClientRequestMethod'),
    host: textField(entry, 'ClientRequestHost'),
    path: textField(entry, 'ClientRequestURI') ?? textField(entry, 'ClientRequestPath'),
    edgeLocation: textField(entry, 'EdgeColoCode'),
    requestId: textField(entry, 'RayID'),
    answeredBy: facts.answeredBy,
    upstreamFailure: facts.upstreamFailure,
  };
}

/**
 * The 52x codes are Cloudflare's own. Otherwise OriginResponseStatus says it: 0 means "no
 * request was made to the origin", so the edge answered from cache, by a rule, or (5xx) with an
 * error of its own; any other value is the origin's status passed on.
 */
function cloudflareAnswerFacts(status: string, originStatus: string | null, cacheStatus: string | null): AnswerFacts {
  const originError = ORIGIN_ERROR_FACTS[status];
  if (originError !== undefined) return originError;
  if (originStatus === null)
    return cacheStatus !== null && FROM_CACHE.has(cacheStatus) ? ANSWERED.byServer : ANSWERED.byNobody;
  if (originStatus !== '0') return ANSWERED.byServer;
  if (cacheStatus !== null && FROM_CACHE.has(cacheStatus)) return ANSWERED.byServer;
  if (status.charCodeAt(0) === 53 /* 5 */) return UPSTREAM_FAILED.unknown;
  // Below 500 with no origin request: a WAF block, a redirect or a Worker, unless an unlogged cache hit.
  return cacheStatus !== null ? ANSWERED.byRule : ANSWERED.byNobody;
}

/**
 * `unixnano` integers (~1.5e18, beyond 2^53 but exact enough for ms), `unix` seconds,
 * milliseconds by magnitude, digit strings of any of these, or RFC 3339. NaN when absent.
 */
export function timestampMs(value: unknown): number {
  if (typeof value === 'string') {
    if (/^\d+$/.test(value)) return epochNumberMs(Number(value));
    return parseRfc3339Ms(value);
  }
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? epochNumberMs(value) : NaN;
}

function epochNumberMs(value: number): number {
  if (value >= 1e17) return Math.floor(value / 1e6); // nanoseconds
  if (value >= 1e14) return Math.floor(value / 1e3); // microseconds
  if (value >= 1e11) return value; // milliseconds
  return value * 1000; // seconds
}
