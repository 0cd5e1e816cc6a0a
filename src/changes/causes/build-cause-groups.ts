/**
 * Pure: the changes that fall in a span's cause window, gathered into the stories they tell.
 * Several sources see one event (CloudTrail's DeregisterTargets, ECS's "deregistered 3
 * targets", three stopped tasks): they become one cause, attributed to the deliberate change
 * that set them off — a deploy or an autoscaler's decision — when one came shortly before.
 */
import type { CauseKind } from '../../core/types.js';
import type { ChangeEvent, StandingSettings } from '../change-event.js';
import { type ErrorSpan, type Relation, spanFor } from './cause-windows.js';

export interface PlacedChange {
  change: ChangeEvent;
  span: ErrorSpan;
  relation: Relation;
}

export interface CauseGroup {
  kind: CauseKind;
  /** The workload, service, target group, node group or load balancer it is about. */
  object: string;
  /** The deliberate change behind it (a deploy, an autoscaler's decision), even from before the window. */
  trigger?: ChangeEvent;
  /** The changes in the cause window that make it up, in time order. */
  placed: PlacedChange[];
}

export interface CauseGroups {
  groups: CauseGroup[];
  /** Changes outside every cause window, and changes that are no cause on their own (registrations). */
  context: ChangeEvent[];
}

const MINUTE_MS = 60_000;
/** How long after a deploy its rollout may still be stopping tasks and deregistering targets. */
const DEPLOY_REACH_MINUTES = 60;
/** How long after an autoscaler's decision its pods or tasks may still be stopping. */
const SCALE_REACH_MINUTES = 15;
const FOLLOWERS = new Set(['targets_deregistered', 'targets_registered', 'draining', 'task_stopped']);

export function buildCauseGroups(
  changes: readonly ChangeEvent[],
  spans: readonly ErrorSpan[],
  settings: StandingSettings,
): CauseGroups {
  const serviceOfTargetGroup = reverse(settings.serviceTargetGroups ?? {});
  const keyOf = (change: ChangeEvent) => workloadKey(change, serviceOfTargetGroup);
  const triggers = changes.filter((c) => c.kind === 'deploy' || c.kind === 'scale_in' || c.kind === 'scale_out');
  const groups = new Map<string, CauseGroup>();
  const context: ChangeEvent[] = [];
  const add = (kind: CauseKind, object: string, placed: PlacedChange | null, trigger?: ChangeEvent) => {
    const key = `${kind}|${object}`;
    const group = groups.get(key) ?? { kind, object, placed: [] };
    if (trigger && !group.trigger) group.trigger = trigger;
    if (placed) group.placed.push(placed);
    groups.set(key, group);
  };
  for (const change of changes) {
    const where = spanFor(change, spans);
    if (!where) {
      context.push(change);
      continue;
    }
    const placed: PlacedChange = { change, ...where };
    const kind = change.kind;
    if (kind === 'deploy' || kind === 'scale_in' || kind === 'scale_out') {
      add(kind, keyOf(change), placed, change);
      continue;
    }
    if (FOLLOWERS.has(change.kind)) {
      const trigger = triggerOf(change, triggers, keyOf);
      if (trigger && (trigger.kind !== 'scale_out' || spanFor(trigger, spans))) {
        add(triggerKind(trigger), keyOf(trigger), placed, trigger);
        continue;
      }
      if (change.kind === 'targets_registered') context.push(change);
      else if (change.kind === 'task_stopped' && change.deployment === undefined) add('restart', keyOf(change), placed);
      else add('scale_in', keyOf(change), placed);
      continue;
    }
    const causeKind = CAUSE_OF[kind]?.(change);
    if (causeKind)
      add(
        causeKind,
        causeKind === 'config_change'
          ? `${change.object}|${change.attribute?.key ?? change.at.toISOString()}`
          : keyOf(change),
        placed,
      );
  }
  return { groups: foldRestartsIntoHealthChecks(foldRestartsIntoKills([...groups.values()])).map(sortPlaced), context };
}

/** Triggers are deploys and scalings (see `triggers` above). */
function triggerKind(trigger: ChangeEvent): 'deploy' | 'scale_in' | 'scale_out' {
  return trigger.kind === 'deploy' || trigger.kind === 'scale_in' ? trigger.kind : 'scale_out';
}

const CAUSE_OF: Partial<Record<ChangeEvent['kind'], (change: ChangeEvent) => CauseKind>> = {
  oom_kill: () => 'oom_kill',
  container_restart: () => 'restart',
  health_check_failed: () => 'health_check_failures',
  attribute_change: () => 'config_change',
  config_change: () => 'config_change',
  node_event: (change) =>
    change.nodeAction === 'added' ? 'scale_out' : change.nodeAction === 'removed' ? 'scale_in' : 'restart',
};

/**
 * The deploy or scaling a follower belongs to: same workload (or the same ECS deployment id),
 * shortly before it; a deploy wins over a scaling. A target group's deregistration with no
 * known service goes to the one orchestrated deploy or scale-in running then, if there is one.
 */
function triggerOf(
  change: ChangeEvent,
  triggers: readonly ChangeEvent[],
  keyOf: (c: ChangeEvent) => string,
): ChangeEvent | undefined {
  const t = change.at.getTime();
  const reaching = triggers.filter((trigger) => {
    const reach = (trigger.kind === 'deploy' ? DEPLOY_REACH_MINUTES : SCALE_REACH_MINUTES) * MINUTE_MS;
    return trigger.at.getTime() <= t + MINUTE_MS && t - trigger.at.getTime() <= reach;
  });
  const byDeployment = change.deployment
    ? reaching.find((trigger) => trigger.deployment === change.deployment)
    : undefined;
  if (byDeployment) return byDeployment;
  const same = reaching.filter((trigger) => keyOf(trigger) === keyOf(change));
  const pick = (list: ChangeEvent[]) =>
    list.find((c) => c.kind === 'deploy') ?? list.find((c) => c.kind === 'scale_in') ?? list[0];
  if (same.length > 0) return pick(same);
  const unknownService =
    change.objectKind === 'target group' && change.workload === undefined && keyOf(change) === change.object;
  const orchestrated =
    change.actor === undefined || /ECS|load-balancer-controller|elbv2|Auto Scaling/i.test(change.actor);
  const candidates = reaching.filter((trigger) => trigger.kind !== 'scale_out');
  return unknownService && orchestrated && new Set(candidates.map(keyOf)).size === 1 ? pick(candidates) : undefined;
}

/** The ECS service or workload a change belongs to; a target group maps to its service when DescribeServices said so. */
export function workloadKey(change: ChangeEvent, serviceOfTargetGroup: Record<string, string>): string {
  if (change.workload) return change.workload;
  if (change.objectKind === 'target group') return serviceOfTargetGroup[change.object] ?? change.object;
  return change.object;
}

/** Restarts of a workload whose containers were OOM-killed in the same span are the kills' aftermath, not another cause. */
function foldRestartsIntoKills(groups: CauseGroup[]): CauseGroup[] {
  const kills = new Map(groups.filter((g) => g.kind === 'oom_kill').map((g) => [g.object, g]));
  return groups.filter((group) => {
    const kill = group.kind === 'restart' ? kills.get(group.object) : undefined;
    if (!kill) return true;
    kill.placed.push(...group.placed);
    return false;
  });
}

/** Tasks stopped because they failed their health checks are the health checks' cause, told once. */
function foldRestartsIntoHealthChecks(groups: CauseGroup[]): CauseGroup[] {
  const checks = new Map(groups.filter((g) => g.kind === 'health_check_failures').map((g) => [g.object, g]));
  const membersOf = (group: CauseGroup) => new Set(group.placed.flatMap(({ change }) => change.members ?? []));
  return groups.filter((group) => {
    const check = group.kind === 'restart' ? checks.get(group.object) : undefined;
    if (!check) return true;
    const failed = membersOf(check);
    const stopped = group.placed.flatMap(({ change }) => change.members ?? []);
    if (stopped.length === 0 || !stopped.every((member) => failed.has(member))) return true;
    check.placed.push(...group.placed);
    return false;
  });
}

function sortPlaced(group: CauseGroup): CauseGroup {
  group.placed.sort((a, b) => a.change.at.getTime() - b.change.at.getTime());
  return group;
}

function reverse(serviceTargetGroups: Record<string, string[]>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [service, groups] of Object.entries(serviceTargetGroups)) for (const group of groups) out[group] = service;
  return out;
}
