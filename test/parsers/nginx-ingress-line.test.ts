import { describe, expect, it } from 'vitest';
import { type ProxyRecord, parseProxyLine } from '../../src/parsers/proxy-line.js';
import {
  CORPORA,
  FIXTURE_CORPUS,
  logFilesIn,
  readCorpusLines,
  SHARED_CORPUS,
} from '../fixtures/real-format/real-format-corpus.js';
import { warnSharedAbsentOnce } from '../support/shared-paths.js';
import { ANY_ANSWER_FACTS } from './support/answer-facts-matchers.js';

// The corpus checks run on the repository's fixtures (test/fixtures/real-format/) and on the real
// lines in ../shared/data/real-logs/ (read in place, never copied), which skip, said once per run,
// when absent.
warnSharedAbsentOnce();

const NGINX_FILE = 'nginx/beats-nginx-ingress_controller-test.log';

function countBy<T>(items: T[], keyOf: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[keyOf(item)] = (counts[keyOf(item)] ?? 0) + 1;
  return counts;
}

/** A hand-written upstreaminfo line with the parts a test varies. */
function upstreaminfoLine(parts: { time?: string; status?: string; upstream?: string } = {}): string {
  const time = parts.time ?? '21/Aug/2026:13:15:42 +0000';
  const status = parts.status ?? '502';
  const upstream = parts.upstream ?? '10.0.3.7:8080 0 0.012 502';
  return `203.0.113.7 - - [${time}] "GET /api/v1/orders HTTP/2.0" ${status} 552 "-" "curl/8.5.0" 27 0.015 [prod-api-8080] [] ${upstream} 3db73c6c673c4256ade033a6ce08c2ab`;
}

function nginxRecord(overrides: Partial<ProxyRecord>): ProxyRecord {
  return {
    kind: 'nginx-ingress',
    timeMs: Date.parse('2026-08-21T13:15:42Z'),
    status: '502',
    termination: null,
    frontend: null,
    backend: 'prod-api-8080',
    server: '10.0.3.7:8080',
    serverResponseMs: 12,
    totalMs: 15,
    method: 'GET',
    path: '/api/v1/orders',
    requestTruncated: false,
    upstreamStatus: '502',
    // The normalised facts of these lines are asserted in nginx-answered-by.test.ts.
    ...ANY_ANSWER_FACTS,
    ...overrides,
  };
}

describe('parseProxyLine on ingress-nginx upstreaminfo lines', () => {
  it('reads a 502 from one upstream into a whole record', () => {
    expect(parseProxyLine(upstreaminfoLine())).toEqual(nginxRecord({}));
  });

  it('uses the offset in $time_local and ignores utcOffsetMinutes', () => {
    const result = parseProxyLine(upstreaminfoLine({ time: '21/Aug/2026:23:15:42 +1000' }), { utcOffsetMinutes: 120 });

    expect(result).toEqual(nginxRecord({ timeMs: Date.parse('2026-08-21T13:15:42Z') }));
  });

  it('keeps upstream lists verbatim and takes the first response time', () => {
    const upstream = '10.0.3.7:8080, 10.0.3.8:8080 0, 0 0.250, 0.004 502, 504';

    const result = parseProxyLine(upstreaminfoLine({ upstream }));

    expect(result).toEqual(
      nginxRecord({
        server: '10.0.3.7:8080, 10.0.3.8:8080',
        serverResponseMs: 250,
        upstreamStatus: '502, 504',
      }),
    );
  });

  it('keeps an internal redirect between upstream groups (" : ") in one field', () => {
    const upstream = '10.0.3.7:8080 : unix:/tmp/sock 0 : 12 0.001 : 0.002 502 : 200';

    const result = parseProxyLine(upstreaminfoLine({ upstream }));

    expect(result).toEqual(
      nginxRecord({
        server: '10.0.3.7:8080 : unix:/tmp/sock',
        serverResponseMs: 1,
        upstreamStatus: '502 : 200',
      }),
    );
  });

  it('gives no server, backend or server time when nginx never reached an upstream', () => {
    const line =
      '192.168.64.1 - - [07/Feb/2020:11:50:09 +0000] "geti /products/42 HTTP/1.1" 400 163 "-" "-" 0 0.000 [] [] - - - - efb0c5aa8be6cdeb4a7e7bd090e3d893';

    expect(parseProxyLine(line)).toEqual(
      nginxRecord({
        timeMs: Date.parse('2020-02-07T11:50:09Z'),
        status: '400',
        backend: null,
        server: null,
        serverResponseMs: null,
        totalMs: 0,
        method: 'geti',
        path: '/products/42',
        upstreamStatus: '-',
      }),
    );
  });

  it('reports a plain combined line (no upstream fields) as malformed', () => {
    const line = '203.0.113.7 - - [21/Aug/2026:13:15:42 +0000] "GET / HTTP/1.1" 200 612 "-" "curl/8.5.0"';

    expect(parseProxyLine(line)).toEqual({ kind: 'malformed', reason: 'line ends before request_time' });
  });

  it('reports a non-numeric status as malformed', () => {
    expect(parseProxyLine(upstreaminfoLine({ status: 'oops' }))).toEqual({
      kind: 'malformed',
      reason: 'non-numeric status',
    });
  });
});

for (const corpus of CORPORA) {
  describe.skipIf(!corpus.present)(`parseProxyLine on the ingress-nginx lines of ${corpus.name}`, () => {
    it.each(logFilesIn(corpus, 'nginx'))(
      'counts statuses and upstream statuses of %s exactly as expected.json does',
      (file) => {
        const expected = corpus.expected[`nginx/${file}`]!;

        const lines = readCorpusLines(corpus, `nginx/${file}`);
        const results = lines.map((line) => parseProxyLine(line));

        const records = results.flatMap((result) => (result.kind === 'nginx-ingress' ? [result] : []));
        expect({
          lines: results.length,
          entries: records.length,
          by_status_code: countBy(records, (record) => record.status),
          by_upstream_status: countBy(records, (record) => record.upstreamStatus ?? 'null'),
          malformed_lines: results.flatMap((result, index) => (result.kind === 'malformed' ? [index + 1] : [])),
        }).toEqual({
          lines: expected.lines,
          entries: expected.entries,
          by_status_code: expected.by_status_code,
          by_upstream_status: expected.by_upstream_status,
          malformed_lines: expected.malformed_lines,
        });
      },
    );
  });
}

describe.skipIf(!SHARED_CORPUS.present)('parseProxyLine on the real ingress-nginx corpus', () => {
  it('reads the IPv6 line with the deliberately invalid upstream address', () => {
    const lines = readCorpusLines(SHARED_CORPUS, NGINX_FILE);

    expect(parseProxyLine(lines[26]!)).toEqual(
      nginxRecord({
        timeMs: Date.parse('2022-08-24T18:05:41Z'),
        backend: 'localhost-8080',
        server: '[2a02:cf40::7]:5000, [2a02:cf40::::::::4e36]:500000000',
        serverResponseMs: 0,
        totalMs: 0,
        path: '/favicon.ico',
        upstreamStatus: '502, 502',
      }),
    );
  });
});

describe("parseProxyLine on the repository's ingress-nginx fixtures", () => {
  const FILE = 'nginx/ingress-nginx-upstreaminfo.log';

  it('gives the reason a person would look for on each of the three broken lines', () => {
    const lines = readCorpusLines(FIXTURE_CORPUS, FILE);

    const broken = FIXTURE_CORPUS.expected[FILE]!.malformed_lines!.map((n) => parseProxyLine(lines[n - 1]!));

    expect(broken).toEqual([
      { kind: 'malformed', reason: 'line ends before request_time' },
      { kind: 'malformed', reason: 'non-numeric status' },
      { kind: 'malformed', reason: 'missing [proxy_upstream_name]: not the upstreaminfo format' },
    ]);
  });

  it('reads the TLS bytes sent to the plain-HTTP port as a 400 nginx answered without an upstream', () => {
    const line = readCorpusLines(FIXTURE_CORPUS, FILE).find((l) => l.includes('\\x16\\x03'))!;

    expect(parseProxyLine(line)).toMatchObject({
      kind: 'nginx-ingress',
      status: '400',
      backend: null,
      server: null,
      path: null,
      upstreamStatus: '-',
      answeredBy: 'proxy-rule',
    });
  });
});
