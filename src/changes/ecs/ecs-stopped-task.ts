/**
 * Pure: a stopped ECS task (DescribeTasks, or `aws ecs describe-tasks` JSON) read as the change
 * it was: an OOM kill, a failed health check, a deploy's or scale-in's stop, a crash, a spot
 * interruption. ECS lists stopped tasks for about an hour only (next-capabilities §4.2).
 *
 * Shapes: container `reason: "OutOfMemoryError: Container killed due to memory usage"` with
 * exitCode 137 (matched case-insensitively on OutOfMemoryError); task `stoppedReason` "Task
 * failed ELB health checks in (target-group …)", "Scaling activity initiated by (deployment
 * ecs-svc/…)", "Essential container in task exited"; `stopCode` ∈ TaskFailedToStart,
 * EssentialContainerExited, UserInitiated, ServiceSchedulerInitiated, SpotInterruption,
 * TerminationNotice, InfrastructureHealth.
 */
import type { ChangeEvent } from '../change-event.js';
import { asObject, parseInstant } from '../cloudtrail/cloudtrail-record.js';
import { evidenceText, shortName, shortTaskId } from '../short-names.js';

/** One stopped task as a change, or null when it has not stopped (or says nothing usable). */
export function readStoppedTask(raw: unknown, source: string): ChangeEvent | null {
  const task = asObject(raw);
  const at = parseInstant(task.stoppedAt) ?? parseInstant(task.stoppingAt) ?? parseInstant(task.executionStoppedAt);
  if (
    !at ||
    (task.lastStatus !== undefined &&
      task.lastStatus !== 'STOPPED' &&
      task.lastStatus !== 'DEPROVISIONING' &&
      task.lastStatus !== 'STOPPING')
  )
    return null;
  const group = typeof task.group === 'string' ? task.group : '';
  const service = group.startsWith('service:') ? group.slice('service:'.length) : undefined;
  const id = shortTaskId(String(task.taskArn ?? 'task'));
  const stoppedReason = typeof task.stoppedReason === 'string' ? task.stoppedReason : '';
  const stopCode = typeof task.stopCode === 'string' ? task.stopCode : undefined;
  const containers = Array.isArray(task.containers) ? task.containers.map(asObject) : [];
  const oom = containers.find((c) => /OutOfMemoryError/i.test(String(c.reason ?? '')));
  const crashed = containers.find((c) => typeof c.exitCode === 'number' && c.exitCode !== 0);
  const telling = oom ?? crashed;
  const exitCode = typeof telling?.exitCode === 'number' ? telling.exitCode : undefined;
  const containerReason = typeof telling?.reason === 'string' ? telling.reason : undefined;
  const base = {
    at,
    object: service ?? shortName(String(task.taskDefinitionArn ?? 'a task')),
    objectKind: service ? 'ECS service' : 'ECS task',
    count: 1,
    members: [id],
    exit: {
      reason: evidenceText(containerReason ?? stoppedReason),
      ...(exitCode !== undefined ? { exitCode } : {}),
      ...(stopCode ? { stopCode } : {}),
    },
    source,
    evidence: evidenceText(
      `task ${id}${service ? ` of ${service}` : ''} stopped: ${stoppedReason || 'no reason given'}${stopCode ? ` (${stopCode})` : ''}` +
        (telling
          ? `; container ${String(telling.name ?? '?')}${exitCode !== undefined ? ` exit ${exitCode}` : ''}${containerReason ? `: ${containerReason}` : ''}`
          : ''),
    ),
  };
  return { ...base, ...classify(stoppedReason, stopCode, oom !== undefined, crashed !== undefined) };
}

function classify(
  stoppedReason: string,
  stopCode: string | undefined,
  oom: boolean,
  crashed: boolean,
): Pick<ChangeEvent, 'kind'> & Partial<ChangeEvent> {
  if (oom) return { kind: 'oom_kill' };
  if (/failed (ELB|container) health checks/i.test(stoppedReason)) return { kind: 'health_check_failed' };
  const deployment = /Scaling activity initiated by \(deployment ([^)]+)\)/.exec(stoppedReason);
  if (deployment) return { kind: 'task_stopped', deployment: deployment[1]! };
  if (stopCode === 'SpotInterruption' || stopCode === 'TerminationNotice')
    return { kind: 'node_event', nodeAction: 'removed' };
  if (stopCode === 'EssentialContainerExited' || /Essential container in task exited/i.test(stoppedReason) || crashed)
    return { kind: 'container_restart' };
  return { kind: 'task_stopped' };
}

/** Reads `tasks[]` of a DescribeTasks answer; tasks still running are skipped. */
export function readStoppedTasks(tasks: readonly unknown[], source: string): ChangeEvent[] {
  return tasks.map((task) => readStoppedTask(task, source)).filter((change): change is ChangeEvent => change !== null);
}
