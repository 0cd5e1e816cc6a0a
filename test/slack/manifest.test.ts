import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

interface Manifest {
  oauth_config: { scopes: { bot: string[] } };
  features: { slash_commands: Array<{ url: string }> };
  settings: {
    event_subscriptions: { request_url: string; bot_events: string[] };
    interactivity: { request_url: string };
  };
}

const manifest = parse(readFileSync(new URL('../../manifest.yml', import.meta.url), 'utf8')) as Manifest;

describe('manifest.yml', () => {
  it('asks for the scopes the app uses and no others', () => {
    // commands: /why502 · chat:write: the thread, follow-up answers, the summary, the catch-up
    // (chat.postEphemeral) · chat:write.public: the incident channel without an invitation ·
    // files:write: the chart image · app_mentions:read: `@why502 …` in a verdict thread ·
    // channels:history and groups:history: the summary and catch-up read the channel's verdicts
    // (conversations.history with include_all_metadata), and an expired thread's first message,
    // in public and private channels.
    expect(manifest.oauth_config.scopes.bot).toEqual([
      'commands',
      'chat:write',
      'chat:write.public',
      'files:write',
      'app_mentions:read',
      'channels:history',
      'groups:history',
    ]);
  });

  it('subscribes the bot to app_mention alone, on the same Request URL as the command and the buttons', () => {
    const url = manifest.features.slash_commands[0]!.url;

    expect(manifest.settings.event_subscriptions).toEqual({ request_url: url, bot_events: ['app_mention'] });
    expect(manifest.settings.interactivity.request_url).toBe(url);
    expect(url).toMatch(/\/slack\/events$/);
  });
});
