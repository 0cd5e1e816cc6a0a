/**
 * Real lines from other projects' tests and docs, read at run time from their repositories
 * (never copied here): Traefik's access-log tests, AWS's CloudFront example log file, Envoy's
 * and Istio's example lines. Sources and commits: test/fixtures/logs/SOURCES.md.
 */
import { describe, expect, it } from 'vitest';
import { createEdgeLineParser } from '../../src/parsers/edge-line.js';
import { parseProxyLine } from '../../src/parsers/proxy-line.js';
import { classification } from './support/fixtures.js';
import { MIRRORS_DIR, readMirrorFile } from './support/mirrors.js';

const TRAEFIK = 'fd5a576df2e8aeb0bfc8a96b6ef6e60a61f7ec0a';
const traefikParserTest = readMirrorFile('traefik/traefik', TRAEFIK, 'pkg/middlewares/accesslog/parser_test.go');
const traefikFormatterTest = readMirrorFile(
  'traefik/traefik',
  TRAEFIK,
  'pkg/middlewares/accesslog/logger_formatters_test.go',
);
const traefikLoggerTest = readMirrorFile('traefik/traefik', TRAEFIK, 'pkg/middlewares/accesslog/logger_test.go');
const awsCloudFrontDoc = readMirrorFile(
  'awsdocs/amazon-cloudfront-developer-guide',
  '5999c0d',
  'doc_source/AccessLogs.md',
);
const envoyKatacoda = readMirrorFile(
  'envoyproxy/katacoda-scenarios',
  '6b960b9842c85975fa016fb2606062abd72a013f',
  'migrating-from-nginx-to-envoy/step6.md',
);
const istioReadme = readMirrorFile(
  'fredcoq/kubefrog-kvmserver',
  '2aee1c5f7ce8d59d1f61c08fd80b00d53be35cac',
  'istio/readme.md',
);

const skipped = (what: string) =>
  console.warn(`SKIPPED ${what}: its repository is not fetched under ${MIRRORS_DIR} (CI has none).`);
if (!traefikParserTest || !traefikFormatterTest || !traefikLoggerTest) skipped("Traefik's own access-log lines");
if (!awsCloudFrontDoc) skipped("AWS's CloudFront example log lines");
if (!envoyKatacoda || !istioReadme) skipped('the Envoy and Istio example lines');

/** The backquoted Go strings after `key:` or `key :=`, cut to their first line. */
function goRawStrings(source: string, key: string): string[] {
  return [...source.matchAll(new RegExp(`${key}\\s*:?=?\\s*\`([^\`]*)\``, 'g'))]
    .map((match) => match[1]!.split('\n')[0]!)
    .filter((line) => line.length > 0);
}

describe.skipIf(!traefikParserTest || !traefikFormatterTest || !traefikLoggerTest)(
  "parseProxyLine on Traefik's own access-log test lines",
  () => {
    it("reads the lines of Traefik's CLF parser test as whole records", () => {
      const lines = goRawStrings(traefikParserTest!, 'value');

      expect(lines.map((line) => parseProxyLine(line))).toEqual([
        {
          kind: 'traefik-clf',
          timeMs: Date.parse('2016-04-13T14:14:19Z'),
          status: '123',
          termination: null,
          frontend: 'testRouter',
          backend: null,
          server: 'http://127.0.0.1/testService',
          serverResponseMs: null,
          totalMs: 1,
          method: 'POST',
          path: 'testpath',
          requestTruncated: false,
          upstreamStatus: null,
          answeredBy: 'server',
          upstreamFailure: null,
        },
        {
          kind: 'traefik-clf',
          timeMs: Date.parse('2018-03-09T10:51:32Z'),
          status: '401',
          termination: null,
          frontend: 'testRouter with space',
          backend: null,
          server: null,
          serverResponseMs: null,
          totalMs: 0,
          method: 'GET',
          path: '/',
          requestTruncated: false,
          upstreamStatus: null,
          answeredBy: 'proxy-rule',
          upstreamFailure: null,
        },
        { kind: 'malformed', reason: 'unrecognised line' },
      ]);
    });

    it("reads the CommonLogFormatter's expected lines: a nil status, local time, an escaped quote", () => {
      const section = traefikFormatterTest!.slice(
        0,
        traefikFormatterTest!.indexOf('func TestGenericCLFLogFormatter_Format'),
      );
      const results = goRawStrings(section, 'expectedLog').map((line) => parseProxyLine(line));

      expect(
        results.map((result) =>
          result.kind === 'traefik-clf'
            ? [result.timeMs, result.status, result.server, result.totalMs, result.answeredBy]
            : result,
        ),
      ).toEqual([
        { kind: 'malformed', reason: 'non-numeric status' },
        [Date.parse('2009-11-10T23:00:00Z'), '123', 'http://10.0.0.2/toto', 123000, 'server'],
        [Date.parse('2009-11-10T23:00:00Z'), '123', 'http://10.0.0.2/toto', 123000, 'server'],
        [Date.parse('2009-11-10T23:00:00Z'), '200', 'http://127.0.0.1:8080', 1, 'server'],
      ]);
    });

    it('reads every CLF line the logger tests expect, and names the ones without a start time', () => {
      const lines = goRawStrings(traefikLoggerTest!, 'expectedLog')
        .map((line) => line.trim())
        .filter((line) => line.endsWith('ms'));

      const results = lines.map((line) => parseProxyLine(line));

      expect({
        lines: lines.length,
        byResult: countBy(results.map((result) => (result.kind === 'malformed' ? result.reason : result.kind))),
      }).toEqual({
        lines: 15,
        byResult: { 'traefik-clf': 10, 'Traefik line without a start time ([-])': 5 },
      });
    });
  },
);

describe.skipIf(!awsCloudFrontDoc)("createEdgeLineParser on AWS's CloudFront example log file", () => {
  it('reads the three Hits and the three OriginDnsError 502s, one line ending in a tab', () => {
    const block = awsCloudFrontDoc!.slice(awsCloudFrontDoc!.indexOf('#Version: 1.0'));
    const lines = block
      .slice(0, block.indexOf('```'))
      .split('\n')
      .filter((line) => line.length > 0);
    const parse = createEdgeLineParser();

    const results = lines.map((line) => parse(line));

    expect(classification(results)).toEqual([
      'header',
      'header',
      ['200', 'server', null],
      ['200', 'server', null],
      ['200', 'server', null],
      ['502', 'proxy-upstream-failure', 'connect'],
      ['502', 'proxy-upstream-failure', 'connect'],
      ['502', 'proxy-upstream-failure', 'connect'],
    ]);
    expect(results[5]).toEqual({
      kind: 'cloudfront',
      timeMs: Date.parse('2019-12-13T22:36:27Z'),
      totalMs: 102,
      status: '502',
      originStatus: null,
      originMs: null,
      detail: 'OriginDnsError',
      method: 'GET',
      host: 'www.example.com',
      path: '/favicon.ico',
      edgeLocation: 'SEA19-C1',
      requestId: '1pkpNfBQ39sYMnjjUQjmH2w1wdJnbHYTbag21o_3OfcQgPzdL2RSSQ==',
      answeredBy: 'proxy-upstream-failure',
      upstreamFailure: 'connect',
    });
  });
});

describe.skipIf(!envoyKatacoda || !istioReadme)("parseProxyLine on Envoy's and Istio's example lines", () => {
  it("reads Envoy's default-format example as a whole record", () => {
    const line = /`(\[2018-[^`]+)`/.exec(envoyKatacoda!)![1]!;

    expect(parseProxyLine(line)).toEqual({
      kind: 'envoy',
      timeMs: Date.parse('2018-11-23T04:51:00.281Z'),
      status: '200',
      termination: null,
      frontend: null,
      backend: null,
      server: '172.18.0.4:80',
      serverResponseMs: 1,
      totalMs: 4,
      method: 'GET',
      path: '/',
      requestTruncated: false,
      upstreamStatus: null,
      answeredBy: 'server',
      upstreamFailure: null,
    });
  });

  it("reads Istio's ext_authz denial and route_not_found as the proxy's own rules", () => {
    const lines = istioReadme!.split('\n').filter((line) => /^\[2024-06-02T13:35:27/.test(line));

    expect(classification(lines.map((line) => parseProxyLine(line)))).toEqual([
      ['302', 'proxy-rule', null],
      ['404', 'proxy-rule', null],
    ]);
  });
});

function countBy(keys: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const key of keys) counts[key] = (counts[key] ?? 0) + 1;
  return counts;
}
