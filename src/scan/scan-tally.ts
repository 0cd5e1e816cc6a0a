import type { LbLineSummary } from '../parsers/alb-line.js';
import type { ProxyLine } from '../parsers/proxy-line.js';

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
  /** "haproxy-http", "nginx-ingress", and HAProxy lines that are not HTTP answers ("tcplog", "connect_from"…). */
  byKind: Record<string, number>;
  /** ingress-nginx only: upstream_status values verbatim. */
  byUpstreamStatus: Record<string, number>;
  unreadable?: string[];
}

export interface ScanJson {
  alb: AlbScanJson | null;
  proxy: ProxyScanJson | null;
}

// Tallies count in Map cells while counting (the hot path: one lookup per count) and become
// plain objects at the end.
type Counter = Map<string, { n: number }>;
const bump = (counter: Counter, key: string, by = 1) => {
  const cell = counter.get(key);
  if (cell) cell.n += by;
  else counter.set(key, { n: by });
};
const toObject = (counter: Counter) =>
  Object.fromEntries([...counter.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([key, cell]) => [key, cell.n]));
const iso = (ms: number) => (Number.isFinite(ms) ? new Date(ms).toISOString() : null);

export class AlbScanTally {
  lines = 0;
  malformed = 0;
  private firstMs = Infinity;
  private lastMs = -Infinity;
  private readonly elbStatus: Counter = new Map();
  private readonly targetStatus: Counter = new Map();
  private readonly type: Counter = new Map();
  private readonly kind: Counter = new Map();

  add(entry: LbLineSummary): void {
    this.lines++;
    if (entry.kind === 'malformed') {
      this.malformed++;
      return;
    }
    bump(this.kind, entry.kind);
    if (entry.timeMs < this.firstMs) this.firstMs = entry.timeMs;
    if (entry.timeMs > this.lastMs) this.lastMs = entry.timeMs;
    if (entry.kind === 'nlb') return;
    bump(this.elbStatus, entry.elbStatus);
    bump(this.targetStatus, entry.targetStatus);
    if (entry.kind === 'alb') bump(this.type, entry.type);
  }

  /** Folds another tally in (scans run in parallel workers). */
  merge(other: AlbScanJson): void {
    this.lines += other.lines;
    this.malformed += other.malformed;
    if (other.first) this.firstMs = Math.min(this.firstMs, Date.parse(other.first));
    if (other.last) this.lastMs = Math.max(this.lastMs, Date.parse(other.last));
    mergeInto(this.elbStatus, other.byElbStatus);
    mergeInto(this.targetStatus, other.byTargetStatus);
    mergeInto(this.type, other.byType);
    mergeInto(this.kind, other.byKind);
  }

  toJson(): AlbScanJson {
    return {
      lines: this.lines,
      malformed: this.malformed,
      first: iso(this.firstMs),
      last: iso(this.lastMs),
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
  private firstMs = Infinity;
  private lastMs = -Infinity;
  private readonly status: Counter = new Map();
  private readonly termination: Counter = new Map();
  private readonly kind: Counter = new Map();
  private readonly upstreamStatus: Counter = new Map();

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
    if (entry.timeMs < this.firstMs) this.firstMs = entry.timeMs;
    if (entry.timeMs > this.lastMs) this.lastMs = entry.timeMs;
    bump(this.status, entry.status);
    if (entry.termination !== null) bump(this.termination, entry.termination);
    if (entry.upstreamStatus !== null) bump(this.upstreamStatus, entry.upstreamStatus);
  }

  /** Folds another tally in (scans run in parallel workers). */
  merge(other: ProxyScanJson): void {
    this.lines += other.lines;
    this.malformed += other.malformed;
    if (other.first) this.firstMs = Math.min(this.firstMs, Date.parse(other.first));
    if (other.last) this.lastMs = Math.max(this.lastMs, Date.parse(other.last));
    mergeInto(this.status, other.byStatus);
    mergeInto(this.termination, other.byTermination);
    mergeInto(this.kind, other.byKind);
    mergeInto(this.upstreamStatus, other.byUpstreamStatus);
  }

  toJson(): ProxyScanJson {
    return {
      lines: this.lines,
      malformed: this.malformed,
      first: iso(this.firstMs),
      last: iso(this.lastMs),
      byStatus: toObject(this.status),
      byTermination: toObject(this.termination),
      byKind: toObject(this.kind),
      byUpstreamStatus: toObject(this.upstreamStatus),
    };
  }
}

function mergeInto(counter: Counter, values: Record<string, number>): void {
  for (const [key, count] of Object.entries(values)) bump(counter, key, count);
}
