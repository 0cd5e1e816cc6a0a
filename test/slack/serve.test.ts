import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { type RunningServer, startServe } from '../../commands/serve.js';
import { DEMO_INCIDENT, DEMO_NOW, demoConfig } from '../../src/demo/demo-incident.js';
import { ConfigError, UsageError } from '../../src/errors.js';
import { writeIncidentLogs } from '../../src/simulate/write-incident-logs.js';
import { type FakeSlackApi, startFakeSlackApi } from './support/fake-slack-api.js';
import { recordingLogger } from './support/harness.js';
import { fixedClock } from './support/report-fixture.js';
import { postSigned, SIGNING_SECRET, slashCommandBody } from './support/slack-requests.js';

/**
 * `why502 serve` end to end: the real runner over the demo incident's log files (files mode
 * from why502.yml), the real Bolt receiver on 127.0.0.1, and a local Web API via SLACK_API_URL.
 */
const DIR = mkdtempSync(path.join(tmpdir(), 'why502-serve-'));
let configFile: string;
let api: FakeSlackApi;
let server: RunningServer | undefined;
const stderr: string[] = [];

beforeAll(async () => {
  await writeIncidentLogs(DEMO_INCIDENT, DIR);
  configFile = path.join(DIR, 'why502.yml');
  const config = demoConfig(path.join(DIR, 'alb'), path.join(DIR, 'haproxy'));
  writeFileSync(configFile, stringify({ ...config, slack: { incidentChannel: 'C0INCIDENTS', allowedChannels: [] } }));
  api = await startFakeSlackApi();
}, 60_000);

afterAll(async () => {
  await server?.handle.stop();
  await api.close();
});

function io(env: Record<string, string | undefined>) {
  return { env, stdout: { write: () => true }, stderr: { write: (text: string) => stderr.push(text) }, cwd: DIR };
}

const demoClock = { now: () => new Date(DEMO_NOW), sleep: fixedClock.sleep };

describe('why502 serve', () => {
  it('answers a signed /why502 with the parent, the threaded verdict with metadata and chart, the threaded draft, and the chart image', async () => {
    server = await startServe(
      { config: configFile },
      io({ SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_API_URL: api.apiUrl }),
      { clock: demoClock, logger: recordingLogger(), listen: { port: 0, host: '127.0.0.1' } },
    );

    const ack = await postSigned(
      `http://127.0.0.1:${server.port}/slack/events`,
      slashCommandBody({ text: 'prod_000_audio 05:41 AEST', responseUrl: api.responseUrl('cmd') }),
    );
    await server.handle.whenIdle();

    expect(ack.status).toBe(200);
    expect(api.calls.map((c) => [c.method, c.body.thread_ts ? 'thread' : 'channel'])).toEqual([
      ['chat.postMessage', 'channel'],
      ['chat.postMessage', 'thread'],
      ['chat.postMessage', 'thread'],
      ['chat.update', 'channel'],
      ['files.getUploadURLExternal', 'channel'],
      ['files.completeUploadExternal', 'thread'],
    ]);
    expect((api.calls[1]!.body.blocks as Array<{ type: string }>).map((b) => b.type)).toContain('data_visualization');
    expect(api.files.map((f) => [f.filename, f.bytes?.length === f.declaredLength, f.shared?.threadTs])).toEqual([
      ['why502-prod_000_audio-0541-AEST.png', true, api.calls[0]!.result!.ts],
    ]);
    expect(api.calls[1]!.body.metadata).toEqual({
      event_type: 'why502_verdict',
      event_payload: {
        index: 'prod_000_audio',
        at: '2026-06-18T19:41:00Z',
        verdict_kind: 'throttling_429',
        confidence: expect.any(String),
        window_start: '2026-06-18T18:11:00Z',
        window_end: '2026-06-18T21:11:00Z',
        headline: expect.any(String),
        zone: 'AEST',
      },
    });
    expect(api.calls[2]!.body.text).toMatch(/^Customer draft \(written from the template\):\n/);
    expect(stderr.join('')).toContain(
      `why502 serve: listening on port ${server.port} at POST /slack/events (config ${configFile}).`,
    );
  });

  it('refuses to start without the Slack secrets, naming them', async () => {
    const starting = startServe({ config: configFile }, io({}), {
      clock: demoClock,
      logger: recordingLogger(),
      listen: { port: 0, host: '127.0.0.1' },
    });

    await expect(starting).rejects.toBeInstanceOf(ConfigError);
    await expect(starting).rejects.toMatchObject({
      message: 'SLACK_SIGNING_SECRET is not set.',
      hint: 'The Slack app needs SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN (or SLACK_APP_TOKEN for Socket Mode) in the environment; see docs/slack.md.',
    });
  });

  it('refuses to start without an evidence source', async () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'why502-serve-empty-'));

    await expect(
      startServe(
        {},
        { ...io({ SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_BOT_TOKEN: 'xoxb-test-token' }), cwd: empty },
        { clock: demoClock, logger: recordingLogger() },
      ),
    ).rejects.toThrow(UsageError);
  });
});
