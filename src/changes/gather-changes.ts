/**
 * "What changed" in production: every configured provider at once, under one budget
 * (aws.changes.timeoutSeconds), each optional — what is not configured says so
 * (`not_configured`, with the setting to add), what fails is named with the permission it
 * needs. Never throws; the verdict never waits on it beyond the budget.
 */
import type { Clock } from '../core/clock.js';
import type { SourceStatus, TimeWindow } from '../core/types.js';
import type { ChangeApis } from './aws/change-apis.js';
import { ECS_EVENTS_SOURCE, ECS_TASKS_SOURCE, fetchEcsChanges } from './aws/fetch-ecs-changes.js';
import { ELB_SETTINGS_SOURCE, fetchLoadBalancerSettings } from './aws/fetch-load-balancer-settings.js';
import { CONTAINER_INSIGHTS_SOURCE, ECS_METRICS_SOURCE, fetchResourceMetrics } from './aws/fetch-resource-metrics.js';
import { CLOUDTRAIL_SOURCE, lookupCloudTrailChanges } from './aws/lookup-cloudtrail-changes.js';
import { cloudTrailPacer, type RatePacer } from './aws/rate-pacer.js';
import { type ChangeEvidence, emptyChangeEvidence, mergeChangeEvidence } from './change-event.js';
import type { ChangeScope } from './change-scope.js';
import type { ChangesConfig } from './changes-config.js';

export interface GatherChangesRequest {
  window: TimeWindow;
  now: Date;
  /** aws.loadBalancer: "app/<name>/<16 hex>". */
  loadBalancer?: string | undefined;
  /** The target groups to look at: the index's (indexes.<index>.targetGroup), or every configured one. */
  targetGroups: string[];
  config: ChangesConfig;
}

export interface GatherChangesDeps {
  apis: ChangeApis;
  clock: Clock;
  /** Default: the process-wide CloudTrail pacer (2 calls/s). */
  pacer?: RatePacer;
  random?: () => number;
  signal?: AbortSignal;
}

export async function gatherChanges(request: GatherChangesRequest, deps: GatherChangesDeps): Promise<ChangeEvidence> {
  const { config } = request;
  const deadlineMs = deps.clock.now().getTime() + config.timeoutSeconds * 1000;
  const common = {
    window: request.window,
    now: request.now,
    marginMinutes: config.marginMinutes,
    deadlineMs,
    timeoutSeconds: config.timeoutSeconds,
  };
  const callDeps = {
    clock: deps.clock,
    ...(deps.random ? { random: deps.random } : {}),
    ...(deps.signal ? { signal: deps.signal } : {}),
  };
  const scope: ChangeScope = {
    loadBalancer: request.loadBalancer,
    targetGroups: request.targetGroups,
    ecsCluster: config.ecsCluster,
    ecsServices: config.ecsServices,
    autoScalingGroups: config.autoScalingGroups,
  };
  const ecs =
    config.ecsCluster && config.ecsServices.length > 0
      ? { cluster: config.ecsCluster, services: config.ecsServices }
      : undefined;
  const { cloudTrail, ecs: ecsApi, elb, metrics } = deps.apis;
  const parts = await Promise.all([
    !config.cloudTrail
      ? notConfigured(CLOUDTRAIL_SOURCE, 'aws.changes.cloudTrail is false')
      : cloudTrail
        ? lookupCloudTrailChanges(
            { ...common, scope },
            { ...callDeps, api: cloudTrail, pacer: deps.pacer ?? cloudTrailPacer() },
          )
        : notConfigured(CLOUDTRAIL_SOURCE, 'no CloudTrail client'),
    !ecs
      ? notConfigured(
          `${ECS_EVENTS_SOURCE}, ${ECS_TASKS_SOURCE}`,
          'set aws.changes.ecsCluster and aws.changes.ecsServices',
        )
      : ecsApi
        ? fetchEcsChanges({ ...common, ...ecs }, { ...callDeps, api: ecsApi })
        : notConfigured(ECS_EVENTS_SOURCE, 'no ECS client'),
    ecs || config.containerInsights
      ? metrics
        ? fetchResourceMetrics(
            { ...common, ecs, containerInsights: config.containerInsights },
            { ...callDeps, api: metrics },
          )
        : notConfigured(ECS_METRICS_SOURCE, 'no CloudWatch client')
      : notConfigured(
          `${ECS_METRICS_SOURCE}, ${CONTAINER_INSIGHTS_SOURCE}`,
          'set aws.changes.ecsServices or aws.changes.containerInsights',
        ),
    elb
      ? fetchLoadBalancerSettings(
          {
            loadBalancer: request.loadBalancer,
            targetGroups: request.targetGroups,
            targetHealth: config.targetHealth,
            now: request.now,
            deadlineMs,
            timeoutSeconds: config.timeoutSeconds,
          },
          { ...callDeps, api: elb },
        )
      : notConfigured(ELB_SETTINGS_SOURCE, 'no Elastic Load Balancing client'),
  ]);
  const merged = mergeChangeEvidence(parts);
  if (config.targetKeepAliveSeconds !== undefined) {
    merged.settings.targetKeepAlive = {
      seconds: config.targetKeepAliveSeconds,
      object: 'the targets',
      source: 'config aws.changes.targetKeepAliveSeconds',
    };
  }
  return merged;
}

function notConfigured(name: string, detail: string): ChangeEvidence {
  const source: SourceStatus = { name, status: 'not_configured', detail };
  return { ...emptyChangeEvidence(), sources: [source] };
}
