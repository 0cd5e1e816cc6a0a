/**
 * Reads the rows of alb-counts.sql into the ALB view's AlbCounts — the record files mode fills
 * line by line in AlbTally — with the same rules: LB-minted = target status "-"; a target
 * status of three digits starting with 5 or 4 is a target 5xx or 4xx (429 also counted apart);
 * target groups keyed by the ARN as logged, "-" left out. Pure.
 */
import type { TimeWindow } from '../../core/types.js';
import { timeMicros } from '../../evidence/access-log-samples.js';
import { type AlbCounts, emptyAlbCounts } from '../../evidence/alb-counts.js';
import { bump, MINUTE_MS } from '../../evidence/minute-buckets.js';
import type { AthenaRow } from './result-rows.js';

export interface AlbCountsRead {
  counts: AlbCounts;
  /** Rows the table's regex could not parse (all columns NULL) in the day partitions read. */
  unparsedRows: number;
  /** Earliest and latest time of the parsed rows in the day partitions read (the window's and beyond), or null. */
  coverage: { firstMs: number; lastMs: number } | null;
  /** Result rows whose minute was not a minute of the window (a time the table parsed but no clock reads). */
  unreadableRows: number;
}

const MINTED_SLOT: Record<string, 0 | 1 | 2> = { '502': 0, '503': 1, '504': 2 };

export function albCountsFromRows(rows: readonly AthenaRow[], window: TimeWindow): AlbCountsRead {
  const counts = emptyAlbCounts(window);
  const read: AlbCountsRead = { counts, unparsedRows: 0, coverage: null, unreadableRows: 0 };
  for (const row of rows) {
    const entries = Number(row.entries ?? 0);
    const part = row.part_name ?? null;
    if (part === 'unparsed') read.unparsedRows += entries;
    else if (part === 'span') read.coverage = coverageOf(row);
    else if (part === 'group') addGroupRequests(counts, row.target_group, entries);
    else {
      const minute = minuteIndex(row.minute_key, window, counts.minutes);
      if (minute === -1) read.unreadableRows += entries;
      else addMinuteRow(counts, part, minute, row, entries);
    }
  }
  return read;
}

function addMinuteRow(counts: AlbCounts, part: string | null, minute: number, row: AthenaRow, entries: number): void {
  const perMinute = counts.perMinute;
  const minted = row.minted_status ?? null;
  if (part === 'lb') {
    perMinute.lbRequests[minute]! += entries;
    if (minted === '502') perMinute.elb502[minute]! += entries;
    else if (minted === '503') perMinute.elb503[minute]! += entries;
    else if (minted === '504') perMinute.elb504[minute]! += entries;
  } else if (part === 'index') {
    perMinute.requests[minute]! += entries;
    addTargetStatus(counts, minute, row.target_status ?? '', entries);
    if (minted === '502') perMinute.elb502Index[minute]! += entries;
    else if (minted === '503') perMinute.elb503Index[minute]! += entries;
    else if (minted === '504') perMinute.elb504Index[minute]! += entries;
  } else if (part === 'slow') {
    perMinute.slow[minute]! += entries;
  } else if (part === 'group_minted') {
    const arn = row.target_group;
    const slot = minted === null ? undefined : MINTED_SLOT[minted];
    if (arn === null || arn === undefined || slot === undefined) return;
    counts.targetGroups[arn] ??= { requests: 0, mintedByMinute: {} };
    const group = counts.targetGroups[arn];
    group.mintedByMinute[minute] ??= [0, 0, 0];
    const perSlot = group.mintedByMinute[minute];
    perSlot[slot] = perSlot[slot] + entries;
  }
}

function addTargetStatus(counts: AlbCounts, minute: number, target: string, entries: number): void {
  const perMinute = counts.perMinute;
  if (target.length === 3 && target.charCodeAt(0) === 53 /* 5 */) {
    perMinute.target5xx[minute]! += entries;
    bump(counts.target5xxByCode, target, entries);
  } else if (target.length === 3 && target.charCodeAt(0) === 52 /* 4 */) {
    perMinute.target4xx[minute]! += entries;
    bump(counts.target4xxByCode, target, entries);
    if (target === '429') perMinute.target429[minute]! += entries;
  }
}

function addGroupRequests(counts: AlbCounts, arn: string | null | undefined, entries: number): void {
  if (arn === null || arn === undefined) return;
  counts.targetGroups[arn] ??= { requests: 0, mintedByMinute: {} };
  const group = counts.targetGroups[arn];
  group.requests += entries;
}

/** "2026-06-18T19:41" → its index in the window, or -1. */
function minuteIndex(key: string | null | undefined, window: TimeWindow, minutes: number): number {
  if (!key || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(key)) return -1;
  const ms = Date.parse(`${key}:00Z`);
  const index = (ms - window.start.getTime()) / MINUTE_MS;
  return Number.isInteger(index) && index >= 0 && index < minutes ? index : -1;
}

function coverageOf(row: AthenaRow): AlbCountsRead['coverage'] {
  const first = timeMicros(row.first_time ?? '');
  const last = timeMicros(row.last_time ?? '');
  if (Number.isNaN(first) || Number.isNaN(last)) return null;
  return { firstMs: Math.floor(first / 1000), lastMs: Math.floor(last / 1000) };
}
