/**
 * Reads the rows of an edge counts query (edge-cloudfront-counts.sql, edge-cloudflare-counts.sql)
 * into the edge view's per-minute counts, with the files parser's own rules: each group of the
 * index's 5xx is rebuilt as what the files parser reads (a CloudFront line for
 * parseCloudFrontLine, a Logpush object for cloudflareRecord), so who made the 5xx (the edge, or
 * the origin behind it) is decided in one place for both providers. Pure.
 */
import type { TimeWindow } from '../../core/types.js';
import { bump, MINUTE_MS, windowMinutes, zeroCounts } from '../../evidence/minute-buckets.js';
import { isMintedByProxy } from '../../parsers/answer-facts.js';
import { cloudflareRecord } from '../../parsers/cloudflare-line.js';
import { CLOUDFRONT_FIELDS, DEFAULT_CLOUDFRONT_LAYOUT, parseCloudFrontLine } from '../../parsers/cloudfront-line.js';
import type { EdgeRecord } from '../../parsers/edge-record.js';
import type { JsonObject } from '../../parsers/json-fields.js';
import type { EdgeTableFormat } from './athena-config.js';
import type { AthenaRow } from './result-rows.js';

export interface EdgeCounts {
  /** Every parsed row of the window per minute: what tells a covered minute from a hole. */
  entries: number[];
  requests: number[];
  all5xx: number[];
  minted: number[];
  passed: number[];
  byCode: { all5xx: Record<string, number>; minted: Record<string, number>; passed: Record<string, number> };
  /** First and last time of the rows of the dates read (epoch ms), or null when there are none. */
  coverage: { firstMs: number; lastMs: number } | null;
  /** Result rows whose minute or status could not be read: left out. */
  unreadableRows: number;
}

/** How one format's result rows are read: the parts and minutes are the same for every format. */
interface EdgeRowReader {
  /** A 5xx group as the files parser's record, timed at the start of its minute; null when unreadable. */
  recordOf(row: AthenaRow, minuteStartMs: number): EdgeRecord | null;
  /** The `span` row's first and last time, epoch ms. */
  coverageOf(row: AthenaRow): EdgeCounts['coverage'];
}

const EDGE_ROW_READERS: Record<EdgeTableFormat, EdgeRowReader> = {
  cloudfront: {
    recordOf: (row, minuteStartMs) => {
      const record = parseCloudFrontLine(cloudFrontLineOf(row, minuteStartMs), DEFAULT_CLOUDFRONT_LAYOUT);
      return record.kind === 'cloudfront' ? record : null;
    },
    coverageOf: (row) => coverageBetween(Date.parse(`${row.first_time ?? ''}Z`), Date.parse(`${row.last_time ?? ''}Z`)),
  },
  cloudflare: {
    recordOf: (row, minuteStartMs) => {
      const record = cloudflareRecord(logpushObjectOf(row, minuteStartMs));
      return record.kind === 'cloudflare' ? record : null;
    },
    coverageOf: (row) => coverageBetween(epochMs(row.first_ms), epochMs(row.last_ms)),
  },
};

const DETAILED_AT = CLOUDFRONT_FIELDS.indexOf('x-edge-detailed-result-type');

export function edgeCountsFromRows(
  rows: readonly AthenaRow[],
  window: TimeWindow,
  format: EdgeTableFormat = 'cloudfront',
): EdgeCounts {
  const reader = EDGE_ROW_READERS[format];
  const minutes = windowMinutes(window);
  const counts: EdgeCounts = {
    entries: zeroCounts(minutes),
    requests: zeroCounts(minutes),
    all5xx: zeroCounts(minutes),
    minted: zeroCounts(minutes),
    passed: zeroCounts(minutes),
    byCode: { all5xx: {}, minted: {}, passed: {} },
    coverage: null,
    unreadableRows: 0,
  };
  for (const row of rows) {
    const entries = Number(row.entries ?? 0);
    if (row.part_name === 'span') {
      counts.coverage = reader.coverageOf(row);
      continue;
    }
    const minute = minuteIndex(row.minute_key, window, minutes);
    if (minute === -1) {
      counts.unreadableRows += entries;
      continue;
    }
    if (row.part_name === 'all') counts.entries[minute]! += entries;
    else if (row.part_name === 'index') counts.requests[minute]! += entries;
    else if (row.part_name === 'index_5xx')
      add5xx(counts, minute, reader.recordOf(row, window.start.getTime() + minute * MINUTE_MS), entries);
  }
  return counts;
}

function add5xx(counts: EdgeCounts, minute: number, record: EdgeRecord | null, entries: number): void {
  if (record === null || !/^5\d\d$/.test(record.status)) {
    counts.unreadableRows += entries;
    return;
  }
  const status = record.status;
  counts.all5xx[minute]! += entries;
  bump(counts.byCode.all5xx, status, entries);
  // 'none' (a log that cannot say who answered) counts in neither: unknown, never assumed.
  if (isMintedByProxy(record.answeredBy)) {
    counts.minted[minute]! += entries;
    bump(counts.byCode.minted, status, entries);
  } else if (record.answeredBy === 'server') {
    counts.passed[minute]! += entries;
    bump(counts.byCode.passed, status, entries);
  }
}

/**
 * The group as a line of the documented layout. A NULL detailed result type is a file that did
 * not log the field (fewer columns, the table fills NULL): the line then stops before it, as
 * the file's did, so the parser falls back to x-edge-result-type exactly as it does for the file.
 */
function cloudFrontLineOf(row: AthenaRow, minuteStartMs: number): string {
  const fields: string[] = CLOUDFRONT_FIELDS.map(() => '-');
  const [date, time] = new Date(minuteStartMs).toISOString().slice(0, 19).split('T') as [string, string];
  fields[DEFAULT_CLOUDFRONT_LAYOUT.date] = date;
  fields[DEFAULT_CLOUDFRONT_LAYOUT.time] = time;
  fields[DEFAULT_CLOUDFRONT_LAYOUT.status] = row.sc_status ?? '-';
  fields[DEFAULT_CLOUDFRONT_LAYOUT.resultType] = row.result_type ?? '-';
  const detailed = row.detailed_type ?? null;
  if (detailed === null) return fields.slice(0, DETAILED_AT).join('\t');
  fields[DETAILED_AT] = detailed;
  return fields.join('\t');
}

/**
 * The group as the Logpush object the files parser reads: the three grouped fields as the table
 * gave them (a NULL is a field the job did not send, so it is left out as the file left it out),
 * and the minute's start as the time.
 */
function logpushObjectOf(row: AthenaRow, minuteStartMs: number): JsonObject {
  const entry: JsonObject = { EdgeStartTimestamp: minuteStartMs };
  if (row.edge_status != null) entry.EdgeResponseStatus = row.edge_status;
  if (row.origin_status != null) entry.OriginResponseStatus = row.origin_status;
  if (row.cache_status != null) entry.CacheCacheStatus = row.cache_status;
  return entry;
}

/** "2026-06-18T19:41" → its index in the window, or -1. */
function minuteIndex(key: string | null | undefined, window: TimeWindow, minutes: number): number {
  if (!key || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(key)) return -1;
  const index = (Date.parse(`${key}:00Z`) - window.start.getTime()) / MINUTE_MS;
  return Number.isInteger(index) && index >= 0 && index < minutes ? index : -1;
}

function coverageBetween(first: number, last: number): EdgeCounts['coverage'] {
  return Number.isNaN(first) || Number.isNaN(last) ? null : { firstMs: first, lastMs: last };
}

/** A whole number of epoch ms as the result gives it ("1781806260000"); NaN otherwise. */
function epochMs(text: string | null | undefined): number {
  return text != null && /^\d{1,16}$/.test(text) ? Number(text) : NaN;
}
