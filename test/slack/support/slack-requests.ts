/** Slack-shaped requests, signed as Slack signs them (HMAC-SHA256 v0, domain.md §8.4). */
import { createHmac } from 'node:crypto';

export const SIGNING_SECRET = 'test-signing-secret-8f14e45fceea167a';

export function signSlackBody(body: string, timestampSeconds: number, secret = SIGNING_SECRET): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestampSeconds}:${body}`).digest('hex')}`;
}

export function nowSeconds(): number {
  // Signatures are checked against the real clock by Bolt, so requests are signed with it.
  return Math.floor(Date.now() / 1000);
}

export interface SlashCommandFields {
  text: string;
  channelId?: string;
  userId?: string;
  triggerId?: string;
  responseUrl: string;
}

export function slashCommandBody(fields: SlashCommandFields): string {
  return new URLSearchParams({
    token: 'deprecated-verification-token',
    team_id: 'T0TEAM',
    team_domain: 'example',
    channel_id: fields.channelId ?? 'C0ONCALL',
    channel_name: 'oncall',
    user_id: fields.userId ?? 'U0ONCALL',
    user_name: 'oncall',
    command: '/why502',
    text: fields.text,
    api_app_id: 'A0WHY502',
    is_enterprise_install: 'false',
    response_url: fields.responseUrl,
    trigger_id: fields.triggerId ?? `trigger-${Math.random().toString(36).slice(2)}`,
  }).toString();
}

export function blockActionBody(payload: Record<string, unknown>): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

export interface SignedPostResult {
  status: number;
  text: string;
  ms: number;
}

export async function postSigned(
  url: string,
  body: string,
  options: { timestampSeconds?: number; secret?: string; signature?: string; headers?: Record<string, string> } = {},
): Promise<SignedPostResult> {
  const timestamp = options.timestampSeconds ?? nowSeconds();
  const started = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      'X-Slack-Request-Timestamp': String(timestamp),
      'X-Slack-Signature': options.signature ?? signSlackBody(body, timestamp, options.secret),
      ...options.headers,
    },
    body,
  });
  const text = await response.text();
  return { status: response.status, text, ms: performance.now() - started };
}
