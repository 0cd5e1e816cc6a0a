/**
 * A local stand-in for Amazon Athena on 127.0.0.1, speaking the wire protocol of the installed
 * @aws-sdk/client-athena: AWS JSON 1.1, `POST /`, `X-Amz-Target: AmazonAthena.<Operation>`.
 * Reach it with AWS_ENDPOINT_URL_ATHENA or a client's `endpoint`. Signatures are not checked.
 *
 * It runs the SQL it receives — ExecutionParameters put in place of each `?` as the SQL literals
 * they are — in DuckDB over a table shaped like the AWS ALB table (duckdb-alb-table.ts), and
 * behaves as Athena documents (next-capabilities §1.4):
 * - a query goes QUEUED → RUNNING (→ QUEUED → RUNNING with `requeue`) → SUCCEEDED, one state per
 *   GetQueryExecution, and stays RUNNING until `latencyMs` of real time has passed
 *   (Infinity: it never finishes, for deadline tests);
 * - bad SQL, or a wrong number of parameters, ends FAILED with a StateChangeReason and AthenaError;
 * - StopQueryExecution ends a running query CANCELLED;
 * - GetQueryResults pages: at most MaxResults (1–1,000) rows a page, the header row first on the
 *   first page (it counts as one of them), NextToken for the rest, NULL as a Data entry without
 *   VarCharValue; asking before SUCCEEDED is an InvalidRequestException;
 * - Statistics.DataScannedInBytes: the size of the files of the day partitions the query names
 *   (`day IN (…)` or `day = …`), all partitions when it names none — Athena's partition pruning;
 * - ResultReuseConfiguration: an identical query (text, parameters, database, workgroup) within
 *   MaxAgeInMinutes of a SUCCEEDED one answers at once from it, ReusedPreviousResult true, 0 bytes;
 * - ClientRequestToken: a start repeated with the same token is the same query;
 * - faults on demand: TooManyRequestsException, ThrottlingException, InternalServerException (500),
 *   AccessDeniedException.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DuckAlbTable } from './duckdb-alb-table.js';

export type FaultKind =
  | 'TooManyRequestsException'
  | 'ThrottlingException'
  | 'InternalServerException'
  | 'AccessDeniedException';

export interface FakeAthenaOptions {
  table: DuckAlbTable;
  /** Real time a query stays RUNNING at least. Default 0; Infinity never finishes. */
  latencyMs?: number;
  /** Each query goes RUNNING → QUEUED → RUNNING once, as Athena does after transient errors. */
  requeue?: boolean;
}

export interface StartedQuery {
  id: string;
  queryString: string;
  executionParameters: string[];
  workGroup: string | undefined;
  database: string | undefined;
  outputLocation: string | undefined;
  reuseMaxAgeMinutes: number | null;
  /** The id whose result this one reused, if it did. */
  reusedFrom: string | null;
  /** The day partitions it read (empty when it reused a result). */
  partitions: string[];
}

export interface FakeAthena {
  endpoint: string;
  /** Calls answered, by operation ("StartQueryExecution", …), faults included. */
  calls(): Record<string, number>;
  queries(): StartedQuery[];
  /** The state of a query now ("RUNNING", "CANCELLED", …). */
  stateOf(id: string): string | undefined;
  /** The next `times` calls of `operation` fail with `fault`. */
  failNext(operation: string, fault: FaultKind, times?: number): void;
  setLatency(ms: number): void;
  /** Forget stored results (result reuse starts afresh). */
  forgetResults(): void;
  /** Between tests: call counts, the queries() list and pending faults start afresh; latency back to the option's. */
  reset(): void;
  close(): Promise<void>;
}

type State = 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED';
type Json = Record<string, unknown>;

interface QueryRecord {
  started: StartedQuery;
  key: string;
  submittedMs: number;
  /** States still to be reported before completion may be. */
  phases: State[];
  state: State;
  completedMs: number | null;
  execution: Promise<void>;
  result: { columns: Array<{ name: string; type: string }>; rows: Array<Array<string | null>> } | null;
  failure: string | null;
  bytesScanned: number;
  engineMs: number;
  stateChangeReason: string | null;
}

const FAULTS: Record<FaultKind, [number, Json]> = {
  TooManyRequestsException: [
    400,
    {
      __type: 'TooManyRequestsException',
      Message:
        'You have exceeded the limit for the number of queries you can run concurrently. Reduce the number of concurrent queries submitted by this account.',
      Reason: 'CONCURRENT_QUERY_LIMIT_EXCEEDED',
    },
  ],
  ThrottlingException: [400, { __type: 'ThrottlingException', message: 'Rate exceeded' }],
  InternalServerException: [
    500,
    { __type: 'InternalServerException', Message: 'We encountered an internal error. Please try again.' },
  ],
  AccessDeniedException: [
    400,
    {
      __type: 'AccessDeniedException',
      Message:
        'User: arn:aws:sts::123456789012:assumed-role/why502/worker is not authorized to perform: athena:StartQueryExecution',
    },
  ],
};

const MAX_QUERY_STRING = 262_144;
const MAX_PAGE_ROWS = 1000;

export async function startFakeAthena(options: FakeAthenaOptions): Promise<FakeAthena> {
  const counts: Record<string, number> = {};
  const records = new Map<string, QueryRecord>();
  const byToken = new Map<string, string>();
  const faults = new Map<string, FaultKind[]>();
  let latencyMs = options.latencyMs ?? 0;
  let nextId = 1;
  let forgottenBeforeMs = Number.NEGATIVE_INFINITY;
  let listedFrom = 0;

  const invalid = (message: string): [number, Json] => [
    400,
    { __type: 'InvalidRequestException', Message: message, AthenaErrorCode: 'INVALID_INPUT' },
  ];

  const handlers: Record<string, (body: Json) => [number, Json] | Promise<[number, Json]>> = {
    StartQueryExecution: (body) => {
      const queryString = String(body.QueryString ?? '');
      const parameters = (body.ExecutionParameters as string[] | undefined) ?? [];
      if (queryString.length === 0 || queryString.length > MAX_QUERY_STRING)
        return invalid(`QueryString must be 1 to ${MAX_QUERY_STRING} characters`);
      if (parameters.some((p) => p.length < 1 || p.length > 1024))
        return invalid('ExecutionParameters must each be 1 to 1024 characters');
      const token = body.ClientRequestToken as string | undefined;
      const known = token ? byToken.get(token) : undefined;
      if (known) return [200, { QueryExecutionId: known }];
      const id = `fake-athena-${String(nextId++).padStart(4, '0')}`;
      if (token) byToken.set(token, id);
      records.set(id, submit(id, body, queryString, parameters));
      return [200, { QueryExecutionId: id }];
    },
    GetQueryExecution: (body) => {
      const record = records.get(String(body.QueryExecutionId));
      if (!record) return invalid(`QueryExecution ${String(body.QueryExecutionId)} was not found`);
      advance(record);
      return [200, { QueryExecution: describe(record) }];
    },
    GetQueryResults: (body) => {
      const record = records.get(String(body.QueryExecutionId));
      if (!record) return invalid(`QueryExecution ${String(body.QueryExecutionId)} was not found`);
      if (record.state !== 'SUCCEEDED' || !record.result)
        return invalid(`Query has not yet finished. Current state: ${record.state}`);
      const maxResults = body.MaxResults === undefined ? MAX_PAGE_ROWS : Number(body.MaxResults);
      if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > MAX_PAGE_ROWS)
        return invalid(`MaxResults must be between 1 and ${MAX_PAGE_ROWS}`);
      return [200, page(record.result, body.NextToken as string | undefined, maxResults)];
    },
    StopQueryExecution: (body) => {
      const record = records.get(String(body.QueryExecutionId));
      if (!record) return invalid(`QueryExecution ${String(body.QueryExecutionId)} was not found`);
      if (record.state === 'QUEUED' || record.state === 'RUNNING') {
        record.state = 'CANCELLED';
        record.completedMs = Date.now();
        record.stateChangeReason = 'Query cancelled by user';
      }
      return [200, {}];
    },
  };

  function submit(id: string, body: Json, queryString: string, parameters: string[]): QueryRecord {
    const context = (body.QueryExecutionContext as Json | undefined) ?? {};
    const reuse =
      ((body.ResultReuseConfiguration as Json | undefined)?.ResultReuseByAgeConfiguration as Json | undefined) ?? {};
    const reuseMaxAgeMinutes = reuse.Enabled === true ? Number(reuse.MaxAgeInMinutes ?? 60) : null;
    const workGroup = body.WorkGroup as string | undefined;
    const database = context.Database as string | undefined;
    const key = JSON.stringify([queryString, parameters, database, context.Catalog, workGroup]);
    const started: StartedQuery = {
      id,
      queryString,
      executionParameters: parameters,
      workGroup,
      database,
      outputLocation:
        ((body.ResultConfiguration as Json | undefined)?.OutputLocation as string | undefined) ?? undefined,
      reuseMaxAgeMinutes,
      reusedFrom: null,
      partitions: [],
    };
    const previous = reuseMaxAgeMinutes === null ? undefined : reusable(key, reuseMaxAgeMinutes);
    const record: QueryRecord = {
      started,
      key,
      submittedMs: Date.now(),
      phases: previous ? [] : ['QUEUED', 'RUNNING', ...(options.requeue ? (['QUEUED', 'RUNNING'] as State[]) : [])],
      state: 'QUEUED',
      completedMs: null,
      execution: Promise.resolve(),
      result: previous?.result ?? null,
      failure: null,
      bytesScanned: 0,
      engineMs: 0,
      stateChangeReason: null,
    };
    if (previous) {
      started.reusedFrom = previous.started.id;
      record.state = 'SUCCEEDED';
      record.completedMs = record.submittedMs;
    } else {
      record.execution = execute(record, queryString, parameters);
    }
    return record;
  }

  function reusable(key: string, maxAgeMinutes: number): QueryRecord | undefined {
    const youngest = [...records.values()]
      .filter(
        (r) =>
          r.key === key &&
          r.state === 'SUCCEEDED' &&
          r.result &&
          r.completedMs !== null &&
          r.completedMs > forgottenBeforeMs &&
          Date.now() - r.completedMs <= maxAgeMinutes * 60_000,
      )
      .sort((a, b) => b.completedMs! - a.completedMs!);
    return youngest[0];
  }

  async function execute(record: QueryRecord, queryString: string, parameters: string[]): Promise<void> {
    const startedMs = Date.now();
    try {
      const sql = bindExecutionParameters(queryString, parameters);
      record.started.partitions = partitionsNamed(sql, [...options.table.partitionBytes.keys()]);
      record.bytesScanned = record.started.partitions.reduce(
        (sum, day) => sum + (options.table.partitionBytes.get(day) ?? 0),
        0,
      );
      const connection = await options.table.connect();
      try {
        const reader = await connection.runAndReadAll(sql);
        const names = reader.columnNames();
        const types = reader.columnTypes().map((type) => athenaTypeName(type.toString()));
        record.result = {
          columns: names.map((name, i) => ({ name, type: types[i]! })),
          rows: reader.getRows().map((row) => row.map((value) => (value === null ? null : String(value)))),
        };
      } finally {
        connection.closeSync();
      }
    } catch (error) {
      record.failure = error instanceof Error ? error.message.split('\n')[0]! : String(error);
    }
    record.engineMs = Date.now() - startedMs;
  }

  /** Moves a query on by one GetQueryExecution: the scripted states first, then completion when it is due. */
  function advance(record: QueryRecord): void {
    if (record.state === 'SUCCEEDED' || record.state === 'FAILED' || record.state === 'CANCELLED') return;
    const next = record.phases.shift();
    if (next) {
      record.state = next;
      return;
    }
    const executed = record.result !== null || record.failure !== null;
    if (!executed || Date.now() - record.submittedMs < latencyMs) {
      record.state = 'RUNNING';
      return;
    }
    record.completedMs = Date.now();
    if (record.failure !== null) {
      record.state = 'FAILED';
      record.stateChangeReason = record.failure;
      record.bytesScanned = 0;
    } else {
      record.state = 'SUCCEEDED';
    }
  }

  function describe(record: QueryRecord): Json {
    const terminal = record.completedMs !== null;
    const reused = record.started.reusedFrom !== null;
    return {
      QueryExecutionId: record.started.id,
      Query: record.started.queryString,
      StatementType: 'DML',
      ExecutionParameters: record.started.executionParameters,
      WorkGroup: record.started.workGroup,
      QueryExecutionContext: { Database: record.started.database, Catalog: 'awsdatacatalog' },
      Status: {
        State: record.state,
        SubmissionDateTime: record.submittedMs / 1000,
        ...(terminal ? { CompletionDateTime: record.completedMs! / 1000 } : {}),
        ...(record.stateChangeReason ? { StateChangeReason: record.stateChangeReason } : {}),
        ...(record.state === 'FAILED'
          ? {
              AthenaError: {
                ErrorCategory: 2,
                ErrorType: 1006,
                Retryable: false,
                ErrorMessage: record.stateChangeReason,
              },
            }
          : {}),
      },
      Statistics: terminal
        ? {
            DataScannedInBytes: reused ? 0 : record.bytesScanned,
            EngineExecutionTimeInMillis: reused ? 0 : record.engineMs,
            TotalExecutionTimeInMillis: record.completedMs! - record.submittedMs,
            QueryQueueTimeInMillis: 0,
            ResultReuseInformation: { ReusedPreviousResult: reused },
          }
        : { ResultReuseInformation: { ReusedPreviousResult: false } },
      ...(record.started.reuseMaxAgeMinutes !== null
        ? {
            ResultReuseConfiguration: {
              ResultReuseByAgeConfiguration: { Enabled: true, MaxAgeInMinutes: record.started.reuseMaxAgeMinutes },
            },
          }
        : {}),
      EngineVersion: { SelectedEngineVersion: 'AUTO', EffectiveEngineVersion: 'Athena engine version 3' },
    };
  }

  const server = createServer((request, response) => {
    void answer(request, response);
  });

  async function answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const target = String(request.headers['x-amz-target'] ?? '');
    const operation = target.startsWith('AmazonAthena.') ? target.slice('AmazonAthena.'.length) : '';
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const handler = handlers[operation];
    let status = 400;
    let payload: Json = { __type: 'UnknownOperationException', message: `unsupported operation ${target}` };
    if (request.method === 'POST' && handler) {
      counts[operation] = (counts[operation] ?? 0) + 1;
      const fault = faults.get(operation)?.shift();
      try {
        [status, payload] = fault
          ? FAULTS[fault]
          : await handler(JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Json);
      } catch (error) {
        [status, payload] = [500, { __type: 'InternalServerException', Message: String(error) }];
      }
    }
    const errorType = status >= 400 ? String(payload.__type) : undefined;
    response.writeHead(status, {
      'content-type': 'application/x-amz-json-1.1',
      ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
    });
    response.end(JSON.stringify(payload));
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls: () => ({ ...counts }),
    queries: () => [...records.values()].slice(listedFrom).map((record) => ({ ...record.started })),
    stateOf: (id) => records.get(id)?.state,
    failNext: (operation, fault, times = 1) => {
      const queue = faults.get(operation) ?? [];
      for (let i = 0; i < times; i++) queue.push(fault);
      faults.set(operation, queue);
    },
    setLatency: (ms) => {
      latencyMs = ms;
    },
    forgetResults: () => {
      forgottenBeforeMs = Date.now();
    },
    reset: () => {
      for (const key of Object.keys(counts)) delete counts[key];
      faults.clear();
      listedFrom = records.size;
      latencyMs = options.latencyMs ?? 0;
    },
    close: async () => {
      await Promise.allSettled([...records.values()].map((record) => record.execution));
      await new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      });
    },
  };
}

/** One page of a result: the header row first on the first page, counted in MaxResults. */
function page(result: NonNullable<QueryRecord['result']>, nextToken: string | undefined, maxResults: number): Json {
  const header = result.columns.map((column) => column.name);
  const all = [header, ...result.rows];
  const offset = nextToken ? Number(Buffer.from(nextToken, 'base64url').toString('utf8').split(':')[1]) : 0;
  const slice = all.slice(offset, offset + maxResults);
  const next =
    offset + maxResults < all.length ? Buffer.from(`page:${offset + maxResults}`).toString('base64url') : undefined;
  return {
    ResultSet: {
      Rows: slice.map((row) => ({ Data: row.map((value) => (value === null ? {} : { VarCharValue: value })) })),
      ResultSetMetadata: {
        ColumnInfo: result.columns.map((column) => ({
          CatalogName: 'hive',
          SchemaName: '',
          TableName: '',
          Name: column.name,
          Label: column.name,
          Type: column.type,
          Precision: 0,
          Scale: 0,
          Nullable: 'UNKNOWN',
          CaseSensitive: column.type === 'varchar',
        })),
      },
    },
    UpdateCount: 0,
    ...(next ? { NextToken: next } : {}),
  };
}

/**
 * The SQL Athena runs for a parameterised query: each `?` outside string literals, quoted
 * identifiers and comments replaced, in order, by its ExecutionParameter — a SQL literal as
 * sent. A count mismatch fails the query with Athena's own wording.
 */
export function bindExecutionParameters(sql: string, parameters: readonly string[]): string {
  let out = '';
  let used = 0;
  let placeholders = 0;
  for (let i = 0; i < sql.length; i++) {
    const char = sql[i]!;
    const skipTo = skippedSpanEnd(sql, i);
    if (skipTo > i) {
      out += sql.slice(i, skipTo);
      i = skipTo - 1;
    } else if (char === '?') {
      placeholders++;
      out += parameters[used++] ?? '?';
    } else {
      out += char;
    }
  }
  if (placeholders !== parameters.length)
    throw new Error(`Incorrect number of parameters: expected ${placeholders} but found ${parameters.length}`);
  return out;
}

/** The end of a string literal, quoted identifier or comment starting at `i`, or `i`. */
function skippedSpanEnd(sql: string, i: number): number {
  const char = sql[i];
  if (char === "'" || char === '"') {
    let j = i + 1;
    while (j < sql.length) {
      if (sql[j] === char && sql[j + 1] === char) j += 2;
      else if (sql[j] === char) return j + 1;
      else j++;
    }
    return sql.length;
  }
  if (char === '-' && sql[i + 1] === '-') {
    const end = sql.indexOf('\n', i);
    return end === -1 ? sql.length : end;
  }
  if (char === '/' && sql[i + 1] === '*') {
    const end = sql.indexOf('*/', i + 2);
    return end === -1 ? sql.length : end + 2;
  }
  return i;
}

/** The day partitions a query reads: those it names in `day IN (…)` / `day = …`, else every one. */
export function partitionsNamed(sql: string, all: readonly string[]): string[] {
  const named = new Set<string>();
  for (const match of sql.matchAll(/\bday\s+IN\s*\(([^()]*)\)/gi))
    for (const day of match[1]!.matchAll(/'([^']*)'/g)) named.add(day[1]!);
  for (const match of sql.matchAll(/\bday\s*=\s*'([^']*)'/gi)) named.add(match[1]!);
  if (named.size === 0) return [...all].sort();
  return [...named].filter((day) => all.includes(day)).sort();
}

function athenaTypeName(duckType: string): string {
  const lower = duckType.toLowerCase();
  if (lower === 'bigint' || lower === 'integer' || lower === 'double' || lower === 'boolean') return lower;
  return 'varchar';
}
