/**
 * Pure: `kubectl get pods -o json` read for the terminations it still shows. Kubernetes keeps
 * only each container's LAST termination (`lastState.terminated`), with its reason and exit
 * code: the reliable place to see an OOM kill (`reason: OOMKilled`, exit 137), since there is no
 * pod-level OOM event (next-capabilities §4.3). On old clusters a system OOM showed as
 * `reason: Error` with 137 (kubernetes/kubernetes#53669): that is reported as a kill with exit
 * 137, not as an OOM kill — only what was measured.
 */
import type { ChangeEvent } from '../change-event.js';
import { asObject, parseInstant } from '../cloudtrail/cloudtrail-record.js';
import { evidenceText, workloadOfPod } from '../short-names.js';

type Json = Record<string, unknown>;

export function readKubernetesPods(items: readonly unknown[], source: string): ChangeEvent[] {
  const changes: ChangeEvent[] = [];
  for (const item of items) {
    const pod = asObject(item);
    const metadata = asObject(pod.metadata);
    const name = String(metadata.name ?? '');
    const namespace = String(metadata.namespace ?? '');
    const status = asObject(pod.status);
    const containers = [...arrayOf(status.containerStatuses), ...arrayOf(status.initContainerStatuses)];
    for (const container of containers) {
      for (const terminated of [
        asObject(asObject(container.lastState).terminated),
        asObject(asObject(container.state).terminated),
      ]) {
        const change = readTermination(name, namespace, container, terminated, source);
        if (change) changes.push(change);
      }
    }
  }
  return changes;
}

function readTermination(
  pod: string,
  namespace: string,
  container: Json,
  terminated: Json,
  source: string,
): ChangeEvent | null {
  const at = parseInstant(terminated.finishedAt);
  if (!pod || !at) return null;
  const reason = typeof terminated.reason === 'string' ? terminated.reason : '';
  const exitCode = typeof terminated.exitCode === 'number' ? terminated.exitCode : undefined;
  const restarts = typeof container.restartCount === 'number' ? container.restartCount : undefined;
  const containerName = String(container.name ?? '?');
  // A container that ran to completion and was never restarted (a Job's pod) did not fail.
  if (exitCode === 0 && (restarts ?? 0) === 0) return null;
  return {
    at,
    kind: reason === 'OOMKilled' ? 'oom_kill' : 'container_restart',
    object: workloadOfPod(pod),
    objectKind: 'pod',
    count: 1,
    members: [pod],
    exit: { ...(reason ? { reason } : {}), ...(exitCode !== undefined ? { exitCode } : {}) },
    source,
    evidence: evidenceText(
      `pod ${namespace ? `${namespace}/` : ''}${pod} container ${containerName} terminated ${reason || 'without a reason'}${exitCode !== undefined ? ` (exit ${exitCode})` : ''} at ${at.toISOString()}${restarts !== undefined ? `; ${restarts} restarts so far` : ''}`,
    ),
  };
}

function arrayOf(value: unknown): Json[] {
  return Array.isArray(value) ? value.map(asObject) : [];
}
