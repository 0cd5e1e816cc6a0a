import { describe, expect, it } from 'vitest';
import { type ProxyRecord, parseProxyLine } from '../../src/parsers/proxy-line.js';
import { classification, fixtureLines } from './support/fixtures.js';

// Entries with the fields of Traefik's logdata.go; see test/fixtures/logs/SOURCES.md.
const lines = fixtureLines('traefik-json/access.json.log');

function traefikRecord(overrides: Partial<ProxyRecord>): ProxyRecord {
  return {
    kind: 'traefik-json',
    timeMs: Date.parse('2026-08-21T13:15:01.118Z'),
    status: '200',
    termination: null,
    frontend: 'orders@kubernetescrd',
    backend: 'prod-orders-8080@kubernetescrd',
    server: 'http://198.51.100.21:8080',
    serverResponseMs: 23,
    totalMs: 23,
    method: 'GET',
    path: '/api/v1/orders',
    requestTruncated: false,
    upstreamStatus: '200',
    answeredBy: 'server',
    upstreamFailure: null,
    ...overrides,
  };
}

describe('parseProxyLine on Traefik JSON access logs', () => {
  it('reads an entry into a whole record: StartUTC to the millisecond, durations from nanoseconds', () => {
    expect(parseProxyLine(lines[0]!)).toEqual(traefikRecord({}));
  });

  it('reads a 502 with OriginStatus 502 and Traefik\'s 11-byte "Bad Gateway" body as minted by Traefik', () => {
    // Traefik's proxy error handler runs inside the server handler, so its own 502 is logged as the OriginStatus (traefik#13609).
    expect(parseProxyLine(lines[4]!)).toEqual(
      traefikRecord({
        timeMs: Date.parse('2026-08-21T13:15:40.250Z'),
        status: '502',
        server: 'http://198.51.100.23:8080',
        serverResponseMs: 3,
        totalMs: 3,
        upstreamStatus: '502',
        answeredBy: 'proxy-upstream-failure',
      }),
    );
  });

  it("reads a 502 with OriginStatus 502 and the application's own body as passed through", () => {
    expect(parseProxyLine(lines[9]!)).toEqual(
      traefikRecord({
        timeMs: Date.parse('2026-08-21T13:15:47Z'),
        status: '502',
        frontend: 'payments@kubernetescrd',
        backend: 'prod-payments-8080@kubernetescrd',
        server: 'http://198.51.100.51:8080',
        serverResponseMs: 212,
        totalMs: 212,
        path: '/api/v1/payments/quote',
        upstreamStatus: '502',
      }),
    );
  });

  it('reads a 502 with OriginStatus 0 as minted by Traefik without a server response', () => {
    expect(parseProxyLine(lines[13]!)).toEqual(
      traefikRecord({
        timeMs: Date.parse('2026-08-21T13:15:51Z'),
        status: '502',
        backend: null,
        server: null,
        serverResponseMs: null,
        totalMs: 0,
        upstreamStatus: '0',
        answeredBy: 'proxy-upstream-failure',
      }),
    );
  });

  it("reads a rate-limit 429 with OriginStatus 0 as Traefik's own rule", () => {
    expect(parseProxyLine(lines[14]!)).toEqual(
      traefikRecord({
        timeMs: Date.parse('2026-08-21T13:15:52.100Z'),
        status: '429',
        frontend: 'search@kubernetescrd',
        backend: null,
        server: null,
        serverResponseMs: null,
        totalMs: 0,
        path: '/api/v1/search?q=lamp',
        upstreamStatus: '0',
        answeredBy: 'proxy-rule',
      }),
    );
  });

  it("falls back to logrus' time less the duration, and to the server URL, when configuration dropped StartUTC and OriginStatus", () => {
    const [line] = fixtureLines('traefik-json/fields-dropped.json.log');

    expect(parseProxyLine(line!)).toEqual(
      traefikRecord({
        timeMs: Date.parse('2026-08-21T13:15:01Z') - 23,
        serverResponseMs: null,
        upstreamStatus: null,
      }),
    );
  });

  it("reads an entry wrapped by Docker's json-file driver", () => {
    const wrapped = JSON.stringify({ log: `${lines[0]!}\n`, stream: 'stdout', time: '2026-08-21T13:15:01.2Z' });

    expect(parseProxyLine(wrapped)).toEqual(traefikRecord({}));
  });

  it("reads an entry behind a container runtime's prefix", () => {
    expect(parseProxyLine(`2026-08-21T13:15:01.200000000Z stdout F ${lines[0]!}`)).toEqual(traefikRecord({}));
  });

  it('classifies every entry of the fixture', () => {
    expect(classification(lines.map((line) => parseProxyLine(line)))).toEqual([
      ['200', 'server', null],
      ['200', 'server', null],
      ['201', 'server', null],
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
      ['502', 'proxy-upstream-failure', null],
      ['429', 'proxy-rule', null],
      ['429', 'proxy-rule', null],
      ['301', 'proxy-rule', null],
      ['499', 'none', null],
      ['200', 'server', null],
      ['200', 'server', null],
    ]);
  });

  it("gives a specific reason for a cut entry, an entry without a time, Traefik's own log line and a JSON array", () => {
    const results = fixtureLines('traefik-json/damaged.json.log').map((line) => parseProxyLine(line));

    expect(results).toEqual([
      { kind: 'malformed', reason: 'invalid JSON (a cut line?)' },
      { kind: 'malformed', reason: 'missing or invalid StartUTC' },
      {
        kind: 'malformed',
        reason: "JSON of no known proxy format (neither Traefik's DownstreamStatus nor Istio's response_code)",
      },
      { kind: 'malformed', reason: 'unrecognised line' },
    ]);
  });
});
