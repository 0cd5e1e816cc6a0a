/**
 * The Lambda functions wired for production from the environment. Nothing here does I/O at
 * import time: config, secrets (SSM) and clients are built on the first request, once per
 * execution environment, so importing the bundle is all a cold start costs before the handler
 * runs. Overrides exist for tests only.
 *
 * Environment: WHY502_WORKER_FUNCTION (slack function), WHY502_CONFIG (default why502.yml in
 * the package root), WHY502_SSM_PREFIX, SLACK_SIGNING_SECRET / SLACK_BOT_TOKEN / OPENAI_API_KEY
 * (override SSM), SLACK_API_URL, WHY502_SLACK_TABLE, LOG_LEVEL.
 */
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SSMClient } from '@aws-sdk/client-ssm';
import { pino } from 'pino';
import { defaultConfig, loadConfigFile, type Config } from '../config.js';
import { systemClock, type Clock } from '../core/clock.js';
import { createInvestigationRunner } from '../engine/create-runner.js';
import type { InvestigationRunner } from '../engine/investigation-runner.js';
import { ConfigError } from '../errors.js';
import { fromPino, type AppLogger } from '../slack/app-logger.js';
import { createJobExecutor } from '../slack/job-executor.js';
import { createReportCache } from '../slack/report-cache.js';
import { createSlackWeb, respondEphemeral } from '../slack/slack-web.js';
import { parseTableStyle } from '../slack/table-style.js';
import { createTtlDedupe } from '../slack/ttl-dedupe.js';
import { createLambdaDispatcher } from './invoke-dispatcher.js';
import { memoiseAsync } from './memoise.js';
import { createSecretsLoader, ssmParameterReader } from './secrets-loader.js';
import { buildLambdaBolt, createSlackHandler, type SlackLambdaHandler } from './slack-handler.js';
import { createWorkerHandler, type WorkerLambdaHandler } from './worker-handler.js';

type Env = Record<string, string | undefined>;

export interface LambdaOverrides {
  runner?: InvestigationRunner;
  clock?: Clock;
  logger?: AppLogger;
}

export function createProductionSlackHandler(env: Env, overrides: LambdaOverrides = {}): SlackLambdaHandler {
  const clock = overrides.clock ?? systemClock;
  const logger = overrides.logger ?? lambdaLogger(env);
  // On a cold start this read happens before the ack: keep it short so Slack's 3 s still hold.
  const secrets = createSecretsLoader({
    env,
    required: ['slackSigningSecret'],
    reader: () => ssmParameterReader(new SSMClient({ maxAttempts: 2, requestHandler: { connectionTimeout: 1000, requestTimeout: 1200 } })),
  });
  return createSlackHandler({
    clock,
    logger,
    signingSecret: async () => (await secrets()).slackSigningSecret!,
    boltHandler: memoiseAsync(async () => {
      const config = loadLambdaConfig(env);
      return buildLambdaBolt({
        runner: overrides.runner ?? createInvestigationRunner({ config, env, clock, warn: (message) => logger.warn(message) }),
        config,
        logger,
        clock,
        dispatcher: createLambdaDispatcher({
          // Fail fast: the acknowledgement waits for this call, and Slack waits 3 s at most.
          client: new LambdaClient({ maxAttempts: 2, requestHandler: { connectionTimeout: 1000, requestTimeout: 1500 } }),
          functionName: requireEnv(env, 'WHY502_WORKER_FUNCTION'),
        }),
      });
    }),
  });
}

export function createProductionWorkerHandler(env: Env, overrides: LambdaOverrides = {}): WorkerLambdaHandler {
  const clock = overrides.clock ?? systemClock;
  const logger = overrides.logger ?? lambdaLogger(env);
  const secrets = createSecretsLoader({ env, required: ['slackBotToken'], optional: ['openaiApiKey'], reader: () => ssmParameterReader(new SSMClient({})) });
  return createWorkerHandler({
    logger,
    respond: (responseUrl, text) => respondEphemeral(responseUrl, { text }, { slackApiUrl: env.SLACK_API_URL }),
    executor: memoiseAsync(async () => {
      const config = loadLambdaConfig(env);
      const loaded = await secrets();
      const runnerEnv = { ...env, ...(loaded.openaiApiKey ? { OPENAI_API_KEY: loaded.openaiApiKey } : {}) };
      return createJobExecutor(
        {
          runner: overrides.runner ?? createInvestigationRunner({ config, env: runnerEnv, clock, warn: (message) => logger.warn(message) }),
          web: createSlackWeb({ token: loaded.slackBotToken!, slackApiUrl: env.SLACK_API_URL, logger }),
          config,
          clock,
          logger,
          reports: createReportCache({ ttlMs: 3600_000, maxEntries: 100, clock }),
          tableStyle: parseTableStyle(env.WHY502_SLACK_TABLE),
        },
        createTtlDedupe({ ttlMs: 3600_000, maxEntries: 10_000, clock }),
      );
    }),
  });
}

/** why502.yml (or WHY502_CONFIG) from the deployment package; the defaults when there is none. */
export function loadLambdaConfig(env: Env): Config {
  const loaded = loadConfigFile(env.WHY502_CONFIG, env.LAMBDA_TASK_ROOT ?? process.cwd());
  return loaded?.config ?? defaultConfig();
}

function lambdaLogger(env: Env): AppLogger {
  return fromPino(pino({ level: env.LOG_LEVEL ?? 'info', base: { fn: env.AWS_LAMBDA_FUNCTION_NAME } }));
}

function requireEnv(env: Env, name: string): string {
  const value = env[name]?.trim();
  if (!value) throw new ConfigError(`${name} is not set.`, 'serverless.yml sets it; see docs/slack.md.');
  return value;
}
