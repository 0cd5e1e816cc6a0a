/**
 * CloudFront standard logs (W3C extended format, tab-separated; AWS CloudFront Developer Guide,
 * "Standard log file fields"; awsdocs/amazon-cloudfront-developer-guide AccessLogs.md). A file
 * opens with `#Version: 1.0` and `#Fields: date time x-edge-location …`; the field list has grown
 * over the years (24 → 26 → 33), so the `#Fields` line decides where each field is, and the
 * documented 33-field order applies when a file has none.
 */
import { ANSWERED, UPSTREAM_FAILED } from './answer-facts.js';
import type { EdgeHeaderLine, EdgeRecord } from './edge-record.js';
import { type AnswerFacts, type MalformedLine, malformed } from './proxy-record.js';

/** The documented field order (33 fields, the `#Fields` line AWS shows). */
export const CLOUDFRONT_FIELDS = [
  'date',
  'time',
  'x-edge-location',
  'sc-bytes',
  'c-ip',
  'cs-method',
  'cs(Host)',
  'cs-uri-stem',
  'sc-status',
  'cs(Referer)',
  'cs(User-Agent)',
  'cs-uri-query',
  'cs(Cookie)',
  'x-edge-result-type',
  'x-edge-request-id',
  'x-host-header',
  'cs-protocol',
  'cs-bytes',
  'time-taken',
  'x-forwarded-for',
  'ssl-protocol',
  'ssl-cipher',
  'x-edge-response-result-type',
  'cs-protocol-version',
  'fle-status',
  'fle-encrypted-fields',
  'c-port',
  'time-to-first-byte',
  'x-edge-detailed-result-type',
  'sc-content-type',
  'sc-content-len',
  'sc-range-start',
  'sc-range-end',
] as const;

/** Where the fields this parser reads sit in a line (-1: not in this file's layout). */
export interface CloudFrontLayout {
  date: number;
  time: number;
  edgeLocation: number;
  method: number;
  host: number;
  uriStem: number;
  uriQuery: number;
  status: number;
  resultType: number;
  requestId: number;
  hostHeader: number;
  timeTaken: number;
  detailedResultType: number;
  /** Fields a data line must have at least: through `sc-status`. */
  minFields: number;
}

export function cloudFrontLayout(fields: readonly string[]): CloudFrontLayout {
  const at = (name: string) => fields.indexOf(name);
  return {
    date: at('date'),
    time: at('time'),
    edgeLocation: at('x-edge-location'),
    method: at('cs-method'),
    host: at('cs(Host)'),
    uriStem: at('cs-uri-stem'),
    uriQuery: at('cs-uri-query'),
    status: at('sc-status'),
    resultType: at('x-edge-result-type'),
    requestId: at('x-edge-request-id'),
    hostHeader: at('x-host-header'),
    timeTaken: at('time-taken'),
    detailedResultType: at('x-edge-detailed-result-type'),
    minFields: Math.max(at('date'), at('time'), at('sc-status')) + 1,
  };
}

export const DEFAULT_CLOUDFRONT_LAYOUT: CloudFrontLayout = cloudFrontLayout(CLOUDFRONT_FIELDS);

const HEADER: EdgeHeaderLine = Object.freeze({ kind: 'header' });

/**
 * A `#` line: `#Fields:` gives the layout for the lines after it; `#Version:` and other comments
 * are headers. Returns the new layout, or null when the line changes none.
 */
export function parseCloudFrontHeader(line: string): {
  header: EdgeHeaderLine | MalformedLine;
  layout: CloudFrontLayout | null;
} {
  if (!line.startsWith('#Fields:')) return { header: HEADER, layout: null };
  const fields = line.slice('#Fields:'.length).trim().split(/\s+/);
  const layout = cloudFrontLayout(fields);
  if (layout.date < 0 || layout.time < 0 || layout.status < 0) {
    return { header: malformed('#Fields line without date, time and sc-status'), layout: null };
  }
  return { header: HEADER, layout };
}

/** A data line (tab-separated) read with `layout`. */
export function parseCloudFrontLine(line: string, layout: CloudFrontLayout): EdgeRecord | MalformedLine {
  const fields = line.split('\t');
  if (fields.length < layout.minFields)
    return malformed(`expected at least ${layout.minFields} fields, found ${fields.length}`);
  const field = (index: number): string | null =>
    index >= 0 && index < fields.length ? dashToNull(fields[index]!) : null;
  const timeMs = dateTimeMs(fields[layout.date]!, fields[layout.time]!);
  if (Number.isNaN(timeMs)) return malformed('invalid date or time');
  const status = fields[layout.status]!;
  if (!/^\d{3}$/.test(status)) return malformed('non-numeric sc-status');
  const detail = field(layout.detailedResultType) ?? field(layout.resultType);
  const facts = cloudFrontAnswerFacts(
    status,
    detail,
    layout.detailedResultType >= 0 && layout.detailedResultType < fields.length,
  );
  const timeTaken = field(layout.timeTaken);
  const query = field(layout.uriQuery);
  const stem = field(layout.uriStem);
  return {
    kind: 'cloudfront',
    timeMs,
    totalMs: timeTaken === null || Number.isNaN(Number(timeTaken)) ? null : Math.round(Number(timeTaken) * 1000),
    status,
    originStatus: null,
    originMs: null,
    detail,
    method: field(layout.method),
    host: field(layout.hostHeader) ?? field(layout.host),
    path: stem === null ? null : query === null ? stem : `${stem}?${query}`,
    edgeLocation: field(layout.edgeLocation),
    requestId: field(layout.requestId),
    answeredBy: facts.answeredBy,
    upstreamFailure: facts.upstreamFailure,
  };
}

/** `2019-12-13` + `22:36:27` (UTC) → epoch ms; NaN when either is not in that shape. */
function dateTimeMs(date: string, time: string): number {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !/^\d{2}:\d{2}:\d{2}$/.test(time)) return NaN;
  return Date.parse(`${date}T${time}Z`);
}

function dashToNull(value: string): string | null {
  return value === '-' || value === '' ? null : value;
}

/** x-edge-detailed-result-type → facts (the `Origin*Error` family: the edge minted it because of the origin). */
const DETAILED_RESULT_FACTS: Record<string, AnswerFacts> = {
  Hit: ANSWERED.byServer,
  RefreshHit: ANSWERED.byServer,
  Miss: ANSWERED.byServer,
  OriginShieldHit: ANSWERED.byServer,
  // "An error occurred for which the error type doesn't fit any of the other categories. This
  // error type can occur when the server serves an error response from the cache": the origin's
  // own error responses (a 502 from the origin) land here, not in an Origin*Error type.
  Error: ANSWERED.byServer,
  Redirect: ANSWERED.byRule,
  LimitExceeded: ANSWERED.byRule,
  MissGeneratedResponse: ANSWERED.byRule,
  ClientGeoBlocked: ANSWERED.byRule,
  InvalidRequest: ANSWERED.byRule,
  InvalidRequestBlocked: ANSWERED.byRule,
  InvalidRequestCertificate: ANSWERED.byRule,
  InvalidRequestHeader: ANSWERED.byRule,
  InvalidRequestMethod: ANSWERED.byRule,
  CapacityExceeded: ANSWERED.byProxyItself,
  ClientCommError: ANSWERED.byNobody,
  ClientHungUpRequest: ANSWERED.byNobody,
  AbortedOrigin: UPSTREAM_FAILED.unknown,
  OriginConnectError: UPSTREAM_FAILED.connect,
  OriginDnsError: UPSTREAM_FAILED.connect,
  OriginCommError: UPSTREAM_FAILED.timeout,
  OriginReadError: UPSTREAM_FAILED.resetBeforeResponse,
  OriginWriteError: UPSTREAM_FAILED.resetBeforeResponse,
  OriginError: UPSTREAM_FAILED.protocol,
  OriginInvalidResponseError: UPSTREAM_FAILED.protocol,
  OriginHeaderTooBigError: UPSTREAM_FAILED.protocol,
  OriginContentRangeLengthError: UPSTREAM_FAILED.protocol,
  OriginZeroSizeObjectError: UPSTREAM_FAILED.protocol,
  SlowReaderOriginError: UPSTREAM_FAILED.unknown,
};

/**
 * `detail` is the detailed result type when the file logs it, else `x-edge-result-type`, whose
 * `Error` cannot tell an origin's 502 from one the edge made: unknown then.
 */
function cloudFrontAnswerFacts(status: string, detail: string | null, hasDetailedType: boolean): AnswerFacts {
  if (status === '000') return ANSWERED.byNobody;
  if (detail === null) return ANSWERED.byNobody;
  if (!hasDetailedType && detail === 'Error') return ANSWERED.byNobody;
  const known = DETAILED_RESULT_FACTS[detail];
  if (known !== undefined) return known;
  // Newer types: Lambda@Edge and CloudFront Functions failures are the edge's own.
  if (detail.startsWith('Lambda') || detail.startsWith('Function')) return ANSWERED.byProxyItself;
  return detail.startsWith('Origin') ? UPSTREAM_FAILED.unknown : ANSWERED.byNobody;
}
