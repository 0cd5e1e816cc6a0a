import type { AccessLogSample } from '../core/report.js';
import type { MinuteRange, SignalMap, SignalName, SignalSeries, SourceStatus } from '../core/types.js';
import type { AlbCounts } from './alb-counts.js';

/**
 * An investigation's evidence comes in three views, each filled by whichever provider the
 * config or the flags give it, then combined in one pure step (combineViews):
 *
 *   view          providers                         what it measures
 *   access logs   log files, Athena over S3         every ALB counter, per tenant, sample rows
 *   ALB metrics   CloudWatch GetMetricData          target-group and LB counts, connection
 *                                                   errors, target health, response time
 *   proxy         log files, Logs Insights          the origin proxy's own answers
 *
 * A provider never throws for a source failure: it says so in `problem` and `sources`.
 */

/** Why a view's numbers cannot be taken as measurements of the whole window, if they cannot. */
export interface ViewProblem {
  /** partial: measured, with holes or damage (named); unavailable: nothing usable. */
  status: 'partial' | 'unavailable';
  reason: string;
}

export interface AccessLogView {
  /** The signals' `source`: "ALB access logs", "Athena lb_logs.alb_access_logs". */
  name: string;
  /** The counters, or null when nothing was measured (never zeros in its place). */
  counts: AlbCounts | null;
  /** Minutes the logs did not cover (holes, before the first and after the last entry). */
  uncovered: MinuteRange[];
  problem: ViewProblem | null;
  /** Entries in the window of any index, and of those the index's: none for the index is a config mismatch. */
  inWindow: number | null;
  forIndex: number | null;
  /** The index's LB-minted 5xx rows nearest the asked minute (CONTRACT §9), or null when not read. */
  samples: AccessLogSample[] | null;
  sources: SourceStatus[];
  /** Signals this provider measures beyond the ALB's counters (a GCP load balancer logs its failed connections). */
  extraSignals?: Partial<Record<SignalName, SignalSeries>>;
  /** Which load balancer wrote the logs (default ALB). */
  loadBalancer?: 'alb' | 'gcp';
}

/** The proxy view's signals: the same four whatever the provider. */
export type ProxySignals = Record<'requests' | 'origin_5xx' | 'throttled_429' | 'slow_requests', SignalSeries>;

export interface ProxyView {
  name: string;
  /** Null when nothing was measured. */
  signals: ProxySignals | null;
  uncovered: MinuteRange[];
  problem: ViewProblem | null;
  inWindow: number | null;
  forIndex: number | null;
  /**
   * Whether a minute with no entry for the index, while the load balancer counted requests for
   * it, is a hole (true for a log group queried with the index's filter, where a busy proxy's
   * silence can only be missing events) — files mode finds its holes from every index's lines.
   */
  silenceIsHoleWhenAlbBusy: boolean;
  sources: SourceStatus[];
}

export interface MetricsView {
  /** What GetMetricData measured, keyed by signal. */
  signals: Partial<SignalMap>;
  sources: SourceStatus[];
  /** 60, or coarser when the window is older than CloudWatch keeps 1-minute data. */
  periodSeconds: number;
  /** The ALB's TargetResponseTime maximum per minute, for the reason when slow requests are not counted. */
  responseTimeMaxSeconds: Array<number | null> | null;
}

/** A view nobody configured (or whose provider could not even start): why, for the signals' reasons. */
export interface AbsentView {
  absent: true;
  /** "no ALB access logs given (--alb-logs)", "aws.loadBalancer is not set" … */
  reason: string;
  /** True when a provider was given the view but had nothing usable (files of the wrong kind, a failed query). */
  attempted: boolean;
  sources: SourceStatus[];
}

/** The edge layer in front of the load balancer (CloudFront, Cloudflare): what the client got, and who made it. */
export interface EdgeView {
  name: string;
  kind: 'cloudfront' | 'cloudflare';
  signals: Record<'edge_requests' | 'edge_5xx' | 'edge_minted_5xx' | 'edge_passed_5xx', SignalSeries>;
  uncovered: MinuteRange[];
  problem: ViewProblem | null;
  sources: SourceStatus[];
}

export interface Views {
  accessLogs: AccessLogView | AbsentView;
  metrics: MetricsView | AbsentView;
  proxy: ProxyView | AbsentView;
  /** Absent unless edge logs were given. */
  edge?: EdgeView | AbsentView;
}

export function isPresent<T extends object>(view: T | AbsentView): view is T {
  return !('absent' in view);
}

/** A view nobody configured. */
export function absentView(reason: string, sources: SourceStatus[] = []): AbsentView {
  return { absent: true, reason, attempted: false, sources };
}

/** A view a provider was given but could not fill: its signals are unavailable for this reason, not stood in for. */
export function failedView(reason: string, sources: SourceStatus[]): AbsentView {
  return { absent: true, reason, attempted: true, sources };
}
