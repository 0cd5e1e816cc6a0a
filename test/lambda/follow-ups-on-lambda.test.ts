import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ReportJson } from '../../src/core/report.js';
import { createProductionSlackHandler, createProductionWorkerHandler } from '../../src/lambda/production.js';
import { createDynamoDbStateStore } from '../../src/state/dynamodb-state-store.js';
import { demoResult } from '../slack/support/demo-report.js';
import { FAKE_BOT, type FakeSlackApi, startFakeSlackApi } from '../slack/support/fake-slack-api.js';
import { recordingLogger } from '../slack/support/harness.js';
import { largeTenantReport } from '../slack/support/large-report.js';
import { createFakeRunner, fixedClock, TEST_NOW } from '../slack/support/report-fixture.js';
import { appMentionBody } from '../slack/support/slack-events.js';
import { SIGNING_SECRET, slashCommandBody } from '../slack/support/slack-requests.js';
import { type LocalDynamoDb, STATE_TABLE, startDynalite } from '../state/support/dynalite.js';
import { EVIDENCE_BUCKET, type LocalS3, S3RVER_CREDENTIALS, startS3rver } from '../state/support/s3rver.js';
import { type FakeAws, startFakeAws } from './support/fake-aws.js';
import { apiGatewayEvent, lambdaContext } from './support/lambda-events.js';

/**
 * `@why502` follow-ups on Lambda as serverless.yml deploys it: the `slack` function receives the
 * Events API delivery on /slack/events, acknowledges and invokes the worker; a worker instance
 * other than the one that investigated answers from the evidence in DynamoDB (dynalite) or, for a
 * large report, S3 (s3rver). Each function instance is its own handler with its own clients.
 */
const NOW_SECONDS = Math.floor(TEST_NOW.getTime() / 1000);
const WORKER = 'why502-test-worker';
const TASK_ROOT = mkdtempSync(path.join(tmpdir(), 'why502-lambda-follow-ups-'));
const PARENT_TS = '1750275660.000100';

let aws: FakeAws;
let slack: FakeSlackApi;
let dynamo: LocalDynamoDb;
let s3: LocalS3;
let demo: ReportJson;

beforeAll(async () => {
  [dynamo, s3, demo] = await Promise.all([startDynalite(), startS3rver(), demoResult().then((r) => r.report)]);
});
afterAll(async () => {
  await Promise.all([dynamo.close(), s3.close()]);
});

beforeEach(async () => {
  aws = await startFakeAws();
  slack = await startFakeSlackApi();
  vi.stubEnv('AWS_REGION', 'ap-southeast-2');
  // s3rver checks signatures against its one key pair; the other stand-ins take any.
  vi.stubEnv('AWS_ACCESS_KEY_ID', S3RVER_CREDENTIALS.accessKeyId);
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', S3RVER_CREDENTIALS.secretAccessKey);
  vi.stubEnv('AWS_SESSION_TOKEN', '');
  vi.stubEnv('AWS_PROFILE', '');
  vi.stubEnv('AWS_ENDPOINT_URL_LAMBDA', aws.endpoint);
  vi.stubEnv('AWS_ENDPOINT_URL_SSM', aws.endpoint);
  vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', dynamo.endpoint);
  vi.stubEnv('AWS_ENDPOINT_URL_S3', s3.endpoint);
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
  WHY502_EVIDENCE_BUCKET: EVIDENCE_BUCKET,
});

const slackFunction = () =>
  createProductionSlackHandler(slackEnv(), {
    runner: createFakeRunner(),
    clock: fixedClock,
    logger: recordingLogger(),
  });
const workerFunction = (report: ReportJson) =>
  createProductionWorkerHandler(workerEnv(), {
    runner: createFakeRunner({ report: () => report }),
    clock: fixedClock,
    logger: recordingLogger(),
  });

/** /why502 through the slack function, then the investigation on a worker instance of its own. */
async function investigate(report: ReportJson, triggerId: string) {
  const body = slashCommandBody({
    text: 'prod_000_audio 05:41 AEST',
    responseUrl: slack.responseUrl('cmd'),
    triggerId,
  });
  await slackFunction()(apiGatewayEvent(body, { timestampSeconds: NOW_SECONDS }), lambdaContext('s'));
  const job = aws.invokes.at(-1)!.payload;
  return workerFunction(report)(job, lambdaContext(WORKER, 300_000));
}

function mentionEvent(eventId: string, question: string, retry?: { num: number; reason: string }) {
  const body = appMentionBody({
    eventId,
    text: `<@${FAKE_BOT.userId}> ${question}`,
    ts: `${NOW_SECONDS + 30}.000200`,
    threadTs: PARENT_TS,
  });
  return apiGatewayEvent(body, {
    timestampSeconds: NOW_SECONDS,
    headers: {
      'content-type': 'application/json',
      ...(retry ? { 'x-slack-retry-num': String(retry.num), 'x-slack-retry-reason': retry.reason } : {}),
    },
  });
}

const botReplies = () => slack.repliesIn('C0ONCALL', PARENT_TS).filter((m) => m.bot_id === FAKE_BOT.botId);

describe('follow-ups on Lambda', () => {
  it('answers `@why502 impact` on another worker instance from the evidence kept in DynamoDB', async () => {
    await investigate(demo, 'trigger-dynamo');
    const repliesBefore = botReplies().length;

    const ack = await slackFunction()(mentionEvent('Ev0LAMBDA0001', 'impact'), lambdaContext('s'));
    const job = aws.invokes.at(-1)!;
    const answered = await workerFunction(demo)(job.payload, lambdaContext(WORKER, 300_000));

    expect(ack).toMatchObject({ statusCode: 200 });
    expect(job.payload).toEqual({
      kind: 'follow_up',
      jobId: 'event:Ev0LAMBDA0001',
      origin: { channelId: 'C0ONCALL', userId: 'U0ONCALL', teamId: 'T0TEAM' },
      messageTs: `${NOW_SECONDS + 30}.000200`,
      threadTs: PARENT_TS,
      text: 'impact',
      requestedAt: '2026-06-18T19:45:00.000Z',
    });
    expect(answered).toEqual({ outcome: 'done' });
    expect(
      botReplies()
        .slice(repliesBefore)
        .map((m) => m.text.split('\n')[1]),
    ).toEqual([
      'prod_000_audio: 163 of its 31,827 requests got a 5xx (1 in 195, 0.51 %), 163 of them minted by the load balancer itself.',
    ]);
    const pointer = await createDynamoDbStateStore({
      client: dynamo.client(),
      tableName: STATE_TABLE,
      clock: fixedClock,
    }).get(`evidence:C0ONCALL:${PARENT_TS}`);
    expect(Object.keys(JSON.parse(pointer!))).toEqual(['v', 'gzip']);
  });

  it('answers on another worker instance from a large report kept in S3', async () => {
    const large = largeTenantReport(demo);
    await investigate(large, 'trigger-s3');
    const repliesBefore = botReplies().length;

    await slackFunction()(mentionEvent('Ev0LAMBDA0002', 'tenants'), lambdaContext('s'));
    const answered = await workerFunction(demo)(aws.invokes.at(-1)!.payload, lambdaContext(WORKER, 300_000));

    expect(answered).toEqual({ outcome: 'done' });
    // 20 demo target groups and 600 more; 1,030,428 LB-minted 502s among them, counted from the report's own tenants.
    expect([large.tenants!.length, large.tenants!.reduce((sum, t) => sum + t.elb502, 0)]).toEqual([620, 1_030_428]);
    const pointer = await createDynamoDbStateStore({
      client: dynamo.client(),
      tableName: STATE_TABLE,
      clock: fixedClock,
    }).get(`evidence:C0ONCALL:${PARENT_TS}`);
    expect(JSON.parse(pointer!)).toMatchObject({ v: 1, blob: `C0ONCALL/${PARENT_TS}.json.gz` });
    expect(
      botReplies()
        .slice(repliesBefore)
        .map((m) => m.text.split('\n')[1]),
    ).toEqual([
      "Everyone: 620 of the 620 target groups had LB-minted errors. prod_000_audio had 163 of the 1,030,428 (0.016 %), with 0.02 % of the requests: about the other target groups' rate per request.",
    ]);
  });

  it('answers once when Slack’s retry of the event reaches another slack instance and each delivery lands on its own worker', async () => {
    await investigate(demo, 'trigger-retry');
    const repliesBefore = botReplies().length;
    const invokesBefore = aws.invokes.length;

    const acks = [
      await slackFunction()(mentionEvent('Ev0LAMBDA0003', 'claim 537k 502s'), lambdaContext('s')),
      await slackFunction()(
        mentionEvent('Ev0LAMBDA0003', 'claim 537k 502s', { num: 1, reason: 'http_timeout' }),
        lambdaContext('s'),
      ),
    ];
    const [first, second] = aws.invokes.slice(invokesBefore);
    const outcomes = await Promise.all([
      workerFunction(demo)(first!.payload, lambdaContext(WORKER)),
      workerFunction(demo)(second!.payload, lambdaContext(WORKER)),
    ]);

    expect(acks.map((a) => a.statusCode)).toEqual([200, 200]);
    expect(outcomes.map((o) => o.outcome).sort()).toEqual(['done', 'duplicate']);
    expect(
      botReplies()
        .slice(repliesBefore)
        .map((m) => m.text.split('\n')[1]),
    ).toEqual(['537,000 502s in 3 h: that cannot be HTTP responses from us.']);
  });

  it('answers HTTP 500 when the worker cannot be invoked, so Slack delivers the event again, and the retry is answered', async () => {
    await investigate(demo, 'trigger-invoke-fails');
    const invokesBefore = aws.invokes.length;
    aws.failNextInvoke(500, 'ServiceException');

    const failed = await slackFunction()(mentionEvent('Ev0LAMBDA0004', 'impact'), lambdaContext('s'));
    const retried = await slackFunction()(
      mentionEvent('Ev0LAMBDA0004', 'impact', { num: 1, reason: 'http_error' }),
      lambdaContext('s'),
    );

    expect([failed.statusCode, retried.statusCode]).toEqual([500, 200]);
    expect(aws.invokes.slice(invokesBefore).map((i) => (i.payload as { jobId: string }).jobId)).toEqual([
      'event:Ev0LAMBDA0004',
    ]);
  });

  it('answers Slack’s url_verification challenge on the slack function', async () => {
    const body = JSON.stringify({
      token: 'deprecated-verification-token',
      challenge: 'kXa9h2Jb6sLq0pTz',
      type: 'url_verification',
    });

    const response = await slackFunction()(
      apiGatewayEvent(body, { timestampSeconds: NOW_SECONDS, headers: { 'content-type': 'application/json' } }),
      lambdaContext('s'),
    );

    expect({ status: response.statusCode, body: JSON.parse(String(response.body)) }).toEqual({
      status: 200,
      body: { challenge: 'kXa9h2Jb6sLq0pTz' },
    });
    expect(aws.invokes).toEqual([]);
  });
});
