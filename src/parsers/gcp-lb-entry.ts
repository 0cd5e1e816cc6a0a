/**
 * A Cloud Logging entry of an external Application Load Balancer → a record. Exports spell the
 * keys two ways: the LogEntry JSON (`httpRequest.requestUrl`, `jsonPayload`) and the
 * snake_case of BigQuery and some client libraries (`http_request.request_url`,
 * `json_payload`); both are read. `statusDetails` values: Google Cloud docs, "HTTP(S) load
 * balancing logging and monitoring" (next-capabilities.md §5.3).
 */
import { ANSWERED, UPSTREAM_FAILED } from './answer-facts.js';
import type { GcpLbRecord } from './gcp-lb-record.js';
import { parseRfc3339Ms } from './iso-time.js';
import { isJsonObject, objectField, statusField, textField } from './json-fields.js';
import { type AnswerFacts, type MalformedLine, malformed } from './proxy-record.js';

const STATUS_DETAILS_FACTS: Record<string, AnswerFacts> = {
  response_sent_by_backend: ANSWERED.byServer,
  response_from_cache: ANSWERED.byServer,
  response_from_cache_validated: ANSWERED.byServer,
  // The backend's status stands; its body was cut.
  backend_connection_closed_after_partial_response_sent: ANSWERED.byServer,
  backend_connection_closed_before_data_sent_to_client: UPSTREAM_FAILED.resetBeforeResponse,
  failed_to_connect_to_backend: UPSTREAM_FAILED.connect,
  failed_to_pick_backend: UPSTREAM_FAILED.noHealthy,
  backend_timeout: UPSTREAM_FAILED.timeout,
  backend_early_response_with_non_error_status: UPSTREAM_FAILED.protocol,
  backend_response_corrupted: UPSTREAM_FAILED.protocol,
  backend_response_headers_too_long: UPSTREAM_FAILED.protocol,
  failed_to_negotiate_alpn: UPSTREAM_FAILED.protocol,
  error_uncompressing_gzipped_body: UPSTREAM_FAILED.protocol,
  request_loop_detected: UPSTREAM_FAILED.protocol,
  config_not_found: ANSWERED.byProxyItself,
  internal_error: ANSWERED.byProxyItself,
  retriable_error: ANSWERED.byProxyItself,
};

/** A line of an NDJSON export (one entry per line). */
export function parseGcpLbLine(line: string): GcpLbRecord | MalformedLine {
  let entry: unknown;
  try {
    entry = JSON.parse(line);
  } catch {
    return malformed('invalid JSON (a cut line?)');
  }
  return gcpLbRecord(entry);
}

/** One parsed entry (an element of a JSON array export, or a parsed line). */
export function gcpLbRecord(entry: unknown): GcpLbRecord | MalformedLine {
  if (!isJsonObject(entry)) return malformed('entry is not a JSON object');
  const request = objectField(entry, 'httpRequest') ?? objectField(entry, 'http_request');
  if (request === null) return malformed('no httpRequest: not a load balancer request log');
  const timestamp = textField(entry, 'timestamp');
  const timeMs = timestamp === null ? NaN : parseRfc3339Ms(timestamp);
  if (Number.isNaN(timeMs)) return malformed('missing or invalid timestamp');
  const payload = objectField(entry, 'jsonPayload') ?? objectField(entry, 'json_payload');
  const statusDetails =
    payload === null ? null : (textField(payload, 'statusDetails') ?? textField(payload, 'status_details'));
  const status = statusField(request, 'status') ?? '0';
  const facts = gcpAnswerFacts(status, statusDetails);
  const url = parseUrl(textField(request, 'requestUrl') ?? textField(request, 'request_url'));
  const labels = objectField(objectField(entry, 'resource') ?? {}, 'labels');
  return {
    kind: 'gcp-lb',
    timeMs,
    status,
    statusDetails,
    backendService: labels === null ? null : textField(labels, 'backend_service_name'),
    latencyMs: durationMs(textField(request, 'latency')),
    method: textField(request, 'requestMethod') ?? textField(request, 'request_method'),
    host: url?.host ?? null,
    path: url === null ? null : url.path,
    answeredBy: facts.answeredBy,
    upstreamFailure: facts.upstreamFailure,
  };
}

function gcpAnswerFacts(status: string, statusDetails: string | null): AnswerFacts {
  if (statusDetails === null) return ANSWERED.byNobody;
  const known = STATUS_DETAILS_FACTS[statusDetails];
  if (known !== undefined) return known;
  if (statusDetails.startsWith('client_')) return ANSWERED.byNobody; // client_disconnected_before_any_response…
  if (statusDetails.endsWith('_by_security_policy')) return ANSWERED.byRule; // Cloud Armor: denied_by_security_policy…
  // Any other detail "explains why the load balancer returned the HTTP status code" itself.
  return status === '0' ? ANSWERED.byNobody : ANSWERED.byProxyItself;
}

/** Cloud Logging's Duration JSON: "0.248406s" → 248 ms. */
function durationMs(text: string | null): number | null {
  if (text === null || !text.endsWith('s')) return null;
  const seconds = Number(text.slice(0, -1));
  return Number.isFinite(seconds) ? Math.round(seconds * 1000) : null;
}

function parseUrl(text: string | null): { host: string | null; path: string } | null {
  if (text === null) return null;
  const scheme = text.indexOf('://');
  if (scheme < 0) return { host: null, path: text };
  const pathStart = text.indexOf('/', scheme + 3);
  return pathStart < 0
    ? { host: text.slice(scheme + 3), path: '/' }
    : { host: text.slice(scheme + 3, pathStart), path: text.slice(pathStart) };
}
