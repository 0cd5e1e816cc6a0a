/**
 * judgePatterns and describePatterns, pure: which hourly series a verdict kind is judged on, and
 * the note lines in the asked zone — a pattern with its hour and days, or one honest line when
 * nothing recurred, too few days were measured, or nothing was measured.
 */
import { describe, expect, it } from 'vitest';
import type { VerdictKind } from '../../src/core/types.js';
import { createTimeFormatter } from '../../src/grammar/time-formatter.js';
import { resolveZone } from '../../src/grammar/zones.js';
import { describePatterns } from '../../src/patterns/describe-patterns.js';
import {
  type HourGrid,
  type HourlySeries,
  measuredHourly,
  unavailableHourly,
} from '../../src/patterns/hourly-series.js';
import { judgePatterns } from '../../src/patterns/judge-patterns.js';
import { BURST_DAYS, countByHand, DAILY_INDEX, DAILY_START } from './support/daily-incident-fixture.js';

const GRID: HourGrid = { start: DAILY_START, hours: 14 * 24 };
const REQUESTED = { start: DAILY_START, end: new Date('2026-06-19T00:00:00Z') };
const AEST = createTimeFormatter(resolveZone('AEST'));
const UTC = createTimeFormatter(resolveZone('UTC'));

const indexSeries = (): HourlySeries =>
  measuredHourly(
    'elb_502_index',
    'athena',
    'index',
    'Athena lb_logs.alb_access_logs (access logs), hourly',
    countByHand('elb_502_index', DAILY_START, GRID.hours),
  );
const lbSeries = (): HourlySeries =>
  measuredHourly(
    'elb_502',
    'cloudwatch',
    'loadBalancer',
    'CloudWatch HTTPCode_ELB_502_Count (load balancer), hourly',
    countByHand('elb_502', DAILY_START, GRID.hours),
  );

function judge(kind: VerdictKind, series: HourlySeries[]) {
  return judgePatterns({
    grid: GRID,
    requestedWindow: REQUESTED,
    verdictKind: kind,
    index: DAILY_INDEX,
    series,
    sources: [],
  });
}

describe('judgePatterns', () => {
  it("judges target_unreachable on the index's own LB-minted 502s and finds the 19:00 UTC hour on 12 of 14 days", () => {
    const evidence = judge('target_unreachable', [lbSeries(), indexSeries()]);

    expect(evidence.judged).toEqual({
      signal: 'elb_502_index',
      provider: 'athena',
      source: 'Athena lb_logs.alb_access_logs (access logs), hourly',
    });
    expect(evidence.patterns.map(({ hourUtc, days, daysMeasured }) => ({ hourUtc, days, daysMeasured }))).toEqual([
      { hourUtc: 19, days: BURST_DAYS, daysMeasured: 14 },
    ]);
    expect([evidence.window, evidence.bucketMinutes]).toEqual([REQUESTED, 60]);
  });

  it("falls back to the load balancer's 502s when the index's were not measured", () => {
    const evidence = judge('keepalive_race', [
      unavailableHourly('elb_502_index', 'athena', 'index', 'Athena', 'Athena query timed out after 60 s'),
      lbSeries(),
    ]);

    expect([evidence.judged?.signal, evidence.patterns.map((p) => p.hourUtc)]).toEqual(['elb_502', [19]]);
  });

  it('judges nothing when no candidate of the kind was measured', () => {
    const evidence = judge('throttling_429', [indexSeries()]);

    expect([evidence.judged, evidence.patterns]).toEqual([null, []]);
  });
});

describe('describePatterns', () => {
  it('names the hour in the asked zone and UTC, the local days, and the counts of that hour', () => {
    const evidence = judge('target_unreachable', [indexSeries()]);
    const counts = countByHand('elb_502_index', DAILY_START, GRID.hours);
    const burstCounts = BURST_DAYS.map(
      (day) => counts[(Date.parse(`${day}T19:00:00Z`) - DAILY_START.getTime()) / 3_600_000]!,
    );

    const lines = describePatterns(evidence, AEST);

    expect(lines).toEqual([
      'LB-minted 502s for prod_000_audio burst daily in the hour 05:00–05:59 AEST (19:00–19:59 UTC), on 12 of the 14 days measured ' +
        '(6 Jun, 7 Jun, 8 Jun, 9 Jun, 11 Jun, 12 Jun, 13 Jun, 14 Jun, 16 Jun, 17 Jun, 18 Jun, 19 Jun): something scheduled, such as a daily restart, a cron job or an autoscaling cycle.',
      `By the hour (Athena lb_logs.alb_access_logs (access logs), hourly, 5 Jun–19 Jun): that hour held ${Math.min(...burstCounts)}–${Math.max(...burstCounts)} on those days, against a median of 0 an hour.`,
    ]);
  });

  it('writes UTC alone for a UTC question, and the half-hour of a :30 zone', () => {
    const evidence = judge('target_unreachable', [indexSeries()]);

    const [utcLine] = describePatterns(evidence, UTC);
    const [acstLine] = describePatterns(evidence, createTimeFormatter(resolveZone('ACST')));

    expect(utcLine).toMatch(
      /^LB-minted 502s for prod_000_audio burst daily in the hour 19:00–19:59 UTC, on 12 of the 14 days measured \(5 Jun, 6 Jun, /,
    );
    expect(acstLine).toMatch(
      /in the hour 04:30–05:29 ACST \(19:00–19:59 UTC\), on 12 of the 14 days measured \(6 Jun, /,
    );
  });

  it("says which signal it fell back to and why the index's own was not measured", () => {
    const evidence = judge('target_unreachable', [
      unavailableHourly(
        'elb_502_index',
        'athena',
        'index',
        'Athena',
        'no Athena: configure aws.athena to read the access logs',
      ),
      lbSeries(),
    ]);

    expect(describePatterns(evidence, AEST).at(-1)).toBe(
      'Read from LB-minted 502s (whole load balancer) because LB-minted 502s for prod_000_audio were not measured by the hour: no Athena: configure aws.athena to read the access logs.',
    );
  });

  it('says no daily pattern only over what was measured, with the days and the source', () => {
    const flat = measuredHourly(
      'elb_502',
      'cloudwatch',
      'loadBalancer',
      'CloudWatch HTTPCode_ELB_502_Count (load balancer), hourly',
      countByHand('elb_502', DAILY_START, GRID.hours).map((n, i) => (i % 24 === 19 ? 1 : n)),
    );

    expect(describePatterns(judge('keepalive_race', [flat]), AEST)).toEqual([
      'No daily pattern: LB-minted 502s (whole load balancer) did not burst at the same hour on 3 or more of the 14 days measured (5 Jun–19 Jun, by the hour, CloudWatch HTTPCode_ELB_502_Count (load balancer), hourly).',
    ]);
  });

  it('says too few days were measured rather than that nothing recurs', () => {
    const counts = countByHand('elb_502_index', DAILY_START, GRID.hours).map((n, i) => (i < 12 * 24 ? null : n));
    const series = measuredHourly(
      'elb_502_index',
      'athena',
      'index',
      'Athena lb_logs.alb_access_logs (access logs), hourly',
      counts,
    );

    expect(describePatterns(judge('target_unreachable', [series]), AEST)).toEqual([
      'Too few days for a daily pattern: LB-minted 502s for prod_000_audio were measured by the hour on 2 days (5 Jun–19 Jun, Athena lb_logs.alb_access_logs (access logs), hourly); a pattern needs bursts on at least 3. Partial: 288 of 336 hours not measured.',
    ]);
  });

  it('never says "no pattern" when nothing was measured: it says unknown, and why', () => {
    const evidence = judge('target_unreachable', [
      unavailableHourly(
        'elb_502_index',
        'athena',
        'index',
        'Athena',
        'Athena (workgroup why502): access denied (AccessDeniedException); the credentials need athena:StartQueryExecution',
      ),
      unavailableHourly(
        'elb_502',
        'cloudwatch',
        'loadBalancer',
        'CloudWatch',
        'GetMetricData did not answer within 60 s (aws.queryTimeoutSeconds)',
      ),
    ]);

    expect(describePatterns(evidence, AEST)).toEqual([
      'Patterns over days were not measured, so whether the errors recur daily is unknown: ' +
        'LB-minted 502s for prod_000_audio: Athena (workgroup why502): access denied (AccessDeniedException); the credentials need athena:StartQueryExecution; ' +
        'LB-minted 502s (whole load balancer): GetMetricData did not answer within 60 s (aws.queryTimeoutSeconds).',
    ]);
  });
});
