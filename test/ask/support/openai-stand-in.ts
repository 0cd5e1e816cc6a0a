/**
 * A loopback stand-in for the OpenAI Responses API (POST /v1/responses), reached through
 * OPENAI_BASE_URL as the SDK documents. It answers from a queue, as the API does: a completed
 * response with one assistant message, a refusal, or an error body with an HTTP status. Every
 * request body is kept for the test to read.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type StandInReply = { status: number; body: unknown };

export interface OpenAiStandIn {
  baseUrl: string;
  requests: Array<Record<string, unknown>>;
  reply(...replies: StandInReply[]): void;
  close(): Promise<void>;
}

export function textReply(text: string): StandInReply {
  return {
    status: 200,
    body: {
      id: 'resp_test',
      object: 'response',
      created_at: 1781811660,
      status: 'completed',
      model: 'gpt-test',
      output: [
        {
          type: 'message',
          id: 'msg_test',
          status: 'completed',
          role: 'assistant',
          content: [{ type: 'output_text', text, annotations: [] }],
        },
      ],
    },
  };
}

export function errorReply(status: number, message: string): StandInReply {
  return {
    status,
    body: {
      error: { message, type: status >= 500 ? 'server_error' : 'invalid_request_error', code: null, param: null },
    },
  };
}

export async function startOpenAiStandIn(): Promise<OpenAiStandIn> {
  const queue: StandInReply[] = [];
  const requests: Array<Record<string, unknown>> = [];
  const server: Server = createServer((request, response) => {
    let raw = '';
    request.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
    request.on('end', () => {
      if (request.method !== 'POST' || request.url !== '/v1/responses') {
        response
          .writeHead(404, { 'content-type': 'application/json' })
          .end(JSON.stringify({ error: { message: `no route ${request.url}` } }));
        return;
      }
      requests.push(JSON.parse(raw) as Record<string, unknown>);
      const next = queue.shift() ?? errorReply(500, 'the stand-in has no reply queued');
      response.writeHead(next.status, { 'content-type': 'application/json' }).end(JSON.stringify(next.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    reply: (...replies) => queue.push(...replies),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
