import { describe, expect, it } from 'vitest';
import { type ProxyRecord, parseProxyLine } from '../../src/parsers/proxy-line.js';
import { ANY_ANSWER_FACTS } from './support/answer-facts-matchers.js';

// Hand-written lines built from the documented `option httplog` format (domain.md §5.1, §5.5).
const RATE_LIMITED =
  'haproxy[812]: 203.0.113.7:51234 [21/Aug/2026:13:15:42.118] fe_https~ fe_https/<NOSRV> 0/-1/-1/-1/0 429 212 - - PR-- 118/118/0/0/0 0/0 "GET /api/v1/search?q=x HTTP/1.1"';
const BACKEND_DIED =
  'haproxy[812]: 198.51.100.9:40112 [21/Aug/2026:13:15:43.002] fe_https~ be_app/app2 0/0/1/-1/5003 502 217 - - SH-- 97/97/12/4/0 0/0 "POST /api/v1/orders HTTP/1.1"';
const CONNECTION_REFUSED =
  'haproxy[812]: 198.51.100.9:40113 [21/Aug/2026:13:15:44.950] fe_https~ be_app/app3 0/0/-1/-1/3003 503 217 - - SC-- 97/97/12/0/3 0/0 "GET /health/deep HTTP/1.1"';
const SLOW_ORIGIN =
  'haproxy[812]: 192.0.2.44:55002 [21/Aug/2026:13:16:01.500] fe_https~ be_app/app1 0/0/0/-1/30001 504 194 - - sH-- 80/80/9/3/0 0/0 "GET /reports/big HTTP/1.1"';

/** The fields every HAProxy record of these tests shares unless a test says otherwise. */
function haproxyRecord(overrides: Partial<ProxyRecord>): ProxyRecord {
  return {
    kind: 'haproxy-http',
    timeMs: Date.parse('2026-08-21T13:15:42.118Z'),
    status: '200',
    termination: '----',
    frontend: 'fe_https~',
    backend: 'be_app',
    server: 'app1',
    serverResponseMs: 10,
    totalMs: 12,
    method: 'GET',
    path: '/',
    requestTruncated: false,
    upstreamStatus: null,
    // The normalised facts of these lines are asserted in haproxy-answered-by.test.ts.
    ...ANY_ANSWER_FACTS,
    ...overrides,
  };
}

/** A standard httplog message (no syslog prefix) with the parts a test varies. */
function httplogMessage(
  parts: { client?: string; date?: string; timers?: string; middle?: string; request?: string } = {},
): string {
  const client = parts.client ?? '10.0.1.2:33317';
  const date = parts.date ?? '21/Aug/2026:13:15:42.118';
  const timers = parts.timers ?? '0/0/1/10/12';
  const middle = parts.middle ?? '1/1/1/1/0 0/0';
  const request = parts.request ?? '"GET / HTTP/1.1"';
  return `${client} [${date}] fe_https~ be_app/app1 ${timers} 200 2750 - - ---- ${middle} ${request}`;
}

describe('parseProxyLine on the documented HAProxy situations', () => {
  it('reads a rate-limit deny as 429 PR-- with <NOSRV>, no server time and the request', () => {
    const result = parseProxyLine(RATE_LIMITED);

    expect(result).toEqual(
      haproxyRecord({
        status: '429',
        termination: 'PR--',
        backend: 'fe_https',
        server: '<NOSRV>',
        serverResponseMs: null,
        totalMs: 0,
        path: '/api/v1/search?q=x',
      }),
    );
  });

  it('reads a backend that died before its headers as 502 SH-- with Tr unknown', () => {
    const result = parseProxyLine(BACKEND_DIED);

    expect(result).toEqual(
      haproxyRecord({
        timeMs: Date.parse('2026-08-21T13:15:43.002Z'),
        status: '502',
        termination: 'SH--',
        server: 'app2',
        serverResponseMs: null,
        totalMs: 5003,
        method: 'POST',
        path: '/api/v1/orders',
      }),
    );
  });

  it('reads a refused connection as 503 SC--', () => {
    const result = parseProxyLine(CONNECTION_REFUSED);

    expect(result).toEqual(
      haproxyRecord({
        timeMs: Date.parse('2026-08-21T13:15:44.950Z'),
        status: '503',
        termination: 'SC--',
        server: 'app3',
        serverResponseMs: null,
        totalMs: 3003,
        path: '/health/deep',
      }),
    );
  });

  it('reads a server timeout as 504 sH-- with the total time of the timeout', () => {
    const result = parseProxyLine(SLOW_ORIGIN);

    expect(result).toEqual(
      haproxyRecord({
        timeMs: Date.parse('2026-08-21T13:16:01.500Z'),
        status: '504',
        termination: 'sH--',
        serverResponseMs: null,
        totalMs: 30001,
        path: '/reports/big',
      }),
    );
  });

  it('reads a 1.x Tq/Tw/Tc/Tr/Tt line, taking Tt as the total time', () => {
    const line =
      'Nov 11 20:33:52 localhost haproxy[14992]: 10.212.98.197:1367 [11/Nov/2011:20:33:51.005] public dogdispatcher/web3 970/0/1/47/1018 202 113 - - ---- 16/16/0/0/0 0/0 "POST /intake/ HTTP/1.1"';

    const result = parseProxyLine(line);

    expect(result).toEqual(
      haproxyRecord({
        timeMs: Date.parse('2011-11-11T20:33:51.005Z'),
        status: '202',
        frontend: 'public',
        backend: 'dogdispatcher',
        server: 'web3',
        serverResponseMs: 47,
        totalMs: 1018,
        method: 'POST',
        path: '/intake/',
      }),
    );
  });

  it('drops the logasap "+" from the total time and the byte count', () => {
    const line =
      'haproxy[674]: 127.0.0.1:33320 [21/Aug/2026:13:15:42.118] fe_https~ be_app/app1 9/0/7/14/+30 200 +243 - - ---- 3/3/3/1/0 0/0 "GET /image.iso HTTP/1.0"';

    const result = parseProxyLine(line);

    expect(result).toEqual(haproxyRecord({ serverResponseMs: 14, totalMs: 30, path: '/image.iso' }));
  });
});

describe('parseProxyLine on HAProxy time', () => {
  it('reads the accept date as UTC by default', () => {
    const result = parseProxyLine(httplogMessage({ date: '05/Apr/2026:02:30:00.250' }));

    expect(result).toMatchObject({ timeMs: Date.parse('2026-04-05T02:30:00.250Z') });
  });

  it('reads the accept date in the proxy zone given by utcOffsetMinutes', () => {
    const aestMinutes = 600;

    const result = parseProxyLine(httplogMessage({ date: '21/Aug/2026:13:15:42.118' }), {
      utcOffsetMinutes: aestMinutes,
    });

    expect(result).toMatchObject({ timeMs: Date.parse('2026-08-21T03:15:42.118Z') });
  });

  it('applies a negative offset too', () => {
    const result = parseProxyLine(httplogMessage({ date: '21/Aug/2026:23:59:59.999' }), { utcOffsetMinutes: -330 });

    expect(result).toMatchObject({ timeMs: Date.parse('2026-08-22T05:29:59.999Z') });
  });

  it('accepts a 2004-style accept date without milliseconds', () => {
    const result = parseProxyLine(httplogMessage({ date: '09/Aug/2004:20:26:09' }));

    expect(result).toMatchObject({ timeMs: Date.parse('2004-08-09T20:26:09.000Z') });
  });

  it('gives each line its own milliseconds when lines share a second', () => {
    const first = parseProxyLine(httplogMessage({ date: '21/Aug/2026:13:15:42.118' }));
    const second = parseProxyLine(httplogMessage({ date: '21/Aug/2026:13:15:42.907' }));
    const earlier = parseProxyLine(httplogMessage({ date: '21/Aug/2026:13:15:41.001' }));

    expect([first, second, earlier].map((r) => (r.kind === 'haproxy-http' ? r.timeMs : null))).toEqual([
      Date.parse('2026-08-21T13:15:42.118Z'),
      Date.parse('2026-08-21T13:15:42.907Z'),
      Date.parse('2026-08-21T13:15:41.001Z'),
    ]);
  });
});

describe('parseProxyLine on syslog prefixes', () => {
  const message = httplogMessage();
  const expected = haproxyRecord({ frontend: 'fe_https~' });

  it.each([
    ['no prefix (format raw)', message],
    ['BSD syslog with host', `Feb  1 18:34:10 ip-10-0-1-5 haproxy[812]: ${message}`],
    ['BSD syslog with host "-"', `Feb 01 18:34:10 - haproxy[42471]: ${message}`],
    ['BSD syslog with an IP as host', `Dec  9 12:00:03 127.2.3.4 haproxy[12345]: ${message}`],
    ['<PRI> without host', `<158>Jul 23 13:49:11 haproxy[12345]: ${message}`],
    ['<PRI> with host', `<134>Aug 21 13:15:42 lb-1 haproxy[812]: ${message}`],
    ['RFC 3339 timestamp', `2019-01-14T21:49:23+00:00 localhost haproxy[6]: ${message}`],
    ['ISO timestamp with fraction and Z', `2026-08-21T13:15:42.118Z lb-1 haproxy[812]: ${message}`],
    ['RFC 5424', `<134>1 2026-08-21T13:15:42.118Z lb-1 haproxy 812 - - ${message}`],
    ['program[pid]: only', `haproxy[674]: ${message}`],
    ['<PRI> only (format short)', `<134>${message}`],
    ['a CRLF line end', `${message}\r`],
  ])('reads the line behind %s', (_prefix, line) => {
    expect(parseProxyLine(line)).toEqual(expected);
  });
});

describe('parseProxyLine on HAProxy client addresses', () => {
  it.each([
    ['IPv4', '10.0.1.2:33317'],
    ['IPv6 without brackets', 'fe80::9379:c29e:6701:cef8:49064'],
    ['a hidden address', '-:22222'],
    ['anonymisation leftovers', '11174.211.190:10165'],
  ])('accepts %s', (_label, client) => {
    expect(parseProxyLine(httplogMessage({ client }))).toEqual(haproxyRecord({}));
  });
});

describe('parseProxyLine on captured headers', () => {
  it.each([
    ['none', ''],
    ['one empty block', '{} '],
    ['one block with pipes', '{localhost:8888||} '],
    ['two blocks', '{1wt.eu} {} '],
    ['a comma and a space', '{34.204.102.208, 35.190.30.199} '],
    [
      'a user agent with ; ( ) and |',
      '{Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:103.0) Gecko/20100101 Firefox/103.0|} {|} ',
    ],
  ])('reads the request after %s', (_label, captures) => {
    const line = httplogMessage({ middle: `1/1/1/1/0 0/0 ${captures}`.trimEnd() });

    expect(parseProxyLine(line)).toEqual(haproxyRecord({}));
  });
});

describe('parseProxyLine on HAProxy request lines', () => {
  it('gives no method or path for an empty request ""', () => {
    const line =
      'haproxy[18113]: 127.0.0.1:34548 [15/Oct/2003:15:18:55.798] px-http px-http/<NOSRV> -1/-1/-1/-1/8490 -1 0 - - CR-- 2/2/2/0/0 0/0 ""';

    expect(parseProxyLine(line)).toEqual(
      haproxyRecord({
        timeMs: Date.parse('2003-10-15T15:18:55.798Z'),
        status: '-1',
        termination: 'CR--',
        frontend: 'px-http',
        backend: 'px-http',
        server: '<NOSRV>',
        serverResponseMs: null,
        totalMs: 8490,
        method: null,
        path: null,
      }),
    );
  });

  it('gives no method or path for "<BADREQ>"', () => {
    const result = parseProxyLine(httplogMessage({ request: '"<BADREQ>"' }));

    expect(result).toEqual(haproxyRecord({ method: null, path: null }));
  });

  it('reads a request without an HTTP version', () => {
    const result = parseProxyLine(httplogMessage({ request: '"GET http://fr.adserver.yahoo.com/"' }));

    expect(result).toEqual(haproxyRecord({ path: 'http://fr.adserver.yahoo.com/' }));
  });

  it('marks a request cut at the syslog limit (no closing quote) as truncated and keeps the entry', () => {
    const result = parseProxyLine(httplogMessage({ request: '"GET /path/that/exceeds/1024/charactersssss' }));

    expect(result).toEqual(haproxyRecord({ path: '/path/that/exceeds/1024/charactersssss', requestTruncated: true }));
  });

  it('marks a line cut inside a captured header as truncated, with no request', () => {
    const line = httplogMessage({ middle: '1/1/1/1/0 0/0 {Mozilla/5.0 (X11; Linux x86_64', request: '' }).trimEnd();

    expect(parseProxyLine(line)).toEqual(haproxyRecord({ method: null, path: null, requestTruncated: true }));
  });

  it('ignores httpslog fields after the request', () => {
    const line = `${httplogMessage()} 0/0/0/0/0 1wt.eu/TLSv1.3/TLS_AES_256_GCM_SHA384`;

    expect(parseProxyLine(line)).toEqual(haproxyRecord({}));
  });

  it('tolerates runs of spaces between fields', () => {
    const line = httplogMessage().replaceAll(' ', '  ').replace('"GET  /  HTTP/1.1"', '"GET / HTTP/1.1"');

    expect(parseProxyLine(line)).toEqual(haproxyRecord({}));
  });

  it('reads a custom format with one extra token (the Host) before the timers', () => {
    const line =
      'Jun 22 12:03:08 node2 haproxy[23034]: -:11178 [22/Jun/2021:12:03:08.833] www-https~ app/node7 app.domain.com 0/0/1/29/30 404 448 - - ---- 3/3/0/0/0 0/0 "GET /favicon.ico HTTP/1.1"';

    expect(parseProxyLine(line)).toEqual(
      haproxyRecord({
        timeMs: Date.parse('2021-06-22T12:03:08.833Z'),
        status: '404',
        frontend: 'www-https~',
        backend: 'app',
        server: 'node7',
        serverResponseMs: 29,
        totalMs: 30,
        path: '/favicon.ico',
      }),
    );
  });
});

describe('parseProxyLine on lines that are not HTTP access lines', () => {
  it.each([
    [
      'tcplog',
      'Feb  6 12:12:56 localhost haproxy[14387]: 10.0.1.2:33313 [06/Feb/2009:12:12:51.443] fnt bck/srv1 0/0/5007 212 -- 0/0/0/0/3 0/0',
    ],
    ['tcplog', '10.0.1.2:33313 [06/Feb/2009:12:12:51.443] fnt bck/<NOSRV> -1/-1/1 212 SC 1/3/6/8/13 15/17'],
    ['connect_from', 'Connect from 10.0.1.2:33312 to 10.0.3.31:8012 (www/HTTP)'],
    [
      'connect_from',
      'Feb  6 12:12:09 localhost haproxy[14385]: Connect from 10.0.1.2:33312 to 10.0.3.31:8012 (www/HTTP)',
    ],
    [
      'spoe',
      '<156>Aug 12 13:18:51 haproxy[1806]: SPOE: [hauth] <EVENT:on-frontend-http-request> sid=3 st=2 -1/-1/-1/-1/0 0/0 0/0 4/4',
    ],
    [
      'error_log',
      'Dec  3 18:27:14 localhost haproxy[6103]: 127.0.0.1:56059 [03/Dec/2012:17:35:10.380] frt/f1: Connection error during SSL handshake',
    ],
    [
      'other',
      '<157>Aug 12 13:31:41 haproxy[1806]: Server local-3001/local-3001 is UP, reason: Layer7 check passed, code: 200.',
    ],
    ['other', 'Aug 21 13:15:42 lb-1 haproxy[812]: backend be_app has no server available!'],
    ['other', 'Aug 21 13:15:42 lb-1 haproxy[812]: Some message this parser has never seen'],
  ])('recognises %s', (otherKind, line) => {
    expect(parseProxyLine(line)).toEqual({ kind: 'other', otherKind });
  });
});

describe('parseProxyLine on malformed lines', () => {
  it.each([
    ['empty line', ''],
    ['empty line', '   '],
    ['truncated accept date', '2011-11-11T20:34:02+00:00 localhost haproxy[14992]: 10.212.98.197:1406 [11/Nov/2 '],
    [
      'empty accept date',
      'Dec  9 13:01:26 localhost haproxy[28029]: 127.0.0.1:38401 [] loadbalancer default/instance6 0/0/0/155/156 302 15987 - - ---- 18/18/18/0/0 0/0 "GET / HTTP/1.1"',
    ],
    ['invalid accept date', httplogMessage({ date: '21/Agu/2026:13:15:42.118' })],
    ['invalid accept date', httplogMessage({ date: '32/Aug/2026:13:15:42.118' })],
    ['non-numeric status', httplogMessage().replace(' 200 2750 ', ' OK 2750 ')],
    ['missing termination state', httplogMessage().replace(' ---- ', ' ')],
    ['missing timers', httplogMessage({ timers: 'fast' }).replace(' be_app/app1 ', ' be_app/app1 host ')],
    ['missing backend/server', httplogMessage().replace(' be_app/app1 ', ' be_app ')],
    ['request is not quoted', httplogMessage({ request: 'GET / HTTP/1.1' })],
    ['line ends before the status', '10.0.1.2:33317 [21/Aug/2026:13:15:42.118] fe be/srv 0/0/1/10/12'],
    ['missing accept date', 'Aug 21 13:15:42 lb-1 haproxy[812]: 10.0.1.2:33317'],
    ['unrecognised line', 'this is not a log line at all'],
    ['not an HAProxy line', 'Aug 21 13:15:42 lb-1 sshd[901]: Accepted publickey for ec2-user'],
  ])('reports "%s"', (reason, line) => {
    expect(parseProxyLine(line)).toEqual({ kind: 'malformed', reason });
  });
});
