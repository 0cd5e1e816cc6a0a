/**
 * The standing settings of the load balancer and its target groups: idle_timeout.timeout_seconds
 * (DescribeLoadBalancerAttributes) and deregistration_delay.timeout_seconds
 * (DescribeTargetGroupAttributes), and optionally DescribeTargetHealth — the targets' state NOW,
 * a snapshot labelled as such, never history. The config names them by their CloudWatch
 * dimensions ("app/<name>/<id>", "targetgroup/<name>/<id>"); the ARNs the attribute calls need
 * are found by name (DescribeLoadBalancers / DescribeTargetGroups) and checked against the id.
 * Never throws.
 */
import type { Clock } from '../../core/clock.js';
import {
  type ChangeEvidence,
  emptyChangeEvidence,
  type SettingValue,
  type TargetHealthSnapshot,
} from '../change-event.js';
import { DEREGISTRATION_DELAY_KEY, IDLE_TIMEOUT_KEY } from '../files/settings-file.js';
import { shortName } from '../short-names.js';
import { ConfigMismatchError, callAws, describeCallFailure } from './call-aws.js';
import { ELB_PERMISSIONS, type ElbApi } from './change-apis.js';

export const ELB_SETTINGS_SOURCE = 'ELB attributes';
export const TARGET_HEALTH_SOURCE = 'Target health (now)';

export interface LoadBalancerSettingsRequest {
  /** "app/k8s-ingress/0123456789abcdef" */
  loadBalancer?: string | undefined;
  /** "targetgroup/k8s-prod000audio/0123456789abcdef", each. */
  targetGroups: string[];
  targetHealth: boolean;
  now: Date;
  deadlineMs: number;
  timeoutSeconds: number;
}

export interface LoadBalancerSettingsDeps {
  api: ElbApi;
  clock: Clock;
  random?: () => number;
  signal?: AbortSignal;
}

export async function fetchLoadBalancerSettings(
  request: LoadBalancerSettingsRequest,
  deps: LoadBalancerSettingsDeps,
): Promise<ChangeEvidence> {
  const evidence = emptyChangeEvidence();
  const problems: string[] = [];
  const health: TargetHealthSnapshot[] = [];
  const healthProblems: string[] = [];
  let read = 0;
  if (request.loadBalancer) {
    try {
      const idle = await idleTimeout(request.loadBalancer, request, deps);
      if (idle) evidence.settings.idleTimeout = idle;
      read++;
    } catch (error) {
      problems.push(
        describeCallFailure(
          error,
          `the attributes of load balancer ${shortName(request.loadBalancer)}`,
          ELB_PERMISSIONS,
          request.timeoutSeconds,
        ),
      );
    }
  }
  const delays: SettingValue[] = [];
  for (const targetGroup of request.targetGroups) {
    let arn: string;
    try {
      arn = await targetGroupArn(targetGroup, request, deps);
      const delay = await deregistrationDelay(arn, targetGroup, request, deps);
      if (delay) delays.push(delay);
      read++;
    } catch (error) {
      problems.push(
        describeCallFailure(
          error,
          `the attributes of target group ${shortName(targetGroup)}`,
          ELB_PERMISSIONS,
          request.timeoutSeconds,
        ),
      );
      continue;
    }
    if (!request.targetHealth) continue;
    try {
      health.push(await targetHealth(arn, targetGroup, request, deps));
    } catch (error) {
      healthProblems.push(
        describeCallFailure(
          error,
          `DescribeTargetHealth (${shortName(targetGroup)})`,
          ELB_PERMISSIONS,
          request.timeoutSeconds,
        ),
      );
    }
  }
  if (delays.length > 0) evidence.settings.deregistrationDelays = delays;
  const asked = (request.loadBalancer ? 1 : 0) + request.targetGroups.length;
  if (asked === 0) {
    evidence.sources.push({
      name: ELB_SETTINGS_SOURCE,
      status: 'not_configured',
      detail: 'set aws.loadBalancer and indexes.*.targetGroup to read the idle timeout and the deregistration delay',
    });
    return evidence;
  }
  const found = [evidence.settings.idleTimeout, ...delays]
    .filter((s): s is SettingValue => s !== undefined)
    .map((s) => `${s.object}: ${s.source.split(' ').at(-1)} = ${s.seconds}`);
  evidence.sources.push({
    name: ELB_SETTINGS_SOURCE,
    status: problems.length === 0 ? 'complete' : read === 0 ? 'failed' : 'partial',
    detail: [...found, ...problems].join('; '),
  });
  if (request.targetHealth && request.targetGroups.length > 0) {
    evidence.targetHealth = health;
    evidence.sources.push({
      name: TARGET_HEALTH_SOURCE,
      status:
        healthProblems.length === 0 && health.length === request.targetGroups.length
          ? 'complete'
          : health.length === 0
            ? 'failed'
            : 'partial',
      detail: [`a snapshot at ${request.now.toISOString()}, not the state during the errors`, ...healthProblems].join(
        '; ',
      ),
    });
  }
  return evidence;
}

async function idleTimeout(
  loadBalancer: string,
  request: LoadBalancerSettingsRequest,
  deps: LoadBalancerSettingsDeps,
): Promise<SettingValue | undefined> {
  const name = shortName(loadBalancer);
  const found = await callAws(
    (context) => deps.api.describeLoadBalancers({ Names: [name] }, context),
    options(request, deps),
  );
  const arn = found.LoadBalancers?.map((lb) => lb.LoadBalancerArn).find(
    (candidate): candidate is string => !!candidate && candidate.endsWith(`loadbalancer/${loadBalancer}`),
  );
  if (!arn)
    throw new ConfigMismatchError(
      `load balancer ${name} exists but not with the id in aws.loadBalancer (${loadBalancer}); check the config`,
    );
  const answer = await callAws(
    (context) => deps.api.describeLoadBalancerAttributes({ LoadBalancerArn: arn }, context),
    options(request, deps),
  );
  const value = answer.Attributes?.find((a) => a.Key === IDLE_TIMEOUT_KEY)?.Value;
  return value !== undefined && Number.isFinite(Number(value))
    ? { seconds: Number(value), object: name, source: `DescribeLoadBalancerAttributes ${IDLE_TIMEOUT_KEY}` }
    : undefined;
}

async function targetGroupArn(
  targetGroup: string,
  request: LoadBalancerSettingsRequest,
  deps: LoadBalancerSettingsDeps,
): Promise<string> {
  const name = shortName(targetGroup);
  const found = await callAws(
    (context) => deps.api.describeTargetGroups({ Names: [name] }, context),
    options(request, deps),
  );
  const arn = found.TargetGroups?.map((tg) => tg.TargetGroupArn).find(
    (candidate): candidate is string => !!candidate && candidate.endsWith(targetGroup),
  );
  if (!arn)
    throw new ConfigMismatchError(
      `target group ${name} exists but not with the id in the config (${targetGroup}); check indexes.*.targetGroup`,
    );
  return arn;
}

async function deregistrationDelay(
  arn: string,
  targetGroup: string,
  request: LoadBalancerSettingsRequest,
  deps: LoadBalancerSettingsDeps,
): Promise<SettingValue | undefined> {
  const answer = await callAws(
    (context) => deps.api.describeTargetGroupAttributes({ TargetGroupArn: arn }, context),
    options(request, deps),
  );
  const value = answer.Attributes?.find((a) => a.Key === DEREGISTRATION_DELAY_KEY)?.Value;
  return value !== undefined && Number.isFinite(Number(value))
    ? {
        seconds: Number(value),
        object: shortName(targetGroup),
        source: `DescribeTargetGroupAttributes ${DEREGISTRATION_DELAY_KEY}`,
      }
    : undefined;
}

async function targetHealth(
  arn: string,
  targetGroup: string,
  request: LoadBalancerSettingsRequest,
  deps: LoadBalancerSettingsDeps,
): Promise<TargetHealthSnapshot> {
  const answer = await callAws(
    (context) => deps.api.describeTargetHealth({ TargetGroupArn: arn }, context),
    options(request, deps),
  );
  return {
    takenAt: request.now,
    targetGroup: shortName(targetGroup),
    targets: (answer.TargetHealthDescriptions ?? []).map((d) => ({
      target: [d.Target?.Id ?? '?', d.Target?.Port].filter((part) => part !== undefined).join(':'),
      state: d.TargetHealth?.State ?? 'unknown',
      ...(d.TargetHealth?.Reason ? { reason: d.TargetHealth.Reason } : {}),
      ...(d.TargetHealth?.Description ? { description: d.TargetHealth.Description } : {}),
    })),
  };
}

function options(request: LoadBalancerSettingsRequest, deps: LoadBalancerSettingsDeps) {
  return { clock: deps.clock, deadlineMs: request.deadlineMs, signal: deps.signal, random: deps.random };
}
