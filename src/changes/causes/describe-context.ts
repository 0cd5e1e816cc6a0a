/**
 * Pure: changes that are not causes, in a few words each with their distance from the errors —
 * "a deploy of billing-api at 17:52 UTC, 1 h 48 min before the errors began". Repeats of one
 * kind on one object are folded into one line; the nearest come first.
 */
import { formatCount } from '../../core/format-number.js';
import type { ChangeEvent } from '../change-event.js';
import { type CauseClock, describeRelation } from './cause-clock.js';
import { type ErrorSpan, nearestSpan, type Relation } from './cause-windows.js';
import { countAcrossSources } from './count-across-sources.js';
import { isoMinuteOrSecond } from './describe-cause-group.js';

export function describeContext(
  changes: readonly ChangeEvent[],
  spans: readonly ErrorSpan[],
  clock: CauseClock,
): Array<{ at: string; what: string; evidence: string }> {
  const folded = new Map<string, ChangeEvent[]>();
  for (const change of changes) {
    const key = `${change.kind}|${change.object}|${change.attribute?.key ?? ''}`;
    folded.set(key, [...(folded.get(key) ?? []), change]);
  }
  return [...folded.values()]
    .map((group) => {
      const first = group.reduce((a, b) => (a.at <= b.at ? a : b));
      const last = group.reduce((a, b) => (a.at >= b.at ? a : b));
      const near = nearestSpan(first.at, spans);
      const when =
        first === last || Math.floor(first.at.getTime() / 60_000) === Math.floor(last.at.getTime() / 60_000)
          ? `at ${clock.at(first.at)}`
          : `in ${clock.range(first.at, last.at)}`;
      const distance = near ? `, ${describeRelation(near.relation, near.span, clock, first.at)}` : '';
      return {
        order: near ? distanceOf(near.relation) : 0,
        item: {
          at: isoMinuteOrSecond(first.at),
          what: `${PHRASES[first.kind](group, first)} ${when}${distance}.`,
          evidence: `${first.source}: ${first.evidence}${group.length > 1 ? ` (and ${formatCount(group.length - 1)} more)` : ''}`,
        },
      };
    })
    .sort((a, b) => a.order - b.order)
    .map(({ item }) => item);
}

function distanceOf(relation: Relation): number {
  return relation.position === 'during' ? 0 : relation.minutes;
}

const PHRASES: Record<ChangeEvent['kind'], (group: ChangeEvent[], first: ChangeEvent) => string> = {
  deploy: (_g, first) => `A deploy of ${first.object}`,
  scale_in: (_g, first) => `${first.object} scaled in${first.replicas ? ` to ${formatCount(first.replicas.to)}` : ''}`,
  scale_out: (_g, first) =>
    `${first.object} scaled out${first.replicas ? ` to ${formatCount(first.replicas.to)}` : ''}`,
  targets_deregistered: (g, first) => `${count(g, 'target')} deregistered from ${first.object}`,
  targets_registered: (g, first) => `${count(g, 'target')} registered in ${first.object}`,
  draining: (_g, first) => `${first.object} draining`,
  task_stopped: (g, first) => `${count(g, `${first.object} ${first.objectKind === 'pod' ? 'pod' : 'task'}`)} stopped`,
  oom_kill: (g, first) => `${count(g, 'OOM kill')} of ${first.object}`,
  container_restart: (g, first) => `${count(g, 'restart')} of ${first.object}`,
  health_check_failed: (g, first) => `${count(g, 'failed health check')} of ${first.object}`,
  attribute_change: (_g, first) =>
    `${first.object}'s ${first.attribute?.key ?? 'attribute'} set to ${first.attribute?.newValue ?? '?'}`,
  config_change: (_g, first) => `A change to the ${first.objectKind} ${first.object}`,
  node_event: (_g, first) =>
    `Node ${first.nodeAction === 'added' ? 'added to' : first.nodeAction === 'removed' ? 'removed from' : 'not ready in'} ${first.object}`,
};

function count(group: ChangeEvent[], unit: string): string {
  const n = countAcrossSources(group);
  return `${formatCount(n)} ${unit}${n === 1 ? '' : 's'}`;
}
