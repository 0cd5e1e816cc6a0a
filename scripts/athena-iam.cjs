/**
 * IAM statements for the Athena provider of the ALB access-log view (docs/athena.md), computed
 * from why502.yml's `aws.athena` so the worker may run queries in exactly one workgroup, read
 * exactly one Glue table and the log prefix, and use the results location — nothing broader
 * (next-capabilities §1.6). Pure string work, no AWS call; account, region and partition are
 * left to CloudFormation (Fn::Sub), as in serverless-iam.cjs.
 *
 *   athenaStatements(config.aws.athena, 's3://my-alb-logs/prod', { region: config.aws.region })
 *
 * Athena reads S3 with the caller's own permissions, so the log and results buckets need
 * statements here too. Not covered: KMS (add kms:Decrypt / kms:GenerateDataKey when either
 * bucket uses SSE-KMS), and Athena-managed result storage (no S3 statement needed then).
 */
const sub = (template) => ({ 'Fn::Sub': template });

/** "s3://bucket/a/b/" → { bucket: "bucket", prefix: "a/b" } */
function parseS3Location(location) {
  const match = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(String(location || ''));
  if (!match) throw new Error(`not an S3 location: ${JSON.stringify(location)} (expected s3://bucket[/prefix])`);
  return { bucket: match[1], prefix: (match[2] || '').replace(/^\/+|\/+$/g, '') };
}

/** The objects under `prefix` ("" = the whole bucket), and the s3:prefix condition for ListBucket. */
function scope(bucket, prefix) {
  const under = prefix ? `${prefix}/` : '';
  return {
    objects: sub(`arn:\${AWS::Partition}:s3:::${bucket}/${under}*`),
    bucketArn: sub(`arn:\${AWS::Partition}:s3:::${bucket}`),
    listCondition: { StringLike: { 's3:prefix': [`${under}*`] } },
  };
}

/**
 * The log prefix down to elasticloadbalancing/ when the location names the account
 * (s3://bucket/prefix/AWSLogs/123456789012/…), else everything under prefix/AWSLogs/.
 */
function logPrefix(location) {
  const { bucket, prefix } = parseS3Location(location);
  const at = prefix === 'AWSLogs' || prefix.startsWith('AWSLogs/') ? 0 : prefix.indexOf('/AWSLogs');
  const before = at === -1 ? prefix : prefix.slice(0, at);
  const account = at === -1 ? undefined : prefix.slice(at === 0 ? 0 : at + 1).split('/')[1];
  const base = `${before ? `${before}/` : ''}AWSLogs`;
  return { bucket, prefix: account ? `${base}/${account}/elasticloadbalancing` : base };
}

/**
 * @param {{ database: string, table: string, workgroup: string, outputLocation?: string, edgeTable?: string, edgeLogLocation?: string }} athena
 * @param {string} [logLocation] where the load balancer logs: s3://bucket[/prefix][/AWSLogs/<account>/…]
 * @param {{ region?: string }} [options] aws.region; default: the stack's region
 * @returns {object[]} IAM policy statements
 */
function athenaStatements(athena, logLocation, options = {}) {
  if (!athena?.workgroup || !athena.database || !athena.table)
    throw new Error('aws.athena needs workgroup, database and table');
  const region = options.region || '${AWS::Region}';
  const arn = (service, resource) => sub(`arn:\${AWS::Partition}:${service}:${region}:\${AWS::AccountId}:${resource}`);
  const statements = [
    {
      Sid: 'AthenaQueriesInTheWorkgroup',
      Effect: 'Allow',
      Action: [
        'athena:StartQueryExecution',
        'athena:GetQueryExecution',
        'athena:GetQueryResults',
        'athena:StopQueryExecution',
      ],
      Resource: arn('athena', `workgroup/${athena.workgroup}`),
    },
    {
      Sid: 'GlueTableOfTheAccessLogs',
      Effect: 'Allow',
      // Partition projection: no glue:GetPartitions needed.
      Action: ['glue:GetDatabase', 'glue:GetTable'],
      Resource: [
        arn('glue', 'catalog'),
        arn('glue', `database/${athena.database}`),
        arn('glue', `table/${athena.database}/${athena.table}`),
        // The edge's log table (aws.athena.edgeTable: CloudFront or Cloudflare), when it is another table.
        ...(athena.edgeTable && athena.edgeTable !== athena.table
          ? [arn('glue', `table/${athena.database}/${athena.edgeTable}`)]
          : []),
      ],
    },
  ];
  if (logLocation) {
    const logs = logPrefix(logLocation);
    const where = scope(logs.bucket, logs.prefix);
    statements.push(
      { Sid: 'ReadTheAccessLogs', Effect: 'Allow', Action: ['s3:GetObject'], Resource: where.objects },
      {
        Sid: 'ListTheAccessLogs',
        Effect: 'Allow',
        Action: ['s3:ListBucket'],
        Resource: where.bucketArn,
        Condition: where.listCondition,
      },
      { Sid: 'LocateTheLogBucket', Effect: 'Allow', Action: ['s3:GetBucketLocation'], Resource: where.bucketArn },
    );
  }
  if (athena.edgeTable && athena.edgeLogLocation) {
    // The edge table's LOCATION (CloudFront's prefix, or the Logpush destination before {DATE}).
    const edge = parseS3Location(athena.edgeLogLocation);
    const where = scope(edge.bucket, edge.prefix);
    statements.push(
      { Sid: 'ReadTheEdgeLogs', Effect: 'Allow', Action: ['s3:GetObject'], Resource: where.objects },
      {
        Sid: 'ListTheEdgeLogs',
        Effect: 'Allow',
        Action: ['s3:ListBucket'],
        Resource: where.bucketArn,
        Condition: where.listCondition,
      },
      { Sid: 'LocateTheEdgeLogBucket', Effect: 'Allow', Action: ['s3:GetBucketLocation'], Resource: where.bucketArn },
    );
  }
  if (athena.outputLocation) {
    const results = parseS3Location(athena.outputLocation);
    const where = scope(results.bucket, results.prefix);
    statements.push(
      {
        Sid: 'WriteAndReadQueryResults',
        Effect: 'Allow',
        Action: ['s3:PutObject', 's3:GetObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
        Resource: where.objects,
      },
      {
        Sid: 'ListQueryResults',
        Effect: 'Allow',
        Action: ['s3:ListBucket'],
        Resource: where.bucketArn,
        Condition: where.listCondition,
      },
      { Sid: 'LocateTheResultsBucket', Effect: 'Allow', Action: ['s3:GetBucketLocation'], Resource: where.bucketArn },
    );
  }
  return statements;
}

module.exports = { athenaStatements, parseS3Location };
