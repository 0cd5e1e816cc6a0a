/** Real-shaped Lambda inputs: API Gateway HTTP API (payload 2.0) events and a Lambda context. */
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { signSlackBody } from '../../slack/support/slack-requests.js';

export function apiGatewayEvent(
  body: string,
  options: { timestampSeconds: number; signature?: string; headers?: Record<string, string>; base64?: boolean },
): APIGatewayProxyEventV2 {
  const timeEpoch = options.timestampSeconds * 1000;
  const base64 = options.base64 ?? true;
  return {
    version: '2.0',
    routeKey: 'POST /slack/events',
    rawPath: '/slack/events',
    rawQueryString: '',
    headers: {
      accept: 'application/json,*/*',
      'accept-encoding': 'gzip,deflate',
      'content-length': String(Buffer.byteLength(body)),
      'content-type': 'application/x-www-form-urlencoded',
      host: 'a1b2c3d4e5.execute-api.ap-southeast-2.amazonaws.com',
      'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
      'x-amzn-trace-id': 'Root=1-6853164c-0123456789abcdef01234567',
      'x-forwarded-for': '3.238.0.10',
      'x-forwarded-port': '443',
      'x-forwarded-proto': 'https',
      'x-slack-request-timestamp': String(options.timestampSeconds),
      'x-slack-signature': options.signature ?? signSlackBody(body, options.timestampSeconds),
      ...options.headers,
    },
    requestContext: {
      accountId: '123456789012',
      apiId: 'a1b2c3d4e5',
      domainName: 'a1b2c3d4e5.execute-api.ap-southeast-2.amazonaws.com',
      domainPrefix: 'a1b2c3d4e5',
      http: {
        method: 'POST',
        path: '/slack/events',
        protocol: 'HTTP/1.1',
        sourceIp: '3.238.0.10',
        userAgent: 'Slackbot 1.0 (+https://api.slack.com/robots)',
      },
      requestId: 'mNw3ZgxkywMEJrQ=',
      routeKey: 'POST /slack/events',
      stage: '$default',
      time: '18/Jun/2026:19:45:00 +0000',
      timeEpoch,
    },
    body: base64 ? Buffer.from(body, 'utf8').toString('base64') : body,
    isBase64Encoded: base64,
  };
}

export function lambdaContext(functionName: string, remainingMs = 60_000): Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:ap-southeast-2:123456789012:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: '2026/06/18/[$LATEST]abcdef0123456789',
    getRemainingTimeInMillis: () => remainingMs,
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}
