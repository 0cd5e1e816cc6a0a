/**
 * The vocabulary of "what changed" (issue 13): changes to the targets and their settings around
 * the errors, the targets' CPU and memory, and the standing settings that decide whether a
 * deploy drains and whether the keep-alive race can happen. Pure data, no behaviour; every
 * provider (files, CloudTrail, ECS, ELB, CloudWatch) produces it and findCauses reads it.
 */
import type { SourceStatus } from '../core/types.js';

/** What happened, normalised across Kubernetes, ECS, CloudTrail and Container Insights. */
export const CHANGE_KINDS = [
  /** A new version rolled out: UpdateService with a task definition or forceNewDeployment, an ECS deployment, a Deployment rollout to a new ReplicaSet. */
  'deploy',
  /** Fewer replicas wanted: an HPA or application autoscaling scaled in, a ReplicaSet scaled down, UpdateService with a lower desired count. */
  'scale_in',
  'scale_out',
  /** Targets taken out of a target group: DeregisterTargets, ECS "deregistered N targets". */
  'targets_deregistered',
  'targets_registered',
  /** ECS "has begun draining connections on N tasks": deregistration delay running. */
  'draining',
  /** A task or pod stopped for another reason than the ones below: a scheduler stop, a user's StopTask, an eviction. */
  'task_stopped',
  /** Killed for memory: OOMKilled, OutOfMemoryError, the kernel's OOM killer. */
  'oom_kill',
  /** A container exited and was started again: a crash, a failed liveness probe, Container Insights restarts. */
  'container_restart',
  /** Health checks failed: readiness/liveness probes, target group health checks, ECS tasks failing ELB health checks. */
  'health_check_failed',
  /** A load balancer or target group attribute was set (ModifyLoadBalancerAttributes, ModifyTargetGroupAttributes). */
  'attribute_change',
  /** Another write to the load balancer, its listeners, rules, target groups or the service's scaling. */
  'config_change',
  /** A node (instance) went away, came, or stopped being ready: autoscaling of nodes, spot interruption, NotReady. */
  'node_event',
] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

/** What a node_event did to the capacity behind the load balancer. */
export type NodeAction = 'removed' | 'added' | 'not_ready';

/**
 * One change, as one source saw it. `object` is a short name a person recognises ("traefik",
 * "search-api", "k8s-prod000audio"): never an ARN, never a credential. `evidence` is the
 * source's own words, shortened and printable, with ARNs cut to their resource part.
 */
export interface ChangeEvent {
  /** When it happened (the last occurrence when it repeated). */
  at: Date;
  /** The first occurrence, when the source folded repeats into one record (Kubernetes `count`). */
  firstAt?: Date;
  kind: ChangeKind;
  /** Short name of the object changed: workload, service, target group, load balancer, node. */
  object: string;
  /** "pod", "deployment", "ECS service", "target group", "load balancer", "node", "autoscaling group"… */
  objectKind: string;
  /** How many things it touched (targets, tasks, pods, nodes). At least 1. */
  count: number;
  /** How often it happened, when the source folded repeats into one record (Kubernetes `count`, `series.count`). */
  repeats?: number;
  /** The individual things, when known: pod names, task ids, "10.0.1.23:8080". Deduplicates across sources. */
  members?: string[];
  /** Who did it, without credentials: "ecs.amazonaws.com", "role deploy-bot", "horizontal-pod-autoscaler". */
  actor?: string;
  /** The ECS service or Kubernetes workload the change belongs to, when it is not `object` itself. */
  workload?: string;
  /** attribute_change: the setting and its values (old only when a source said it). */
  attribute?: { key: string; newValue: string; oldValue?: string };
  /** Scaling: the desired count before (when known) and after. */
  replicas?: { from?: number; to: number };
  /** Stops, kills and restarts: the reason and exit code as the source gave them. */
  exit?: { reason?: string; exitCode?: number; stopCode?: string };
  /** node_event: what it did to capacity. */
  nodeAction?: NodeAction;
  /** The deploy a stop or deregistration belonged to ("ecs-svc/123…", a ReplicaSet), when the source said so. */
  deployment?: string;
  /** Where it was seen: "CloudTrail", "ECS service events", "kubectl get events (events.json)"… */
  source: string;
  /** The source's own words, printable, ARNs shortened: what a person can check. */
  evidence: string;
}

/** One datapoint of a resource series: the busiest task/pod and the mean over all of them. */
export interface ResourcePoint {
  at: Date;
  /** Percent of the reservation or limit; null when that statistic had no datapoint. */
  maximumPercent: number | null;
  averagePercent: number | null;
}

/**
 * CPU or memory of one service or workload, per period. A period without a datapoint is absent
 * from `points`, never 0: AWS/ECS publishes nothing while a service has no running task.
 */
export interface ResourceSeries {
  object: string;
  metric: 'cpu' | 'memory';
  /** What the Maximum is the busiest of: ECS tasks (AWS/ECS) or pods (Container Insights). */
  unit: 'task' | 'pod';
  /** "AWS/ECS CPUUtilization (ClusterName prod, ServiceName search-api)". */
  source: string;
  periodSeconds: number;
  status: 'ok' | 'partial' | 'unavailable';
  /** Why it is partial or unavailable. */
  reason?: string;
  /** In time order. */
  points: ResourcePoint[];
}

/** A timeout setting and where it was read. */
export interface SettingValue {
  seconds: number;
  /** The load balancer, target group or service it belongs to (short name). */
  object: string;
  /** "DescribeLoadBalancerAttributes idle_timeout.timeout_seconds", "config targetKeepAliveSeconds". */
  source: string;
}

/** Standing configuration: what a change does depends on it (draining), or it produces errors by itself (keep-alive). */
export interface StandingSettings {
  /** The load balancer's idle timeout (Google's external ALB: its fixed 600 s backend keep-alive). */
  idleTimeout?: SettingValue;
  /** How long the targets keep an idle connection open. */
  targetKeepAlive?: SettingValue;
  /** deregistration_delay.timeout_seconds per target group (or a GCP backend's draining timeout). */
  deregistrationDelays?: SettingValue[];
  /** Target groups behind each ECS service (DescribeServices loadBalancers), to find a service's draining. */
  serviceTargetGroups?: Record<string, string[]>;
}

/** DescribeTargetHealth: the targets as they are NOW, when the answer was asked — never history. */
export interface TargetHealthSnapshot {
  takenAt: Date;
  targetGroup: string;
  targets: Array<{ target: string; state: string; reason?: string; description?: string }>;
}

/** Everything the providers found, and what each of them could not look at. */
export interface ChangeEvidence {
  changes: ChangeEvent[];
  resources: ResourceSeries[];
  settings: StandingSettings;
  targetHealth: TargetHealthSnapshot[];
  /** One per provider: complete, partial (with why), failed (with the permission it needs) or not_configured. */
  sources: SourceStatus[];
  /** Limits a reader must know ("stopped tasks are listed for about an hour; the window began 3 h ago"). */
  notes: string[];
}

export function emptyChangeEvidence(): ChangeEvidence {
  return { changes: [], resources: [], settings: {}, targetHealth: [], sources: [], notes: [] };
}

/** Several providers' findings as one: changes in time order, settings merged (first seen wins). */
export function mergeChangeEvidence(parts: readonly ChangeEvidence[]): ChangeEvidence {
  const settings: StandingSettings = {};
  for (const part of parts) {
    settings.idleTimeout ??= part.settings.idleTimeout;
    settings.targetKeepAlive ??= part.settings.targetKeepAlive;
    if (part.settings.deregistrationDelays)
      settings.deregistrationDelays = [...(settings.deregistrationDelays ?? []), ...part.settings.deregistrationDelays];
    if (part.settings.serviceTargetGroups)
      settings.serviceTargetGroups = { ...settings.serviceTargetGroups, ...part.settings.serviceTargetGroups };
  }
  for (const key of Object.keys(settings) as Array<keyof StandingSettings>)
    if (settings[key] === undefined) delete settings[key];
  return {
    changes: parts.flatMap((part) => part.changes).sort((a, b) => a.at.getTime() - b.at.getTime()),
    resources: parts.flatMap((part) => part.resources),
    settings,
    targetHealth: parts.flatMap((part) => part.targetHealth),
    sources: parts.flatMap((part) => part.sources),
    notes: [...new Set(parts.flatMap((part) => part.notes))],
  };
}
