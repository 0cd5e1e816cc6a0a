import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Clock, systemClock } from '../../../src/core/clock.js';
import type { InvestigationCommand, TimeWindow } from '../../../src/core/types.js';
import { UsageError } from '../../../src/errors.js';
import { combineViews } from '../../../src/evidence/combine-views.js';
import type { IndexSelector } from '../../../src/evidence/index-matcher.js';
import { absentView } from '../../../src/evidence/views.js';
import {
  type CloudWatchDeps,
  type CloudWatchEvidenceInput,
  createCloudWatchDeps,
  formatBytes,
  gatherCloudWatchViews,
} from '../../../src/sources/cloudwatch/gather-cloudwatch-evidence.js';
import type { LogsInsightsApi } from '../../../src/sources/cloudwatch/logs-insights.js';
import type { MetricDataPage, MetricsApi } from '../../../src/sources/cloudwatch/metrics.js';
import { QueryLimiter } from '../../../src/sources/cloudwatch/query-limiter.js';
import { type FakeCloudWatch, startFakeCloudWatch } from '../../support/fake-cloudwatch-server.js';
import { setProcessEnv } from '../../support/process-env.js';

const LB = 'app/k8s-ingress/0123456789abcdef';
const TG = 'targetgroup/k8s-prod000audio/0123456789abcdef';
const WINDOW: TimeWindow = { start: new Date('2026-06-18T19:38:00Z'), end: new Date('2026-06-18T19:44:00Z') };
const INDEX: IndexSelector = { index: 'prod_000_audio', targetGroup: TG };

function instantClock(startIso = '2026-06-18T21:00:00Z'): Clock {
  let nowMs = Date.parse(startIso);
  return {
    now: () => new Date(nowMs),
    sleep: async (ms, signal) => {
      if (signal?.aborted) throw signal.reason;
      nowMs += ms;
    },
  };
}

function command(window = WINDOW): InvestigationCommand {
  return {
    index: INDEX.index,
    asked: {
      input: '05:41 AEST',
      zone: { kind: 'fixed', label: 'AEST', offsetMinutes: 600 },
      utcOffset: '+10:00',
      instant: new Date('2026-06-18T19:41:00Z'),
      at: new Date('2026-06-18T19:41:00Z'),
      notes: [],
    },
    window,
    noDraft: true,
  };
}

function input(
  aws: Partial<CloudWatchEvidenceInput['aws']> = {},
  overrides: Partial<CloudWatchEvidenceInput> = {},
): CloudWatchEvidenceInput {
  return {
    command: command(),
    index: INDEX,
    aws: {
      region: 'ap-southeast-2',
      loadBalancer: LB,
      proxyLogGroups: ['/prod/haproxy'],
      queryTimeoutSeconds: 60,
      maxConcurrentQueries: 10,
      ...aws,
    },
    slowRequestSeconds: 2,
    ...overrides,
  };
}

type Row = Record<string, string>;
const row = (hhmm: string, status: string, tsc: string, requests: number, slow = 0): Row => ({
  minute: `2026-06-18 ${hhmm}:00.000`,
  status,
  tsc,
  requests: String(requests),
  slow_answers: String(slow),
});

interface FakeLogsOptions {
  rowsByGroup: Record<string, Row[]>;
  /** Final status per group (default Complete). */
  endStatus?: Record<string, string>;
  pollsBeforeComplete?: number;
  bytesScanned?: number;
}

/** An in-memory Logs Insights: counts calls and the most queries running at once. */
function fakeLogs(options: FakeLogsOptions) {
  const queries = new Map<string, { group: string; polls: number }>();
  const calls: string[] = [];
  let running = 0;
  let peakRunning = 0;
  const api: LogsInsightsApi = {
    startQuery: async (request) => {
      calls.push(`StartQuery ${request.logGroupNames.join(',')}`);
      const queryId = `q-${queries.size + 1}`;
      queries.set(queryId, { group: request.logGroupNames[0]!, polls: 0 });
      running++;
      peakRunning = Math.max(peakRunning, running);
      return { queryId };
    },
    getQueryResults: async ({ queryId }) => {
      calls.push(`GetQueryResults ${queryId}`);
      const query = queries.get(queryId)!;
      query.polls++;
      if (query.polls <= (options.pollsBeforeComplete ?? 0)) return { status: 'Running', results: [] };
      running--;
      const rows = options.rowsByGroup[query.group] ?? [];
      return {
        status: options.endStatus?.[query.group] ?? 'Complete',
        results: rows.map((r) => Object.entries(r).map(([field, value]) => ({ field, value }))),
        statistics: {
          bytesScanned: options.bytesScanned ?? 2_113_000_000,
          recordsScanned: 1_413_464,
          recordsMatched: 1_413_464,
        },
      };
    },
    stopQuery: async ({ queryId }) => {
      calls.push(`StopQuery ${queryId}`);
      return { success: true };
    },
  };
  return { api, calls, peak: () => peakRunning };
}

const at = (hhmm: string) => new Date(`2026-06-18T${hhmm}:00Z`);

function metricResult(id: string, points: Record<string, number>) {
  const entries = Object.entries(points);
  return { Id: id, StatusCode: 'Complete', Timestamps: entries.map(([t]) => at(t)), Values: entries.map(([, v]) => v) };
}

/** An in-memory GetMetricData answering one page. */
function fakeMetrics(results: ReturnType<typeof metricResult>[]) {
  const calls: unknown[] = [];
  const api: MetricsApi = {
    getMetricData: async (request) => {
      calls.push(request);
      const page: MetricDataPage = { MetricDataResults: results, Messages: [] };
      return page;
    },
  };
  return { api, calls };
}

/** The seed's shape: a 429 burst the ALB sees as target 4xx, no 5xx anywhere. */
const SEED_ROWS: Row[] = [
  row('19:38', '200', '----', 20_000, 3),
  row('19:38', '429', 'PR--', 4_000),
  row('19:39', '200', '----', 19_000),
  row('19:39', '429', 'PR--', 4_593),
  row('19:40', '429', 'PR--', 30_000),
  row('19:41', '429', 'PR--', 5_337),
  row('19:41', '504', 'sH--', 0),
];
const SEED_METRICS = [
  metricResult('tg_requests', { '19:38': 24_000, '19:39': 23_593, '19:40': 30_000, '19:41': 5_337 }),
  metricResult('tg_target_4xx', { '19:38': 4_001, '19:39': 4_600, '19:40': 30_000, '19:41': 5_342 }),
  metricResult('tg_healthy_hosts', { '19:38': 3 }),
  metricResult('tg_unhealthy_hosts', { '19:38': 0 }),
  metricResult('tg_response_time_max', { '19:39': 1.38 }),
  metricResult('tg_response_time_p99', { '19:39': 0.7 }),
  metricResult('lb_requests', {
    '19:38': 90_000,
    '19:39': 91_000,
    '19:40': 95_000,
    '19:41': 60_000,
    '19:42': 50_000,
    '19:43': 51_000,
  }),
  metricResult('lb_elb_502', { '19:40': 6, '19:42': 5 }),
  metricResult('lb_elb_5xx', { '19:40': 6, '19:42': 5 }),
];

function deps(logs: LogsInsightsApi, metrics: MetricsApi, overrides: Partial<CloudWatchDeps> = {}): CloudWatchDeps {
  return { logs, metrics, clock: instantClock(), limiter: new QueryLimiter(10), random: () => 0.5, ...overrides };
}

/** The CloudWatch providers' views, combined as an investigation with no access logs combines them. */
async function gatherCloudWatchEvidence(evidenceInput: CloudWatchEvidenceInput, cloudWatchDeps: CloudWatchDeps) {
  const views = await gatherCloudWatchViews(evidenceInput, cloudWatchDeps);
  const evidence = combineViews(
    { accessLogs: absentView('no ALB access logs in this test'), metrics: views.metrics, proxy: views.proxy },
    { command: evidenceInput.command, idleTimeoutSeconds: 60, slowRequestSeconds: evidenceInput.slowRequestSeconds },
  );
  return { ...evidence, apiCalls: views.apiCalls };
}

describe('gatherCloudWatchEvidence', () => {
  it('answers the seed: proxy signals from Logs Insights, ALB signals from metrics, bytes scanned in the detail', async () => {
    const logs = fakeLogs({ rowsByGroup: { '/prod/haproxy': SEED_ROWS } });
    const metrics = fakeMetrics(SEED_METRICS);

    const evidence = await gatherCloudWatchEvidence(input(), deps(logs.api, metrics.api));

    expect(evidence.signals.throttled_429).toEqual({
      scope: 'index',
      status: 'ok',
      source: 'Logs Insights /prod/haproxy',
      counts: [4_000, 4_593, 30_000, 5_337, 0, 0],
      byCode: { '429': 43_930 },
      byTermination: { 'PR--': 43_930 },
    });
    expect(evidence.signals.origin_5xx?.counts).toEqual([0, 0, 0, 0, 0, 0]);
    expect(evidence.signals.slow_requests?.counts).toEqual([3, 0, 0, 0, 0, 0]);
    expect(evidence.signals.requests?.source).toBe('CloudWatch RequestCount (target group)');
    expect(evidence.signals.target_4xx?.counts).toEqual([4_001, 4_600, 30_000, 5_342, 0, 0]);
    expect(evidence.signals.elb_502?.counts).toEqual([0, 0, 6, 0, 5, 0]);
    expect(evidence.signals.elb_502_index?.status).toBe('unavailable');
    expect(evidence.sources).toEqual([
      {
        name: 'proxy logs via Logs Insights /prod/haproxy',
        status: 'complete',
        detail: 'complete, 2.1 GB scanned (1,413,464 records, 1 query)',
      },
      { name: 'ALB metrics via GetMetricData', status: 'complete', detail: 'complete, 60 s periods, 1 page' },
    ]);
    expect(evidence.context).toEqual({
      idleTimeoutSeconds: 60,
      slowRequestSeconds: 2,
      elb502TargetGroups: null,
      targetGroupsSeen: null,
      tenants: null,
    });
    expect(evidence.apiCalls).toBe(3);
    expect(logs.calls).toEqual(['StartQuery /prod/haproxy', 'GetQueryResults q-1']);
    expect(metrics.calls).toHaveLength(1);
  });

  it('makes slow_requests partial, never 0, when result rows carry no readable slow count (a null conversion)', async () => {
    const { slow_answers: _dropped, ...withoutSlow } = row('19:39', '200', '----', 19_000);
    const logs = fakeLogs({
      rowsByGroup: {
        '/prod/haproxy': [
          ...SEED_ROWS.filter((r) => r.minute !== '2026-06-18 19:39:00.000' || r.status !== '200'),
          withoutSlow,
        ],
      },
    });

    const evidence = await gatherCloudWatchEvidence(input(), deps(logs.api, fakeMetrics(SEED_METRICS).api));

    expect(evidence.signals.slow_requests?.status).toBe('partial');
    expect(evidence.signals.slow_requests?.reason).toContain(
      '1 result row(s) had no readable slow count: their slowness is unknown, not 0',
    );
    expect(evidence.signals.throttled_429?.status).toBe('ok');
  });

  it("starts the metrics call and every log group's query at once, and sums the groups into one tally", async () => {
    const logs = fakeLogs({
      rowsByGroup: {
        '/prod/haproxy-a': [row('19:39', '429', 'PR--', 10)],
        '/prod/haproxy-b': [row('19:39', '429', 'PR--', 5), row('19:40', '502', 'SH--', 2)],
      },
      pollsBeforeComplete: 3,
    });

    const evidence = await gatherCloudWatchEvidence(
      input({ proxyLogGroups: ['/prod/haproxy-a', '/prod/haproxy-b'] }),
      deps(logs.api, fakeMetrics(SEED_METRICS).api),
    );

    expect(logs.peak()).toBe(2);
    expect(logs.calls.slice(0, 2)).toEqual(['StartQuery /prod/haproxy-a', 'StartQuery /prod/haproxy-b']);
    expect(evidence.signals.throttled_429?.counts).toEqual([0, 15, 0, 0, 0, 0]);
    expect(evidence.signals.origin_5xx?.byCode).toEqual({ '502': 2 });
    expect(evidence.signals.throttled_429?.source).toBe('Logs Insights /prod/haproxy-a, /prod/haproxy-b');
  });

  it("keeps concurrent Logs Insights queries under the limiter's cap", async () => {
    const groups = ['/a', '/b', '/c', '/d', '/e'];
    const logs = fakeLogs({
      rowsByGroup: Object.fromEntries(groups.map((g) => [g, [row('19:39', '200', '----', 1)]])),
      pollsBeforeComplete: 2,
    });
    const limiter = new QueryLimiter(2);

    const evidence = await gatherCloudWatchEvidence(
      input({ proxyLogGroups: groups }),
      deps(logs.api, fakeMetrics(SEED_METRICS).api, { limiter }),
    );

    expect(logs.peak()).toBe(2);
    expect(limiter.peakActive).toBe(2);
    expect(evidence.signals.slow_requests?.status).toBe('ok');
    expect(logs.calls.filter((c) => c.startsWith('StartQuery'))).toHaveLength(5);
  });

  it('lets identical investigations running at once share one set of queries', async () => {
    const logs = fakeLogs({ rowsByGroup: { '/prod/haproxy': SEED_ROWS }, pollsBeforeComplete: 2 });
    const metrics = fakeMetrics(SEED_METRICS);
    const shared = deps(logs.api, metrics.api);

    const [first, second] = await Promise.all([
      gatherCloudWatchEvidence(input(), shared),
      gatherCloudWatchEvidence(input(), shared),
    ]);

    expect(second).toEqual(first);
    expect(logs.calls.filter((c) => c.startsWith('StartQuery'))).toEqual(['StartQuery /prod/haproxy']);
    expect(metrics.calls).toHaveLength(1);

    // Once settled, the next investigation queries anew.
    await gatherCloudWatchEvidence(input(), shared);
    expect(logs.calls.filter((c) => c.startsWith('StartQuery'))).toHaveLength(2);
  });

  it('makes the proxy signals partial, naming the group, when one of several log groups fails', async () => {
    const logs = fakeLogs({
      rowsByGroup: { '/prod/haproxy-a': [row('19:39', '429', 'PR--', 10)], '/prod/haproxy-b': [] },
      endStatus: { '/prod/haproxy-b': 'Failed' },
    });

    const evidence = await gatherCloudWatchEvidence(
      input({ proxyLogGroups: ['/prod/haproxy-a', '/prod/haproxy-b'] }),
      deps(logs.api, fakeMetrics(SEED_METRICS).api),
    );

    expect(evidence.signals.throttled_429).toEqual({
      scope: 'index',
      status: 'partial',
      reason:
        'missing /prod/haproxy-b: Logs Insights query on /prod/haproxy-b ended Failed (the service could not run it)',
      source: 'Logs Insights /prod/haproxy-a',
      counts: [0, 10, 0, 0, 0, 0],
      byCode: { '429': 10 },
      byTermination: { 'PR--': 10 },
    });
    expect(evidence.sources[1]).toEqual({
      name: 'proxy logs via Logs Insights /prod/haproxy-b',
      status: 'failed',
      detail:
        'failed, 2.1 GB scanned (1,413,464 records, 1 query), Logs Insights query on /prod/haproxy-b ended Failed (the service could not run it)',
    });
  });

  it("makes the proxy signals unavailable, never 0, when every query fails; slow_requests cites the ALB's response time", async () => {
    const logs = fakeLogs({ rowsByGroup: {}, endStatus: { '/prod/haproxy': 'Timeout' } });

    const evidence = await gatherCloudWatchEvidence(input(), deps(logs.api, fakeMetrics(SEED_METRICS).api));

    const reason =
      'Logs Insights query on /prod/haproxy ended Timeout (the service gave up on it: try a shorter window)';
    expect(evidence.signals.origin_5xx).toEqual({ scope: 'index', status: 'unavailable', reason, counts: null });
    expect(evidence.signals.throttled_429?.counts).toBeNull();
    expect(evidence.signals.slow_requests?.reason).toBe(
      `slow requests are counted from the proxy logs: ${reason}; the ALB's TargetResponseTime (a maximum, not a count) peaked at 1.38 s at 2026-06-18T19:39:00Z`,
    );
    expect(evidence.signals.requests?.status).toBe('ok');
  });

  it('stops queries still running at aws.queryTimeoutSeconds and reports the proxy signals unavailable', async () => {
    const logs = fakeLogs({
      rowsByGroup: { '/prod/haproxy': SEED_ROWS },
      pollsBeforeComplete: Number.POSITIVE_INFINITY,
    });

    const evidence = await gatherCloudWatchEvidence(
      input({ queryTimeoutSeconds: 30 }),
      deps(logs.api, fakeMetrics(SEED_METRICS).api),
    );

    const reason =
      'Logs Insights query on /prod/haproxy still running at the 30 s deadline (aws.queryTimeoutSeconds); stopped';
    expect(logs.calls.at(-1)).toBe('StopQuery q-1');
    expect(evidence.signals.throttled_429).toEqual({ scope: 'index', status: 'unavailable', reason, counts: null });
    expect(evidence.sources[0]).toEqual({
      name: 'proxy logs via Logs Insights /prod/haproxy',
      status: 'failed',
      detail: `failed, 1 query, ${reason}`,
    });
    expect(evidence.signals.target_4xx?.status).toBe('ok');
  });

  it('says there are no proxy log groups configured, and still measures the ALB', async () => {
    const logs = fakeLogs({ rowsByGroup: {} });

    const evidence = await gatherCloudWatchEvidence(
      input({ proxyLogGroups: [] }),
      deps(logs.api, fakeMetrics(SEED_METRICS).api),
    );

    expect(evidence.sources[0]).toEqual({
      name: 'proxy logs via Logs Insights',
      status: 'not_configured',
      detail: 'aws.proxyLogGroups is empty: no proxy logs to query',
    });
    expect(evidence.signals.throttled_429?.status).toBe('unavailable');
    expect(evidence.signals.target_4xx?.status).toBe('ok');
    expect(logs.calls).toEqual([]);
  });

  it("counts the index's requests from the proxy when the metrics are unavailable", async () => {
    const logs = fakeLogs({ rowsByGroup: { '/prod/haproxy': SEED_ROWS } });

    const evidence = await gatherCloudWatchEvidence(
      input({ loadBalancer: undefined }),
      deps(logs.api, fakeMetrics([]).api),
    );

    expect(evidence.signals.requests?.source).toBe('Logs Insights /prod/haproxy');
    expect(evidence.signals.requests?.counts).toEqual([24_000, 23_593, 30_000, 5_337, 0, 0]);
    expect(evidence.signals.elb_502?.reason).toContain(
      'aws.loadBalancer is not set in the config, so there are no ALB metrics',
    );
  });

  it('says when metrics are 5-minute periods, in the context and the source detail', async () => {
    const window: TimeWindow = { start: new Date('2026-05-01T10:00:00Z'), end: new Date('2026-05-01T10:10:00Z') };
    const logs = fakeLogs({ rowsByGroup: {} });

    const evidence = await gatherCloudWatchEvidence(
      input({}, { command: command(window) }),
      deps(logs.api, fakeMetrics([]).api),
    );

    expect(evidence.context.metricPeriodSeconds).toBe(300);
    expect(evidence.sources[1]!.detail).toContain(
      '300 s periods (the window starts beyond 15 days; 1-minute data is kept 15 days): each 5-minute sum is shown on its first minute',
    );
  });

  it('rejects an invalid index name before any query is sent', async () => {
    const logs = fakeLogs({ rowsByGroup: {} });
    const metrics = fakeMetrics([]);

    await expect(
      gatherCloudWatchEvidence(input({}, { index: { index: 'x" | stats count(*)' } }), deps(logs.api, metrics.api)),
    ).rejects.toThrow(UsageError);
    expect(logs.calls).toEqual([]);
    expect(metrics.calls).toEqual([]);
  });
});

describe('formatBytes', () => {
  it('prints decimal units with one decimal below 100', () => {
    expect([formatBytes(0), formatBytes(999), formatBytes(2_113_000_000), formatBytes(123_400_000)]).toEqual([
      '0 B',
      '999 B',
      '2.1 GB',
      '123 MB',
    ]);
  });
});

/** Environment changes for one test, restored after. */
function withEnv(changes: Record<string, string | undefined>) {
  let saved: Record<string, string | undefined> = {};
  beforeEach(() => {
    saved = setProcessEnv(changes);
  });
  afterEach(() => {
    setProcessEnv(saved);
  });
}

describe('createCloudWatchDeps against a local endpoint given by AWS_ENDPOINT_URL_*', () => {
  let fake: FakeCloudWatch;
  const QUERY_LATENCY_MS = 1_000;
  withEnv({
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_SESSION_TOKEN: undefined,
    AWS_PROFILE: undefined,
  });

  beforeEach(async () => {
    fake = await startFakeCloudWatch({
      queryLatencyMs: QUERY_LATENCY_MS,
      rowsFor: (query) =>
        query.logGroupNames[0] === '/prod/haproxy-a'
          ? [row('19:39', '429', 'PR--', 7)]
          : [row('19:40', '429', 'PR--', 3)],
      metricsFor: (queries) =>
        queries.map((q) => ({
          Id: q.Id,
          Timestamps: q.Id === 'lb_requests' ? [Date.parse('2026-06-18T19:39:00Z') / 1000] : [],
          Values: q.Id === 'lb_requests' ? [500] : [],
        })),
    });
    process.env.AWS_ENDPOINT_URL_CLOUDWATCH_LOGS = fake.endpoint;
    process.env.AWS_ENDPOINT_URL_CLOUDWATCH = fake.endpoint;
  });

  afterEach(async () => {
    delete process.env.AWS_ENDPOINT_URL_CLOUDWATCH_LOGS;
    delete process.env.AWS_ENDPOINT_URL_CLOUDWATCH;
    await fake.close();
  });

  it('runs the whole investigation through the real SDK, queries in parallel, in about one query latency', async () => {
    const aws = input({ proxyLogGroups: ['/prod/haproxy-a', '/prod/haproxy-b', '/prod/haproxy-c'] }).aws;
    const realDeps = { ...createCloudWatchDeps(aws), clock: systemClock };

    const startedMs = Date.now();
    const evidence = await gatherCloudWatchEvidence({ ...input(), aws }, realDeps);
    const wallMs = Date.now() - startedMs;

    expect(evidence.signals.throttled_429?.counts).toEqual([0, 7, 6, 0, 0, 0]);
    expect(evidence.signals.lb_requests?.counts).toEqual([0, 500, 0, 0, 0, 0]);
    expect(evidence.sources.map((s) => s.status)).toEqual(['complete', 'complete', 'complete', 'complete']);
    expect(fake.calls().StartQuery).toBe(3);
    expect(fake.calls().GetMetricData).toBe(1);
    expect(evidence.apiCalls).toBe(fake.totalCalls());
    // Three queries one after another would take 3,000 ms; the margin covers the SDK's first-call start-up.
    expect(wallMs).toBeLessThan(QUERY_LATENCY_MS * 2);
  });
});

describe('createCloudWatchDeps without credentials', () => {
  withEnv({
    AWS_ACCESS_KEY_ID: undefined,
    AWS_SECRET_ACCESS_KEY: undefined,
    AWS_SESSION_TOKEN: undefined,
    AWS_PROFILE: undefined,
    AWS_WEB_IDENTITY_TOKEN_FILE: undefined,
    AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: undefined,
    AWS_CONTAINER_CREDENTIALS_FULL_URI: undefined,
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/why502-test/credentials',
    AWS_CONFIG_FILE: '/nonexistent/why502-test/config',
    AWS_EC2_METADATA_DISABLED: 'true',
  });

  it('gives every source a reason that names the credential chain and the permissions', async () => {
    const aws = input().aws;

    const evidence = await gatherCloudWatchEvidence(
      { ...input(), aws },
      { ...createCloudWatchDeps(aws), clock: instantClock() },
    );

    expect(evidence.sources.map((s) => s.status)).toEqual(['failed', 'failed']);
    expect(evidence.sources[0]!.detail).toContain(
      'Logs Insights on /prod/haproxy: no AWS credentials found (standard chain: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE, SSO, web identity, or an instance/task role); give credentials allowed logs:StartQuery, logs:GetQueryResults, logs:StopQuery',
    );
    expect(evidence.sources[1]!.detail).toBe(
      'GetMetricData: no AWS credentials found (standard chain: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE, SSO, web identity, or an instance/task role); give credentials allowed cloudwatch:GetMetricData',
    );
    expect(evidence.signals.throttled_429?.status).toBe('unavailable');
    expect(evidence.signals.elb_502?.status).toBe('unavailable');
  });
});

describe('createCloudWatchDeps without a region', () => {
  withEnv({
    AWS_REGION: undefined,
    AWS_DEFAULT_REGION: undefined,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_PROFILE: undefined,
    AWS_CONFIG_FILE: '/nonexistent/why502-test/config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/why502-test/credentials',
  });

  it('says to set aws.region or AWS_REGION', async () => {
    const aws = input({ region: undefined }).aws;

    const evidence = await gatherCloudWatchEvidence(
      { ...input(), aws },
      { ...createCloudWatchDeps(aws), clock: instantClock() },
    );

    expect(evidence.sources.map((s) => s.detail)).toEqual([
      'failed, Logs Insights on /prod/haproxy: no AWS region; set aws.region in the config or AWS_REGION',
      'GetMetricData: no AWS region; set aws.region in the config or AWS_REGION',
    ]);
  });
});
