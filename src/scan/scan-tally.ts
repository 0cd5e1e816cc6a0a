import type { LbLineSummary } from '../parsers/alb-line.js';
import type { ProxyLine } from '../parsers/proxy-line.js';
import { AnswerTally } from './answer-tally.js';
import type { EdgeScanJson } from './edge-scan-tally.js';
import type { GcpLbScanJson } from './gcp-lb-scan-tally.js';
import {
  bump,
  Counter,
  iso,
  mergeInto,
  mergeNestedInto,
  type NestedCounter,
  sumNested,
  TimeRange,
  toNestedObject,
  toObject,
} from './scan-counter.js';

/** `why502 scan --format json`, CONTRACT §6: what is in these files. */
export interface AlbScanJson {
  lines: number;
  malformed: number;
  first: string | null;
  last: string | null;
  byElbStatus: Record<string, number>;
  byTargetStatus: Record<string, number>;
  byType: Record<string, number>;
  /** "alb", "classic-elb", "nlb": the formats recognised. */
  byKind: Record<string, number>;
  /** Files that could not be read to the end (corrupt or truncated .gz), with why; their lines up to the damage are counted. */
  unreadable?: string[];
}

export interface ProxyScanJson {
  lines: number;
  malformed: number;
  first: string | null;
  last: string | null;
  byStatus: Record<string, number>;
  byTermination: Record<string, number>;
  /**
   * The formats met: "haproxy-http", "nginx-ingress", "traefik-clf", "traefik-json", "envoy",
   * "envoy-json", and HAProxy (or Envoy TCP) lines that are not HTTP answers ("tcplog", "connect_from"…).
   */
  byKind: Record<string, number>;
  /** ingress-nginx upstream_status values and Traefik JSON OriginStatus values, verbatim. */
  byUpstreamStatus: Record<string, number>;
  /** Status counts within each format: {"traefik-json": {"200": 5, "502": 2}}. */
  byKindAndStatus: Record<string, Record<string, number>>;
  /** Who answered (the normalised fact every format fills): "server", "proxy-rule", "proxy-upstream-failure"… */
  byAnsweredBy: Record<string, number>;
  /** How the server failed, where the log says: "connect", "reset_before_response", "timeout", "no_healthy", "protocol". */
  byUpstreamFailure: Record<string, number>;
  /** Who answered the 5xx only. */
  serverErrorsByAnsweredBy: Record<string, number>;
  unreadable?: string[];
}

export interface ScanJson {
  alb: AlbScanJson | null;
  proxy: ProxyScanJson | null;
  /** --edge-logs (CloudFront, Cloudflare), CONTRACT §11; null when none were given. */
  edge: EdgeScanJson | null;
  /** --gcp-lb-logs, CONTRACT §11; null when none were given. */
  gcpLb: GcpLbScanJson | null;
}

export class AlbScanTally {
  lines = 0;
  malformed = 0;
  private readonly range = new TimeRange();
  private readonly elbStatus = new Counter();
  private readonly targetStatus = new Counter();
  private readonly type = new Counter();
  private readonly kind = new Counter();

  add(entry: LbLineSummary): void {
    this.lines++;
    if (entry.kind === 'malformed') {
      this.malformed++;
      return;
    }
    bump(this.kind, entry.kind);
    this.range.add(entry.timeMs);
    if (entry.kind === 'nlb') return;
    bump(this.elbStatus, entry.elbStatus);
    bump(this.targetStatus, entry.targetStatus);
    if (entry.kind === 'alb') bump(this.type, entry.type);
  }

  /** Folds another tally in (scans run in parallel workers). */
  merge(other: AlbScanJson): void {
    this.lines += other.lines;
    this.malformed += other.malformed;
    this.range.merge(other.first, other.last);
    mergeInto(this.elbStatus, other.byElbStatus);
    mergeInto(this.targetStatus, other.byTargetStatus);
    mergeInto(this.type, other.byType);
    mergeInto(this.kind, other.byKind);
  }

  toJson(): AlbScanJson {
    return {
      lines: this.lines,
      malformed: this.malformed,
      first: iso(this.range.firstMs),
      last: iso(this.range.lastMs),
      byElbStatus: toObject(this.elbStatus),
      byTargetStatus: toObject(this.targetStatus),
      byType: toObject(this.type),
      byKind: toObject(this.kind),
    };
  }
}

export class ProxyScanTally {
  lines = 0;
  malformed = 0;
  private readonly range = new TimeRange();
  private readonly termination = new Counter();
  private readonly kind = new Counter();
  private readonly upstreamStatus = new Counter();
  /** Statuses per format; `byStatus` is their sum. */
  private readonly kindAndStatus: NestedCounter = new Map();
  /** The status counter of the format seen last: a file's lines share their format. */
  private lastKind = '';
  private lastKindStatus = new Counter();
  private readonly answers = new AnswerTally();

  add(entry: ProxyLine): void {
    this.lines++;
    if (entry.kind === 'malformed') {
      this.malformed++;
      return;
    }
    if (entry.kind === 'other') {
      bump(this.kind, entry.otherKind);
      return;
    }
    bump(this.kind, entry.kind);
    this.range.add(entry.timeMs);
    if (entry.kind !== this.lastKind) this.switchKind(entry.kind);
    bump(this.lastKindStatus, entry.status);
    if (entry.termination !== null) bump(this.termination, entry.termination);
    if (entry.upstreamStatus !== null) bump(this.upstreamStatus, entry.upstreamStatus);
    this.answers.add(entry.status, entry);
  }

  /** Folds another tally in (scans run in parallel workers). */
  merge(other: ProxyScanJson): void {
    this.lines += other.lines;
    this.malformed += other.malformed;
    this.range.merge(other.first, other.last);
    mergeInto(this.termination, other.byTermination);
    mergeInto(this.kind, other.byKind);
    mergeInto(this.upstreamStatus, other.byUpstreamStatus);
    mergeNestedInto(this.kindAndStatus, other.byKindAndStatus);
    this.answers.merge(other);
  }

  toJson(): ProxyScanJson {
    return {
      lines: this.lines,
      malformed: this.malformed,
      first: iso(this.range.firstMs),
      last: iso(this.range.lastMs),
      byStatus: toObject(sumNested(this.kindAndStatus)),
      byTermination: toObject(this.termination),
      byKind: toObject(this.kind),
      byUpstreamStatus: toObject(this.upstreamStatus),
      byKindAndStatus: toNestedObject(this.kindAndStatus),
      ...this.answers.toJson(),
    };
  }

  private switchKind(kind: string): void {
    let counter = this.kindAndStatus.get(kind);
    if (counter === undefined) {
      counter = new Counter();
      this.kindAndStatus.set(kind, counter);
    }
    this.lastKind = kind;
    this.lastKindStatus = counter;
  }
}
