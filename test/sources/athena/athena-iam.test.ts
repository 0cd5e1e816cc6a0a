import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

type Statements = Array<Record<string, unknown>>;
/** scripts/athena-iam.cjs as serverless-iam.cjs will load it: CommonJS. */
const { athenaStatements } = createRequire(import.meta.url)('../../../scripts/athena-iam.cjs') as {
  athenaStatements: (athena: object, logLocation?: string, options?: { region?: string }) => Statements;
};

const sub = (template: string) => ({ 'Fn::Sub': template });
const ATHENA = {
  database: 'lb_logs',
  table: 'alb_access_logs',
  workgroup: 'why502',
  outputLocation: 's3://my-athena-results/why502/',
};

describe('athenaStatements', () => {
  it('allows the four query calls on the one workgroup, the one Glue table, the log prefix and the results prefix — nothing broader', () => {
    const statements = athenaStatements(
      ATHENA,
      's3://my-alb-logs/prod/AWSLogs/123456789012/elasticloadbalancing/ap-southeast-2/',
      { region: 'ap-southeast-2' },
    );

    expect(statements).toEqual([
      {
        Sid: 'AthenaQueriesInTheWorkgroup',
        Effect: 'Allow',
        Action: [
          'athena:StartQueryExecution',
          'athena:GetQueryExecution',
          'athena:GetQueryResults',
          'athena:StopQueryExecution',
        ],
        Resource: sub('arn:${AWS::Partition}:athena:ap-southeast-2:${AWS::AccountId}:workgroup/why502'),
      },
      {
        Sid: 'GlueTableOfTheAccessLogs',
        Effect: 'Allow',
        Action: ['glue:GetDatabase', 'glue:GetTable'],
        Resource: [
          sub('arn:${AWS::Partition}:glue:ap-southeast-2:${AWS::AccountId}:catalog'),
          sub('arn:${AWS::Partition}:glue:ap-southeast-2:${AWS::AccountId}:database/lb_logs'),
          sub('arn:${AWS::Partition}:glue:ap-southeast-2:${AWS::AccountId}:table/lb_logs/alb_access_logs'),
        ],
      },
      {
        Sid: 'ReadTheAccessLogs',
        Effect: 'Allow',
        Action: ['s3:GetObject'],
        Resource: sub('arn:${AWS::Partition}:s3:::my-alb-logs/prod/AWSLogs/123456789012/elasticloadbalancing/*'),
      },
      {
        Sid: 'ListTheAccessLogs',
        Effect: 'Allow',
        Action: ['s3:ListBucket'],
        Resource: sub('arn:${AWS::Partition}:s3:::my-alb-logs'),
        Condition: { StringLike: { 's3:prefix': ['prod/AWSLogs/123456789012/elasticloadbalancing/*'] } },
      },
      {
        Sid: 'LocateTheLogBucket',
        Effect: 'Allow',
        Action: ['s3:GetBucketLocation'],
        Resource: sub('arn:${AWS::Partition}:s3:::my-alb-logs'),
      },
      {
        Sid: 'WriteAndReadQueryResults',
        Effect: 'Allow',
        Action: ['s3:PutObject', 's3:GetObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
        Resource: sub('arn:${AWS::Partition}:s3:::my-athena-results/why502/*'),
      },
      {
        Sid: 'ListQueryResults',
        Effect: 'Allow',
        Action: ['s3:ListBucket'],
        Resource: sub('arn:${AWS::Partition}:s3:::my-athena-results'),
        Condition: { StringLike: { 's3:prefix': ['why502/*'] } },
      },
      {
        Sid: 'LocateTheResultsBucket',
        Effect: 'Allow',
        Action: ['s3:GetBucketLocation'],
        Resource: sub('arn:${AWS::Partition}:s3:::my-athena-results'),
      },
    ]);
    expect(JSON.stringify(statements)).not.toMatch(/"Resource":"\*"|athena:\*|glue:\*|s3:\*/);
  });

  it('scopes the logs to AWSLogs/ under the bucket when no prefix or account is given, and leaves S3 out when no location is', () => {
    const withBucket = athenaStatements({ ...ATHENA, outputLocation: undefined }, 's3://my-alb-logs');
    const bare = athenaStatements({ ...ATHENA, outputLocation: undefined });

    expect(withBucket.find((s) => s.Sid === 'ReadTheAccessLogs')!.Resource).toEqual(
      sub('arn:${AWS::Partition}:s3:::my-alb-logs/AWSLogs/*'),
    );
    expect(withBucket[0]!.Resource).toEqual(
      sub('arn:${AWS::Partition}:athena:${AWS::Region}:${AWS::AccountId}:workgroup/why502'),
    );
    expect(bare.map((s) => s.Sid)).toEqual(['AthenaQueriesInTheWorkgroup', 'GlueTableOfTheAccessLogs']);
  });

  it('grants reading the edge table’s logs under aws.athena.edgeLogLocation, and nothing when it is not set', () => {
    const edge = { ...ATHENA, outputLocation: undefined, edgeTable: 'cloudflare_logs', edgeFormat: 'cloudflare' };

    const withLocation = athenaStatements({ ...edge, edgeLogLocation: 's3://my-cf-logs/http_requests/' });
    const without = athenaStatements(edge);

    expect(withLocation.filter((s) => /Edge/.test(String(s.Sid)))).toEqual([
      {
        Sid: 'ReadTheEdgeLogs',
        Effect: 'Allow',
        Action: ['s3:GetObject'],
        Resource: sub('arn:${AWS::Partition}:s3:::my-cf-logs/http_requests/*'),
      },
      {
        Sid: 'ListTheEdgeLogs',
        Effect: 'Allow',
        Action: ['s3:ListBucket'],
        Resource: sub('arn:${AWS::Partition}:s3:::my-cf-logs'),
        Condition: { StringLike: { 's3:prefix': ['http_requests/*'] } },
      },
      {
        Sid: 'LocateTheEdgeLogBucket',
        Effect: 'Allow',
        Action: ['s3:GetBucketLocation'],
        Resource: sub('arn:${AWS::Partition}:s3:::my-cf-logs'),
      },
    ]);
    expect(without.map((s) => s.Sid)).toEqual(['AthenaQueriesInTheWorkgroup', 'GlueTableOfTheAccessLogs']);
  });

  it('refuses a config without the workgroup, database and table it scopes to', () => {
    expect(() => athenaStatements({ database: 'lb_logs' })).toThrow('aws.athena needs workgroup, database and table');
  });
});
