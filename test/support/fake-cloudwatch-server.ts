/**
 * A local stand-in for CloudWatch Logs Insights and CloudWatch metrics, on 127.0.0.1 only,
 * speaking the wire protocols the installed SDK clients use: Logs as AWS JSON 1.1
 * (`X-Amz-Target: Logs_20140328.<Operation>`), CloudWatch as AWS JSON 1.0
 * (`X-Amz-Target: GraniteServiceVersion20100801.GetMetricData`, epoch-second timestamps).
 * Each query completes `queryLatencyMs` after it started. Used by the bench (time to a
 * verdict ÷ query latency, API calls per investigation) and by tests that go through the
 * real SDK via AWS_ENDPOINT_URL_CLOUDWATCH_LOGS / AWS_ENDPOINT_URL_CLOUDWATCH.
 * Signatures are not checked.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeQuery {
  logGroupNames: string[];
  /** Epoch seconds, inclusive. */
  startTime: number;
  endTime: number;
  queryString: string;
}

export interface FakeMetricQuery {
  Id: string;
  MetricStat?: {
    Metric?: { MetricName?: string; Dimensions?: Array<{ Name: string; Value: string }> };
    Period?: number;
    Stat?: string;
  };
}

export interface FakeMetricResult {
  Id: string;
  /** Epoch seconds. */
  Timestamps: number[];
  Values: number[];
  StatusCode?: 'Complete' | 'PartialData' | 'Forbidden' | 'InternalError';
}

export interface FakeCloudWatchOptions {
  /** How long each Logs Insights query runs before it is Complete. */
  queryLatencyMs: number;
  /** The rows a query returns, field → value. */
  rowsFor?: (query: FakeQuery) => Array<Record<string, string>>;
  /** The datapoints of a GetMetricData call; default: no datapoints, every metric Complete. */
  metricsFor?: (queries: FakeMetricQuery[], range: { startTime: number; endTime: number }) => FakeMetricResult[];
  /** How long GetMetricData takes to answer. Default 0. */
  metricsLatencyMs?: number;
  /** Bytes reported scanned per query. Default 1,000,000. */
  bytesScannedPerQuery?: number;
  /**
   * Datapoints per GetMetricData page, over all results (CloudWatch's own paging): past it the
   * answer carries a NextToken, and the results with datapoints still to come are PartialData,
   * as CloudWatch marks them. Default: every datapoint on one page.
   */
  metricsPageDatapoints?: number;
  /**
   * Rows per GetQueryResults page when the caller sends no maxItems. AWS does not document
   * its default, so the stand-in pages small (1,000) to make a client that ignores nextToken
   * lose rows here as it would there.
   */
  defaultPageRows?: number;
}

export interface FakeCloudWatch {
  /** "http://127.0.0.1:<port>": for AWS_ENDPOINT_URL_CLOUDWATCH(_LOGS) or a client's endpoint. */
  endpoint: string;
  /** Calls answered, by operation ("StartQuery", "GetQueryResults", "StopQuery", "GetMetricData"). */
  calls(): Record<string, number>;
  totalCalls(): number;
  /** Queries started so far, in order. */
  queries(): FakeQuery[];
  resetCounts(): void;
  /** The next `times` GetMetricData calls fail with `fault`, as CloudWatch answers it. */
  failNextMetrics(fault: MetricsFault, times?: number): void;
  /** Datapoints returned by GetMetricData so far, over every page. */
  metricsDatapoints(): number;
  close(): Promise<void>;
}

/** How CloudWatch refuses a GetMetricData call (AWS JSON 1.0 with query-compatible error codes). */
export type MetricsFault = 'Throttling' | 'InternalServiceError' | 'AccessDenied';

const METRICS_FAULTS: Record<MetricsFault, [number, Record<string, string>, string]> = {
  Throttling: [400, { __type: 'Throttling', message: 'Rate exceeded' }, 'Throttling;Sender'],
  InternalServiceError: [
    500,
    { __type: 'InternalServiceError', message: 'Internal service error' },
    'InternalServiceError;Receiver',
  ],
  AccessDenied: [
    400,
    {
      __type: 'AccessDenied',
      message:
        'User: arn:aws:sts::123456789012:assumed-role/why502/worker is not authorized to perform: cloudwatch:GetMetricData',
    },
    'AccessDenied;Sender',
  ],
};

interface RunningQuery {
  query: FakeQuery;
  startedMs: number;
  stopped: boolean;
  /** The result, computed once when first asked for, then paged. */
  rows?: Array<Record<string, string>>;
}

export async function startFakeCloudWatch(options: FakeCloudWatchOptions): Promise<FakeCloudWatch> {
  const counts: Record<string, number> = {};
  const started: FakeQuery[] = [];
  const running = new Map<string, RunningQuery>();
  const metricsFaults: MetricsFault[] = [];
  let datapointsReturned = 0;
  let nextId = 1;

  const handlers: Record<string, (body: Record<string, unknown>) => Promise<[number, unknown]> | [number, unknown]> = {
    'Logs_20140328.StartQuery': (body) => {
      const query: FakeQuery = {
        logGroupNames: (body.logGroupNames as string[] | undefined) ?? [String(body.logGroupName)],
        startTime: Number(body.startTime),
        endTime: Number(body.endTime),
        queryString: String(body.queryString),
      };
      const queryId = `fake-query-${nextId++}`;
      running.set(queryId, { query, startedMs: Date.now(), stopped: false });
      started.push(query);
      return [200, { queryId }];
    },
    'Logs_20140328.GetQueryResults': (body) => {
      const entry = running.get(String(body.queryId));
      if (!entry) return [400, { __type: 'ResourceNotFoundException', message: 'The specified query does not exist.' }];
      if (entry.stopped) return [200, { status: 'Cancelled', results: [] }];
      const elapsedMs = Date.now() - entry.startedMs;
      if (elapsedMs < options.queryLatencyMs) {
        return [200, { status: elapsedMs < options.queryLatencyMs / 10 ? 'Scheduled' : 'Running', results: [] }];
      }
      entry.rows ??= options.rowsFor?.(entry.query) ?? [];
      const rows = entry.rows;
      // Pages as the current API does: maxItems (≤ 10,000) rows, then a nextToken for the rest.
      const offset = typeof body.nextToken === 'string' ? Number(String(body.nextToken).split(':')[1]) : 0;
      const pageRows = Math.min(10_000, Number(body.maxItems ?? options.defaultPageRows ?? 1_000));
      const page = rows.slice(offset, offset + pageRows);
      const next = offset + pageRows < rows.length ? { nextToken: `${String(body.queryId)}:${offset + pageRows}` } : {};
      return [
        200,
        {
          status: 'Complete',
          results: page.map((row) => Object.entries(row).map(([field, value]) => ({ field, value }))),
          statistics: {
            recordsMatched: rows.length,
            recordsScanned: rows.length * 100,
            bytesScanned: options.bytesScannedPerQuery ?? 1_000_000,
            resultCount: rows.length,
          },
          ...next,
        },
      ];
    },
    'Logs_20140328.StopQuery': (body) => {
      const entry = running.get(String(body.queryId));
      if (entry) entry.stopped = true;
      return [200, { success: entry !== undefined }];
    },
    'GraniteServiceVersion20100801.GetMetricData': async (body) => {
      if (options.metricsLatencyMs) await new Promise((resolve) => setTimeout(resolve, options.metricsLatencyMs));
      const queries = (body.MetricDataQueries as FakeMetricQuery[] | undefined) ?? [];
      const range = { startTime: Number(body.StartTime), endTime: Number(body.EndTime) };
      const results =
        options.metricsFor?.(queries, range) ?? queries.map((query) => ({ Id: query.Id, Timestamps: [], Values: [] }));
      const paged = metricsPage(results, body.NextToken as string | undefined, options.metricsPageDatapoints);
      datapointsReturned += paged.results.reduce((sum, result) => sum + result.Timestamps.length, 0);
      return [
        200,
        {
          MetricDataResults: paged.results.map((result) => ({ Label: result.Id, StatusCode: 'Complete', ...result })),
          Messages: [],
          ...(paged.nextToken ? { NextToken: paged.nextToken } : {}),
        },
      ];
    },
  };

  const server = createServer((request, response) => {
    void answer(request, response);
  });

  async function answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const target = String(request.headers['x-amz-target'] ?? '');
    const operation = target.slice(target.indexOf('.') + 1);
    const isLogs = target.startsWith('Logs_');
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const handler = handlers[target];
    let status = 400;
    let payload: unknown = { __type: 'UnknownOperationException', message: `unsupported operation ${target}` };
    const fault = operation === 'GetMetricData' && handler ? metricsFaults.shift() : undefined;
    if (request.method === 'POST' && handler && fault) {
      counts[operation] = (counts[operation] ?? 0) + 1;
      const [faultStatus, faultPayload, queryError] = METRICS_FAULTS[fault];
      response.writeHead(faultStatus, {
        'content-type': 'application/x-amz-json-1.0',
        'x-amzn-query-error': queryError,
      });
      response.end(JSON.stringify(faultPayload));
      return;
    }
    if (request.method === 'POST' && handler) {
      counts[operation] = (counts[operation] ?? 0) + 1;
      try {
        [status, payload] = await handler(
          JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>,
        );
      } catch (error) {
        [status, payload] = [500, { __type: 'InternalFailure', message: String(error) }];
      }
    }
    response.writeHead(status, {
      'content-type': isLogs ? 'application/x-amz-json-1.1' : 'application/x-amz-json-1.0',
    });
    response.end(JSON.stringify(payload));
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls: () => ({ ...counts }),
    totalCalls: () => Object.values(counts).reduce((sum, n) => sum + n, 0),
    queries: () => [...started],
    resetCounts: () => {
      for (const key of Object.keys(counts)) delete counts[key];
      started.length = 0;
      metricsFaults.length = 0;
      datapointsReturned = 0;
    },
    failNextMetrics: (fault, times = 1) => {
      for (let i = 0; i < times; i++) metricsFaults.push(fault);
    },
    metricsDatapoints: () => datapointsReturned,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/**
 * One page of a GetMetricData answer: up to `pageDatapoints` datapoints over all results, each
 * result continuing where the token says it stopped; a result cut short is PartialData.
 */
function metricsPage(
  results: FakeMetricResult[],
  token: string | undefined,
  pageDatapoints: number | undefined,
): { results: FakeMetricResult[]; nextToken?: string } {
  if (pageDatapoints === undefined) return { results };
  const offsets = token
    ? (JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as number[])
    : results.map(() => 0);
  let budget = pageDatapoints;
  const nextOffsets: number[] = [];
  const page = results.map((result, i) => {
    const from = offsets[i] ?? 0;
    const to = Math.min(result.Timestamps.length, from + budget);
    budget -= to - from;
    nextOffsets.push(to);
    const cut = to < result.Timestamps.length;
    return {
      ...result,
      Timestamps: result.Timestamps.slice(from, to),
      Values: result.Values.slice(from, to),
      ...(cut ? { StatusCode: 'PartialData' as const } : {}),
    };
  });
  const more = nextOffsets.some((offset, i) => offset < results[i]!.Timestamps.length);
  return more
    ? { results: page, nextToken: Buffer.from(JSON.stringify(nextOffsets)).toString('base64url') }
    : { results: page };
}
