/**
 * Pure: the findings with their causes (CONTRACT §9), from the change evidence gathered around
 * the window. Each finding's errors (its burst, or the whole window for a flat background) are
 * matched with what changed; a finding with measured causes carries them, and a
 * target_unreachable verdict names its cause instead of listing possibilities. What was seen
 * but is not a cause comes back as context, for the verdict only.
 */
import type { Cause, CauseKind, Finding, TimeFormatter, TimeWindow } from '../../core/types.js';
import { LOOK_FOR_CHANGES_ADVICE, UNREACHABLE_POSSIBILITIES } from '../../verdict/rules/judge-target-unreachable.js';
import type { ChangeEvidence } from '../change-event.js';
import { findDailyChangePatterns } from '../daily-patterns.js';
import { errorSpansOf } from '../error-spans.js';
import { type ChangeContext, correlateChanges } from './find-causes.js';

export interface CausedFindings {
  findings: Finding[];
  /** What was seen near the verdict's errors and set aside, nearest first. */
  context: ChangeContext[];
  /** The sources' limits, and changes that recur at the same hour every day. */
  notes: string[];
}

/** What to do first about each kind of cause: the engineer's next step, not the customer's. */
export const CAUSE_ADVICE: Record<CauseKind, string> = {
  deploy:
    'The deploy above cut off requests in flight: give the targets a deregistration delay longer than the longest request, a preStop delay, and SIGTERM handling that drains connections.',
  scale_in:
    'The scale-in above stopped targets that were still serving: give them a deregistration delay longer than the longest request and a preStop delay, so they leave the load balancer before they stop.',
  scale_out:
    'New targets took traffic before they were ready: check their health check grace period, readiness probe or slow start.',
  restart:
    'Find why the containers restarted (exit codes, liveness probes, a scheduled restart) and make them drain before they exit.',
  oom_kill:
    "Raise the OOM-killed containers' memory limit (or the LimitRange that set it), or find what grows their memory.",
  cpu_saturation:
    'Look at the busiest task, not the average: find the requests that pin its CPU, and scale on the Maximum or on requests per target.',
  health_check_failures:
    'Find why the targets stopped answering health checks (CPU, memory, a slow dependency); a health check timeout shorter than the slowest request gets busy targets replaced.',
  config_change: 'Review the configuration change above: it is the change nearest the errors.',
  idle_timeout_mismatch:
    "Make the targets' keep-alive timeout longer than the load balancer's idle timeout (see the setting above).",
};

export function attachCauses(
  findings: readonly Finding[],
  changes: ChangeEvidence,
  window: TimeWindow,
  fmt: Pick<TimeFormatter, 'minute' | 'range'>,
): CausedFindings {
  let context: ChangeContext[] = [];
  const caused = findings.map((finding, position) => {
    const spans = errorSpansOf(finding, window);
    if (spans.length === 0) return finding;
    const correlation = correlateChanges({
      errorSpans: spans,
      window,
      changes: changes.changes,
      resources: changes.resources,
      settings: changes.settings,
      targetHealth: changes.targetHealth,
      fmt,
    });
    if (position === 0) context = correlation.context;
    return correlation.causes.length > 0 ? withCauses(finding, correlation.causes) : finding;
  });
  const daily = findDailyChangePatterns(changes.changes).map((pattern) => `${pattern.what} (${pattern.evidence})`);
  return { findings: caused, context, notes: [...changes.notes, ...daily] };
}

/** The finding naming its causes: the headline's list of possibilities and the generic search give way to them. */
function withCauses(finding: Finding, causes: Cause[]): Finding {
  const possibilities = ` — ${UNREACHABLE_POSSIBILITIES}.`;
  const lead = causes.find((cause) => cause.at !== null) ?? causes[0]!;
  const headline =
    finding.kind === 'target_unreachable' && finding.headline.endsWith(possibilities)
      ? `${finding.headline.slice(0, -possibilities.length)} — ${lowerFirst(lead.what)}`
      : finding.headline;
  const specific = [...new Set(causes.map((cause) => CAUSE_ADVICE[cause.kind]))];
  const rest = (finding.advice ?? []).filter((line) => !line.startsWith(LOOK_FOR_CHANGES_ADVICE));
  return { ...finding, headline, causes, advice: [...specific, ...rest] };
}

// "1 traefik pod OOM-killed …" stays as is; "The deploy of …" reads on after the dash.
function lowerFirst(text: string): string {
  return /^[A-Z][a-z]/.test(text) ? text.charAt(0).toLowerCase() + text.slice(1) : text;
}
