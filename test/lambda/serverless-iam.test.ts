import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';

/** scripts/serverless-iam.cjs as osls loads it: a CommonJS module of variable resolvers. */
const iam = createRequire(import.meta.url)('../../scripts/serverless-iam.cjs') as Record<
  'slackStatements' | 'workerStatements',
  (options: {
    resolveVariable: (name: string) => Promise<string>;
  }) => Promise<Array<{ Sid?: string; Action: string[]; Resource: unknown }>>
> &
  Record<
    'evidenceBucket' | 'configuredEvidenceBucket' | 'evidencePrefix' | 'evidenceRetentionDays',
    () => Promise<unknown>
  >;

const resolveVariable = async (name: string) => ({ 'self:service': 'why502', 'sls:stage': 'prod' })[name] ?? '';
const parameterArn = (name: string) => ({
  'Fn::Sub': `arn:\${AWS::Partition}:ssm:\${AWS::Region}:\${AWS::AccountId}:parameter${name}`,
});

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('the IAM statements of serverless.yml', () => {
  it('grants the slack function its signing secret under the default prefix, and invoke on the worker only', async () => {
    vi.stubEnv('WHY502_SSM_PREFIX', '');

    const statements = await iam.slackStatements({ resolveVariable });

    expect(statements.slice(1)).toEqual([
      {
        Effect: 'Allow',
        Action: ['ssm:GetParameter', 'ssm:GetParameters'],
        Resource: [parameterArn('/why502/prod/slack-signing-secret')],
      },
      {
        Effect: 'Allow',
        Action: ['lambda:InvokeFunction'],
        Resource: {
          'Fn::Sub': 'arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:why502-prod-worker',
        },
      },
    ]);
  });

  it('names the parameters the functions read when WHY502_SSM_PREFIX lacks its trailing slash', async () => {
    // The functions read <prefix>/slack-signing-secret (secrets-loader.ts adds the slash).
    vi.stubEnv('WHY502_SSM_PREFIX', '/acme/why502');

    const [, slackParameters] = await iam.slackStatements({ resolveVariable });
    const [, workerParameters] = await iam.workerStatements({ resolveVariable });

    expect(slackParameters!.Resource).toEqual([parameterArn('/acme/why502/slack-signing-secret')]);
    expect(workerParameters!.Resource).toEqual([
      parameterArn('/acme/why502/slack-bot-token'),
      parameterArn('/acme/why502/openai-api-key'),
    ]);
  });

  it('grants the worker item reads and writes on the state table alone, and invoking itself; the slack function neither', async () => {
    const worker = await iam.workerStatements({ resolveVariable });
    const slack = await iam.slackStatements({ resolveVariable });

    expect(worker.slice(2, 4)).toEqual([
      {
        Effect: 'Allow',
        Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem'],
        Resource: {
          'Fn::Sub': 'arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/why502-prod-state',
        },
      },
      {
        Effect: 'Allow',
        Action: ['lambda:InvokeFunction'],
        Resource: {
          'Fn::Sub': 'arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:why502-prod-worker',
        },
      },
    ]);
    expect(JSON.stringify(slack)).not.toContain('dynamodb');
  });
});

describe('the state table in serverless.yml', () => {
  const serverless = parse(readFileSync(new URL('../../serverless.yml', import.meta.url), 'utf8'), {
    logLevel: 'silent',
  }) as {
    functions: Record<string, { environment?: Record<string, string> }>;
    resources: { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };
  };

  it('is on demand, keyed by pk, with TTL on expiresAt, and named as the worker and its IAM name it', () => {
    const table = serverless.resources.Resources.StateTable!;

    expect(table).toEqual({
      Type: 'AWS::DynamoDB::Table',
      Properties: {
        TableName: '${self:service}-${sls:stage}-state',
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      },
    });
    expect(serverless.functions.worker!.environment).toEqual({
      WHY502_STATE_TABLE: '${self:service}-${sls:stage}-state',
      WHY502_WORKER_FUNCTION: '${self:service}-${sls:stage}-worker',
      WHY502_EVIDENCE_BUCKET: '${file(./scripts/serverless-iam.cjs):evidenceBucket}',
    });
    expect(serverless.functions.slack!.environment).toEqual({
      WHY502_WORKER_FUNCTION: '${self:service}-${sls:stage}-worker',
    });
  });
});

describe("the worker's IAM with aws.athena configured", () => {
  it('adds Athena on the one workgroup, Glue on the one table and S3 reads on the log prefix only', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'why502-iam-'));
    const config = path.join(dir, 'why502.yml');
    writeFileSync(
      config,
      [
        'aws:',
        '  region: ap-southeast-2',
        '  athena:',
        '    database: lb_logs',
        '    table: alb_access_logs',
        '    workgroup: why502',
        '    logLocation: s3://acme-alb-logs/prod',
        '',
      ].join('\n'),
    );
    vi.stubEnv('WHY502_IAM_CONFIG', config);

    const statements = (await iam.workerStatements({ resolveVariable })) as Array<{
      Sid?: string;
      Action: string[];
      Resource: unknown;
    }>;

    const athena = statements.find((s) => s.Sid === 'AthenaQueriesInTheWorkgroup')!;
    expect(athena.Resource).toEqual({
      'Fn::Sub': 'arn:${AWS::Partition}:athena:ap-southeast-2:${AWS::AccountId}:workgroup/why502',
    });
    expect(statements.find((s) => s.Sid === 'GlueTableOfTheAccessLogs')!.Action).toEqual([
      'glue:GetDatabase',
      'glue:GetTable',
    ]);
    expect(statements.find((s) => s.Sid === 'ReadTheAccessLogs')!.Resource).toEqual({
      'Fn::Sub': 'arn:${AWS::Partition}:s3:::acme-alb-logs/prod/AWSLogs/*',
    });
    expect(statements.flatMap((s) => s.Action).filter((action) => action.endsWith('*'))).toEqual([]);
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('the thread-evidence bucket', () => {
  const serverless = parse(readFileSync(new URL('../../serverless.yml', import.meta.url), 'utf8'), {
    logLevel: 'silent',
  }) as {
    resources: {
      Conditions: Record<string, unknown>;
      Resources: Record<string, { Type: string; Condition?: string; Properties: Record<string, unknown> }>;
    };
  };

  it('is created by the stack when why502.yml names none: private, encrypted, objects expiring with the retention', async () => {
    vi.stubEnv('WHY502_IAM_CONFIG', path.join(os.tmpdir(), 'no-such-why502.yml'));
    const bucket = serverless.resources.Resources.EvidenceBucket!;

    expect(serverless.resources.Conditions.CreateEvidenceBucket).toEqual({
      'Fn::Equals': ['${file(./scripts/serverless-iam.cjs):configuredEvidenceBucket}', ''],
    });
    expect({
      type: bucket.Type,
      condition: bucket.Condition,
      lifecycle: bucket.Properties.LifecycleConfiguration,
    }).toEqual({
      type: 'AWS::S3::Bucket',
      condition: 'CreateEvidenceBucket',
      lifecycle: {
        Rules: [
          {
            Id: 'why502-thread-evidence-expiry',
            Status: 'Enabled',
            Prefix: '${file(./scripts/serverless-iam.cjs):evidencePrefix}',
            ExpirationInDays: '${file(./scripts/serverless-iam.cjs):evidenceRetentionDays}',
            AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
          },
        ],
      },
    });
    expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(
      await Promise.all([
        iam.configuredEvidenceBucket(),
        iam.evidenceBucket(),
        iam.evidencePrefix(),
        iam.evidenceRetentionDays(),
      ]),
    ).toEqual(['', { Ref: 'EvidenceBucket' }, 'why502/threads/', 14]);
    const worker = await iam.workerStatements({ resolveVariable });
    expect(worker.find((s) => s.Sid === 'ThreadEvidenceObjects')).toEqual({
      Sid: 'ThreadEvidenceObjects',
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:PutObject'],
      Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:s3:::${EvidenceBucket}/why502/threads/*' },
    });
    expect(JSON.stringify(await iam.slackStatements({ resolveVariable }))).not.toContain('s3:');
  });

  it('is the configured bucket, prefix and retention when why502.yml names them, with get and put on that prefix only', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'why502-iam-'));
    const config = path.join(dir, 'why502.yml');
    writeFileSync(
      config,
      [
        'slack:',
        '  threadEvidence:',
        '    bucket: acme-why502-evidence',
        '    prefix: incidents/threads/',
        '    retentionDays: 30',
        '',
      ].join('\n'),
    );
    vi.stubEnv('WHY502_IAM_CONFIG', config);

    const settings = await Promise.all([
      iam.configuredEvidenceBucket(),
      iam.evidenceBucket(),
      iam.evidencePrefix(),
      iam.evidenceRetentionDays(),
    ]);
    const worker = await iam.workerStatements({ resolveVariable });

    expect(settings).toEqual(['acme-why502-evidence', 'acme-why502-evidence', 'incidents/threads/', 30]);
    expect(worker.find((s) => s.Sid === 'ThreadEvidenceObjects')!.Resource).toEqual({
      'Fn::Sub': 'arn:${AWS::Partition}:s3:::acme-why502-evidence/incidents/threads/*',
    });
    rmSync(dir, { recursive: true, force: true });
  });
});
