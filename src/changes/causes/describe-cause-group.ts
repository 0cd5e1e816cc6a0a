/**
 * Pure: a cause group in words (CONTRACT §9): `what` is one sentence naming the object by its
 * short name and the time; `evidence` names the events that show it and how close they were to
 * the errors. Only what the sources said: a count, a reason, a setting — never a guess.
 */
import { formatCount } from '../../core/format-number.js';
import type { Cause } from '../../core/types.js';
import type { ChangeEvent, StandingSettings } from '../change-event.js';
import type { CauseGroup, PlacedChange } from './build-cause-groups.js';
import { type CauseClock, describeRelation } from './cause-clock.js';
import { countAcrossSources, occurrencesAcrossSources } from './count-across-sources.js';
import { delaysFor, drainingText } from './draining-text.js';

/** At most this many events are quoted in a cause's evidence; the rest are counted. */
const QUOTED_EVENTS = 3;
const REASON_CHARS = 80;

export function describeCauseGroup(group: CauseGroup, settings: StandingSettings, clock: CauseClock): Cause {
  const anchor = anchorOf(group);
  const what = WORDING[group.kind](group, anchor, settings, clock);
  return {
    kind: group.kind,
    at: isoMinuteOrSecond(anchor.change.at),
    what: `${capitalise(what)}.`,
    evidence: evidenceOf(group, anchor, settings, clock),
  };
}

type Wording = (group: CauseGroup, anchor: PlacedChange, settings: StandingSettings, clock: CauseClock) => string;

const WORDING: Record<CauseGroup['kind'], Wording> = {
  deploy: describeDeploy,
  scale_in: describeScaleIn,
  scale_out: describeScaleOut,
  restart: describeRestart,
  oom_kill: describeOomKill,
  health_check_failures: describeHealthChecks,
  config_change: describeConfigChange,
  // Resources and settings are described where they are found (resource-causes, setting-causes).
  cpu_saturation: () => '',
  idle_timeout_mismatch: () => '',
};

/** The moment that hurt: the first target or task taken away, else the first change in the window. */
function anchorOf(group: CauseGroup): PlacedChange {
  const followers = group.placed.filter(
    ({ change }) =>
      change.kind === 'targets_deregistered' || change.kind === 'task_stopped' || change.kind === 'draining',
  );
  return (group.kind === 'deploy' || group.kind === 'scale_in' ? followers[0] : undefined) ?? group.placed[0]!;
}

function describeDeploy(
  group: CauseGroup,
  anchor: PlacedChange,
  settings: StandingSettings,
  clock: CauseClock,
): string {
  const changes = group.placed.map(({ change }) => change);
  const targets = countAcrossSources(changes.filter((c) => c.kind === 'targets_deregistered'));
  const stopped = changes.filter((c) => c.kind === 'task_stopped');
  const draining = drainingText(settings, group.object, targetGroupsOf(changes));
  const when = clock.at(anchor.change.at);
  if (targets > 0)
    return `${plural(targets, 'target')} deregistered at ${when} by a deploy of ${group.object}${draining}`;
  if (stopped.length > 0)
    return `a deploy of ${group.object} stopped ${plural(countAcrossSources(stopped), unitOf(stopped))} at ${when}${draining}`;
  const version =
    group.trigger?.deployment && !/^ecs-svc\//.test(group.trigger.deployment) ? ` (${group.trigger.deployment})` : '';
  return `a deploy of ${group.object}${version} started at ${when}`;
}

function describeScaleIn(
  group: CauseGroup,
  anchor: PlacedChange,
  settings: StandingSettings,
  clock: CauseClock,
): string {
  const changes = group.placed.map(({ change }) => change);
  const when = clock.at(anchor.change.at);
  const draining = drainingText(settings, group.object, targetGroupsOf(changes));
  const stopped = changes.filter((c) => c.kind === 'task_stopped');
  const targets = countAcrossSources(changes.filter((c) => c.kind === 'targets_deregistered'));
  const trigger = group.trigger ?? changes.find((c) => c.kind === 'scale_in');
  if (trigger?.kind === 'scale_in') {
    const unit = trigger.objectKind === 'ECS service' ? 'task' : 'pod';
    const size = sizeText(trigger, [...changes, trigger], unit);
    const taken =
      stopped.length > 0
        ? `, stopping ${plural(countAcrossSources(stopped), unitOf(stopped))}`
        : targets > 0
          ? `, deregistering ${plural(targets, 'target')}`
          : '';
    return `${group.object} was scaled in${size} at ${clock.at(trigger.at)} by ${scalerOf(trigger)}${taken}${draining}`;
  }
  const nodes = changes.filter((c) => c.kind === 'node_event');
  if (nodes.length > 0) {
    const evicted = nodes.filter((c) => c.objectKind === 'pod on a node scaled down');
    if (evicted.length > 0)
      return `${plural(countAcrossSources(evicted), `${group.object} pod`)} evicted at ${when} as their node was scaled down${byActor(evicted[0]!)}`;
    return `${plural(countAcrossSources(nodes), 'node')} of ${group.object} removed at ${when}${byActor(nodes[0]!)}`;
  }
  if (targets > 0) {
    const dereg = changes.find((c) => c.kind === 'targets_deregistered')!;
    return `${plural(targets, 'target')} deregistered from ${dereg.object} at ${when}${byActor(dereg)}${draining}`;
  }
  if (stopped.length > 0)
    return `the ECS scheduler stopped ${plural(countAcrossSources(stopped), unitOf(stopped))} of ${group.object} at ${when}${draining}`;
  return `${group.object} began draining ${plural(countAcrossSources(changes), 'task')} at ${when}${draining}`;
}

function describeScaleOut(
  group: CauseGroup,
  anchor: PlacedChange,
  _settings: StandingSettings,
  clock: CauseClock,
): string {
  const trigger = group.trigger ?? anchor.change;
  if (trigger.kind === 'node_event')
    return `${plural(countAcrossSources(group.placed.map((p) => p.change)), 'node')} added to ${group.object} at ${clock.at(trigger.at)}${byActor(trigger)}`;
  const unit = trigger.objectKind === 'ECS service' ? 'task' : 'pod';
  return `${group.object} was scaled out${sizeText(
    trigger,
    group.placed.map((p) => p.change),
    unit,
  )} at ${clock.at(trigger.at)} by ${scalerOf(trigger)}`;
}

/** " from 20 to 15 pods": the trigger's new size, the old one from whichever source said it (a ReplicaSet's "from 20"). */
function sizeText(trigger: ChangeEvent, changes: readonly ChangeEvent[], unit: string): string {
  if (!trigger.replicas) return '';
  const to = trigger.replicas.to;
  const from =
    trigger.replicas.from ??
    changes.find((c) => c.kind === trigger.kind && c.replicas?.to === to && c.replicas.from !== undefined)?.replicas
      ?.from;
  return ` ${from !== undefined ? `from ${formatCount(from)} ` : ''}to ${plural(to, unit)}`;
}

function describeRestart(
  group: CauseGroup,
  _anchor: PlacedChange,
  _settings: StandingSettings,
  clock: CauseClock,
): string {
  const changes = group.placed.map(({ change }) => change);
  const when = timeOrRange(group, clock);
  const notReady = changes.filter((c) => c.kind === 'node_event');
  if (notReady.length === changes.length) return `node ${group.object} was not ready ${when}`;
  const reason = reasonOf(changes);
  if (changes.every((c) => c.kind === 'task_stopped'))
    return `${plural(countAcrossSources(changes), `${group.object} ${unitOf(changes)}`)} stopped ${when}${reason}`;
  const restarting = changes.filter((c) => c.kind !== 'node_event');
  const things = countAcrossSources(restarting);
  const times = occurrencesAcrossSources(restarting);
  return `${plural(things, `${group.object} ${unitOf(restarting)}`)} restarted${times > things ? ` ${formatCount(times)} times` : ''} ${when}${reason}`;
}

function describeOomKill(
  group: CauseGroup,
  _anchor: PlacedChange,
  _settings: StandingSettings,
  clock: CauseClock,
): string {
  const kills = group.placed.map(({ change }) => change).filter((c) => c.kind === 'oom_kill');
  const when = timeOrRange(
    { ...group, placed: group.placed.filter(({ change }) => change.kind === 'oom_kill') },
    clock,
  );
  const exit = kills.some((c) => c.exit?.exitCode === 137) ? ' (exit 137)' : '';
  const byKernel = kills.every((c) => c.objectKind.startsWith('process on node'));
  const count = countAcrossSources(kills);
  if (byKernel) {
    const nodes = [...new Set(kills.map((c) => c.objectKind.replace('process on node ', '')))];
    return `the kernel OOM-killed ${group.object} ${count === 1 ? 'once' : `${formatCount(count)} times`} ${when} on ${nodes.length === 1 ? `node ${nodes[0]}` : `${nodes.length} nodes`}`;
  }
  return `${plural(count, `${group.object} ${unitOf(kills)}`)} OOM-killed${exit} ${when}`;
}

function describeHealthChecks(
  group: CauseGroup,
  _anchor: PlacedChange,
  _settings: StandingSettings,
  clock: CauseClock,
): string {
  const all = group.placed.map(({ change }) => change);
  const changes = all.filter((c) => c.kind === 'health_check_failed');
  const stopped = countAcrossSources(all.filter((c) => c.kind !== 'health_check_failed'));
  const count = countAcrossSources(changes);
  const times = occurrencesAcrossSources(changes);
  const unit = changes.some((c) => c.objectKind === 'ECS service')
    ? 'task'
    : changes.some((c) => c.objectKind === 'instance')
      ? 'instance'
      : 'pod';
  const repeated = times > count ? ` ${formatCount(times)} times` : '';
  const replaced =
    stopped > 0
      ? ` and ${stopped === count ? (count === 1 ? 'was' : 'were') : `${formatCount(stopped)} ${stopped === 1 ? 'was' : 'were'}`} stopped`
      : '';
  return `${plural(count, unit)} of ${group.object} failed health checks${repeated}${replaced} ${timeOrRange(group, clock)}${reasonOf(changes)}`;
}

function describeConfigChange(
  _group: CauseGroup,
  anchor: PlacedChange,
  _settings: StandingSettings,
  clock: CauseClock,
): string {
  const change = anchor.change;
  const when = clock.at(change.at);
  if (change.attribute) {
    const old = change.attribute.oldValue !== undefined ? ` (was ${change.attribute.oldValue})` : '';
    return `${change.object}'s ${change.attribute.key} was set to ${change.attribute.newValue}${old} at ${when}${byActor(change)}`;
  }
  if (change.replicas && change.objectKind === 'autoscaling group')
    return `${change.object}'s desired capacity was set to ${formatCount(change.replicas.to)} at ${when}${byActor(change)}`;
  return `the ${change.objectKind} ${change.object} was changed at ${when}${byActor(change)}`;
}

/**
 * "CloudTrail: UpdateService by …; CloudTrail: DeregisterTargets by …; … — during the errors
 * (19:40–19:42 UTC)": the change that set it off first, then the events that took targets
 * away, then the rest; the draining setting when the sentence used it.
 */
function evidenceOf(group: CauseGroup, anchor: PlacedChange, settings: StandingSettings, clock: CauseClock): string {
  const placed = group.placed.map((p) => p.change);
  const rollout = group.kind === 'deploy' || group.kind === 'scale_in';
  // A deploy or scale-in is shown by the targets and tasks it took away; any other cause by its own events first.
  const taking = placed.filter((c) =>
    rollout ? c.kind === 'targets_deregistered' || c.kind === 'task_stopped' : OWN_EVENTS[group.kind] === c.kind,
  );
  // The deliberate changes, the ones that name who made them first (a CloudTrail call over ECS's own record of it).
  const triggers = [
    ...new Set([
      ...(group.trigger ? [group.trigger] : []),
      ...placed.filter(
        (c) => c.kind === group.kind && (c.kind === 'deploy' || c.kind === 'scale_in' || c.kind === 'scale_out'),
      ),
    ]),
  ].sort((a, b) => Number(b.actor !== undefined) - Number(a.actor !== undefined));
  const rest = placed.filter(
    (c) => !taking.includes(c) && !triggers.includes(c) && c.kind !== 'targets_registered' && c.kind !== 'draining',
  );
  const ordered = [...triggers.slice(0, 1), ...taking, ...triggers.slice(1), ...rest];
  const quoted: string[] = [];
  for (const change of ordered) {
    const text = `${change.source}: ${change.evidence}`;
    if (!quoted.includes(text)) quoted.push(text);
  }
  const shown = quoted.slice(0, QUOTED_EVENTS);
  const more = quoted.length > QUOTED_EVENTS ? [`and ${formatCount(quoted.length - QUOTED_EVENTS)} more`] : [];
  const delays = rollout ? delaysFor(settings, group.object, targetGroupsOf(placed)) : [];
  const setting = delays.map((d) => `${d.source} = ${d.seconds}`);
  return `${[...shown, ...more, ...setting].join('; ')} — ${describeRelation(anchor.relation, anchor.span, clock, anchor.change.at)}`;
}

const OWN_EVENTS: Partial<Record<CauseGroup['kind'], ChangeEvent['kind']>> = {
  oom_kill: 'oom_kill',
  health_check_failures: 'health_check_failed',
  restart: 'container_restart',
  config_change: 'attribute_change',
};

function timeOrRange(group: CauseGroup, clock: CauseClock): string {
  const times = group.placed.map(({ change }) => change.at.getTime());
  const first = new Date(Math.min(...times));
  const last = new Date(Math.max(...times));
  return Math.floor(first.getTime() / 60_000) === Math.floor(last.getTime() / 60_000)
    ? `at ${clock.at(first)}`
    : `in ${clock.range(first, last)}`;
}

/** " (Back-off restarting failed container)", from the most common reason. */
function reasonOf(changes: readonly ChangeEvent[]): string {
  const tally = new Map<string, number>();
  for (const change of changes) {
    const code = change.exit?.exitCode;
    const reason = change.exit?.reason
      ? `${change.exit.reason}${code !== undefined && !/exit/i.test(change.exit.reason) ? `, exit ${code}` : ''}`
      : code !== undefined
        ? `exit ${code}`
        : undefined;
    if (reason) tally.set(reason, (tally.get(reason) ?? 0) + 1);
  }
  const top = [...tally.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  if (!top) return '';
  const short = shortReason(top);
  return ` (${short.length > REASON_CHARS ? `${short.slice(0, REASON_CHARS - 1)}…` : short})`;
}

/**
 * The reason's headline: "Readiness probe failed: Get http://…" → "Readiness probe failed",
 * "Back-off restarting failed container traefik in pod …" → "Back-off restarting failed container traefik".
 * The whole text stays in the evidence.
 */
function shortReason(reason: string): string {
  const head = reason.split(/: | in pod /)[0]!;
  return head.length >= 8 ? head : reason;
}

function scalerOf(trigger: ChangeEvent): string {
  if (trigger.objectKind === 'horizontal pod autoscaler' || trigger.actor === 'horizontal-pod-autoscaler')
    return 'its horizontal pod autoscaler';
  if (trigger.actor === 'Application Auto Scaling' || trigger.actor?.startsWith('Application Auto Scaling'))
    return 'Application Auto Scaling';
  if (trigger.actor === 'deployment-controller') return 'its deployment controller';
  return trigger.actor ?? 'an unnamed actor';
}

function targetGroupsOf(changes: readonly ChangeEvent[]): string[] {
  return [...new Set(changes.filter((c) => c.objectKind === 'target group').map((c) => c.object))];
}

function unitOf(changes: readonly ChangeEvent[]): string {
  return changes.some((c) => c.objectKind === 'ECS service' || c.objectKind === 'ECS task') ? 'task' : 'pod';
}

function byActor(change: ChangeEvent): string {
  return change.actor ? ` by ${change.actor}` : '';
}

function plural(n: number, unit: string): string {
  return `${formatCount(n)} ${unit}${n === 1 ? '' : 's'}`;
}

/** Sentences that start with our own words get a capital; an object's name is never altered ("queue-web was…"). */
function capitalise(text: string): string {
  return /^(a|an|the|node)\b/.test(text) ? text.charAt(0).toUpperCase() + text.slice(1) : text;
}

/** ISO 8601 UTC to the second (sources give milliseconds nobody needs). */
export function isoMinuteOrSecond(at: Date): string {
  return at.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
