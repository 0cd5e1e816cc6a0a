/** The real Bolt HTTP receiver, started in-process on 127.0.0.1, talking to a fake Web API. */
import { type Config, ConfigSchema } from '../../../src/config.js';
import type { AppLogger } from '../../../src/slack/app-logger.js';
import {
  type CreateSlackAppOptions,
  createSlackApp,
  type SlackAppHandle,
} from '../../../src/slack/create-slack-app.js';
import { type FakeSlackApi, startFakeSlackApi } from './fake-slack-api.js';
import { createFakeRunner, type FakeRunner, type FakeRunnerOptions, fixedClock } from './report-fixture.js';
import { SIGNING_SECRET } from './slack-requests.js';

export interface LogLine {
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  fields?: Record<string, unknown>;
}

export function recordingLogger(): AppLogger & { lines: LogLine[] } {
  const lines: LogLine[] = [];
  const at = (level: LogLine['level']) => (message: string, fields?: Record<string, unknown>) =>
    void lines.push({ level, message, ...(fields ? { fields } : {}) });
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

export interface Harness {
  eventsUrl: string;
  api: FakeSlackApi;
  runner: FakeRunner;
  handle: SlackAppHandle;
  logger: ReturnType<typeof recordingLogger>;
  close(): Promise<void>;
}

export function testConfig(slack: Partial<Config['slack']> = {}): Config {
  return ConfigSchema.parse({ slack: { allowedChannels: [], ...slack } });
}

export async function startHarness(
  /** `api`: share another harness's Web API stand-in (a second server in front of the same Slack). */
  options: {
    runner?: FakeRunnerOptions;
    config?: Config;
    app?: Partial<CreateSlackAppOptions>;
    api?: FakeSlackApi;
  } = {},
): Promise<Harness> {
  const api = options.api ?? (await startFakeSlackApi());
  const runner = createFakeRunner(options.runner);
  const logger = recordingLogger();
  const handle = createSlackApp({
    runner,
    config: options.config ?? testConfig({ incidentChannel: 'C0INCIDENTS' }),
    secrets: { slackSigningSecret: SIGNING_SECRET, slackBotToken: 'xoxb-test-token' },
    logger,
    clock: fixedClock,
    slackApiUrl: api.apiUrl,
    ...options.app,
  });
  const { port } = await handle.start({ port: 0, host: '127.0.0.1' });
  return {
    eventsUrl: `http://127.0.0.1:${port}/slack/events`,
    api,
    runner,
    handle,
    logger,
    async close() {
      await handle.stop();
      if (!options.api) await api.close();
    },
  };
}
