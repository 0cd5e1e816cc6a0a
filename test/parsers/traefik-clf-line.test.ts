import { describe, expect, it } from 'vitest';
import { type ProxyRecord, parseProxyLine } from '../../src/parsers/proxy-line.js';
import { classification, fixtureLines } from './support/fixtures.js';

// Lines written to Traefik's CommonLogFormatter (pkg/middlewares/accesslog/logger_formatters.go); see test/fixtures/logs/SOURCES.md.
const lines = fixtureLines('traefik-clf/access.log');

function traefikRecord(overrides: Partial<ProxyRecord>): ProxyRecord {
  return {
    kind: 'traefik-clf',
    timeMs: Date.parse('2026-08-21T13:15:01Z'),
    status: '200',
    termination: null,
    frontend: 'orders@kubernetescrd',
    backend: null,
    server: 'http://198.51.100.21:8080',
    serverResponseMs: null,
    totalMs: 23,
    method: 'GET',
    path: '/api/v1/orders',
    requestTruncated: false,
    upstreamStatus: null,
    answeredBy: 'server',
    upstreamFailure: null,
    ...overrides,
  };
}

describe('parseProxyLine on Traefik Common Log Format lines', () => {
  it('reads a proxied 200 into a whole record, the router as frontend and the server URL as server', () => {
    const result = parseProxyLine(lines[0]!);

    expect(result).toEqual(traefikRecord({}));
  });

  it('tells Traefik\'s own "Bad Gateway" (an 11-byte body) from a passed-through 502', () => {
    const results = [parseProxyLine(lines[5]!), parseProxyLine(lines[10]!)];

    expect(results).toEqual([
      traefikRecord({
        timeMs: Date.parse('2026-08-21T13:15:40Z'),
        status: '502',
        server: 'http://198.51.100.23:8080',
        totalMs: 3,
        answeredBy: 'proxy-upstream-failure',
      }),
      traefikRecord({
        timeMs: Date.parse('2026-08-21T13:15:47Z'),
        status: '502',
        frontend: 'payments@kubernetescrd',
        server: 'http://198.51.100.51:8080',
        totalMs: 212,
        path: '/api/v1/payments/quote',
      }),
    ]);
  });

  it('reads Traefik\'s "Gateway Timeout" (15 bytes) as an upstream timeout', () => {
    expect(parseProxyLine(lines[9]!)).toEqual(
      traefikRecord({
        timeMs: Date.parse('2026-08-21T13:15:45Z'),
        status: '504',
        frontend: 'reports@kubernetescrd',
        server: 'http://198.51.100.41:8080',
        totalMs: 30001,
        path: '/api/v1/reports/big',
        answeredBy: 'proxy-upstream-failure',
        upstreamFailure: 'timeout',
      }),
    );
  });

  it("reads a 503 without a server URL as no healthy server, and a 429 without one as Traefik's own rule", () => {
    const results = [parseProxyLine(lines[12]!), parseProxyLine(lines[14]!)];

    expect(results).toEqual([
      traefikRecord({
        timeMs: Date.parse('2026-08-21T13:15:50Z'),
        status: '503',
        server: null,
        totalMs: 0,
        answeredBy: 'proxy-upstream-failure',
        upstreamFailure: 'no_healthy',
      }),
      traefikRecord({
        timeMs: Date.parse('2026-08-21T13:15:52Z'),
        status: '429',
        frontend: 'search@kubernetescrd',
        server: null,
        totalMs: 0,
        path: '/api/v1/search?q=lamp',
        answeredBy: 'proxy-rule',
      }),
    ]);
  });

  it('reads past a user agent with an escaped quote (\\") to the fields after it', () => {
    expect(parseProxyLine(lines[19]!)).toEqual(
      traefikRecord({ timeMs: Date.parse('2026-08-21T13:16:01Z'), totalMs: 19 }),
    );
  });

  it('accepts the older bare "-" server URL and reads the zone of a StartLocal time', () => {
    const results = [parseProxyLine(lines[22]!), parseProxyLine(lines[23]!)];

    expect(results).toEqual([
      traefikRecord({
        timeMs: Date.parse('2026-08-21T13:16:07Z'),
        status: '401',
        frontend: 'dashboard@internal',
        server: null,
        totalMs: 0,
        path: '/',
        answeredBy: 'proxy-rule',
      }),
      traefikRecord({ timeMs: Date.parse('2026-08-21T13:16:09Z'), totalMs: 18 }),
    ]);
  });

  it('classifies every line of the fixture', () => {
    const results = lines.map((line) => parseProxyLine(line));

    expect(classification(results)).toEqual([
      ['200', 'server', null],
      ['200', 'server', null],
      ['201', 'server', null],
      ['200', 'server', null],
      ['200', 'server', null],
      ['502', 'proxy-upstream-failure', null],
      ['502', 'proxy-upstream-failure', null],
      ['502', 'proxy-upstream-failure', null],
      ['200', 'server', null],
      ['504', 'proxy-upstream-failure', 'timeout'],
      ['502', 'server', null],
      ['500', 'server', null],
      ['503', 'proxy-upstream-failure', 'no_healthy'],
      ['503', 'proxy-upstream-failure', 'no_healthy'],
      ['429', 'proxy-rule', null],
      ['429', 'proxy-rule', null],
      ['404', 'proxy-rule', null],
      ['301', 'proxy-rule', null],
      ['499', 'none', null],
      ['200', 'server', null],
      ['200', 'server', null],
      ['200', 'server', null],
      ['401', 'proxy-rule', null],
      ['200', 'server', null],
    ]);
  });
});

describe('parseProxyLine on damaged Traefik lines', () => {
  it('gives each damaged line its own reason, never a throw', () => {
    const results = fixtureLines('traefik-clf/damaged.log').map((line) => parseProxyLine(line));

    expect(results).toEqual([
      { kind: 'malformed', reason: 'Traefik line cut before its duration' },
      { kind: 'malformed', reason: 'Traefik line cut in its server URL' },
      { kind: 'malformed', reason: 'Traefik line without a start time ([-])' },
      { kind: 'malformed', reason: 'non-numeric status' },
      { kind: 'malformed', reason: 'invalid start time' },
    ]);
  });

  it('still reads an ingress-nginx line with the same opening as nginx', () => {
    const line =
      '203.0.113.7 - - [21/Aug/2026:13:15:42 +0000] "GET /api/v1/orders HTTP/2.0" 502 552 "-" "curl/8.5.0" 27 0.015 [prod-api-8080] [] 10.0.3.7:8080 0 0.012 502 3db73c6c673c4256ade033a6ce08c2ab';

    expect(parseProxyLine(line)).toMatchObject({ kind: 'nginx-ingress', status: '502' });
  });
});
