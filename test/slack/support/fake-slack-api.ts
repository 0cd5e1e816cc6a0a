/**
 * A local stand-in for Slack's Web API (reached through SLACK_API_URL) and for response_url,
 * on 127.0.0.1. It records every call and can be told to fail the next call of a method the
 * ways Slack does: `ok: false` with an error code (HTTP 200), HTTP 429 with Retry-After, HTTP
 * 5xx, or an outage during which every request, response_url included, gets HTTP 503.
 *
 * Like Slack it refuses a message over its limits: more than 50 blocks (`invalid_blocks`),
 * more than ~9,000 characters of block text (`msg_blocks_too_long`, the size Slack was seen to
 * reject in issue 10; text counted as in "text" and "value" fields), more than 40,000
 * characters of `text` (`msg_too_long`).
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody } from '../../support/read-body.js';

export interface RecordedCall {
  method: string;
  body: Record<string, unknown>;
  atMs: number;
  /** What the fake answered (absent for failures). */
  result?: Record<string, unknown>;
}

export interface RecordedResponse {
  id: string;
  body: Record<string, unknown>;
}

type Failure = { status: 429; retryAfterSeconds: number } | { status: 500 | 502 | 503 } | { error: string };

/** The block text Slack was seen to reject, and its documented text and block limits. */
export const SLACK_OBSERVED_BLOCK_TEXT_LIMIT = 9_000;
const SLACK_TEXT_LIMIT = 40_000;
const SLACK_BLOCKS_LIMIT = 50;

export interface FakeSlackApi {
  apiUrl: string;
  responseUrl(id: string): string;
  calls: RecordedCall[];
  responses: RecordedResponse[];
  callsTo(method: string): RecordedCall[];
  /** The next `times` calls of `method` fail this way. */
  failNext(method: string, failure: Failure, times?: number): void;
  /** The next `times` calls of `method` whose body matches fail this way. */
  failWhen(method: string, matches: (body: Record<string, unknown>) => boolean, failure: Failure, times?: number): void;
  /** While this returns true, Slack is down: every request gets HTTP 503 (and is recorded as failed). */
  setOutage(isDown: () => boolean): void;
  /** Requests answered 503 during an outage. */
  refusedDuringOutage: number;
  close(): Promise<void>;
}

const JSON_FIELDS = new Set(['blocks', 'metadata', 'attachments']);

export async function startFakeSlackApi(): Promise<FakeSlackApi> {
  const calls: RecordedCall[] = [];
  const responses: RecordedResponse[] = [];
  const rules: Array<{ method: string; matches: (body: Record<string, unknown>) => boolean; failure: Failure; remaining: number }> = [];
  const takeFailure = (method: string, body: Record<string, unknown>): Failure | undefined => {
    const rule = rules.find((r) => r.remaining > 0 && r.method === method && r.matches(body));
    if (!rule) return undefined;
    rule.remaining -= 1;
    return rule.failure;
  };
  let nextTs = 1_750_275_660_000_100;
  let isDown = () => false;
  let refusedDuringOutage = 0;

  const server: Server = createServer(async (req, res) => {
    const raw = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (isDown()) {
      refusedDuringOutage += 1;
      res.writeHead(503, { 'Content-Type': 'text/html' }).end('<html><body>Slack is temporarily unavailable</body></html>');
      return;
    }
    if (url.pathname.startsWith('/respond/')) {
      responses.push({ id: url.pathname.slice('/respond/'.length), body: JSON.parse(raw) as Record<string, unknown> });
      res.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok');
      return;
    }
    const method = url.pathname.replace(/^\/api\//, '');
    const body = parseApiBody(raw, req.headers['content-type'] ?? '');
    const call: RecordedCall = { method, body, atMs: performance.now() };
    calls.push(call);
    const failure = takeFailure(method, body) ?? limitFailure(method, body);
    if (failure && 'retryAfterSeconds' in failure) {
      res.writeHead(429, { 'Retry-After': String(failure.retryAfterSeconds), 'Content-Type': 'application/json' }).end(JSON.stringify({ ok: false, error: 'ratelimited' }));
      return;
    }
    if (failure && 'status' in failure) {
      res.writeHead(failure.status, { 'Content-Type': 'text/html' }).end(`<html><body>${failure.status}</body></html>`);
      return;
    }
    if (failure) {
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ ok: false, error: failure.error }));
      return;
    }
    call.result = answer(method, body, () => formatTs(nextTs++));
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(call.result));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;

  return {
    apiUrl: `${base}/api/`,
    responseUrl: (id) => `${base}/respond/${id}`,
    calls,
    responses,
    callsTo: (method) => calls.filter((call) => call.method === method),
    failNext(method, failure, times = 1) {
      rules.push({ method, matches: () => true, failure, remaining: times });
    },
    failWhen(method, matches, failure, times = 1) {
      rules.push({ method, matches, failure, remaining: times });
    },
    setOutage(predicate) {
      isDown = predicate;
    },
    get refusedDuringOutage() {
      return refusedDuringOutage;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function answer(method: string, body: Record<string, unknown>, newTs: () => string): Record<string, unknown> {
  switch (method) {
    case 'chat.postMessage':
      return { ok: true, channel: body.channel, ts: newTs(), message: { text: body.text } };
    case 'chat.update':
      return { ok: true, channel: body.channel, ts: body.ts, text: body.text };
    case 'chat.getPermalink':
      return { ok: true, channel: body.channel, permalink: `https://example.slack.com/archives/${body.channel}/p${String(body.message_ts).replace('.', '')}` };
    default:
      return { ok: true };
  }
}

function limitFailure(method: string, body: Record<string, unknown>): Failure | undefined {
  if (method !== 'chat.postMessage' && method !== 'chat.update') return undefined;
  if (typeof body.text === 'string' && body.text.length > SLACK_TEXT_LIMIT) return { error: 'msg_too_long' };
  const blocks = Array.isArray(body.blocks) ? body.blocks : [];
  if (blocks.length > SLACK_BLOCKS_LIMIT) return { error: 'invalid_blocks' };
  if (blockTextCharacters(blocks) > SLACK_OBSERVED_BLOCK_TEXT_LIMIT) return { error: 'msg_blocks_too_long' };
  return undefined;
}

/** Characters in every "text" and "value" string of the blocks. */
export function blockTextCharacters(value: unknown, key?: string): number {
  if (typeof value === 'string') return key === 'text' || key === 'value' ? value.length : 0;
  if (Array.isArray(value)) return value.reduce((sum: number, item) => sum + blockTextCharacters(item), 0);
  if (value && typeof value === 'object') return Object.entries(value).reduce((sum, [k, v]) => sum + blockTextCharacters(v, k), 0);
  return 0;
}

/** 1750275660000100 → "1750275660.000100", the shape of a Slack message ts. */
function formatTs(n: number): string {
  const digits = String(n);
  return `${digits.slice(0, 10)}.${digits.slice(10)}`;
}

function parseApiBody(raw: string, contentType: string): Record<string, unknown> {
  if (contentType.includes('application/json')) return JSON.parse(raw) as Record<string, unknown>;
  const body: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) body[key] = JSON_FIELDS.has(key) ? JSON.parse(value) : value;
  return body;
}
