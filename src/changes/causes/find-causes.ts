/**
 * Pure: the causes of a finding's errors (CONTRACT §9), from what changed around them. A cause is
 * a change within minutes of the errors (cause-windows.ts says exactly how many, per kind), CPU
 * saturation at the busiest task next to them, or a standing configuration that produces the
 * errors by itself (the keep-alive race). Everything else the sources saw is context, returned
 * apart so a reader can see what was looked at and set aside.
 */
import type { Cause, TimeFormatter, TimeWindow } from '../../core/types.js';
import type { ChangeEvent, ResourceSeries, StandingSettings, TargetHealthSnapshot } from '../change-event.js';
import { buildCauseGroups } from './build-cause-groups.js';
import { causeClock } from './cause-clock.js';
import type { ErrorSpan } from './cause-windows.js';
import { describeCauseGroup } from './describe-cause-group.js';
import { describeContext } from './describe-context.js';
import { describeTargetHealth } from './describe-target-health.js';
import { findResourceCauses } from './resource-causes.js';
import { findSettingCauses } from './setting-causes.js';

export type { ErrorSpan } from './cause-windows.js';

export interface CauseInput {
  /** The finding's bursts, or the whole window for a flat background. */
  errorSpans: readonly ErrorSpan[];
  window: TimeWindow;
  changes: readonly ChangeEvent[];
  resources: readonly ResourceSeries[];
  settings: StandingSettings;
  /** DescribeTargetHealth snapshots: context, labelled as the state now. */
  targetHealth?: readonly TargetHealthSnapshot[];
  /** Times in the asked zone (the report's formatter); UTC without one. */
  fmt?: Pick<TimeFormatter, 'minute' | 'range'>;
}

/** Something seen that is not a cause: a change far from the errors, a setting the right way round. */
export interface ChangeContext {
  /** ISO 8601 UTC, or null for a standing setting. */
  at: string | null;
  what: string;
  evidence: string;
}

export interface CauseCorrelation {
  /** Standing configuration first, then in time order. */
  causes: Cause[];
  /** Nearest to the errors first, at most MAX_CONTEXT. */
  context: ChangeContext[];
}

/** Context beyond this many items is dropped (the nearest are kept): it is not the answer. */
export const MAX_CONTEXT = 12;

/** The causes only (CONTRACT §9 `findings[].causes`). */
export function findCauses(input: CauseInput): Cause[] {
  return correlateChanges(input).causes;
}

export function correlateChanges(input: CauseInput): CauseCorrelation {
  const clock = causeClock(input.fmt);
  const spans = [...input.errorSpans]
    .filter((span) => span.end > span.start)
    .sort((a, b) => a.start.getTime() - b.start.getTime());
  const { groups, context } = buildCauseGroups(input.changes, spans, input.settings);
  const resources = findResourceCauses(input.resources, spans, clock);
  const settings = findSettingCauses(spans, input.settings);
  const causes = groups.map((group) => {
    const cause = describeCauseGroup(group, input.settings, clock);
    const memory = group.kind === 'oom_kill' ? resources.memoryNearErrors.get(group.object) : undefined;
    if (memory) resources.memoryNearErrors.delete(group.object);
    return memory ? { ...cause, evidence: `${cause.evidence}; ${memory}` } : cause;
  });
  const memoryAlone = [...resources.memoryNearErrors.entries()].map(([object, evidence]) => ({
    at: null,
    what: `${object}'s memory reached its limit near the errors, but no source read shows an OOM kill.`,
    evidence,
  }));
  const all = [...settings.causes, ...causes, ...resources.causes].sort(byStandingThenTime);
  // A deploy or scale-in cause already says how long it drained.
  const drains = all.some((cause) => cause.what.includes('deregistration delay'));
  const settingContext = settings.context.filter((item) => !(drains && item.evidence.includes('deregistration_delay')));
  return {
    causes: all,
    context: [
      ...settingContext,
      ...memoryAlone,
      ...resources.context,
      ...describeTargetHealth(input.targetHealth ?? [], clock),
      ...describeContext(context, spans, clock),
    ].slice(0, MAX_CONTEXT),
  };
}

function byStandingThenTime(a: Cause, b: Cause): number {
  if (a.at === null || b.at === null) return a.at === null ? (b.at === null ? 0 : -1) : 1;
  return Date.parse(a.at) - Date.parse(b.at);
}
