import { describe, expect, it } from 'vitest';
import { gcpLbRecord, parseGcpLbLine } from '../../src/parsers/gcp-lb-entry.js';
import type { GcpLbRecord } from '../../src/parsers/gcp-lb-record.js';
import { JsonEntrySplitter } from '../../src/parsers/json-entry-splitter.js';
import { classification, fixtureLines, fixtureText } from './support/fixtures.js';

// Cloud Logging entries of an external Application Load Balancer; see test/fixtures/logs/SOURCES.md.
const lines = fixtureLines('gcp-lb/requests.ndjson');

function gcpRecord(overrides: Partial<GcpLbRecord>): GcpLbRecord {
  return {
    kind: 'gcp-lb',
    timeMs: Date.parse('2026-08-21T13:15:20.311Z'),
    status: '502',
    statusDetails: 'backend_connection_closed_before_data_sent_to_client',
    backendService: 'k8s1-5f2b7c1e-prod-orders-8080-9d3c2a41',
    latencyMs: 2,
    method: 'GET',
    host: 'shop.example.com',
    path: '/api/v1/orders',
    answeredBy: 'proxy-upstream-failure',
    upstreamFailure: 'reset_before_response',
    ...overrides,
  };
}

describe('parseGcpLbLine on Cloud Logging load balancer entries', () => {
  it('reads a keep-alive reset into a whole record: minted by the load balancer, reset before the response', () => {
    expect(parseGcpLbLine(lines[3]!)).toEqual(gcpRecord({}));
  });

  it('reads the same reset reported as 503 by its statusDetails, not its status', () => {
    expect(parseGcpLbLine(lines[5]!)).toEqual(
      gcpRecord({
        timeMs: Date.parse('2026-08-21T13:15:21.008Z'),
        status: '503',
        latencyMs: 3,
        path: '/api/v1/orders/8813',
      }),
    );
  });

  it('maps each statusDetails of a 5xx to who made it and why', () => {
    const results = [6, 8, 9, 10].map((i) => parseGcpLbLine(lines[i]!));

    expect(results).toEqual([
      gcpRecord({
        timeMs: Date.parse('2026-08-21T13:15:40.250Z'),
        statusDetails: 'failed_to_connect_to_backend',
        latencyMs: 1,
        upstreamFailure: 'connect',
      }),
      gcpRecord({
        timeMs: Date.parse('2026-08-21T13:15:44.100Z'),
        status: '503',
        statusDetails: 'failed_to_pick_backend',
        latencyMs: 0,
        upstreamFailure: 'no_healthy',
      }),
      gcpRecord({
        timeMs: Date.parse('2026-08-21T13:15:45Z'),
        statusDetails: 'backend_timeout',
        backendService: 'k8s1-5f2b7c1e-prod-reports-8080-77aa0c13',
        latencyMs: 30001,
        path: '/api/v1/reports/big',
        upstreamFailure: 'timeout',
      }),
      gcpRecord({
        timeMs: Date.parse('2026-08-21T13:15:47Z'),
        statusDetails: 'response_sent_by_backend',
        backendService: 'k8s1-5f2b7c1e-prod-payments-8080-3c9d0e55',
        latencyMs: 212,
        path: '/api/v1/payments/quote',
        answeredBy: 'server',
        upstreamFailure: null,
      }),
    ]);
  });

  it('reads an entry without a status (the client left) as status "0", answered by nobody', () => {
    expect(parseGcpLbLine(lines[14]!)).toEqual(
      gcpRecord({
        timeMs: Date.parse('2026-08-21T13:15:58Z'),
        status: '0',
        statusDetails: 'client_disconnected_before_any_response',
        latencyMs: 5012,
        path: '/api/v1/orders/export',
        answeredBy: 'none',
        upstreamFailure: null,
      }),
    );
  });

  it('classifies every entry of the fixture', () => {
    expect(classification(lines.map((line) => parseGcpLbLine(line)))).toEqual([
      ['200', 'server', null],
      ['200', 'server', null],
      ['201', 'server', null],
      ['502', 'proxy-upstream-failure', 'reset_before_response'],
      ['502', 'proxy-upstream-failure', 'reset_before_response'],
      ['503', 'proxy-upstream-failure', 'reset_before_response'],
      ['502', 'proxy-upstream-failure', 'connect'],
      ['503', 'proxy-upstream-failure', 'connect'],
      ['503', 'proxy-upstream-failure', 'no_healthy'],
      ['502', 'proxy-upstream-failure', 'timeout'],
      ['502', 'server', null],
      ['500', 'server', null],
      ['502', 'proxy-upstream-failure', 'protocol'],
      ['403', 'proxy-rule', null],
      ['0', 'none', null],
      ['200', 'server', null],
      ['502', 'proxy-internal', null],
      ['200', 'server', null],
      ['200', 'server', null],
      ['200', 'server', null],
    ]);
  });

  it('reads the snake_case keys of a BigQuery-style export', () => {
    const [first] = fixtureLines('gcp-lb/bigquery-style.ndjson');

    expect(parseGcpLbLine(first!)).toEqual(gcpRecord({}));
  });

  it('gives each damaged entry a specific reason', () => {
    expect(fixtureLines('gcp-lb/damaged.ndjson').map((line) => parseGcpLbLine(line))).toEqual([
      { kind: 'malformed', reason: 'invalid JSON (a cut line?)' },
      { kind: 'malformed', reason: 'no httpRequest: not a load balancer request log' },
      { kind: 'malformed', reason: 'missing or invalid timestamp' },
    ]);
  });
});

describe('gcpLbRecord with JsonEntrySplitter on a pretty-printed JSON array export', () => {
  it('reads each element of the array as it closes, with the line it started on', () => {
    const splitter = new JsonEntrySplitter();
    const pieces = fixtureText('gcp-lb/requests-export.json')
      .split('\n')
      .flatMap((line, i) => splitter.push(line, i + 1));

    const records = pieces.map((piece) => (piece.kind === 'entry' ? gcpLbRecord(JSON.parse(piece.text)) : piece));

    expect({
      lineNumbers: pieces.map((piece) => piece.lineNumber),
      rest: splitter.finish(),
      first: records[0],
    }).toEqual({
      lineNumbers: [2, 39, 76, 113, 150, 187],
      rest: null,
      first: gcpRecord({}),
    });
    expect(classification(records)).toEqual([
      ['502', 'proxy-upstream-failure', 'reset_before_response'],
      ['502', 'proxy-upstream-failure', 'reset_before_response'],
      ['503', 'proxy-upstream-failure', 'reset_before_response'],
      ['502', 'proxy-upstream-failure', 'connect'],
      ['503', 'proxy-upstream-failure', 'connect'],
      ['503', 'proxy-upstream-failure', 'no_healthy'],
    ]);
  });
});
