/**
 * Pure: how many things a set of changes touched, and how often they happened, when several
 * sources saw the same things.
 * CloudTrail's DeregisterTargets and ECS's "deregistered 3 targets" are one deregistration of 3
 * targets, not 6: each source is counted on its own (distinct members where it names them) and
 * the largest count wins.
 */
import type { ChangeEvent } from '../change-event.js';

export function countAcrossSources(changes: readonly ChangeEvent[]): number {
  const bySource = new Map<string, { members: Set<string>; unnamed: number }>();
  for (const change of changes) {
    const tally = bySource.get(change.source) ?? { members: new Set<string>(), unnamed: 0 };
    if (change.members && change.members.length > 0) {
      for (const member of change.members) tally.members.add(member);
      // A change may name fewer members than it counts (a message listing some of its tasks).
      tally.unnamed += Math.max(0, change.count - change.members.length);
    } else {
      tally.unnamed += change.count;
    }
    bySource.set(change.source, tally);
  }
  let best = 0;
  for (const { members, unnamed } of bySource.values()) best = Math.max(best, members.size + unnamed);
  return best;
}

/** How often the changes happened: repeats folded by a source count, each source on its own, the largest wins. */
export function occurrencesAcrossSources(changes: readonly ChangeEvent[]): number {
  const bySource = new Map<string, number>();
  for (const change of changes) bySource.set(change.source, (bySource.get(change.source) ?? 0) + (change.repeats ?? 1));
  return Math.max(0, ...bySource.values());
}
