import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
// @ts-expect-error -- a plain .mjs build script without type declarations
import { bundleLambdas } from '../../scripts/package-lambda.mjs';
import { DEMO_INCIDENT, DEMO_NOW, DEMO_TENANTS } from '../../src/demo/demo-incident.js';
import { writeIncidentLogs } from '../../src/simulate/write-incident-logs.js';
import { decodePng, inkPixels } from '../render/support/decode-png.js';
import { type FakeSlackApi, startFakeSlackApi } from '../slack/support/fake-slack-api.js';

/**
 * The worker as Lambda runs it: the bundle and exactly the files serverless.yml packages for
 * it, in a folder of their own (nothing above it holds a font or node_modules), run in a fresh
 * Node process on the demo incident's log files, posting to the Slack stand-in. The chart PNG
 * it shares must have text: resvg draws none, silently, when it has no font.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const WORK = mkdtempSync(path.join(tmpdir(), 'why502-worker-package-'));
const LOGS = path.join(WORK, 'logs');
let slack: FakeSlackApi;

/** The worker's package.patterns from serverless.yml, copied from the repository (the bundle from a fresh build). */
function packageWorker(into: string, bundle: string, options: { without?: string } = {}): string[] {
  const serverless = parse(readFileSync(path.join(ROOT, 'serverless.yml'), 'utf8'), { logLevel: 'silent' }) as {
    functions: { worker: { package: { patterns: string[] } } };
  };
  const patterns = serverless.functions.worker.package.patterns;
  mkdirSync(into, { recursive: true });
  for (const pattern of patterns) {
    if (pattern === options.without) continue;
    // osls patterns are globs; these are whole folders (dir/**) or single files.
    expect(pattern).toMatch(/^[\w@./-]+(\/\*\*)?$/);
    const relative = pattern.replace(/\/\*\*$/, '');
    const source = relative === 'dist/lambda/worker.mjs' ? bundle : path.join(ROOT, relative);
    if (!existsSync(source)) continue; // why502.yml is optional; the test writes its own
    cpSync(source, path.join(into, relative), { recursive: true });
  }
  return patterns;
}

const CHILD = `
const { handler } = await import(process.env.BUNDLE);
const job = { kind: 'investigate', jobId: 'package-proof', origin: { channelId: 'C0ONCALL', userId: 'U0ONCALL' },
  text: 'prod_000_audio 05:41 AEST', requestedAt: process.env.REQUESTED_AT };
const result = await handler(job, { awsRequestId: 'r', getRemainingTimeInMillis: () => 300000 });
console.log(JSON.stringify(result));
`;

function runWorker(packageDir: string): Promise<string> {
  writeFileSync(
    path.join(packageDir, 'why502.yml'),
    stringify({
      timezone: 'Australia/Sydney',
      window: '3h',
      idleTimeoutSeconds: 60,
      slowRequestSeconds: 2,
      source: 'files',
      files: { albLogs: [path.join(LOGS, 'alb')], proxyLogs: [path.join(LOGS, 'haproxy')] },
      indexes: Object.fromEntries(
        DEMO_TENANTS.map((t) => [t.index, { targetGroup: t.targetGroup, match: `/indexes/${t.index}/` }]),
      ),
    }),
  );
  const script = path.join(packageDir, 'run-job.mjs');
  writeFileSync(script, CHILD);
  // Only what Lambda would set: no repository on any path the process can reach.
  const env = {
    PATH: process.env.PATH,
    TZ: 'UTC',
    BUNDLE: path.join(packageDir, 'dist', 'lambda', 'worker.mjs'),
    LAMBDA_TASK_ROOT: packageDir,
    SLACK_BOT_TOKEN: 'xoxb-test-token',
    SLACK_API_URL: slack.apiUrl,
    LOG_LEVEL: process.env.DEBUG_WORKER ? 'info' : 'error',
    REQUESTED_AT: DEMO_NOW.toISOString(),
  };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script], { cwd: packageDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let errors = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    child.on('exit', (code) => {
      if (process.env.DEBUG_WORKER) console.log(out, errors);
      if (code === 0) resolve(out.trim().split('\n').pop()!);
      else reject(new Error(`worker exited ${code}: ${errors}`));
    });
  });
}

let bundle: string;
beforeAll(async () => {
  slack = await startFakeSlackApi();
  await writeIncidentLogs(DEMO_INCIDENT, LOGS);
  // Built where the package will hold it (dist/lambda/, two levels below the package root).
  const { outputs } = (await bundleLambdas({
    outdir: path.join(WORK, 'build', 'dist', 'lambda'),
    packageRoot: path.join(WORK, 'build'),
  })) as {
    outputs: Record<string, { file: string }>;
  };
  bundle = outputs.worker!.file;
}, 60_000);

afterAll(async () => {
  await slack.close();
  rmSync(WORK, { recursive: true, force: true });
});

describe('the packaged worker', () => {
  it('draws the chart with text from the fonts and wasm in its own package, and shares it in the thread', async () => {
    const packageDir = path.join(WORK, 'package');
    const patterns = packageWorker(packageDir, bundle);

    const result = await runWorker(packageDir);

    expect(patterns).toEqual(
      expect.arrayContaining(['assets/fonts/**', 'node_modules/@resvg/resvg-wasm/index_bg.wasm']),
    );
    expect(JSON.parse(result)).toEqual({ outcome: 'done' });
    const [file] = slack.files;
    const png = decodePng(file!.bytes!);
    const title = inkPixels(png, { x: 0, y: 0, width: 1100, height: 90 });
    const timeLabels = inkPixels(png, { x: 100, y: png.height - 80, width: 1800, height: 80 });
    console.log(
      `packaged worker's chart: ${file!.bytes!.length} bytes, ${png.width}×${png.height} px, ink ${title} px in the title, ${timeLabels} px in the time labels`,
    );
    expect([file!.filename, file!.shared?.threadTs !== undefined]).toEqual([
      'why502-prod_000_audio-0541-AEST.png',
      true,
    ]);
    expect(title).toBeGreaterThan(2000);
    expect(timeLabels).toBeGreaterThan(1000);
  }, 60_000);

  it('says in the thread that the chart could not be drawn when its package lacks the fonts', async () => {
    const packageDir = path.join(WORK, 'package-without-fonts');
    packageWorker(packageDir, bundle, { without: 'assets/fonts/**' });
    const before = slack.files.length;

    const result = await runWorker(packageDir);

    expect(JSON.parse(result)).toEqual({ outcome: 'done' });
    expect(slack.files.length).toBe(before);
    expect(slack.callsTo('chat.postMessage').at(-1)!.body.text).toBe(
      ':warning: I could not attach the chart image: drawing it failed; the details are in the logs',
    );
  }, 60_000);
});
