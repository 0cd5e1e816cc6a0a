/**
 * Incidents of the seeds' shapes with the changes behind them: the 502 bursts for
 * simulateIncident, and the files a team would export for `--events` that show the cause.
 *
 * - oom_killed_proxy (seed 001): Traefik pods OOM-killed (a LimitRange's 512 Mi) behind the ALB;
 *   the kernel's OOMKilling events and the pods' last terminations; each kill, a short burst.
 * - cpu_saturation (seed 002): one ECS task at 100 % CPU (Maximum) while the Average is ~40 %;
 *   tasks fail ELB health checks and are replaced; errors follow the traffic.
 * - hpa_scale_down (seed 003): an HPA scales a Deployment from 20 to 15; the pods are killed at
 *   once and the target group does not drain (deregistration delay 0 s).
 * - daily_restart (seed 003): websocktunnel's containers exit by design every day at 19:38 UTC;
 *   14 days of hourly error counts show it.
 * - deploy: search-api on ECS rolls out a new task definition; 3 targets are deregistered with
 *   no draining.
 * Each also holds changes far from the errors, which must stay context.
 */
import {
  arnOf,
  assumedRole,
  attributes,
  ECS_SCHEDULER,
  ecsService,
  ecsStoppedTask,
  exportText,
  iamUser,
  kubeEvent,
  kubeList,
  kubePod,
  lookupEvent,
  metricStatistics,
  REGION,
  trailRecord,
} from './change-exports.js';
import { noisyCount, seededRandom } from './random.js';
import type { IncidentEvent } from './simulate-incident.js';

export const CHANGE_INCIDENT_SHAPES = [
  'oom_killed_proxy',
  'cpu_saturation',
  'hpa_scale_down',
  'daily_restart',
  'deploy',
] as const;
export type ChangeIncidentShape = (typeof CHANGE_INCIDENT_SHAPES)[number];

export interface ChangeIncidentOptions {
  /** The index whose targets the changes hit. */
  index: string;
  /** Its target group, "targetgroup/<name>/<16 hex>". */
  targetGroup: string;
  /** Minute 0 of the simulated logs (simulateIncident's spec.start). */
  start: Date;
  seed?: number;
}

export interface ChangeIncident {
  shape: ChangeIncidentShape;
  /** The bursts the changes cause, for simulateIncident's spec.events. */
  incidentEvents: IncidentEvent[];
  /** The exports, file name → text. */
  files: Record<string, string>;
  /** daily_restart: errors per hour over 14 days ending the day of the incident. */
  hourlyErrors?: { start: Date; counts: number[] };
}

const MINUTE_MS = 60_000;
const NODE = `ip-10-0-12-34.${REGION}.compute.internal`;

export function changeIncident(shape: ChangeIncidentShape, options: ChangeIncidentOptions): ChangeIncident {
  const at = (minute: number, seconds = 0) => new Date(options.start.getTime() + minute * MINUTE_MS + seconds * 1000);
  switch (shape) {
    case 'oom_killed_proxy':
      return oomKilledProxy(options, at);
    case 'cpu_saturation':
      return cpuSaturation(options, at);
    case 'hpa_scale_down':
      return hpaScaleDown(options, at);
    case 'daily_restart':
      return dailyRestart(options, at);
    case 'deploy':
      return deploy(options, at);
  }
}

type At = (minute: number, seconds?: number) => Date;

/** Minute offsets from a 18:00 start: 98 = 19:38, three minutes before the customer's 19:41. */
const KILL_MINUTES = [98, 125, 151];

function oomKilledProxy(options: ChangeIncidentOptions, at: At): ChangeIncident {
  const pods = ['traefik-7d9f8b6c5-x2x9k', 'traefik-7d9f8b6c5-m4q8w', 'traefik-7d9f8b6c5-zb5tn'];
  const events = KILL_MINUTES.flatMap((minute, i) => {
    const pod = pods[i]!;
    const node = `ip-10-0-1${2 + i}-34.${REGION}.compute.internal`;
    const uid = `5b3c9f0e-2a41-4d7e-9c6b-1e8f7a2d4c9${i}`;
    const involved = {
      kind: 'Pod',
      name: pod,
      namespace: 'traefik',
      apiVersion: 'v1',
      fieldPath: 'spec.containers{traefik}',
    };
    return [
      kubeEvent({
        at: at(minute, 12),
        reason: 'OOMKilling',
        type: 'Warning',
        message: `Memory cgroup out of memory: Killed process ${2716504 + i * 1311} (traefik) total-vm:1837428kB, anon-rss:524012kB, file-rss:41232kB, shmem-rss:0kB, UID:65532 pgtables:1284kB oom_score_adj:999`,
        involved: { kind: 'Node', name: node },
        component: 'kernel-monitor',
        host: node,
        uid: `f5f30161-50d1-4d64-a93f-cb258da8f0${i}a`,
      }),
      kubeEvent({
        at: at(minute, 41),
        firstAt: at(-1200),
        count: 2 + i,
        reason: 'Pulled',
        message: 'Container image "traefik:v2.10.4" already present on machine',
        involved,
        component: 'kubelet',
        host: node,
        uid,
      }),
      kubeEvent({
        at: at(minute, 42),
        firstAt: at(-1200),
        count: 2 + i,
        reason: 'Started',
        message: 'Started container traefik',
        involved,
        component: 'kubelet',
        host: node,
        uid,
      }),
    ];
  });
  const podList = pods.map((name, i) =>
    kubePod({
      name,
      namespace: 'traefik',
      container: 'traefik',
      image: 'traefik:v2.10.4',
      node: NODE,
      restartCount: 1 + i,
      lastTerminated: {
        reason: 'OOMKilled',
        exitCode: 137,
        startedAt: at(-300 + i),
        finishedAt: at(KILL_MINUTES[i]!, 12),
      },
      runningSince: at(KILL_MINUTES[i]!, 42),
      uid: `5b3c9f0e-2a41-4d7e-9c6b-1e8f7a2d4c9${i}`,
    }),
  );
  return {
    shape: 'oom_killed_proxy',
    incidentEvents: KILL_MINUTES.map((minute) => ({
      kind: 'target_down',
      index: options.index,
      fromMinute: minute,
      toMinute: minute + 1,
      failFraction: 0.35,
    })),
    files: {
      'kubectl-events.json': exportText(kubeList([...billingRollout(at), ...events].sort(byLastTimestamp))),
      'kubectl-pods-traefik.json': exportText(kubeList(podList)),
    },
  };
}

/** An unrelated Deployment rolled out an hour and a half earlier: context, never a cause. */
function billingRollout(at: At): Array<Record<string, unknown>> {
  const involved = { kind: 'Deployment', name: 'billing-api', namespace: 'billing', apiVersion: 'apps/v1' };
  const uid = '8f1d2c3b-4a5e-4f60-8b7c-9d0e1f2a3b4c';
  return [
    kubeEvent({
      at: at(8, 12),
      reason: 'ScalingReplicaSet',
      message: 'Scaled up replica set billing-api-5c7d8b9f4 to 1',
      involved,
      component: 'deployment-controller',
      uid,
    }),
    kubeEvent({
      at: at(9, 2),
      reason: 'ScalingReplicaSet',
      message: 'Scaled down replica set billing-api-6f5c4d7b8 to 2 from 3',
      involved,
      component: 'deployment-controller',
      uid,
    }),
  ];
}

const byLastTimestamp = (a: Record<string, unknown>, b: Record<string, unknown>) =>
  String(a.lastTimestamp).localeCompare(String(b.lastTimestamp));

/** CPU-bound: the busiest task pegged from 19:34 to 19:49 while the average stays near 40 %. */
function cpuSaturation(options: ChangeIncidentOptions, at: At): ChangeIncident {
  const random = seededRandom(options.seed ?? 2);
  const points = [];
  for (let minute = 85; minute <= 115; minute++) {
    const busy = minute >= 94 && minute <= 109;
    points.push({
      at: at(minute),
      maximum: busy && minute % 4 !== 1 ? 100 : round(55 + random() * 25),
      average: busy ? round(36 + random() * 9) : round(22 + random() * 10),
    });
  }
  const cluster = 'passport';
  const service = 'keepsakes-api';
  const failed = [
    { id: '3e4f5a6b7c8d4e9f8a0b1c2d3e4f5a6b', minute: 96 },
    { id: '4f5a6b7c8d9e4f0a9b1c2d3e4f5a6b7c', minute: 104 },
  ];
  const messages = failed.flatMap(({ id, minute }) => [
    {
      at: at(minute, 5),
      message: `(service ${service}) (task ${id}) (port 1337) is unhealthy in (target-group ${arnOf(options.targetGroup)}) due to (reason Request timed out).`,
    },
    { at: at(minute, 38), message: `(service ${service}) has stopped 1 running tasks: (task ${id}).` },
    {
      at: at(minute + 1, 9),
      message: `(service ${service}) has started 1 tasks: (task ${id.split('').reverse().join('')}).`,
    },
  ]);
  messages.push({ at: at(20), message: `(service ${service}) has reached a steady state.` });
  const describe = {
    services: [
      ecsService({
        cluster,
        name: service,
        targetGroup: options.targetGroup,
        taskDefinition: `${service}:17`,
        desiredCount: 4,
        events: messages.sort((a, b) => b.at.getTime() - a.at.getTime()),
        deployments: [
          {
            id: 'ecs-svc/2747162534251617283',
            status: 'PRIMARY',
            createdAt: new Date('2026-06-11T03:12:40Z'),
            updatedAt: new Date('2026-06-11T03:19:02Z'),
            rolloutState: 'COMPLETED',
          },
        ],
      }),
    ],
    failures: [],
  };
  const tasks = {
    tasks: failed.map(({ id, minute }) =>
      ecsStoppedTask({
        cluster,
        service,
        id,
        stoppedAt: at(minute, 36),
        stoppedReason: `Task failed ELB health checks in (target-group ${arnOf(options.targetGroup)})`,
        stopCode: 'ServiceSchedulerInitiated',
        exitCode: 137,
        deployment: 'ecs-svc/2747162534251617283',
      }),
    ),
    failures: [],
  };
  return {
    shape: 'cpu_saturation',
    incidentEvents: [{ kind: 'target_down', index: options.index, fromMinute: 94, toMinute: 109, failFraction: 0.06 }],
    files: {
      'keepsakes-api-cpu.json': exportText(metricStatistics('CPUUtilization', points)),
      'ecs-describe-services.json': exportText(describe),
      'ecs-describe-tasks.json': exportText(tasks),
    },
  };
}

function hpaScaleDown(options: ChangeIncidentOptions, at: At): ChangeIncident {
  const replicaSet = 'queue-web-6d9c7b8f5';
  const pods = ['x2x9k', 'm4q8w', 'zb5tn', 'p7c2d', 'hv4sj'].map((suffix) => `${replicaSet}-${suffix}`);
  const hpa = { kind: 'HorizontalPodAutoscaler', name: 'queue-web', namespace: 'queue', apiVersion: 'autoscaling/v2' };
  const deployment = { kind: 'Deployment', name: 'queue-web', namespace: 'queue', apiVersion: 'apps/v1' };
  const rs = { kind: 'ReplicaSet', name: replicaSet, namespace: 'queue', apiVersion: 'apps/v1' };
  const events = [
    // Scaled out earlier in the day: context.
    kubeEvent({
      at: at(20, 3),
      reason: 'SuccessfulRescale',
      message: 'New size: 20; reason: cpu resource utilization (percentage of request) above target',
      involved: hpa,
      component: 'horizontal-pod-autoscaler',
      uid: '3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f',
    }),
    kubeEvent({
      at: at(20, 3),
      reason: 'ScalingReplicaSet',
      message: `Scaled up replica set ${replicaSet} to 20 from 16`,
      involved: deployment,
      component: 'deployment-controller',
      uid: '8f1d2c3b-4a5e-4f60-8b7c-9d0e1f2a3b4d',
    }),
    kubeEvent({
      at: at(99, 2),
      reason: 'SuccessfulRescale',
      message: 'New size: 15; reason: All metrics below target',
      involved: hpa,
      component: 'horizontal-pod-autoscaler',
      uid: '3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f',
    }),
    kubeEvent({
      at: at(99, 2),
      reason: 'ScalingReplicaSet',
      message: `Scaled down replica set ${replicaSet} to 15 from 20`,
      involved: deployment,
      component: 'deployment-controller',
      uid: '8f1d2c3b-4a5e-4f60-8b7c-9d0e1f2a3b4d',
    }),
    ...pods.map((pod) =>
      kubeEvent({
        at: at(99, 3),
        reason: 'SuccessfulDelete',
        message: `Deleted pod: ${pod}`,
        involved: rs,
        component: 'replicaset-controller',
        uid: '6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d',
      }),
    ),
    ...pods.map((pod, i) =>
      kubeEvent({
        at: at(99, 3),
        reason: 'Killing',
        message: 'Stopping container queue-web',
        involved: {
          kind: 'Pod',
          name: pod,
          namespace: 'queue',
          apiVersion: 'v1',
          fieldPath: 'spec.containers{queue-web}',
        },
        component: 'kubelet',
        host: NODE,
        uid: `7e8f9a0b-1c2d-4e3f-8a4b-5c6d7e8f9a0${i}`,
      }),
    ),
  ];
  return {
    shape: 'hpa_scale_down',
    incidentEvents: [{ kind: 'target_down', index: options.index, fromMinute: 99, toMinute: 101, failFraction: 0.25 }],
    files: {
      'kubectl-events.json': exportText(kubeList(events.sort(byLastTimestamp))),
      [`${shortTargetGroup(options.targetGroup)}-target-group-attributes.json`]: exportText(
        attributes([
          ['stickiness.enabled', 'false'],
          ['deregistration_delay.timeout_seconds', '0'],
          ['slow_start.duration_seconds', '0'],
          ['load_balancing.algorithm.type', 'round_robin'],
        ]),
      ),
    },
  };
}

/** The daily restart falls at 19:38 UTC; the export covers the last day, the counts fourteen. */
const RESTART_MINUTE = 98;
const DAYS = 14;
/** Days on which the restart did not happen (a failed cron run): a pattern need not be perfect. */
const SKIPPED_DAYS = [4, 9];

function dailyRestart(options: ChangeIncidentOptions, at: At): ChangeIncident {
  const pods = ['websocktunnel-8c5d7f9b4-q2w8x', 'websocktunnel-8c5d7f9b4-r5t7v', 'websocktunnel-8c5d7f9b4-z9k4m'];
  const podList = pods.map((name, i) =>
    kubePod({
      name,
      namespace: 'taskcluster',
      container: 'websocktunnel',
      image: 'websocktunnel:v44.8.1',
      node: NODE,
      restartCount: 13,
      lastTerminated: {
        reason: 'Completed',
        exitCode: 0,
        startedAt: at(RESTART_MINUTE - 1440, 20 + i),
        finishedAt: at(RESTART_MINUTE, 5 + i * 4),
      },
      runningSince: at(RESTART_MINUTE, 9 + i * 4),
      uid: `9c0d1e2f-3a4b-4c5d-8e6f-7a8b9c0d1e2${i}`,
    }),
  );
  const random = seededRandom(options.seed ?? 3);
  const firstDay = new Date(Math.floor(options.start.getTime() / 86_400_000) * 86_400_000 - (DAYS - 1) * 86_400_000);
  const restartHour = at(RESTART_MINUTE).getUTCHours();
  const counts: number[] = [];
  for (let day = 0; day < DAYS; day++) {
    for (let hour = 0; hour < 24; hour++) {
      const restart = hour === restartHour && !SKIPPED_DAYS.includes(day);
      counts.push(noisyCount(restart ? 180 : 3, random));
    }
  }
  return {
    shape: 'daily_restart',
    incidentEvents: [
      {
        kind: 'target_down',
        index: options.index,
        fromMinute: RESTART_MINUTE,
        toMinute: RESTART_MINUTE + 1,
        failFraction: 0.3,
      },
    ],
    files: { 'kubectl-pods-websocktunnel.json': exportText(kubeList(podList)) },
    hourlyErrors: { start: firstDay, counts },
  };
}

function deploy(options: ChangeIncidentOptions, at: At): ChangeIncident {
  const tg = arnOf(options.targetGroup);
  const otherTg = arnOf('targetgroup/billing-api/fedcba9876543210');
  const lb = arnOf('loadbalancer/app/k8s-ingress/0123456789abcdef');
  const old = ['10.0.2.10', '10.0.2.11', '10.0.2.12'].map((id) => ({ id, port: 8080 }));
  const fresh = ['10.0.2.58', '10.0.2.59', '10.0.2.60'].map((id) => ({ id, port: 8080 }));
  const tgResource = [{ ResourceType: 'AWS::ElasticLoadBalancingV2::TargetGroup', ResourceName: tg }];
  const deployer = assumedRole('deploy-bot', 'github-actions-8842119021');
  const records: Array<[Record<string, unknown>, Array<{ ResourceType: string; ResourceName: string }>]> = [
    [
      trailRecord({
        at: at(101, 30),
        eventSource: 'elasticloadbalancing.amazonaws.com',
        eventName: 'DescribeTargetHealth',
        identity: ECS_SCHEDULER,
        request: { targetGroupArn: tg },
        readOnly: true,
        eventId: '5c4d3e2f-1a0b-4c9d-8e7f-6a5b4c3d2e1f',
      }),
      tgResource,
    ],
    [
      trailRecord({
        at: at(100, 3),
        eventSource: 'elasticloadbalancing.amazonaws.com',
        eventName: 'DeregisterTargets',
        identity: ECS_SCHEDULER,
        request: { targetGroupArn: tg, targets: old },
        eventId: '7b8c9d0e-1f2a-4b3c-8d4e-5f6a7b8c9d0e',
      }),
      tgResource,
    ],
    [
      trailRecord({
        at: at(99, 50),
        eventSource: 'elasticloadbalancing.amazonaws.com',
        eventName: 'DeregisterTargets',
        identity: ECS_SCHEDULER,
        request: { targetGroupArn: otherTg, targets: [{ id: '10.0.31.5', port: 9000 }] },
        eventId: '8c9d0e1f-2a3b-4c4d-9e5f-6a7b8c9d0e1f',
      }),
      [{ ResourceType: 'AWS::ElasticLoadBalancingV2::TargetGroup', ResourceName: otherTg }],
    ],
    [
      trailRecord({
        at: at(99, 12),
        eventSource: 'elasticloadbalancing.amazonaws.com',
        eventName: 'RegisterTargets',
        identity: ECS_SCHEDULER,
        request: { targetGroupArn: tg, targets: fresh },
        eventId: '9d0e1f2a-3b4c-4d5e-8f6a-7b8c9d0e1f2a',
      }),
      tgResource,
    ],
    [
      trailRecord({
        at: at(95, 11),
        eventSource: 'ecs.amazonaws.com',
        eventName: 'UpdateService',
        identity: deployer,
        request: { cluster: 'prod', service: 'search-api', taskDefinition: 'search-api:43', forceNewDeployment: false },
        response: {
          service: {
            serviceName: 'search-api',
            clusterArn: arnOf('cluster/prod', 'ecs'),
            desiredCount: 3,
            runningCount: 3,
            taskDefinition: arnOf('task-definition/search-api:43', 'ecs'),
          },
        },
        eventId: '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
      }),
      [{ ResourceType: 'AWS::ECS::Service', ResourceName: 'search-api' }],
    ],
    [
      trailRecord({
        at: at(95, 2),
        eventSource: 'ecs.amazonaws.com',
        eventName: 'RegisterTaskDefinition',
        identity: deployer,
        request: { family: 'search-api', cpu: '1024', memory: '2048' },
        eventId: '2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e',
      }),
      [{ ResourceType: 'AWS::ECS::TaskDefinition', ResourceName: 'search-api:43' }],
    ],
    [
      trailRecord({
        at: at(-5, 21),
        eventSource: 'elasticloadbalancing.amazonaws.com',
        eventName: 'ModifyRule',
        identity: iamUser('ops-admin'),
        request: {
          ruleArn: arnOf('listener-rule/app/k8s-ingress/0123456789abcdef/4f5e6d7c8b9a0f1e/2a3b4c5d6e7f8a9b'),
          conditions: [{ field: 'path-pattern', values: ['/indexes/*'] }],
        },
        eventId: '4d5e6f7a-8b9c-4d0e-9f1a-2b3c4d5e6f7a',
      }),
      [{ ResourceType: 'AWS::ElasticLoadBalancingV2::ListenerRule', ResourceName: lb }],
    ],
  ];
  const service = ecsService({
    cluster: 'prod',
    name: 'search-api',
    targetGroup: options.targetGroup,
    taskDefinition: 'search-api:43',
    desiredCount: 3,
    events: [
      { at: at(104, 57), message: '(service search-api) has reached a steady state.' },
      {
        at: at(100, 13),
        message:
          '(service search-api) has stopped 3 running tasks: (task 5b6c7d8e9f0a4b1c8d2e3f4a5b6c7d8e) (task 9a8b7c6d5e4f4a3b2c1d0e9f8a7b6c5d) (task 1f2e3d4c5b6a4978a6b5c4d3e2f1a0b9).',
      },
      {
        at: at(100, 3),
        message: '(service search-api, taskSet ecs-svc/3918246516285612345) has begun draining connections on 3 tasks.',
      },
      { at: at(100, 3), message: `(service search-api) deregistered 3 targets in (target-group ${tg})` },
      { at: at(99, 12), message: `(service search-api) registered 3 targets in (target-group ${tg})` },
      {
        at: at(97, 40),
        message:
          '(service search-api) has started 3 tasks: (task 2c3d4e5f6a7b4c8d9e0f1a2b3c4d5e6f) (task 3d4e5f6a7b8c4d9e8f1a2b3c4d5e6f7a) (task 4e5f6a7b8c9d4e0f9a2b3c4d5e6f7a8b).',
      },
    ],
    deployments: [
      {
        id: 'ecs-svc/3918246516285612345',
        status: 'PRIMARY',
        createdAt: at(95, 11),
        updatedAt: at(104, 57),
        rolloutState: 'COMPLETED',
      },
    ],
  });
  return {
    shape: 'deploy',
    incidentEvents: [{ kind: 'target_down', index: options.index, fromMinute: 100, toMinute: 102, failFraction: 0.3 }],
    files: {
      'cloudtrail-lookup-events.json': exportText({
        Events: records.map(([record, resources]) => lookupEvent(record, resources)),
      }),
      'ecs-describe-services.json': exportText({ services: [service], failures: [] }),
      [`${shortTargetGroup(options.targetGroup)}-target-group-attributes.json`]: exportText(
        attributes([
          ['deregistration_delay.timeout_seconds', '0'],
          ['stickiness.enabled', 'false'],
        ]),
      ),
    },
  };
}

function shortTargetGroup(targetGroup: string): string {
  return targetGroup.split('/')[1] ?? targetGroup;
}

function round(n: number): number {
  return Math.round(n * 10_000) / 10_000;
}
