import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parse } from 'yaml';
import { afterEach, describe, expect, it, vi } from 'vitest';

/** scripts/serverless-iam.cjs as osls loads it: a CommonJS module of variable resolvers. */
const iam = createRequire(import.meta.url)('../../scripts/serverless-iam.cjs') as Record<
  'slackStatements' | 'workerStatements',
  (options: { resolveVariable: (name: string) => Promise<string> }) => Promise<Array<{ Action: string[]; Resource: unknown }>>
>;

const resolveVariable = async (name: string) => ({ 'self:service': 'why502', 'sls:stage': 'prod' })[name] ?? '';
const parameterArn = (name: string) => ({ 'Fn::Sub': `arn:\${AWS::Partition}:ssm:\${AWS::Region}:\${AWS::AccountId}:parameter${name}` });

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('the IAM statements of serverless.yml', () => {
  it('grants the slack function its signing secret under the default prefix, and invoke on the worker only', async () => {
    vi.stubEnv('WHY502_SSM_PREFIX', '');

    const statements = await iam.slackStatements({ resolveVariable });

    expect(statements.slice(1)).toEqual([
      { Effect: 'Allow', Action: ['ssm:GetParameter', 'ssm:GetParameters'], Resource: [parameterArn('/why502/prod/slack-signing-secret')] },
      {
        Effect: 'Allow',
        Action: ['lambda:InvokeFunction'],
        Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:why502-prod-worker' },
      },
    ]);
  });

  it('names the parameters the functions read when WHY502_SSM_PREFIX lacks its trailing slash', async () => {
    // The functions read <prefix>/slack-signing-secret (secrets-loader.ts adds the slash).
    vi.stubEnv('WHY502_SSM_PREFIX', '/acme/why502');

    const [, slackParameters] = await iam.slackStatements({ resolveVariable });
    const [, workerParameters] = await iam.workerStatements({ resolveVariable });

    expect(slackParameters!.Resource).toEqual([parameterArn('/acme/why502/slack-signing-secret')]);
    expect(workerParameters!.Resource).toEqual([parameterArn('/acme/why502/slack-bot-token'), parameterArn('/acme/why502/openai-api-key')]);
  });

  it('grants the worker item reads and writes on the state table alone, and invoking itself; the slack function neither', async () => {
    const worker = await iam.workerStatements({ resolveVariable });
    const slack = await iam.slackStatements({ resolveVariable });

    expect(worker.slice(2, 4)).toEqual([
      {
        Effect: 'Allow',
        Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem'],
        Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/why502-prod-state' },
      },
      {
        Effect: 'Allow',
        Action: ['lambda:InvokeFunction'],
        Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:why502-prod-worker' },
      },
    ]);
    expect(JSON.stringify(slack)).not.toContain('dynamodb');
  });
});

describe('the state table in serverless.yml', () => {
  const serverless = parse(readFileSync(new URL('../../serverless.yml', import.meta.url), 'utf8'), { logLevel: 'silent' }) as {
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
    });
    expect(serverless.functions.slack!.environment).toEqual({ WHY502_WORKER_FUNCTION: '${self:service}-${sls:stage}-worker' });
  });
});

describe('the worker\'s IAM with aws.athena configured', () => {
  it('adds Athena on the one workgroup, Glue on the one table and S3 reads on the log prefix only', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'why502-iam-'));
    const config = path.join(dir, 'why502.yml');
    writeFileSync(
      config,
      ['aws:', '  region: ap-southeast-2', '  athena:', '    database: lb_logs', '    table: alb_access_logs', '    workgroup: why502', '    logLocation: s3://acme-alb-logs/prod', ''].join('\n'),
    );
    vi.stubEnv('WHY502_IAM_CONFIG', config);

    const statements = (await iam.workerStatements({ resolveVariable })) as Array<{ Sid?: string; Action: string[]; Resource: unknown }>;

    const athena = statements.find((s) => s.Sid === 'AthenaQueriesInTheWorkgroup')!;
    expect(athena.Resource).toEqual({ 'Fn::Sub': 'arn:${AWS::Partition}:athena:ap-southeast-2:${AWS::AccountId}:workgroup/why502' });
    expect(statements.find((s) => s.Sid === 'GlueTableOfTheAccessLogs')!.Action).toEqual(['glue:GetDatabase', 'glue:GetTable']);
    expect(statements.find((s) => s.Sid === 'ReadTheAccessLogs')!.Resource).toEqual({ 'Fn::Sub': 'arn:${AWS::Partition}:s3:::acme-alb-logs/prod/AWSLogs/*' });
    expect(statements.flatMap((s) => s.Action).filter((action) => action.endsWith('*'))).toEqual([]);
    rmSync(dir, { recursive: true, force: true });
  });
});
