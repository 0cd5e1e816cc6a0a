import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createProductionSlackHandler, createProductionWorkerHandler } from '../../src/lambda/production.js';
import { ACTION_POST_SUMMARY } from '../../src/render/slack/draft-message.js';
import { draftActionPayload } from '../slack/support/block-actions.js';
import { type FakeSlackApi, startFakeSlackApi } from '../slack/support/fake-slack-api.js';
import { recordingLogger } from '../slack/support/harness.js';
import { createFakeRunner, fixedClock, TEST_NOW } from '../slack/support/report-fixture.js';
import { blockActionBody, SIGNING_SECRET, slashCommandBody } from '../slack/support/slack-requests.js';
import { type FakeAws, startFakeAws } from './support/fake-aws.js';
import { apiGatewayEvent, lambdaContext } from './support/lambda-events.js';

const NOW_SECONDS = Math.floor(TEST_NOW.getTime() / 1000);
const WORKER = 'why502-test-worker';

let aws: FakeAws;
let slack: FakeSlackApi;

beforeEach(async () => {
  aws = await startFakeAws();
  slack = await startFakeSlackApi();
  // The AWS SDK reads these from the process environment; fake credentials, local endpoints.
  vi.stubEnv('AWS_REGION', 'ap-southeast-2');
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDFAKEFORTESTS');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'fake-secret-for-tests');
  vi.stubEnv('AWS_SESSION_TOKEN', '');
  vi.stubEnv('AWS_PROFILE', '');
  vi.stubEnv('AWS_ENDPOINT_URL_LAMBDA', aws.endpoint);
  vi.stubEnv('AWS_ENDPOINT_URL_SSM', aws.endpoint);
});

afterEach(async () => {
  vi.unstubAllEnvs();
  await aws.close();
  await slack.close();
});

/** An empty package root: no why502.yml, so the defaults apply. */
const TASK_ROOT = mkdtempSync(path.join(tmpdir(), 'why502-lambda-root-'));

/** A package root holding this why502.yml. */
function taskRootWithConfig(yaml: string): string {
  const root = mkdtempSync(path.join(tmpdir(), 'why502-lambda-config-'));
  writeFileSync(path.join(root, 'why502.yml'), yaml);
  return root;
}

function slackEnv(extra: Record<string, string> = {}) {
  // SLACK_API_URL: the local Web API, whose host is the only response_url host besides hooks.slack.com.
  return {
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    WHY502_WORKER_FUNCTION: WORKER,
    LAMBDA_TASK_ROOT: TASK_ROOT,
    SLACK_API_URL: slack.apiUrl,
    ...extra,
  };
}

function workerEnv(extra: Record<string, string> = {}) {
  return { SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_API_URL: slack.apiUrl, LAMBDA_TASK_ROOT: TASK_ROOT, ...extra };
}

function commandEvent(text: string, options: { timestampSeconds?: number; signature?: string } = {}) {
  return apiGatewayEvent(
    slashCommandBody({ text, responseUrl: slack.responseUrl('cmd'), triggerId: 'trigger-lambda-1' }),
    {
      timestampSeconds: options.timestampSeconds ?? NOW_SECONDS,
      ...(options.signature ? { signature: options.signature } : {}),
    },
  );
}

describe('the slack Lambda handler', () => {
  it('acknowledges a command and hands it to the worker by async invoke before any Slack post or query', async () => {
    const runner = createFakeRunner();
    const handler = createProductionSlackHandler(slackEnv(), { runner, clock: fixedClock, logger: recordingLogger() });

    const response = await handler(commandEvent('prod_000_audio 05:41 AEST'), lambdaContext('why502-test-slack'));

    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body!)).toEqual({
      response_type: 'ephemeral',
      text: ':mag: Investigating `prod_000_audio` at 19 Jun 05:41 AEST (19:41 UTC, 18 Jun)… the answer will appear in a thread in this channel.',
    });
    expect(aws.invokes.map((i) => [i.functionName, i.invocationType])).toEqual([[WORKER, 'Event']]);
    expect(aws.invokes[0]!.payload).toEqual({
      kind: 'investigate',
      jobId: 'trigger-lambda-1',
      origin: {
        teamId: 'T0TEAM',
        channelId: 'C0ONCALL',
        userId: 'U0ONCALL',
        responseUrl: slack.responseUrl('cmd'),
        channelName: 'oncall',
      },
      text: 'prod_000_audio 05:41 AEST',
      command: {
        index: 'prod_000_audio',
        asked: {
          input: '05:41 AEST',
          zone: { kind: 'fixed', label: 'AEST', offsetMinutes: 600 },
          utcOffset: '+10:00',
          instant: '2026-06-18T19:41:00.000Z',
          at: '2026-06-18T19:41:00.000Z',
          notes: [],
        },
        window: { start: '2026-06-18T18:11:00.000Z', end: '2026-06-18T21:11:00.000Z' },
        noDraft: false,
      },
      requestedAt: '2026-06-18T19:45:00.000Z',
    });
    expect(slack.calls).toEqual([]);
    expect(runner.runs).toEqual([]);
  });

  it.each([
    ['a bad signature', { signature: `v0=${'0'.repeat(64)}` }],
    ['a timestamp six minutes old', { timestampSeconds: NOW_SECONDS - 360 }],
    ['a timestamp six minutes in the future', { timestampSeconds: NOW_SECONDS + 360 }],
  ])('answers 401 and invokes nothing for %s', async (_label, options) => {
    const handler = createProductionSlackHandler(slackEnv(), {
      runner: createFakeRunner(),
      clock: fixedClock,
      logger: recordingLogger(),
    });

    const response = await handler(
      commandEvent('prod_000_audio 05:41 AEST', options),
      lambdaContext('why502-test-slack'),
    );

    expect(response).toEqual({ statusCode: 401, body: '' });
    expect(aws.invokes).toEqual([]);
  });

  it('answers bad input with the usage in the acknowledgement and invokes nothing', async () => {
    const handler = createProductionSlackHandler(slackEnv(), {
      runner: createFakeRunner(),
      clock: fixedClock,
      logger: recordingLogger(),
    });

    const response = await handler(commandEvent('prod_000_audio whenever'), lambdaContext('why502-test-slack'));

    expect(JSON.parse(response.body!).text).toMatch(
      /^:warning: Cannot read "prod_000_audio whenever" as &lt;index&gt; &lt;time&gt; AEST\./,
    );
    expect(aws.invokes).toEqual([]);
  });

  it('ignores Slack’s retry of a command (X-Slack-Retry-Num, http_timeout): acknowledged, nothing invoked', async () => {
    const handler = createProductionSlackHandler(slackEnv(), {
      runner: createFakeRunner(),
      clock: fixedClock,
      logger: recordingLogger(),
    });
    const body = slashCommandBody({
      text: 'prod_000_audio 05:41 AEST',
      responseUrl: slack.responseUrl('cmd'),
      triggerId: 'trigger-retried',
    });

    const response = await handler(
      apiGatewayEvent(body, {
        timestampSeconds: NOW_SECONDS,
        headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' },
      }),
      lambdaContext('s'),
    );

    expect(response).toEqual({ statusCode: 200, body: '' });
    expect(aws.invokes).toEqual([]);
  });

  it('answers Slack’s ssl_check probe with 200', async () => {
    const handler = createProductionSlackHandler(slackEnv(), {
      runner: createFakeRunner(),
      clock: fixedClock,
      logger: recordingLogger(),
    });

    const response = await handler(
      apiGatewayEvent('ssl_check=1&token=x', { timestampSeconds: NOW_SECONDS, signature: 'v0=none' }),
      lambdaContext('s'),
    );

    expect(response).toEqual({ statusCode: 200, body: '' });
  });

  it('reads the signing secret from SSM once per execution environment when the environment lacks it', async () => {
    aws.parameters.set('/why502/test/slack-signing-secret', SIGNING_SECRET);
    const env = { WHY502_SSM_PREFIX: '/why502/test/', WHY502_WORKER_FUNCTION: WORKER, LAMBDA_TASK_ROOT: TASK_ROOT };
    const handler = createProductionSlackHandler(env, {
      runner: createFakeRunner(),
      clock: fixedClock,
      logger: recordingLogger(),
    });

    const first = await handler(commandEvent('help'), lambdaContext('s'));
    const second = await handler(commandEvent('help'), lambdaContext('s'));

    expect([first.statusCode, second.statusCode]).toEqual([200, 200]);
    expect(aws.ssmRequests).toEqual([{ names: ['/why502/test/slack-signing-secret'], withDecryption: true }]);
  });

  it('says in the acknowledgement itself that the work could not start when the worker cannot be invoked', async () => {
    aws.failNextInvoke(404, 'ResourceNotFoundException');
    const handler = createProductionSlackHandler(slackEnv(), {
      runner: createFakeRunner(),
      clock: fixedClock,
      logger: recordingLogger(),
    });

    const response = await handler(commandEvent('prod_000_audio 05:41 AEST'), lambdaContext('s'));

    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body!)).toEqual({
      response_type: 'ephemeral',
      text: expect.stringMatching(
        /^:warning: I could not start that: Could not start the worker why502-test-worker: .*Check that the function exists and the slack function may invoke it\.$/,
      ),
    });
    expect(slack.responses).toEqual([]);
  });

  it('tells the person who typed the command when the function is misconfigured', async () => {
    const handler = createProductionSlackHandler(slackEnv({ WHY502_CONFIG: '/nonexistent/why502.yml' }), {
      runner: createFakeRunner(),
      clock: fixedClock,
      logger: recordingLogger(),
    });

    const response = await handler(commandEvent('prod_000_audio 05:41 AEST'), lambdaContext('s'));

    expect(JSON.parse(response.body!)).toEqual({
      response_type: 'ephemeral',
      text: ':warning: why502 is not set up correctly: Config file not found: /nonexistent/why502.yml. Pass an existing file with --config, or omit it.',
    });
    expect(aws.invokes).toEqual([]);
  });

  it('escapes a configuration error for mrkdwn in what it tells the person', async () => {
    const root = taskRootWithConfig('source: cloudwatch\naws:\n  loadBalancer: my-alb\n');
    const handler = createProductionSlackHandler(slackEnv({ LAMBDA_TASK_ROOT: root }), {
      runner: createFakeRunner(),
      clock: fixedClock,
      logger: recordingLogger(),
    });

    const response = await handler(commandEvent('prod_000_audio 05:41 AEST'), lambdaContext('s'));

    expect(JSON.parse(response.body!)).toEqual({
      response_type: 'ephemeral',
      text: `:warning: why502 is not set up correctly: Invalid configuration in ${path.join(root, 'why502.yml')}: aws.loadBalancer: must look like app/&lt;name&gt;/&lt;16 hex digits&gt;. See "Configuration" in the README.`,
    });
    expect(aws.invokes).toEqual([]);
  });

  it('hands a draft button click to the worker as a post_summary job', async () => {
    const handler = createProductionSlackHandler(slackEnv(), {
      runner: createFakeRunner(),
      clock: fixedClock,
      logger: recordingLogger(),
    });
    const draft = await draftFromAWorkerRun();
    const payload = draftActionPayload({
      draft,
      actionId: ACTION_POST_SUMMARY,
      responseUrl: slack.responseUrl('click'),
      triggerId: 'trigger-click-1',
    });

    const response = await handler(
      apiGatewayEvent(blockActionBody(payload), { timestampSeconds: NOW_SECONDS }),
      lambdaContext('s'),
    );

    expect(response).toEqual({ statusCode: 200, body: '' });
    expect(aws.invokes.map((i) => (i.payload as { kind: string; jobId: string }).kind)).toEqual(['post_summary']);
    expect((aws.invokes[0]!.payload as { ref: { threadTs: string } }).ref.threadTs).toBe('1750275660.000100');
  });
});

/** Runs an investigate job through the worker and returns the draft message it posted. */
async function draftFromAWorkerRun() {
  const worker = createProductionWorkerHandler(workerEnv(), {
    runner: createFakeRunner(),
    clock: fixedClock,
    logger: recordingLogger(),
  });
  await worker(investigateJob('job-for-draft'), lambdaContext(WORKER));
  const draft = slack
    .callsTo('chat.postMessage')
    .find((c) => JSON.stringify(c.body.blocks).includes(ACTION_POST_SUMMARY))!;
  slack.calls.length = 0;
  return draft;
}

function investigateJob(jobId: string) {
  return {
    kind: 'investigate',
    jobId,
    origin: { teamId: 'T0TEAM', channelId: 'C0ONCALL', userId: 'U0ONCALL', responseUrl: slack.responseUrl('cmd') },
    text: 'prod_000_audio 05:41 AEST',
    requestedAt: '2026-06-18T19:45:00.000Z',
  };
}

describe('the Lambda entry points', () => {
  it('export two-argument async handlers, as Node.js 24 runtimes require', async () => {
    const { handler: slackHandler } = await import('../../src/lambda/slack.js');
    const { handler: workerHandler } = await import('../../src/lambda/worker.js');

    expect([slackHandler.length, workerHandler.length]).toEqual([2, 2]);
    expect([slackHandler.constructor.name, workerHandler.constructor.name]).toEqual(['AsyncFunction', 'AsyncFunction']);
  });
});

describe('the worker Lambda handler', () => {
  it('runs the job the slack function handed on and posts the parent, verdict, draft and parent update', async () => {
    const slackHandler = createProductionSlackHandler(slackEnv(), {
      runner: createFakeRunner(),
      clock: fixedClock,
      logger: recordingLogger(),
    });
    const worker = createProductionWorkerHandler(workerEnv(), {
      runner: createFakeRunner(),
      clock: fixedClock,
      logger: recordingLogger(),
    });
    await slackHandler(commandEvent('prod_000_audio 05:41 AEST'), lambdaContext('s'));
    const asyncEvent = aws.invokes[0]!.payload;

    const result = await worker(asyncEvent, lambdaContext(WORKER));

    expect(result).toEqual({ outcome: 'done' });
    expect(slack.calls.map((c) => [c.method, c.body.thread_ts ?? c.body.ts ?? null])).toEqual([
      ['chat.postMessage', null],
      ['chat.postMessage', '1750275660.000100'],
      ['chat.postMessage', '1750275660.000100'],
      ['chat.update', '1750275660.000100'],
    ]);
    expect(slack.calls[1]!.body.metadata).toMatchObject({
      event_type: 'why502_verdict',
      event_payload: { verdict_kind: 'throttling_429' },
    });
  });

  it('ignores the same async event delivered twice: one investigation, one thread', async () => {
    const runner = createFakeRunner();
    const worker = createProductionWorkerHandler(workerEnv(), { runner, clock: fixedClock, logger: recordingLogger() });

    const first = await worker(investigateJob('job-twice'), lambdaContext(WORKER));
    const second = await worker(investigateJob('job-twice'), lambdaContext(WORKER));

    expect([first, second]).toEqual([{ outcome: 'done' }, { outcome: 'duplicate' }]);
    expect(runner.runs).toHaveLength(1);
    expect(slack.callsTo('chat.postMessage').filter((c) => !c.body.thread_ts)).toHaveLength(1);
  });

  it('rejects an event that is not a why502 job without calling Slack', async () => {
    const worker = createProductionWorkerHandler(workerEnv(), {
      runner: createFakeRunner(),
      clock: fixedClock,
      logger: recordingLogger(),
    });

    const result = await worker({ Records: [{ eventSource: 'aws:sqs' }] }, lambdaContext(WORKER));

    expect(result).toEqual({ outcome: 'rejected' });
    expect(slack.calls).toEqual([]);
  });

  it('tells the user through response_url when it has no bot token', async () => {
    const worker = createProductionWorkerHandler(
      { SLACK_API_URL: slack.apiUrl },
      { runner: createFakeRunner(), clock: fixedClock, logger: recordingLogger() },
    );

    const result = await worker(investigateJob('job-no-token'), lambdaContext(WORKER));

    expect(result).toEqual({ outcome: 'failed' });
    expect(slack.responses.map((r) => r.body.text)).toEqual([
      ':warning: why502 could not start the work: Missing secrets: SLACK_BOT_TOKEN. Set them in the environment, or store them in SSM under WHY502_SSM_PREFIX; see docs/slack.md.',
    ]);
  });

  it('escapes a configuration error for mrkdwn when it cannot start', async () => {
    const root = taskRootWithConfig('source: cloudwatch\naws:\n  loadBalancer: my-alb\n');
    const worker = createProductionWorkerHandler(workerEnv({ LAMBDA_TASK_ROOT: root }), {
      clock: fixedClock,
      logger: recordingLogger(),
    });

    const result = await worker(investigateJob('job-bad-config'), lambdaContext(WORKER));

    expect(result).toEqual({ outcome: 'failed' });
    expect(slack.calls).toEqual([]);
    expect(slack.responses.map((r) => r.body.text)).toEqual([
      `:warning: why502 could not start the work: Invalid configuration in ${path.join(root, 'why502.yml')}: aws.loadBalancer: must look like app/&lt;name&gt;/&lt;16 hex digits&gt;. See "Configuration" in the README.`,
    ]);
  });

  it('stops an investigation that would outlive the Lambda timeout and says so in the thread', async () => {
    const runner = createFakeRunner({
      run: (_command, options) =>
        new Promise((_resolve, reject) =>
          options?.signal?.addEventListener('abort', () => reject(options.signal!.reason)),
        ),
    });
    // A clock whose sleeps end at once: the 5 s limit passes without waiting 5 s.
    const clock = { now: fixedClock.now, sleep: () => Promise.resolve() };
    const worker = createProductionWorkerHandler(workerEnv(), { runner, clock, logger: recordingLogger() });

    const result = await worker(investigateJob('job-slow'), lambdaContext(WORKER, 15_000 + 5_000));

    expect(result).toEqual({ outcome: 'failed' });
    expect(slack.callsTo('chat.postMessage')[1]!.body.text).toBe(
      ':warning: The investigation failed: The investigation did not finish within 5 s. Try a shorter window, e.g. `--window 1h`, or ask again in a minute.',
    );
  });
});
