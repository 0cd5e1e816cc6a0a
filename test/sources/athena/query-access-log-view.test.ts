/**
 * queryAccessLogView's behaviour around the answer — deadlines, Athena's own failures,
 * throttling, result reuse, shared queries, cancellation, empty tables — through the real
 * @aws-sdk/client-athena and the local Athena stand-in. (That the answer itself equals files
 * mode's is alb-view-equivalence.test.ts.)
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../../../src/core/clock.js';
import type { AthenaApi } from '../../../src/sources/athena/athena-api.js';
import type { AthenaConfig } from '../../../src/sources/athena/athena-config.js';
import { type AccessLogViewInput, queryAccessLogView } from '../../../src/sources/athena/query-access-log-view.js';
import { SharedQueries } from '../../../src/sources/athena/shared-queries.js';
import { type DuckAlbTable, loadDuckAlbTable } from '../../support/duckdb-alb-table.js';
import { type FakeAthena, startFakeAthena } from '../../support/fake-athena-server.js';
import { INDEX, incident, TENANTS } from '../../support/scenarios.js';
import { ATHENA, athenaApiAt, fastClock, instantClock, removeAlbLogs, sum, writeAlbLogs } from './athena-harness.js';

const TENANT = TENANTS.find((t) => t.index === INDEX)!;
const SPEC = {
  ...incident([{ kind: 'target_down', index: INDEX, fromMinute: 15, toMinute: 25, failFraction: 0.4 }]),
  start: new Date('2026-06-18T19:10:00Z'),
  minutes: 45,
};
const INPUT: AccessLogViewInput = {
  window: { start: new Date('2026-06-18T19:20:00Z'), end: new Date('2026-06-18T19:50:00Z') },
  askedAt: new Date('2026-06-18T19:31:00Z'),
  selector: { index: INDEX, targetGroup: TENANT.targetGroup },
  slowRequestSeconds: 2,
  athena: ATHENA,
  loadBalancer: SPEC.loadBalancer,
};

let root: string;
let table: DuckAlbTable;
let athena: FakeAthena;

beforeAll(async () => {
  root = await writeAlbLogs(SPEC);
  table = await loadDuckAlbTable([root]);
  athena = await startFakeAthena({ table });
}, 60_000);
afterAll(async () => {
  await athena?.close();
  table?.close();
  removeAlbLogs(root);
});
afterEach(() => {
  athena.forgetResults();
  athena.reset();
});

function view(
  options: {
    input?: Partial<AccessLogViewInput>;
    athena?: Partial<AthenaConfig>;
    clock?: Clock;
    api?: AthenaApi;
    signal?: AbortSignal;
    shared?: SharedQueries;
  } = {},
) {
  return queryAccessLogView(
    { ...INPUT, ...options.input, athena: { ...ATHENA, ...options.athena } },
    {
      athena: options.api ?? athenaApiAt(athena.endpoint),
      clock: options.clock ?? fastClock(),
      random: () => 0.5,
      shared: options.shared ?? new SharedQueries(),
      ...(options.signal ? { signal: options.signal } : {}),
    },
  );
}

describe('queryAccessLogView', () => {
  it('answers with counts, samples and what the two queries cost, sending values only as ExecutionParameters', async () => {
    const result = await view({ athena: { outputLocation: 's3://my-athena-results/why502/' } });

    const queries = athena.queries();
    expect(result).toMatchObject({
      source: 'Athena lb_logs.alb_access_logs',
      status: 'complete',
      notes: [],
      unparsedRows: 0,
      partitions: ['2026/06/18'],
    });
    expect(sum(result.counts!.perMinute.elb502Index)).toBeGreaterThan(50);
    expect(result.samples).toHaveLength(30);
    expect(result.stats).toEqual({
      queryIds: queries.map((q) => q.id),
      bytesScanned: 2 * table.partitionBytes.get('2026/06/18')!,
      costUsd: 0.0001,
      reused: [false, false],
    });
    expect(
      queries.map(({ workGroup, database, outputLocation, reuseMaxAgeMinutes }) => ({
        workGroup,
        database,
        outputLocation,
        reuseMaxAgeMinutes,
      })),
    ).toEqual([
      {
        workGroup: 'why502',
        database: 'lb_logs',
        outputLocation: 's3://my-athena-results/why502/',
        reuseMaxAgeMinutes: 10,
      },
      {
        workGroup: 'why502',
        database: 'lb_logs',
        outputLocation: 's3://my-athena-results/why502/',
        reuseMaxAgeMinutes: 10,
      },
    ]);
    for (const query of queries) {
      expect(query.executionParameters.every((p) => /^'(?:[^']|'')*'$|^\d+(\.\d+)?$/.test(p))).toBe(true);
      for (const parameter of query.executionParameters.filter((p) => p.length > 4))
        expect(query.queryString).not.toContain(parameter.slice(1, -1));
    }
  });

  it('stops both queries and says so when Athena has not answered by the deadline, with no numbers', async () => {
    athena.setLatency(Number.POSITIVE_INFINITY);
    const { clock } = instantClock();

    const result = await view({ clock });

    expect(result).toMatchObject({
      status: 'failed',
      reason: 'Athena query timed out after 60 s (aws.athena.queryTimeoutSeconds); stopped it',
      counts: null,
      samples: null,
      unparsedRows: null,
      entriesPerMinute: null,
    });
    expect(athena.queries().map((q) => athena.stateOf(q.id))).toEqual(['CANCELLED', 'CANCELLED']);
    expect(athena.calls().StopQueryExecution).toBe(2);
  });

  it("gives Athena's own reason when a query FAILED", async () => {
    const result = await view({ athena: { table: 'no_such_table' } });

    const [counts] = athena.queries();
    expect(result.status).toBe('failed');
    expect(result.reason).toMatch(new RegExp(`^Athena query ${counts!.id} failed: .*no_such_table`));
    expect(result.counts).toBeNull();
  });

  it('retries throttling and a 500 with backoff, answers, and leaves a note saying so', async () => {
    athena.failNext('StartQueryExecution', 'TooManyRequestsException', 2);
    athena.failNext('GetQueryExecution', 'ThrottlingException');
    athena.failNext('GetQueryResults', 'InternalServerException');

    const result = await view();

    expect(result.status).toBe('complete');
    expect(result.notes).toEqual([
      'Athena throttled or briefly failed 4 calls (TooManyRequestsException ×2, ThrottlingException ×1, InternalServerException ×1); retried with backoff',
    ]);
    expect(athena.queries()).toHaveLength(2);
  });

  it('gives up at the deadline while still throttled, naming the error', async () => {
    athena.failNext('StartQueryExecution', 'TooManyRequestsException', 100);
    const { clock } = instantClock();

    const result = await view({ clock });

    expect(result).toMatchObject({
      status: 'failed',
      reason:
        'Athena query timed out after 60 s, Athena still answering TooManyRequestsException (aws.athena.queryTimeoutSeconds)',
    });
    expect(athena.queries()).toEqual([]);
  });

  it('says which permission is missing when access is denied', async () => {
    athena.failNext('StartQueryExecution', 'AccessDeniedException', 2);

    const result = await view();

    expect(result.reason).toBe(
      'Athena (workgroup why502): access denied (AccessDeniedException); the credentials need athena:StartQueryExecution, athena:GetQueryExecution, athena:GetQueryResults, athena:StopQueryExecution',
    );
  });

  it('keeps the counts and reports the view partial when only the samples query fails', async () => {
    const api = athenaApiAt(athena.endpoint);
    const failingSamples: AthenaApi = {
      ...api,
      startQueryExecution: (input, options) =>
        input.QueryString!.includes('nearness')
          ? Promise.reject(
              Object.assign(new Error('not authorized to perform athena:StartQueryExecution'), {
                name: 'AccessDeniedException',
              }),
            )
          : api.startQueryExecution(input, options),
    };

    const result = await view({ api: failingSamples });

    expect(result.status).toBe('partial');
    expect(result.reason).toMatch(/^sample rows unavailable: Athena \(workgroup why502\): access denied/);
    expect(result.samples).toBeNull();
    expect(sum(result.counts!.perMinute.requests)).toBeGreaterThan(1000);
  });

  it('costs nothing the second time: Athena reuses the stored results', async () => {
    const first = await view();

    const second = await view();

    expect(second.counts).toEqual(first.counts);
    expect(second.samples).toEqual(first.samples);
    expect(second.stats).toMatchObject({ bytesScanned: 0, costUsd: 0, reused: [true, true] });
    expect(
      athena
        .queries()
        .slice(2)
        .map((q) => q.reusedFrom),
    ).toEqual(first.stats.queryIds);
  });

  it('shares one query between identical investigations running at the same time', async () => {
    const shared = new SharedQueries();

    const [a, b] = await Promise.all([view({ shared }), view({ shared })]);

    expect(athena.calls().StartQueryExecution).toBe(2);
    expect(b.counts).toEqual(a.counts);
    expect(b.stats.queryIds).toEqual(a.stats.queryIds);
    expect(shared.size).toBe(0);
  });

  it('stops the queries and rejects when the only investigation waiting for them is cancelled', async () => {
    athena.setLatency(Number.POSITIVE_INFINITY);
    const controller = new AbortController();
    const api = athenaApiAt(athena.endpoint);
    let polls = 0;
    const cancelling: AthenaApi = {
      ...api,
      getQueryExecution: async (input, options) => {
        if (++polls === 4) controller.abort(new Error('the user dismissed the answer'));
        return api.getQueryExecution(input, options);
      },
    };

    const outcome = await view({ api: cancelling, signal: controller.signal, clock: instantClock().clock }).catch(
      (error: unknown) => error,
    );

    expect(outcome).toEqual(new Error('the user dismissed the answer'));
    await expect.poll(() => athena.queries().map((q) => athena.stateOf(q.id))).toEqual(['CANCELLED', 'CANCELLED']);
  });

  it('reports no rows as unmeasured, not as zero, naming where it looked', async () => {
    const elsewhere = await view({ input: { loadBalancer: 'app/other-lb/0123456789abcdef' } });
    const tooEarly = await view({
      input: {
        window: { start: new Date('2026-06-18T12:00:00Z'), end: new Date('2026-06-18T15:00:00Z') },
        askedAt: new Date('2026-06-18T13:30:00Z'),
      },
    });

    expect(elsewhere).toMatchObject({
      status: 'failed',
      counts: null,
      reason:
        "the access-log table holds no rows of app/other-lb/0123456789abcdef in day partition 2026/06/18: is access logging on, and does the table's LOCATION point at these logs?",
    });
    expect(tooEarly).toMatchObject({
      status: 'failed',
      counts: null,
      reason: `the access-log table holds no rows of ${SPEC.loadBalancer} in the window; its rows in day partition 2026/06/18 span 2026-06-18 19:10–2026-06-18 19:54 UTC (files arrive 5–10 minutes late)`,
    });
  });

  it('refuses a window longer than the three day partitions its queries name, before asking Athena', async () => {
    const result = await view({
      input: { window: { start: new Date('2026-06-17T23:00:00Z'), end: new Date('2026-06-19T23:50:00Z') } },
    });

    expect(result).toMatchObject({
      status: 'failed',
      reason:
        'the window spans 4 day partitions of the access-log table; Athena reads at most 3 (a window of up to 24 h)',
    });
    expect(athena.calls()).toEqual({});
  });
});
