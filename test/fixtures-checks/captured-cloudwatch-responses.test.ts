/**
 * The API answers in test/fixtures/real-format/cloudwatch/, in the wire shapes the installed SDK
 * clients read (Logs: AWS JSON 1.1; CloudWatch: AWS JSON 1.0, epoch-second Timestamps), replayed
 * byte for byte from 127.0.0.1 to the real clients and through the code that reads them:
 * runInsightsQuery + addProxySignalRows for GetQueryResults, fetchAlbMetrics for the pages of
 * GetMetricData. The Logs Insights answer is the proxy-signals query over the HAProxy fixture
 * lines, so files mode over those same lines must give the same signals.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../../src/core/clock.js';
import type { SignalSeries } from '../../src/core/types.js';
import { createIndexMatcher } from '../../src/evidence/index-matcher.js';
import { ProxyTally, tallyProxyAnswer } from '../../src/evidence/proxy-tally.js';
import { parseProxyLine } from '../../src/parsers/proxy-line.js';
import { createLogsInsightsApi, runInsightsQuery } from '../../src/sources/cloudwatch/logs-insights.js';
import { createMetricsApi, fetchAlbMetrics } from '../../src/sources/cloudwatch/metrics.js';
import { addProxySignalRows, buildProxySignalsQuery } from '../../src/sources/cloudwatch/proxy-signals-query.js';
import { QueryLimiter } from '../../src/sources/cloudwatch/query-limiter.js';
import {
  CAPTURE_INDEX,
  CAPTURE_WINDOW,
  SLOW_REQUEST_SECONDS,
} from '../fixtures/real-format/generate-real-format-fixtures.js';
import { FIXTURE_CORPUS, readCorpusLines } from '../fixtures/real-format/real-format-corpus.js';

const CAPTURED = `${FIXTURE_CORPUS.dir}cloudwatch/`;
const captured = (name: string) => readFileSync(`${CAPTURED}${name}`, 'utf8');
const METRIC_PAGES = [captured('get-metric-data.alb.page-1.json'), captured('get-metric-data.alb.page-2.json')];
const PAGE_1_TOKEN = (JSON.parse(METRIC_PAGES[0]!) as { NextToken: string }).NextToken;

/** What a replay server was asked: operation → request bodies, in order. */
type Requests = Record<string, Array<Record<string, unknown>>>;

/** Answers each operation with the captured body, as AWS would: a page per NextToken for GetMetricData. */
async function startReplayServer(requests: Requests): Promise<{ server: Server; endpoint: string }> {
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const target = String(request.headers['x-amz-target'] ?? '');
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
      requests[target] ??= [];
      requests[target].push(body);
      const answers: Record<string, () => [string, string]> = {
        'Logs_20140328.StartQuery': () => [
          'application/x-amz-json-1.1',
          JSON.stringify({ queryId: 'a1b2c3d4-0000-4000-8000-000000000001' }),
        ],
        'Logs_20140328.GetQueryResults': () => [
          'application/x-amz-json-1.1',
          captured('get-query-results.proxy-signals.complete.json'),
        ],
        'GraniteServiceVersion20100801.GetMetricData': () => [
          'application/x-amz-json-1.0',
          METRIC_PAGES[body.NextToken === PAGE_1_TOKEN ? 1 : 0]!,
        ],
      };
      const answer = answers[target];
      if (!answer) {
        response.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' });
        response.end(JSON.stringify({ __type: 'UnknownOperationException', message: target }));
        return;
      }
      const [contentType, text] = answer();
      response.writeHead(200, { 'content-type': contentType });
      response.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const clientConfig = (endpoint: string) => ({
  region: 'ap-southeast-2',
  endpoint,
  maxAttempts: 1,
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
});

/** "Now" a quarter of an hour after the window; waiting between polls costs nothing. */
function instantClock(): Clock {
  let nowMs = Date.parse('2026-08-21T13:30:00Z');
  return {
    now: () => new Date(nowMs),
    sleep: async (ms: number) => {
      nowMs += ms;
    },
  };
}

/** The numbers of a signal, without where they came from. */
const numbers = (series: SignalSeries | undefined) => ({
  status: series?.status,
  counts: series?.counts,
  byCode: series?.byCode,
  byTermination: series?.byTermination,
});

let replay: { server: Server; endpoint: string };
const requests: Requests = {};

beforeAll(async () => {
  replay = await startReplayServer(requests);
});

afterAll(async () => {
  replay.server.closeAllConnections();
  await new Promise<void>((resolve) => replay.server.close(() => resolve()));
});

describe('the captured GetQueryResults answer of the proxy-signals query', () => {
  async function readCaptured() {
    const clock = instantClock();
    const query = buildProxySignalsQuery({
      selector: { index: CAPTURE_INDEX },
      slowRequestSeconds: SLOW_REQUEST_SECONDS,
    });
    const outcome = await runInsightsQuery(
      {
        logGroup: '/prod/haproxy',
        queryString: query,
        startTimeSeconds: CAPTURE_WINDOW.start.getTime() / 1000,
        endTimeSeconds: CAPTURE_WINDOW.end.getTime() / 1000 - 1,
        deadlineMs: clock.now().getTime() + 60_000,
        timeoutSeconds: 60,
      },
      {
        api: createLogsInsightsApi(new CloudWatchLogsClient(clientConfig(replay.endpoint))),
        clock,
        limiter: new QueryLimiter(4),
        random: () => 0.5,
      },
    );
    const tally = new ProxyTally(CAPTURE_WINDOW);
    const added = addProxySignalRows(tally, outcome.rows);
    return { outcome, added, signals: tally.toSignals('Logs Insights /prod/haproxy') };
  }

  it('comes back through the SDK as a complete outcome with its statistics and every row readable', async () => {
    const { outcome, added } = await readCaptured();

    expect({
      status: outcome.status,
      statistics: outcome.statistics,
      queries: outcome.queries,
      rows: outcome.rows.length,
      first: outcome.rows[0],
    }).toEqual({
      status: 'complete',
      statistics: { bytesScanned: 11438, recordsScanned: 51, recordsMatched: 27 },
      queries: 1,
      rows: 17,
      first: { minute: '2026-08-21 13:15:00.000', status: '-1', tsc: 'CD--', requests: '1', slow_answers: '0' },
    });
    expect(added).toEqual({ rows: 17, unreadable: 0, slowUnreadable: 0 });
  });

  it('gives the per-minute origin 5xx, 429s and slow answers the fixture lines hold', async () => {
    const { signals } = await readCaptured();

    expect(numbers(signals.requests)).toEqual({
      status: 'ok',
      counts: [15, 10, 2, 0, 0],
      byCode: undefined,
      byTermination: undefined,
    });
    expect(numbers(signals.origin_5xx)).toEqual({
      status: 'ok',
      counts: [6, 0, 0, 0, 0],
      byCode: { '502': 2, '503': 3, '504': 1 },
      byTermination: { 'PH--': 1, 'SH--': 1, 'SC--': 1, 'sC--': 1, 'sQ--': 1, 'sH--': 1 },
    });
    expect(numbers(signals.throttled_429)).toEqual({
      status: 'ok',
      counts: [2, 3, 0, 0, 0],
      byCode: { '429': 5 },
      byTermination: { 'LR--': 1, 'PR--': 4 },
    });
    expect(numbers(signals.slow_requests)).toEqual({
      status: 'ok',
      counts: [6, 0, 0, 0, 0],
      byCode: undefined,
      byTermination: undefined,
    });
  });

  it('gives the same signals as files mode over the HAProxy fixture lines it was counted from', async () => {
    const { signals } = await readCaptured();
    const files = new ProxyTally(CAPTURE_WINDOW);
    const matcher = createIndexMatcher({ index: CAPTURE_INDEX });
    for (const line of readCorpusLines(FIXTURE_CORPUS, 'haproxy/httplog.log')) {
      const record = parseProxyLine(line);
      if (record.kind === 'haproxy-http' && matcher.requestBelongs(record.path))
        tallyProxyAnswer(files, record, SLOW_REQUEST_SECONDS * 1000);
    }

    const fromFiles = files.toSignals('files');

    for (const name of ['requests', 'origin_5xx', 'throttled_429', 'slow_requests'] as const)
      expect(numbers(signals[name]), name).toEqual(numbers(fromFiles[name]));
  });

  it('was asked for the window in epoch seconds, both ends inclusive, with the filled query', async () => {
    await readCaptured();

    const start = requests['Logs_20140328.StartQuery']?.at(-1);

    expect(start).toMatchObject({
      logGroupNames: ['/prod/haproxy'],
      startTime: 1787318100,
      endTime: 1787318399,
      limit: 10000,
    });
    expect(String(start?.queryString)).toContain('| filter path like /^[^?]*\\/prod_000_audio(?:[\\/?]|$)/');
  });
});

describe('the captured GetMetricData pages of the ALB metrics', () => {
  async function readCaptured() {
    const clock = instantClock();
    return fetchAlbMetrics(
      {
        window: CAPTURE_WINDOW,
        now: clock.now(),
        index: CAPTURE_INDEX,
        loadBalancer: 'app/k8s-ingress/0123456789abcdef',
        targetGroup: 'targetgroup/k8s-prod000audio/0123456789abcdef',
        deadlineMs: clock.now().getTime() + 60_000,
        timeoutSeconds: 60,
      },
      { api: createMetricsApi(new CloudWatchClient(clientConfig(replay.endpoint))), clock },
    );
  }

  it('follows NextToken to the second page and reports a complete source of 60 s periods', async () => {
    const before = requests['GraniteServiceVersion20100801.GetMetricData']?.length ?? 0;

    const outcome = await readCaptured();

    const calls = (requests['GraniteServiceVersion20100801.GetMetricData'] ?? []).slice(before);
    expect(calls.map((body) => body.NextToken ?? null)).toEqual([null, PAGE_1_TOKEN]);
    expect([outcome.apiCalls, outcome.periodSeconds, outcome.source]).toEqual([
      2,
      60,
      { name: 'ALB metrics via GetMetricData', status: 'complete', detail: 'complete, 60 s periods, 2 pages' },
    ]);
  });

  it('reads the counts per minute, zeros where a live dimension published nothing, and carries the host gauges forward', async () => {
    const { signals, responseTime, elb5xx } = await readCaptured();

    const counts = Object.fromEntries(
      Object.entries(signals).map(([name, series]) => [name, series.status === 'ok' ? series.counts : series.status]),
    );
    expect(counts).toEqual({
      requests: [412, 397, 405, 420, 388],
      target_5xx: [2, 0, 1, 0, 0],
      target_4xx: [0, 2, 0, 0, 0],
      target_connection_errors: [0, 0, 0, 0, 0],
      healthy_hosts: [3, 3, 2, 2, 3],
      unhealthy_hosts: [0, 0, 1, 1, 0],
      elb_502: [3, 2, 0, 1, 0],
      elb_503: [0, 0, 1, 0, 0],
      elb_504: [1, 0, 0, 0, 0],
      // RequestCount only counts requests routed to a target: the LB's own 4xx and 503s are added.
      lb_requests: [1630, 1603, 1612, 1646, 1575],
      elb_502_index: 'unavailable',
    });
    expect({ responseTime, elb5xx }).toEqual({
      responseTime: { maxSeconds: [0.412, 2.412, 0.388, 0.401, 0.395], p99Seconds: [0.2, 0.31, 0.19, 0.21, 0.2] },
      elb5xx: [4, 2, 1, 1, 0],
    });
  });
});
