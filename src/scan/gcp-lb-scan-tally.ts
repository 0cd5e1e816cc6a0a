import type { GcpLbEntry } from '../parsers/gcp-lb-record.js';
import { AnswerTally } from './answer-tally.js';
import { bump, Counter, iso, mergeInto, TimeRange, toObject } from './scan-counter.js';

/** `scan --gcp-lb-logs` (CONTRACT §11): Google Cloud external Application Load Balancer request logs. */
export interface GcpLbScanJson {
  /** Log entries read: one per line in NDJSON, one per element in a JSON array file. */
  entries: number;
  malformed: number;
  first: string | null;
  last: string | null;
  byStatus: Record<string, number>;
  /** jsonPayload.statusDetails verbatim; "(none)" when an entry has none. */
  byStatusDetails: Record<string, number>;
  /** resource.labels.backend_service_name; "(none)" when empty (a backend bucket). */
  byBackendService: Record<string, number>;
  /** "server" = the backend chose the status; "proxy-upstream-failure" = the load balancer minted it because the backend failed… */
  byAnsweredBy: Record<string, number>;
  byUpstreamFailure: Record<string, number>;
  /** Who produced the 5xx only. */
  serverErrorsByAnsweredBy: Record<string, number>;
  unreadable?: string[];
}

const NONE = '(none)';

export class GcpLbScanTally {
  entries = 0;
  malformed = 0;
  private readonly range = new TimeRange();
  private readonly status = new Counter();
  private readonly statusDetails = new Counter();
  private readonly backendService = new Counter();
  private readonly answers = new AnswerTally();

  add(entry: GcpLbEntry): void {
    this.entries++;
    if (entry.kind === 'malformed') {
      this.malformed++;
      return;
    }
    this.range.add(entry.timeMs);
    bump(this.status, entry.status);
    bump(this.statusDetails, entry.statusDetails ?? NONE);
    bump(this.backendService, entry.backendService ?? NONE);
    this.answers.add(entry.status, entry);
  }

  merge(other: GcpLbScanJson): void {
    this.entries += other.entries;
    this.malformed += other.malformed;
    this.range.merge(other.first, other.last);
    mergeInto(this.status, other.byStatus);
    mergeInto(this.statusDetails, other.byStatusDetails);
    mergeInto(this.backendService, other.byBackendService);
    this.answers.merge(other);
  }

  toJson(): GcpLbScanJson {
    return {
      entries: this.entries,
      malformed: this.malformed,
      first: iso(this.range.firstMs),
      last: iso(this.range.lastMs),
      byStatus: toObject(this.status),
      byStatusDetails: toObject(this.statusDetails),
      byBackendService: toObject(this.backendService),
      ...this.answers.toJson(),
    };
  }
}
