/**
 * The Lambda functions wired for production from the environment.
 *
 * The `slack` function's acknowledgement path is bounded (issue 10 §4): the signing secret is
 * requested from SSM as the module loads (so a cold start reads it while Bolt is built, not
 * after the request arrives), and every network call on the path makes one attempt with tight
 * timeouts — see ACK_PATH_LIMITS_MS. The worst case stays well under Slack's 3 s.
 *
 * Environment: WHY502_WORKER_FUNCTION (the worker's name: the slack function invokes it, the
 * worker invokes itself to continue a delivery), WHY502_STATE_TABLE (the DynamoDB state table;
 * without it the worker keeps state in memory and says so), WHY502_EVIDENCE_BUCKET (S3, for a
 * thread's evidence too large for the table), WHY502_CONFIG (default why502.yml
 * in the package root), WHY502_SSM_PREFIX, SLACK_SIGNING_SECRET / SLACK_BOT_TOKEN /
 * OPENAI_API_KEY (override SSM), SLACK_API_URL, WHY502_SLACK_TABLE, LOG_LEVEL.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { SSMClient } from '@aws-sdk/client-ssm';
import { pino } from 'pino';
import { type Config, defaultConfig, loadConfigFile } from '../config.js';
import { type Clock, systemClock } from '../core/clock.js';
import { createInvestigationRunner } from '../engine/create-runner.js';
import type { InvestigationRunner } from '../engine/investigation-runner.js';
import { ConfigError } from '../errors.js';
import { parseTableStyle } from '../render/slack/table-style.js';
import { type AppLogger, fromPino } from '../slack/app-logger.js';
import { createFollowUpDeps } from '../slack/follow-up-deps.js';
import { createJobExecutor } from '../slack/job-executor.js';
import { createSlackWeb, respondEphemeral } from '../slack/slack-web.js';
import type { ChartImageRenderer } from '../slack/thread-chart.js';
import {
  createThreadEvidenceStore,
  DEFAULT_EVIDENCE_PREFIX,
  retentionOf,
  type ThreadEvidenceStore,
} from '../slack/thread-evidence-store.js';
import { createDynamoDbStateStore } from '../state/dynamodb-state-store.js';
import { createMemoryStateStore } from '../state/memory-state-store.js';
import { createS3BlobStore } from '../state/s3-blob-store.js';
import type { StateStore } from '../state/state-store.js';
import { createLambdaDispatcher } from './invoke-dispatcher.js';
import { memoiseAsync } from './memoise.js';
import { createSecretsLoader, ssmParameterReader } from './secrets-loader.js';
import { buildLambdaBolt, createSlackHandler, type SlackLambdaHandler } from './slack-handler.js';
import { createWorkerHandler, type WorkerLambdaHandler } from './worker-handler.js';

type Env = Record<string, string | undefined>;

/**
 * The most each step of the acknowledgement path may take, one attempt each. In the worst case
 * (SSM and Lambda both answering at the last moment, then a failure told through response_url)
 * that is 0.7 + 0.8 + 0.7 s on top of the cold start.
 */
export const ACK_PATH_LIMITS_MS = { secret: 700, invoke: 800, respond: 700 } as const;

export interface LambdaOverrides {
  runner?: InvestigationRunner;
  clock?: Clock;
  logger?: AppLogger;
  /**
   * The worker's chart PNG renderer; worker.ts passes renderChart (its fonts and wasm are in the
   * worker's package, serverless.yml). Not imported here: the `slack` function is built from
   * this module too, and must not carry Vega and resvg.
   */
  chartImage?: ChartImageRenderer;
}

export function createProductionSlackHandler(env: Env, overrides: LambdaOverrides = {}): SlackLambdaHandler {
  const clock = overrides.clock ?? systemClock;
  const logger = overrides.logger ?? lambdaLogger(env);
  const secrets = createSecretsLoader({
    env,
    required: ['slackSigningSecret'],
    reader: () =>
      ssmParameterReader(
        new SSMClient({ maxAttempts: 1, requestHandler: { connectionTimeout: 400, requestTimeout: 600 } }),
        { timeoutMs: ACK_PATH_LIMITS_MS.secret },
      ),
  });
  const boltHandler = memoiseAsync(async () => {
    const config = loadLambdaConfig(env);
    return buildLambdaBolt({
      runner:
        overrides.runner ?? createInvestigationRunner({ config, env, clock, warn: (message) => logger.warn(message) }),
      config,
      logger,
      clock,
      slackApiUrl: env.SLACK_API_URL,
      respondTimeoutMs: ACK_PATH_LIMITS_MS.respond,
      dispatcher: createLambdaDispatcher({
        client: new LambdaClient({ maxAttempts: 1, requestHandler: { connectionTimeout: 400, requestTimeout: 700 } }),
        functionName: requireEnv(env, 'WHY502_WORKER_FUNCTION'),
        timeoutMs: ACK_PATH_LIMITS_MS.invoke,
      }),
    });
  });
  // Start both while the module loads: the first request then finds them ready or in flight.
  // A failure here is retried by that request, within the same bounds.
  secrets().catch(() => {});
  boltHandler().catch(() => {});
  return createSlackHandler({
    clock,
    logger,
    signingSecret: async () => (await secrets()).slackSigningSecret!,
    boltHandler,
  });
}

export function createProductionWorkerHandler(env: Env, overrides: LambdaOverrides = {}): WorkerLambdaHandler {
  const clock = overrides.clock ?? systemClock;
  const logger = overrides.logger ?? lambdaLogger(env);
  const secrets = createSecretsLoader({
    env,
    required: ['slackBotToken'],
    optional: ['openaiApiKey'],
    reader: () => ssmParameterReader(new SSMClient({})),
  });
  return createWorkerHandler({
    logger,
    clock,
    respond: (responseUrl, text) => respondEphemeral(responseUrl, { text }, { slackApiUrl: env.SLACK_API_URL }),
    executor: memoiseAsync(async () => {
      const config = loadLambdaConfig(env);
      const loaded = await secrets();
      const runnerEnv = { ...env, ...(loaded.openaiApiKey ? { OPENAI_API_KEY: loaded.openaiApiKey } : {}) };
      const self = env.WHY502_WORKER_FUNCTION?.trim() || env.AWS_LAMBDA_FUNCTION_NAME?.trim();
      const state = workerStateStore(env, clock, logger);
      return createJobExecutor({
        runner:
          overrides.runner ??
          createInvestigationRunner({ config, env: runnerEnv, clock, warn: (message) => logger.warn(message) }),
        web: createSlackWeb({
          token: loaded.slackBotToken!,
          slackApiUrl: env.SLACK_API_URL,
          logger,
          sleep: (ms) => clock.sleep(ms),
        }),
        config,
        clock,
        logger,
        evidence: workerEvidenceStore(env, config, state, logger),
        followUps: createFollowUpDeps(config, loaded.openaiApiKey),
        tableStyle: parseTableStyle(env.WHY502_SLACK_TABLE),
        state,
        ...(overrides.chartImage ? { chartImage: overrides.chartImage } : {}),
        // A delivery retry that does not fit in this invocation continues in a new one.
        ...(self
          ? {
              continuation: createLambdaDispatcher({
                client: new LambdaClient({ maxAttempts: 3 }),
                functionName: self,
              }),
            }
          : {}),
      });
    }),
  });
}

/** DynamoDB when WHY502_STATE_TABLE names the table (serverless.yml sets it); memory otherwise, said once. */
function workerStateStore(env: Env, clock: Clock, logger: AppLogger): StateStore {
  const tableName = env.WHY502_STATE_TABLE?.trim();
  if (tableName) {
    const client = new DynamoDBClient({
      maxAttempts: 3,
      requestHandler: { connectionTimeout: 1000, requestTimeout: 2000 },
    });
    return createDynamoDbStateStore({ client, tableName, clock });
  }
  logger.warn(
    'WHY502_STATE_TABLE is not set: retries are recognised and pending posts kept only within this instance.',
  );
  return createMemoryStateStore({ clock });
}

/**
 * Each verdict thread's evidence, in the state table; reports too large for an item go to S3
 * under slack.threadEvidence.prefix of WHY502_EVIDENCE_BUCKET (serverless.yml sets it: the
 * configured bucket, else the one the stack creates), else of slack.threadEvidence.bucket.
 */
function workerEvidenceStore(env: Env, config: Config, state: StateStore, logger: AppLogger): ThreadEvidenceStore {
  const settings = config.slack.threadEvidence;
  const bucket = env.WHY502_EVIDENCE_BUCKET?.trim() || settings?.bucket;
  if (!bucket)
    logger.warn(
      'No evidence bucket (WHY502_EVIDENCE_BUCKET): a report too large for the state table is not kept for follow-ups.',
    );
  const blobs = bucket
    ? createS3BlobStore({
        client: new S3Client({ maxAttempts: 3, requestHandler: { connectionTimeout: 1000, requestTimeout: 5000 } }),
        bucket,
        prefix: settings?.prefix ?? DEFAULT_EVIDENCE_PREFIX,
      })
    : undefined;
  return createThreadEvidenceStore({ state, ...(blobs ? { blobs } : {}), ...retentionOf(config) });
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
