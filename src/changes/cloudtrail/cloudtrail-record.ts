/**
 * Pure: one CloudTrail record (the JSON that LookupEvents returns as the `CloudTrailEvent` string
 * and that trail log files hold in `Records`) read as the changes it made. Only writes that
 * succeeded matter: read-only calls and calls with an errorCode changed nothing.
 *
 * Event names per event source: next-capabilities §4.1 (botocore operation lists).
 */
import type { ChangeEvent } from '../change-event.js';
import { type EventReferences, loadBalancerOfListener, noReferences } from '../change-scope.js';
import { evidenceText, shortName } from '../short-names.js';

/** The fields of a CloudTrail record this module reads (the rest is ignored). */
export interface CloudTrailRecord {
  eventTime?: unknown;
  eventSource?: unknown;
  eventName?: unknown;
  readOnly?: unknown;
  errorCode?: unknown;
  eventID?: unknown;
  userIdentity?: unknown;
  requestParameters?: unknown;
  responseElements?: unknown;
}

export type RecordOutcome =
  | { kind: 'changes'; changes: ChangeEvent[]; references: EventReferences }
  /** Read-only, failed, or an event name that changes nothing behind the load balancer. */
  | { kind: 'skipped'; why: 'read_only' | 'failed' | 'not_a_change' | 'malformed' };

type Json = Record<string, unknown>;

/** Reads one record. `source` labels the changes ("CloudTrail", "CloudTrail log file x.json.gz"). */
export function readCloudTrailRecord(record: CloudTrailRecord, source: string): RecordOutcome {
  const at = parseInstant(record.eventTime);
  const eventSource = typeof record.eventSource === 'string' ? record.eventSource : '';
  const eventName = typeof record.eventName === 'string' ? record.eventName : '';
  if (!at || !eventSource || !eventName) return { kind: 'skipped', why: 'malformed' };
  if (record.readOnly === true || record.readOnly === 'true') return { kind: 'skipped', why: 'read_only' };
  if (typeof record.errorCode === 'string' && record.errorCode !== '') return { kind: 'skipped', why: 'failed' };
  const reader = READERS[eventSource]?.[eventName];
  if (!reader) return { kind: 'skipped', why: 'not_a_change' };
  const request = asObject(record.requestParameters);
  const base: Base = { at, actor: actorOf(record.userIdentity), source, eventName };
  const { changes, references } = reader(request, asObject(record.responseElements), base);
  return changes.length > 0 ? { kind: 'changes', changes, references } : { kind: 'skipped', why: 'not_a_change' };
}

interface Base {
  at: Date;
  actor: string | undefined;
  source: string;
  eventName: string;
}

type Reader = (request: Json, response: Json, base: Base) => { changes: ChangeEvent[]; references: EventReferences };

const ELB_CONFIG_CALLS = [
  'ModifyTargetGroup',
  'ModifyListener',
  'ModifyListenerAttributes',
  'ModifyRule',
  'CreateRule',
  'DeleteRule',
  'SetRulePriorities',
  'SetSecurityGroups',
  'SetSubnets',
  'DeleteTargetGroup',
];

const READERS: Record<string, Record<string, Reader>> = {
  'elasticloadbalancing.amazonaws.com': {
    RegisterTargets: (request, _response, base) => targetsChange('targets_registered', request, base),
    DeregisterTargets: (request, _response, base) => targetsChange('targets_deregistered', request, base),
    ModifyLoadBalancerAttributes: (request, _response, base) =>
      attributesChange(request, 'loadBalancerArn', 'load balancer', base),
    ModifyTargetGroupAttributes: (request, _response, base) =>
      attributesChange(request, 'targetGroupArn', 'target group', base),
    ...Object.fromEntries(ELB_CONFIG_CALLS.map((name) => [name, elbConfigChange])),
  },
  'ecs.amazonaws.com': {
    UpdateService: updateService,
    CreateService: ecsServiceConfig,
    DeleteService: ecsServiceConfig,
    UpdateServicePrimaryTaskSet: ecsDeploy,
    StopServiceDeployment: ecsDeploy,
    StopTask: stopTask,
    UpdateContainerInstancesState: containerInstancesState,
  },
  'autoscaling.amazonaws.com': {
    SetDesiredCapacity: (request, _response, base) =>
      asgChange(
        request,
        base,
        `desired capacity set to ${String(request.desiredCapacity)}`,
        numberOr(request.desiredCapacity),
      ),
    UpdateAutoScalingGroup: (request, _response, base) =>
      asgChange(
        request,
        base,
        describeParameters(request, ['minSize', 'maxSize', 'desiredCapacity']),
        numberOr(request.desiredCapacity),
      ),
    ExecutePolicy: (request, _response, base) =>
      asgChange(request, base, `policy ${String(request.policyName ?? '?')} executed`),
    TerminateInstanceInAutoScalingGroup: terminateInstance,
    DetachInstances: (request, _response, base) => asgNodes(request, base, 'removed', 'instances detached'),
    EnterStandby: (request, _response, base) => asgNodes(request, base, 'removed', 'instances moved to standby'),
    SetInstanceHealth: setInstanceHealth,
  },
  'application-autoscaling.amazonaws.com': {
    PutScalingPolicy: scalingConfig,
    RegisterScalableTarget: scalingConfig,
    PutScheduledAction: scalingConfig,
    DeleteScalingPolicy: scalingConfig,
  },
};

function targetsChange(
  kind: 'targets_registered' | 'targets_deregistered',
  request: Json,
  base: Base,
): ReturnType<Reader> {
  const targetGroup = stringOr(request.targetGroupArn);
  const targets = Array.isArray(request.targets) ? request.targets.map(asObject) : [];
  const members = targets.map((target) =>
    [target.id, target.port].filter((part) => part !== undefined && part !== null).join(':'),
  );
  const object = targetGroup ? shortName(targetGroup) : 'a target group';
  const verb = kind === 'targets_registered' ? 'registered in' : 'deregistered from';
  const change: ChangeEvent = {
    at: base.at,
    kind,
    object,
    objectKind: 'target group',
    count: Math.max(1, members.length),
    ...(members.length > 0 ? { members } : {}),
    ...actorField(base),
    source: base.source,
    evidence: evidenceText(
      `${base.eventName}${byActor(base)}: ${plural(members.length, 'target')} ${verb} ${object}${members.length > 0 ? ` (${members.slice(0, 5).join(', ')}${members.length > 5 ? ', …' : ''})` : ''}`,
    ),
  };
  return { changes: [change], references: { ...noReferences(), targetGroups: targetGroup ? [targetGroup] : [] } };
}

function attributesChange(request: Json, arnKey: string, objectKind: string, base: Base): ReturnType<Reader> {
  const arn = stringOr(request[arnKey]);
  const object = arn ? shortName(arn) : `a ${objectKind}`;
  const attributes = Array.isArray(request.attributes) ? request.attributes.map(asObject) : [];
  const changes = attributes
    .filter((attribute) => typeof attribute.key === 'string')
    .map(
      (attribute): ChangeEvent => ({
        at: base.at,
        kind: 'attribute_change',
        object,
        objectKind,
        count: 1,
        ...actorField(base),
        attribute: { key: String(attribute.key), newValue: String(attribute.value ?? '') },
        source: base.source,
        evidence: evidenceText(
          `${base.eventName}${byActor(base)}: ${object} ${String(attribute.key)} = ${String(attribute.value ?? '')}`,
        ),
      }),
    );
  const references = noReferences();
  if (arn) (objectKind === 'load balancer' ? references.loadBalancers : references.targetGroups).push(arn);
  return { changes, references };
}

function elbConfigChange(request: Json, _response: Json, base: Base): ReturnType<Reader> {
  const references = noReferences();
  const targetGroup = stringOr(request.targetGroupArn);
  const loadBalancer = stringOr(request.loadBalancerArn);
  const listener = stringOr(request.listenerArn) ?? stringOr(request.ruleArn);
  if (targetGroup) references.targetGroups.push(targetGroup);
  if (loadBalancer) references.loadBalancers.push(loadBalancer);
  const ofListener = listener ? loadBalancerOfListener(listener) : null;
  if (ofListener) references.loadBalancers.push(ofListener);
  const ruleLoadBalancers = Array.isArray(request.rulePriorities)
    ? request.rulePriorities
        .map((entry) => loadBalancerOfListener(String(asObject(entry).ruleArn ?? '')))
        .filter((lb): lb is string => lb !== null)
    : [];
  references.loadBalancers.push(...ruleLoadBalancers);
  const object = targetGroup
    ? shortName(targetGroup)
    : shortName(references.loadBalancers[0] ?? loadBalancer ?? 'the load balancer');
  const objectKind = targetGroup ? 'target group' : 'load balancer';
  const settings = describeParameters(
    request,
    Object.keys(request).filter((key) => !/Arn$|^rulePriorities$/.test(key)),
  );
  const change: ChangeEvent = {
    at: base.at,
    kind: 'config_change',
    object,
    objectKind,
    count: 1,
    ...actorField(base),
    source: base.source,
    evidence: evidenceText(`${base.eventName}${byActor(base)} on ${object}${settings ? `: ${settings}` : ''}`),
  };
  return { changes: [change], references };
}

/**
 * UpdateService is a deploy when it sets a task definition or forces a new deployment, a
 * scaling change when it only sets the desired count (application autoscaling calls it so too;
 * next-capabilities §4.1 marks that unverified), else a configuration change.
 */
function updateService(request: Json, response: Json, base: Base): ReturnType<Reader> {
  const service = shortName(stringOr(request.service) ?? 'a service');
  const references = serviceReferences(request);
  const taskDefinition = stringOr(request.taskDefinition);
  const forced = request.forceNewDeployment === true;
  const common = {
    at: base.at,
    object: service,
    objectKind: 'ECS service',
    count: 1,
    ...actorField(base),
    source: base.source,
  };
  if (taskDefinition || forced) {
    const what = taskDefinition ? `task definition ${shortName(taskDefinition)}` : 'forceNewDeployment';
    return {
      changes: [
        {
          ...common,
          kind: 'deploy',
          deployment: what,
          evidence: evidenceText(`UpdateService${byActor(base)}: ${service} → ${what}`),
        },
      ],
      references,
    };
  }
  const desired = numberOr(request.desiredCount);
  if (desired !== undefined) {
    const running = numberOr(asObject(response.service).runningCount);
    const kind =
      running === undefined || running === desired ? 'config_change' : desired < running ? 'scale_in' : 'scale_out';
    const replicas = running === undefined ? { to: desired } : { from: running, to: desired };
    const evidence = evidenceText(
      `UpdateService${byActor(base)}: ${service} desiredCount ${desired}${running !== undefined ? ` (${running} running)` : ''}`,
    );
    return { changes: [{ ...common, kind, replicas, evidence }], references };
  }
  const settings = describeParameters(
    request,
    Object.keys(request).filter((key) => key !== 'service' && key !== 'cluster'),
  );
  return {
    changes: [
      {
        ...common,
        kind: 'config_change',
        evidence: evidenceText(`UpdateService${byActor(base)}: ${service}${settings ? ` ${settings}` : ''}`),
      },
    ],
    references,
  };
}

function ecsServiceConfig(request: Json, _response: Json, base: Base): ReturnType<Reader> {
  const service = shortName(stringOr(request.service) ?? stringOr(request.serviceName) ?? 'a service');
  const change: ChangeEvent = {
    at: base.at,
    kind: 'config_change',
    object: service,
    objectKind: 'ECS service',
    count: 1,
    ...actorField(base),
    source: base.source,
    evidence: evidenceText(`${base.eventName}${byActor(base)}: ${service}`),
  };
  return { changes: [change], references: { ...noReferences(), services: [{ service, ...clusterField(request) }] } };
}

function ecsDeploy(request: Json, _response: Json, base: Base): ReturnType<Reader> {
  const service = shortName(
    stringOr(request.service) ?? stringOr(request.serviceDeploymentArn)?.split('/').at(-2) ?? 'a service',
  );
  const change: ChangeEvent = {
    at: base.at,
    kind: 'deploy',
    object: service,
    objectKind: 'ECS service',
    count: 1,
    ...actorField(base),
    source: base.source,
    evidence: evidenceText(`${base.eventName}${byActor(base)}: ${service}`),
  };
  return { changes: [change], references: { ...noReferences(), services: [{ service, ...clusterField(request) }] } };
}

function stopTask(request: Json, response: Json, base: Base): ReturnType<Reader> {
  const task = stringOr(request.task) ?? '';
  const group = stringOr(asObject(response.task).group);
  const service = group?.startsWith('service:') ? group.slice('service:'.length) : undefined;
  const reason = stringOr(request.reason);
  const change: ChangeEvent = {
    at: base.at,
    kind: 'task_stopped',
    object: service ?? 'a task',
    objectKind: service ? 'ECS service' : 'ECS task',
    count: 1,
    members: [shortName(task)],
    ...actorField(base),
    ...(reason ? { exit: { reason } } : {}),
    source: base.source,
    evidence: evidenceText(`StopTask${byActor(base)}: task ${shortName(task)}${reason ? ` (${reason})` : ''}`),
  };
  return {
    changes: [change],
    references: { ...noReferences(), services: service ? [{ service, ...clusterField(request) }] : [] },
  };
}

function containerInstancesState(request: Json, _response: Json, base: Base): ReturnType<Reader> {
  const status = stringOr(request.status) ?? '';
  const instances = Array.isArray(request.containerInstances)
    ? request.containerInstances.map((i) => shortName(String(i)))
    : [];
  const action = status === 'DRAINING' ? 'removed' : status === 'ACTIVE' ? 'added' : 'not_ready';
  const change: ChangeEvent = {
    at: base.at,
    kind: 'node_event',
    nodeAction: action,
    object: stringOr(request.cluster) ? shortName(String(request.cluster)) : 'the cluster',
    objectKind: 'ECS cluster',
    count: Math.max(1, instances.length),
    members: instances,
    ...actorField(base),
    source: base.source,
    evidence: evidenceText(
      `UpdateContainerInstancesState${byActor(base)}: ${plural(instances.length, 'container instance')} set to ${status}`,
    ),
  };
  const cluster = stringOr(request.cluster);
  return { changes: [change], references: { ...noReferences(), clusters: cluster ? [shortName(cluster)] : [] } };
}

function asgChange(request: Json, base: Base, what: string, desired?: number): ReturnType<Reader> {
  const group = stringOr(request.autoScalingGroupName) ?? 'an Auto Scaling group';
  const change: ChangeEvent = {
    at: base.at,
    kind: 'config_change',
    object: shortName(group),
    objectKind: 'autoscaling group',
    count: 1,
    ...actorField(base),
    ...(desired !== undefined ? { replicas: { to: desired } } : {}),
    source: base.source,
    evidence: evidenceText(`${base.eventName}${byActor(base)}: ${shortName(group)} ${what}`),
  };
  return { changes: [change], references: { ...noReferences(), autoScalingGroups: [group] } };
}

function asgNodes(request: Json, base: Base, action: 'removed' | 'added', what: string): ReturnType<Reader> {
  const group = stringOr(request.autoScalingGroupName) ?? 'an Auto Scaling group';
  const instances = Array.isArray(request.instanceIds) ? request.instanceIds.map(String) : [];
  const change: ChangeEvent = {
    at: base.at,
    kind: 'node_event',
    nodeAction: action,
    object: shortName(group),
    objectKind: 'autoscaling group',
    count: Math.max(1, instances.length),
    members: instances,
    ...actorField(base),
    source: base.source,
    evidence: evidenceText(`${base.eventName}${byActor(base)}: ${shortName(group)} ${what} (${instances.join(', ')})`),
  };
  return { changes: [change], references: { ...noReferences(), autoScalingGroups: [group] } };
}

/** The group is only in the response (the activity); the instance is in the request. */
function terminateInstance(request: Json, response: Json, base: Base): ReturnType<Reader> {
  const activity = asObject(response.activity);
  const group = stringOr(activity.autoScalingGroupName);
  const instance = stringOr(request.instanceId) ?? 'an instance';
  const decrement = request.shouldDecrementDesiredCapacity === true;
  const change: ChangeEvent = {
    at: base.at,
    kind: 'node_event',
    nodeAction: 'removed',
    object: group ? shortName(group) : instance,
    objectKind: group ? 'autoscaling group' : 'instance',
    count: 1,
    members: [instance],
    ...actorField(base),
    source: base.source,
    evidence: evidenceText(
      `TerminateInstanceInAutoScalingGroup${byActor(base)}: ${instance}${decrement ? ', desired capacity decremented' : ', to be replaced'}`,
    ),
  };
  return { changes: [change], references: { ...noReferences(), autoScalingGroups: group ? [group] : [] } };
}

function setInstanceHealth(request: Json, _response: Json, base: Base): ReturnType<Reader> {
  const instance = stringOr(request.instanceId) ?? 'an instance';
  const status = stringOr(request.healthStatus) ?? '';
  if (status !== 'Unhealthy') return { changes: [], references: noReferences() };
  const change: ChangeEvent = {
    at: base.at,
    kind: 'health_check_failed',
    object: instance,
    objectKind: 'instance',
    count: 1,
    members: [instance],
    ...actorField(base),
    source: base.source,
    evidence: evidenceText(`SetInstanceHealth${byActor(base)}: ${instance} Unhealthy`),
  };
  return { changes: [change], references: noReferences() };
}

/** resourceId "service/<cluster>/<service>" names the ECS service whose scaling changed. */
function scalingConfig(request: Json, _response: Json, base: Base): ReturnType<Reader> {
  const resourceId = stringOr(request.resourceId) ?? '';
  const match = /^service\/([^/]+)\/([^/]+)$/.exec(resourceId);
  const object = match ? match[2]! : resourceId || 'a scalable target';
  const change: ChangeEvent = {
    at: base.at,
    kind: 'config_change',
    object,
    objectKind: match ? 'ECS service' : 'scalable target',
    count: 1,
    ...actorField(base),
    source: base.source,
    evidence: evidenceText(
      `${base.eventName}${byActor(base)}: ${resourceId}${describeParameters(request, ['policyName', 'minCapacity', 'maxCapacity', 'schedule']) ? ` ${describeParameters(request, ['policyName', 'minCapacity', 'maxCapacity', 'schedule'])}` : ''}`,
    ),
  };
  return {
    changes: [change],
    references: { ...noReferences(), services: match ? [{ service: match[2]!, cluster: match[1]! }] : [] },
  };
}

function serviceReferences(request: Json): EventReferences {
  const service = stringOr(request.service);
  return { ...noReferences(), services: service ? [{ service: shortName(service), ...clusterField(request) }] : [] };
}

function clusterField(request: Json): { cluster?: string } {
  const cluster = stringOr(request.cluster);
  return cluster ? { cluster: shortName(cluster) } : {};
}

/**
 * Who made the call, without credentials: the service that invoked it, a role's name, a user's
 * name. Access key ids, session names and principal ids are never kept.
 */
export function actorOf(userIdentity: unknown): string | undefined {
  const identity = asObject(userIdentity);
  const invokedBy = stringOr(identity.invokedBy);
  const type = stringOr(identity.type);
  const issuer = stringOr(asObject(asObject(identity.sessionContext).sessionIssuer).userName);
  const arn = stringOr(identity.arn);
  const role = issuer ?? (arn && /:assumed-role\//.test(arn) ? shortName(arn) : undefined);
  if (role?.startsWith('AWSServiceRoleFor')) return `${serviceOfLinkedRole(role)} (service-linked role)`;
  if (invokedBy && invokedBy !== 'AWS Internal') return invokedBy;
  if (type === 'AWSService') return invokedBy ?? 'an AWS service';
  if (role) return `role ${role}`;
  if (type === 'IAMUser') return `user ${stringOr(identity.userName) ?? (arn ? shortName(arn) : '?')}`;
  if (type === 'Root') return 'the root user';
  return type ? type : undefined;
}

function serviceOfLinkedRole(role: string): string {
  const rest = role.slice('AWSServiceRoleFor'.length);
  if (rest === 'ECS') return 'ECS';
  if (rest.startsWith('ApplicationAutoScaling')) return 'Application Auto Scaling';
  if (rest === 'AutoScaling') return 'EC2 Auto Scaling';
  if (rest === 'ElasticLoadBalancing') return 'Elastic Load Balancing';
  return rest;
}

function actorField(base: Base): { actor?: string } {
  return base.actor ? { actor: base.actor } : {};
}

function byActor(base: Base): string {
  return base.actor ? ` by ${base.actor}` : '';
}

/** "healthCheckIntervalSeconds=10, healthyThresholdCount=2" for the keys present, scalars only. */
function describeParameters(request: Json, keys: readonly string[]): string {
  return keys
    .filter((key) => request[key] !== undefined && request[key] !== null && typeof request[key] !== 'object')
    .map((key) => `${key}=${String(request[key])}`)
    .join(', ');
}

export function parseInstant(value: unknown): Date | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
  if (typeof value === 'number' && Number.isFinite(value)) return new Date(value < 1e11 ? value * 1000 : value);
  if (typeof value !== 'string' || value === '') return null;
  // The AWS CLI may print epoch seconds as text ("1750275660.0").
  if (/^\d{9,11}(\.\d+)?$/.test(value)) return new Date(Number(value) * 1000);
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms);
}

export function asObject(value: unknown): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
}

function stringOr(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function numberOr(value: unknown): number | undefined {
  const n = typeof value === 'string' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
}

function plural(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}
