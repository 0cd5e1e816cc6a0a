/**
 * Reads the rows of edge-cloudfront-counts.sql into the edge view's per-minute counts, with the
 * files parser's own rules: each (status, result type, detailed result type) group of the
 * index's 5xx is rebuilt as a CloudFront line and read by parseCloudFrontLine, so who made the
 * 5xx (the edge, or the origin behind it) is decided in one place for both providers. Pure.
 */
import type { TimeWindow } from '../../core/types.js';
import { bump, MINUTE_MS, windowMinutes, zeroCounts } from '../../evidence/minute-buckets.js';
import { isMintedByProxy } from '../../parsers/answer-facts.js';
import { CLOUDFRONT_FIELDS, DEFAULT_CLOUDFRONT_LAYOUT, parseCloudFrontLine } from '../../parsers/cloudfront-line.js';
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

const DETAILED_AT = CLOUDFRONT_FIELDS.indexOf('x-edge-detailed-result-type');

export function edgeCountsFromRows(rows: readonly AthenaRow[], window: TimeWindow): EdgeCounts {
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
      counts.coverage = coverageOf(row);
      continue;
    }
    const minute = minuteIndex(row.minute_key, window, minutes);
    if (minute === -1) {
      counts.unreadableRows += entries;
      continue;
    }
    if (row.part_name === 'all') counts.entries[minute]! += entries;
    else if (row.part_name === 'index') counts.requests[minute]! += entries;
    else if (row.part_name === 'index_5xx') add5xx(counts, minute, row, entries);
  }
  return counts;
}

function add5xx(counts: EdgeCounts, minute: number, row: AthenaRow, entries: number): void {
  const status = row.sc_status ?? '';
  const record = parseCloudFrontLine(lineOf(row, `${row.minute_key}:00`), DEFAULT_CLOUDFRONT_LAYOUT);
  if (record.kind !== 'cloudfront' || !/^5\d\d$/.test(status)) {
    counts.unreadableRows += entries;
    return;
  }
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
function lineOf(row: AthenaRow, minuteStart: string): string {
  const fields: string[] = CLOUDFRONT_FIELDS.map(() => '-');
  const [date, time] = minuteStart.split('T') as [string, string];
  fields[DEFAULT_CLOUDFRONT_LAYOUT.date] = date;
  fields[DEFAULT_CLOUDFRONT_LAYOUT.time] = time;
  fields[DEFAULT_CLOUDFRONT_LAYOUT.status] = row.sc_status ?? '-';
  fields[DEFAULT_CLOUDFRONT_LAYOUT.resultType] = row.result_type ?? '-';
  const detailed = row.detailed_type ?? null;
  if (detailed === null) return fields.slice(0, DETAILED_AT).join('\t');
  fields[DETAILED_AT] = detailed;
  return fields.join('\t');
}

/** "2026-06-18T19:41" → its index in the window, or -1. */
function minuteIndex(key: string | null | undefined, window: TimeWindow, minutes: number): number {
  if (!key || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(key)) return -1;
  const index = (Date.parse(`${key}:00Z`) - window.start.getTime()) / MINUTE_MS;
  return Number.isInteger(index) && index >= 0 && index < minutes ? index : -1;
}

function coverageOf(row: AthenaRow): EdgeCounts['coverage'] {
  const first = Date.parse(`${row.first_time ?? ''}Z`);
  const last = Date.parse(`${row.last_time ?? ''}Z`);
  return Number.isNaN(first) || Number.isNaN(last) ? null : { firstMs: first, lastMs: last };
}
