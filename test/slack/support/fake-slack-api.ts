/**
 * A local stand-in for Slack's Web API (reached through SLACK_API_URL) and for response_url,
 * on 127.0.0.1. It records every call and can be told to fail the next call of a method.
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

type Failure = { status: 429; retryAfterSeconds: number } | { error: string };

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

  const server: Server = createServer(async (req, res) => {
    const raw = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname.startsWith('/respond/')) {
      responses.push({ id: url.pathname.slice('/respond/'.length), body: JSON.parse(raw) as Record<string, unknown> });
      res.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok');
      return;
    }
    const method = url.pathname.replace(/^\/api\//, '');
    const body = parseApiBody(raw, req.headers['content-type'] ?? '');
    const call: RecordedCall = { method, body, atMs: performance.now() };
    calls.push(call);
    const failure = takeFailure(method, body);
    if (failure && 'status' in failure) {
      res.writeHead(429, { 'Retry-After': String(failure.retryAfterSeconds), 'Content-Type': 'application/json' }).end(JSON.stringify({ ok: false, error: 'ratelimited' }));
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
