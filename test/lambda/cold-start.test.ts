import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain .mjs build script without type declarations
import { bundleLambdas } from '../../scripts/package-lambda.mjs';
import { SIGNING_SECRET } from '../slack/support/slack-requests.js';
import { startFakeAws, type FakeAws } from './support/fake-aws.js';

/**
 * A cold start of the bundled `slack` function, as close as a test can get: a fresh Node
 * process imports dist-style bundle, loads the signing secret from (fake) SSM, builds Bolt and
 * answers a signed /why502 after an async invoke of the (fake) worker. Lambda adds its own
 * runtime start-up on top; the figures are printed for the report.
 */
const WORK_DIR = mkdtempSync(path.join(tmpdir(), 'why502-cold-start-'));
let aws: FakeAws;
let bundle: string;

beforeAll(async () => {
  aws = await startFakeAws();
  aws.parameters.set('/why502/test/slack-signing-secret', SIGNING_SECRET);
  const { outputs } = (await bundleLambdas({ outdir: path.join(WORK_DIR, 'dist', 'lambda') })) as { outputs: Record<string, { file: string }> };
  bundle = outputs.slack!.file;
}, 60_000);

afterAll(async () => {
  await aws.close();
});

const CHILD = `
import { createHmac } from 'node:crypto';
const started = performance.now();
const { handler } = await import(process.env.BUNDLE);
const imported = performance.now();
const signedEvent = (text, trigger) => {
  const body = new URLSearchParams({ team_id: 'T0TEAM', channel_id: 'C0ONCALL', user_id: 'U0ONCALL', command: '/why502', text,
    response_url: 'https://hooks.slack.com/commands/T0TEAM/1/x', trigger_id: trigger }).toString();
  const ts = String(Math.floor(Date.now() / 1000));
  const signature = 'v0=' + createHmac('sha256', process.env.SECRET).update('v0:' + ts + ':' + body).digest('hex');
  return { version: '2.0', routeKey: 'POST /slack/events', rawPath: '/slack/events', rawQueryString: '',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': ts, 'x-slack-signature': signature },
    requestContext: { http: { method: 'POST', path: '/slack/events' } }, body: Buffer.from(body).toString('base64'), isBase64Encoded: true };
};
const context = { functionName: 'why502-test-slack', awsRequestId: 'r', getRemainingTimeInMillis: () => 10000 };
const first = await handler(signedEvent('prod_000_audio 05:41 AEST', 'trigger-cold'), context);
const answered = performance.now();
const second = await handler(signedEvent('prod_000_audio 05:42 AEST', 'trigger-warm'), context);
const warm = performance.now();
console.log(JSON.stringify({ beforeImportMs: started, importMs: imported - started, firstRequestMs: answered - imported,
  warmRequestMs: warm - answered, status: first.statusCode, warmStatus: second.statusCode, body: first.body }));
`;

function runChild(env: Record<string, string>): Promise<{ output: string; wallMs: number }> {
  const script = path.join(WORK_DIR, 'cold-start-child.mjs');
  writeFileSync(script, CHILD);
  const spawned = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let errors = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    child.on('exit', (code) => (code === 0 ? resolve({ output, wallMs: performance.now() - spawned }) : reject(new Error(`child exited ${code}: ${errors}`))));
  });
}

describe('a cold start of the bundled slack function', () => {
  it('acknowledges a signed /why502 well within 3 s, secrets from SSM and the worker invoked', async () => {
    const { output, wallMs } = await runChild({
      BUNDLE: bundle,
      SECRET: SIGNING_SECRET,
      WHY502_SSM_PREFIX: '/why502/test/',
      WHY502_WORKER_FUNCTION: 'why502-test-worker',
      LAMBDA_TASK_ROOT: WORK_DIR,
      LOG_LEVEL: 'warn',
      AWS_REGION: 'ap-southeast-2',
      AWS_ACCESS_KEY_ID: 'AKIDFAKEFORTESTS',
      AWS_SECRET_ACCESS_KEY: 'fake-secret-for-tests',
      AWS_ENDPOINT_URL_SSM: aws.endpoint,
      AWS_ENDPOINT_URL_LAMBDA: aws.endpoint,
      AWS_CONFIG_FILE: path.join(WORK_DIR, 'no-aws-config'),
      AWS_SHARED_CREDENTIALS_FILE: path.join(WORK_DIR, 'no-aws-credentials'),
    });
    const figures = JSON.parse(output.trim().split('\n').pop()!) as Record<string, number | string>;
    const coldAckMs = Number(figures.beforeImportMs) + Number(figures.importMs) + Number(figures.firstRequestMs);

    console.log(
      `cold start of the bundled slack function: node start ${Number(figures.beforeImportMs).toFixed(0)} ms + import ${Number(figures.importMs).toFixed(0)} ms + first request (SSM, Bolt, invoke) ${Number(figures.firstRequestMs).toFixed(0)} ms = ${coldAckMs.toFixed(0)} ms; warm request ${Number(figures.warmRequestMs).toFixed(0)} ms; process wall ${wallMs.toFixed(0)} ms`,
    );
    expect([figures.status, figures.warmStatus]).toEqual([200, 200]);
    expect(JSON.parse(String(figures.body)).text).toMatch(/^:mag: Investigating `prod_000_audio` at /);
    expect(aws.ssmRequests).toEqual([{ names: ['/why502/test/slack-signing-secret'], withDecryption: true }]);
    expect(aws.invokes.map((i) => [i.functionName, i.invocationType])).toEqual([
      ['why502-test-worker', 'Event'],
      ['why502-test-worker', 'Event'],
    ]);
    expect(coldAckMs).toBeLessThan(3000);
  });
});
