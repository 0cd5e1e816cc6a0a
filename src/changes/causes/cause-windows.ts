/**
 * Pure: "within minutes of the errors" made exact. A change is a cause of a span of errors only
 * when it falls in that span's window for its kind; anything else is context.
 *
 * The windows, and why:
 * - Failures (OOM kill, crash/restart, stopped task, failed health checks, node trouble):
 *   5 minutes before the first error minute to 2 after the last. A killed target fails its
 *   requests at once; what widens the window is the recording: probes fail for failureThreshold
 *   × periodSeconds (30 s by default) before a kill, the ALB marks a target unhealthy after
 *   2 × 30 s, ECS and the kubelet report seconds to a minute late, and errors are binned by minute.
 * - Scale-in, deregistration, draining: 10 minutes before to 1 after. A target is cut off when
 *   its deregistration delay ends (300 s by default) and its task is stopped after that.
 * - Deploys and configuration writes: 15 minutes before, and no later than the last error
 *   minute. A rolling deploy starts new tasks, waits for them to pass health checks (ALB
 *   default: 5 × 30 s) and only then drains the old ones; the write itself comes first.
 * - Scale-out: 10 minutes before to 1 minute after the errors began — later it is the reaction
 *   to the errors (an autoscaler adding capacity), not their cause.
 *
 * A flat background (keepalive_race, or a span of an hour or more) has no start to tie a
 * rollout to: only failures inside it, rollouts just before it began, and writes to settings
 * that produce errors by themselves (idle timeout, deregistration delay) before it ended count.
 */
import type { VerdictKind } from '../../core/types.js';
import type { ChangeEvent, ChangeKind } from '../change-event.js';

/** The errors of a finding: one burst, or the whole window for a flat background. `end` is exclusive. */
export interface ErrorSpan {
  kind: VerdictKind;
  start: Date;
  end: Date;
}

export interface CauseWindow {
  /** Minutes before the span's first error minute. */
  beforeMinutes: number;
  /** Minutes after the span's end; negative: before the end (scale-out: after its start, see below). */
  afterMinutes: number;
  /** When set, the change must come no later than this many minutes after the span STARTED. */
  afterStartMinutes?: number;
}

export const CAUSE_WINDOWS: Record<ChangeKind, CauseWindow> = {
  oom_kill: { beforeMinutes: 5, afterMinutes: 2 },
  container_restart: { beforeMinutes: 5, afterMinutes: 2 },
  task_stopped: { beforeMinutes: 5, afterMinutes: 2 },
  health_check_failed: { beforeMinutes: 5, afterMinutes: 2 },
  node_event: { beforeMinutes: 5, afterMinutes: 2 },
  scale_in: { beforeMinutes: 10, afterMinutes: 1 },
  targets_deregistered: { beforeMinutes: 10, afterMinutes: 1 },
  draining: { beforeMinutes: 10, afterMinutes: 1 },
  targets_registered: { beforeMinutes: 10, afterMinutes: 1 },
  deploy: { beforeMinutes: 15, afterMinutes: 0 },
  attribute_change: { beforeMinutes: 15, afterMinutes: 0 },
  config_change: { beforeMinutes: 15, afterMinutes: 0 },
  scale_out: { beforeMinutes: 10, afterMinutes: 0, afterStartMinutes: 1 },
};

const FAILURES: ReadonlySet<ChangeKind> = new Set([
  'oom_kill',
  'container_restart',
  'task_stopped',
  'health_check_failed',
  'node_event',
]);
/** Settings that produce errors by themselves, whenever they were set before the errors. */
const STANDING_KEYS: ReadonlySet<string> = new Set([
  'idle_timeout.timeout_seconds',
  'deregistration_delay.timeout_seconds',
]);
/** A span this long is a background, not a burst. */
const BACKGROUND_MINUTES = 60;
const MINUTE_MS = 60_000;

export function isBackground(span: ErrorSpan): boolean {
  return span.kind === 'keepalive_race' || span.end.getTime() - span.start.getTime() >= BACKGROUND_MINUTES * MINUTE_MS;
}

/** Where a change stands against a span: before its start, during it, or after its end, in minutes (≥ 0). */
export interface Relation {
  position: 'before' | 'during' | 'after';
  minutes: number;
}

export function relationTo(at: Date, span: ErrorSpan): Relation {
  const t = at.getTime();
  if (t < span.start.getTime()) return { position: 'before', minutes: (span.start.getTime() - t) / MINUTE_MS };
  if (t >= span.end.getTime()) return { position: 'after', minutes: (t - span.end.getTime()) / MINUTE_MS };
  return { position: 'during', minutes: 0 };
}

/** Whether `change` falls in `span`'s cause window for its kind. */
export function isWithinCauseWindow(change: ChangeEvent, span: ErrorSpan): boolean {
  const window = CAUSE_WINDOWS[change.kind];
  const t = change.at.getTime();
  const start = span.start.getTime();
  const from = start - window.beforeMinutes * MINUTE_MS;
  if (t < from) return isStandingSetting(change) && isBackground(span) && t < span.end.getTime();
  if (isBackground(span) && !FAILURES.has(change.kind) && !isStandingSetting(change)) {
    // A rollout in the middle of a flat background did not start it.
    return t <= start + Math.max(window.afterMinutes, 1) * MINUTE_MS;
  }
  if (window.afterStartMinutes !== undefined && t > start + window.afterStartMinutes * MINUTE_MS) return false;
  return t <= span.end.getTime() + window.afterMinutes * MINUTE_MS;
}

function isStandingSetting(change: ChangeEvent): boolean {
  return (
    change.kind === 'attribute_change' && change.attribute !== undefined && STANDING_KEYS.has(change.attribute.key)
  );
}

/** The span a change is a cause for: one it falls inside first, else the nearest whose window takes it. */
export function spanFor(
  change: ChangeEvent,
  spans: readonly ErrorSpan[],
): { span: ErrorSpan; relation: Relation } | null {
  let best: { span: ErrorSpan; relation: Relation } | null = null;
  for (const span of spans) {
    if (!isWithinCauseWindow(change, span)) continue;
    const relation = relationTo(change.at, span);
    if (!best || rank(relation) < rank(best.relation)) best = { span, relation };
  }
  return best;
}

/** The nearest span to a change, whatever its window: for the context's "2 h before the errors". */
export function nearestSpan(at: Date, spans: readonly ErrorSpan[]): { span: ErrorSpan; relation: Relation } | null {
  let best: { span: ErrorSpan; relation: Relation } | null = null;
  for (const span of spans) {
    const relation = relationTo(at, span);
    if (!best || rank(relation) < rank(best.relation)) best = { span, relation };
  }
  return best;
}

function rank(relation: Relation): number {
  return relation.position === 'during' ? -1 : relation.minutes;
}
