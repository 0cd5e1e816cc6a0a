/**
 * The local Athena stand-in behaves as Athena documents, seen through the real
 * @aws-sdk/client-athena: the provider's tests are only as good as this.
 */
import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
  type StartQueryExecutionInput,
  StopQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type DuckAlbTable, loadDuckAlbTable } from '../../support/duckdb-alb-table.js';
import { type FakeAthena, startFakeAthena } from '../../support/fake-athena-server.js';
import { INDEX, incident } from '../../support/scenarios.js';
import { REGION, removeAlbLogs, writeAlbLogs } from './athena-harness.js';

const TABLE = '"lb_logs"."alb_access_logs"';
const client = (endpoint?: string) =>
  new AthenaClient({
    region: REGION,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
    ...(endpoint ? { endpoint } : {}),
  });

let root: string;
let table: DuckAlbTable;
let athena: FakeAthena;
let sdk: AthenaClient;

beforeAll(async () => {
  // 20 minutes across midnight UTC: two day folders.
  const spec = {
    ...incident([{ kind: 'no_targets', index: INDEX, fromMinute: 5, toMinute: 6 }]),
    start: new Date('2026-06-18T23:50:00Z'),
    minutes: 20,
  };
  root = await writeAlbLogs(spec);
  table = await loadDuckAlbTable([root]);
  athena = await startFakeAthena({ table, requeue: true });
  sdk = client(athena.endpoint);
}, 60_000);
afterAll(async () => {
  await athena?.close();
  table?.close();
  removeAlbLogs(root);
});

async function start(queryString: string, extra: Partial<StartQueryExecutionInput> = {}): Promise<string> {
  const { QueryExecutionId } = await sdk.send(
    new StartQueryExecutionCommand({
      QueryString: queryString,
      WorkGroup: 'why502',
      QueryExecutionContext: { Database: 'lb_logs' },
      ...extra,
    }),
  );
  return QueryExecutionId!;
}

/** Polls until a terminal state; returns every state seen and the last QueryExecution. */
async function statesUntilDone(id: string) {
  const states: string[] = [];
  for (;;) {
    const { QueryExecution } = await sdk.send(new GetQueryExecutionCommand({ QueryExecutionId: id }));
    states.push(QueryExecution!.Status!.State!);
    if (['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(QueryExecution!.Status!.State!))
      return { states, execution: QueryExecution! };
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const awsErrorOf = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (error: { name: string; message: string; $metadata: { httpStatusCode: number } }) => ({
      name: error.name,
      message: error.message,
      status: error.$metadata.httpStatusCode,
    }),
  );

describe('the Athena stand-in', () => {
  it('moves a query through QUEUED and RUNNING, back to QUEUED once, to SUCCEEDED', async () => {
    const id = await start(`SELECT count(*) AS n FROM ${TABLE} WHERE day = '2026/06/18'`);

    const { states } = await statesUntilDone(id);

    expect(states.slice(0, 4)).toEqual(['QUEUED', 'RUNNING', 'QUEUED', 'RUNNING']);
    expect(states.at(-1)).toBe('SUCCEEDED');
  });

  it('pages results: the header row first, at most MaxResults rows a page, NextToken, NULL without VarCharValue', async () => {
    const id = await start(
      `SELECT elb_status_code, target_port FROM ${TABLE} WHERE elb_status_code = 503 ORDER BY time LIMIT 3`,
    );
    await statesUntilDone(id);

    const first = await sdk.send(new GetQueryResultsCommand({ QueryExecutionId: id, MaxResults: 2 }));
    const second = await sdk.send(
      new GetQueryResultsCommand({ QueryExecutionId: id, MaxResults: 2, NextToken: first.NextToken! }),
    );

    expect(first.ResultSet!.Rows).toEqual([
      { Data: [{ VarCharValue: 'elb_status_code' }, { VarCharValue: 'target_port' }] },
      { Data: [{ VarCharValue: '503' }, {}] },
    ]);
    expect(second.ResultSet!.Rows).toEqual([
      { Data: [{ VarCharValue: '503' }, {}] },
      { Data: [{ VarCharValue: '503' }, {}] },
    ]);
    expect(second.NextToken).toBeUndefined();
    expect(first.ResultSet!.ResultSetMetadata!.ColumnInfo!.map((c) => [c.Name, c.Type])).toEqual([
      ['elb_status_code', 'integer'],
      ['target_port', 'integer'],
    ]);
  });

  it('puts each ExecutionParameter in place of its "?" as the literal it is, and reports the bytes of the day partitions named', async () => {
    const id = await start(`SELECT count(*) AS n FROM ${TABLE} WHERE day IN (?, ?) AND elb_status_code = ?`, {
      ExecutionParameters: ["'2026/06/19'", "'2026/06/19'", '503'],
    });
    const everything = await start(`SELECT count(*) AS n FROM ${TABLE}`);

    const { execution } = await statesUntilDone(id);
    const all = await statesUntilDone(everything);
    const rows = (await sdk.send(new GetQueryResultsCommand({ QueryExecutionId: id }))).ResultSet!.Rows!;
    const direct = await table.connect();
    const expected = (
      await direct.runAndReadAll(`SELECT count(*) FROM ${TABLE} WHERE day = '2026/06/19' AND elb_status_code = 503`)
    ).getRows()[0]![0];
    direct.closeSync();

    // The 503s of 23:55–23:56 are in the file that ends 00:00, delivered to the 19th's folder.
    expect(rows[1]).toEqual({ Data: [{ VarCharValue: String(expected) }] });
    expect(Number(expected)).toBeGreaterThan(100);
    expect(execution.Statistics!.DataScannedInBytes).toBe(table.partitionBytes.get('2026/06/19'));
    expect(all.execution.Statistics!.DataScannedInBytes).toBe(
      table.partitionBytes.get('2026/06/18')! + table.partitionBytes.get('2026/06/19')!,
    );
  });

  it('answers an identical query within the reuse age from the stored result, scanning nothing', async () => {
    const reuse = {
      ResultReuseConfiguration: { ResultReuseByAgeConfiguration: { Enabled: true, MaxAgeInMinutes: 10 } },
    };
    const sql = `SELECT count(*) AS n FROM ${TABLE} WHERE day = ?`;
    const first = await start(sql, { ...reuse, ExecutionParameters: ["'2026/06/18'"] });
    const firstRun = await statesUntilDone(first);

    const again = await start(sql, { ...reuse, ExecutionParameters: ["'2026/06/18'"] });
    const otherDay = await start(sql, { ...reuse, ExecutionParameters: ["'2026/06/19'"] });
    const againRun = await statesUntilDone(again);
    const otherRun = await statesUntilDone(otherDay);

    expect(firstRun.execution.Statistics!.ResultReuseInformation).toEqual({ ReusedPreviousResult: false });
    expect(againRun.states).toEqual(['SUCCEEDED']);
    expect(againRun.execution.Statistics).toMatchObject({
      DataScannedInBytes: 0,
      ResultReuseInformation: { ReusedPreviousResult: true },
    });
    expect(otherRun.execution.Statistics!.ResultReuseInformation).toEqual({ ReusedPreviousResult: false });
    expect((await sdk.send(new GetQueryResultsCommand({ QueryExecutionId: again }))).ResultSet!.Rows).toEqual(
      (await sdk.send(new GetQueryResultsCommand({ QueryExecutionId: first }))).ResultSet!.Rows,
    );
  });

  it('ends SQL the engine refuses FAILED, with a StateChangeReason and an AthenaError', async () => {
    const id = await start(`SELECT no_such_column FROM ${TABLE}`);

    const { execution } = await statesUntilDone(id);

    expect(execution.Status!.State).toBe('FAILED');
    expect(execution.Status!.StateChangeReason).toMatch(/no_such_column/);
    expect(execution.Status!.AthenaError).toMatchObject({ ErrorCategory: 2, Retryable: false });
  });

  it("fails a query whose parameters do not match its placeholders, in Athena's words", async () => {
    const id = await start(`SELECT count(*) FROM ${TABLE} WHERE day = ?`);

    const { execution } = await statesUntilDone(id);

    expect(execution.Status!.StateChangeReason).toBe('Incorrect number of parameters: expected 1 but found 0');
  });

  it('cancels a running query on StopQueryExecution', async () => {
    athena.setLatency(Number.POSITIVE_INFINITY);
    try {
      const id = await start(`SELECT count(*) FROM ${TABLE}`);
      await sdk.send(new StopQueryExecutionCommand({ QueryExecutionId: id }));

      const { execution } = await statesUntilDone(id);

      expect(execution.Status).toMatchObject({ State: 'CANCELLED', StateChangeReason: 'Query cancelled by user' });
    } finally {
      athena.setLatency(0);
    }
  });

  it('starts one query for one ClientRequestToken, however often the start is sent', async () => {
    const token = 'why502-test-token-0000000000000001';
    const sql = `SELECT 1 AS one FROM ${TABLE} LIMIT 1`;

    const ids = [await start(sql, { ClientRequestToken: token }), await start(sql, { ClientRequestToken: token })];

    expect(ids[0]).toBe(ids[1]);
  });

  it('throttles, rate-limits and fails with a 500 on demand, as the SDK reports them', async () => {
    athena.failNext('StartQueryExecution', 'TooManyRequestsException');
    athena.failNext('StartQueryExecution', 'ThrottlingException');
    athena.failNext('StartQueryExecution', 'InternalServerException');

    const errors = [
      await awsErrorOf(start('SELECT 1')),
      await awsErrorOf(start('SELECT 1')),
      await awsErrorOf(start('SELECT 1')),
    ];

    expect(errors).toEqual([
      {
        name: 'TooManyRequestsException',
        status: 400,
        message: expect.stringContaining('limit for the number of queries you can run concurrently'),
      },
      { name: 'ThrottlingException', status: 400, message: 'Rate exceeded' },
      { name: 'InternalServerException', status: 500, message: 'We encountered an internal error. Please try again.' },
    ]);
  });

  it('refuses results before SUCCEEDED and pages over 1,000 rows, as the API does', async () => {
    athena.setLatency(Number.POSITIVE_INFINITY);
    try {
      const id = await start(`SELECT 1 AS one FROM ${TABLE} LIMIT 1`);

      const early = await awsErrorOf(sdk.send(new GetQueryResultsCommand({ QueryExecutionId: id })));
      const tooMany = await awsErrorOf(
        sdk.send(new GetQueryResultsCommand({ QueryExecutionId: id, MaxResults: 1001 })),
      );

      expect(early).toEqual({
        name: 'InvalidRequestException',
        status: 400,
        message: 'Query has not yet finished. Current state: QUEUED',
      });
      expect(tooMany?.name).toBe('InvalidRequestException');
    } finally {
      athena.setLatency(0);
    }
  });

  it('is reached through AWS_ENDPOINT_URL_ATHENA, as the SDK documents', async () => {
    vi.stubEnv('AWS_ENDPOINT_URL_ATHENA', athena.endpoint);
    try {
      const { QueryExecutionId } = await client().send(
        new StartQueryExecutionCommand({ QueryString: `SELECT 1 AS one FROM ${TABLE} LIMIT 1`, WorkGroup: 'why502' }),
      );

      expect(athena.queries().map((q) => q.id)).toContain(QueryExecutionId);
    } finally {
      vi.unstubAllEnvs();
    }
  });
});
