/**
 * Pure: CPU saturation near the errors, judged on the MAXIMUM. AWS/ECS's Maximum is "the
 * utilization of the task with the highest resource usage in the service" (next-capabilities
 * §4.2): one task pegged at 100 % crashes or stops answering health checks while the Average —
 * what autoscaling and most dashboards watch — looks fine (seed 002: "max 100 %, average 40 %").
 * Memory at its limit is reported beside an OOM kill, never as a kill by itself.
 */
import { formatPercent } from '../../core/format-number.js';
import type { Cause } from '../../core/types.js';
import type { ResourcePoint, ResourceSeries } from '../change-event.js';
import { type CauseClock, describeRelation } from './cause-clock.js';
import { type ErrorSpan, isBackground, relationTo } from './cause-windows.js';
import { isoMinuteOrSecond } from './describe-cause-group.js';

/** A Maximum at or above this is saturated (ECS's CPUUtilization can pass 100 % without a hard limit). */
export const SATURATED_PERCENT = 99;
/** An Average at or above this means the whole service was saturated, not one task. */
const SERVICE_SATURATED_PERCENT = 90;
/** Saturation this long before a burst's first error minute, or this long after its last, counts. */
const BEFORE_MINUTES = 5;
const AFTER_MINUTES = 1;
const MINUTE_MS = 60_000;

export interface ResourceFinding {
  causes: Cause[];
  /** Saturation far from the errors, and memory at its limit: context, with the evidence. */
  context: Array<{ at: string | null; what: string; evidence: string }>;
  /** Memory at its limit near the errors, per object: evidence for an OOM kill of that object. */
  memoryNearErrors: Map<string, string>;
}

export function findResourceCauses(
  resources: readonly ResourceSeries[],
  spans: readonly ErrorSpan[],
  clock: CauseClock,
): ResourceFinding {
  const found: ResourceFinding = { causes: [], context: [], memoryNearErrors: new Map() };
  for (const series of resources) {
    if (series.status === 'unavailable') continue;
    const near = saturationNearErrors(series, spans);
    if (near && series.metric === 'cpu') found.causes.push(cpuCause(series, near, clock));
    else if (near) found.memoryNearErrors.set(series.object, memoryEvidence(series, near, clock));
    else {
      const far = series.points.find((p) => (p.maximumPercent ?? 0) >= SATURATED_PERCENT);
      if (far) found.context.push(farSaturation(series, far, clock));
    }
  }
  return found;
}

interface Saturation {
  span: ErrorSpan;
  /** Points with data in the span's window, and of those the saturated ones. */
  inWindow: ResourcePoint[];
  saturated: ResourcePoint[];
}

function saturationNearErrors(series: ResourceSeries, spans: readonly ErrorSpan[]): Saturation | null {
  for (const span of spans) {
    const from = span.start.getTime() - (isBackground(span) ? 0 : BEFORE_MINUTES * MINUTE_MS);
    const to = span.end.getTime() + (isBackground(span) ? 0 : AFTER_MINUTES * MINUTE_MS);
    const inWindow = series.points.filter((p) => p.at.getTime() >= from && p.at.getTime() < to);
    const saturated = inWindow.filter((p) => (p.maximumPercent ?? 0) >= SATURATED_PERCENT);
    if (saturated.length > 0) return { span, inWindow, saturated };
  }
  return null;
}

function cpuCause(series: ResourceSeries, { span, inWindow, saturated }: Saturation, clock: CauseClock): Cause {
  const first = saturated[0]!;
  const peak = saturated.reduce((a, b) => ((b.maximumPercent ?? 0) > (a.maximumPercent ?? 0) ? b : a));
  const averages = saturated.map((p) => p.averagePercent).filter((v): v is number => v !== null);
  const meanAverage = averages.length > 0 ? averages.reduce((a, b) => a + b, 0) / averages.length : null;
  const unit = series.unit;
  const what =
    meanAverage === null
      ? `${series.object}'s busiest ${unit} hit ${formatPercent(peak.maximumPercent!)} CPU at ${clock.at(first.at)} (the Average was not measured).`
      : meanAverage >= SERVICE_SATURATED_PERCENT
        ? `${series.object} was saturated: its CPU Maximum reached ${formatPercent(peak.maximumPercent!)} at ${clock.at(first.at)} with an Average of ${formatPercent(Math.round(meanAverage))}.`
        : `${series.object}'s busiest ${unit} hit ${formatPercent(peak.maximumPercent!)} CPU at ${clock.at(first.at)} while the Average was ${formatPercent(Math.round(meanAverage))}.`;
  const averageRange = averages.length > 0 ? `; Average ${rangeOf(averages)} in those minutes` : '';
  const evidence =
    `${series.source}: Maximum ≥ ${SATURATED_PERCENT} % in ${saturated.length} of the ${inWindow.length} ${periodWord(series)} ${clock.range(inWindow[0]!.at, inWindow[inWindow.length - 1]!.at)} ` +
    `(peak ${formatPercent(peak.maximumPercent!)} at ${clock.at(peak.at)})${averageRange} — ${describeRelation(relationTo(first.at, span), span, clock, first.at)}`;
  return { kind: 'cpu_saturation', at: isoMinuteOrSecond(first.at), what, evidence };
}

function memoryEvidence(series: ResourceSeries, { span, saturated }: Saturation, clock: CauseClock): string {
  const first = saturated[0]!;
  return `${series.source}: Maximum ${formatPercent(first.maximumPercent!)} at ${clock.at(first.at)}${first.averagePercent !== null ? ` (Average ${formatPercent(Math.round(first.averagePercent))})` : ''} — ${describeRelation(relationTo(first.at, span), span, clock, first.at)}`;
}

function farSaturation(
  series: ResourceSeries,
  point: ResourcePoint,
  clock: CauseClock,
): { at: string; what: string; evidence: string } {
  return {
    at: isoMinuteOrSecond(point.at),
    what: `${series.object}'s ${series.metric === 'cpu' ? 'CPU' : 'memory'} Maximum reached ${formatPercent(point.maximumPercent!)} at ${clock.at(point.at)}, not near the errors.`,
    evidence: `${series.source}: Maximum ${formatPercent(point.maximumPercent!)}${point.averagePercent !== null ? `, Average ${formatPercent(Math.round(point.averagePercent))}` : ''}`,
  };
}

function rangeOf(values: readonly number[]): string {
  const low = Math.round(Math.min(...values));
  const high = Math.round(Math.max(...values));
  return low === high ? formatPercent(low) : `${low}–${formatPercent(high)}`;
}

function periodWord(series: ResourceSeries): string {
  return series.periodSeconds === 60 ? 'minutes' : `${series.periodSeconds / 60}-minute periods`;
}
