import { createRequire } from 'node:module';
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
});
