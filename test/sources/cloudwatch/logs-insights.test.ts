/**
 * runInsightsQuery through the real @aws-sdk/client-cloudwatch-logs client, with nock
 * answering in the client's wire protocol: AWS JSON 1.1, `POST /` on
 * https://logs.<region>.amazonaws.com, `X-Amz-Target: Logs_20140328.<Operation>`.
 */
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import type { Clock } from '../../../src/core/clock.js';
import {
  createLogsInsightsApi,
  DEFAULT_POLLING,
  type InsightsQueryRequest,
  nextPollWaitMs,
  runInsightsQuery,
  splitRange,
} from '../../../src/sources/cloudwatch/logs-insights.js';
import { QueryLimiter } from '../../../src/sources/cloudwatch/query-limiter.js';
import { startFakeCloudWatch } from '../../support/fake-cloudwatch-server.js';

const REGION = 'ap-southeast-2';
const LOGS_ENDPOINT = `https://logs.${REGION}.amazonaws.com`;
const WINDOW_START_S = Date.parse('2026-06-18T19:30:00Z') / 1000;
const WINDOW_END_S = Date.parse('2026-06-18T19:50:00Z') / 1000 - 1;

function instantClock(startIso = '2026-06-18T21:00:00Z') {
  let nowMs = Date.parse(startIso);
  const sleeps: number[] = [];
  const clock: Clock = {
    now: () => new Date(nowMs),
    sleep: async (ms, signal) => {
      if (signal?.aborted) throw signal.reason;
      sleeps.push(ms);
      nowMs += ms;
    },
  };
  return { clock, sleeps };
}

function realLogsApi() {
  const client = new CloudWatchLogsClient({
    region: REGION,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
  return createLogsInsightsApi(client);
}

type Json = Record<string, unknown>;

/** One expected Logs call; returns the request bodies it received. */
function logsCall(
  operation: string,
  reply: Json | ((body: Json) => Json),
  options: { status?: number; times?: number; persist?: boolean } = {},
): Json[] {
  const bodies: Json[] = [];
  let interceptor = nock(LOGS_ENDPOINT)
    .matchHeader('x-amz-target', `Logs_20140328.${operation}`)
    .matchHeader('content-type', 'application/x-amz-json-1.1');
  if (options.persist) interceptor = interceptor.persist();
  interceptor
    .post('/')
    .times(options.times ?? 1)
    .reply((_uri, requestBody) => {
      // nock hands over a JSON body parsed or as text, depending on the content type.
      const body = (typeof requestBody === 'string' ? JSON.parse(requestBody) : requestBody) as Json;
      bodies.push(body);
      return [
        options.status ?? 200,
        typeof reply === 'function' ? reply(body) : reply,
        { 'content-type': 'application/x-amz-json-1.1' },
      ];
    });
  return bodies;
}

function awsError(type: string, message: string): Json {
  return { __type: type, message };
}

function resultRows(rows: Array<Record<string, string>>) {
  return rows.map((row) => Object.entries(row).map(([field, value]) => ({ field, value })));
}

const ROW = { minute: '2026-06-18 19:41:00.000', status: '429', tsc: 'PR--', requests: '4593', slow_answers: '0' };

function request(clock: Clock, overrides: Partial<InsightsQueryRequest> = {}): InsightsQueryRequest {
  return {
    logGroup: '/prod/haproxy',
    queryString: 'fields @message | stats count(*) by bin(1m)',
    startTimeSeconds: WINDOW_START_S,
    endTimeSeconds: WINDOW_END_S,
    deadlineMs: clock.now().getTime() + 60_000,
    timeoutSeconds: 60,
    ...overrides,
  };
}

function deps(clock: Clock) {
  return { api: realLogsApi(), clock, limiter: new QueryLimiter(10), random: () => 0.5 };
}

describe('runInsightsQuery', () => {
  it('starts the query in epoch seconds, both ends inclusive, and returns the rows and scan statistics', async () => {
    const { clock, sleeps } = instantClock();
    const starts = logsCall('StartQuery', { queryId: 'q-1' });
    const polls = logsCall('GetQueryResults', {
      status: 'Complete',
      results: resultRows([ROW]),
      statistics: { recordsMatched: 1_413_464, recordsScanned: 1_413_464, bytesScanned: 2_113_000_000 },
    });

    const outcome = await runInsightsQuery(request(clock), deps(clock));

    expect(starts).toEqual([
      {
        logGroupNames: ['/prod/haproxy'],
        startTime: 1781811000,
        endTime: 1781812199,
        queryString: 'fields @message | stats count(*) by bin(1m)',
        limit: 10000,
      },
    ]);
    expect(polls).toEqual([{ queryId: 'q-1' }]);
    expect(outcome).toEqual({
      logGroup: '/prod/haproxy',
      status: 'complete',
      rows: [ROW],
      statistics: { recordsMatched: 1_413_464, recordsScanned: 1_413_464, bytesScanned: 2_113_000_000 },
      queries: 1,
      apiCalls: 2,
    });
    expect(sleeps).toEqual([250]);
  });

  it('keeps polling through Scheduled and Running until Complete', async () => {
    const { clock, sleeps } = instantClock();
    logsCall('StartQuery', { queryId: 'q-1' });
    logsCall('GetQueryResults', { status: 'Scheduled', results: [] });
    logsCall('GetQueryResults', { status: 'Running', results: [] });
    logsCall('GetQueryResults', { status: 'Running', results: resultRows([ROW]) });
    logsCall('GetQueryResults', {
      status: 'Complete',
      results: resultRows([ROW]),
      statistics: { bytesScanned: 10, recordsScanned: 2, recordsMatched: 1 },
    });

    const outcome = await runInsightsQuery(request(clock), deps(clock));

    expect(outcome.status).toBe('complete');
    expect(outcome.rows).toEqual([ROW]);
    expect(outcome.apiCalls).toBe(5);
    expect(sleeps).toEqual([250, 250, 250, 250]);
  });

  it('sends StopQuery and fails with the reason when the deadline passes while the query runs', async () => {
    const { clock, sleeps } = instantClock();
    logsCall('StartQuery', { queryId: 'q-slow' });
    logsCall('GetQueryResults', { status: 'Running', results: [] }, { persist: true });
    const stops = logsCall('StopQuery', { success: true });

    const outcome = await runInsightsQuery(
      request(clock, { deadlineMs: clock.now().getTime() + 10_000, timeoutSeconds: 10 }),
      deps(clock),
    );

    expect(stops).toEqual([{ queryId: 'q-slow' }]);
    expect(outcome.status).toBe('failed');
    expect(outcome.reason).toBe(
      'Logs Insights query on /prod/haproxy still running at the 10 s deadline (aws.queryTimeoutSeconds); stopped',
    );
    expect(outcome.rows).toEqual([]);
    expect(sleeps.reduce((a, b) => a + b, 0)).toBe(10_000);
    expect(Math.max(...sleeps)).toBeLessThanOrEqual(2_000);
  });

  it.each([
    ['Failed', 'Logs Insights query on /prod/haproxy ended Failed (the service could not run it)'],
    ['Cancelled', 'Logs Insights query on /prod/haproxy ended Cancelled (someone or something stopped it)'],
    ['Timeout', 'Logs Insights query on /prod/haproxy ended Timeout (the service gave up on it: try a shorter window)'],
    ['Unknown', 'Logs Insights query on /prod/haproxy ended Unknown (the service did not say why)'],
  ])('fails with the reason when the query ends %s', async (status, reason) => {
    const { clock } = instantClock();
    logsCall('StartQuery', { queryId: 'q-1' });
    logsCall('GetQueryResults', { status: 'Running', results: [] });
    logsCall('GetQueryResults', {
      status,
      results: [],
      statistics: { bytesScanned: 5, recordsScanned: 1, recordsMatched: 0 },
    });

    const outcome = await runInsightsQuery(request(clock), deps(clock));

    expect(outcome).toEqual({
      logGroup: '/prod/haproxy',
      status: 'failed',
      rows: [],
      reason,
      statistics: { bytesScanned: 5, recordsScanned: 1, recordsMatched: 0 },
      queries: 1,
      apiCalls: 3,
    });
  });

  it('retries StartQuery after LimitExceededException with jittered backoff, then succeeds', async () => {
    const { clock, sleeps } = instantClock();
    logsCall(
      'StartQuery',
      awsError('LimitExceededException', 'Account maximum query concurrency limit of [30] reached.'),
      { status: 400 },
    );
    logsCall(
      'StartQuery',
      awsError('LimitExceededException', 'Account maximum query concurrency limit of [30] reached.'),
      { status: 400 },
    );
    logsCall('StartQuery', { queryId: 'q-1' });
    logsCall('GetQueryResults', { status: 'Complete', results: resultRows([ROW]) });

    const outcome = await runInsightsQuery(request(clock), deps(clock));

    expect(outcome.status).toBe('complete');
    expect(outcome.apiCalls).toBe(4);
    // ceiling 500 ms then 1,000 ms; half fixed, half random (0.5 here); then the first poll.
    expect(sleeps).toEqual([375, 750, 250]);
  });

  it('retries GetQueryResults after ThrottlingException without losing the query', async () => {
    const { clock, sleeps } = instantClock();
    logsCall('StartQuery', { queryId: 'q-1' });
    const polls = logsCall('GetQueryResults', awsError('ThrottlingException', 'Rate exceeded'), { status: 400 });
    logsCall('GetQueryResults', { status: 'Complete', results: resultRows([ROW]) });

    const outcome = await runInsightsQuery(request(clock), { ...deps(clock), random: () => 0 });

    expect(outcome.status).toBe('complete');
    expect(outcome.rows).toEqual([ROW]);
    expect(polls).toEqual([{ queryId: 'q-1' }]);
    expect(sleeps).toEqual([250, 250]);
  });

  it('gives up on throttling at the deadline and says so', async () => {
    const { clock } = instantClock();
    logsCall('StartQuery', awsError('ThrottlingException', 'Rate exceeded'), { status: 400, persist: true });

    const outcome = await runInsightsQuery(
      request(clock, { deadlineMs: clock.now().getTime() + 5_000, timeoutSeconds: 5 }),
      deps(clock),
    );

    expect(outcome.status).toBe('failed');
    expect(outcome.reason).toBe(
      'Logs Insights query on /prod/haproxy StartQuery was throttled (ThrottlingException) until the 5 s deadline (aws.queryTimeoutSeconds); stopped',
    );
    expect(outcome.queries).toBe(0);
  });

  it('re-runs a 10,000-row result in halves, recursively, and merges them without losing a row', async () => {
    const { clock } = instantClock();
    const ranges = new Map<string, [number, number]>();
    const rowsPerMinute = 700; // 20 minutes × 700 = 14,000 rows: two levels of halving needed
    const rowsIn = ([start, end]: [number, number]) => {
      const rows: Array<Record<string, string>> = [];
      for (let s = start; s <= end; s += 60) {
        for (let i = 0; i < rowsPerMinute; i++) {
          rows.push({
            minute: new Date(s * 1000).toISOString().replace('T', ' ').replace('Z', ''),
            status: String(200 + (i % 300)),
            tsc: `${i}`,
            requests: '1',
            slow_answers: '0',
          });
        }
      }
      return rows;
    };
    const starts = logsCall(
      'StartQuery',
      (body) => {
        const queryId = `q-${ranges.size + 1}`;
        ranges.set(queryId, [body.startTime as number, body.endTime as number]);
        return { queryId };
      },
      { persist: true },
    );
    logsCall(
      'GetQueryResults',
      (body) => {
        const rows = rowsIn(ranges.get(body.queryId as string)!);
        // The API stops at 10,000 rows: a full page may be cut.
        return {
          status: 'Complete',
          results: resultRows(rows.slice(0, 10_000)),
          statistics: { bytesScanned: 1_000, recordsScanned: 10, recordsMatched: 10 },
        };
      },
      { persist: true },
    );

    const outcome = await runInsightsQuery(request(clock), deps(clock));

    expect(starts.map((b) => [b.startTime, b.endTime])).toEqual([
      [WINDOW_START_S, WINDOW_END_S],
      [WINDOW_START_S, WINDOW_START_S + 600 - 1],
      [WINDOW_START_S + 600, WINDOW_END_S],
    ]);
    expect(outcome.status).toBe('complete');
    expect(outcome.rows).toHaveLength(20 * rowsPerMinute);
    expect(outcome.rows).toEqual(rowsIn([WINDOW_START_S, WINDOW_END_S]));
    expect(outcome.queries).toBe(3);
    expect(outcome.statistics.bytesScanned).toBe(3_000);
  });

  it('reports partial, never silently complete, when a single minute still fills 10,000 rows', async () => {
    const { clock } = instantClock();
    const start = WINDOW_START_S;
    const end = WINDOW_START_S + 119; // two minutes
    logsCall('StartQuery', { queryId: 'q' }, { persist: true });
    const full = Array.from({ length: 10_000 }, (_, i) => ({
      minute: '2026-06-18 19:30:00.000',
      status: '200',
      tsc: String(i),
      requests: '1',
      slow_answers: '0',
    }));
    logsCall('GetQueryResults', { status: 'Complete', results: resultRows(full) }, { persist: true });

    const outcome = await runInsightsQuery(
      request(clock, { startTimeSeconds: start, endTimeSeconds: end }),
      deps(clock),
    );

    expect(outcome.status).toBe('partial');
    expect(outcome.reason).toBe(
      "2 one-minute range(s) still returned 10,000 rows (the API's cap) and may be missing rows: 19:30 UTC, 19:31 UTC",
    );
    expect(outcome.queries).toBe(3);
  });

  it('names the permissions when access is denied', async () => {
    const { clock } = instantClock();
    logsCall(
      'StartQuery',
      awsError(
        'AccessDeniedException',
        'User: arn:aws:iam::123456789012:user/bot is not authorized to perform: logs:StartQuery',
      ),
      { status: 400 },
    );

    const outcome = await runInsightsQuery(request(clock), deps(clock));

    expect(outcome.status).toBe('failed');
    expect(outcome.reason).toBe(
      'Logs Insights on /prod/haproxy: access denied (AccessDeniedException); the credentials need logs:StartQuery, logs:GetQueryResults, logs:StopQuery',
    );
  });

  it('says the log group was not found, with the region to check', async () => {
    const { clock } = instantClock();
    logsCall('StartQuery', awsError('ResourceNotFoundException', 'Log group does not exist'), { status: 400 });

    const outcome = await runInsightsQuery(request(clock), deps(clock));

    expect(outcome.reason).toBe(
      'Logs Insights on /prod/haproxy: not found (Log group does not exist); check the name and the region',
    );
  });

  it('stops the other half when one half of a split query fails', async () => {
    const { clock } = instantClock();
    const ranges: number[] = [];
    logsCall(
      'StartQuery',
      (body) => {
        ranges.push(body.startTime as number);
        return { queryId: `q-${ranges.length}` };
      },
      { persist: true },
    );
    const full = Array.from({ length: 10_000 }, () => ({
      minute: '2026-06-18 19:30:00.000',
      status: '200',
      tsc: '----',
      requests: '1',
      slow_answers: '0',
    }));
    logsCall(
      'GetQueryResults',
      (body) => {
        if (body.queryId === 'q-1') return { status: 'Complete', results: resultRows(full) };
        if (body.queryId === 'q-2') return { status: 'Failed', results: [] };
        return { status: 'Running', results: [] };
      },
      { persist: true },
    );
    const stops = logsCall('StopQuery', { success: true });

    const outcome = await runInsightsQuery(request(clock), deps(clock));

    expect(outcome.status).toBe('failed');
    expect(outcome.reason).toBe('Logs Insights query on /prod/haproxy ended Failed (the service could not run it)');
    expect(stops).toEqual([{ queryId: 'q-3' }]);
  });
});

describe('nextPollWaitMs', () => {
  it('doubles from 250 ms but never beyond 2 s or 15 % of the time already waited', () => {
    let elapsed = 0;
    let wait = DEFAULT_POLLING.firstPollMs;
    const waits = [wait];
    const overshoots: number[] = [];
    while (elapsed < 30_000) {
      elapsed += wait;
      wait = nextPollWaitMs(wait, elapsed, DEFAULT_POLLING);
      waits.push(wait);
      overshoots.push(wait / elapsed);
    }

    expect(waits.slice(0, 10)).toEqual([250, 250, 250, 250, 250, 250, 250, 262, 301, 346]);
    expect(Math.max(...waits)).toBe(2_000);
    // Past the 250 ms floor, a query that completes just after a poll is seen ≤ 15 % late.
    expect(Math.max(...overshoots.slice(6))).toBeLessThanOrEqual(0.15);
  });
});

describe('splitRange', () => {
  it('splits on a whole minute and refuses to split a single minute', () => {
    expect(splitRange(0, 299)).toEqual([
      [0, 119],
      [120, 299],
    ]);
    expect(splitRange(0, 119)).toEqual([
      [0, 59],
      [60, 119],
    ]);
    expect(splitRange(0, 59)).toBeNull();
  });
});

describe('runInsightsQuery over a paging GetQueryResults', () => {
  it('follows nextToken to the last page and returns every row, through the real SDK against a stand-in that pages', async () => {
    const rows = Array.from({ length: 2_345 }, (_, i) => ({
      minute: '2026-06-18 19:41:00.000',
      status: String(200 + (i % 300)),
      tsc: `t${i}`,
      requests: '1',
      slow_answers: '0',
    }));
    const fake = await startFakeCloudWatch({ queryLatencyMs: 0, rowsFor: () => rows, defaultPageRows: 1_000 });
    try {
      const { clock } = instantClock();
      const api = createLogsInsightsApi(
        new CloudWatchLogsClient({
          region: REGION,
          endpoint: fake.endpoint,
          credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
          maxAttempts: 1,
        }),
      );

      const outcome = await runInsightsQuery(request(clock), {
        api,
        clock,
        limiter: new QueryLimiter(10),
        random: () => 0.5,
      });

      expect(outcome.status).toBe('complete');
      expect(outcome.rows).toHaveLength(2_345);
      expect(outcome.rows.map((row) => row.tsc)).toEqual(rows.map((row) => row.tsc));
    } finally {
      await fake.close();
    }
  });

  it('fails the query, never returning fewer rows, when the pages hold fewer rows than the statistics report', async () => {
    const { clock } = instantClock();
    logsCall('StartQuery', { queryId: 'q-1' });
    logsCall('GetQueryResults', {
      status: 'Complete',
      results: resultRows([ROW]),
      statistics: { recordsMatched: 3, resultCount: 3 },
      nextToken: 'page-2',
    });
    logsCall('GetQueryResults', { status: 'Complete', results: resultRows([ROW]) });

    const outcome = await runInsightsQuery(request(clock), deps(clock));

    expect(outcome.status).toBe('failed');
    expect(outcome.reason).toBe(
      'Logs Insights query on /prod/haproxy reported 3 result rows but 2 arrived across its pages',
    );
    expect(outcome.rows).toEqual([]);
  });
});
