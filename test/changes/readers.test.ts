/**
 * The pure readers behind every provider: short names without ARNs or credentials, Kubernetes
 * events (times, rollouts, scaling), ECS messages and stopped tasks, CloudTrail records.
 */
import { describe, expect, it } from 'vitest';
import { actorOf, readCloudTrailRecord } from '../../src/changes/cloudtrail/cloudtrail-record.js';
import { readEcsServices } from '../../src/changes/ecs/ecs-service-events.js';
import { readStoppedTask } from '../../src/changes/ecs/ecs-stopped-task.js';
import { readKubernetesEvents } from '../../src/changes/kubernetes/kubernetes-events.js';
import {
  evidenceText,
  shortenArns,
  shortName,
  workloadOfPod,
  workloadOfReplicaSet,
} from '../../src/changes/short-names.js';

describe('short names', () => {
  it('names objects as people do, without partition, region or account', () => {
    expect(
      [
        'arn:aws:elasticloadbalancing:ap-southeast-2:123456789012:targetgroup/k8s-prod000audio/0123456789abcdef',
        'arn:aws:elasticloadbalancing:ap-southeast-2:123456789012:loadbalancer/app/k8s-ingress/0123456789abcdef',
        'app/k8s-ingress/0123456789abcdef',
        'arn:aws:ecs:ap-southeast-2:123456789012:service/prod/search-api',
        'arn:aws:ecs:ap-southeast-2:123456789012:task/prod/5b6c7d8e9f0a4b1c8d2e3f4a5b6c7d8e',
        'arn:aws:ecs:ap-southeast-2:123456789012:task-definition/search-api:43',
        'arn:aws:sts::123456789012:assumed-role/deploy-bot/github-actions-8842119021',
        'arn:aws-cn:autoscaling:cn-north-1:123456789012:autoScalingGroup:4f5e6d7c-8b9a-0f1e-2a3b-4c5d6e7f8a9b:autoScalingGroupName/nodes-a',
        'search-api',
      ].map(shortName),
    ).toEqual([
      'k8s-prod000audio',
      'k8s-ingress',
      'k8s-ingress',
      'search-api',
      '5b6c7d8e9f0a4b1c8d2e3f4a5b6c7d8e',
      'search-api:43',
      'deploy-bot',
      'nodes-a',
      'search-api',
    ]);
  });

  it('cuts ARNs in text to their resource and strips control characters', () => {
    expect(
      shortenArns(
        '(service web) deregistered 1 targets in (target-group arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/0123456789abcdef)',
      ),
    ).toBe('(service web) deregistered 1 targets in (target-group targetgroup/web/0123456789abcdef)');
    expect(evidenceText('Back-off \u001b]0;owned\u0007restarting\nfailed container')).toBe(
      'Back-off ]0;ownedrestartingfailed container',
    );
    expect(evidenceText('x'.repeat(400))).toHaveLength(300);
  });

  it("finds the workload of a pod and of a ReplicaSet from Kubernetes' generated suffixes", () => {
    expect(['traefik-7d9f8b6c5-x2x9k', 'npd-bq7zc', 'web-0', 'plain'].map(workloadOfPod)).toEqual([
      'traefik',
      'npd',
      'web',
      'plain',
    ]);
    expect(workloadOfReplicaSet('queue-web-6d9c7b8f5')).toBe('queue-web');
  });
});

describe('readKubernetesEvents', () => {
  const event = (fields: Record<string, unknown>) => ({
    kind: 'Event',
    involvedObject: { kind: 'Pod', name: 'web-6d9c7b8f5-x2x9k', namespace: 'shop' },
    metadata: { creationTimestamp: '2026-06-18T19:00:00Z' },
    ...fields,
  });

  it('takes lastTimestamp, else series.lastObservedTime, else eventTime, else the creation time', () => {
    const changes = readKubernetesEvents(
      [
        event({
          reason: 'Unhealthy',
          message: 'Readiness probe failed',
          lastTimestamp: '2026-06-18T19:40:00Z',
          eventTime: '2026-06-18T19:41:00.000000Z',
        }),
        event({
          reason: 'Unhealthy',
          message: 'Readiness probe failed',
          lastTimestamp: null,
          series: { count: 7, lastObservedTime: '2026-06-18T19:42:00.000000Z' },
          eventTime: '2026-06-18T19:30:00.000000Z',
        }),
        event({
          reason: 'Unhealthy',
          message: 'Readiness probe failed',
          lastTimestamp: null,
          eventTime: '2026-06-18T19:43:00.000000Z',
        }),
        event({ reason: 'Unhealthy', message: 'Readiness probe failed', lastTimestamp: null, eventTime: null }),
      ],
      'kubectl events',
    );

    expect(changes.map((c) => [c.at.toISOString(), c.repeats ?? 1])).toEqual([
      ['2026-06-18T19:00:00.000Z', 1],
      ['2026-06-18T19:40:00.000Z', 1],
      ['2026-06-18T19:42:00.000Z', 7],
      ['2026-06-18T19:43:00.000Z', 1],
    ]);
  });

  it('reads a Deployment scaling two ReplicaSets within minutes as one rollout, and one scaling alone as a scale-in', () => {
    const deployment = (message: string, time: string) => ({
      kind: 'Event',
      reason: 'ScalingReplicaSet',
      message,
      lastTimestamp: time,
      involvedObject: { kind: 'Deployment', name: 'web', namespace: 'shop' },
      source: { component: 'deployment-controller' },
    });

    const changes = readKubernetesEvents(
      [
        deployment('Scaled up replica set web-5c7d8b9f4 to 1', '2026-06-18T19:30:00Z'),
        deployment('Scaled down replica set web-6f5c4d7b8 to 2 from 3', '2026-06-18T19:31:00Z'),
        deployment('Scaled down replica set web-5c7d8b9f4 to 1 from 3', '2026-06-18T20:30:00Z'),
      ],
      'kubectl events',
    );

    expect(
      changes.map((c) => [c.at.toISOString(), c.kind, c.object, c.deployment ?? null, c.replicas ?? null]),
    ).toEqual([
      ['2026-06-18T19:30:00.000Z', 'deploy', 'web', 'web-5c7d8b9f4', null],
      ['2026-06-18T20:30:00.000Z', 'scale_in', 'web', null, { from: 3, to: 1 }],
    ]);
  });

  it("reads the horizontal pod autoscaler's direction from its reason", () => {
    const hpa = (message: string) => ({
      kind: 'Event',
      reason: 'SuccessfulRescale',
      message,
      lastTimestamp: '2026-06-18T19:30:00Z',
      involvedObject: { kind: 'HorizontalPodAutoscaler', name: 'web', namespace: 'shop' },
    });

    const changes = readKubernetesEvents(
      [
        hpa('New size: 15; reason: All metrics below target'),
        hpa('New size: 20; reason: cpu resource utilization (percentage of request) above target'),
        hpa('New size: 4; reason: Current number of replicas below Spec.MinReplicas'),
      ],
      'kubectl events',
    );

    expect(changes.map((c) => [c.kind, c.replicas])).toEqual([
      ['scale_in', { to: 15 }],
      ['scale_out', { to: 20 }],
      ['config_change', { to: 4 }],
    ]);
  });
});

describe('the ECS readers', () => {
  it("reads an unhealthy-target message with its task and reason, and Service Auto Scaling's direction from its alarm", () => {
    const reading = readEcsServices(
      [
        {
          serviceName: 'web',
          events: [
            {
              createdAt: '2026-06-18T19:36:05Z',
              message:
                '(service web) (task 3e4f5a6b7c8d4e9f8a0b1c2d3e4f5a6b) (port 8080) is unhealthy in (target-group arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/0123456789abcdef) due to (reason Health checks failed with these codes: [502]).',
            },
            {
              createdAt: '2026-06-18T19:20:00Z',
              message:
                'Message: Successfully set desired count to 1. Change successfully fulfilled by ecs. Cause: monitor alarm TargetTracking-service/prod/web-AlarmLow-fcd80aef in state ALARM triggered policy cpu',
            },
            { createdAt: '2026-06-18T19:10:00Z', message: '(service web) has reached a steady state.' },
          ],
        },
      ],
      'ECS service events',
    );

    expect(reading.changes.map((c) => [c.kind, c.members ?? null, c.exit ?? null, c.replicas ?? null])).toEqual([
      ['health_check_failed', ['3e4f5a6b'], { reason: 'Health checks failed with these codes: [502]' }, null],
      ['scale_in', null, null, { to: 1 }],
    ]);
  });

  it("tells an OOM kill, a failed health check, a deploy's stop, a crash and a spot interruption apart", () => {
    const task = (stoppedReason: string, stopCode: string, container: Record<string, unknown>) => ({
      taskArn: 'arn:aws:ecs:us-east-1:123456789012:task/prod/5b6c7d8e9f0a4b1c8d2e3f4a5b6c7d8e',
      group: 'service:web',
      lastStatus: 'STOPPED',
      stoppedAt: '2026-06-18T19:40:00Z',
      stoppedReason,
      stopCode,
      containers: [{ name: 'web', ...container }],
    });
    const kinds = [
      task('Essential container in task exited', 'EssentialContainerExited', {
        exitCode: 137,
        reason: 'OutOfMemoryError: container killed due to memory usage',
      }),
      task('Task failed container health checks', 'ServiceSchedulerInitiated', { exitCode: 143 }),
      task('Scaling activity initiated by (deployment ecs-svc/123)', 'ServiceSchedulerInitiated', { exitCode: 0 }),
      task('Essential container in task exited', 'EssentialContainerExited', { exitCode: 1 }),
      task('Your Spot Task was interrupted.', 'SpotInterruption', { exitCode: 143 }),
    ].map((t) => readStoppedTask(t, 'ECS stopped tasks')!.kind);

    expect(kinds).toEqual(['oom_kill', 'health_check_failed', 'task_stopped', 'container_restart', 'node_event']);
  });
});

describe('CloudTrail records', () => {
  const base = {
    eventTime: '2026-06-18T19:40:03Z',
    eventSource: 'ecs.amazonaws.com',
    eventName: 'UpdateService',
    userIdentity: { type: 'IAMUser', userName: 'ops-admin', accessKeyId: 'AKIAEXAMPLE' },
  };

  it('reads UpdateService as a deploy, a scale-in or a configuration change by what it set', () => {
    const kinds = [
      { requestParameters: { service: 'web', taskDefinition: 'web:9' } },
      { requestParameters: { service: 'web', forceNewDeployment: true } },
      { requestParameters: { service: 'web', desiredCount: 2 }, responseElements: { service: { runningCount: 5 } } },
      { requestParameters: { service: 'web', desiredCount: 2 } },
      { requestParameters: { service: 'web', healthCheckGracePeriodSeconds: 60 } },
    ].map((fields) => {
      const outcome = readCloudTrailRecord({ ...base, ...fields }, 'CloudTrail');
      return outcome.kind === 'changes' ? outcome.changes[0]!.kind : outcome.why;
    });

    expect(kinds).toEqual(['deploy', 'deploy', 'scale_in', 'config_change', 'config_change']);
  });

  it('skips read-only and failed calls', () => {
    expect(
      readCloudTrailRecord(
        { ...base, readOnly: true, requestParameters: { service: 'web', taskDefinition: 'web:9' } },
        'CloudTrail',
      ),
    ).toEqual({ kind: 'skipped', why: 'read_only' });
    expect(
      readCloudTrailRecord(
        { ...base, errorCode: 'AccessDenied', requestParameters: { service: 'web', taskDefinition: 'web:9' } },
        'CloudTrail',
      ),
    ).toEqual({ kind: 'skipped', why: 'failed' });
  });

  it('names who made a call without its credentials', () => {
    expect(
      [
        { type: 'IAMUser', userName: 'ops-admin', accessKeyId: 'AKIAEXAMPLE', principalId: 'AIDAEXAMPLE' },
        {
          type: 'AssumedRole',
          arn: 'arn:aws:sts::123456789012:assumed-role/deploy-bot/github-actions-1',
          accessKeyId: 'ASIAEXAMPLE',
          sessionContext: { sessionIssuer: { userName: 'deploy-bot' } },
        },
        {
          type: 'AssumedRole',
          arn: 'arn:aws:sts::123456789012:assumed-role/AWSServiceRoleForECS/ecs-service-scheduler',
          invokedBy: 'ecs.amazonaws.com',
          sessionContext: { sessionIssuer: { userName: 'AWSServiceRoleForECS' } },
        },
        { type: 'AWSService', invokedBy: 'autoscaling.amazonaws.com' },
        { type: 'Root', arn: 'arn:aws:iam::123456789012:root' },
      ].map(actorOf),
    ).toEqual([
      'user ops-admin',
      'role deploy-bot',
      'ECS (service-linked role)',
      'autoscaling.amazonaws.com',
      'the root user',
    ]);
  });
});
