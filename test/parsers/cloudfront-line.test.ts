import { describe, expect, it } from 'vitest';
import { createEdgeLineParser } from '../../src/parsers/edge-line.js';
import type { EdgeLine, EdgeRecord } from '../../src/parsers/edge-record.js';
import { classification, fixtureLines } from './support/fixtures.js';

// Lines in the documented 33-field layout (AWS CloudFront Developer Guide); see test/fixtures/logs/SOURCES.md.
const FILE = 'cloudfront/E2EXAMPLE1234.2026-08-21-13.a1b2c3d4.log';

function parseFile(relativePath: string): EdgeLine[] {
  const parse = createEdgeLineParser();
  return fixtureLines(relativePath).map((line) => parse(line));
}

function cloudfrontRecord(overrides: Partial<EdgeRecord>): EdgeRecord {
  return {
    kind: 'cloudfront',
    timeMs: Date.parse('2026-08-21T13:15:02Z'),
    totalMs: 43,
    status: '200',
    originStatus: null,
    originMs: null,
    detail: 'Miss',
    method: 'GET',
    host: 'shop.example.com',
    path: '/api/v1/orders',
    edgeLocation: 'SEA19-C1',
    requestId: expect.stringMatching(/==$/),
    answeredBy: 'server',
    upstreamFailure: null,
    ...overrides,
  };
}

describe('createEdgeLineParser on CloudFront standard logs', () => {
  const results = parseFile(FILE);

  it('reads the #Version and #Fields lines as headers', () => {
    expect(results.slice(0, 2)).toEqual([{ kind: 'header' }, { kind: 'header' }]);
  });

  it('reads a Miss into a whole record', () => {
    expect(results[3]).toEqual(cloudfrontRecord({ requestId: 'a5HrOEyMbiVyzGqyLVX0jL1JlSF-c1SKGtZfVVIpOto==' }));
  });

  it("reads an origin's 502 passed through (the catch-all Error type) as the server's answer", () => {
    expect(results[8]).toEqual(
      cloudfrontRecord({ timeMs: Date.parse('2026-08-21T13:15:20Z'), totalMs: 4, status: '502', detail: 'Error' }),
    );
  });

  it('reads OriginConnectError 502 and OriginCommError 504 as minted at the edge because of the origin', () => {
    expect([results[11], results[13]]).toEqual([
      cloudfrontRecord({
        timeMs: Date.parse('2026-08-21T13:15:40Z'),
        totalMs: 102,
        status: '502',
        detail: 'OriginConnectError',
        answeredBy: 'proxy-upstream-failure',
        upstreamFailure: 'connect',
      }),
      cloudfrontRecord({
        timeMs: Date.parse('2026-08-21T13:15:45Z'),
        totalMs: 30002,
        status: '504',
        detail: 'OriginCommError',
        path: '/api/v1/reports/big',
        answeredBy: 'proxy-upstream-failure',
        upstreamFailure: 'timeout',
      }),
    ]);
  });

  it('joins the query to the path', () => {
    expect(results[23]).toEqual(
      cloudfrontRecord({
        timeMs: Date.parse('2026-08-21T13:15:55Z'),
        totalMs: 40,
        path: '/api/v1/orders?page=2&size=20',
      }),
    );
  });

  it('classifies every line of the fixture', () => {
    expect(classification(results)).toEqual([
      'header',
      'header',
      ['200', 'server', null],
      ['200', 'server', null],
      ['200', 'server', null],
      ['201', 'server', null],
      ['200', 'server', null],
      ['200', 'server', null],
      ['502', 'server', null],
      ['502', 'server', null],
      ['502', 'server', null],
      ['502', 'proxy-upstream-failure', 'connect'],
      ['502', 'proxy-upstream-failure', 'connect'],
      ['504', 'proxy-upstream-failure', 'timeout'],
      ['502', 'proxy-upstream-failure', 'reset_before_response'],
      ['502', 'proxy-upstream-failure', 'connect'],
      ['502', 'proxy-upstream-failure', 'protocol'],
      ['500', 'server', null],
      ['403', 'proxy-rule', null],
      ['301', 'proxy-rule', null],
      ['503', 'proxy-internal', null],
      ['000', 'none', null],
      ['200', 'none', null],
      ['200', 'server', null],
      ['200', 'server', null],
      ['200', 'server', null],
    ]);
  });

  it('reads a 26-field file by its own #Fields line, where Error cannot tell a minted 502 from a passed one', () => {
    expect(classification(parseFile('cloudfront/legacy-26-fields.log'))).toEqual([
      'header',
      'header',
      ['502', 'none', null],
      ['200', 'server', null],
      ['200', 'server', null],
    ]);
  });

  it('honours a #Fields line in another order', () => {
    const [, , record] = parseFile('cloudfront/reordered-fields.log');

    expect(record).toEqual(
      cloudfrontRecord({
        timeMs: Date.parse('2026-08-21T13:15:40Z'),
        totalMs: 102,
        status: '502',
        detail: 'OriginConnectError',
        answeredBy: 'proxy-upstream-failure',
        upstreamFailure: 'connect',
      }),
    );
  });

  it('gives each damaged line a specific reason', () => {
    expect(parseFile('cloudfront/damaged.log').slice(2)).toEqual([
      { kind: 'malformed', reason: 'expected at least 9 fields, found 6' },
      { kind: 'malformed', reason: 'neither a CloudFront line (tab-separated) nor a Cloudflare JSON object' },
      { kind: 'malformed', reason: 'invalid date or time' },
      { kind: 'malformed', reason: 'non-numeric sc-status' },
    ]);
  });

  it("keeps a trailing empty field (AWS's own example line ends in a tab)", () => {
    const line = `${fixtureLines(FILE)[3]!}\t`;

    expect(createEdgeLineParser()(line)).toEqual(cloudfrontRecord({}));
  });
});
