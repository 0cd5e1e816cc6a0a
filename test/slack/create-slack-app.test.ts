import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { createSlackApp } from '../../src/slack/create-slack-app.js';
import { recordingLogger, testConfig } from './support/harness.js';
import { createFakeRunner, fixedClock } from './support/report-fixture.js';

const base = { runner: createFakeRunner(), config: testConfig(), logger: recordingLogger(), clock: fixedClock };

describe('createSlackApp', () => {
  it('uses Socket Mode when an app-level token is given', () => {
    const handle = createSlackApp({ ...base, secrets: { slackAppToken: 'xapp-1-test', slackBotToken: 'xoxb-test' } });

    expect(handle.mode).toBe('socket');
  });

  it('uses HTTP with a signing secret and a bot token', () => {
    expect(createSlackApp({ ...base, secrets: { slackSigningSecret: 's', slackBotToken: 'xoxb-test' } }).mode).toBe(
      'http',
    );
  });

  it.each([
    ['the signing secret in HTTP mode', { slackBotToken: 'xoxb-test' }, 'SLACK_SIGNING_SECRET is not set.'],
    ['the bot token in HTTP mode', { slackSigningSecret: 's' }, 'SLACK_BOT_TOKEN is not set.'],
    ['the bot token in Socket Mode', { slackAppToken: 'xapp-1-test' }, 'SLACK_BOT_TOKEN is not set.'],
  ])('refuses to start without %s', (_label, secrets, message) => {
    const start = () => createSlackApp({ ...base, secrets });

    expect(start).toThrow(ConfigError);
    expect(start).toThrow(message);
  });
});
