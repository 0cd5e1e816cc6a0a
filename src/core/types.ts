import type { AccessLogSample } from './report.js';

/**
 * The shared vocabulary of why502: what an investigation asks, the evidence it gathers and
 * what it concludes. Pure data, no behaviour; every module speaks these types.
 */

/** A zone as the user gave it, resolved. Fixed zones are abbreviations or numeric offsets. */
export type ResolvedZone =
  | { kind: 'fixed'; label: string; offsetMinutes: number }
  | { kind: 'iana'; label: string; name: string };

/** The time the user asked about, resolved to an instant. */
export interface AskedTime {
  /** The time and zone exactly as typed, e.g. "05:41 AEST". */
  input: string;
  zone: ResolvedZone;
  /** The zone's UTC offset at the asked instant, "+10:00". */
  utcOffset: string;
  /** The exact instant asked (seconds kept). */
  instant: Date;
  /** Start of the minute containing `instant`, UTC. */
  at: Date;
  /** Notes for the user: AEST/AEDT disagreement, DST gaps and overlaps, window clipping… */
  notes: string[];
}

/** Inclusive minute indexes into a window: [first, last]. */
export type MinuteRange = [number, number];

/** A half-open interval [start, end) aligned to whole minutes. */
export interface TimeWindow {
  start: Date;
  end: Date;
}

export interface InvestigationCommand {
  index: string;
  asked: AskedTime;
  window: TimeWindow;
  noDraft: boolean;
  /**
   * A window longer than a day (`--window 14d`, issue 13): read by the hour for bursts that recur
   * at the same hour on several days. `window` stays the default width around the asked minute,
   * judged by the minute as always. Absent for ordinary windows.
   */
  patternWindow?: TimeWindow;
}

/** The signals of CONTRACT §3, plus context signals the verdict uses. */
export const CONTRACT_SIGNAL_NAMES = [
  'requests',
  'origin_5xx',
  'throttled_429',
  'target_5xx',
  'target_connection_errors',
  'elb_502',
  'elb_502_index',
  'elb_503',
  'elb_504',
  'slow_requests',
] as const;
export const CONTEXT_SIGNAL_NAMES = [
  /** All requests through the load balancer (all tenants): the denominator for LB-wide rates. */
  'lb_requests',
  /** Requests the origin proxy logged for this index (to see it "go quiet" when targets die). */
  'proxy_requests',
  /** 4xx the targets returned for this index (ALB's view of the proxy's 429s). */
  'target_4xx',
  /** LB-minted 503/504 for this index only (files mode). */
  'elb_503_index',
  'elb_504_index',
  /** Minimum healthy / maximum unhealthy targets per minute (metrics mode). */
  'healthy_hosts',
  'unhealthy_hosts',
  /** The index's requests as the edge (CloudFront, Cloudflare) saw them. */
  'edge_requests',
] as const;
/** CONTRACT §3 and §11: the signals of an edge layer, present when edge logs were read. */
export const EDGE_SIGNAL_NAMES = [
  /** 5xx the customer's client received from the edge. */
  'edge_5xx',
  /** 5xx the edge made itself (Cloudflare 520–527/530 or origin status 0, CloudFront Origin*Error). */
  'edge_minted_5xx',
  /** The origin's 5xx, passed through by the edge. */
  'edge_passed_5xx',
] as const;
export type ContractSignalName = (typeof CONTRACT_SIGNAL_NAMES)[number];
export type ContextSignalName = (typeof CONTEXT_SIGNAL_NAMES)[number];
export type EdgeSignalName = (typeof EDGE_SIGNAL_NAMES)[number];
export type SignalName = ContractSignalName | ContextSignalName | EdgeSignalName;

export type SignalScope = 'index' | 'loadBalancer';
export type SignalStatus = 'ok' | 'partial' | 'unavailable';

/**
 * One signal over the evidence window, one count per minute.
 * `counts[i]` is the minute starting at `window.start + i minutes`.
 * `counts` is null exactly when status is "unavailable": a signal that was not measured has
 * no numbers, never zeros.
 */
export interface SignalSeries {
  scope: SignalScope;
  status: SignalStatus;
  /** Why the signal is unavailable or partial. */
  reason?: string;
  /** Where the numbers came from, e.g. "ALB access logs", "Logs Insights /prod/haproxy". */
  source?: string;
  counts: number[] | null;
  /** Window totals by status code, e.g. {"502": 3, "504": 1}. */
  byCode?: Record<string, number>;
  /** Window totals by HAProxy termination state, e.g. {"PR--": 43930}. */
  byTermination?: Record<string, number>;
  /**
   * Minutes the signal's source did not cover (holes in the logs, minutes before the first or
   * after the last entry), as inclusive [first, last] minute indexes, in order. Counts there
   * are placeholders, never measurements: they are left out of every total, peak, baseline and
   * per-minute series. Absent or empty: every minute was covered.
   */
  uncovered?: MinuteRange[];
}

export type SignalMap = Record<ContractSignalName, SignalSeries> &
  Partial<Record<ContextSignalName | EdgeSignalName, SignalSeries>>;

export type SourceStatusValue = 'complete' | 'partial' | 'failed' | 'not_configured';
export interface SourceStatus {
  name: string;
  status: SourceStatusValue;
  detail?: string;
}

/** Facts beyond per-minute counts that the verdict needs. Null means "not known". */
export interface EvidenceContext {
  idleTimeoutSeconds: number;
  slowRequestSeconds: number;
  /** Distinct target groups (tenants) with LB-minted 502s in the window. */
  elb502TargetGroups: number | null;
  /** Distinct target groups seen on the load balancer in the window. */
  targetGroupsSeen: number | null;
  /** Metric period in seconds when metrics were coarser than a minute (CloudWatch retention). */
  metricPeriodSeconds?: number;
  /** The stack the logs came from: advice fits it (GCP's front end has a fixed 600 s keep-alive). Default ALB. */
  stack?: { loadBalancer: 'alb' | 'gcp'; edge?: 'cloudfront' | 'cloudflare' };
  /**
   * Every target group (tenant) the access logs saw, with its LB-minted 502s per minute, so the
   * verdict can tell this index's errors from a neighbour's incident. Null when the access logs
   * were not read (CloudWatch metrics have no per-target-group LB-minted count).
   */
  tenants?: TenantActivity[] | null;
}

/** One target group behind the load balancer, as the access logs saw it over the window. */
export interface TenantActivity {
  /** Its index name when the config names it, else the target group's name from its ARN. */
  name: string;
  /** True for the target group of the investigated index. */
  isIndex: boolean;
  requests: number;
  /** LB-minted 502s per minute of the window (same length as the signals' counts). */
  elb502: number[];
  /** LB-minted 503s and 504s over the window. */
  elb503Total: number;
  elb504Total: number;
}

export interface Evidence {
  index: string;
  /** Up to 30 access-log rows of the index's LB-minted 5xx, nearest the asked minute (CONTRACT §9). */
  samples?: AccessLogSample[];
  /** Start of the asked minute, UTC. */
  at: Date;
  window: TimeWindow;
  signals: SignalMap;
  sources: SourceStatus[];
  context: EvidenceContext;
}

export const VERDICT_KINDS = [
  'throttling_429',
  'keepalive_race',
  'origin_5xx',
  'target_unreachable',
  'origin_timeout',
  'no_healthy_targets',
  'no_errors',
  'inconclusive',
] as const;
export type VerdictKind = (typeof VERDICT_KINDS)[number];
export type Confidence = 'high' | 'medium' | 'low';

export interface Finding {
  kind: VerdictKind;
  /** One sentence. */
  headline: string;
  confidence: Confidence;
  /** Rows of evidence that decided it, citing numbers and minutes. */
  reasons: string[];
  /** What to do next. */
  advice: string[];
  /**
   * The numbers behind the finding, for templates and renderers (see FACT KEYS in
   * src/verdict/facts.ts). Times are ISO 8601 UTC minute starts; rates are percentages.
   */
  facts: FindingFacts;
  /** What changed around the errors (CONTRACT §9), only what was measured; absent when nothing was looked at. */
  causes?: Cause[];
}

export type FindingFacts = Record<string, number | string>;

export const CAUSE_KINDS = [
  'deploy',
  'scale_in',
  'scale_out',
  'restart',
  'oom_kill',
  'cpu_saturation',
  'health_check_failures',
  'config_change',
  'idle_timeout_mismatch',
] as const;
export type CauseKind = (typeof CAUSE_KINDS)[number];

/** A change or condition behind a finding's errors (CONTRACT §9). */
export interface Cause {
  kind: CauseKind;
  /** ISO 8601 UTC instant, or null for a standing configuration. */
  at: string | null;
  /** One sentence, naming the object by its short name. */
  what: string;
  /** The event, metric or setting that shows it. */
  evidence: string;
}

export type DraftGenerator = 'template' | 'openai';
/** Redraft tones (Slack buttons, --draft-tone). */
export const DRAFT_TONES = ['neutral', 'shorter', 'technical', 'warmer'] as const;
export type DraftTone = (typeof DRAFT_TONES)[number];

/** Report formats (--format): the renderers of commands/output.ts, one each. */
export const REPORT_FORMATS = ['text', 'json', 'markdown'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** Where an investigation's views come from when chosen as one (--source, config `source`). */
export const EVIDENCE_SOURCES = ['cloudwatch', 'files'] as const;
export type EvidenceSourceChoice = (typeof EVIDENCE_SOURCES)[number];
export interface CustomerDraft {
  text: string;
  generator: DraftGenerator;
  note?: string;
}

/** Formats instants for people: the asked zone first, UTC second. Injected into pure code. */
export interface TimeFormatter {
  /** "05:41 AEST (19:41 UTC)" */
  minute(instant: Date): string;
  /** "05:29–05:40 AEST (19:29–19:40 UTC)" */
  range(start: Date, endInclusive: Date): string;
  /** "05:41" in the asked zone only. */
  localClock(instant: Date): string;
  /** "19 Jun" in the asked zone. */
  localDate(instant: Date): string;
  /** The asked zone's label as shown, "AEST". */
  zoneLabel: string;
}
