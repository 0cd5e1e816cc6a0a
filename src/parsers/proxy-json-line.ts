/**
 * A proxy access line that is a JSON object (from `{` on): Traefik's JSON or Istio's. A JSON
 * object wrapped by a container runtime or shipper (`{"log": "<the line>", "stream": …}`, as
 * Docker's json-file driver and Fluent Bit write it) is unwrapped once.
 */
import { envoyJsonRecord, looksLikeEnvoyEntry } from './envoy-json-line.js';
import { isJsonObject } from './json-fields.js';
import { type MalformedLine, malformed, type ProxyRecord } from './proxy-record.js';
import { looksLikeTraefikEntry, traefikJsonRecord } from './traefik-json-line.js';

const INVALID_JSON = 'invalid JSON (a cut line?)';
const NOT_AN_OBJECT = 'JSON that is not an object';
const NO_KNOWN_FORMAT = "JSON of no known proxy format (neither Traefik's DownstreamStatus nor Istio's response_code)";

/** True for the reasons that say the text is not a proxy's JSON at all (rather than a damaged one). */
export function isNotProxyJson(reason: string): boolean {
  return reason === INVALID_JSON || reason === NOT_AN_OBJECT || reason === NO_KNOWN_FORMAT;
}

export function parseProxyJsonLine(line: string, start: number): ProxyRecord | MalformedLine {
  const entry = parseJson(start === 0 ? line : line.slice(start));
  if (entry === undefined) return malformed(INVALID_JSON);
  if (!isJsonObject(entry)) return malformed(NOT_AN_OBJECT);
  const inner = typeof entry.log === 'string' ? parseJson(entry.log.trim()) : undefined;
  const object = isJsonObject(inner) ? inner : entry;
  if (looksLikeTraefikEntry(object)) return traefikJsonRecord(object);
  if (looksLikeEnvoyEntry(object)) return envoyJsonRecord(object);
  return malformed(NO_KNOWN_FORMAT);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
