/**
 * Pure: `kubectl get events -A -o json` (core/v1 Event list) read as changes. Also the
 * events.k8s.io/v1 shape (`regarding`, `note`, `deprecated*Timestamp`).
 *
 * Time: `lastTimestamp ?? series.lastObservedTime ?? eventTime ?? metadata.creationTimestamp`
 * (core/v1 leaves some of them null); repeats are folded by the API into `count` / `series`.
 * Reasons (next-capabilities §4.3): OOMKilling (node-problem-detector, on the Node), SystemOOM
 * (kubelet, on the Node), Killing, BackOff, Unhealthy, SuccessfulRescale (HPA),
 * ScalingReplicaSet (Deployment: "Scaled down replica set web-6d9c7b8f5 to 15 from 20"),
 * SuccessfulDelete (ReplicaSet), Evicted, ScaleDown / TriggeredScaleUp (cluster autoscaler),
 * NodeNotReady, RemovingNode. Exact messages beyond these are unverified and read leniently.
 */
import type { ChangeEvent } from '../change-event.js';
import { asObject, parseInstant } from '../cloudtrail/cloudtrail-record.js';
import { evidenceText, workloadOfPod, workloadOfReplicaSet } from '../short-names.js';

type Json = Record<string, unknown>;

interface KubeEvent {
  at: Date;
  firstAt: Date | null;
  count: number;
  reason: string;
  message: string;
  kind: string;
  name: string;
  namespace: string;
  component: string;
}

/** Reads the `items` of an event list; events that change nothing (Pulled, Scheduled…) are left out. */
export function readKubernetesEvents(items: readonly unknown[], source: string): ChangeEvent[] {
  const changes: ChangeEvent[] = [];
  for (const item of items) {
    const event = normalise(asObject(item));
    if (!event) continue;
    const change = readEvent(event, source);
    if (change) changes.push(change);
  }
  return foldRollouts(changes);
}

function normalise(item: Json): KubeEvent | null {
  const metadata = asObject(item.metadata);
  const involved = asObject(item.involvedObject ?? item.regarding);
  const series = asObject(item.series);
  const at =
    parseInstant(item.lastTimestamp) ??
    parseInstant(item.deprecatedLastTimestamp) ??
    parseInstant(series.lastObservedTime) ??
    parseInstant(item.eventTime) ??
    parseInstant(metadata.creationTimestamp);
  const reason = typeof item.reason === 'string' ? item.reason : '';
  if (!at || !reason) return null;
  const count = Number(series.count ?? item.count ?? item.deprecatedCount ?? 1);
  return {
    at,
    firstAt: parseInstant(item.firstTimestamp) ?? parseInstant(item.deprecatedFirstTimestamp),
    count: Number.isFinite(count) && count >= 1 ? Math.floor(count) : 1,
    reason,
    message: String(item.message ?? item.note ?? ''),
    kind: String(involved.kind ?? ''),
    name: String(involved.name ?? ''),
    namespace: String(involved.namespace ?? metadata.namespace ?? ''),
    component: String(asObject(item.source).component ?? item.reportingComponent ?? item.reportingController ?? ''),
  };
}

function readEvent(event: KubeEvent, source: string): ChangeEvent | null {
  const base = {
    at: event.at,
    ...(event.firstAt && event.count > 1 ? { firstAt: event.firstAt } : {}),
    count: 1,
    ...(event.count > 1 ? { repeats: event.count } : {}),
    ...(event.component ? { actor: event.component } : {}),
    source,
    evidence: evidenceText(
      `${event.reason} ${event.kind.toLowerCase()}/${event.namespace ? `${event.namespace}/` : ''}${event.name}: ${event.message}${event.count > 1 ? ` (×${event.count})` : ''}`,
    ),
  };
  const pod = { object: workloadOfPod(event.name), objectKind: 'pod', members: [event.name] };
  switch (event.reason) {
    case 'OOMKilling':
    case 'SystemOOM':
      return { ...base, kind: 'oom_kill', ...oomVictim(event) };
    case 'OOMKilled':
      return { ...base, kind: 'oom_kill', ...pod };
    case 'Killing':
      return /liveness probe|startup probe/i.test(event.message)
        ? { ...base, kind: 'container_restart', ...pod, exit: { reason: evidenceText(event.message) } }
        : { ...base, kind: 'task_stopped', ...pod, exit: { reason: evidenceText(event.message) } };
    case 'BackOff':
      return /restarting failed container/i.test(event.message)
        ? { ...base, kind: 'container_restart', ...pod, exit: { reason: evidenceText(event.message) } }
        : null;
    case 'Unhealthy':
      return { ...base, kind: 'health_check_failed', ...pod, exit: { reason: evidenceText(event.message) } };
    case 'Evicted':
    case 'Preempting':
      return { ...base, kind: 'task_stopped', ...pod, exit: { reason: evidenceText(event.message) } };
    case 'SuccessfulRescale':
      return hpaRescale(event, base);
    case 'ScalingReplicaSet':
      return replicaSetScale(event, base);
    case 'SuccessfulDelete':
      return replicaSetDelete(event, base);
    case 'ScaleDown':
      return event.kind === 'Pod'
        ? { ...base, kind: 'node_event', nodeAction: 'removed', ...pod, objectKind: 'pod on a node scaled down' }
        : { ...base, kind: 'node_event', nodeAction: 'removed', object: event.name, objectKind: 'node' };
    case 'TriggeredScaleUp':
      return { ...base, kind: 'node_event', nodeAction: 'added', object: event.name, objectKind: 'node group' };
    case 'NodeNotReady':
    case 'Rebooted':
      return { ...base, kind: 'node_event', nodeAction: 'not_ready', object: event.name, objectKind: 'node' };
    case 'RemovingNode':
    case 'DeletingNode':
    case 'NodeNotSchedulable':
      return { ...base, kind: 'node_event', nodeAction: 'removed', object: event.name, objectKind: 'node' };
    default:
      return null;
  }
}

/** node-problem-detector names the killed process: "Killed process 3504804 (traefik) total-vm…". */
function oomVictim(event: KubeEvent): Pick<ChangeEvent, 'object' | 'objectKind' | 'members'> {
  const process =
    /Killed process \d+ \(([^)]+)\)/.exec(event.message)?.[1] ?? /victim process: ([^,\s]+)/.exec(event.message)?.[1];
  return process
    ? { object: process, objectKind: `process on node ${event.name}`, members: [`${event.name}/${process}`] }
    : { object: event.name, objectKind: 'node', members: [event.name] };
}

/** "New size: 15; reason: All metrics below target" — the HPA says the new size and why. */
function hpaRescale(event: KubeEvent, base: Omit<ChangeEvent, 'kind' | 'object' | 'objectKind'>): ChangeEvent | null {
  const size = /New size: (\d+)/.exec(event.message);
  if (!size) return null;
  const from = /old size: (\d+)|from (\d+) to/.exec(event.message);
  const kind = /below target/i.test(event.message)
    ? 'scale_in'
    : /above target/i.test(event.message)
      ? 'scale_out'
      : 'config_change';
  const replicas = { ...(from ? { from: Number(from[1] ?? from[2]) } : {}), to: Number(size[1]) };
  return {
    ...base,
    kind,
    object: event.name,
    objectKind: 'horizontal pod autoscaler',
    replicas,
    actor: base.actor ?? 'horizontal-pod-autoscaler',
  };
}

const SCALED = /Scaled (up|down) replica set (\S+) (?:from (\d+) )?to (\d+)(?: from (\d+))?/;

function replicaSetScale(
  event: KubeEvent,
  base: Omit<ChangeEvent, 'kind' | 'object' | 'objectKind'>,
): ChangeEvent | null {
  const match = SCALED.exec(event.message);
  if (!match) return null;
  const from = match[3] ?? match[5];
  return {
    ...base,
    kind: match[1] === 'down' ? 'scale_in' : 'scale_out',
    object: event.kind === 'Deployment' ? event.name : workloadOfReplicaSet(match[2]!),
    objectKind: 'deployment',
    members: [match[2]!],
    replicas: { ...(from !== undefined ? { from: Number(from) } : {}), to: Number(match[4]) },
  };
}

/** "Deleted pod: queue-web-6d9c7b8f5-x2x9k" on the ReplicaSet: a pod it removed. */
function replicaSetDelete(
  event: KubeEvent,
  base: Omit<ChangeEvent, 'kind' | 'object' | 'objectKind'>,
): ChangeEvent | null {
  const pod = /Deleted pod: (\S+)/.exec(event.message)?.[1];
  if (event.kind !== 'ReplicaSet' || !pod) return null;
  return {
    ...base,
    kind: 'task_stopped',
    object: workloadOfReplicaSet(event.name),
    objectKind: 'pod',
    members: [pod],
    deployment: event.name,
    exit: { reason: 'deleted by its ReplicaSet' },
  };
}

/** Minutes within which one Deployment scaling two ReplicaSets is one rollout. */
const ROLLOUT_MINUTES = 15;

/**
 * A Deployment that scales one ReplicaSet up and another down within minutes is rolling out a
 * new version: a deploy, not two scalings. The first of those events becomes the deploy; its
 * scalings stay, marked with the deployment, so their pods are counted with it.
 */
function foldRollouts(changes: ChangeEvent[]): ChangeEvent[] {
  const scalings = changes.filter(
    (c) => c.objectKind === 'deployment' && (c.kind === 'scale_in' || c.kind === 'scale_out'),
  );
  const byDeployment = new Map<string, ChangeEvent[]>();
  for (const change of scalings) byDeployment.set(change.object, [...(byDeployment.get(change.object) ?? []), change]);
  const deploys: ChangeEvent[] = [];
  const folded = new Set<ChangeEvent>();
  for (const [deployment, events] of byDeployment) {
    events.sort((a, b) => a.at.getTime() - b.at.getTime());
    for (let i = 0; i < events.length; i++) {
      const first = events[i]!;
      if (folded.has(first)) continue;
      const rollout = events.filter(
        (e) =>
          !folded.has(e) &&
          e.at.getTime() >= first.at.getTime() &&
          e.at.getTime() - first.at.getTime() <= ROLLOUT_MINUTES * 60_000,
      );
      const replicaSets = new Set(rollout.flatMap((e) => e.members ?? []));
      const up = rollout.find((e) => e.kind === 'scale_out');
      const down = rollout.find((e) => e.kind === 'scale_in');
      if (replicaSets.size < 2 || !up || !down) continue;
      for (const e of rollout) folded.add(e);
      const newSet = up.members?.[0] ?? '?';
      deploys.push({
        at: first.at,
        kind: 'deploy',
        object: deployment,
        objectKind: 'deployment',
        count: 1,
        deployment: newSet,
        members: [...replicaSets],
        ...(first.actor ? { actor: first.actor } : {}),
        source: first.source,
        evidence: evidenceText(
          `rollout of deployment ${deployment} to replica set ${newSet}: ${rollout.map((e) => e.evidence.replace(/^ScalingReplicaSet \S+: /, '')).join('; ')}`,
        ),
      });
    }
  }
  return [...changes.filter((c) => !folded.has(c)), ...deploys].sort((a, b) => a.at.getTime() - b.at.getTime());
}
