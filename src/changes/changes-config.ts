/**
 * `aws.changes` of why502.yml: where to look for what changed around the errors (issue 13). The
 * schema is exported for src/config.ts to nest under `aws`; the load balancer and the target
 * groups come from `aws.loadBalancer` and `indexes.*.targetGroup`, which it already has.
 */
import { z } from 'zod';

/** ECS cluster and service names: letters, digits, "-" and "_", at most 255 (the ECS rule). */
const ECS_NAME = /^[A-Za-z0-9_-]{1,255}$/;
/** Auto Scaling group names: 1–255 characters without ":" or control characters; kept simple here. */
const ASG_NAME = /^[A-Za-z0-9 _.@/-]{1,255}$/;
/** Kubernetes names (RFC 1123 labels and subdomains). */
const K8S_NAME = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

const ContainerInsightsSchema = z
  .object({
    /** The EKS cluster's name (the ContainerInsights ClusterName dimension). */
    clusterName: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/, 'must be an EKS cluster name'),
    /** The namespace of the workloads (the Namespace dimension). */
    namespace: z.string().regex(K8S_NAME, 'must be a Kubernetes namespace name'),
    /** Workloads whose restarts, CPU and memory to read (the PodName dimension: the workload's name, e.g. "traefik"). */
    workloads: z.array(z.string().regex(K8S_NAME, 'must be a Kubernetes workload name')).min(1).max(10),
  })
  .strict();

export const ChangesConfigSchema = z
  .object({
    /** Look up writes in CloudTrail (LookupEvents) to the load balancer, its target groups and the services below. */
    cloudTrail: z.boolean().default(true),
    /** The ECS cluster of `ecsServices`. */
    ecsCluster: z.string().regex(ECS_NAME, 'must be an ECS cluster name (letters, digits, "-" and "_")').optional(),
    /** ECS services behind the load balancer: their events, stopped tasks and AWS/ECS CPU and memory. */
    ecsServices: z
      .array(z.string().regex(ECS_NAME, 'must be an ECS service name (letters, digits, "-" and "_")'))
      .max(20)
      .default([]),
    /** EC2 Auto Scaling groups of the nodes behind the load balancer (CloudTrail writes to them). */
    autoScalingGroups: z.array(z.string().regex(ASG_NAME, 'must be an Auto Scaling group name')).max(20).default([]),
    /** EKS Container Insights: container restarts, CPU and memory over the pod limit, per workload. */
    containerInsights: ContainerInsightsSchema.optional(),
    /** Ask DescribeTargetHealth for the targets' state now (a snapshot, labelled as such). */
    targetHealth: z.boolean().default(true),
    /** Minutes before the window that are searched too: a deploy starts before the errors it causes. */
    marginMinutes: z.number().int().min(0).max(180).default(30),
    /** The targets' keep-alive (idle) timeout, when known: compared with the load balancer's idle timeout. */
    targetKeepAliveSeconds: z.number().int().min(1).max(4000).optional(),
    /** The whole "what changed" budget; what is not answered by then is reported as partial. */
    timeoutSeconds: z.number().int().min(5).max(120).default(20),
  })
  .strict()
  .refine((changes) => changes.ecsServices.length === 0 || changes.ecsCluster !== undefined, {
    message: 'ecsServices needs ecsCluster (the cluster they run in)',
    path: ['ecsCluster'],
  });

/** The validated `aws.changes` block, defaults applied. */
export type ChangesConfig = z.infer<typeof ChangesConfigSchema>;
export type ContainerInsightsConfig = z.infer<typeof ContainerInsightsSchema>;

/** The defaults: CloudTrail and target health on, nothing else configured. */
export function defaultChangesConfig(): ChangesConfig {
  return ChangesConfigSchema.parse({});
}
