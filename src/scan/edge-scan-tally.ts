import type { EdgeLine } from '../parsers/edge-record.js';
import { AnswerTally } from './answer-tally.js';
import {
  bump,
  bumpNested,
  Counter,
  iso,
  mergeInto,
  mergeNestedInto,
  type NestedCounter,
  TimeRange,
  toNestedObject,
  toObject,
} from './scan-counter.js';

/** `scan --edge-logs` (CONTRACT §11): CloudFront and Cloudflare logs. */
export interface EdgeScanJson {
  lines: number;
  malformed: number;
  first: string | null;
  last: string | null;
  /** "cloudfront", "cloudflare", and "header" for CloudFront's #Version/#Fields lines. */
  byKind: Record<string, number>;
  /** What the clients received from the edge. */
  byStatus: Record<string, number>;
  byKindAndStatus: Record<string, Record<string, number>>;
  /** Who produced the status: "server" = the origin's, passed through; "proxy-upstream-failure" = minted by the edge because the origin failed… */
  byAnsweredBy: Record<string, number>;
  byUpstreamFailure: Record<string, number>;
  /** Who produced the 5xx only: minted by the edge, or passed through from the origin. */
  serverErrorsByAnsweredBy: Record<string, number>;
  /** CloudFront x-edge-detailed-result-type (else x-edge-result-type); Cloudflare CacheCacheStatus. */
  byDetail: Record<string, number>;
  /** Cloudflare OriginResponseStatus ("0": no request to the origin). */
  byOriginStatus: Record<string, number>;
  unreadable?: string[];
}

export class EdgeScanTally {
  lines = 0;
  malformed = 0;
  private readonly range = new TimeRange();
  private readonly kind = new Counter();
  private readonly status = new Counter();
  private readonly kindAndStatus: NestedCounter = new Map();
  private readonly answers = new AnswerTally();
  private readonly detail = new Counter();
  private readonly originStatus = new Counter();

  add(entry: EdgeLine): void {
    this.lines++;
    if (entry.kind === 'malformed') {
      this.malformed++;
      return;
    }
    bump(this.kind, entry.kind);
    if (entry.kind === 'header') return;
    this.range.add(entry.timeMs);
    bump(this.status, entry.status);
    bumpNested(this.kindAndStatus, entry.kind, entry.status);
    this.answers.add(entry.status, entry);
    if (entry.detail !== null) bump(this.detail, entry.detail);
    if (entry.originStatus !== null) bump(this.originStatus, entry.originStatus);
  }

  merge(other: EdgeScanJson): void {
    this.lines += other.lines;
    this.malformed += other.malformed;
    this.range.merge(other.first, other.last);
    mergeInto(this.kind, other.byKind);
    mergeInto(this.status, other.byStatus);
    mergeNestedInto(this.kindAndStatus, other.byKindAndStatus);
    this.answers.merge(other);
    mergeInto(this.detail, other.byDetail);
    mergeInto(this.originStatus, other.byOriginStatus);
  }

  toJson(): EdgeScanJson {
    return {
      lines: this.lines,
      malformed: this.malformed,
      first: iso(this.range.firstMs),
      last: iso(this.range.lastMs),
      byKind: toObject(this.kind),
      byStatus: toObject(this.status),
      byKindAndStatus: toNestedObject(this.kindAndStatus),
      ...this.answers.toJson(),
      byDetail: toObject(this.detail),
      byOriginStatus: toObject(this.originStatus),
    };
  }
}
