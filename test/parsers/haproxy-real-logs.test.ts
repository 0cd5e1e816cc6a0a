import { describe, expect, it } from 'vitest';
import { type ProxyLine, parseProxyLine } from '../../src/parsers/proxy-line.js';
import {
  CORPORA,
  FIXTURE_CORPUS,
  logFilesIn,
  type RealFormatCorpus,
  readCorpusLines,
  SHARED_CORPUS,
} from '../fixtures/real-format/real-format-corpus.js';
import { warnSharedAbsentOnce } from '../support/shared-paths.js';

// Two corpora in the same layout: the repository's fixtures (test/fixtures/real-format/, written
// by us) and the real lines from public sources (../shared/data/real-logs/SOURCES.md), read in
// place, never copied. The shared one skips, said once per run, when it is absent.
warnSharedAbsentOnce();

function parseFile(corpus: RealFormatCorpus, relativePath: string): ProxyLine[] {
  return readCorpusLines(corpus, relativePath).map((line) => parseProxyLine(line));
}

function countBy<T>(items: T[], keyOf: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[keyOf(item)] = (counts[keyOf(item)] ?? 0) + 1;
  return counts;
}

/** Line numbers (1-based) whose result matches. */
function lineNumbersWhere(results: ProxyLine[], test: (result: ProxyLine) => boolean): number[] {
  return results.flatMap((result, index) => (test(result) ? [index + 1] : []));
}

function describeCorpus(corpus: RealFormatCorpus): void {
  const expectedFiles = corpus.expected;
  const logFiles = (folder: string) => logFilesIn(corpus, folder);

  describe.skipIf(!corpus.present)(`parseProxyLine on the HAProxy httplog lines of ${corpus.name}`, () => {
    it('has an expectation for every file in haproxy/', () => {
      expect(logFiles('haproxy').every((name) => `haproxy/${name}` in expectedFiles)).toBe(true);
    });

    for (const name of logFiles('haproxy')) {
      it(`counts ${name} exactly as expected.json does`, () => {
        const expected = expectedFiles[`haproxy/${name}`]!;

        const results = parseFile(corpus, `haproxy/${name}`);

        const records = results.flatMap((result) => (result.kind === 'haproxy-http' ? [result] : []));
        expect({
          lines: results.length,
          entries: records.length,
          by_status_code: countBy(records, (record) => record.status),
          by_termination_state: countBy(records, (record) => record.termination ?? 'null'),
          malformed_lines: lineNumbersWhere(results, (result) => result.kind === 'malformed'),
          truncated_request_lines: lineNumbersWhere(
            results,
            (result) => result.kind === 'haproxy-http' && result.requestTruncated,
          ),
        }).toEqual({
          lines: expected.lines,
          entries: expected.entries,
          by_status_code: expected.by_status_code,
          by_termination_state: expected.by_termination_state,
          malformed_lines: expected.malformed_lines,
          truncated_request_lines: expected.truncated_request_lines ?? [],
        });
      });
    }
  });

  describe.skipIf(!corpus.present)(`parseProxyLine on the non-access HAProxy lines of ${corpus.name}`, () => {
    it('has an expectation for every file in haproxy-other/', () => {
      expect(logFiles('haproxy-other').every((name) => `haproxy-other/${name}` in expectedFiles)).toBe(true);
    });

    for (const name of logFiles('haproxy-other')) {
      it(`classifies ${name} as expected.json does`, () => {
        const expected = expectedFiles[`haproxy-other/${name}`]!;

        const results = parseFile(corpus, `haproxy-other/${name}`);

        const others = results.flatMap((result) => (result.kind === 'other' ? [result] : []));
        expect({
          lines: results.length,
          entries: others.length,
          by_kind: countBy(others, (other) => other.otherKind),
        }).toEqual({ lines: expected.lines, entries: expected.entries, by_kind: expected.by_kind });
      });
    }
  });
}

for (const corpus of CORPORA) describeCorpus(corpus);

describe.skipIf(!SHARED_CORPUS.present)('parseProxyLine on the real HAProxy httplog corpus', () => {
  it('gives the reasons a person would look for on the two deliberately broken lines', () => {
    const ddAgent = parseFile(SHARED_CORPUS, 'haproxy/dd-agent-dogstream-haproxy.log');
    const gforcada = parseFile(SHARED_CORPUS, 'haproxy/gforcada-2_ok_1_invalid.log');

    expect([ddAgent[5], gforcada[1]]).toEqual([
      { kind: 'malformed', reason: 'truncated accept date' },
      { kind: 'malformed', reason: 'empty accept date' },
    ]);
  });

  it('reads the truncated efigence line 18 as a 200 entry with the request cut', () => {
    const results = parseFile(SHARED_CORPUS, 'haproxy/efigence-go-haproxy-haproxy_log.log');

    expect(results[17]).toMatchObject({
      kind: 'haproxy-http',
      status: '200',
      termination: '----',
      backend: 'backend_foobar',
      server: 'srv2-backend',
      serverResponseMs: 258,
      totalMs: 259,
      method: 'GET',
      requestTruncated: true,
    });
  });
});

describe("parseProxyLine on the repository's HAProxy fixtures", () => {
  const results = () => parseFile(FIXTURE_CORPUS, 'haproxy/httplog.log');

  it('gives the reason a person would look for on each of the five broken lines', () => {
    const all = results();

    const broken = FIXTURE_CORPUS.expected['haproxy/httplog.log']!.malformed_lines!.map((n) => all[n - 1]);

    expect(broken).toEqual([
      { kind: 'malformed', reason: 'truncated accept date' },
      { kind: 'malformed', reason: 'empty accept date' },
      { kind: 'malformed', reason: 'expected 5 timers, found 4' },
      { kind: 'malformed', reason: 'missing accept date' },
      { kind: 'malformed', reason: 'non-numeric status' },
    ]);
  });

  it('reads the lines syslog cut at 1024 bytes: inside the request (path kept), and inside a capture (no request)', () => {
    const all = results();

    const [inRequest, inCapture] = FIXTURE_CORPUS.expected['haproxy/httplog.log']!.truncated_request_lines!.map(
      (n) => all[n - 1],
    );

    expect(inRequest).toMatchObject({
      kind: 'haproxy-http',
      status: '200',
      method: 'GET',
      requestTruncated: true,
      serverResponseMs: 44,
    });
    expect(
      inRequest?.kind === 'haproxy-http' && inRequest.path?.startsWith('/indexes/prod_000_audio/search?q=bossa+nova+'),
    ).toBe(true);
    expect(inCapture).toMatchObject({
      kind: 'haproxy-http',
      status: '200',
      method: null,
      path: null,
      requestTruncated: true,
    });
  });

  it('reads the HAProxy 1.4 timers, logasap\'s "+" and a Host before the timers as the same fields', () => {
    const all = results().flatMap((result) => (result.kind === 'haproxy-http' ? [result] : []));

    const legacy = all
      .filter((record) => record.frontend === 'http-in')
      .map((r) => [r.status, r.serverResponseMs, r.totalMs]);
    const logasap = all.find((record) => record.path === '/indexes/prod_000_audio/search?q=lundu');
    const hostFirst = all.find((record) => record.path === '/indexes/prod_000_audio/search?q=forro');

    expect(legacy).toEqual([
      ['200', 69, 109],
      ['502', null, 5012],
      ['503', null, 3],
      ['200', 7, 19],
    ]);
    expect([logasap?.serverResponseMs, logasap?.totalMs, hostFirst?.serverResponseMs, hostFirst?.backend]).toEqual([
      41,
      41,
      29,
      'be_search',
    ]);
  });
});
