/**
 * The "done when": the same incident investigated by the real engine twice, once from
 * the log files (files mode) and once from CloudWatch through the REAL AWS SDK clients,
 * pointed by AWS_ENDPOINT_URL_CLOUDWATCH(_LOGS) at a local fake whose answers are derived from
 * the very same simulated lines (test/support/cloudwatch-from-logs.ts). Both runs must reach
 * the same verdict on the same numbers; where the two sources can measure different things,
 * the difference is asserted exactly, so it cannot grow unnoticed.
 */
import { describe, expect, it } from 'vitest';
import type { ReportJson, SignalJson } from '../../src/core/report.js';
import { type BothModes, investigateBothWays, LOG_GROUP } from '../support/investigate-both-ways.js';
import { INDEX, incident, minute, TENANTS } from '../support/scenarios.js';

const seedBurst = {
  kind: 'throttle',
  index: INDEX,
  fromMinute: minute('19:29'),
  toMinute: minute('19:40'),
  peakPerMinute: 150,
} as const;
const background = { kind: 'keepalive_502', perMinute: 4 } as const;
const originErrors = {
  kind: 'origin_5xx',
  index: INDEX,
  fromMinute: minute('19:35'),
  toMinute: minute('19:50'),
  perMinute: 30,
} as const;

/** What a signal measured, without where it came from. */
function measured(signal: SignalJson | undefined) {
  return signal && { status: signal.status, window: signal.window, perMinute: signal.perMinute };
}

/** Signals both sources measure from the same lines: identical, minute by minute. */
const SHARED_SIGNALS = [
  'requests',
  'origin_5xx',
  'throttled_429',
  'target_5xx',
  'target_4xx',
  'elb_502',
  'elb_503',
  'elb_504',
  'lb_requests',
];

function expectSameMeasurements({ files, cloudWatch }: BothModes): void {
  for (const name of SHARED_SIGNALS)
    expect({ name, ...measured(cloudWatch.signals[name]) }).toEqual({ name, ...measured(files.signals[name]) });
  // The proxy's own breakdowns come from the same lines through the query.
  for (const name of ['origin_5xx', 'throttled_429']) {
    expect(cloudWatch.signals[name]!.byCode).toEqual(files.signals[name]!.byCode);
    expect(cloudWatch.signals[name]!.byTermination).toEqual(files.signals[name]!.byTermination);
  }
  // Files mode counts slow requests from the ALB's target time, CloudWatch mode from the
  // proxy's Tr: the same requests, but a timeout lands in the minute each log stamps it.
  expect(cloudWatch.signals.slow_requests!.window).toBe(files.signals.slow_requests!.window);
}

/** What only one of the two sources can measure (CONTRACT §3), asserted so it cannot drift. */
function expectKnownDifferences({ files, cloudWatch }: BothModes): void {
  // TargetConnectionErrorCount is a metric only; with a live target group, no datapoint is 0.
  expect(files.signals.target_connection_errors!.status).toBe('unavailable');
  expect(measured(cloudWatch.signals.target_connection_errors)).toMatchObject({ status: 'ok', window: 0 });
  // HTTPCode_ELB_502_Count has no TargetGroup dimension: the index's share needs access logs.
  expect(files.signals.elb_502_index!.status).toBe('ok');
  expect(cloudWatch.signals.elb_502_index).toMatchObject({ status: 'unavailable', window: null });
  expect(cloudWatch.signals.elb_502_index!.reason).toContain('no per-target-group ELB 502 metric');
  // Per-index 503/504 are files-mode context signals.
  for (const name of ['elb_503_index', 'elb_504_index']) {
    expect(files.signals[name]!.status).toBe('ok');
    expect(cloudWatch.signals[name]).toBeUndefined();
  }
  // The proxy's own request count: the same lines, binned by accept time in files mode and
  // by @timestamp in Logs Insights, so the totals agree.
  expect(cloudWatch.signals.proxy_requests!.window).toBe(files.signals.proxy_requests!.window);
  // Target health is a metric only.
  for (const name of ['healthy_hosts', 'unhealthy_hosts']) {
    expect(files.signals[name]).toBeUndefined();
    expect(cloudWatch.signals[name]!.status).toBe('ok');
  }
}

function expectWentThroughCloudWatch({ cloudWatch, calls }: BothModes): void {
  expect(calls.StartQuery).toBe(1);
  expect(calls.GetMetricData).toBe(1);
  expect(cloudWatch.sources.map(({ name, status }) => ({ name, status }))).toEqual([
    { name: `proxy logs via Logs Insights ${LOG_GROUP}`, status: 'complete' },
    { name: 'ALB metrics via GetMetricData', status: 'complete' },
  ]);
  expect(cloudWatch.sources[0]!.detail).toMatch(/^complete, 1\.0 MB scanned \([\d,]+ records, 1 query\)$/);
  expect(cloudWatch.sources[1]!.detail).toBe('complete, 60 s periods, 1 page');
}

const kinds = (report: ReportJson) => report.findings.map((finding) => finding.kind);

describe('createInvestigationRunner: CloudWatch mode and files mode on the same incident', () => {
  it("finds the seed's 429 burst from both sources, with the same numbers and the same high confidence", async () => {
    const both = await investigateBothWays(incident([seedBurst, background]));
    const { files, cloudWatch } = both;

    expect(kinds(cloudWatch)).toEqual(kinds(files));
    expect(kinds(files).slice(0, 2)).toEqual(['throttling_429', 'keepalive_race']);
    expect(cloudWatch.verdict.facts).toEqual(files.verdict.facts);
    expect(files.verdict.facts).toMatchObject({
      burstStart: '2026-06-18T19:29:00Z',
      burstEnd: '2026-06-18T19:40:00Z',
      origin5xxWindow: 0,
      minutesBeforeAsked: 1,
    });
    expect(cloudWatch.signals.throttled_429!.window).toBe(files.verdict.facts.throttledWindow);
    expect(cloudWatch.signals.origin_5xx!.window).toBe(0);
    // The cross-check holds in both: the ALB's Target_4XX_Count (a metric here) agrees with the proxy's 429s.
    expect(cloudWatch.verdict.reasons.join('\n')).toContain('The ALB agrees independently');
    expect(cloudWatch.verdict.confidence).toBe('high');
    expect(files.verdict.confidence).toBe('high');
    expect(cloudWatch.verdict.reasons).toEqual(files.verdict.reasons);
    expectSameMeasurements(both);
    expectKnownDifferences(both);
    expectWentThroughCloudWatch(both);
  }, 60_000);

  it('calls a flat LB-minted 502 background a keep-alive race from both sources, at medium confidence for different reasons', async () => {
    const both = await investigateBothWays(incident([background]));
    const { files, cloudWatch } = both;

    expect(kinds(cloudWatch)).toEqual(kinds(files));
    expect(kinds(files)[0]).toBe('keepalive_race');
    const { tenantCount, elb502IndexWindow, ...lbWide } = files.verdict.facts;
    expect(cloudWatch.verdict.facts).toEqual({ ...lbWide, connectionErrorsWindow: 0 });
    expect(tenantCount).toBe(TENANTS.length);
    expect(elb502IndexWindow).toBeGreaterThan(0);
    // Medium in both, for opposite gaps: files mode sees which target groups got the 502s but
    // cannot measure connection errors (a metric only); CloudWatch measures connection errors
    // (0) but has no per-target-group ELB 502 metric, so "across tenants" cannot be shown.
    expect(files.verdict.confidence).toBe('medium');
    expect(cloudWatch.verdict.confidence).toBe('medium');
    expect(files.verdict.reasons).toContain(
      '0 target 5xx, 0 LB-minted 503, 0 LB-minted 504 in the window: the targets answered and were reachable; connections were closed while idle. Not measured: connection errors.',
    );
    expect(cloudWatch.verdict.reasons).toContain(
      '0 target 5xx, 0 connection errors, 0 LB-minted 503, 0 LB-minted 504 in the window: the targets answered and were reachable; connections were closed while idle.',
    );
    expect(cloudWatch.verdict.reasons).toContain(
      'The 502 count is load-balancer-wide (all tenants); CloudWatch has no per-target-group ELB 502 metric.',
    );
    expectSameMeasurements(both);
    expectKnownDifferences(both);
    expectWentThroughCloudWatch(both);
  }, 60_000);

  it('finds origin 500s at the asked time from both sources, confirmed by the ALB in both', async () => {
    const both = await investigateBothWays(incident([originErrors, background]));
    const { files, cloudWatch } = both;

    expect(kinds(cloudWatch)).toEqual(kinds(files));
    expect(kinds(files)[0]).toBe('origin_5xx');
    expect(cloudWatch.verdict.facts).toEqual(files.verdict.facts);
    expect(files.verdict.facts).toMatchObject({ topCode: '500', burstStart: '2026-06-18T19:35:00Z' });
    expect(cloudWatch.signals.origin_5xx!.window).toBe(files.verdict.facts.origin5xxWindow);
    expect(cloudWatch.signals.throttled_429!.window).toBe(0);
    expect(cloudWatch.verdict.confidence).toBe('high');
    expect(cloudWatch.verdict.reasons).toEqual(files.verdict.reasons);
    expect(cloudWatch.verdict.reasons.join('\n')).toContain('The ALB agrees independently: target 5xx');
    expectSameMeasurements(both);
    expectKnownDifferences(both);
    expectWentThroughCloudWatch(both);
  }, 60_000);

  it('answers "no errors" for a calm window from both sources, with high confidence only where connection errors were measured', async () => {
    const both = await investigateBothWays(incident([]));
    const { files, cloudWatch } = both;

    expect(kinds(files)).toEqual(['no_errors']);
    expect(kinds(cloudWatch)).toEqual(['no_errors']);
    expect(cloudWatch.verdict.facts).toEqual(files.verdict.facts);
    expect(cloudWatch.signals.throttled_429!.window).toBe(0);
    expect(cloudWatch.signals.origin_5xx!.window).toBe(0);
    // Files mode cannot measure connection errors (access logs do not record failed
    // connections), so its calm verdict is medium; CloudWatch measured every error signal,
    // TargetConnectionErrorCount included (0 on a live target group), so it may say high.
    expect(files.verdict.confidence).toBe('medium');
    expect(files.verdict.reasons).toContain('Not measured: connection errors.');
    expect(cloudWatch.verdict.confidence).toBe('high');
    expect(cloudWatch.verdict.reasons[0]).toBe(
      'At 05:41 AEST (19:41 UTC): 0 origin 5xx, 0 429s, 0 target 5xx, 0 connection errors, 0 LB-minted 502s, 0 LB-minted 503s, 0 LB-minted 504s.',
    );
    expectSameMeasurements(both);
    expectKnownDifferences(both);
    expectWentThroughCloudWatch(both);
  }, 60_000);

  it('divides LB-wide rates by every request the load balancer answered in both modes, its own 503s included', async () => {
    const noTargets = {
      kind: 'no_targets',
      index: 'prod_003_catalog',
      fromMinute: minute('19:00'),
      toMinute: minute('19:20'),
    } as const;

    const { files, cloudWatch } = await investigateBothWays(incident([noTargets, background]));

    // RequestCount leaves out requests no target was chosen for; the 503s are added back.
    expect(cloudWatch.signals.lb_requests!.perMinute).toEqual(files.signals.lb_requests!.perMinute);
    expect(cloudWatch.signals.lb_requests!.source).toBe(
      'CloudWatch RequestCount + HTTPCode_ELB_4XX_Count + HTTPCode_ELB_503_Count (load balancer): every request it answered',
    );
    expect(cloudWatch.signals.elb_503!.window).toBeGreaterThan(500);
  }, 60_000);
});
