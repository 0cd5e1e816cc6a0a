import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createProductionSlackHandler, createProductionWorkerHandler } from '../../src/lambda/production.js';
import { createDynamoDbStateStore } from '../../src/state/dynamodb-state-store.js';
import { type FakeSlackApi, startFakeSlackApi } from '../slack/support/fake-slack-api.js';
import { recordingLogger } from '../slack/support/harness.js';
import { createFakeRunner, fixedClock, TEST_NOW, throttlingReport } from '../slack/support/report-fixture.js';
import { SIGNING_SECRET, slashCommandBody } from '../slack/support/slack-requests.js';
import { createVirtualClock } from '../slack/support/virtual-clock.js';
import { type LocalDynamoDb, STATE_TABLE, startDynalite } from '../state/support/dynalite.js';
import { type FakeAws, startFakeAws } from './support/fake-aws.js';
import { apiGatewayEvent, lambdaContext } from './support/lambda-events.js';

/**
 * Two Lambda instances of each function, as Lambda runs them: separate processes in
 * production, separate handler objects (each with its own DynamoDB client and memory) here,
 * sharing one state table on dynalite.
 */
const NOW_SECONDS = Math.floor(TEST_NOW.getTime() / 1000);
const WORKER = 'why502-test-worker';
const TASK_ROOT = mkdtempSync(path.join(tmpdir(), 'why502-lambda-state-'));
const PARENT_TS = '1750275660.000100';

let aws: FakeAws;
let slack: FakeSlackApi;
let dynamo: LocalDynamoDb;

beforeAll(async () => {
  dynamo = await startDynalite();
});
afterAll(async () => {
  await dynamo.close();
});

beforeEach(async () => {
  aws = await startFakeAws();
  slack = await startFakeSlackApi();
  vi.stubEnv('AWS_REGION', 'ap-southeast-2');
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDFAKEFORTESTS');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'fake-secret-for-tests');
  vi.stubEnv('AWS_SESSION_TOKEN', '');
  vi.stubEnv('AWS_PROFILE', '');
  vi.stubEnv('AWS_ENDPOINT_URL_LAMBDA', aws.endpoint);
  vi.stubEnv('AWS_ENDPOINT_URL_SSM', aws.endpoint);
  vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', dynamo.endpoint);
});

afterEach(async () => {
  vi.unstubAllEnvs();
  await aws.close();
  await slack.close();
});

const slackEnv = () => ({
  SLACK_SIGNING_SECRET: SIGNING_SECRET,
  WHY502_WORKER_FUNCTION: WORKER,
  LAMBDA_TASK_ROOT: TASK_ROOT,
  SLACK_API_URL: slack.apiUrl,
});
const workerEnv = () => ({
  SLACK_BOT_TOKEN: 'xoxb-test-token',
  SLACK_API_URL: slack.apiUrl,
  LAMBDA_TASK_ROOT: TASK_ROOT,
  WHY502_STATE_TABLE: STATE_TABLE,
  WHY502_WORKER_FUNCTION: WORKER,
});

describe('Slack retries and duplicate events across function instances', () => {
  it('runs one investigation when Slack’s retry of a command reaches another slack instance and each lands on its own worker', async () => {
    const runners = [createFakeRunner(), createFakeRunner()];
    const slackA = createProductionSlackHandler(slackEnv(), {
      runner: createFakeRunner(),
      clock: fixedClock,
      logger: recordingLogger(),
    });
    const slackB = createProductionSlackHandler(slackEnv(), {
      runner: createFakeRunner(),
      clock: fixedClock,
      logger: recordingLogger(),
    });
    const workerA = createProductionWorkerHandler(workerEnv(), {
      runner: runners[0],
      clock: fixedClock,
      logger: recordingLogger(),
    });
    const workerB = createProductionWorkerHandler(workerEnv(), {
      runner: runners[1],
      clock: fixedClock,
      logger: recordingLogger(),
    });
    const body = slashCommandBody({
      text: 'prod_000_audio 05:41 AEST',
      responseUrl: slack.responseUrl('cmd'),
      triggerId: 'trigger-across-instances',
    });

    const acks = [
      await slackA(apiGatewayEvent(body, { timestampSeconds: NOW_SECONDS }), lambdaContext('s')),
      await slackB(
        apiGatewayEvent(body, {
          timestampSeconds: NOW_SECONDS,
          headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_error' },
        }),
        lambdaContext('s'),
      ),
    ];
    const outcomes = await Promise.all([
      workerA(aws.invokes[0]!.payload, lambdaContext(WORKER)),
      workerB(aws.invokes[1]!.payload, lambdaContext(WORKER)),
    ]);

    expect(acks.map((a) => a.statusCode)).toEqual([200, 200]);
    expect(outcomes.map((o) => o.outcome).sort()).toEqual(['done', 'duplicate']);
    expect(runners[0]!.runs.length + runners[1]!.runs.length).toBe(1);
    expect(slack.callsTo('chat.postMessage').filter((c) => !c.body.thread_ts)).toHaveLength(1);
  });
});

describe('a Slack outage longer than one worker invocation can wait', () => {
  it('hands the pending posts to another invocation, which posts them from the state store when Slack is back', async () => {
    const clock = createVirtualClock(TEST_NOW);
    let outageEndsMs = 0;
    const runner = createFakeRunner({
      run: async () => {
        outageEndsMs = clock.now().getTime() + 120_000;
        return throttlingReport();
      },
    });
    slack.setOutage(() => outageEndsMs > 0 && clock.now().getTime() < outageEndsMs);
    const first = createProductionWorkerHandler(workerEnv(), { runner, clock, logger: recordingLogger() });
    const second = createProductionWorkerHandler(workerEnv(), {
      runner: createFakeRunner(),
      clock,
      logger: recordingLogger(),
    });
    const job = {
      kind: 'investigate',
      jobId: 'job-outage',
      origin: { teamId: 'T0TEAM', channelId: 'C0ONCALL', userId: 'U0ONCALL', responseUrl: slack.responseUrl('cmd') },
      text: 'prod_000_audio 05:41 AEST',
      requestedAt: '2026-06-18T19:45:00.000Z',
    };

    // 40 s left: one 10 s wait fits in this invocation, the next does not.
    const firstResult = await first(job, lambdaContext(WORKER, 40_000));
    const handedOn = aws.invokes.map((i) => [i.functionName, i.invocationType, i.payload]);
    const secondResult = await second(aws.invokes[0]!.payload, lambdaContext(WORKER, 300_000));

    expect(firstResult).toEqual({ outcome: 'deferred' });
    expect(handedOn).toEqual([
      [
        WORKER,
        'Event',
        {
          kind: 'deliver',
          jobId: `deliver:outbox:C0ONCALL:${PARENT_TS}:2`,
          origin: job.origin,
          outboxKey: `outbox:C0ONCALL:${PARENT_TS}`,
          attempt: 2,
          notBefore: '2026-06-18T19:45:30.000Z',
        },
      ],
    ]);
    expect(secondResult).toEqual({ outcome: 'done' });
    expect(clock.sleeps).toEqual([10_000, 20_000, 30_000, 60_000]);
    expect(
      slack.calls
        .filter((c) => c.result)
        .map((c) => [c.method, c.body.thread_ts ?? c.body.ts ?? null, c.body.metadata ? 'verdict' : '']),
    ).toEqual([
      ['chat.postMessage', null, ''],
      ['chat.postMessage', PARENT_TS, 'verdict'],
      ['chat.postMessage', PARENT_TS, ''],
      ['chat.update', PARENT_TS, 'verdict'],
    ]);
    const store = createDynamoDbStateStore({ client: dynamo.client(), tableName: STATE_TABLE, clock });
    expect(await store.get(`outbox:C0ONCALL:${PARENT_TS}`)).toBeUndefined();
  });
});
