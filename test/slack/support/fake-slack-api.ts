/**
 * A local stand-in for Slack's Web API (reached through SLACK_API_URL) and for response_url,
 * on 127.0.0.1. It records every call and can be told to fail the next call of a method the
 * ways Slack does: `ok: false` with an error code (HTTP 200), HTTP 429 with Retry-After, HTTP
 * 5xx, or an outage during which every request, response_url included, gets HTTP 503.
 *
 * Like Slack it refuses a message over its limits: more than 50 blocks (`invalid_blocks`),
 * more than ~9,000 characters of block text (`msg_blocks_too_long`, the size Slack was seen to
 * reject in issue 10; text counted as in "text" and "value" fields, and all of a chart block),
 * more than 40,000 characters of `text` (`msg_too_long`). It refuses, with `invalid_blocks` and
 * the `errors` list Slack adds, a block type the workspace does not have (`withoutBlockTypes`:
 * the data_visualization block is on a phased rollout), more than one table, a table over 100
 * rows or 20 cells a row, and a chart block outside the reference's limits (title ≤ 50
 * characters, 1–6 series with unique names ≤ 20, ≤ 20 categories of ≤ 20 characters, one point
 * per category with its label, axis titles ≤ 50).
 *
 * Messages are kept as Slack keeps them: chat.postMessage stores a message (a reply when it
 * has thread_ts), chat.update changes one — `message_not_found` for a ts the channel does not
 * hold — and conversations.history returns a channel's top-level messages newest first, in
 * pages of `limit` (default 100) followed by `response_metadata.next_cursor` while `has_more`,
 * bounded by `latest` / `oldest` (exclusive unless `inclusive`), and with each message's
 * `metadata` only when asked with `include_all_metadata`. Thread replies are not in it, as in
 * Slack. chat.postEphemeral is recorded (never stored: ephemeral messages are not in history).
 * Tests seed a channel with other people's and apps' messages (`seedMessages`).
 *
 * File sharing, as Slack documents the current flow: `files.getUploadURLExternal` (filename,
 * length; alt_text) answers an `upload_url` on a path of its own and a `file_id`; a POST of the
 * bytes to that URL (raw or multipart) answers HTTP 200 "OK - <bytes>"; then
 * `files.completeUploadExternal` (files: [{ id, title }], channel_id, thread_ts) shares it.
 * The upload URL fails on demand as the method `upload` (`failNext('upload', { status: 500 })`).
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

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

/** A file as the stand-in saw it: asked for, its bytes posted, shared (or not yet). */
export interface RecordedFile {
  id: string;
  filename: string;
  /** The `length` given to files.getUploadURLExternal. */
  declaredLength: number;
  altText?: string;
  /** The bytes POSTed to the upload URL, and how they were sent. */
  bytes?: Uint8Array;
  contentType?: string;
  /** Set by files.completeUploadExternal. */
  shared?: { channelId?: string; threadTs?: string; title?: string };
}

type Failure = { status: 429; retryAfterSeconds: number } | { status: 500 | 502 | 503 } | { error: string };
type BlockFailure = { error: 'invalid_blocks'; errors: string[] };
const isBlockFailure = (failure: Failure | BlockFailure): failure is BlockFailure => 'errors' in failure;

/** The block text Slack was seen to reject, and its documented text and block limits. */
export const SLACK_OBSERVED_BLOCK_TEXT_LIMIT = 9_000;
const SLACK_TEXT_LIMIT = 40_000;
const SLACK_BLOCKS_LIMIT = 50;

/** A message as the stand-in keeps it. */
export interface StoredMessage {
  ts: string;
  text: string;
  blocks?: unknown[];
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
  /** A person's message; absent on the bot's own. */
  user?: string;
  /** Set on the bot's own messages. */
  bot_id?: string;
  /** Set on replies: the parent's ts. */
  thread_ts?: string;
}

/** The bot the stand-in posts as (what auth.test would say). */
export const FAKE_BOT = { userId: 'U0WHY502BOT', botId: 'B0WHY502' } as const;

export interface FakeSlackApi {
  apiUrl: string;
  /** Top-level messages of a channel, oldest first. */
  messagesIn(channel: string): StoredMessage[];
  /** Replies in a thread, oldest first. */
  repliesIn(channel: string, threadTs: string): StoredMessage[];
  /** Adds messages to a channel as if posted earlier (by people, other apps, an older why502). */
  seedMessages(channel: string, messages: StoredMessage[]): void;
  /** Someone deleted a message. */
  deleteMessage(channel: string, ts: string): void;
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
  /** From now on, a message with a block of one of these types is refused as `invalid_blocks` (a workspace without the feature). */
  withoutBlockTypes(...types: string[]): void;
  /** Files by id, in the order they were asked for. */
  files: RecordedFile[];
  close(): Promise<void>;
}

const JSON_FIELDS = new Set(['blocks', 'metadata', 'attachments', 'files']);

/** `firstTs`: the ts of the first message posted, in seconds (default 1750275660, 18 Jun 2025 19:41 UTC); each next one is 1 µs later. */
export async function startFakeSlackApi(options: { firstTs?: number } = {}): Promise<FakeSlackApi> {
  const calls: RecordedCall[] = [];
  const responses: RecordedResponse[] = [];
  const rules: Array<{
    method: string;
    matches: (body: Record<string, unknown>) => boolean;
    failure: Failure;
    remaining: number;
  }> = [];
  const takeFailure = (method: string, body: Record<string, unknown>): Failure | undefined => {
    const rule = rules.find((r) => r.remaining > 0 && r.method === method && r.matches(body));
    if (!rule) return undefined;
    rule.remaining -= 1;
    return rule.failure;
  };
  let nextTs = options.firstTs === undefined ? 1_750_275_660_000_100 : options.firstTs * 1_000_000 + 100;
  const channels = new Map<string, StoredMessage[]>();
  const inChannel = (channel: string) => {
    let list = channels.get(channel);
    if (!list) {
      list = [];
      channels.set(channel, list);
    }
    return list;
  };
  let isDown = () => false;
  let refusedDuringOutage = 0;
  const missingBlockTypes = new Set<string>();
  const files: RecordedFile[] = [];
  let base = '';

  const server: Server = createServer(async (req, res) => {
    const rawBytes = await readRawBody(req);
    const raw = rawBytes.toString('utf8');
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (isDown()) {
      refusedDuringOutage += 1;
      res
        .writeHead(503, { 'Content-Type': 'text/html' })
        .end('<html><body>Slack is temporarily unavailable</body></html>');
      return;
    }
    if (url.pathname.startsWith('/respond/')) {
      responses.push({ id: url.pathname.slice('/respond/'.length), body: JSON.parse(raw) as Record<string, unknown> });
      res.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok');
      return;
    }
    if (url.pathname.startsWith('/upload/v1/')) {
      const file = files.find((f) => f.id === url.pathname.slice('/upload/v1/'.length));
      const failure = takeFailure('upload', {});
      if (!file || req.method !== 'POST') {
        res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
        return;
      }
      if (failure && 'status' in failure) {
        res
          .writeHead(failure.status, { 'Content-Type': 'text/html' })
          .end(`<html><body>${failure.status}</body></html>`);
        return;
      }
      const contentType = req.headers['content-type'] ?? '';
      file.bytes = await uploadedBytes(rawBytes, contentType);
      file.contentType = contentType;
      res.writeHead(200, { 'Content-Type': 'text/plain' }).end(`OK - ${file.bytes.length}`);
      return;
    }
    const method = url.pathname.replace(/^\/api\//, '');
    const body = parseApiBody(raw, req.headers['content-type'] ?? '');
    const call: RecordedCall = { method, body, atMs: performance.now() };
    calls.push(call);
    const failure: Failure | BlockFailure | undefined =
      takeFailure(method, body) ?? limitFailure(method, body, missingBlockTypes);
    if (failure && isBlockFailure(failure)) {
      const messages = failure.errors.map((e) => `[ERROR] ${e}`);
      res
        .writeHead(200, { 'Content-Type': 'application/json' })
        .end(
          JSON.stringify({ ok: false, error: failure.error, errors: failure.errors, response_metadata: { messages } }),
        );
      return;
    }
    if (failure && 'retryAfterSeconds' in failure) {
      res
        .writeHead(429, { 'Retry-After': String(failure.retryAfterSeconds), 'Content-Type': 'application/json' })
        .end(JSON.stringify({ ok: false, error: 'ratelimited' }));
      return;
    }
    if (failure && 'status' in failure) {
      res.writeHead(failure.status, { 'Content-Type': 'text/html' }).end(`<html><body>${failure.status}</body></html>`);
      return;
    }
    if (failure) {
      res
        .writeHead(200, { 'Content-Type': 'application/json' })
        .end(JSON.stringify({ ok: false, error: failure.error }));
      return;
    }
    if (method === 'files.getUploadURLExternal' || method === 'files.completeUploadExternal') {
      const answered = fileMethod(method, body, files, base);
      if (answered.ok) call.result = answered;
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(answered));
      return;
    }
    const answered = answer(method, body, () => formatTs(nextTs++), inChannel);
    if (answered.ok) call.result = answered;
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(answered));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  base = `http://127.0.0.1:${port}`;

  return {
    apiUrl: `${base}/api/`,
    messagesIn: (channel) => inChannel(channel).filter((m) => !m.thread_ts || m.thread_ts === m.ts),
    repliesIn: (channel, threadTs) => inChannel(channel).filter((m) => m.thread_ts === threadTs && m.ts !== threadTs),
    deleteMessage(channel, ts) {
      const list = inChannel(channel);
      const at = list.findIndex((m) => m.ts === ts);
      if (at >= 0) list.splice(at, 1);
    },
    seedMessages(channel, messages) {
      inChannel(channel).push(...messages.map((m) => structuredClone(m)));
      inChannel(channel).sort((a, b) => Number(a.ts) - Number(b.ts));
    },
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
    withoutBlockTypes(...types) {
      for (const type of types) missingBlockTypes.add(type);
    },
    files,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function answer(
  method: string,
  body: Record<string, unknown>,
  newTs: () => string,
  inChannel: (channel: string) => StoredMessage[],
): Record<string, unknown> {
  switch (method) {
    case 'chat.postMessage': {
      // A ts is unique in a channel, seeded messages included.
      let ts = newTs();
      while (inChannel(String(body.channel)).some((m) => m.ts === ts)) ts = newTs();
      const message = storedFrom(body, ts);
      inChannel(String(body.channel)).push(message);
      return { ok: true, channel: body.channel, ts, message: { type: 'message', ...message } };
    }
    case 'chat.update': {
      const message = inChannel(String(body.channel)).find((m) => m.ts === body.ts);
      if (!message) return { ok: false, error: 'message_not_found' };
      if (message.bot_id !== FAKE_BOT.botId) return { ok: false, error: 'cant_update_message' };
      message.text = String(body.text ?? '');
      if (Array.isArray(body.blocks)) message.blocks = body.blocks;
      if (body.metadata) message.metadata = body.metadata as StoredMessage['metadata'];
      return { ok: true, channel: body.channel, ts: body.ts, text: body.text };
    }
    case 'chat.postEphemeral':
      return { ok: true, message_ts: newTs() };
    case 'conversations.history':
      return historyPage(inChannel(String(body.channel)), body);
    case 'chat.getPermalink':
      return {
        ok: true,
        channel: body.channel,
        permalink: `https://example.slack.com/archives/${body.channel}/p${String(body.message_ts).replace('.', '')}`,
      };
    default:
      return { ok: true };
  }
}

function storedFrom(body: Record<string, unknown>, ts: string): StoredMessage {
  return {
    ts,
    text: String(body.text ?? ''),
    ...(Array.isArray(body.blocks) ? { blocks: body.blocks } : {}),
    ...(body.metadata ? { metadata: body.metadata as StoredMessage['metadata'] } : {}),
    bot_id: FAKE_BOT.botId,
    ...(typeof body.thread_ts === 'string' ? { thread_ts: body.thread_ts } : {}),
  };
}

/**
 * conversations.history as documented: top-level messages (and thread parents, with reply_count),
 * newest first, `latest`/`oldest` exclusive unless `inclusive`, `limit` (default 100) a page, an
 * opaque cursor while `has_more`; metadata only with include_all_metadata.
 */
function historyPage(all: StoredMessage[], body: Record<string, unknown>): Record<string, unknown> {
  const inclusive = body.inclusive === true || body.inclusive === 'true' || body.inclusive === '1';
  const latest = body.latest === undefined ? Infinity : Number(body.latest);
  const oldest = body.oldest === undefined ? -Infinity : Number(body.oldest);
  const withMetadata = body.include_all_metadata === true || body.include_all_metadata === 'true';
  const inRange = (ts: number) => (inclusive ? ts <= latest && ts >= oldest : ts < latest && ts > oldest);
  const topLevel = all
    .filter((m) => (!m.thread_ts || m.thread_ts === m.ts) && inRange(Number(m.ts)))
    .sort((a, b) => Number(b.ts) - Number(a.ts));
  const limit = body.limit === undefined ? 100 : Math.max(1, Math.min(999, Number(body.limit)));
  const offset =
    typeof body.cursor === 'string' && body.cursor !== ''
      ? Number(
          Buffer.from(body.cursor, 'base64')
            .toString('utf8')
            .replace(/^next_offset:/, ''),
        )
      : 0;
  const page = topLevel.slice(offset, offset + limit);
  const hasMore = offset + limit < topLevel.length;
  const replies = (ts: string) => all.filter((m) => m.thread_ts === ts && m.ts !== ts).length;
  return {
    ok: true,
    messages: page.map((m) => {
      const { metadata, thread_ts: _threadTs, ...rest } = m;
      const count = replies(m.ts);
      return {
        type: 'message',
        ...rest,
        ...(count > 0 ? { thread_ts: m.ts, reply_count: count } : {}),
        ...(withMetadata && metadata ? { metadata } : {}),
      };
    }),
    has_more: hasMore,
    pin_count: 0,
    response_metadata: { next_cursor: hasMore ? Buffer.from(`next_offset:${offset + limit}`).toString('base64') : '' },
  };
}

function limitFailure(
  method: string,
  body: Record<string, unknown>,
  missingBlockTypes: ReadonlySet<string>,
): Failure | BlockFailure | undefined {
  if (method !== 'chat.postMessage' && method !== 'chat.update') return undefined;
  if (typeof body.text === 'string' && body.text.length > SLACK_TEXT_LIMIT) return { error: 'msg_too_long' };
  const blocks = (Array.isArray(body.blocks) ? body.blocks : []) as Array<Record<string, unknown>>;
  if (blocks.length > SLACK_BLOCKS_LIMIT) return { error: 'invalid_blocks' };
  const errors = blocks.flatMap((block, i) => blockErrors(block, `/blocks/${i}`, missingBlockTypes));
  if (blocks.filter((b) => b.type === 'table').length > 1)
    errors.push('only one table block is allowed in a message [json-pointer:/blocks]');
  if (errors.length > 0) return { error: 'invalid_blocks', errors };
  if (blockTextCharacters(blocks) > SLACK_OBSERVED_BLOCK_TEXT_LIMIT) return { error: 'msg_blocks_too_long' };
  return undefined;
}

/** What Slack would say is wrong with one block (the "errors" of an invalid_blocks answer). */
function blockErrors(
  block: Record<string, unknown>,
  pointer: string,
  missingBlockTypes: ReadonlySet<string>,
): string[] {
  if (typeof block.type === 'string' && missingBlockTypes.has(block.type))
    return [`unsupported type: ${block.type} [json-pointer:${pointer}/type]`];
  if (block.type === 'table') return tableErrors(block, pointer);
  if (block.type === 'data_visualization') return chartErrors(block, pointer);
  return [];
}

function tableErrors(block: Record<string, unknown>, pointer: string): string[] {
  const rows = Array.isArray(block.rows) ? (block.rows as unknown[][]) : [];
  const errors: string[] = [];
  if (rows.length === 0 || rows.length > 100) errors.push(`must have 1 to 100 rows [json-pointer:${pointer}/rows]`);
  rows.forEach((row, i) => {
    if (!Array.isArray(row) || row.length === 0 || row.length > 20)
      errors.push(`must have 1 to 20 cells [json-pointer:${pointer}/rows/${i}]`);
  });
  return errors;
}

/** The data_visualization reference's limits, written here independently of the code under test. */
function chartErrors(block: Record<string, unknown>, pointer: string): string[] {
  const errors: string[] = [];
  const fail = (what: string, at: string) => errors.push(`${what} [json-pointer:${pointer}${at}]`);
  const title = block.title;
  if (typeof title !== 'string' || title.length === 0 || title.length > 50)
    fail('title must be 1 to 50 characters', '/title');
  const chart = (block.chart ?? {}) as {
    type?: unknown;
    series?: unknown;
    axis_config?: { categories?: unknown; x_label?: unknown; y_label?: unknown };
  };
  if (!['line', 'bar', 'area', 'pie'].includes(String(chart.type))) fail('unknown chart type', '/chart/type');
  const series = Array.isArray(chart.series) ? (chart.series as Array<{ name?: unknown; data?: unknown }>) : [];
  const categories = Array.isArray(chart.axis_config?.categories) ? (chart.axis_config.categories as unknown[]) : [];
  if (series.length < 1 || series.length > 6) fail('must have 1 to 6 series', '/chart/series');
  if (new Set(series.map((s) => s.name)).size !== series.length) fail('series names must be unique', '/chart/series');
  if (categories.length < 1 || categories.length > 20)
    fail('must have 1 to 20 categories', '/chart/axis_config/categories');
  categories.forEach((c, i) => {
    if (typeof c !== 'string' || c.length === 0 || c.length > 20)
      fail('category must be 1 to 20 characters', `/chart/axis_config/categories/${i}`);
  });
  for (const label of ['x_label', 'y_label'] as const) {
    const text = chart.axis_config?.[label];
    if (text !== undefined && (typeof text !== 'string' || text.length > 50))
      fail(`${label} must be at most 50 characters`, `/chart/axis_config/${label}`);
  }
  series.forEach((s, i) => {
    if (typeof s.name !== 'string' || s.name.length === 0 || s.name.length > 20)
      fail('series name must be 1 to 20 characters', `/chart/series/${i}/name`);
    const data = Array.isArray(s.data) ? (s.data as Array<{ label?: unknown; value?: unknown }>) : [];
    if (data.length !== categories.length) fail('must have one data point per category', `/chart/series/${i}/data`);
    data.forEach((point, j) => {
      if (point.label !== categories[j])
        fail('data point label must match its category', `/chart/series/${i}/data/${j}/label`);
      if (typeof point.value !== 'number' || !Number.isFinite(point.value))
        fail('data point value must be a number', `/chart/series/${i}/data/${j}/value`);
    });
  });
  return errors;
}

/**
 * Characters in every "text" and "value" string of the blocks, and in all of a chart block
 * (its strings and the digits of its numbers): how Slack counts a chart is not documented.
 */
export function blockTextCharacters(value: unknown, key?: string): number {
  if (
    value &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    (value as { type?: unknown }).type === 'data_visualization'
  )
    return chartCharacters(value);
  if (typeof value === 'string') return key === 'text' || key === 'value' ? value.length : 0;
  if (Array.isArray(value)) return value.reduce((sum: number, item) => sum + blockTextCharacters(item), 0);
  if (value && typeof value === 'object')
    return Object.entries(value).reduce((sum, [k, v]) => sum + blockTextCharacters(v, k), 0);
  return 0;
}

function chartCharacters(value: unknown, key?: string): number {
  if (key === 'type' || key === 'block_id') return 0;
  if (typeof value === 'string' || typeof value === 'number') return String(value).length;
  if (Array.isArray(value)) return value.reduce((sum: number, item) => sum + chartCharacters(item), 0);
  if (value && typeof value === 'object')
    return Object.entries(value).reduce((sum, [k, v]) => sum + chartCharacters(v, k), 0);
  return 0;
}

/**
 * files.getUploadURLExternal and files.completeUploadExternal; `ok: false` for arguments Slack
 * would refuse. What Slack answers for a file whose bytes never arrived is not spelled out on
 * the method pages; `file_not_found` stands in for it.
 */
function fileMethod(
  method: string,
  body: Record<string, unknown>,
  files: RecordedFile[],
  base: string,
): Record<string, unknown> {
  if (method === 'files.getUploadURLExternal') {
    const length = Number(body.length);
    // The method page: missing_argument "typically only occurs when the length provided is 0"; alt_txt_too_large over 1,000 characters.
    if (typeof body.filename !== 'string' || body.filename === '' || !Number.isInteger(length) || length <= 0)
      return { ok: false, error: 'missing_argument' };
    const altText = body.alt_text ?? body.alt_txt;
    if (typeof altText === 'string' && altText.length > 1000) return { ok: false, error: 'alt_txt_too_large' };
    const id = `F0${String(files.length + 1).padStart(9, '0')}`;
    files.push({
      id,
      filename: body.filename,
      declaredLength: length,
      ...(typeof altText === 'string' ? { altText } : {}),
    });
    return { ok: true, upload_url: `${base}/upload/v1/${id}`, file_id: id };
  }
  const wanted = Array.isArray(body.files) ? (body.files as Array<{ id?: unknown; title?: unknown }>) : [];
  if (wanted.length === 0) return { ok: false, error: 'missing_argument' };
  const found = wanted.map((w) => ({ want: w, file: files.find((f) => f.id === w.id && f.bytes !== undefined) }));
  if (found.some((f) => !f.file)) return { ok: false, error: 'file_not_found' };
  for (const { want, file } of found) {
    file!.shared = {
      ...(typeof body.channel_id === 'string' ? { channelId: body.channel_id } : {}),
      ...(typeof body.thread_ts === 'string' ? { threadTs: body.thread_ts } : {}),
      ...(typeof want.title === 'string' ? { title: want.title } : {}),
    };
  }
  return {
    ok: true,
    files: found.map(({ want, file }) => ({
      id: file!.id,
      title: typeof want.title === 'string' ? want.title : file!.filename,
    })),
  };
}

/** The file's bytes from an upload POST: the body itself, or the file part of a multipart form. */
async function uploadedBytes(raw: Buffer, contentType: string): Promise<Uint8Array> {
  if (!contentType.startsWith('multipart/form-data')) return new Uint8Array(raw);
  const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
  for (const value of form.values()) {
    if (typeof value !== 'string') return new Uint8Array(await value.arrayBuffer());
  }
  return new Uint8Array();
}

function readRawBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
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
