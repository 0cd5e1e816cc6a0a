import { describe, expect, it } from 'vitest';
import type { AccessLogSample } from '../../../src/core/report.js';
import {
  AccessLogSampleCollector,
  distanceMicros,
  nearestSamples,
  sampleRequest,
} from '../../../src/evidence/access-log-samples.js';
import { createIndexMatcher } from '../../../src/evidence/index-matcher.js';
import { type AlbRecord, parseLbLine } from '../../../src/parsers/alb-line.js';
import { formatAlbLine } from '../../../src/simulate/log-line-format.js';

const ASKED = new Date('2026-06-18T19:41:00Z');
const WINDOW = { start: new Date('2026-06-18T18:11:00Z'), end: new Date('2026-06-18T21:11:00Z') };
const TG = 'targetgroup/k8s-prod000audio/b692bdc6e203c988';
const sample = (time: string, traceId?: string): AccessLogSample => ({
  time,
  elbStatusCode: 502,
  targetStatusCode: '-',
  target: '10.0.2.10:8080',
  request: 'POST /indexes/prod_000_audio/search',
  ...(traceId ? { traceId } : {}),
});

function albLine(
  iso: string,
  overrides: { elbStatus?: number; targetStatus?: number | null; url?: string; target?: string | null } = {},
): string {
  return formatAlbLine({
    timeMs: Date.parse(iso),
    elb: 'app/k8s-ingress/0123456789abcdef',
    client: '203.0.113.9:40000',
    target: overrides.target === undefined ? '10.0.2.10:8080' : overrides.target,
    requestSeconds: 0.001,
    targetSeconds: null,
    responseSeconds: 0,
    elbStatus: overrides.elbStatus ?? 502,
    targetStatus: overrides.targetStatus === undefined ? null : overrides.targetStatus,
    method: 'POST',
    url: overrides.url ?? 'https://search.example.com:443/indexes/prod_000_audio/search?q=secret',
    targetGroupArn: `arn:aws:elasticloadbalancing:ap-southeast-2:123456789012:${TG}`,
    traceId: `Root=1-6a3449cc-${iso.slice(17, 19)}0000000000ea9dcabb0000`,
  });
}

const timeOf = (line: string) => (parseLbLine(line) as AlbRecord).time;

describe('distanceMicros', () => {
  it('is zero inside the asked minute and grows outward on both sides, to the microsecond', () => {
    expect(distanceMicros('2026-06-18T19:41:59.999999Z', ASKED)).toBe(0);
    expect(distanceMicros('2026-06-18T19:40:59.999999Z', ASKED)).toBe(1);
    expect(distanceMicros('2026-06-18T19:42:00.000002Z', ASKED)).toBe(2);
    expect(distanceMicros('not a time', ASKED)).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('nearestSamples', () => {
  it('orders by distance to the asked minute, then time, then trace id, and keeps the limit', () => {
    const rows = [
      sample('2026-06-18T19:43:00.000000Z'),
      sample('2026-06-18T19:41:30.000000Z', 'Root=b'),
      sample('2026-06-18T19:40:59.000000Z'),
      sample('2026-06-18T19:41:30.000000Z', 'Root=a'),
      sample('2026-06-18T19:41:05.000000Z'),
    ];

    expect(nearestSamples(rows, ASKED, 4).map((s) => `${s.time} ${s.traceId ?? ''}`)).toEqual([
      '2026-06-18T19:41:05.000000Z ',
      '2026-06-18T19:41:30.000000Z Root=a',
      '2026-06-18T19:41:30.000000Z Root=b',
      '2026-06-18T19:40:59.000000Z ',
    ]);
  });
});

describe('sampleRequest', () => {
  it('keeps the method and path, never the query string', () => {
    expect(sampleRequest('GET', 'https://h:443/a/b?token=secret')).toBe('GET /a/b');
    expect(sampleRequest(null, null)).toBe('- -');
  });
});

describe('AccessLogSampleCollector', () => {
  it("keeps only the index's LB-minted 5xx rows in the window, as the contract's sample rows", () => {
    const collector = new AccessLogSampleCollector(
      WINDOW,
      ASKED,
      createIndexMatcher({ index: 'prod_000_audio', targetGroup: TG }),
    );
    const lines = [
      albLine('2026-06-18T19:41:10.000Z'),
      albLine('2026-06-18T19:41:11.000Z', { elbStatus: 502, targetStatus: 502 }), // the target's own 502
      albLine('2026-06-18T19:41:12.000Z', { elbStatus: 460, targetStatus: null }), // not a 5xx
      albLine('2026-06-18T21:11:00.000Z'), // outside the window
      albLine('2026-06-18T19:42:00.000Z', { elbStatus: 503, target: null }),
    ];

    for (const line of lines) collector.offer(parseLbLine(line) as AlbRecord, line);

    expect(collector.samples()).toEqual([
      {
        time: timeOf(lines[0]!),
        elbStatusCode: 502,
        targetStatusCode: '-',
        target: '10.0.2.10:8080',
        targetGroup: `arn:aws:elasticloadbalancing:ap-southeast-2:123456789012:${TG}`,
        request: 'POST /indexes/prod_000_audio/search',
        traceId: 'Root=1-6a3449cc-100000000000ea9dcabb0000',
      },
      {
        time: timeOf(lines[4]!),
        elbStatusCode: 503,
        targetStatusCode: '-',
        target: '-',
        targetGroup: `arn:aws:elasticloadbalancing:ap-southeast-2:123456789012:${TG}`,
        request: 'POST /indexes/prod_000_audio/search',
        traceId: 'Root=1-6a3449cc-000000000000ea9dcabb0000',
      },
    ]);
  });

  it('keeps the nearest when there are more than the limit', () => {
    const collector = new AccessLogSampleCollector(WINDOW, ASKED, createIndexMatcher({ index: 'prod_000_audio' }), 2);
    const lines = [
      '2026-06-18T19:30:00.000Z',
      '2026-06-18T19:41:50.000Z',
      '2026-06-18T19:55:00.000Z',
      '2026-06-18T19:40:00.000Z',
    ].map((iso) => albLine(iso));

    for (const line of lines) collector.offer(parseLbLine(line) as AlbRecord, line);

    expect(collector.samples().map((s) => s.time)).toEqual([timeOf(lines[1]!), timeOf(lines[3]!)]);
  });
});
