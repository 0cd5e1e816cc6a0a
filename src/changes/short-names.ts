/**
 * Pure: the short names people use for AWS and Kubernetes objects, and evidence text made safe
 * to show. ARNs carry account ids and are long; a cause names "search-api", not
 * "arn:aws:ecs:ap-southeast-2:123456789012:service/prod/search-api".
 */
import { printableText } from '../files/printable-text.js';

const ARN = /\barn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:\d*:([^\s"',)\]]+)/g;

/** "arn:aws:elasticloadbalancing:…:targetgroup/web/0123" → "targetgroup/web/0123" (no partition, region or account). */
export function shortenArns(text: string): string {
  return text.replace(ARN, (_arn, resource: string) => resource);
}

/**
 * The name inside an ARN or resource path: target group, load balancer, ECS service, cluster,
 * task id, task definition "family:revision", autoscaling group, IAM role. Anything else is
 * returned as it is (it already is a name).
 */
export function shortName(arnOrName: string): string {
  const resource = arnOrName.startsWith('arn:') ? arnOrName.split(':').slice(5).join(':') : arnOrName;
  const patterns: Array<[RegExp, number]> = [
    [/^targetgroup\/([^/]+)\/[0-9a-f]+$/, 1],
    [/^loadbalancer\/(?:app|net|gwy)\/([^/]+)\/[0-9a-f]+$/, 1],
    [/^(?:app|net)\/([^/]+)\/[0-9a-f]{16}$/, 1],
    [/^service\/(?:[^/]+\/)?([^/]+)$/, 1],
    [/^task\/(?:[^/]+\/)?([0-9a-f-]+)$/, 1],
    [/^task-definition\/(.+)$/, 1],
    [/^cluster\/(.+)$/, 1],
    [/^autoScalingGroup:[^:]+:autoScalingGroupName\/(.+)$/, 1],
    [/^assumed-role\/([^/]+)\/.+$/, 1],
    [/^(?:role|user)\/(?:.+\/)?([^/]+)$/, 1],
  ];
  for (const [pattern, group] of patterns) {
    const match = pattern.exec(resource);
    if (match) return match[group]!;
  }
  return resource;
}

/** A task id as ECS consoles show it: the first 8 characters are enough to find it. */
export function shortTaskId(taskArnOrId: string): string {
  const id = shortName(taskArnOrId);
  return /^[0-9a-f]{32}$/.test(id) ? id.slice(0, 8) : id;
}

/** Kubernetes' alphabet for generated name suffixes (pod-template-hash and pod suffixes). */
const K8S_SUFFIX = '[bcdfghjklmnpqrstvwxz2456789]';
const DEPLOYMENT_POD = new RegExp(`^(.+)-${K8S_SUFFIX}{6,10}-${K8S_SUFFIX}{5}$`);
const REPLICA_SET = new RegExp(`^(.+)-${K8S_SUFFIX}{6,10}$`);
const GENERATED_POD = new RegExp(`^(.+)-${K8S_SUFFIX}{5}$`);
const STATEFUL_POD = /^(.+)-\d+$/;

/** "traefik-7d9f8b6c5-x2x9k" → "traefik"; "web-0" → "web"; a DaemonSet's "npd-bq7zc" → "npd". */
export function workloadOfPod(podName: string): string {
  return (
    DEPLOYMENT_POD.exec(podName)?.[1] ?? GENERATED_POD.exec(podName)?.[1] ?? STATEFUL_POD.exec(podName)?.[1] ?? podName
  );
}

/** "queue-web-6d9c7b8f5" → "queue-web" (a Deployment's ReplicaSet). */
export function workloadOfReplicaSet(replicaSetName: string): string {
  return REPLICA_SET.exec(replicaSetName)?.[1] ?? replicaSetName;
}

/** Text from a file or an API, safe on one line: no control characters, ARNs shortened, at most `maxChars`. */
export function evidenceText(text: string, maxChars = 300): string {
  const clean = shortenArns(printableText(text)).replace(/\s+/g, ' ').trim();
  return clean.length <= maxChars ? clean : `${clean.slice(0, maxChars - 1)}…`;
}
