/**
 * Pure: which objects an investigation cares about — the load balancer, its target groups, the
 * ECS services and Auto Scaling groups behind it — and whether a reference in an event names
 * one of them. Everything in an account's CloudTrail is not a cause of this index's errors.
 */
import { shortName } from './short-names.js';

export interface ChangeScope {
  /** "app/k8s-ingress/0123456789abcdef" (the CloudWatch LoadBalancer dimension). */
  loadBalancer?: string | undefined;
  /** "targetgroup/k8s-prod000audio/0123456789abcdef", each. */
  targetGroups: string[];
  ecsCluster?: string | undefined;
  ecsServices: string[];
  autoScalingGroups: string[];
}

export const EMPTY_SCOPE: ChangeScope = { targetGroups: [], ecsServices: [], autoScalingGroups: [] };

/** True when nothing is configured: offline files without a config keep every event they hold. */
export function isOpenScope(scope: ChangeScope): boolean {
  return (
    !scope.loadBalancer &&
    scope.targetGroups.length === 0 &&
    scope.ecsServices.length === 0 &&
    scope.autoScalingGroups.length === 0 &&
    !scope.ecsCluster
  );
}

/** The references an event makes, by kind, as ARNs or names. */
export interface EventReferences {
  loadBalancers: string[];
  targetGroups: string[];
  /** ECS services, with their cluster when the event names it. */
  services: Array<{ service: string; cluster?: string }>;
  autoScalingGroups: string[];
  /** ECS clusters named without a service (container instances drained). */
  clusters: string[];
}

export function noReferences(): EventReferences {
  return { loadBalancers: [], targetGroups: [], services: [], autoScalingGroups: [], clusters: [] };
}

/** Whether an event touches something in scope. An open scope takes everything. */
export function inScope(references: EventReferences, scope: ChangeScope): boolean {
  if (isOpenScope(scope)) return true;
  if (
    scope.loadBalancer &&
    references.loadBalancers.some(
      (lb) => endsWithResource(lb, `loadbalancer/${scope.loadBalancer}`) || endsWithResource(lb, scope.loadBalancer!),
    )
  )
    return true;
  if (references.targetGroups.some((tg) => scope.targetGroups.some((wanted) => endsWithResource(tg, wanted))))
    return true;
  if (references.autoScalingGroups.some((group) => scope.autoScalingGroups.includes(shortName(group)))) return true;
  if (scope.ecsCluster && references.clusters.includes(scope.ecsCluster)) return true;
  return references.services.some(({ service, cluster }) => {
    if (!scope.ecsServices.includes(shortName(service))) return false;
    // A service named in another cluster is another service.
    return cluster === undefined || scope.ecsCluster === undefined || shortName(cluster) === scope.ecsCluster;
  });
}

/** "arn:…:targetgroup/web/0123" ends with the resource "targetgroup/web/0123"; a bare resource equals it. */
function endsWithResource(reference: string, resource: string): boolean {
  return reference === resource || reference.endsWith(`:${resource}`) || reference.endsWith(`/${resource}`);
}

/**
 * The load balancer a listener or rule ARN belongs to:
 * "…:listener/app/web/0123456789abcdef/fedc…" → "…:loadbalancer/app/web/0123456789abcdef".
 */
export function loadBalancerOfListener(listenerOrRuleArn: string): string | null {
  const match = /^(.*):listener(?:-rule)?\/((?:app|net|gwy)\/[^/]+\/[0-9a-f]+)\//.exec(listenerOrRuleArn);
  return match ? `${match[1]}:loadbalancer/${match[2]}` : null;
}
