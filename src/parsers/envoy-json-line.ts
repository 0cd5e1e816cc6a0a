/**
 * Envoy access logs as JSON with Istio's keys (`meshConfig.accessLogEncoding: JSON`, the same
 * command operators as the text format): `start_time`, `method`, `path`, `protocol`,
 * `response_code`, `response_flags`, `response_code_details`, `duration`,
 * `upstream_service_time`, `upstream_host`, `upstream_cluster`, … Envoy's own `json_format`
 * has no fixed keys; only this widespread one is recognised.
 */
import { envoyAnswerFacts } from './envoy-response-flags.js';
import { parseRfc3339Ms } from './iso-time.js';
import { type JsonObject, numberField, statusField, textField } from './json-fields.js';
import { type MalformedLine, malformed, type ProxyRecord } from './proxy-record.js';

/** True when the object has Istio's access-log keys. */
export function looksLikeEnvoyEntry(entry: JsonObject): boolean {
  return 'response_code' in entry && 'start_time' in entry;
}

export function envoyJsonRecord(entry: JsonObject): ProxyRecord | MalformedLine {
  const status = statusField(entry, 'response_code');
  if (status === null) return malformed('missing response_code');
  const start = textField(entry, 'start_time');
  const timeMs = start === null ? NaN : parseRfc3339Ms(start);
  if (Number.isNaN(timeMs)) return malformed('missing or invalid start_time');
  const flags = textField(entry, 'response_flags');
  const upstreamHost = textField(entry, 'upstream_host');
  const facts = envoyAnswerFacts(status, flags, textField(entry, 'response_code_details'), upstreamHost);
  return {
    kind: 'envoy-json',
    timeMs,
    status,
    termination: flags,
    frontend: null,
    backend: textField(entry, 'upstream_cluster'),
    server: upstreamHost,
    serverResponseMs: numberField(entry, 'upstream_service_time'),
    totalMs: numberField(entry, 'duration'),
    method: textField(entry, 'method'),
    path: textField(entry, 'path'),
    requestTruncated: false,
    upstreamStatus: null,
    answeredBy: facts.answeredBy,
    upstreamFailure: facts.upstreamFailure,
  };
}
