/**
 * queryHourlyCounts through the real @aws-sdk/client-athena and the DuckDB-backed Athena
 * stand-in, over the generated 14-day incident's ALB log files in their S3 layout: the hourly
 * counts equal the same lines counted by hand, only the window's day partitions are scanned,
 * values travel only as ExecutionParameters, and failures are unavailable with their reason.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { HourGrid } from '../../src/patterns/hourly-series.js';
import {
  buildHourlyQuery,
  type HourlyAccessLogInput,
  queryHourlyCounts,
} from '../../src/sources/athena/query-hourly-counts.js';
import { SharedQueries } from '../../src/sources/athena/shared-queries.js';
import { ATHENA, athenaApiAt, fastClock, removeAlbLogs, sum, writeAlbLogs } from '../sources/athena/athena-harness.js';
import { type DuckAlbTable, loadDuckAlbTable } from '../support/duckdb-alb-table.js';
import { type FakeAthena, startFakeAthena } from '../support/fake-athena-server.js';
import {
  countByHand,
  DAILY_INDEX,
  DAILY_SPEC,
  DAILY_START,
  DAILY_TARGET_GROUP,
} from './support/daily-incident-fixture.js';

const GRID: HourGrid = { start: DAILY_START, hours: 336 };
const SOURCE = 'Athena lb_logs.alb_access_logs (access logs), hourly';

let root: string;
let table: DuckAlbTable;
let athena: FakeAthena;

beforeAll(async () => {
  root = await writeAlbLogs(DAILY_SPEC);
  table = await loadDuckAlbTable([root]);
  athena = await startFakeAthena({ table });
}, 120_000);
afterAll(async () => {
  await athena?.close();
  table?.close();
  removeAlbLogs(root);
});
afterEach(() => {
  athena.forgetResults();
  athena.reset();
});

function input(overrides: Partial<HourlyAccessLogInput> = {}): HourlyAccessLogInput {
  return {
    grid: GRID,
    selector: { index: DAILY_INDEX, targetGroup: DAILY_TARGET_GROUP },
    athena: ATHENA,
    loadBalancer: DAILY_SPEC.loadBalancer,
    ...overrides,
  };
}

function query(overrides: Partial<HourlyAccessLogInput> = {}) {
  return queryHourlyCounts(input(overrides), {
    athena: athenaApiAt(athena.endpoint),
    clock: fastClock(),
    random: () => 0.5,
    shared: new SharedQueries(),
  });
}

const seriesOf = (outcome: Awaited<ReturnType<typeof queryHourlyCounts>>, signal: string) =>
  outcome.series.find((s) => s.signal === signal)!;
const DAYS = Array.from({ length: 15 }, (_, i) => `2026/06/${String(5 + i).padStart(2, '0')}`);

describe('queryHourlyCounts', () => {
  it("counts the index's LB-minted 502s per hour over 14 days in ONE scan, equal to the lines counted by hand", async () => {
    const outcome = await query();

    expect(seriesOf(outcome, 'elb_502_index')).toEqual({
      signal: 'elb_502_index',
      provider: 'athena',
      scope: 'index',
      source: SOURCE,
      status: 'ok',
      counts: countByHand('elb_502_index', DAILY_START, 336),
    });
    const zeros = new Array<number>(336).fill(0);
    expect(
      ['elb_503_index', 'answers_504_index', 'target_5xx', 'target_429_index'].map(
        (signal) => seriesOf(outcome, signal).counts,
      ),
    ).toEqual([zeros, zeros, zeros, zeros]);
    // The last hours' files are delivered after midnight UTC: the 19 Jun folder is read too.
    expect([outcome.partitions, athena.queries().map((q) => q.partitions)]).toEqual([DAYS, [DAYS]]);
    const bytes = sum(DAYS.map((day) => table.partitionBytes.get(day)!));
    expect(outcome.stats).toEqual({
      queryIds: [athena.queries()[0]!.id],
      bytesScanned: bytes,
      costUsd: 0.00005,
      reused: [false],
    });
    expect(outcome.source).toEqual({
      name: 'ALB access logs by the hour via Athena lb_logs.alb_access_logs',
      status: 'complete',
      detail: `complete, 1 query, 15 day partitions, ${(bytes / 1e6).toFixed(1)} MB scanned (about $0.00005)`,
    });
  });

  it('reads only the day partitions of a shorter window, and counts its hours alone', async () => {
    const grid: HourGrid = { start: new Date('2026-06-10T12:00:00Z'), hours: 36 };

    const outcome = await query({ grid });

    // It ends at midnight: the next day's folder holds its last files.
    const days = ['2026/06/10', '2026/06/11', '2026/06/12'];
    expect([outcome.partitions, athena.queries()[0]!.partitions]).toEqual([days, days]);
    expect(seriesOf(outcome, 'elb_502_index').counts).toEqual(countByHand('elb_502_index', grid.start, 36));
    expect(outcome.stats.bytesScanned).toBe(sum(days.map((day) => table.partitionBytes.get(day)!)));
  });

  it('sends every value as an ExecutionParameter, sixteen day values with the last repeated', () => {
    const bound = buildHourlyQuery(input(), DAYS);

    expect(bound.executionParameters).toEqual([
      ...DAYS.map((day) => `'${day}'`),
      "'2026/06/19'",
      "'^app/k8s-ingress/0123456789abcdef$'",
      "'2026-06-05T00:00:00'",
      "'2026-06-19T00:00:00'",
      `'${DAILY_TARGET_GROUP}$'`,
      "'^'",
    ]);
    expect(bound.queryString).not.toMatch(/2026|k8s-ingress|targetgroup/);
    expect(bound.queryString.split('?').length - 1).toBe(21);
  });

  it('retries throttling and says so', async () => {
    athena.failNext('StartQueryExecution', 'ThrottlingException', 2);

    const outcome = await query();

    expect([outcome.source.status, seriesOf(outcome, 'elb_502_index').status]).toEqual(['complete', 'ok']);
    expect(outcome.source.detail).toContain('Athena throttled or briefly failed 2 calls, retried with backoff');
  });

  it('makes every series unavailable, with the permission, when Athena refuses', async () => {
    athena.failNext('StartQueryExecution', 'AccessDeniedException');

    const outcome = await query();

    const reason =
      'Athena (workgroup why502): access denied (AccessDeniedException); the credentials need athena:StartQueryExecution, athena:GetQueryExecution, athena:GetQueryResults, athena:StopQueryExecution';
    expect(outcome.series.map((s) => [s.signal, s.status, s.reason, s.counts])).toEqual(
      ['elb_502_index', 'elb_503_index', 'answers_504_index', 'target_5xx', 'target_429_index'].map((signal) => [
        signal,
        'unavailable',
        reason,
        null,
      ]),
    );
    expect(outcome.source.status).toBe('failed');
  });

  it('is unavailable, never zeros, when the table has no row of this load balancer in the window', async () => {
    const outcome = await query({ loadBalancer: 'app/k8s-other/fedcba9876543210' });

    expect([seriesOf(outcome, 'elb_502_index').status, seriesOf(outcome, 'elb_502_index').reason]).toEqual([
      'unavailable',
      "the access-log table holds no rows of app/k8s-other/fedcba9876543210 in the pattern window (day partitions 2026/06/05–2026/06/19): is access logging on, and does the table's LOCATION point at these logs?",
    ]);
  });
});
