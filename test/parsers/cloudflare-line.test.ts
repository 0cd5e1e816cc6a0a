import { describe, expect, it } from 'vitest';
import { createEdgeLineParser } from '../../src/parsers/edge-line.js';
import type { EdgeLine, EdgeRecord } from '../../src/parsers/edge-record.js';
import { classification, fixtureLines } from './support/fixtures.js';

// Entries with the fields of Cloudflare's http_requests dataset; see test/fixtures/logs/SOURCES.md.
function parseFile(relativePath: string): EdgeLine[] {
  const parse = createEdgeLineParser();
  return fixtureLines(relativePath).map((line) => parse(line));
}

function cloudflareRecord(overrides: Partial<EdgeRecord>): EdgeRecord {
  return {
    kind: 'cloudflare',
    timeMs: Date.parse('2026-08-21T13:15:20.316Z'),
    totalMs: 5,
    status: '502',
    originStatus: '502',
    originMs: 4,
    detail: 'dynamic',
    method: 'GET',
    host: 'shop.example.com',
    path: '/api/v1/orders',
    edgeLocation: 'SEA',
    requestId: '8b00000000000006',
    answeredBy: 'server',
    upstreamFailure: null,
    ...overrides,
  };
}

describe('createEdgeLineParser on Cloudflare Logpush http_requests', () => {
  const results = parseFile('cloudflare/http_requests-unixnano.ndjson');

  it("reads an origin's 502 passed through into a whole record, timed at EdgeEndTimestamp", () => {
    expect(results[5]).toEqual(cloudflareRecord({}));
  });

  it('reads 520, 521, 522 and 524 as minted by Cloudflare because the origin failed', () => {
    expect(classification(results.slice(8, 12))).toEqual([
      ['520', 'proxy-upstream-failure', 'reset_before_response'],
      ['521', 'proxy-upstream-failure', 'connect'],
      ['522', 'proxy-upstream-failure', 'connect'],
      ['524', 'proxy-upstream-failure', 'timeout'],
    ]);
  });

  it('reads a 502 with OriginResponseStatus 0 as minted by Cloudflare, with no origin time', () => {
    expect(results[14]).toEqual(
      cloudflareRecord({
        timeMs: Date.parse('2026-08-21T13:15:36.001Z'),
        totalMs: 1,
        originStatus: '0',
        originMs: null,
        requestId: '8b0000000000000f',
        answeredBy: 'proxy-upstream-failure',
      }),
    );
  });

  it("reads a cache hit as the origin's answer and a WAF block as Cloudflare's own rule", () => {
    expect(classification([results[2]!, results[17]!, results[19]!])).toEqual([
      ['200', 'server', null],
      ['403', 'proxy-rule', null],
      ['404', 'server', null],
    ]);
  });

  it('classifies every entry of the fixture', () => {
    expect(classification(results)).toEqual([
      ['200', 'server', null],
      ['200', 'server', null],
      ['200', 'server', null],
      ['201', 'server', null],
      ['200', 'server', null],
      ['502', 'server', null],
      ['502', 'server', null],
      ['502', 'server', null],
      ['520', 'proxy-upstream-failure', 'reset_before_response'],
      ['521', 'proxy-upstream-failure', 'connect'],
      ['522', 'proxy-upstream-failure', 'connect'],
      ['524', 'proxy-upstream-failure', 'timeout'],
      ['525', 'proxy-upstream-failure', 'protocol'],
      ['530', 'proxy-upstream-failure', null],
      ['502', 'proxy-upstream-failure', null],
      ['504', 'server', null],
      ['500', 'server', null],
      ['403', 'proxy-rule', null],
      ['429', 'proxy-rule', null],
      ['404', 'server', null],
      ['200', 'server', null],
      ['200', 'server', null],
    ]);
  });

  it('reads EdgeStartTimestamp and EdgeEndTimestamp as RFC 3339 strings and as unix seconds', () => {
    const [rfc3339] = parseFile('cloudflare/http_requests-rfc3339.ndjson');
    const [, unixSeconds] = parseFile('cloudflare/http_requests-unix.ndjson');

    expect([rfc3339, unixSeconds]).toEqual([
      cloudflareRecord({ timeMs: Date.parse('2026-08-21T13:15:20Z'), totalMs: 0, requestId: '8b00000000000017' }),
      cloudflareRecord({
        timeMs: Date.parse('2026-08-21T13:17:13Z'),
        totalMs: 100_000,
        status: '524',
        originStatus: '0',
        originMs: null,
        path: '/api/v1/reports/big',
        requestId: '8b0000000000001b',
        answeredBy: 'proxy-upstream-failure',
        upstreamFailure: 'timeout',
      }),
    ]);
  });

  it('says "none" for a 502 when the job logs no OriginResponseStatus, and reads the older OriginResponseTime in ns', () => {
    const results = parseFile('cloudflare/http_requests-few-fields.ndjson');

    expect(results).toEqual([
      cloudflareRecord({
        timeMs: Date.parse('2026-08-21T13:15:20.311Z'),
        totalMs: null,
        originStatus: null,
        originMs: null,
        detail: null,
        edgeLocation: null,
        requestId: '8b00000000000101',
        answeredBy: 'none',
      }),
      cloudflareRecord({
        timeMs: Date.parse('2026-08-21T13:15:30Z'),
        totalMs: null,
        status: '520',
        originStatus: null,
        originMs: null,
        detail: null,
        edgeLocation: null,
        requestId: '8b00000000000102',
        answeredBy: 'proxy-upstream-failure',
        upstreamFailure: 'reset_before_response',
      }),
      cloudflareRecord({
        timeMs: Date.parse('2026-08-21T13:15:01.118Z'),
        totalMs: null,
        status: '200',
        originStatus: '200',
        originMs: 21,
        detail: null,
        edgeLocation: null,
        requestId: '8b00000000000103',
      }),
    ]);
  });

  it('gives each damaged entry a specific reason', () => {
    expect(parseFile('cloudflare/damaged.ndjson')).toEqual([
      { kind: 'malformed', reason: 'invalid JSON (a cut line?)' },
      { kind: 'malformed', reason: 'missing EdgeResponseStatus' },
      { kind: 'malformed', reason: 'missing or invalid EdgeStartTimestamp' },
      { kind: 'malformed', reason: 'JSON without EdgeResponseStatus or RayID: not a Cloudflare http_requests entry' },
      { kind: 'malformed', reason: 'neither a CloudFront line (tab-separated) nor a Cloudflare JSON object' },
    ]);
  });
});
