/**
 * The exports people hand to `--events`, written as the tools write them: `kubectl get events
 * -A -o json` and `kubectl get pods -o json` (core/v1 lists), `aws cloudtrail lookup-events`
 * (`CloudTrailEvent` as a JSON string), `aws ecs describe-services` / `describe-tasks`, `aws elbv2
 * describe-*-attributes`, `aws cloudwatch get-metric-statistics`. Field sets follow the
 * fixtures in test/fixtures/changes (modelled on real outputs; see SOURCES.md there). JSON is
 * indented by 4, as kubectl and the AWS CLI print it.
 */

type Json = Record<string, unknown>;

export const REGION = 'ap-southeast-2';
export const ACCOUNT = '123456789012';

export function exportText(document: unknown): string {
  return `${JSON.stringify(document, null, 4)}\n`;
}

/** ISO 8601 with seconds, as kubectl prints times. */
const kubeTime = (at: Date) => at.toISOString().replace(/\.\d{3}Z$/, 'Z');
/** ISO 8601 with microseconds and an offset, as the AWS CLI v2 prints ECS times. */
const cliTime = (at: Date) => at.toISOString().replace(/\.(\d{3})Z$/, '.$1000+00:00');

export interface KubeEventSpec {
  at: Date;
  firstAt?: Date;
  count?: number;
  reason: string;
  message: string;
  type?: 'Normal' | 'Warning';
  involved: { kind: string; name: string; namespace?: string; apiVersion?: string; fieldPath?: string };
  /** "kubelet", "horizontal-pod-autoscaler", "deployment-controller", "kernel-monitor"… */
  component: string;
  host?: string;
  uid: string;
}

export function kubeEvent(spec: KubeEventSpec): Json {
  const first = spec.firstAt ?? spec.at;
  const namespace = spec.involved.namespace ?? 'default';
  // Each event has its own name and uid; the involved object's uid is the object's.
  const seed = fnv1a(`${spec.uid}|${spec.involved.name}|${spec.reason}|${spec.message}|${first.getTime()}`);
  return {
    apiVersion: 'v1',
    count: spec.count ?? 1,
    eventTime: null,
    firstTimestamp: kubeTime(first),
    involvedObject: {
      ...(spec.involved.apiVersion ? { apiVersion: spec.involved.apiVersion } : {}),
      ...(spec.involved.fieldPath ? { fieldPath: spec.involved.fieldPath } : {}),
      kind: spec.involved.kind,
      name: spec.involved.name,
      ...(spec.involved.namespace ? { namespace: spec.involved.namespace } : {}),
      uid: spec.involved.kind === 'Node' ? spec.involved.name : spec.uid,
    },
    kind: 'Event',
    lastTimestamp: kubeTime(spec.at),
    message: spec.message,
    metadata: {
      creationTimestamp: kubeTime(first),
      name: `${spec.involved.name}.${(BigInt(first.getTime()) * 1_000_000n + BigInt(seed % 1_000_000)).toString(16)}`,
      namespace,
      resourceVersion: String(48_000_000 + (Math.floor(spec.at.getTime() / 1000) % 1_000_000)),
      uid: uuidFrom(seed),
    },
    reason: spec.reason,
    reportingComponent: spec.component === 'kernel-monitor' ? '' : spec.component,
    reportingInstance: spec.component === 'kubelet' ? (spec.host ?? '') : '',
    source: spec.host ? { component: spec.component, host: spec.host } : { component: spec.component },
    type: spec.type ?? 'Normal',
  };
}

/** 32-bit FNV-1a: deterministic ids from text, so the same incident writes the same files. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash;
}

function uuidFrom(seed: number): string {
  const hex = [seed, fnv1a(String(seed)), fnv1a(`${seed}b`), fnv1a(`${seed}c`)]
    .map((n) => n.toString(16).padStart(8, '0'))
    .join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export function kubeList(items: Json[]): Json {
  return { apiVersion: 'v1', items, kind: 'List', metadata: { resourceVersion: '' } };
}

export interface KubePodSpec {
  name: string;
  namespace: string;
  container: string;
  image: string;
  node: string;
  restartCount: number;
  /** The container's last termination, if any. */
  lastTerminated?: { reason: string; exitCode: number; startedAt: Date; finishedAt: Date };
  runningSince: Date;
  uid: string;
}

export function kubePod(spec: KubePodSpec): Json {
  const replicaSet = spec.name.replace(/-[^-]+$/, '');
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      creationTimestamp: kubeTime(new Date(spec.runningSince.getTime() - 86_400_000)),
      generateName: `${replicaSet}-`,
      labels: { 'app.kubernetes.io/name': spec.container, 'pod-template-hash': replicaSet.split('-').at(-1) },
      name: spec.name,
      namespace: spec.namespace,
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          blockOwnerDeletion: true,
          controller: true,
          kind: 'ReplicaSet',
          name: replicaSet,
          uid: spec.uid.replace(/^.{8}/, '6a7b8c9d'),
        },
      ],
      resourceVersion: '48212290',
      uid: spec.uid,
    },
    spec: {
      containers: [
        {
          image: spec.image,
          imagePullPolicy: 'IfNotPresent',
          name: spec.container,
          resources: { limits: { cpu: '500m', memory: '512Mi' }, requests: { cpu: '100m', memory: '256Mi' } },
        },
      ],
      nodeName: spec.node,
      terminationGracePeriodSeconds: 30,
    },
    status: {
      containerStatuses: [
        {
          containerID: `containerd://${spec.uid.replace(/-/g, '')}${spec.uid.replace(/-/g, '')}`.slice(0, 77),
          image: `docker.io/library/${spec.image}`,
          imageID: `docker.io/library/${spec.image.split(':')[0]}@sha256:${'0c1b2a3f4e5d6c7b'.repeat(4)}`,
          lastState: spec.lastTerminated
            ? {
                terminated: {
                  containerID: `containerd://${'9a8b7c6d5e4f3a2b'.repeat(4)}`,
                  exitCode: spec.lastTerminated.exitCode,
                  finishedAt: kubeTime(spec.lastTerminated.finishedAt),
                  reason: spec.lastTerminated.reason,
                  startedAt: kubeTime(spec.lastTerminated.startedAt),
                },
              }
            : {},
          name: spec.container,
          ready: true,
          restartCount: spec.restartCount,
          started: true,
          state: { running: { startedAt: kubeTime(spec.runningSince) } },
        },
      ],
      hostIP: '10.0.12.34',
      phase: 'Running',
      podIP: '10.0.12.87',
      qosClass: 'Burstable',
      startTime: kubeTime(new Date(spec.runningSince.getTime() - 86_400_000)),
    },
  };
}

export type Identity = Json;

/** ECS's service-linked role, as CloudTrail records the calls ECS makes for a service. */
export const ECS_SCHEDULER: Identity = {
  type: 'AssumedRole',
  principalId: 'AROAEXAMPLEECSROLE0001:ecs-service-scheduler',
  arn: `arn:aws:sts::${ACCOUNT}:assumed-role/AWSServiceRoleForECS/ecs-service-scheduler`,
  accountId: ACCOUNT,
  sessionContext: {
    sessionIssuer: {
      type: 'Role',
      principalId: 'AROAEXAMPLEECSROLE0001',
      arn: `arn:aws:iam::${ACCOUNT}:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS`,
      accountId: ACCOUNT,
      userName: 'AWSServiceRoleForECS',
    },
    webIdFederationData: {},
    attributes: { creationDate: '2026-06-18T17:21:44Z', mfaAuthenticated: 'false' },
  },
  invokedBy: 'ecs.amazonaws.com',
};

/** A CI role assumed through OIDC; the access key id is a documentation example. */
export function assumedRole(role: string, session: string): Identity {
  return {
    type: 'AssumedRole',
    principalId: `AROAEXAMPLE${role
      .toUpperCase()
      .replace(/[^A-Z]/g, '')
      .slice(0, 8)}:${session}`,
    arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${role}/${session}`,
    accountId: ACCOUNT,
    accessKeyId: 'ASIAEXAMPLEKEY000001',
    sessionContext: {
      sessionIssuer: {
        type: 'Role',
        principalId: 'AROAEXAMPLEROLE',
        arn: `arn:aws:iam::${ACCOUNT}:role/${role}`,
        accountId: ACCOUNT,
        userName: role,
      },
      webIdFederationData: {},
      attributes: { creationDate: '2026-06-18T17:00:00Z', mfaAuthenticated: 'false' },
    },
  };
}

export function iamUser(name: string): Identity {
  return {
    type: 'IAMUser',
    principalId: 'AIDAEXAMPLEOPSUSER003',
    arn: `arn:aws:iam::${ACCOUNT}:user/${name}`,
    accountId: ACCOUNT,
    accessKeyId: 'AKIAEXAMPLEKEY000002',
    userName: name,
  };
}

export interface TrailRecordSpec {
  at: Date;
  eventSource: string;
  eventName: string;
  identity: Identity;
  request: Json | null;
  response?: Json | null;
  readOnly?: boolean;
  error?: [code: string, message: string];
  eventId: string;
}

export function trailRecord(spec: TrailRecordSpec): Json {
  const invokedBy = typeof spec.identity.invokedBy === 'string' ? spec.identity.invokedBy : undefined;
  return {
    eventVersion: '1.09',
    userIdentity: spec.identity,
    eventTime: kubeTime(spec.at),
    eventSource: spec.eventSource,
    eventName: spec.eventName,
    awsRegion: REGION,
    sourceIPAddress: invokedBy ?? '203.0.113.24',
    userAgent: invokedBy ?? 'aws-cli/2.17.9 md/awscrt#0.20.11 ua/2.0 os/linux#6.5.0 md/arch#x86_64 lang/python#3.11.9',
    requestParameters: spec.request,
    responseElements: spec.response ?? null,
    ...(spec.error ? { errorCode: spec.error[0], errorMessage: spec.error[1] } : {}),
    requestID: `d9e8f7a6-b5c4-4d3e-8f2a-${spec.eventId.slice(-12)}`,
    eventID: spec.eventId,
    readOnly: spec.readOnly ?? false,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: ACCOUNT,
    eventCategory: 'Management',
  };
}

/** One `Events[]` entry of `aws cloudtrail lookup-events`: outer fields plus the record as a JSON string. */
export function lookupEvent(record: Json, resources: Array<{ ResourceType: string; ResourceName: string }>): Json {
  const identity = record.userIdentity as Json;
  return {
    EventId: record.eventID,
    EventName: record.eventName,
    ReadOnly: record.readOnly ? 'true' : 'false',
    ...(typeof identity.accessKeyId === 'string' ? { AccessKeyId: identity.accessKeyId } : {}),
    EventTime: String(record.eventTime).replace('Z', '+00:00'),
    EventSource: record.eventSource,
    Username: identity.userName ?? String(identity.arn).split('/').at(-1),
    Resources: resources,
    CloudTrailEvent: JSON.stringify(record),
  };
}

export const arnOf = (resource: string, service = 'elasticloadbalancing') =>
  `arn:aws:${service}:${REGION}:${ACCOUNT}:${resource}`;

export interface EcsServiceSpec {
  cluster: string;
  name: string;
  targetGroup: string;
  taskDefinition: string;
  desiredCount: number;
  /** Newest first, as DescribeServices returns them. */
  events: Array<{ at: Date; message: string }>;
  deployments: Array<{ id: string; status: string; createdAt: Date; updatedAt: Date; rolloutState: string }>;
}

export function ecsService(spec: EcsServiceSpec): Json {
  return {
    serviceArn: arnOf(`service/${spec.cluster}/${spec.name}`, 'ecs'),
    serviceName: spec.name,
    clusterArn: arnOf(`cluster/${spec.cluster}`, 'ecs'),
    loadBalancers: [{ targetGroupArn: arnOf(spec.targetGroup), containerName: spec.name, containerPort: 8080 }],
    serviceRegistries: [],
    status: 'ACTIVE',
    desiredCount: spec.desiredCount,
    runningCount: spec.desiredCount,
    pendingCount: 0,
    launchType: 'FARGATE',
    platformVersion: 'LATEST',
    platformFamily: 'Linux',
    taskDefinition: arnOf(`task-definition/${spec.taskDefinition}`, 'ecs'),
    deploymentConfiguration: {
      deploymentCircuitBreaker: { enable: true, rollback: true },
      maximumPercent: 200,
      minimumHealthyPercent: 100,
    },
    deployments: spec.deployments.map((d) => ({
      id: d.id,
      status: d.status,
      taskDefinition: arnOf(`task-definition/${spec.taskDefinition}`, 'ecs'),
      desiredCount: spec.desiredCount,
      pendingCount: 0,
      runningCount: spec.desiredCount,
      failedTasks: 0,
      createdAt: cliTime(d.createdAt),
      updatedAt: cliTime(d.updatedAt),
      launchType: 'FARGATE',
      platformVersion: '1.4.0',
      platformFamily: 'Linux',
      rolloutState: d.rolloutState,
      rolloutStateReason: `ECS deployment ${d.id} ${d.rolloutState === 'COMPLETED' ? 'completed' : 'in progress'}.`,
    })),
    roleArn: `arn:aws:iam::${ACCOUNT}:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS`,
    events: spec.events.map((e, i) => ({
      id: `${(0x1f2e3d00 + i).toString(16)}-5e6f-4a7b-8c9d-0e1f2a3b4c5d`,
      createdAt: cliTime(e.at),
      message: e.message,
    })),
    createdAt: '2025-11-02T04:12:40.221000+00:00',
    placementConstraints: [],
    placementStrategy: [],
    healthCheckGracePeriodSeconds: 0,
    schedulingStrategy: 'REPLICA',
    deploymentController: { type: 'ECS' },
    enableECSManagedTags: true,
    propagateTags: 'NONE',
    enableExecuteCommand: false,
  };
}

export interface EcsTaskSpec {
  cluster: string;
  service: string;
  id: string;
  stoppedAt: Date;
  stoppedReason: string;
  stopCode: string;
  exitCode: number;
  containerReason?: string;
  deployment: string;
}

export function ecsStoppedTask(spec: EcsTaskSpec): Json {
  const taskArn = arnOf(`task/${spec.cluster}/${spec.id}`, 'ecs');
  return {
    attachments: [],
    availabilityZone: `${REGION}a`,
    clusterArn: arnOf(`cluster/${spec.cluster}`, 'ecs'),
    connectivity: 'CONNECTED',
    containers: [
      {
        containerArn: arnOf(`container/${spec.cluster}/${spec.id}/6b7c8d9e-0f1a-4b2c-8d3e-4f5a6b7c8d9e`, 'ecs'),
        taskArn,
        name: spec.service,
        image: `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/${spec.service}:2026.06.18-1`,
        lastStatus: 'STOPPED',
        exitCode: spec.exitCode,
        ...(spec.containerReason ? { reason: spec.containerReason } : {}),
        healthStatus: 'UNKNOWN',
        cpu: '0',
      },
    ],
    cpu: '1024',
    createdAt: cliTime(new Date(spec.stoppedAt.getTime() - 5 * 3_600_000)),
    desiredStatus: 'STOPPED',
    group: `service:${spec.service}`,
    healthStatus: 'UNKNOWN',
    lastStatus: 'STOPPED',
    launchType: 'FARGATE',
    memory: '2048',
    platformVersion: '1.4.0',
    startedBy: spec.deployment,
    stopCode: spec.stopCode,
    stoppedAt: cliTime(spec.stoppedAt),
    stoppedReason: spec.stoppedReason,
    stoppingAt: cliTime(new Date(spec.stoppedAt.getTime() - 30_000)),
    taskArn,
    taskDefinitionArn: arnOf(`task-definition/${spec.service}:17`, 'ecs'),
    version: 5,
  };
}

export function attributes(pairs: Array<[string, string]>): Json {
  return { Attributes: pairs.map(([Key, Value]) => ({ Key, Value })) };
}

export function metricStatistics(label: string, points: Array<{ at: Date; maximum: number; average: number }>): Json {
  return {
    Label: label,
    Datapoints: points.map((p) => ({
      Timestamp: p.at.toISOString().replace(/\.\d{3}Z$/, '+00:00'),
      Maximum: p.maximum,
      Average: p.average,
      Unit: 'Percent',
    })),
  };
}
