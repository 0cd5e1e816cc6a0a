/**
 * Pure: DescribeTargetHealth's answer as context. It is the targets' state when the answer was
 * asked, not during the errors, and says so: "now (21:15 UTC), 2 of 5 targets … unhealthy".
 */
import type { TargetHealthSnapshot } from '../change-event.js';
import type { CauseClock } from './cause-clock.js';
import { isoMinuteOrSecond } from './describe-cause-group.js';

export function describeTargetHealth(
  snapshots: readonly TargetHealthSnapshot[],
  clock: CauseClock,
): Array<{ at: string; what: string; evidence: string }> {
  return snapshots.map((snapshot) => {
    const total = snapshot.targets.length;
    const notHealthy = snapshot.targets.filter((t) => t.state !== 'healthy');
    const reasons = [
      ...new Set(notHealthy.map((t) => [t.reason, t.description].filter(Boolean).join(': ')).filter(Boolean)),
    ];
    const state =
      total === 0
        ? `no target is registered in ${snapshot.targetGroup}`
        : notHealthy.length === 0
          ? `all ${total} targets of ${snapshot.targetGroup} are healthy`
          : `${notHealthy.length} of ${total} targets of ${snapshot.targetGroup} are not healthy (${[...new Set(notHealthy.map((t) => t.state))].join(', ')})`;
    return {
      at: isoMinuteOrSecond(snapshot.takenAt),
      what: `Now (${clock.at(snapshot.takenAt)}), ${state} — the state when asked, not during the errors.`,
      evidence: `DescribeTargetHealth at ${snapshot.takenAt.toISOString()}${reasons.length > 0 ? `: ${reasons.slice(0, 3).join('; ')}` : ''}`,
    };
  });
}
