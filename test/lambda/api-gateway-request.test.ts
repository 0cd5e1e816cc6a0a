import { describe, expect, it } from 'vitest';
import { isSslCheck, normalisedForBolt, readApiGatewayRequest } from '../../src/lambda/api-gateway-request.js';
import { apiGatewayEvent } from './support/lambda-events.js';

describe('readApiGatewayRequest', () => {
  it('decodes a base64 body as UTF-8, byte for byte as Slack signed it', () => {
    const body = 'text=prod_000_audio+05%3A41+AEST&user_name=Zo%C3%AB&note=caf\u00e9';
    const request = readApiGatewayRequest(apiGatewayEvent(body, { timestampSeconds: 1 }));

    expect(request.rawBody).toBe(body);
  });

  it('reads headers whatever their case', () => {
    const event = apiGatewayEvent('a=1', { timestampSeconds: 1781811900, headers: { 'X-Slack-Retry-Num': '1' } });

    const request = readApiGatewayRequest(event);

    expect([request.header('X-Slack-Request-Timestamp'), request.header('x-slack-retry-num')]).toEqual([
      '1781811900',
      '1',
    ]);
  });
});

describe('normalisedForBolt', () => {
  it('hands Bolt the decoded body and the bare form content type', () => {
    const event = apiGatewayEvent('a=1', {
      timestampSeconds: 1,
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    });

    const normalised = normalisedForBolt(event, readApiGatewayRequest(event));

    expect([normalised.body, normalised.isBase64Encoded, normalised.headers['content-type']]).toEqual([
      'a=1',
      false,
      'application/x-www-form-urlencoded',
    ]);
  });
});

describe('isSslCheck', () => {
  it('recognises Slack’s ssl_check=1 probe and nothing else', () => {
    const probe = (body: string) => isSslCheck(readApiGatewayRequest(apiGatewayEvent(body, { timestampSeconds: 1 })));

    expect([probe('ssl_check=1&token=x'), probe('ssl_check=0'), probe('text=ssl_check%3D1')]).toEqual([
      true,
      false,
      false,
    ]);
  });
});
