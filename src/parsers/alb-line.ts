/**
 * Parses one line of an AWS load-balancer access log: ALB (the point of the exercise), and the
 * Classic ELB and NLB lines that end up in the same buckets. Pure. It runs over millions of
 * lines, so it finds the field boundaries in one pass of indexOf jumps (or SIMD over the bytes,
 * see attachLineBytes), validates the fields by position, and only then cuts out the few strings
 * a record holds. Field definitions: domain.md §1.2.
 */
import {
  ALB_FIELD_NAMES,
  ALB_MINIMUM_FIELDS,
  contentEnd,
  FieldScan,
  isDash,
  isQuoted,
  parseByteCount,
  parseSeconds,
  parseTimestampMs,
  readStatus,
} from './alb-fields.js';
import { loadByteFieldScan } from './byte-field-scan.js';

/** One ALB access-log entry, reduced to what explaining a 502 needs. */
export interface AlbRecord {
  kind: 'alb';
  /** http https h2 grpcs ws wss; unknown values kept verbatim. */
  type: string;
  /** Field 2 verbatim: when the ALB generated the response, e.g. "2018-07-02T22:23:00.186641Z". */
  time: string;
  /** Epoch ms of `time` (microseconds truncated). */
  timeMs: number;
  /** "app/my-lb/50dc6c495c0c9188". */
  elb: string;
  /** "ip:port" verbatim; IPv6 addresses are not bracketed, so split on the last colon. */
  client: string;
  /** "ip:port"; null when "-" (Lambda target, WAF block, request never complete). */
  target: string | null;
  /** Seconds; null when -1 (could not be measured, e.g. the target closed the connection). */
  requestProcessingSeconds: number | null;
  targetProcessingSeconds: number | null;
  responseProcessingSeconds: number | null;
  /** Verbatim: three digits or "-". */
  elbStatus: string;
  /** Verbatim; "-" when the target never answered. */
  targetStatus: string;
  /** Bytes; -1 when the load balancer logged "-" or -1. */
  receivedBytes: number;
  sentBytes: number;
  /** Content of the quoted request field, verbatim: "GET https://host:443/path?q HTTP/1.1". */
  request: string;
  /** Null when the ALB logged "-" (it could not parse the request). */
  method: string | null;
  /** "https://host:443/path?q" (may hold spaces); null when the request could not be parsed. */
  url: string | null;
  /** Verbatim (may be truncated); null when "-". */
  targetGroupArn: string | null;
}

/** A Classic ELB entry: no type, no target group; the backend plays the target's part. */
export interface ClassicElbRecord {
  kind: 'classic-elb';
  time: string;
  timeMs: number;
  elb: string;
  elbStatus: string;
  backendStatus: string;
  request: string;
  url: string | null;
  backendProcessingSeconds: number | null;
}

/** An NLB TLS entry (`tls 2.0 <time> net/...`): recognised, but says nothing about HTTP status. */
export interface NlbRecord {
  kind: 'nlb';
  time: string;
  timeMs: number;
  elb: string;
}

/** A line that is none of the above; `reason` says what is wrong, in a few words. */
export interface MalformedLine {
  kind: 'malformed';
  reason: string;
}

export type LbLine = AlbRecord | ClassicElbRecord | NlbRecord | MalformedLine;

/** How a format names its fields, how many a complete line has at least, and which are quoted. */
interface LineFormat {
  label: string;
  fieldNames: readonly string[];
  minimumFields: number;
  /** 0-based positions of the fields that must be quoted. */
  quotedFields: readonly number[];
  timeField: number;
}

const ALB: LineFormat = {
  label: 'ALB',
  fieldNames: ALB_FIELD_NAMES,
  minimumFields: ALB_MINIMUM_FIELDS,
  // request, user_agent, trace_id, domain_name, chosen_cert_arn, actions_executed, redirect_url,
  // error_reason. The fields after error_reason were written bare before 2021, so any quoting goes.
  quotedFields: [12, 13, 17, 18, 19, 22, 23, 24],
  timeField: 1,
};

const CLASSIC_ELB: LineFormat = {
  label: 'Classic ELB',
  fieldNames: [
    'time',
    'elb',
    'client:port',
    'backend:port',
    'request_processing_time',
    'backend_processing_time',
    'response_processing_time',
    'elb_status_code',
    'backend_status_code',
    'received_bytes',
    'sent_bytes',
    'request',
    'user_agent',
    'ssl_cipher',
    'ssl_protocol',
  ],
  minimumFields: 12,
  quotedFields: [11],
  timeField: 0,
};

// NLB TLS logs gained fields over time (alpn_*, tls_connection_creation_time); the fields up to
// sent_bytes are in every version.
const NLB: LineFormat = {
  label: 'NLB',
  fieldNames: [
    'type',
    'version',
    'time',
    'elb',
    'listener',
    'client:port',
    'destination:port',
    'connection_time',
    'tls_handshake_time',
    'received_bytes',
    'sent_bytes',
  ],
  minimumFields: 11,
  quotedFields: [],
  timeField: 2,
};

// 0-based positions of the fields a record is made of.
const ALB_TIME = 1;
const ALB_ELB = 2;
const ALB_CLIENT = 3;
const ALB_TARGET = 4;
const ALB_FIRST_TIMER = 5;
const ALB_REQUEST = 12;
const ALB_TARGET_GROUP_ARN = 16;
const CLASSIC_FIRST_TIMER = 4;
const CLASSIC_REQUEST = 11;
const NLB_ELB = 3;

const ALB_QUOTED_MASK = quotedMask(ALB);

// The boundaries of the line being parsed. One scan serves every call: parsing is synchronous,
// so no two calls can use it at once, and a line then costs no allocation for its boundaries.
// summarizeLbLineAt fills it through the WebAssembly scan when the text's bytes are loaded there.
const byteScan = loadByteFieldScan();
const fields = new FieldScan(64, byteScan?.ends);
/** The text whose bytes byteScan holds (attachLineBytes); null when none. */
let attachedText: string | null = null;

/**
 * Hands summarizeLbLineAt the bytes of a text about to be read line by line, so that it can
 * find the fields of its lines by SIMD (byte-field-scan.ts). Only for text decoded from those
 * bytes one character a byte (ASCII); a text never attached is read by FieldScan's JavaScript.
 */
export function attachLineBytes(text: string, bytes: Uint8Array): void {
  attachedText = byteScan?.load(bytes) ? text : null;
}

/**
 * Recognises and parses one access-log line. Never throws: a line that is not a complete ALB,
 * Classic ELB or NLB entry comes back as `{ kind: 'malformed', reason }`.
 */
export function parseLbLine(line: string): LbLine {
  const lineEnd = contentEnd(line);
  if (lineEnd === 0) return malformed('empty line');
  fields.scan(line, lineEnd);
  const first = line.charCodeAt(0);
  // Classic ELB lines start with their timestamp; ALB and NLB lines with a lower-case type.
  if (first >= 48 && first <= 57) return parseClassicElbLine(line);
  if (hasPrefix(line, 'tls ')) return parseNlbLine(line);
  return parseAlbLine(line);
}

function parseAlbLine(line: string): AlbRecord | MalformedLine {
  if (fields.count < ALB.minimumFields) return malformed(describeIncompleteLine(line, ALB));
  return readAlbRecord(line) ?? malformed(describeFieldProblem(line, ALB, ALB_FIRST_TIMER) ?? 'invalid field');
}

/** The checked numeric fields of the line being parsed (one shared scratch, like `fields`). */
const checked = {
  timeMs: 0,
  requestProcessingSeconds: null as number | null,
  targetProcessingSeconds: null as number | null,
  responseProcessingSeconds: null as number | null,
  elbStatus: '',
  targetStatus: '',
  receivedBytes: 0,
  sentBytes: 0,
};

/**
 * Checks the fields of a complete ALB line that have a shape (time, timers, statuses, byte
 * counts, quoting) and keeps their values in `checked`. Each value is parsed once and checked
 * for the parsers' failure values (NaN, null); only a bad line pays for working out which
 * field is wrong.
 */
function checkAlbFields(line: string): boolean {
  const timeMs = parseTimestampMs(line, fields.start(ALB_TIME), fields.end(ALB_TIME));
  const requestProcessingSeconds = secondsOf(line, ALB_FIRST_TIMER);
  const targetProcessingSeconds = secondsOf(line, ALB_FIRST_TIMER + 1);
  const responseProcessingSeconds = secondsOf(line, ALB_FIRST_TIMER + 2);
  const elbStatus = statusOf(line, ALB_FIRST_TIMER + 3);
  const targetStatus = statusOf(line, ALB_FIRST_TIMER + 4);
  const receivedBytes = bytesOf(line, ALB_FIRST_TIMER + 5);
  const sentBytes = bytesOf(line, ALB_FIRST_TIMER + 6);
  // NaN in any term makes the sum NaN; null timers count as 0.
  const numbersOk = !Number.isNaN(
    timeMs +
      receivedBytes +
      sentBytes +
      (requestProcessingSeconds ?? 0) +
      (targetProcessingSeconds ?? 0) +
      (responseProcessingSeconds ?? 0),
  );
  const quotesOk = (fields.quotedMask & ALB_QUOTED_MASK) === ALB_QUOTED_MASK;
  if (!numbersOk || !quotesOk || elbStatus === null || targetStatus === null) return false;
  checked.timeMs = timeMs;
  checked.requestProcessingSeconds = requestProcessingSeconds;
  checked.targetProcessingSeconds = targetProcessingSeconds;
  checked.responseProcessingSeconds = responseProcessingSeconds;
  checked.elbStatus = elbStatus;
  checked.targetStatus = targetStatus;
  checked.receivedBytes = receivedBytes;
  checked.sentBytes = sentBytes;
  return true;
}

/** The record of a complete ALB line, or null when a field has the wrong shape. */
function readAlbRecord(line: string): AlbRecord | null {
  if (!checkAlbFields(line)) return null;
  const request = textOf(line, ALB_REQUEST);
  const methodEnd = request.indexOf(' ');
  const method = readMethod(request, methodEnd);
  return {
    kind: 'alb',
    type: readType(line, 0, fields.end(0)),
    time: sliceOf(line, ALB_TIME),
    timeMs: checked.timeMs,
    elb: sliceOf(line, ALB_ELB),
    client: sliceOf(line, ALB_CLIENT),
    target: sliceOrNull(line, ALB_TARGET),
    requestProcessingSeconds: checked.requestProcessingSeconds,
    targetProcessingSeconds: checked.targetProcessingSeconds,
    responseProcessingSeconds: checked.responseProcessingSeconds,
    elbStatus: checked.elbStatus,
    targetStatus: checked.targetStatus,
    receivedBytes: checked.receivedBytes,
    sentBytes: checked.sentBytes,
    request,
    method,
    url: method === null ? null : readUrl(request, methodEnd),
    targetGroupArn: sliceOrNull(line, ALB_TARGET_GROUP_ARN),
  };
}

/** What `scan` counts of a line: its format, time, type and statuses (or why it is malformed). */
export interface LbLineSummary {
  kind: LbLine['kind'];
  timeMs: number;
  /** ALB only. */
  type: string;
  /** ALB and Classic ELB (the backend's status as `targetStatus`). */
  elbStatus: string;
  targetStatus: string;
  /** Malformed lines only. */
  reason: string;
  /**
   * ALB lines only (stale otherwise): the target's processing time, and where the target group
   * ARN and the quoted request field lie in the text, [start, end). Files mode's view reads them
   * in place instead of cutting a record out of every line.
   */
  targetProcessingSeconds: number | null;
  targetGroupArnStart: number;
  targetGroupArnEnd: number;
  requestStart: number;
  requestEnd: number;
}

export function newLbLineSummary(): LbLineSummary {
  return {
    kind: 'malformed',
    timeMs: NaN,
    type: '',
    elbStatus: '',
    targetStatus: '',
    reason: '',
    targetProcessingSeconds: null,
    targetGroupArnStart: -1,
    targetGroupArnEnd: -1,
    requestStart: -1,
    requestEnd: -1,
  };
}

/**
 * The same judgement as parseLbLine for the line `text[lineStart, lineEnd)`, parsed in place and
 * filled into a reused summary instead of a new record: the scan of millions of lines then
 * allocates nothing per valid ALB line. Other formats and bad
 * lines take parseLbLine's path, so the two can never disagree.
 */
export function summarizeLbLineAt(text: string, lineStart: number, lineEnd: number, out: LbLineSummary): LbLineSummary {
  const end = contentEnd(text, lineStart, lineEnd);
  const first = text.charCodeAt(lineStart);
  if (end > lineStart && !(first >= 48 && first <= 57) && !hasPrefix(text, 'tls ', lineStart)) {
    // The attached bytes are this text's (the same string, nearly always; an equal one has equal bytes).
    if (text === attachedText && byteScan !== null) fields.scanBytes(byteScan, end, lineStart);
    else fields.scan(text, end, lineStart);
    if (fields.count >= ALB.minimumFields && checkAlbFields(text)) {
      out.kind = 'alb';
      out.timeMs = checked.timeMs;
      out.type = readType(text, lineStart, fields.end(0));
      out.elbStatus = checked.elbStatus;
      out.targetStatus = checked.targetStatus;
      out.targetProcessingSeconds = checked.targetProcessingSeconds;
      out.targetGroupArnStart = fields.start(ALB_TARGET_GROUP_ARN);
      out.targetGroupArnEnd = fields.end(ALB_TARGET_GROUP_ARN);
      out.requestStart = fields.start(ALB_REQUEST);
      out.requestEnd = fields.end(ALB_REQUEST);
      return out;
    }
  }
  const parsed = parseLbLine(lineStart === 0 && lineEnd === text.length ? text : text.slice(lineStart, lineEnd));
  out.kind = parsed.kind;
  out.timeMs = parsed.kind === 'malformed' ? NaN : parsed.timeMs;
  out.type = parsed.kind === 'alb' ? parsed.type : '';
  out.elbStatus = parsed.kind === 'alb' || parsed.kind === 'classic-elb' ? parsed.elbStatus : '';
  out.targetStatus =
    parsed.kind === 'alb' ? parsed.targetStatus : parsed.kind === 'classic-elb' ? parsed.backendStatus : '';
  out.reason = parsed.kind === 'malformed' ? parsed.reason : '';
  return out;
}

function parseClassicElbLine(line: string): ClassicElbRecord | MalformedLine {
  if (fields.count < CLASSIC_ELB.minimumFields) return malformed(describeIncompleteLine(line, CLASSIC_ELB));
  const problem = describeFieldProblem(line, CLASSIC_ELB, CLASSIC_FIRST_TIMER);
  if (problem !== null) return malformed(problem);
  const request = textOf(line, CLASSIC_REQUEST);
  const methodEnd = request.indexOf(' ');
  return {
    kind: 'classic-elb',
    time: sliceOf(line, 0),
    timeMs: parseTimestampMs(line, 0, fields.end(0)),
    elb: sliceOf(line, 1),
    elbStatus: statusOf(line, CLASSIC_FIRST_TIMER + 3) as string,
    backendStatus: statusOf(line, CLASSIC_FIRST_TIMER + 4) as string,
    request,
    url: readMethod(request, methodEnd) === null ? null : readUrl(request, methodEnd),
    backendProcessingSeconds: secondsOf(line, CLASSIC_FIRST_TIMER + 1),
  };
}

function parseNlbLine(line: string): NlbRecord | MalformedLine {
  if (fields.count < NLB.minimumFields) return malformed(describeIncompleteLine(line, NLB));
  const timeMs = parseTimestampMs(line, fields.start(NLB.timeField), fields.end(NLB.timeField));
  if (Number.isNaN(timeMs)) return malformed(describeInvalidField(line, NLB, NLB.timeField, 'an ISO 8601 timestamp'));
  const elb = sliceOf(line, NLB_ELB);
  if (!elb.startsWith('net/')) return malformed(describeInvalidField(line, NLB, NLB_ELB, 'an NLB id (net/…)'));
  return { kind: 'nlb', time: sliceOf(line, NLB.timeField), timeMs, elb };
}

/**
 * The first field of a complete ALB or Classic ELB line that has the wrong shape: time, the
 * three timers, the two status codes and the two byte counts (in that order, from `firstTimer`
 * on, in both formats), then the fields that must be quoted. Null when all are fine.
 */
function describeFieldProblem(line: string, format: LineFormat, firstTimer: number): string | null {
  if (Number.isNaN(parseTimestampMs(line, fields.start(format.timeField), fields.end(format.timeField)))) {
    return describeInvalidField(line, format, format.timeField, 'an ISO 8601 timestamp');
  }
  for (let field = firstTimer; field < firstTimer + 3; field++) {
    if (Number.isNaN(secondsOf(line, field))) {
      return describeInvalidField(line, format, field, 'a number of seconds or -1');
    }
  }
  for (let field = firstTimer + 3; field < firstTimer + 5; field++) {
    if (statusOf(line, field) === null) return describeInvalidField(line, format, field, 'a 3-digit status or "-"');
  }
  for (let field = firstTimer + 5; field < firstTimer + 7; field++) {
    if (Number.isNaN(bytesOf(line, field))) return describeInvalidField(line, format, field, 'a byte count');
  }
  const unquoted = format.quotedFields.find((field) => !isQuoted(line, fields.start(field), fields.end(field)));
  if (unquoted === undefined) return null;
  return `${fieldLabel(format, unquoted)} is not quoted: ${excerpt(sliceOf(line, unquoted))}`;
}

/**
 * Why a line has too few fields: a bad time (the likeliest sign of a line in another format),
 * an unclosed quote, or truncation.
 */
function describeIncompleteLine(line: string, format: LineFormat): string {
  const count = fields.count;
  const completeFields = count < 0 ? -count - 1 : count;
  const time = format.timeField;
  if (completeFields > time && Number.isNaN(parseTimestampMs(line, fields.start(time), fields.end(time)))) {
    return describeInvalidField(line, format, time, 'an ISO 8601 timestamp');
  }
  if (count < 0) return `unclosed quote in ${fieldLabel(format, -count - 1)}`;
  return `expected at least ${format.minimumFields} fields, found ${count}`;
}

function describeInvalidField(line: string, format: LineFormat, field: number, expected: string): string {
  return `${fieldLabel(format, field)} is not ${expected}: ${excerpt(sliceOf(line, field))}`;
}

function fieldLabel(format: LineFormat, field: number): string {
  const name = format.fieldNames[field];
  return `${format.label} field ${field + 1}${name === undefined ? '' : ` (${name})`}`;
}

/** A field value for a reason: quoted, and cut so that one bad line cannot flood a report. */
function excerpt(value: string): string {
  return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
}

function malformed(reason: string): MalformedLine {
  return { kind: 'malformed', reason };
}

function quotedMask(format: LineFormat): number {
  return format.quotedFields.reduce((mask, field) => mask | (1 << field), 0);
}

function sliceOf(line: string, field: number): string {
  return line.slice(fields.start(field), fields.end(field));
}

function sliceOrNull(line: string, field: number): string | null {
  return isDash(line, fields.start(field), fields.end(field)) ? null : sliceOf(line, field);
}

/** A field's content: without its quotes when quoted. */
function textOf(line: string, field: number): string {
  const from = fields.start(field);
  const to = fields.end(field);
  return isQuoted(line, from, to) ? line.slice(from + 1, to - 1) : line.slice(from, to);
}

function secondsOf(line: string, field: number): number | null {
  return parseSeconds(line, fields.start(field), fields.end(field));
}

function statusOf(line: string, field: number): string | null {
  return readStatus(line, fields.start(field), fields.end(field));
}

function bytesOf(line: string, field: number): number {
  return parseByteCount(line, fields.start(field), fields.end(field));
}

// The documented types, by length, so that nearly every line shares one string instead of
// copying its own.
const KNOWN_TYPES_BY_LENGTH: readonly (readonly string[])[] = [
  [],
  [],
  ['h2', 'ws'],
  ['wss'],
  ['http'],
  ['https', 'grpcs'],
];

function readType(line: string, typeStart: number, typeEnd: number): string {
  for (const type of KNOWN_TYPES_BY_LENGTH[typeEnd - typeStart] ?? []) {
    if (hasPrefix(line, type, typeStart)) return type;
  }
  return line.slice(typeStart, typeEnd);
}

/** `line.startsWith(prefix)`, which V8 runs several times slower than this loop. */
function hasPrefix(line: string, prefix: string, at = 0): boolean {
  for (let index = 0; index < prefix.length; index++) {
    if (line.charCodeAt(at + index) !== prefix.charCodeAt(index)) return false;
  }
  return true;
}

/** The method of a request field, or null when the ALB logged `-` (it could not parse the request). */
function readMethod(request: string, methodEnd: number): string | null {
  if (methodEnd <= 0 || (methodEnd === 1 && request.charCodeAt(0) === 45)) return null;
  return request.slice(0, methodEnd);
}

/**
 * The URL of a request field such as `GET https://host:443/a b?q HTTP/1.1`: everything between
 * the method and the last space, so spaces inside the URL survive. A request without a version
 * gives everything after the method. Null for an empty URL or `-`.
 */
function readUrl(request: string, methodEnd: number): string | null {
  let urlEnd = request.length;
  while (urlEnd > methodEnd + 1 && request.charCodeAt(urlEnd - 1) === 32) urlEnd--;
  const versionStart = request.lastIndexOf(' ', urlEnd - 1);
  if (versionStart > methodEnd) urlEnd = versionStart;
  const url = request.slice(methodEnd + 1, urlEnd);
  return url === '' || url === '-' ? null : url;
}

/**
 * The path of a request URL, without query or fragment: "https://host:443/a/b?q" → "/a/b".
 * Origin-form URLs ("/a/b?q") work too. Null for null, "*" and authority-form ("host:443").
 */
export function requestPath(url: string | null): string | null {
  if (url === null) return null;
  let pathStart: number;
  const scheme = url.indexOf('://');
  if (scheme >= 0) {
    pathStart = url.indexOf('/', scheme + 3);
    const queryStart = queryOrFragmentStart(url, scheme + 3);
    if (pathStart < 0 || (queryStart >= 0 && queryStart < pathStart)) return '/';
  } else if (url.startsWith('/')) {
    pathStart = 0;
  } else {
    return null;
  }
  const pathEnd = queryOrFragmentStart(url, pathStart);
  return pathEnd < 0 ? url.slice(pathStart) : url.slice(pathStart, pathEnd);
}

function queryOrFragmentStart(url: string, from: number): number {
  const query = url.indexOf('?', from);
  const fragment = url.indexOf('#', from);
  if (query < 0) return fragment;
  return fragment < 0 ? query : Math.min(query, fragment);
}

/**
 * Every field of an ALB line by its AWS name (ALB_FIELD_NAMES): the 29 current fields,
 * `conn_trace_id` and the transform fields when present, and any later field as
 * `unknown_<n>` (n = its 1-based position). Quoted fields are given without their quotes.
 * For tests and `--debug`: it validates the line with `parseLbLine` first, so it returns the
 * same MalformedLine for a bad line. A result with a `kind` property is a MalformedLine.
 */
export function parseAlbLineFields(line: string): Record<string, string> | MalformedLine {
  const parsed = parseLbLine(line);
  if (parsed.kind === 'malformed') return parsed;
  if (parsed.kind !== 'alb') {
    return malformed(`not an ALB line: this is ${parsed.kind === 'nlb' ? 'an NLB' : 'a Classic ELB'} line`);
  }
  const lineEnd = contentEnd(line);
  const counting = new FieldScan(0);
  counting.scan(line, lineEnd);
  const all = new FieldScan(counting.count);
  all.scan(line, lineEnd);
  const named: Record<string, string> = {};
  for (let field = 0; field < all.count; field++) {
    const from = all.start(field);
    const to = all.end(field);
    const text = isQuoted(line, from, to) ? line.slice(from + 1, to - 1) : line.slice(from, to);
    named[ALB_FIELD_NAMES[field] ?? `unknown_${field + 1}`] = text;
  }
  return named;
}
