/**
 * The AWS calls "what changed" makes, narrowed to small seams (as sources/cloudwatch/metrics.ts
 * does): tests and the bench stand in for them, or point the real clients at a local stand-in
 * (`endpoint`, or AWS_ENDPOINT_URL_CLOUDTRAIL / _ECS / _ELASTIC_LOAD_BALANCING_V2 / _CLOUDWATCH).
 * Every call is read-only.
 */
import {
  CloudTrailClient,
  LookupEventsCommand,
  type LookupEventsCommandInput,
  type LookupEventsCommandOutput,
} from '@aws-sdk/client-cloudtrail';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import {
  DescribeServicesCommand,
  type DescribeServicesCommandInput,
  type DescribeServicesCommandOutput,
  DescribeTasksCommand,
  type DescribeTasksCommandInput,
  type DescribeTasksCommandOutput,
  ECSClient,
  ListTasksCommand,
  type ListTasksCommandInput,
  type ListTasksCommandOutput,
} from '@aws-sdk/client-ecs';
import {
  DescribeLoadBalancerAttributesCommand,
  type DescribeLoadBalancerAttributesCommandInput,
  type DescribeLoadBalancerAttributesCommandOutput,
  DescribeLoadBalancersCommand,
  type DescribeLoadBalancersCommandInput,
  type DescribeLoadBalancersCommandOutput,
  DescribeTargetGroupAttributesCommand,
  type DescribeTargetGroupAttributesCommandInput,
  type DescribeTargetGroupAttributesCommandOutput,
  DescribeTargetGroupsCommand,
  type DescribeTargetGroupsCommandInput,
  type DescribeTargetGroupsCommandOutput,
  DescribeTargetHealthCommand,
  type DescribeTargetHealthCommandInput,
  type DescribeTargetHealthCommandOutput,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { createMetricsApi, type MetricsApi } from '../../sources/cloudwatch/metrics.js';

export interface CallOptions {
  /** Aborts the HTTP call (deadline reached, or the investigation was cancelled). */
  abortSignal?: AbortSignal;
}

export interface CloudTrailApi {
  lookupEvents(
    input: LookupEventsCommandInput,
    options?: CallOptions,
  ): Promise<Pick<LookupEventsCommandOutput, 'Events' | 'NextToken'>>;
}

export interface EcsApi {
  describeServices(
    input: DescribeServicesCommandInput,
    options?: CallOptions,
  ): Promise<Pick<DescribeServicesCommandOutput, 'services' | 'failures'>>;
  listTasks(
    input: ListTasksCommandInput,
    options?: CallOptions,
  ): Promise<Pick<ListTasksCommandOutput, 'taskArns' | 'nextToken'>>;
  describeTasks(
    input: DescribeTasksCommandInput,
    options?: CallOptions,
  ): Promise<Pick<DescribeTasksCommandOutput, 'tasks' | 'failures'>>;
}

export interface ElbApi {
  describeLoadBalancers(
    input: DescribeLoadBalancersCommandInput,
    options?: CallOptions,
  ): Promise<Pick<DescribeLoadBalancersCommandOutput, 'LoadBalancers'>>;
  describeLoadBalancerAttributes(
    input: DescribeLoadBalancerAttributesCommandInput,
    options?: CallOptions,
  ): Promise<Pick<DescribeLoadBalancerAttributesCommandOutput, 'Attributes'>>;
  describeTargetGroups(
    input: DescribeTargetGroupsCommandInput,
    options?: CallOptions,
  ): Promise<Pick<DescribeTargetGroupsCommandOutput, 'TargetGroups'>>;
  describeTargetGroupAttributes(
    input: DescribeTargetGroupAttributesCommandInput,
    options?: CallOptions,
  ): Promise<Pick<DescribeTargetGroupAttributesCommandOutput, 'Attributes'>>;
  describeTargetHealth(
    input: DescribeTargetHealthCommandInput,
    options?: CallOptions,
  ): Promise<Pick<DescribeTargetHealthCommandOutput, 'TargetHealthDescriptions'>>;
}

/** Each provider's calls, so a failure names the permission it needs (scripts/changes-iam.cjs grants them). */
export const CLOUDTRAIL_PERMISSIONS = ['cloudtrail:LookupEvents'] as const;
export const ECS_PERMISSIONS = ['ecs:DescribeServices', 'ecs:ListTasks', 'ecs:DescribeTasks'] as const;
export const ELB_PERMISSIONS = [
  'elasticloadbalancing:DescribeLoadBalancers',
  'elasticloadbalancing:DescribeLoadBalancerAttributes',
  'elasticloadbalancing:DescribeTargetGroups',
  'elasticloadbalancing:DescribeTargetGroupAttributes',
  'elasticloadbalancing:DescribeTargetHealth',
] as const;
export const RESOURCE_METRICS_PERMISSIONS = ['cloudwatch:GetMetricData'] as const;

const sendOptions = (options?: CallOptions) => (options?.abortSignal ? { abortSignal: options.abortSignal } : {});

export function createCloudTrailApi(client: CloudTrailClient): CloudTrailApi {
  return { lookupEvents: (input, options) => client.send(new LookupEventsCommand(input), sendOptions(options)) };
}

export function createEcsApi(client: ECSClient): EcsApi {
  return {
    describeServices: (input, options) => client.send(new DescribeServicesCommand(input), sendOptions(options)),
    listTasks: (input, options) => client.send(new ListTasksCommand(input), sendOptions(options)),
    describeTasks: (input, options) => client.send(new DescribeTasksCommand(input), sendOptions(options)),
  };
}

export function createElbApi(client: ElasticLoadBalancingV2Client): ElbApi {
  return {
    describeLoadBalancers: (input, options) =>
      client.send(new DescribeLoadBalancersCommand(input), sendOptions(options)),
    describeLoadBalancerAttributes: (input, options) =>
      client.send(new DescribeLoadBalancerAttributesCommand(input), sendOptions(options)),
    describeTargetGroups: (input, options) => client.send(new DescribeTargetGroupsCommand(input), sendOptions(options)),
    describeTargetGroupAttributes: (input, options) =>
      client.send(new DescribeTargetGroupAttributesCommand(input), sendOptions(options)),
    describeTargetHealth: (input, options) => client.send(new DescribeTargetHealthCommand(input), sendOptions(options)),
  };
}

export interface ChangeApis {
  cloudTrail?: CloudTrailApi;
  ecs?: EcsApi;
  elb?: ElbApi;
  metrics?: MetricsApi;
}

/**
 * The four real clients for one region, credentials from the standard chain. Build once per
 * process (Lambda cold start) and reuse. `maxAttempts: 1`: retries and backoff are ours, under
 * the investigation's deadline and CloudTrail's 2 calls/s pace.
 */
export function createChangeApis(options: { region?: string | undefined } = {}): Required<ChangeApis> {
  const config = { ...(options.region ? { region: options.region } : {}), maxAttempts: 1 };
  return {
    cloudTrail: createCloudTrailApi(new CloudTrailClient(config)),
    ecs: createEcsApi(new ECSClient(config)),
    elb: createElbApi(new ElasticLoadBalancingV2Client(config)),
    metrics: createMetricsApi(new CloudWatchClient(config)),
  };
}
