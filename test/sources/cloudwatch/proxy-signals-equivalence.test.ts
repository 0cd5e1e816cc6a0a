/**
 * THE EQUIVALENCE TEST: the same HAProxy lines through files mode (parseProxyLine →
 * isSlowProxyAnswer → ProxyTally.add) and through CloudWatch mode (the query's OWN parse
 * regex, index filter and slow formula, read from the filled query text, evaluated by a
 * test-side Logs Insights emulator, test/support/insights-emulator.ts, whose rows go through
 * gatherCloudWatchViews, combined) must give the same signals.
 */
import { describe, expect, it } from 'vitest';
import type { Clock } from '../../../src/core/clock.js';
import type { InvestigationCommand, SignalSeries, TimeWindow } from '../../../src/core/types.js';
import { combineViews } from '../../../src/evidence/combine-views.js';
import { createIndexMatcher, type IndexSelector } from '../../../src/evidence/index-matcher.js';
import { ProxyTally, tallyProxyAnswer } from '../../../src/evidence/proxy-tally.js';
import { absentView } from '../../../src/evidence/views.js';
import { parseProxyLine } from '../../../src/parsers/proxy-line.js';
import { gatherCloudWatchViews } from '../../../src/sources/cloudwatch/gather-cloudwatch-evidence.js';
import type { MetricsApi } from '../../../src/sources/cloudwatch/metrics.js';
import { buildProxySignalsQuery } from '../../../src/sources/cloudwatch/proxy-signals-query.js';
import { QueryLimiter } from '../../../src/sources/cloudwatch/query-limiter.js';
import {
  CORPORA,
  logFilesIn,
  type RealFormatCorpus,
  readCorpusLines,
  SHARED_CORPUS,
} from '../../fixtures/real-format/real-format-corpus.js';
import { emulatedLogsInsightsApi, type LogEvent, readQuerySemantics } from '../../support/insights-emulator.js';
import { warnSharedAbsentOnce } from '../../support/shared-paths.js';

const UTC_OFFSET_MINUTES = 600; // HAProxy writes its local time, AEST here
const SLOW_REQUEST_SECONDS = 2;
const WINDOW: TimeWindow = { start: new Date('2026-06-18T19:30:00Z'), end: new Date('2026-06-18T19:50:00Z') };
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

// ---------------------------------------------------------------- the lines

interface Answer {
  status: string;
  tsc: string;
  server: string;
  timers: string;
  path: string;
}

/** The kinds of answers an HAProxy in front of the origin writes (domain.md §5.4). */
function answerKinds(index: string): Answer[] {
  const p = `/indexes/${index}/search`;
  return [
    { status: '200', tsc: '----', server: 'be_search/pod1', timers: '0/0/1/35/36', path: p },
    { status: '200', tsc: '----', server: 'be_search/pod2', timers: '0/0/0/2500/2501', path: p }, // slow by timer
    { status: '200', tsc: '----', server: 'be_search/pod2', timers: '0/0/0/2000/2000', path: p }, // exactly the threshold: slow
    { status: '200', tsc: '----', server: 'be_search/pod3', timers: '0/0/0/1999/1999', path: p }, // just under: fast
    { status: '429', tsc: 'PR--', server: 'be_search/<NOSRV>', timers: '0/-1/-1/-1/0', path: p }, // rate limited
    { status: '429', tsc: 'LR--', server: 'be_search/<NOSRV>', timers: '0/-1/-1/-1/0', path: p },
    { status: '502', tsc: 'SH--', server: 'be_search/pod1', timers: '0/0/1/-1/5003', path: p }, // died before headers
    { status: '504', tsc: 'sH--', server: 'be_search/pod3', timers: '0/0/0/-1/30001', path: p }, // server timeout: slow
    { status: '503', tsc: 'SC--', server: 'be_search/pod2', timers: '0/0/-1/-1/3003', path: p },
    { status: '503', tsc: 'sQ--', server: 'be_search/<NOSRV>', timers: '0/30000/-1/-1/30000', path: p }, // queue timeout: slow
    { status: '-1', tsc: 'CD--', server: 'be_search/pod1', timers: '0/0/1/12/400', path: p }, // client went away
    { status: '200', tsc: '--VN', server: 'be_search/pod1', timers: '0/0/1/3100/3101', path: `/indexes/${index}` }, // segment at the end
    { status: '200', tsc: '----', server: 'be_search/pod1', timers: '0/0/1/5/6', path: `/indexes/${index}?x=1` }, // before a query string
    {
      status: '500',
      tsc: '----',
      server: 'be_search/pod1',
      timers: '0/0/1/20/21',
      path: `/indexes/other_index/search`,
    }, // another index
    {
      status: '429',
      tsc: 'PR--',
      server: 'be_search/<NOSRV>',
      timers: '0/-1/-1/-1/0',
      path: `/search?index=/${index}/`,
    }, // name only after "?"
    { status: '502', tsc: 'SH--', server: 'be_search/pod1', timers: '0/0/1/-1/9', path: `/indexes/${index}_v2/search` }, // longer name
  ];
}

function acceptDate(instantMs: number): string {
  const local = new Date(instantMs + UTC_OFFSET_MINUTES * 60_000);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(local.getUTCDate())}/${MONTHS[local.getUTCMonth()]}/${local.getUTCFullYear()}:${two(local.getUTCHours())}:${two(local.getUTCMinutes())}:${two(local.getUTCSeconds())}.${String(local.getUTCMilliseconds()).padStart(3, '0')}`;
}

/** One httplog line, raw or behind a syslog prefix, with or without captured headers. */
function httplogLine(instantMs: number, answer: Answer, variant: number): string {
  const captures =
    variant % 3 === 0 ? '{search.example.com|curl/8.0} {} ' : variant % 3 === 1 ? '{search.example.com} ' : '';
  const host = variant % 7 === 3 ? 'search.example.com ' : ''; // a log-format with the Host before the timers
  const body = `10.0.${variant % 250}.7:${40000 + variant} [${acceptDate(instantMs)}] marqo_frontend~ ${answer.server} ${host}${answer.timers} ${answer.status} 212 - - ${answer.tsc} 118/118/0/0/0 0/0 ${captures}"POST ${answer.path} HTTP/1.1"`;
  if (variant % 2 === 0) return body;
  const local = new Date(instantMs + UTC_OFFSET_MINUTES * 60_000);
  const clock = local.toISOString().slice(11, 19);
  return `${MONTHS[local.getUTCMonth()]} ${String(local.getUTCDate()).padStart(2, ' ')} ${clock} ip-10-0-1-5 haproxy[812]: ${body}`;
}

/** Lines that must count nowhere: HAProxy's own events, tcplog, cut and bad requests, junk. */
function linesThatCountNowhere(instantMs: number, index: string): string[] {
  const date = acceptDate(instantMs);
  return [
    `haproxy[812]: Server be_search/pod1 is DOWN, reason: Layer4 connection problem, info: "Connection refused", check duration: 0ms.`,
    `10.0.0.9:5000 [${date}] fe_tcp be_tcp/srv1 0/0/5007 212 -- 0/0/0/0/0 0/0`,
    `10.0.0.9:5001 [${date}] marqo_frontend~ be_search/pod1 0/0/1/35/36 200 212 - - ---- 1/1/0/0/0 0/0 {search.example.com|Mozilla/5.0 (X11; Linux x86_64) AppleWe`,
    `10.0.0.9:5002 [${date}] marqo_frontend~ be_search/<NOSRV> -1/-1/-1/-1/0 400 187 - - CR-- 1/1/0/0/0 0/0 "<BADREQ>"`,
    `10.0.0.9:5003 [] marqo_frontend~ be_search/pod1 0/0/1/35/36 200 212 - - ---- 1/1/0/0/0 0/0 "GET /indexes/${index}/search HTTP/1.1"`,
    `not a log line at all /indexes/${index}/search 502`,
  ];
}

/** ~3,000 lines over the window and a little beyond it, deterministic. */
function generateEvents(index: string): LogEvent[] {
  const kinds = answerKinds(index);
  const events: LogEvent[] = [];
  let seed = 7;
  // [0, 1) from an LCG's high bits (its low bits cycle too fast to pick kinds fairly).
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const pick = (n: number) => Math.floor(random() * n);
  const fromMs = WINDOW.start.getTime() - 2 * 60_000;
  const toMs = WINDOW.end.getTime() + 2 * 60_000;
  for (let i = 0; i < 3000; i++) {
    const instantMs = fromMs + pick(toMs - fromMs);
    // A 429 burst in minutes 19:35–19:38, like the seed's.
    const inBurst = instantMs >= Date.parse('2026-06-18T19:35:00Z') && instantMs < Date.parse('2026-06-18T19:39:00Z');
    const kind = inBurst && pick(2) === 0 ? kinds[4]! : kinds[pick(kinds.length)]!;
    // The line is written (and @timestamp set) when HAProxy answers: Ta ms after the accept date.
    const answeredMs = instantMs + Math.max(0, Number(kind.timers.split('/').at(-1)!.replace('+', '')));
    events.push({ timestampMs: answeredMs, message: httplogLine(instantMs, kind, i) });
  }
  for (let minute = 0; minute < 20; minute += 5) {
    const instantMs = WINDOW.start.getTime() + minute * 60_000 + 1_000;
    for (const message of linesThatCountNowhere(instantMs, index)) events.push({ timestampMs: instantMs, message });
  }
  return events;
}

// ---------------------------------------------------------------- files mode

function filesModeTally(events: readonly LogEvent[], selector: IndexSelector): ProxyTally {
  const tally = new ProxyTally(WINDOW);
  const matcher = createIndexMatcher(selector);
  const slowMs = SLOW_REQUEST_SECONDS * 1000;
  for (const { message } of events) {
    const record = parseProxyLine(message, { utcOffsetMinutes: UTC_OFFSET_MINUTES });
    if (record.kind !== 'haproxy-http' || !matcher.requestBelongs(record.path)) continue;
    tallyProxyAnswer(tally, record, slowMs); // the files-mode path itself
  }
  return tally;
}

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
      input: '05:41 AEST',
      zone: { kind: 'fixed', label: 'AEST', offsetMinutes: 600 },
      utcOffset: '+10:00',
      instant: new Date('2026-06-18T19:41:00Z'),
      at: new Date('2026-06-18T19:41:00Z'),
      notes: [],
    },
    window: WINDOW,
    noDraft: true,
  };
}

async function cloudWatchModeSignals(selector: IndexSelector, eventsByGroup: Record<string, LogEvent[]>) {
  const views = await gatherCloudWatchViews(
    {
      command: command(selector.index),
      index: selector,
      aws: { proxyLogGroups: Object.keys(eventsByGroup), queryTimeoutSeconds: 60, maxConcurrentQueries: 10 },
      slowRequestSeconds: SLOW_REQUEST_SECONDS,
    },
    {
      logs: emulatedLogsInsightsApi(eventsByGroup),
      metrics: noMetrics,
      clock: instantClock,
      limiter: new QueryLimiter(10),
    },
  );
  const evidence = combineViews(
    { accessLogs: absentView('none in this test'), metrics: views.metrics, proxy: views.proxy },
    { command: command(selector.index), idleTimeoutSeconds: 60, slowRequestSeconds: SLOW_REQUEST_SECONDS },
  );
  return evidence.signals;
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

function expectSameSignals(files: ProxyTally, cloudWatch: Awaited<ReturnType<typeof cloudWatchModeSignals>>) {
  const expected = files.toSignals('files');
  expect(numbers(cloudWatch.origin_5xx)).toEqual(numbers(expected.origin_5xx));
  expect(numbers(cloudWatch.throttled_429)).toEqual(numbers(expected.throttled_429));
  expect(numbers(cloudWatch.slow_requests)).toEqual(numbers(expected.slow_requests));
  // With no load balancer configured, `requests` falls back to the proxy's own count.
  expect(numbers(cloudWatch.requests)).toEqual(numbers(expected.requests));
}

describe('proxy signals: files mode and CloudWatch mode agree on the same lines', () => {
  it('gives the same per-minute signals for an index matched by path segment', async () => {
    const selector: IndexSelector = { index: 'prod_000_audio' };
    const events = generateEvents('prod_000_audio');

    const files = filesModeTally(events, selector);
    const cloudWatch = await cloudWatchModeSignals(selector, { '/prod/haproxy': events });

    expectSameSignals(files, cloudWatch);
    // The generated lines exercise every path: not a vacuous agreement.
    const signals = files.toSignals('files');
    expect(Object.keys(signals.origin_5xx.byTermination!).sort()).toEqual(['SC--', 'SH--', 'sH--', 'sQ--']);
    expect(Object.keys(signals.throttled_429.byTermination!).sort()).toEqual(['LR--', 'PR--']);
    expect(files.slow.reduce((a, b) => a + b, 0)).toBeGreaterThan(500);
    expect(Math.max(...files.throttled)).toBeGreaterThan(3 * Math.min(...files.throttled));
  });

  it('gives the same signals for an index matched by a `match` substring', async () => {
    const selector: IndexSelector = { index: 'audio', match: '/indexes/prod_000_audio/' };
    const events = generateEvents('prod_000_audio');

    const files = filesModeTally(events, selector);
    const cloudWatch = await cloudWatchModeSignals(selector, { '/prod/haproxy': events });

    expectSameSignals(files, cloudWatch);
    expect(files.requests.reduce((a, b) => a + b, 0)).toBeGreaterThan(1000);
  });

  it('sums several log groups into one tally, as files mode sums several files', async () => {
    const selector: IndexSelector = { index: 'prod_000_audio' };
    const events = generateEvents('prod_000_audio');
    const half = Math.floor(events.length / 2);

    const files = filesModeTally(events, selector);
    const cloudWatch = await cloudWatchModeSignals(selector, {
      '/prod/haproxy-a': events.slice(0, half),
      '/prod/haproxy-b': events.slice(half),
    });

    expectSameSignals(files, cloudWatch);
  });

  it("selects nothing for an index whose name only appears in other indexes' paths", async () => {
    const selector: IndexSelector = { index: 'prod_000' };
    const events = generateEvents('prod_000_audio');

    const files = filesModeTally(events, selector);
    const cloudWatch = await cloudWatchModeSignals(selector, { '/prod/haproxy': events });

    expectSameSignals(files, cloudWatch);
    expect(files.requests.every((n) => n === 0)).toBe(true);
  });
});

// The query's parse regex against the files parser, line by line, on the repository's fixtures
// (test/fixtures/real-format/) and on the real lines of ../shared/data/real-logs/ (read in place,
// never copied; skipped, said once per run, when absent).
warnSharedAbsentOnce();

/** HAProxy access lines with a path each corpus has at least (the repository fixtures hold 34). */
const minimumRead = (corpus: RealFormatCorpus) => (corpus === SHARED_CORPUS ? 80 : 30);

for (const corpus of CORPORA) {
  describe.skipIf(!corpus.present)(`the query's parse regex on the HAProxy lines of ${corpus.name}`, () => {
    it('reads status, termination, Tr and path exactly as the files parser does, line by line', () => {
      const query = buildProxySignalsQuery({ selector: { index: 'any' }, slowRequestSeconds: SLOW_REQUEST_SECONDS });
      const { parse } = readQuerySemantics(query);
      const lines = ['haproxy', 'haproxy-other'].flatMap((folder) =>
        logFilesIn(corpus, folder).flatMap((file) => readCorpusLines(corpus, `${folder}/${file}`)),
      );

      const disagreements: string[] = [];
      let read = 0;
      for (const line of lines.filter((l) => l.trim() !== '')) {
        const record = parseProxyLine(line);
        const fromFiles =
          record.kind === 'haproxy-http' && record.path !== null
            ? { status: record.status, tsc: record.termination, tr: record.serverResponseMs, path: record.path }
            : null;
        const groups = parse.exec(line.trimEnd())?.groups;
        const fromQuery = groups
          ? {
              status: groups.status,
              tsc: groups.tsc,
              tr: Number(groups.t_response) < 0 ? null : Number(groups.t_response),
              path: groups.path,
            }
          : null;
        if (fromFiles) read++;
        if (JSON.stringify(fromFiles) !== JSON.stringify(fromQuery))
          disagreements.push(`${JSON.stringify(fromFiles)} vs ${JSON.stringify(fromQuery)}: ${line}`);
      }

      expect(disagreements).toEqual([]);
      expect(read).toBeGreaterThan(minimumRead(corpus));
    });
  });
}
