/**
 * IAM statements for "what changed" (docs/causes.md), computed from why502.yml: read-only calls
 * on exactly what the config names, nothing broader. Pure string work, no AWS call; account,
 * region and partition are left to CloudFormation (Fn::Sub), as in serverless-iam.cjs.
 *
 *   changesStatements(readWhy502Config())   // the parsed why502.yml document
 *
 * Where a call supports no resource-level permission the statement says so and uses "*":
 * - cloudtrail:LookupEvents has no resource type (it reads the account's event history);
 * - the elasticloadbalancing:Describe* calls have none (they only read);
 * - cloudwatch:GetMetricData has none (it only reads metrics);
 * - ecs:ListTasks is documented on container instances with an `ecs:cluster` condition; "*"
 *   with that condition is the form known to work (awsdocs/amazon-ecs-developer-guide#211).
 */
const sub = (template) => ({ 'Fn::Sub': template });

/** The part of an ECS name that may go into an ARN: letters, digits, "-" and "_" (the ECS rule). */
function ecsName(name, key) {
  if (!/^[A-Za-z0-9_-]{1,255}$/.test(String(name)))
    throw new Error(`${key}: ${JSON.stringify(name)} is not an ECS name (letters, digits, "-" and "_")`);
  return name;
}

/**
 * @param {{ aws?: { region?: string, loadBalancer?: string, changes?: object }, indexes?: Record<string, { targetGroup?: string }> }} config why502.yml
 * @param {{ region?: string }} [options] default: aws.region, else the stack's region
 * @returns {object[]} IAM policy statements (empty when nothing is configured)
 */
function changesStatements(config, options = {}) {
  const aws = config?.aws || {};
  const changes = aws.changes || {};
  const region = options.region || aws.region || '${AWS::Region}';
  const arn = (service, resource) => sub(`arn:\${AWS::Partition}:${service}:${region}:\${AWS::AccountId}:${resource}`);
  const targetGroups = Object.values(config?.indexes || {})
    .map((index) => index?.targetGroup)
    .filter(Boolean);
  const services = Array.isArray(changes.ecsServices) ? changes.ecsServices : [];
  const statements = [];
  const namesSomething =
    Boolean(aws.loadBalancer) ||
    targetGroups.length > 0 ||
    services.length > 0 ||
    (changes.autoScalingGroups || []).length > 0;
  if (changes.cloudTrail !== false && namesSomething) {
    // LookupEvents supports no resource-level permission: it reads the account's event history.
    statements.push({
      Sid: 'LookUpWritesInCloudTrail',
      Effect: 'Allow',
      Action: ['cloudtrail:LookupEvents'],
      Resource: '*',
    });
  }
  if (services.length > 0) {
    const cluster = ecsName(changes.ecsCluster, 'aws.changes.ecsCluster');
    statements.push(
      {
        Sid: 'DescribeTheServicesBehindTheLoadBalancer',
        Effect: 'Allow',
        Action: ['ecs:DescribeServices'],
        Resource: services.map((service) =>
          arn('ecs', `service/${cluster}/${ecsName(service, 'aws.changes.ecsServices')}`),
        ),
      },
      {
        Sid: 'ListStoppedTasksOfTheCluster',
        Effect: 'Allow',
        Action: ['ecs:ListTasks'],
        Resource: '*',
        Condition: { ArnEquals: { 'ecs:cluster': arn('ecs', `cluster/${cluster}`) } },
      },
      {
        Sid: 'DescribeTasksOfTheCluster',
        Effect: 'Allow',
        Action: ['ecs:DescribeTasks'],
        Resource: arn('ecs', `task/${cluster}/*`),
      },
    );
  }
  if (aws.loadBalancer || targetGroups.length > 0) {
    const actions = [
      'elasticloadbalancing:DescribeLoadBalancers',
      'elasticloadbalancing:DescribeLoadBalancerAttributes',
      'elasticloadbalancing:DescribeTargetGroups',
      'elasticloadbalancing:DescribeTargetGroupAttributes',
    ];
    if (changes.targetHealth !== false && targetGroups.length > 0)
      actions.push('elasticloadbalancing:DescribeTargetHealth');
    // The Describe* calls support no resource-level permission.
    statements.push({ Sid: 'ReadLoadBalancerSettings', Effect: 'Allow', Action: actions, Resource: '*' });
  }
  if (services.length > 0 || changes.containerInsights) {
    // GetMetricData supports no resource-level permission; it only reads metrics.
    statements.push({
      Sid: 'ReadServiceCpuAndMemory',
      Effect: 'Allow',
      Action: ['cloudwatch:GetMetricData'],
      Resource: '*',
    });
  }
  return statements;
}

module.exports = { changesStatements };
