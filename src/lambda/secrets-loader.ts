/**
 * Secrets for the Lambda functions: from the environment when set there, otherwise from SSM
 * Parameter Store under WHY502_SSM_PREFIX (SecureString, decrypted). Loaded on first use, then
 * kept for the life of the execution environment; a failed load is retried on the next request.
 *
 * Parameter names under the prefix: slack-signing-secret, slack-bot-token, openai-api-key.
 */
import { GetParametersCommand, type GetParametersCommandOutput, type SSMClient } from '@aws-sdk/client-ssm';
import { readSecrets, type Secrets } from '../config.js';
import { ConfigError, SourceError } from '../errors.js';

export type SecretName = 'slackSigningSecret' | 'slackBotToken' | 'openaiApiKey';

const SECRET_SOURCES: Record<SecretName, { env: string; parameter: string }> = {
  slackSigningSecret: { env: 'SLACK_SIGNING_SECRET', parameter: 'slack-signing-secret' },
  slackBotToken: { env: 'SLACK_BOT_TOKEN', parameter: 'slack-bot-token' },
  openaiApiKey: { env: 'OPENAI_API_KEY', parameter: 'openai-api-key' },
};

export interface ParameterReader {
  /** Values by full parameter name; names that do not exist are simply absent. */
  read(names: string[]): Promise<Record<string, string>>;
}

/** With `timeoutMs`, a read that has not answered by then is abandoned (the ack path cannot wait). */
export function ssmParameterReader(
  client: Pick<SSMClient, 'send'>,
  options: { timeoutMs?: number } = {},
): ParameterReader {
  return {
    async read(names) {
      const values: Record<string, string> = {};
      // GetParameters takes at most 10 names a call; three are asked for at most.
      const input = new GetParametersCommand({ Names: names, WithDecryption: true });
      let output: GetParametersCommandOutput;
      try {
        output = await client.send(
          input,
          options.timeoutMs ? { abortSignal: AbortSignal.timeout(options.timeoutMs) } : {},
        );
      } catch (error) {
        if (
          (error as { name?: string }).name === 'AbortError' ||
          (error as { name?: string }).name === 'TimeoutError'
        ) {
          throw new SourceError(
            `SSM did not return the parameters within ${options.timeoutMs} ms.`,
            'The next request tries again; check the function can reach SSM.',
            { cause: error },
          );
        }
        throw error;
      }
      for (const parameter of output.Parameters ?? [])
        if (parameter.Name && parameter.Value) values[parameter.Name] = parameter.Value;
      return values;
    },
  };
}

export interface SecretsLoaderOptions {
  env: Record<string, string | undefined>;
  /** The secrets this function cannot work without. */
  required: SecretName[];
  optional?: SecretName[];
  /** Built only when SSM is actually needed, so a function configured by environment never creates an SSM client. */
  reader: () => ParameterReader;
}

export function createSecretsLoader(options: SecretsLoaderOptions): () => Promise<Secrets> {
  let loading: Promise<Secrets> | undefined;
  return () => {
    loading ??= loadSecrets(options).catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
    return loading;
  };
}

async function loadSecrets(options: SecretsLoaderOptions): Promise<Secrets> {
  const secrets = readSecrets(options.env);
  const wanted = [...options.required, ...(options.optional ?? [])];
  const missing = wanted.filter((name) => !secrets[name]);
  const prefix = options.env.WHY502_SSM_PREFIX?.trim();
  const nameOf = (secret: SecretName) =>
    `${prefix?.endsWith('/') ? prefix : `${prefix}/`}${SECRET_SOURCES[secret].parameter}`;
  if (missing.length > 0 && prefix) {
    const values = await options.reader().read(missing.map(nameOf));
    for (const secret of missing) {
      const value = values[nameOf(secret)]?.trim();
      if (value) secrets[secret] = value;
    }
  }
  const stillMissing = options.required.filter((name) => !secrets[name]);
  if (stillMissing.length > 0) {
    const where = stillMissing.map((name) => `${SECRET_SOURCES[name].env}${prefix ? ` (or SSM ${nameOf(name)})` : ''}`);
    throw new ConfigError(
      `Missing secrets: ${where.join(', ')}.`,
      'Set them in the environment, or store them in SSM under WHY502_SSM_PREFIX; see docs/slack.md.',
    );
  }
  return secrets;
}
