/**
 * scripts/changes-iam.cjs: read-only statements on what why502.yml names, nothing broader.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

type Statements = Array<Record<string, unknown>>;
/** As serverless-iam.cjs will load it: CommonJS. */
const { changesStatements } = createRequire(import.meta.url)('../../scripts/changes-iam.cjs') as {
  changesStatements: (config: object, options?: { region?: string }) => Statements;
};

const sub = (template: string) => ({ 'Fn::Sub': template });
const CONFIG = {
  aws: {
    region: 'ap-southeast-2',
    loadBalancer: 'app/k8s-ingress/0123456789abcdef',
    changes: { ecsCluster: 'prod', ecsServices: ['search-api', 'keepsakes-api'] },
  },
  indexes: { prod_000_audio: { targetGroup: 'targetgroup/k8s-prod000audio/0123456789abcdef' } },
};

describe('changesStatements', () => {
  it("allows LookupEvents, the configured services and their cluster's tasks, the load balancer's settings and the metrics — read-only", () => {
    const statements = changesStatements(CONFIG);

    expect(statements).toEqual([
      { Sid: 'LookUpWritesInCloudTrail', Effect: 'Allow', Action: ['cloudtrail:LookupEvents'], Resource: '*' },
      {
        Sid: 'DescribeTheServicesBehindTheLoadBalancer',
        Effect: 'Allow',
        Action: ['ecs:DescribeServices'],
        Resource: [
          sub('arn:${AWS::Partition}:ecs:ap-southeast-2:${AWS::AccountId}:service/prod/search-api'),
          sub('arn:${AWS::Partition}:ecs:ap-southeast-2:${AWS::AccountId}:service/prod/keepsakes-api'),
        ],
      },
      {
        Sid: 'ListStoppedTasksOfTheCluster',
        Effect: 'Allow',
        Action: ['ecs:ListTasks'],
        Resource: '*',
        Condition: {
          ArnEquals: { 'ecs:cluster': sub('arn:${AWS::Partition}:ecs:ap-southeast-2:${AWS::AccountId}:cluster/prod') },
        },
      },
      {
        Sid: 'DescribeTasksOfTheCluster',
        Effect: 'Allow',
        Action: ['ecs:DescribeTasks'],
        Resource: sub('arn:${AWS::Partition}:ecs:ap-southeast-2:${AWS::AccountId}:task/prod/*'),
      },
      {
        Sid: 'ReadLoadBalancerSettings',
        Effect: 'Allow',
        Action: [
          'elasticloadbalancing:DescribeLoadBalancers',
          'elasticloadbalancing:DescribeLoadBalancerAttributes',
          'elasticloadbalancing:DescribeTargetGroups',
          'elasticloadbalancing:DescribeTargetGroupAttributes',
          'elasticloadbalancing:DescribeTargetHealth',
        ],
        Resource: '*',
      },
      { Sid: 'ReadServiceCpuAndMemory', Effect: 'Allow', Action: ['cloudwatch:GetMetricData'], Resource: '*' },
    ]);
  });

  it('grants no write, no wildcard action and no ECS resource outside the cluster', () => {
    const text = JSON.stringify(changesStatements(CONFIG));

    expect(text).not.toMatch(
      /"[a-z0-9-]+:\*"|:(Create|Delete|Update|Modify|Put|Register|Deregister|Set|Stop|Start|Run)[A-Za-z]*"/,
    );
    const ecsResources = text.match(/:ecs:[^"]+/g)!;
    expect(ecsResources).toHaveLength(4);
    expect(ecsResources.every((resource) => /:(cluster\/prod$|service\/prod\/|task\/prod\/)/.test(resource))).toBe(
      true,
    );
  });

  it('grants nothing when nothing is configured, and leaves out what is turned off', () => {
    expect(changesStatements({})).toEqual([]);
    const onlyLb = changesStatements({
      aws: { loadBalancer: 'app/k8s-ingress/0123456789abcdef', changes: { cloudTrail: false, targetHealth: false } },
    });

    expect(onlyLb.map((s) => s.Sid)).toEqual(['ReadLoadBalancerSettings']);
    expect(onlyLb[0]!.Action).not.toContain('elasticloadbalancing:DescribeTargetHealth');
  });

  it('refuses a cluster or service name that would widen an ARN', () => {
    expect(() => changesStatements({ aws: { changes: { ecsCluster: '*', ecsServices: ['web'] } } })).toThrow(
      'aws.changes.ecsCluster: "*" is not an ECS name',
    );
    expect(() => changesStatements({ aws: { changes: { ecsCluster: 'prod', ecsServices: ['web/*'] } } })).toThrow(
      'aws.changes.ecsServices: "web/*" is not an ECS name',
    );
  });
});
