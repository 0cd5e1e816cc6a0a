/**
 * THE EQUIVALENCE TEST for the other proxy formats (aws.proxyLogFormats): the same Traefik JSON
 * and Envoy lines, written by the simulator, through files mode (parseProxyLine →
 * tallyProxyAnswer) and through CloudWatch mode (each format's filled query, run command by
 * command by a test-side Logs Insights emulator, test/support/insights-pipeline-emulator.ts,
 * whose rows go through gatherCloudWatchViews and combineViews) must give the same signals,
 * minute by minute. Then real-format lines, one by one: what the query reads from each equals
 * what the files parser reads, and each line alone tallies the same in both modes.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Clock } from '../../../src/core/clock.js';
import type { InvestigationCommand, SignalSeries, TimeWindow } from '../../../src/core/types.js';
import { combineViews } from '../../../src/evidence/combine-views.js';
import { createIndexMatcher, type IndexSelector } from '../../../src/evidence/index-matcher.js';
import { answeredAtMs, ProxyTally, tallyProxyAnswer } from '../../../src/evidence/proxy-tally.js';
import { absentView } from '../../../src/evidence/views.js';
import { parseProxyLine } from '../../../src/parsers/proxy-line.js';
import type { ProxyRecord } from '../../../src/parsers/proxy-record.js';
import {
  type IncidentEvent,
  type IncidentSpec,
  type StackSpec,
  simulateIncident,
} from '../../../src/simulate/simulate-incident.js';
import { gatherCloudWatchViews } from '../../../src/sources/cloudwatch/gather-cloudwatch-evidence.js';
import type { MetricsApi } from '../../../src/sources/cloudwatch/metrics.js';
import { PROXY_FORMAT_QUERIES } from '../../../src/sources/cloudwatch/proxy-format-queries.js';
import type { ProxyLogFormat } from '../../../src/sources/cloudwatch/proxy-log-formats.js';
import { QueryLimiter } from '../../../src/sources/cloudwatch/query-limiter.js';
import { readMirrorFile } from '../../parsers/support/mirrors.js';
import type { LogEvent } from '../../support/insights-emulator.js';
import {
  compileInsightsPipeline,
  emulateInsightsPipeline,
  fieldsAtStats,
  pipelineLogsInsightsApi,
} from '../../support/insights-pipeline-emulator.js';
import { TENANTS } from '../../support/scenarios.js';
import { REAL_LOGS_DIR } from '../../support/shared-paths.js';

const SLOW_REQUEST_SECONDS = 2;
const INDEX = 'prod_000_audio';
const START = new Date('2026-06-18T19:00:00Z');
const minute = (n: number) => n;
/** The window asked about: inside the simulated 45 minutes, so answers fall on both sides of its edges. */
const WINDOW: TimeWindow = { start: new Date('2026-06-18T19:05:00Z'), end: new Date('2026-06-18T19:40:00Z') };

/** The seeds' shapes at once: a 429 burst, the application's 5xx, the proxy's keep-alive race, a slow spell. */
const EVENTS: IncidentEvent[] = [
  { kind: 'throttle', index: INDEX, fromMinute: minute(8), toMinute: minute(18), peakPerMinute: 60 },
  { kind: 'origin_5xx', index: INDEX, fromMinute: minute(12), toMinute: minute(22), perMinute: 6 },
  { kind: 'proxy_keepalive_502', index: INDEX, perMinute: 3 },
  {
    kind: 'slow_origin',
    index: INDEX,
    fromMinute: minute(25),
    toMinute: minute(35),
    fraction: 0.2,
    timeoutSeconds: 30,
  },
];

function spec(proxy: NonNullable<StackSpec['proxy']>, seed = 11): IncidentSpec {
  return {
    start: START,
    minutes: 45,
    seed,
    loadBalancer: 'app/k8s-ingress/0123456789abcdef',
    region: 'ap-southeast-2',
    accountId: '123456789012',
    tenants: TENANTS.slice(0, 3),
    events: EVENTS,
    stack: { proxy },
  };
}

/** The simulator's proxy lines as log events: @timestamp = when the proxy answered (and wrote the line). */
function proxyEvents(incident: IncidentSpec): LogEvent[] {
  return simulateIncident(incident).proxy.map(({ timeMs, line }) => ({ timestampMs: timeMs, message: line }));
}

// ---------------------------------------------------------------- files mode

function filesModeTally<T extends ProxyTally>(
  messages: Iterable<string>,
  selector: IndexSelector,
  window: TimeWindow = WINDOW,
  tally: T = new ProxyTally(window) as T,
): T {
  const matcher = createIndexMatcher(selector);
  for (const message of messages) {
    const record = parseProxyLine(message);
    if (record.kind === 'malformed' || record.kind === 'other' || !matcher.requestBelongs(record.path)) continue;
    tallyProxyAnswer(tally, record, SLOW_REQUEST_SECONDS * 1000); // the files-mode path itself
  }
  return tally;
}

// ---------------------------------------------------------------- CloudWatch mode

const noMetrics: MetricsApi = {
  getMetricData: async () => {
    throw new Error('no load balancer is configured in this test, so no metrics call is expected');
  },
};

const instantClock: Clock = (() => {
  let nowMs = Date.parse('2026-06-18T21:00:00Z');
  return {
    now: () => new Date(nowMs),
    sleep: async (ms: number) => {
      nowMs += ms;
    },
  };
})();

function command(index: string): InvestigationCommand {
  return {
    index,
    asked: {
      input: '05:20 AEST',
      zone: { kind: 'fixed', label: 'AEST', offsetMinutes: 600 },
      utcOffset: '+10:00',
      instant: new Date('2026-06-18T19:20:00Z'),
      at: new Date('2026-06-18T19:20:00Z'),
      notes: [],
    },
    window: WINDOW,
    noDraft: true,
  };
}

interface Group {
  events: LogEvent[];
  format: ProxyLogFormat;
}

async function cloudWatchMode(selector: IndexSelector, groups: Record<string, Group>) {
  const eventsByGroup = Object.fromEntries(Object.entries(groups).map(([name, group]) => [name, group.events]));
  const aws = {
    proxyLogGroups: Object.keys(groups),
    proxyLogFormats: Object.fromEntries(Object.entries(groups).map(([name, group]) => [name, group.format])),
    queryTimeoutSeconds: 60,
    maxConcurrentQueries: 10,
  };
  const views = await gatherCloudWatchViews(
    { command: command(selector.index), index: selector, aws, slowRequestSeconds: SLOW_REQUEST_SECONDS },
    {
      logs: pipelineLogsInsightsApi(eventsByGroup),
      metrics: noMetrics,
      clock: instantClock,
      limiter: new QueryLimiter(10),
    },
  );
  const evidence = combineViews(
    { accessLogs: absentView('none in this test'), metrics: views.metrics, proxy: views.proxy },
    { command: command(selector.index), idleTimeoutSeconds: 60, slowRequestSeconds: SLOW_REQUEST_SECONDS },
  );
  return { signals: evidence.signals, proxy: views.proxy };
}

/** The numbers of a signal, without where they came from. */
function numbers(series: SignalSeries | undefined) {
  return {
    status: series?.status,
    counts: series?.counts,
    byCode: series?.byCode,
    byTermination: series?.byTermination,
  };
}

function expectSameSignals(files: ProxyTally, cloudWatch: Awaited<ReturnType<typeof cloudWatchMode>>['signals']) {
  const expected = files.toSignals('files');
  expect(numbers(cloudWatch.requests)).toEqual(numbers(expected.requests));
  expect(numbers(cloudWatch.origin_5xx)).toEqual(numbers(expected.origin_5xx));
  expect(numbers(cloudWatch.throttled_429)).toEqual(numbers(expected.throttled_429));
  expect(numbers(cloudWatch.slow_requests)).toEqual(numbers(expected.slow_requests));
}

const total = (counts: readonly number[]) => counts.reduce((sum, n) => sum + n, 0);

describe('proxy signals of Traefik JSON and Envoy: files mode and CloudWatch mode agree on the same lines', () => {
  it('gives the same per-minute signals for Traefik JSON, keyed by who answered as files mode keys it', async () => {
    const selector: IndexSelector = { index: INDEX };
    const events = proxyEvents(spec('traefik-json'));

    const files = filesModeTally(
      events.map((e) => e.message),
      selector,
    );
    const cloudWatch = await cloudWatchMode(selector, { '/prod/traefik': { events, format: 'traefik-json' } });

    expectSameSignals(files, cloudWatch.signals);
    // Every path is exercised: Traefik's own 502s and the application's 5xx, its rate limit, slow answers.
    const signals = files.toSignals('files');
    expect(Object.keys(signals.origin_5xx.byTermination!).sort()).toEqual([
      'answered-by:proxy-upstream-failure',
      'answered-by:server',
    ]);
    expect(signals.origin_5xx.byCode).toEqual({
      '500': expect.any(Number),
      '502': expect.any(Number),
      '504': expect.any(Number),
    });
    expect(Object.keys(signals.throttled_429.byTermination!)).toEqual(['answered-by:proxy-rule']);
    expect(total(files.slow)).toBeGreaterThan(50);
    expect(Math.max(...files.throttled)).toBeGreaterThan(3 * Math.min(...files.throttled));
    expect(cloudWatch.proxy).toMatchObject({
      name: 'Logs Insights /prod/traefik (Traefik JSON)',
      sources: [{ name: 'proxy logs via Logs Insights /prod/traefik (Traefik JSON)', status: 'complete' }],
    });
  });

  it('gives the same per-minute signals for Envoy, keyed by its response flags verbatim', async () => {
    const selector: IndexSelector = { index: INDEX };
    const events = proxyEvents(spec('envoy'));

    const files = filesModeTally(
      events.map((e) => e.message),
      selector,
    );
    const cloudWatch = await cloudWatchMode(selector, { '/prod/envoy': { events, format: 'envoy' } });

    expectSameSignals(files, cloudWatch.signals);
    const signals = files.toSignals('files');
    expect(Object.keys(signals.origin_5xx.byTermination!).sort()).toEqual(['UC', 'UT', 'answered-by:server']);
    expect(signals.throttled_429.byTermination).toEqual({ RL: total(files.throttled) });
    expect(total(files.slow)).toBeGreaterThan(50);
  });

  it('gives the same signals for an index matched by a `match` substring', async () => {
    const selector: IndexSelector = { index: 'audio', match: `/indexes/${INDEX}/` };
    const traefik = proxyEvents(spec('traefik-json'));
    const envoy = proxyEvents(spec('envoy'));

    const files = filesModeTally(
      [...traefik, ...envoy].map((e) => e.message),
      selector,
    );
    const cloudWatch = await cloudWatchMode(selector, {
      '/prod/traefik': { events: traefik, format: 'traefik-json' },
      '/prod/envoy': { events: envoy, format: 'envoy' },
    });

    expectSameSignals(files, cloudWatch.signals);
    expect(total(files.requests)).toBeGreaterThan(3000);
  });

  it('sums log groups of three formats into one tally, each read by its own query, as files mode sums their files', async () => {
    const selector: IndexSelector = { index: INDEX };
    const groups: Record<string, Group> = {
      '/prod/haproxy': { events: proxyEvents(spec('haproxy', 12)), format: 'haproxy' },
      '/prod/traefik': { events: proxyEvents(spec('traefik-json', 13)), format: 'traefik-json' },
      '/prod/envoy': { events: proxyEvents(spec('envoy', 14)), format: 'envoy' },
    };

    const files = filesModeTally(
      Object.values(groups).flatMap((group) => group.events.map((e) => e.message)),
      selector,
    );
    const cloudWatch = await cloudWatchMode(selector, groups);

    expectSameSignals(files, cloudWatch.signals);
    expect(cloudWatch.proxy).toMatchObject({
      name: 'Logs Insights /prod/haproxy, /prod/traefik (Traefik JSON), /prod/envoy (Envoy)',
    });
    expect(Object.keys(files.toSignals('files').origin_5xx.byTermination!).sort()).toEqual([
      '----',
      'SH--',
      'UC',
      'UT',
      'answered-by:proxy-upstream-failure',
      'answered-by:server',
      'sH--',
    ]);
  });

  it("selects nothing for an index whose name only appears inside other indexes' names", async () => {
    const selector: IndexSelector = { index: 'prod_000' };
    const events = proxyEvents(spec('traefik-json'));

    const files = filesModeTally(
      events.map((e) => e.message),
      selector,
    );
    const cloudWatch = await cloudWatchMode(selector, { '/prod/traefik': { events, format: 'traefik-json' } });

    expectSameSignals(files, cloudWatch.signals);
    expect(files.requests.every((n) => n === 0)).toBe(true);
  });

  it('never sends a query that groups an event by a key it lacks, on every line the simulator writes', () => {
    // emulateInsightsPipeline throws when an event reaches stats without a group key.
    for (const format of ['traefik-json', 'envoy'] as const) {
      const query = PROXY_FORMAT_QUERIES[format].build({
        selector: { index: 'any', match: '/' },
        slowRequestSeconds: SLOW_REQUEST_SECONDS,
      });
      const events = proxyEvents(spec(format));

      const rows = emulateInsightsPipeline(
        query,
        events,
        START.getTime() / 1000,
        START.getTime() / 1000 + 45 * 60 - 1 + 60,
      );

      expect(total(rows.map((row) => Number(row.requests)))).toBe(events.length);
    }
  });
});

// ---------------------------------------------------------------- real-format lines, one by one

/** Lines of one format: the repository's fixtures, fetched repositories' own lines, the shared corpus when present. */
interface LineSource {
  name: string;
  lines: string[];
}

const fixture = (file: string) =>
  readFileSync(new URL(`../../fixtures/logs/${file}`, import.meta.url), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '');

/** Files of ../shared/data/real-logs/<folder>/ when that folder exists (never copied here). */
function sharedLines(folder: string): LineSource[] {
  const dir = `${REAL_LOGS_DIR}${folder}/`;
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((file) => file.endsWith('.log'))
    .map((file) => ({
      name: `real-logs/${folder}/${file}`,
      lines: readFileSync(`${dir}${file}`, 'utf8')
        .split('\n')
        .filter((line) => line.trim() !== ''),
    }));
}

function envoyMirrorLines(): LineSource[] {
  const katacoda = readMirrorFile(
    'envoyproxy/katacoda-scenarios',
    '6b960b9842c85975fa016fb2606062abd72a013f',
    'migrating-from-nginx-to-envoy/step6.md',
  );
  const istio = readMirrorFile(
    'fredcoq/kubefrog-kvmserver',
    '2aee1c5f7ce8d59d1f61c08fd80b00d53be35cac',
    'istio/readme.md',
  );
  if (!katacoda || !istio) {
    console.warn(
      'SKIPPED the Envoy and Istio example lines of other projects: their repositories are not fetched (CI has none).',
    );
    return [];
  }
  return [
    { name: 'envoyproxy/katacoda-scenarios step6.md', lines: [/`(\[2018-[^`]+)`/.exec(katacoda)![1]!] },
    {
      name: 'fredcoq/kubefrog-kvmserver istio/readme.md',
      lines: istio.split('\n').filter((line) => /^\[20\d\d-\d\d-\d\dT/.test(line)),
    },
  ];
}

/** A Traefik JSON entry as Go's encoder writes it (keys sorted), from the fields that decide who answered. */
function traefikEntry(fields: Record<string, unknown>): string {
  const entry: Record<string, unknown> = {
    ClientAddr: '192.0.2.40:50000',
    DownstreamContentSize: 1534,
    DownstreamStatus: 200,
    Duration: 23_000_000,
    OriginContentSize: 1534,
    OriginDuration: 22_000_000,
    OriginStatus: 200,
    RequestMethod: 'GET',
    RequestPath: '/api/v1/orders',
    RouterName: 'orders@kubernetescrd',
    ServiceAddr: '198.51.100.21:8080',
    ServiceName: 'prod-orders-8080@kubernetescrd',
    ServiceURL: 'http://198.51.100.21:8080',
    StartUTC: '2026-08-21T13:16:30.000000001Z',
    level: 'info',
    msg: '',
    time: '2026-08-21T13:16:30Z',
    ...fields,
  };
  for (const [key, value] of Object.entries(entry)) if (value === undefined) delete entry[key];
  return JSON.stringify(Object.fromEntries(Object.entries(entry).sort(([a], [b]) => (a < b ? -1 : 1))));
}

/**
 * Lines written here, in the documented formats, for the cases the fixtures do not reach: the
 * fields a configuration can drop, a size or a time on either side of a threshold, the facts
 * that only decide who answered when no flag does.
 */
const EDGE_LINES: Record<'traefik-json' | 'envoy', LineSource> = {
  'traefik-json': {
    name: 'edge entries written for this test',
    lines: [
      traefikEntry({
        DownstreamStatus: 502,
        OriginStatus: undefined,
        DownstreamContentSize: 11,
        OriginContentSize: 11,
      }), // no OriginStatus, a server: Traefik's own 502
      traefikEntry({
        DownstreamStatus: 503,
        OriginStatus: undefined,
        ServiceURL: '-',
        ServiceAddr: undefined,
        OriginDuration: undefined,
      }), // no server at all
      traefikEntry({ DownstreamStatus: 502, OriginStatus: undefined, ServiceURL: '-', ServiceAddr: '198.51.100.9:80' }), // the address names it
      traefikEntry({
        DownstreamStatus: 504,
        OriginStatus: 504,
        OriginContentSize: undefined,
        DownstreamContentSize: 15,
      }), // size from DownstreamContentSize
      traefikEntry({ DownstreamStatus: 502, OriginStatus: 502, OriginContentSize: 110, DownstreamContentSize: 11 }), // OriginContentSize decides: the server's
      traefikEntry({ DownstreamStatus: 502, OriginStatus: 502, OriginContentSize: '11', DownstreamContentSize: 11 }), // a size written as text
      traefikEntry({ DownstreamStatus: 500, OriginStatus: 500, OriginContentSize: 21, DownstreamContentSize: 21 }),
      traefikEntry({ DownstreamStatus: 200, OriginDuration: 1_999_499_999 }), // 1999.499999 ms rounds to 1999: fast
      traefikEntry({ DownstreamStatus: 200, OriginDuration: 1_999_500_000 }), // rounds to 2000: slow
      traefikEntry({ DownstreamStatus: 503, OriginDuration: '2500000000' }), // slow, written as text
      traefikEntry({ DownstreamStatus: 429, OriginStatus: 0, OriginDuration: 9_000_000_000 }), // never proxied: no server time
      traefikEntry({ DownstreamStatus: 0, OriginStatus: 0 }),
      traefikEntry({ DownstreamStatus: 499, OriginStatus: 499 }),
      traefikEntry({
        StartUTC: undefined,
        StartLocal: '2026-08-21T23:16:30+10:00',
        DownstreamStatus: 502,
        OriginStatus: 0,
      }),
      traefikEntry({ StartUTC: undefined, time: undefined, DownstreamStatus: 502 }), // no time at all: malformed in files mode
      traefikEntry({
        RequestPath: '/a/"OriginStatus":0,/b',
        DownstreamStatus: 502,
        OriginContentSize: 11,
        DownstreamContentSize: 11,
      }), // a path that looks like a key
      JSON.stringify({
        OriginStatus: 0,
        DownstreamStatus: 503,
        RequestPath: '/api/x',
        StartUTC: '2026-08-21T13:16:40Z',
        Duration: 1000,
        OriginContentSize: 0,
      }), // keys not sorted
      `{"DownstreamStatus": 502, "OriginStatus": 502, "OriginContentSize": 11, "OriginDuration": 2000000000, "RequestPath": "/api/y", "StartUTC": "2026-08-21T13:16:50Z"} `, // spaces, a trailing blank
    ],
  },
  envoy: {
    name: 'edge lines written for this test',
    lines: [
      '[2026-08-21T13:16:01.000Z] "GET /api/v1/orders HTTP/1.1" 502 - 0 87 3 - "-" "curl/8.5.0" "r-1" "shop.example.com" "-"', // no flag, no host: Envoy answered
      '[2026-08-21T13:16:02.000Z] "GET /api/v1/orders HTTP/1.1" 503 - via_upstream - "-" 0 19 30 29 "-" "curl/8.5.0" "r-2" "shop.example.com" "-" outbound|8080||orders', // the upstream's own, says Istio
      '[2026-08-21T13:16:03.000Z] "GET /api/v1/orders HTTP/1.1" 503 - via_upstream_x - "-" 0 19 30 29 "-" "curl/8.5.0" "r-3" "shop.example.com" "-"', // not via_upstream
      '[2026-08-21T13:16:04.000Z] "GET /api/v1/orders HTTP/1.1" 0 - 0 0 5000 - "-" "curl/8.5.0" "r-4" "shop.example.com" "198.51.100.22:8080"',
      '[2026-08-21T13:16:05.000Z] "GET /api/v1/orders HTTP/1.1" 200 - 0 1534 2001 2000 "-" "curl/8.5.0" "r-5" "shop.example.com" "198.51.100.22:8080"', // exactly the threshold: slow
      '[2026-08-21T13:16:06.000Z] "GET /api/v1/orders HTTP/1.1" 200 - 0 1534 2000 1999 "-" "curl/8.5.0" "r-6" "shop.example.com" "198.51.100.22:8080"', // just under: fast
      '[2026-08-21T13:16:07.000Z] "GET /api/v1/orders HTTP/1.1" 503 UF,URX upstream_reset_before_response_started{connection_failure} 12abc "quoted reason" 0 91 3 - "-" "curl/8.5.0" "r-7" "shop.example.com" "-a-host"', // three extras, a host starting with a dash
      '[2026-08-21T13:16:08.000Z] "GET /api/v1/orders HTTP/1.1" 503 UC a b c d 0 91 3 - "-" "curl/8.5.0" "r-8" "shop.example.com" "-"', // four extras: not Envoy's
      '[2026-08-21T13:16:09.000+10:00] "POST /api/v1/orders HTTP/1.1" 504 UT 0 24 15001 - "-" "curl/8.5.0" "r-9" "shop.example.com" "198.51.100.41:8080"',
      '2026-08-21T13:16:10.000000Z stdout F [2026-08-21T13:16:10.000Z] "GET /api/v1/orders HTTP/1.1" 503 UC 0 95 2 - "-" "curl/8.5.0" "r-10" "shop.example.com" "198.51.100.22:8080"', // behind a runtime's prefix
      '[2026-08-21T13:16:11.000Z] "GET  /api/v1/orders HTTP/1.1" 503 UC 0 95 2 - "-" "curl/8.5.0" "r-11" "shop.example.com" "-"', // two spaces: no path
      '[2026-08-21T13:16:12.000Z] "GET /api/v1/orders HTTP/1.1" 429 RL 0 18 0 - "-" "curl/8.5.0" "r-12" "shop.example.com" ""', // an empty host
    ],
  },
};

const SOURCES: Record<'traefik-json' | 'envoy', LineSource[]> = {
  'traefik-json': [
    EDGE_LINES['traefik-json'],
    ...['access.json.log', 'damaged.json.log', 'fields-dropped.json.log'].map((file) => ({
      name: `fixtures/logs/traefik-json/${file}`,
      lines: fixture(`traefik-json/${file}`),
    })),
    ...sharedLines('traefik-json'),
  ],
  // Istio's JSON access log (istio-access.json.log) is another format: the Envoy query reads the text one.
  envoy: [
    EDGE_LINES.envoy,
    ...['access.log', 'damaged.log', 'istio-proxy.log'].map((file) => ({
      name: `fixtures/logs/envoy/${file}`,
      lines: fixture(`envoy/${file}`),
    })),
    ...sharedLines('envoy'),
    ...envoyMirrorLines(),
  ],
};
if (!existsSync(`${REAL_LOGS_DIR}traefik-json/`) || !existsSync(`${REAL_LOGS_DIR}envoy/`)) {
  console.warn(
    `SKIPPED Traefik JSON and Envoy lines of the shared corpus: ${REAL_LOGS_DIR} has no traefik-json/ or envoy/ folder; the repository's fixtures were read.`,
  );
}

const ANY_PATH: IndexSelector = { index: 'any', match: '/' };
const FALLBACK_TIME_MS = Date.parse('2026-08-21T13:15:00Z');

/** What the files parser reads from a line that the query must read alike; null when it counts nowhere. */
function filesView(
  line: string,
  format: 'traefik-json' | 'envoy',
): { status: string; flags?: string | null; path: string } | null {
  const record = parseProxyLine(line);
  if (record.kind !== format || record.path === null || !record.path.includes('/')) return null;
  return format === 'envoy'
    ? { status: record.status, flags: record.termination, path: record.path }
    : { status: record.status, path: record.path };
}

function queryView(fields: Map<string, string> | null, format: 'traefik-json' | 'envoy') {
  if (fields === null) return null;
  if (format === 'envoy')
    return {
      status: fields.get('status'),
      flags: fields.get('flags') === '-' ? null : fields.get('flags'),
      path: fields.get('path'),
    };
  return { status: String(Number(fields.get('DownstreamStatus'))), path: fields.get('RequestPath') };
}

/** The event of one line: @timestamp when the proxy answered (a line files mode cannot read gets a fixed time). */
function eventOf(line: string): LogEvent {
  const record = parseProxyLine(line);
  const timestampMs =
    record.kind === 'malformed' || record.kind === 'other' ? FALLBACK_TIME_MS : answeredAtMs(record as ProxyRecord);
  return { timestampMs, message: line };
}

/** A tally that also remembers every add: the key an answer is tallied under shows even for a 200. */
class RecordingTally extends ProxyTally {
  readonly adds: string[] = [];
  override add(minute: number, status: string, termination: string | null, count = 1, slowCount = 0): void {
    this.adds.push(JSON.stringify({ minute, status, termination, count, slowCount }));
    super.add(minute, status, termination, count, slowCount);
  }
}

/** The hour around the event: each line is tallied alone, in both modes. */
function hourOf(event: LogEvent): TimeWindow {
  const startMs = Math.floor(event.timestampMs / 3_600_000) * 3_600_000;
  return { start: new Date(startMs), end: new Date(startMs + 3_600_000) };
}

for (const format of ['traefik-json', 'envoy'] as const) {
  describe(`the ${format} query on real-format lines, one by one`, () => {
    const query = PROXY_FORMAT_QUERIES[format].build({ selector: ANY_PATH, slowRequestSeconds: SLOW_REQUEST_SECONDS });
    const pipeline = compileInsightsPipeline(query);
    const sources = SOURCES[format];

    it('reads status, flags and path exactly as the files parser does, line by line', () => {
      const disagreements: string[] = [];
      let read = 0;
      for (const { name, lines } of sources) {
        for (const line of lines) {
          const fromFiles = filesView(line, format);
          const fromQuery = queryView(fieldsAtStats(pipeline, eventOf(line)), format);
          if (fromFiles) read++;
          if (JSON.stringify(fromFiles) !== JSON.stringify(fromQuery))
            disagreements.push(
              `${name}: ${JSON.stringify(fromFiles)} vs ${JSON.stringify(fromQuery)}: ${line.slice(0, 160)}`,
            );
        }
      }

      expect(disagreements).toEqual([]);
      expect(read).toBeGreaterThanOrEqual(format === 'envoy' ? 30 : 20);
    });

    it('tallies each line alone as files mode does: who answered, slow, the minute', () => {
      const disagreements: string[] = [];
      for (const { name, lines } of sources) {
        for (const line of lines) {
          const event = eventOf(line);
          const window = hourOf(event);
          const files = filesModeTally([line], ANY_PATH, window, new RecordingTally(window));
          const rows = emulateInsightsPipeline(
            query,
            [event],
            window.start.getTime() / 1000,
            window.end.getTime() / 1000 - 1,
          );
          const cloudWatch = new RecordingTally(window);
          const added = PROXY_FORMAT_QUERIES[format].addRows(cloudWatch, rows);
          const expected = JSON.stringify({ adds: files.adds, unreadable: 0, slowUnreadable: 0 });
          const actual = JSON.stringify({
            adds: cloudWatch.adds,
            unreadable: added.unreadable,
            slowUnreadable: added.slowUnreadable,
          });
          if (expected !== actual) disagreements.push(`${name}: ${expected} vs ${actual}: ${line.slice(0, 160)}`);
        }
      }

      expect(disagreements).toEqual([]);
    });
  });
}
