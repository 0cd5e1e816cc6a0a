/**
 * ECS for the services behind the load balancer (next-capabilities §4.2): DescribeServices (their
 * latest 100 events, deployments, target groups; 10 services a call) and the stopped tasks with
 * their reasons and exit codes (ListTasks desiredStatus STOPPED, DescribeTasks 100 a call). ECS
 * keeps stopped tasks for about an hour: for an older window that is said, never "no stopped
 * tasks". Never throws: each part is a source with its own status.
 */
import type { Clock } from '../../core/clock.js';
import type { SourceStatus, TimeWindow } from '../../core/types.js';
import { type ChangeEvent, type ChangeEvidence, emptyChangeEvidence } from '../change-event.js';
import { readEcsServices } from '../ecs/ecs-service-events.js';
import { readStoppedTasks } from '../ecs/ecs-stopped-task.js';
import { callAws, describeCallFailure } from './call-aws.js';
import { ECS_PERMISSIONS, type EcsApi } from './change-apis.js';

export const ECS_EVENTS_SOURCE = 'ECS service events';
export const ECS_TASKS_SOURCE = 'ECS stopped tasks';
const SERVICES_PER_CALL = 10;
const TASKS_PER_CALL = 100;
/** ListTasks pages per service: 300 stopped tasks in an hour is a crash loop already seen. */
const MAX_TASK_PAGES = 3;
/** "Stopped tasks appear in the returned results for at least one hour." */
const STOPPED_TASKS_KEPT_MINUTES = 60;
const MINUTE_MS = 60_000;
const AFTER_WINDOW_MINUTES = 5;

export interface EcsRequest {
  cluster: string;
  services: string[];
  window: TimeWindow;
  now: Date;
  marginMinutes: number;
  deadlineMs: number;
  timeoutSeconds: number;
}

export interface EcsDeps {
  api: EcsApi;
  clock: Clock;
  random?: () => number;
  signal?: AbortSignal;
}

export async function fetchEcsChanges(request: EcsRequest, deps: EcsDeps): Promise<ChangeEvidence> {
  const evidence = emptyChangeEvidence();
  const services = await describeServices(request, deps);
  evidence.changes.push(...services.changes);
  if (services.serviceTargetGroups) evidence.settings.serviceTargetGroups = services.serviceTargetGroups;
  evidence.sources.push(services.source);
  const tasks = await stoppedTasks(request, deps);
  evidence.changes.push(...tasks.changes);
  evidence.sources.push(tasks.source);
  evidence.notes.push(...tasks.notes);
  evidence.changes.sort((a, b) => a.at.getTime() - b.at.getTime());
  return evidence;
}

interface Part {
  changes: ChangeEvent[];
  source: SourceStatus;
  notes: string[];
  serviceTargetGroups?: Record<string, string[]>;
}

async function describeServices(request: EcsRequest, deps: EcsDeps): Promise<Part> {
  const range = rangeOf(request);
  const changes: ChangeEvent[] = [];
  const serviceTargetGroups: Record<string, string[]> = {};
  const problems: string[] = [];
  let described = 0;
  for (let i = 0; i < request.services.length; i += SERVICES_PER_CALL) {
    const chunk = request.services.slice(i, i + SERVICES_PER_CALL);
    try {
      const answer = await callAws(
        (context) => deps.api.describeServices({ cluster: request.cluster, services: chunk }, context),
        options(request, deps),
      );
      const reading = readEcsServices(answer.services ?? [], ECS_EVENTS_SOURCE);
      described += (answer.services ?? []).length;
      changes.push(...reading.changes.filter((c) => inRange(c.at, range)));
      Object.assign(serviceTargetGroups, reading.serviceTargetGroups);
      for (const { service, events, oldest } of reading.eventSpans) {
        if (events >= 100 && oldest && oldest > range.from)
          problems.push(
            `ECS keeps only the latest 100 events of ${service}; the oldest is from ${oldest.toISOString()}, after the range began`,
          );
      }
      for (const failure of answer.failures ?? [])
        problems.push(
          `${failure.arn ?? 'a service'}: ${failure.reason ?? 'failed'} (is it in cluster ${request.cluster}?)`,
        );
    } catch (error) {
      problems.push(
        describeCallFailure(
          error,
          `DescribeServices (${request.cluster}: ${chunk.join(', ')})`,
          ECS_PERMISSIONS,
          request.timeoutSeconds,
        ),
      );
    }
  }
  const status = problems.length === 0 ? 'complete' : described === 0 ? 'failed' : 'partial';
  const detail = [
    `${request.cluster}/${request.services.join(', ')}: ${changes.length} change${changes.length === 1 ? '' : 's'} in range`,
    ...problems,
  ].join('; ');
  return { changes, source: { name: ECS_EVENTS_SOURCE, status, detail }, notes: [], serviceTargetGroups };
}

async function stoppedTasks(request: EcsRequest, deps: EcsDeps): Promise<Part> {
  const range = rangeOf(request);
  const changes: ChangeEvent[] = [];
  const problems: string[] = [];
  let answered = 0;
  for (const service of request.services) {
    try {
      const arns = await listStoppedTasks(request, deps, service);
      for (let i = 0; i < arns.length; i += TASKS_PER_CALL) {
        const answer = await callAws(
          (context) =>
            deps.api.describeTasks({ cluster: request.cluster, tasks: arns.slice(i, i + TASKS_PER_CALL) }, context),
          options(request, deps),
        );
        changes.push(...readStoppedTasks(answer.tasks ?? [], ECS_TASKS_SOURCE).filter((c) => inRange(c.at, range)));
      }
      answered++;
    } catch (error) {
      problems.push(
        describeCallFailure(
          error,
          `stopped tasks of ${service} (ListTasks, DescribeTasks)`,
          ECS_PERMISSIONS,
          request.timeoutSeconds,
        ),
      );
    }
  }
  // Stopped tasks older than about an hour are gone: their absence proves nothing.
  const keptFrom = new Date(request.now.getTime() - STOPPED_TASKS_KEPT_MINUTES * MINUTE_MS);
  const tooOld = range.from < keptFrom;
  const notes = tooOld
    ? [
        `ECS lists stopped tasks for about an hour after they stop; the range began ${Math.round((request.now.getTime() - range.from.getTime()) / MINUTE_MS)} minutes ago, so tasks that stopped before ${keptFrom.toISOString()} may be missing — not "no stopped tasks".`,
      ]
    : [];
  if (tooOld) problems.push(`only tasks stopped after about ${keptFrom.toISOString()} can still be listed`);
  const status =
    answered === 0 && request.services.length > 0 ? 'failed' : problems.length > 0 ? 'partial' : 'complete';
  const detail = [`${changes.length} stopped task${changes.length === 1 ? '' : 's'} in range`, ...problems].join('; ');
  return { changes, source: { name: ECS_TASKS_SOURCE, status, detail }, notes };
}

async function listStoppedTasks(request: EcsRequest, deps: EcsDeps, service: string): Promise<string[]> {
  const arns: string[] = [];
  let nextToken: string | undefined;
  let pages = 0;
  do {
    const token = nextToken;
    const page = await callAws(
      (context) =>
        deps.api.listTasks(
          {
            cluster: request.cluster,
            serviceName: service,
            desiredStatus: 'STOPPED',
            maxResults: TASKS_PER_CALL,
            ...(token ? { nextToken: token } : {}),
          },
          context,
        ),
      options(request, deps),
    );
    arns.push(...(page.taskArns ?? []));
    nextToken = page.nextToken;
    pages++;
  } while (nextToken && pages < MAX_TASK_PAGES);
  return arns;
}

function rangeOf(request: EcsRequest): { from: Date; to: Date } {
  return {
    from: new Date(request.window.start.getTime() - request.marginMinutes * MINUTE_MS),
    to: new Date(request.window.end.getTime() + AFTER_WINDOW_MINUTES * MINUTE_MS),
  };
}

function inRange(at: Date, range: { from: Date; to: Date }): boolean {
  return at >= range.from && at <= range.to;
}

function options(request: EcsRequest, deps: EcsDeps) {
  return { clock: deps.clock, deadlineMs: request.deadlineMs, signal: deps.signal, random: deps.random };
}
