/**
 * The HTTP server of `why502 serve`: POST /slack/events, checked here — signature in constant
 * time and a timestamp within five minutes of now in either direction — before Bolt's
 * HTTPReceiver routes it. Bolt's own check rejects only old timestamps, so a request signed
 * for next year would pass it (issue 10); this one is the same check the Lambda function makes.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { HTTPReceiver } from '@slack/bolt';
import type { Clock } from '../core/clock.js';
import type { AppLogger } from './app-logger.js';
import { isSslCheckBody, verifySlackSignature } from './verify-signature.js';

/** Slack's payloads are a few kB; a megabyte is generous and bounds what one request can hold. */
const MAX_BODY_BYTES = 1024 * 1024;

export interface VerifiedServerOptions {
  receiver: HTTPReceiver;
  signingSecret: string;
  path: string;
  /** The machine clock: Slack signs with real time, whatever "now" the investigations use. */
  clock: Pick<Clock, 'now'>;
  logger: AppLogger;
}

export function createVerifiedHttpServer(options: VerifiedServerOptions): Server {
  return createServer((req, res) => {
    handle(req, res, options).catch((error: unknown) => {
      options.logger.error('The HTTP server failed on a request', {
        error: error instanceof Error ? error.message : String(error),
      });
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
}

async function handle(req: IncomingMessage, res: ServerResponse, options: VerifiedServerOptions): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  if (req.method !== 'POST' || path !== options.path) {
    res.writeHead(404).end();
    return;
  }
  const body = await readBody(req);
  if (!body) {
    res.writeHead(413).end();
    return;
  }
  const rawBody = body.toString('utf8');
  if (isSslCheckBody(rawBody)) {
    res.writeHead(200).end();
    return;
  }
  const check = verifySlackSignature({
    signingSecret: options.signingSecret,
    rawBody,
    timestamp: header(req, 'x-slack-request-timestamp'),
    signature: header(req, 'x-slack-signature'),
    nowMs: options.clock.now().getTime(),
  });
  if (!check.ok) {
    options.logger.warn('Rejected a request that is not from Slack', { reason: check.reason });
    res.writeHead(401).end();
    return;
  }
  // Bolt reads a request whose body is already buffered in `rawBody` as it is.
  (req as IncomingMessage & { rawBody?: Buffer }).rawBody = body;
  options.receiver.requestListener(req, res);
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === 'string' ? value : undefined;
}

/** The body, or null when it is over the limit. */
async function readBody(req: IncomingMessage): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of req) {
    bytes += (chunk as Buffer).length;
    if (bytes > MAX_BODY_BYTES) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
