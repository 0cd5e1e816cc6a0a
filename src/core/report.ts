/**
 * The investigation document of CONTRACT §6 / contract/why502.schema.json: what
 * `--format json` prints, what Slack and the draft are rendered from.
 */
import type { DraftGenerator, Finding, SignalScope, SignalStatus, SourceStatus } from './types.js';

export interface MinuteCountJson {
  minute: string; // ISO 8601 UTC, "2026-06-18T19:41:00Z"
  count: number;
}

export interface SignalJson {
  status: SignalStatus;
  reason?: string;
  scope: SignalScope;
  source?: string;
  window: number | null;
  atMinute: number | null;
  peak: MinuteCountJson | null;
  perMinute: MinuteCountJson[];
  byCode?: Record<string, number>;
  byTermination?: Record<string, number>;
}

/**
 * CONTRACT §9: one access-log row of an LB-minted 5xx for the index, for the engineer's eyes
 * only (never in the customer draft, never sent to a model).
 */
export interface AccessLogSample {
  /** The row's own time, ISO 8601 UTC as the ALB logged it (microseconds kept). */
  time: string;
  elbStatusCode: number;
  /** "-" when the target never answered (the load balancer minted the error). */
  targetStatusCode: string;
  /** "ip:port", or "-" when no target was chosen. */
  target: string;
  targetGroup?: string;
  /** Method and path, without the query string: "GET /indexes/prod_000_audio/search". */
  request: string;
  traceId?: string;
}

/**
 * One target group (tenant) behind the load balancer as the access logs saw it over the
 * window: "is it everyone or just us?". Present only when access logs were read.
 */
export interface TenantJson {
  /** Its index name when the config names it, else the target group's name. */
  name: string;
  isIndex: boolean;
  requests: number;
  /** LB-minted errors over the window. */
  elb502: number;
  elb503: number;
  elb504: number;
  /** LB-minted 502s per minute, only the minutes that had any (ISO 8601 UTC). */
  elb502PerMinute: MinuteCountJson[];
}

/** At most this many samples travel in a report, nearest the asked minute first. */
export const MAX_SAMPLES = 30;

/** A finding in the document is the finding itself: pure data, already JSON-shaped. */
export type FindingJson = Finding;

export interface ReportJson {
  schemaVersion: 1;
  index: string;
  asked: { input: string; zone: string; utcOffset: string; notes: string[] };
  at: string;
  window: { start: string; end: string };
  sources: SourceStatus[];
  signals: Record<string, SignalJson>;
  verdict: FindingJson;
  findings: FindingJson[];
  draft?: { text: string; generator: DraftGenerator; note?: string };
  samples?: AccessLogSample[];
  tenants?: TenantJson[];
  /** A --window over 24h: the days up to the question read by the hour, and what recurred daily (issue 13). */
  patterns?: PatternsJson;
  /** What changed around the errors and was set aside (not causes), and the change sources' limits (issue 13). */
  changes?: { context: Array<{ at: string | null; what: string; evidence: string }>; notes: string[] };
  /** The settings and scope the verdict was judged with, so a follow-up can judge again the same way (CONTRACT §10). */
  context?: ReportContextJson;
}

export interface ReportContextJson {
  idleTimeoutSeconds: number;
  slowRequestSeconds: number;
  /** Target groups the access logs saw; null when not measured (metrics alone). */
  targetGroupsSeen: number | null;
  /** Present when CloudWatch gave coarser than one-minute points (older data). */
  metricPeriodSeconds?: number;
  /** The stack the logs came from, when not an ALB alone (CONTRACT §11). */
  stack?: { loadBalancer: 'alb' | 'gcp'; edge?: 'cloudfront' | 'cloudflare' };
}

/** The pattern window's findings as the report carries them (src/patterns/judge-patterns.ts, as JSON). */
export interface PatternsJson {
  /** The whole hours read, UTC. */
  window: { start: string; end: string };
  bucketMinutes: 60;
  /** The signal the patterns were looked for in, and where it came from; null when none was measured. */
  judged: { signal: string; provider: string; source: string } | null;
  /** Bursts that recur at the same hour on several days. */
  daily: Array<{ hourUtc: number; days: string[]; daysMeasured: number; what: string; evidence: string }>;
  /** Every hourly series read: counts per hour from `window.start`, null where not measured. */
  series: Array<{
    signal: string;
    provider: string;
    source: string;
    status: string;
    reason?: string;
    counts: Array<number | null> | null;
  }>;
  /** The note, in the asked zone: what recurred, or why nothing could be said. */
  lines: string[];
  sources: SourceStatus[];
}
