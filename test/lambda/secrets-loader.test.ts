import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { createSecretsLoader, type ParameterReader } from '../../src/lambda/secrets-loader.js';

function fakeReader(values: Record<string, string>, failures = 0) {
  const calls: string[][] = [];
  let failuresLeft = failures;
  const reader: ParameterReader = {
    async read(names) {
      calls.push(names);
      if (failuresLeft-- > 0) throw new Error('ThrottlingException');
      return Object.fromEntries(names.filter((n) => n in values).map((n) => [n, values[n]!]));
    },
  };
  return { reader, calls };
}

describe('createSecretsLoader', () => {
  it('uses the environment and never builds an SSM client when everything is there', async () => {
    let built = 0;
    const load = createSecretsLoader({
      env: { SLACK_SIGNING_SECRET: 's3cret' },
      required: ['slackSigningSecret'],
      reader: () => {
        built++;
        return fakeReader({}).reader;
      },
    });

    await expect(load()).resolves.toEqual({ slackSigningSecret: 's3cret' });
    expect(built).toBe(0);
  });

  it('reads what the environment lacks from SSM under the prefix, once', async () => {
    const { reader, calls } = fakeReader({
      '/why502/prod/slack-bot-token': 'xoxb-from-ssm',
      '/why502/prod/openai-api-key': 'sk-from-ssm',
    });
    const load = createSecretsLoader({
      env: { WHY502_SSM_PREFIX: '/why502/prod' },
      required: ['slackBotToken'],
      optional: ['openaiApiKey'],
      reader: () => reader,
    });

    const first = await load();
    const second = await load();

    expect(first).toEqual({ slackBotToken: 'xoxb-from-ssm', openaiApiKey: 'sk-from-ssm' });
    expect(second).toBe(first);
    expect(calls).toEqual([['/why502/prod/slack-bot-token', '/why502/prod/openai-api-key']]);
  });

  it('does without an optional secret that is nowhere', async () => {
    const { reader } = fakeReader({ '/why502/prod/slack-bot-token': 'xoxb-from-ssm' });
    const load = createSecretsLoader({
      env: { WHY502_SSM_PREFIX: '/why502/prod/' },
      required: ['slackBotToken'],
      optional: ['openaiApiKey'],
      reader: () => reader,
    });

    await expect(load()).resolves.toEqual({ slackBotToken: 'xoxb-from-ssm' });
  });

  it('names the environment variable and the SSM parameter of a missing required secret', async () => {
    const load = createSecretsLoader({
      env: { WHY502_SSM_PREFIX: '/why502/prod' },
      required: ['slackSigningSecret'],
      reader: () => fakeReader({}).reader,
    });

    const loading = load();

    await expect(loading).rejects.toBeInstanceOf(ConfigError);
    await expect(loading).rejects.toMatchObject({
      message: 'Missing secrets: SLACK_SIGNING_SECRET (or SSM /why502/prod/slack-signing-secret).',
    });
  });

  it('tries SSM again on the next call after a failure', async () => {
    const { reader, calls } = fakeReader({ '/p/slack-signing-secret': 's' }, 1);
    const load = createSecretsLoader({
      env: { WHY502_SSM_PREFIX: '/p/' },
      required: ['slackSigningSecret'],
      reader: () => reader,
    });

    await expect(load()).rejects.toThrow('ThrottlingException');
    await expect(load()).resolves.toEqual({ slackSigningSecret: 's' });
    expect(calls).toHaveLength(2);
  });
});
