/**
 * Pure: an ECS service as DescribeServices describes it (the API, or `aws ecs describe-services`
 * JSON) read as changes: its event messages (at most the latest 100), its deployments, and the
 * target groups behind it.
 *
 * Message shapes (next-capabilities §4.2, ECS developer guide "Service event messages", and
 * describe-services outputs in public repositories):
 *   (service web) has stopped 2 running tasks: (task 1a2b…) (task 3c4d…).
 *   (service web) deregistered 1 targets in (target-group arn:…:targetgroup/web/0123…)
 *   (service web, taskSet ecs-svc/123) has begun draining connections on 1 tasks.
 *   (service web) (task 1a2b…) (port 8080) is unhealthy in (target-group arn:…) due to (reason Request timed out).
 *   Message: Successfully set desired count to 2. Change successfully fulfilled by ecs. Cause: monitor alarm …-AlarmLow-… triggered policy …
 * Wording beyond these is unverified, so anything else is left out rather than guessed.
 */
import type { ChangeEvent, StandingSettings } from '../change-event.js';
import { asObject, parseInstant } from '../cloudtrail/cloudtrail-record.js';
import { evidenceText, shortName, shortTaskId } from '../short-names.js';

export interface EcsServiceReading {
  changes: ChangeEvent[];
  serviceTargetGroups: NonNullable<StandingSettings['serviceTargetGroups']>;
  /** Per service: how many events it returned and the oldest one's time (to tell a cut history). */
  eventSpans: Array<{ service: string; events: number; oldest: Date | null }>;
}

type Json = Record<string, unknown>;

/** Reads `services[]` of a DescribeServices answer. `source` labels the changes. */
export function readEcsServices(services: readonly unknown[], source: string): EcsServiceReading {
  const reading: EcsServiceReading = { changes: [], serviceTargetGroups: {}, eventSpans: [] };
  for (const raw of services) {
    const service = asObject(raw);
    const name =
      typeof service.serviceName === 'string'
        ? service.serviceName
        : shortName(String(service.serviceArn ?? 'a service'));
    const events = Array.isArray(service.events) ? service.events.map(asObject) : [];
    const times = events.map((event) => parseInstant(event.createdAt)).filter((at): at is Date => at !== null);
    reading.eventSpans.push({
      service: name,
      events: events.length,
      oldest: times.length > 0 ? new Date(Math.min(...times.map((t) => t.getTime()))) : null,
    });
    for (const event of events) {
      const change = readServiceEvent(name, event, source);
      if (change) reading.changes.push(change);
    }
    reading.changes.push(...readDeployments(name, service, source));
    const groups = (Array.isArray(service.loadBalancers) ? service.loadBalancers : [])
      .map((lb) => asObject(lb).targetGroupArn)
      .filter((arn): arn is string => typeof arn === 'string')
      .map(shortName);
    if (groups.length > 0) reading.serviceTargetGroups[name] = groups;
  }
  return reading;
}

const TASK_IDS = /\(task ([0-9a-zA-Z-]+)\)/g;
const STOPPED = /^\(service ([^),]+)[^)]*\) has stopped (\d+) running tasks?/;
const TARGETS = /^\(service ([^),]+)[^)]*\) (deregistered|registered) (\d+) targets? in \(target-group ([^)]+)\)/;
const DRAINING = /^\(service ([^),]+)(?:, taskSet ([^)]+))?\) has begun draining connections on (\d+) tasks?/;
const UNHEALTHY =
  /^\(service ([^),]+)[^)]*\) \((task|instance) ([^)]+)\)(?: \(port (\d+)\))? is unhealthy in \((?:target-group|elb) ([^)]+)\)(?: due to \(reason (.+?)\))?\.?$/;
const DESIRED = /^Message: Successfully set desired count to (\d+)\..*?(?:Cause: (.*))?$/;

function readServiceEvent(service: string, event: Json, source: string): ChangeEvent | null {
  const at = parseInstant(event.createdAt);
  const message = typeof event.message === 'string' ? event.message : '';
  if (!at || !message) return null;
  const base = { at, object: service, objectKind: 'ECS service', source, evidence: evidenceText(message) };
  let match = STOPPED.exec(message);
  if (match) {
    const members = [...message.matchAll(TASK_IDS)].map((m) => shortTaskId(m[1]!));
    return { ...base, kind: 'task_stopped', count: Number(match[2]), ...(members.length > 0 ? { members } : {}) };
  }
  match = TARGETS.exec(message);
  if (match) {
    const kind = match[2] === 'deregistered' ? 'targets_deregistered' : 'targets_registered';
    return {
      ...base,
      kind,
      count: Number(match[3]),
      workload: service,
      object: shortName(match[4]!),
      objectKind: 'target group',
      actor: 'ECS',
    };
  }
  match = DRAINING.exec(message);
  if (match)
    return { ...base, kind: 'draining', count: Number(match[3]), ...(match[2] ? { deployment: match[2] } : {}) };
  match = UNHEALTHY.exec(message);
  if (match) {
    const member = match[2] === 'task' ? shortTaskId(match[3]!) : match[3]!;
    return {
      ...base,
      kind: 'health_check_failed',
      count: 1,
      members: [member],
      ...(match[6] ? { exit: { reason: evidenceText(match[6]) } } : {}),
    };
  }
  match = DESIRED.exec(message);
  if (match) return desiredCountEvent(base, Number(match[1]), match[2] ?? '');
  return null;
}

/**
 * Service Auto Scaling says the new count, not the old one; the alarm it names tells the
 * direction (target tracking names them …-AlarmLow-… and …-AlarmHigh-…).
 */
function desiredCountEvent(base: Omit<ChangeEvent, 'kind' | 'count'>, desired: number, cause: string): ChangeEvent {
  const kind = /AlarmLow/.test(cause) ? 'scale_in' : /AlarmHigh/.test(cause) ? 'scale_out' : 'config_change';
  return { ...base, kind, count: 1, replicas: { to: desired }, actor: 'Application Auto Scaling' };
}

/** ECS returns the PRIMARY deployment and the ACTIVE ones still draining: each started a rollout at createdAt. */
function readDeployments(service: string, raw: Json, source: string): ChangeEvent[] {
  const deployments = Array.isArray(raw.deployments) ? raw.deployments.map(asObject) : [];
  const changes: ChangeEvent[] = [];
  for (const deployment of deployments) {
    const at = parseInstant(deployment.createdAt);
    if (!at) continue;
    const id = typeof deployment.id === 'string' ? deployment.id : 'a deployment';
    const taskDefinition =
      typeof deployment.taskDefinition === 'string' ? shortName(deployment.taskDefinition) : undefined;
    const status = String(deployment.status ?? '');
    const rollout = typeof deployment.rolloutState === 'string' ? `, ${deployment.rolloutState}` : '';
    changes.push({
      at,
      kind: 'deploy',
      object: service,
      objectKind: 'ECS service',
      count: 1,
      deployment: id,
      source,
      evidence: evidenceText(
        `deployment ${id} (${status}${rollout}) of ${service}${taskDefinition ? ` with task definition ${taskDefinition}` : ''} created`,
      ),
    });
  }
  return changes;
}
