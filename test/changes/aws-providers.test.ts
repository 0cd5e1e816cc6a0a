/**
 * The production providers through the real SDK clients (@aws-sdk/client-cloudtrail, -ecs,
 * -elastic-load-balancing-v2, -cloudwatch) against test/support/fake-change-sources.ts, which
 * speaks each client's wire protocol and behaves as the services document: pages, the 2 calls/s
 * CloudTrail rate, an hour of stopped tasks, 100 service events, no datapoints, faults.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fetchEcsChanges } from '../../src/changes/aws/fetch-ecs-changes.js';
import { fetchLoadBalancerSettings } from '../../src/changes/aws/fetch-load-balancer-settings.js';
import { fetchResourceMetrics } from '../../src/changes/aws/fetch-resource-metrics.js';
import { lookupCloudTrailChanges } from '../../src/changes/aws/lookup-cloudtrail-changes.js';
import { RatePacer } from '../../src/changes/aws/rate-pacer.js';
import { correlateChanges } from '../../src/changes/causes/find-causes.js';
import type { ChangeScope } from '../../src/changes/change-scope.js';
import { ChangesConfigSchema } from '../../src/changes/changes-config.js';
import { readEventsFiles } from '../../src/changes/files/read-events-file.js';
import { gatherChanges } from '../../src/changes/gather-changes.js';
import {
  type FakeChangeSources,
  type FakeChangeSourcesOptions,
  startFakeChangeSources,
} from '../support/fake-change-sources.js';
import { fixtureJson, GENERATED, realApis, steppingClock, WINDOW } from './support/change-fixtures.js';

const TG = 'targetgroup/k8s-prod000audio/b692bdc6e203c988';
const TG_ARN = `arn:aws:elasticloadbalancing:ap-southeast-2:123456789012:${TG}`;
const LB = 'app/k8s-ingress/0123456789abcdef';
const LB_ARN = `arn:aws:elasticloadbalancing:ap-southeast-2:123456789012:loadbalancer/${LB}`;
const SCOPE: ChangeScope = {
  loadBalancer: LB,
  targetGroups: [TG],
  ecsCluster: 'prod',
  ecsServices: ['search-api'],
  autoScalingGroups: [],
};
/** "Now" a few minutes after the errors, as when someone asks. */
const NOW = new Date('2026-06-18T19:55:00Z');

const deployEvents = () =>
  fixtureJson<{ Events: Array<Record<string, unknown>> }>('generated/deploy/cloudtrail-lookup-events.json').Events;
const deployServices = () =>
  fixtureJson<{ services: Array<Record<string, unknown>> }>('generated/deploy/ecs-describe-services.json').services;
const searchApiTasks = () =>
  fixtureJson<{ tasks: Array<Record<string, unknown>> }>('ecs/describe-tasks-search-api.json').tasks.map((task) => ({
    ...task,
    taskArn: String(task.taskArn),
  }));

let fake: FakeChangeSources;
let clock: ReturnType<typeof steppingClock>;

async function start(options: Omit<FakeChangeSourcesOptions, 'now'>): Promise<ReturnType<typeof realApis>> {
  fake = await startFakeChangeSources({ ...options, now: () => clock.now().getTime() });
  return realApis(fake.endpoint);
}

beforeEach(() => {
  clock = steppingClock(NOW);
});

afterEach(async () => {
  await fake?.close();
});

const common = () => ({
  window: WINDOW,
  now: NOW,
  marginMinutes: 30,
  deadlineMs: NOW.getTime() + 20_000,
  timeoutSeconds: 20,
});

describe('lookupCloudTrailChanges', () => {
  it('asks once per event source with one lookup attribute, 50 a page, from the margin before the window, and follows every NextToken', async () => {
    const apis = await start({ cloudTrailEvents: deployEvents(), cloudTrailPageSize: 2 });

    const evidence = await lookupCloudTrailChanges(
      { ...common(), scope: SCOPE },
      { api: apis.cloudTrail, clock, pacer: new RatePacer(500) },
    );

    const requests = fake.requests('LookupEvents');
    expect(
      requests.map((r) => [
        (r.LookupAttributes as Array<Record<string, string>>)[0]!.AttributeValue,
        r.MaxResults,
        r.StartTime,
        r.EndTime,
        r.NextToken !== undefined,
      ]),
    ).toEqual([
      [
        'elasticloadbalancing.amazonaws.com',
        50,
        Date.parse('2026-06-18T17:41:00Z') / 1000,
        NOW.getTime() / 1000,
        false,
      ],
      ['elasticloadbalancing.amazonaws.com', 50, Date.parse('2026-06-18T17:41:00Z') / 1000, NOW.getTime() / 1000, true],
      ['elasticloadbalancing.amazonaws.com', 50, Date.parse('2026-06-18T17:41:00Z') / 1000, NOW.getTime() / 1000, true],
      ['ecs.amazonaws.com', 50, Date.parse('2026-06-18T17:41:00Z') / 1000, NOW.getTime() / 1000, false],
      [
        'application-autoscaling.amazonaws.com',
        50,
        Date.parse('2026-06-18T17:41:00Z') / 1000,
        NOW.getTime() / 1000,
        false,
      ],
    ]);
    expect(evidence.changes.map((c) => [c.at.toISOString(), c.kind, c.object])).toEqual([
      ['2026-06-18T17:55:21.000Z', 'config_change', 'k8s-ingress'],
      ['2026-06-18T19:35:11.000Z', 'deploy', 'search-api'],
      ['2026-06-18T19:39:12.000Z', 'targets_registered', 'k8s-prod000audio'],
      ['2026-06-18T19:40:03.000Z', 'targets_deregistered', 'k8s-prod000audio'],
    ]);
    expect(evidence.sources).toEqual([
      {
        name: 'CloudTrail',
        status: 'complete',
        detail:
          'elasticloadbalancing.amazonaws.com, ecs.amazonaws.com, application-autoscaling.amazonaws.com from 2026-06-18T17:41:00.000Z to 2026-06-18T19:55:00.000Z; 5 calls; 7 events read, 4 kept; left out: 1 read-only, 1 on other resources, 1 other writes',
      },
    ]);
  });

  it('keeps to two calls a second, so the documented rate is never exceeded', async () => {
    const apis = await start({ cloudTrailEvents: deployEvents(), cloudTrailPageSize: 1 });

    await lookupCloudTrailChanges(
      { ...common(), scope: SCOPE },
      { api: apis.cloudTrail, clock, pacer: new RatePacer(500) },
    );

    expect(fake.calls().LookupEvents).toBe(8);
    expect(fake.throttled()).toBe(0);
    expect(clock.slept).toEqual(Array.from({ length: 7 }, () => 500));
  });

  it('retries ThrottlingException with backoff when another caller used the rate, and still reads everything', async () => {
    const apis = await start({ cloudTrailEvents: deployEvents(), cloudTrailPageSize: 1 });

    const evidence = await lookupCloudTrailChanges(
      { ...common(), scope: SCOPE },
      { api: apis.cloudTrail, clock, pacer: new RatePacer(0), random: () => 0.5 },
    );

    expect(fake.throttled()).toBeGreaterThan(0);
    expect(clock.slept.every((ms) => ms >= 250)).toBe(true);
    expect(evidence.changes).toHaveLength(4);
    expect(evidence.sources[0]!.status).toBe('complete');
  });

  it('fails with the permission it needs when access is denied, and asks no further event source', async () => {
    const apis = await start({ cloudTrailEvents: deployEvents() });
    fake.failNext('LookupEvents', 'AccessDeniedException');

    const evidence = await lookupCloudTrailChanges(
      { ...common(), scope: SCOPE },
      { api: apis.cloudTrail, clock, pacer: new RatePacer(500) },
    );

    expect(evidence.changes).toEqual([]);
    expect(evidence.sources).toEqual([
      {
        name: 'CloudTrail',
        status: 'failed',
        detail:
          'elasticloadbalancing.amazonaws.com, ecs.amazonaws.com, application-autoscaling.amazonaws.com from 2026-06-18T17:41:00.000Z to 2026-06-18T19:55:00.000Z; 1 call; 0 events read, 0 kept; ' +
          'LookupEvents (elasticloadbalancing.amazonaws.com): access denied (AccessDeniedException); the credentials need cloudtrail:LookupEvents; not asked: ecs.amazonaws.com, application-autoscaling.amazonaws.com',
      },
    ]);
  });

  it('gives up at the budget when throttling never ends, and says so', async () => {
    const apis = await start({ cloudTrailEvents: deployEvents() });
    fake.failNext('LookupEvents', 'ThrottlingException', 200);

    const evidence = await lookupCloudTrailChanges(
      { ...common(), scope: SCOPE },
      { api: apis.cloudTrail, clock, pacer: new RatePacer(500), random: () => 0.5 },
    );

    expect(evidence.sources[0]).toMatchObject({
      status: 'failed',
      detail: expect.stringContaining(
        'LookupEvents (elasticloadbalancing.amazonaws.com) did not finish within the 20 s budget (aws.changes.timeoutSeconds), throttled (ThrottlingException) until then',
      ),
    });
  });

  it('is not configured when nothing names what to match events against', async () => {
    const apis = await start({});

    const evidence = await lookupCloudTrailChanges(
      { ...common(), scope: { targetGroups: [], ecsServices: [], autoScalingGroups: [] } },
      { api: apis.cloudTrail, clock, pacer: new RatePacer(500) },
    );

    expect(evidence.sources).toEqual([
      {
        name: 'CloudTrail',
        status: 'not_configured',
        detail:
          'nothing to match events against: set aws.loadBalancer, indexes.*.targetGroup or aws.changes.ecsServices',
      },
    ]);
    expect(fake.calls()).toEqual({});
  });
});

describe('fetchEcsChanges', () => {
  it("reads the service's events and deployment and its stopped tasks with their reasons", async () => {
    const apis = await start({ ecs: { prod: { services: [...deployServices()], tasks: searchApiTasks() } } });

    const evidence = await fetchEcsChanges(
      {
        ...common(),
        cluster: 'prod',
        services: ['search-api'],
        window: { start: new Date('2026-06-18T19:00:00Z'), end: new Date('2026-06-18T19:55:00Z') },
        marginMinutes: 0,
      },
      { api: apis.ecs, clock },
    );

    expect(evidence.changes.map((c) => [c.at.toISOString(), c.kind, c.source])).toEqual([
      ['2026-06-18T19:35:11.000Z', 'deploy', 'ECS service events'],
      ['2026-06-18T19:39:12.000Z', 'targets_registered', 'ECS service events'],
      ['2026-06-18T19:40:03.000Z', 'draining', 'ECS service events'],
      ['2026-06-18T19:40:03.000Z', 'targets_deregistered', 'ECS service events'],
      ['2026-06-18T19:40:13.000Z', 'task_stopped', 'ECS service events'],
      ['2026-06-18T19:40:41.288Z', 'task_stopped', 'ECS stopped tasks'],
      ['2026-06-18T19:47:19.562Z', 'health_check_failed', 'ECS stopped tasks'],
      ['2026-06-18T19:52:41.917Z', 'oom_kill', 'ECS stopped tasks'],
    ]);
    expect(evidence.settings).toEqual({ serviceTargetGroups: { 'search-api': ['k8s-prod000audio'] } });
    expect(evidence.sources).toEqual([
      { name: 'ECS service events', status: 'complete', detail: 'prod/search-api: 5 changes in range' },
      { name: 'ECS stopped tasks', status: 'complete', detail: '3 stopped tasks in range' },
    ]);
    expect(fake.requests('ListTasks')).toEqual([
      { cluster: 'prod', serviceName: 'search-api', desiredStatus: 'STOPPED', maxResults: 100 },
    ]);
  });

  it('says stopped tasks older than about an hour cannot be listed, never "no stopped tasks"', async () => {
    clock = steppingClock(new Date('2026-06-18T21:30:00Z'));
    const apis = await start({ ecs: { prod: { services: [...deployServices()], tasks: searchApiTasks() } } });

    const evidence = await fetchEcsChanges(
      {
        ...common(),
        now: clock.now(),
        deadlineMs: clock.now().getTime() + 20_000,
        cluster: 'prod',
        services: ['search-api'],
      },
      { api: apis.ecs, clock },
    );

    expect(evidence.changes.filter((c) => c.source === 'ECS stopped tasks')).toEqual([]);
    expect(evidence.sources[1]).toEqual({
      name: 'ECS stopped tasks',
      status: 'partial',
      detail: '0 stopped tasks in range; only tasks stopped after about 2026-06-18T20:30:00.000Z can still be listed',
    });
    expect(evidence.notes).toEqual([
      'ECS lists stopped tasks for about an hour after they stop; the range began 229 minutes ago, so tasks that stopped before 2026-06-18T20:30:00.000Z may be missing — not "no stopped tasks".',
    ]);
  });

  it('names a service the cluster does not have, and says when 100 events do not reach back to the range', async () => {
    const busy = {
      ...deployServices()[0]!,
      serviceName: 'chatty',
      events: Array.from({ length: 150 }, (_, i) => ({
        id: `e${i}`,
        createdAt: new Date(NOW.getTime() - i * 5_000).toISOString(),
        message: '(service chatty) has reached a steady state.',
      })),
    };
    const apis = await start({ ecs: { prod: { services: [busy], tasks: [] } } });

    const evidence = await fetchEcsChanges(
      { ...common(), cluster: 'prod', services: ['chatty', 'ghost'] },
      { api: apis.ecs, clock },
    );

    expect(evidence.sources[0]).toEqual({
      name: 'ECS service events',
      status: 'partial',
      detail:
        'prod/chatty, ghost: 1 change in range; ECS keeps only the latest 100 events of chatty; the oldest is from 2026-06-18T19:46:45.000Z, after the range began; ' +
        'arn:aws:ecs:ap-southeast-2:123456789012:service/prod/ghost: MISSING (is it in cluster prod?)',
    });
  });
});

describe('fetchResourceMetrics', () => {
  const minute = (hhmm: string) => Date.parse(`2026-06-18T${hhmm}:00Z`) / 1000;

  it('asks AWS/ECS for CPU and memory Maximum and Average at 60 s, and says "no datapoints" instead of 0 for a service with none', async () => {
    const apis = await start({
      metrics: [
        {
          namespace: 'AWS/ECS',
          metricName: 'CPUUtilization',
          dimensions: { ClusterName: 'prod', ServiceName: 'search-api' },
          stat: 'Maximum',
          points: [
            [minute('19:38'), 100],
            [minute('19:39'), 98.2],
          ],
        },
        {
          namespace: 'AWS/ECS',
          metricName: 'CPUUtilization',
          dimensions: { ClusterName: 'prod', ServiceName: 'search-api' },
          stat: 'Average',
          points: [
            [minute('19:38'), 41.5],
            [minute('19:39'), 40.1],
          ],
        },
      ],
    });

    const evidence = await fetchResourceMetrics(
      { ...common(), ecs: { cluster: 'prod', services: ['search-api', 'idle-api'] } },
      { api: apis.metrics, clock },
    );

    const request = fake.requests('GetMetricData')[0]!;
    expect((request.MetricDataQueries as Array<Record<string, unknown>>).map((q) => q.Id)).toEqual([
      'e0_cpu_max',
      'e0_cpu_avg',
      'e0_memory_max',
      'e0_memory_avg',
      'e1_cpu_max',
      'e1_cpu_avg',
      'e1_memory_max',
      'e1_memory_avg',
    ]);
    expect(request.ScanBy).toBe('TimestampAscending');
    expect(evidence.resources.map((s) => [s.object, s.metric, s.status, s.points.length])).toEqual([
      ['search-api', 'cpu', 'ok', 2],
      ['search-api', 'memory', 'unavailable', 0],
      ['idle-api', 'cpu', 'unavailable', 0],
      ['idle-api', 'memory', 'unavailable', 0],
    ]);
    expect(evidence.resources[0]!.points[0]).toEqual({
      at: new Date('2026-06-18T19:38:00Z'),
      maximumPercent: 100,
      averagePercent: 41.5,
    });
    expect(evidence.resources[2]!.reason).toBe(
      'no CPUUtilization datapoints for idle-api in the range: ECS publishes them only while the service has RUNNING tasks, or the cluster or service name is wrong — not 0',
    );
    expect(evidence.sources[0]).toMatchObject({ name: 'AWS/ECS CPU and memory', status: 'partial' });
  });

  it('reads Container Insights restarts per workload as restarts where the count rises', async () => {
    const dims = { ClusterName: 'eks-prod', Namespace: 'traefik', PodName: 'traefik' };
    const apis = await start({
      metrics: [
        {
          namespace: 'ContainerInsights',
          metricName: 'pod_number_of_container_restarts',
          dimensions: dims,
          stat: 'Maximum',
          points: [
            [minute('19:36'), 0],
            [minute('19:37'), 0],
            [minute('19:38'), 1],
            [minute('19:39'), 1],
            [minute('19:40'), 3],
          ],
        },
      ],
    });

    const evidence = await fetchResourceMetrics(
      { ...common(), containerInsights: { clusterName: 'eks-prod', namespace: 'traefik', workloads: ['traefik'] } },
      { api: apis.metrics, clock },
    );

    expect(evidence.changes.map((c) => [c.at.toISOString(), c.kind, c.object, c.repeats])).toEqual([
      ['2026-06-18T19:38:00.000Z', 'container_restart', 'traefik', 1],
      ['2026-06-18T19:40:00.000Z', 'container_restart', 'traefik', 2],
    ]);
  });

  it('fails with the permission it needs when CloudWatch refuses', async () => {
    const apis = await start({});
    fake.failNext('GetMetricData', 'AccessDeniedException');

    const evidence = await fetchResourceMetrics(
      { ...common(), ecs: { cluster: 'prod', services: ['search-api'] } },
      { api: apis.metrics, clock },
    );

    expect(evidence.sources).toEqual([
      {
        name: 'AWS/ECS CPU and memory',
        status: 'failed',
        detail: 'GetMetricData: access denied (AccessDeniedException); the credentials need cloudwatch:GetMetricData',
      },
    ]);
  });
});

describe('fetchLoadBalancerSettings', () => {
  const elb = {
    loadBalancers: [
      { arn: LB_ARN, attributes: { 'idle_timeout.timeout_seconds': '60', 'routing.http2.enabled': 'true' } },
    ],
    targetGroups: [
      {
        arn: TG_ARN,
        attributes: { 'deregistration_delay.timeout_seconds': '0', 'stickiness.enabled': 'false' },
        targets: [
          { id: '10.0.2.58', port: 8080, state: 'healthy' },
          {
            id: '10.0.2.59',
            port: 8080,
            state: 'unhealthy',
            reason: 'Target.Timeout',
            description: 'Request timed out',
          },
        ],
      },
    ],
  };

  it("reads the idle timeout and the deregistration delay over the Query protocol, and the targets' health now, labelled as a snapshot", async () => {
    const apis = await start(elb);

    const evidence = await fetchLoadBalancerSettings(
      {
        loadBalancer: LB,
        targetGroups: [TG],
        targetHealth: true,
        now: NOW,
        deadlineMs: NOW.getTime() + 20_000,
        timeoutSeconds: 20,
      },
      { api: apis.elb, clock },
    );

    expect(evidence.settings).toEqual({
      idleTimeout: {
        seconds: 60,
        object: 'k8s-ingress',
        source: 'DescribeLoadBalancerAttributes idle_timeout.timeout_seconds',
      },
      deregistrationDelays: [
        {
          seconds: 0,
          object: 'k8s-prod000audio',
          source: 'DescribeTargetGroupAttributes deregistration_delay.timeout_seconds',
        },
      ],
    });
    expect(evidence.targetHealth).toEqual([
      {
        takenAt: NOW,
        targetGroup: 'k8s-prod000audio',
        targets: [
          { target: '10.0.2.58:8080', state: 'healthy' },
          { target: '10.0.2.59:8080', state: 'unhealthy', reason: 'Target.Timeout', description: 'Request timed out' },
        ],
      },
    ]);
    expect(evidence.sources).toEqual([
      {
        name: 'ELB attributes',
        status: 'complete',
        detail:
          'k8s-ingress: idle_timeout.timeout_seconds = 60; k8s-prod000audio: deregistration_delay.timeout_seconds = 0',
      },
      {
        name: 'Target health (now)',
        status: 'complete',
        detail: 'a snapshot at 2026-06-18T19:55:00.000Z, not the state during the errors',
      },
    ]);
    expect(fake.requests('DescribeLoadBalancers')).toEqual([
      { Action: 'DescribeLoadBalancers', Version: '2015-12-01', 'Names.member.1': 'k8s-ingress' },
    ]);
  });

  it('names a target group that does not exist, one whose id differs from the config, and a refused call with its permission', async () => {
    const apis = await start({
      ...elb,
      targetGroups: [
        ...elb.targetGroups,
        { arn: TG_ARN.replace('k8s-prod000audio/b692bdc6e203c988', 'k8s-other/1111111111111111'), attributes: {} },
      ],
    });
    fake.failNext('DescribeLoadBalancerAttributes', 'AccessDeniedException');

    const evidence = await fetchLoadBalancerSettings(
      {
        loadBalancer: LB,
        targetGroups: ['targetgroup/k8s-gone/0123456789abcdef', 'targetgroup/k8s-other/2222222222222222'],
        targetHealth: false,
        now: NOW,
        deadlineMs: NOW.getTime() + 20_000,
        timeoutSeconds: 20,
      },
      { api: apis.elb, clock },
    );

    expect(evidence.sources).toEqual([
      {
        name: 'ELB attributes',
        status: 'failed',
        detail:
          'the attributes of load balancer k8s-ingress: access denied (AccessDenied); the credentials need elasticloadbalancing:DescribeLoadBalancers, elasticloadbalancing:DescribeLoadBalancerAttributes, elasticloadbalancing:DescribeTargetGroups, elasticloadbalancing:DescribeTargetGroupAttributes, elasticloadbalancing:DescribeTargetHealth; ' +
          'the attributes of target group k8s-gone: not found (TargetGroupNotFoundException: One or more target groups not found); check the name in the config and the region; ' +
          'the attributes of target group k8s-other: target group k8s-other exists but not with the id in the config (targetgroup/k8s-other/2222222222222222); check indexes.*.targetGroup',
      },
    ]);
  });
});

describe('gatherChanges', () => {
  it('says which providers are not configured and why, and reads the rest', async () => {
    const apis = await start({
      cloudTrailEvents: deployEvents(),
      loadBalancers: [{ arn: LB_ARN, attributes: { 'idle_timeout.timeout_seconds': '60' } }],
      targetGroups: [{ arn: TG_ARN, attributes: { 'deregistration_delay.timeout_seconds': '0' } }],
    });

    const evidence = await gatherChanges(
      {
        window: WINDOW,
        now: NOW,
        loadBalancer: LB,
        targetGroups: [TG],
        config: ChangesConfigSchema.parse({ targetHealth: false, targetKeepAliveSeconds: 5 }),
      },
      { apis, clock, pacer: new RatePacer(500) },
    );

    expect(evidence.sources.map(({ name, status }) => [name, status])).toEqual([
      ['CloudTrail', 'complete'],
      ['ECS service events, ECS stopped tasks', 'not_configured'],
      ['AWS/ECS CPU and memory, Container Insights', 'not_configured'],
      ['ELB attributes', 'complete'],
    ]);
    expect(evidence.settings.targetKeepAlive).toEqual({
      seconds: 5,
      object: 'the targets',
      source: 'config aws.changes.targetKeepAliveSeconds',
    });
  });

  it('names the same cause for a deploy as the exported files do', async () => {
    const apis = await start({
      cloudTrailEvents: deployEvents(),
      ecs: { prod: { services: deployServices(), tasks: [] } },
      loadBalancers: [{ arn: LB_ARN, attributes: { 'idle_timeout.timeout_seconds': '60' } }],
      targetGroups: [{ arn: TG_ARN, attributes: { 'deregistration_delay.timeout_seconds': '0' } }],
    });
    const span = {
      kind: 'target_unreachable' as const,
      start: new Date('2026-06-18T19:40:00Z'),
      end: new Date('2026-06-18T19:43:00Z'),
    };
    const files = [
      'cloudtrail-lookup-events.json',
      'ecs-describe-services.json',
      'k8s-prod000audio-target-group-attributes.json',
    ].map((name) => `${GENERATED}deploy/${name}`);

    const live = await gatherChanges(
      {
        window: WINDOW,
        now: NOW,
        loadBalancer: LB,
        targetGroups: [TG],
        config: ChangesConfigSchema.parse({ ecsCluster: 'prod', ecsServices: ['search-api'] }),
      },
      { apis, clock, pacer: new RatePacer(500) },
    );
    const exported = await readEventsFiles(files, { window: WINDOW, marginMinutes: 30, scope: SCOPE });

    const cause = (evidence: typeof live) =>
      correlateChanges({
        errorSpans: [span],
        window: WINDOW,
        changes: evidence.changes,
        resources: evidence.resources,
        settings: evidence.settings,
      }).causes.map(({ kind, at, what }) => ({ kind, at, what }));
    expect(cause(live)).toEqual([
      {
        kind: 'deploy',
        at: '2026-06-18T19:40:03Z',
        what: '3 targets deregistered at 19:40 UTC by a deploy of search-api with deregistration delay 0 s.',
      },
    ]);
    expect(cause(exported)).toEqual(cause(live));
  });
});
