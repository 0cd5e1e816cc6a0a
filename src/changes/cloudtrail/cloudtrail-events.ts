/**
 * Pure: many CloudTrail records read as changes in scope, with a tally of what was left out and
 * why — LookupEvents answers (`Events[].CloudTrailEvent`, a JSON string) and trail log files
 * (`Records[]`) alike.
 */
import type { ChangeEvent } from '../change-event.js';
import { type ChangeScope, inScope } from '../change-scope.js';
import { asObject, type CloudTrailRecord, readCloudTrailRecord } from './cloudtrail-record.js';

export interface CloudTrailTally {
  /** Records read. */
  records: number;
  /** Kept: writes in scope that changed something behind the load balancer. */
  kept: number;
  readOnly: number;
  failed: number;
  /** Writes of other kinds (RegisterTaskDefinition, tagging…). */
  notAChange: number;
  /** Writes to other load balancers, target groups or services. */
  outOfScope: number;
  malformed: number;
}

export interface CloudTrailReading {
  changes: ChangeEvent[];
  tally: CloudTrailTally;
}

export function emptyTally(): CloudTrailTally {
  return { records: 0, kept: 0, readOnly: 0, failed: 0, notAChange: 0, outOfScope: 0, malformed: 0 };
}

export function readCloudTrailRecords(
  records: readonly unknown[],
  scope: ChangeScope,
  source: string,
  tally = emptyTally(),
): CloudTrailReading {
  const changes: ChangeEvent[] = [];
  for (const record of records) {
    tally.records++;
    const outcome = readCloudTrailRecord(asObject(record) as CloudTrailRecord, source);
    if (outcome.kind === 'skipped') {
      if (outcome.why === 'read_only') tally.readOnly++;
      else if (outcome.why === 'failed') tally.failed++;
      else if (outcome.why === 'malformed') tally.malformed++;
      else tally.notAChange++;
      continue;
    }
    if (!inScope(outcome.references, scope)) {
      tally.outOfScope++;
      continue;
    }
    tally.kept++;
    changes.push(...outcome.changes);
  }
  return { changes, tally };
}

/**
 * A LookupEvents `Event` as the record it carries. `CloudTrailEvent` is the full record as a
 * JSON string (next-capabilities §4.1); when it cannot be read the outer fields still say when,
 * what and whether it was read-only, and the record is counted as malformed later.
 */
export function recordOfLookupEvent(event: unknown): CloudTrailRecord {
  const outer = asObject(event);
  const inner = typeof outer.CloudTrailEvent === 'string' ? parseJsonObject(outer.CloudTrailEvent) : null;
  if (inner) return inner as CloudTrailRecord;
  return {
    eventTime: outer.EventTime,
    eventSource: outer.EventSource,
    eventName: outer.EventName,
    readOnly: outer.ReadOnly,
  };
}

/** "N read, N kept; left out: N read-only, N failed calls, …" for a source's detail. */
export function describeTally(tally: CloudTrailTally): string {
  const left = [
    [tally.readOnly, 'read-only'],
    [tally.failed, 'failed calls'],
    [tally.outOfScope, 'on other resources'],
    [tally.notAChange, 'other writes'],
    [tally.malformed, 'unreadable'],
  ]
    .filter(([count]) => (count as number) > 0)
    .map(([count, what]) => `${count} ${what}`);
  return `${tally.records} events read, ${tally.kept} kept${left.length > 0 ? `; left out: ${left.join(', ')}` : ''}`;
}

function parseJsonObject(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}
