import { describe, expect, it } from 'vitest';
import { type ProxyRecord, parseProxyLine } from '../../src/parsers/proxy-line.js';
import { classification, fixtureLines } from './support/fixtures.js';

// Envoy's default format and Istio's (text and JSON); see test/fixtures/logs/SOURCES.md.
const envoy = fixtureLines('envoy/access.log');
const istio = fixtureLines('envoy/istio-proxy.log');
const istioJson = fixtureLines('envoy/istio-access.json.log');

function envoyRecord(overrides: Partial<ProxyRecord>): ProxyRecord {
  return {
    kind: 'envoy',
    timeMs: Date.parse('2026-08-21T13:15:01.118Z'),
    status: '200',
    termination: null,
    frontend: null,
    backend: null,
    server: '198.51.100.21:8080',
    serverResponseMs: 21,
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

describe("parseProxyLine on Envoy's default access-log format", () => {
  it('reads an upstream 200 into a whole record', () => {
    expect(parseProxyLine(envoy[0]!)).toEqual(envoyRecord({}));
  });

  it('reads the keep-alive race as 503 UC: a reset before the response, minted by Envoy', () => {
    expect(parseProxyLine(envoy[3]!)).toEqual(
      envoyRecord({
        timeMs: Date.parse('2026-08-21T13:15:20.311Z'),
        status: '503',
        termination: 'UC',
        server: '198.51.100.22:8080',
        serverResponseMs: null,
        totalMs: 2,
        answeredBy: 'proxy-upstream-failure',
        upstreamFailure: 'reset_before_response',
      }),
    );
  });

  it('reads 503 UF, UF,URX and UH as a connect failure and no healthy host', () => {
    const results = [envoy[5]!, envoy[6]!, envoy[8]!].map((line) => parseProxyLine(line));

    expect(results).toEqual([
      envoyRecord({
        timeMs: Date.parse('2026-08-21T13:15:40.250Z'),
        status: '503',
        termination: 'UF',
        server: '198.51.100.23:8080',
        serverResponseMs: null,
        totalMs: 1,
        answeredBy: 'proxy-upstream-failure',
        upstreamFailure: 'connect',
      }),
      envoyRecord({
        timeMs: Date.parse('2026-08-21T13:15:40.731Z'),
        status: '503',
        termination: 'UF,URX',
        server: '198.51.100.23:8080',
        serverResponseMs: null,
        totalMs: 3,
        path: '/api/v1/orders/8813',
        answeredBy: 'proxy-upstream-failure',
        upstreamFailure: 'connect',
      }),
      envoyRecord({
        timeMs: Date.parse('2026-08-21T13:15:44.100Z'),
        status: '503',
        termination: 'UH',
        server: null,
        serverResponseMs: null,
        totalMs: 0,
        answeredBy: 'proxy-upstream-failure',
        upstreamFailure: 'no_healthy',
      }),
    ]);
  });

  it("reads 504 UT as an upstream timeout and 429 RL as Envoy's own rule", () => {
    const results = [parseProxyLine(envoy[9]!), parseProxyLine(envoy[15]!)];

    expect(results).toEqual([
      envoyRecord({
        timeMs: Date.parse('2026-08-21T13:15:45Z'),
        status: '504',
        termination: 'UT',
        server: '198.51.100.41:8080',
        serverResponseMs: null,
        totalMs: 15001,
        path: '/api/v1/reports/big',
        answeredBy: 'proxy-upstream-failure',
        upstreamFailure: 'timeout',
      }),
      envoyRecord({
        timeMs: Date.parse('2026-08-21T13:15:52.100Z'),
        status: '429',
        termination: 'RL',
        server: null,
        serverResponseMs: null,
        totalMs: 0,
        path: '/api/v1/search?q=lamp',
        answeredBy: 'proxy-rule',
      }),
    ]);
  });

  it("reads a 502 with no flag and an upstream host as the application's own", () => {
    expect(parseProxyLine(envoy[12]!)).toEqual(
      envoyRecord({
        timeMs: Date.parse('2026-08-21T13:15:47Z'),
        status: '502',
        server: '198.51.100.51:8080',
        serverResponseMs: 211,
        totalMs: 212,
        path: '/api/v1/payments/quote',
      }),
    );
  });

  it('classifies every line of the fixture', () => {
    expect(classification(envoy.map((line) => parseProxyLine(line)))).toEqual([
      ['200', 'server', null],
      ['200', 'server', null],
      ['201', 'server', null],
      ['503', 'proxy-upstream-failure', 'reset_before_response'],
      ['503', 'proxy-upstream-failure', 'reset_before_response'],
      ['503', 'proxy-upstream-failure', 'connect'],
      ['503', 'proxy-upstream-failure', 'connect'],
      ['503', 'proxy-upstream-failure', null],
      ['503', 'proxy-upstream-failure', 'no_healthy'],
      ['504', 'proxy-upstream-failure', 'timeout'],
      ['503', 'proxy-upstream-failure', 'reset_before_response'],
      ['502', 'proxy-upstream-failure', 'protocol'],
      ['502', 'server', null],
      ['500', 'server', null],
      ['503', 'proxy-upstream-failure', null],
      ['429', 'proxy-rule', null],
      ['429', 'proxy-rule', null],
      ['404', 'proxy-rule', null],
      ['301', 'proxy-rule', null],
      ['0', 'none', null],
      ['200', 'server', null],
      ['200', 'server', null],
    ]);
  });
});

describe("parseProxyLine on Istio's access-log formats", () => {
  it("reads the text format's details, the upstream cluster as backend, and a reset the flags leave unnamed", () => {
    const results = [parseProxyLine(istio[1]!), parseProxyLine(istio[3]!)];

    expect(results).toEqual([
      envoyRecord({
        timeMs: Date.parse('2026-08-21T13:15:20.311Z'),
        status: '503',
        termination: 'UC',
        backend: 'outbound|8080||orders.prod.svc.cluster.local',
        server: '198.51.100.22:8080',
        serverResponseMs: null,
        totalMs: 2,
        answeredBy: 'proxy-upstream-failure',
        upstreamFailure: 'reset_before_response',
      }),
      envoyRecord({
        timeMs: Date.parse('2026-08-21T13:15:41.008Z'),
        status: '503',
        termination: 'URX',
        backend: 'outbound|8080||orders.prod.svc.cluster.local',
        server: '198.51.100.22:8080',
        serverResponseMs: null,
        totalMs: 9,
        answeredBy: 'proxy-upstream-failure',
        upstreamFailure: 'reset_before_response',
      }),
    ]);
  });

  it('reads "503 URX via_upstream" as the upstream\'s own 503 returned after the retries', () => {
    expect(parseProxyLine(istio[4]!)).toMatchObject({
      status: '503',
      termination: 'URX',
      answeredBy: 'server',
      upstreamFailure: null,
    });
  });

  it("reads the older format with a quoted failure reason after the flags, and a line behind kubectl's --prefix", () => {
    const results = [parseProxyLine(istio[10]!), parseProxyLine(istio[11]!)];

    expect(results).toEqual([
      envoyRecord({
        timeMs: Date.parse('2026-08-21T13:15:59.535Z'),
        status: '503',
        termination: 'UF,URX',
        backend: 'outbound|8080||auth.prod.svc.cluster.local',
        server: '198.51.100.61:8080',
        serverResponseMs: null,
        totalMs: 16,
        method: 'POST',
        path: '/api/v1/token',
        answeredBy: 'proxy-upstream-failure',
        upstreamFailure: 'connect',
      }),
      envoyRecord({
        timeMs: Date.parse('2026-08-21T13:16:01Z'),
        backend: 'outbound|3000||cart.prod.svc.cluster.local',
        server: '198.51.100.31:3000',
        serverResponseMs: 11,
        totalMs: 12,
        path: '/api/v1/cart',
      }),
    ]);
  });

  it('classifies every line of the text fixture', () => {
    expect(classification(istio.map((line) => parseProxyLine(line)))).toEqual([
      ['200', 'server', null],
      ['503', 'proxy-upstream-failure', 'reset_before_response'],
      ['503', 'proxy-upstream-failure', 'connect'],
      ['503', 'proxy-upstream-failure', 'reset_before_response'],
      ['503', 'server', null],
      ['503', 'proxy-upstream-failure', 'no_healthy'],
      ['504', 'proxy-upstream-failure', 'timeout'],
      ['429', 'proxy-rule', null],
      ['302', 'proxy-rule', null],
      ['0', 'none', null],
      ['503', 'proxy-upstream-failure', 'connect'],
      ['200', 'server', null],
    ]);
  });

  it("reads Istio's JSON encoding into the same record", () => {
    expect(parseProxyLine(istioJson[1]!)).toEqual(
      envoyRecord({
        kind: 'envoy-json',
        timeMs: Date.parse('2026-08-21T13:15:20.311Z'),
        status: '503',
        termination: 'UC',
        backend: 'outbound|8080||orders.prod.svc.cluster.local',
        server: '198.51.100.22:8080',
        serverResponseMs: null,
        totalMs: 2,
        answeredBy: 'proxy-upstream-failure',
        upstreamFailure: 'reset_before_response',
      }),
    );
  });

  it('classifies every entry of the JSON fixture', () => {
    expect(classification(istioJson.map((line) => parseProxyLine(line)))).toEqual([
      ['200', 'server', null],
      ['503', 'proxy-upstream-failure', 'reset_before_response'],
      ['503', 'proxy-upstream-failure', 'connect'],
      ['503', 'proxy-upstream-failure', 'no_healthy'],
      ['504', 'proxy-upstream-failure', 'timeout'],
      ['429', 'proxy-rule', null],
      ['502', 'server', null],
    ]);
  });
});

describe('parseProxyLine on damaged Envoy lines', () => {
  it('gives each a specific reason, and a TCP proxy line its own kind', () => {
    const results = fixtureLines('envoy/damaged.log').map((line) => parseProxyLine(line));

    expect(results).toEqual([
      { kind: 'malformed', reason: 'missing quoted user agent' },
      { kind: 'malformed', reason: 'missing duration' },
      { kind: 'malformed', reason: 'missing quoted request id' },
      { kind: 'malformed', reason: 'unrecognised line' },
      { kind: 'malformed', reason: 'invalid start time' },
      { kind: 'other', otherKind: 'tcplog' },
    ]);
  });
});
