/**
 * An API Gateway HTTP API (payload 2.0) request as the Slack handler needs it: the raw body
 * exactly as Slack sent it (signatures are over raw bytes), and headers by lower-case name.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { isSslCheckBody } from '../slack/verify-signature.js';

export interface SlackHttpRequest {
  rawBody: string;
  header(name: string): string | undefined;
}

export function readApiGatewayRequest(event: APIGatewayProxyEventV2): SlackHttpRequest {
  const headers = new Map<string, string>();
  for (const [name, value] of Object.entries(event.headers ?? {}))
    if (value !== undefined) headers.set(name.toLowerCase(), value);
  // HTTP APIs base64-encode form bodies; decode as UTF-8 (Bolt's own decoder uses ASCII).
  const rawBody =
    event.body === undefined || event.body === null
      ? ''
      : event.isBase64Encoded
        ? Buffer.from(event.body, 'base64').toString('utf8')
        : event.body;
  return { rawBody, header: (name) => headers.get(name.toLowerCase()) };
}

/**
 * The same event with its body decoded and its content type reduced to the bare media type:
 * Bolt's AwsLambdaReceiver compares `Content-Type` to exactly
 * "application/x-www-form-urlencoded" and would try to parse a "; charset=…" form as JSON.
 */
export function normalisedForBolt(event: APIGatewayProxyEventV2, request: SlackHttpRequest): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(event.headers ?? {}))
    if (value !== undefined) headers[name.toLowerCase()] = value;
  const contentType = request.header('content-type');
  if (contentType) headers['content-type'] = contentType.split(';')[0]!.trim().toLowerCase();
  return { ...event, headers, body: request.rawBody, isBase64Encoded: false };
}

/** Slack's ssl_check probe (slash commands): answered 200 without verification, as Bolt does. */
export function isSslCheck(request: SlackHttpRequest): boolean {
  return isSslCheckBody(request.rawBody);
}
