import { describe, expect, it } from 'vitest';
import { parseProxyLine } from '../../src/parsers/proxy-line.js';

/** A standard httplog message with the parts a test varies (domain.md §5.1). */
function httplog(status: string, termination: string, server = 'app1'): string {
  return `haproxy[812]: 10.0.1.2:33317 [21/Aug/2026:13:15:42.118] fe_https~ be_app/${server} 0/0/1/-1/5003 ${status} 217 - - ${termination} 97/97/12/4/0 0/0 "GET / HTTP/1.1"`;
}

describe("parseProxyLine on who answered, from HAProxy's termination state", () => {
  it.each([
    ['a normal end', '200', '----', 'app1', 'server', null],
    ['a deny or rate-limit rule (PR)', '429', 'PR--', '<NOSRV>', 'proxy-rule', null],
    ['a local answer (LR)', '429', 'LR--', '<NOSRV>', 'proxy-rule', null],
    ['an http-request return with no server', '200', '----', '<NOSRV>', 'proxy-rule', null],
    ['a refused connection (SC)', '503', 'SC--', 'app3', 'proxy-upstream-failure', 'connect'],
    ['no server to pick (SC with <NOSRV>)', '503', 'SC--', '<NOSRV>', 'proxy-upstream-failure', 'no_healthy'],
    ['a connect timeout (sC)', '503', 'sC--', 'app3', 'proxy-upstream-failure', 'connect'],
    [
      'a server that died before its headers (SH)',
      '502',
      'SH--',
      'app2',
      'proxy-upstream-failure',
      'reset_before_response',
    ],
    ['a server timeout (sH)', '504', 'sH--', 'app1', 'proxy-upstream-failure', 'timeout'],
    ['a refused invalid response (PH)', '502', 'PH--', 'app1', 'proxy-upstream-failure', 'protocol'],
    ['a queue timeout (sQ)', '503', 'sQ--', '<NOSRV>', 'queue-timeout', null],
    ['a server abort during the body (SD)', '200', 'SD--', 'app1', 'server', null],
    ['a client abort during the body (CD)', '200', 'CD--', 'app1', 'server', null],
    ['a client abort before any response (CH)', '-1', 'CH--', 'app1', 'none', null],
    ['a client timeout on the request (cR)', '408', 'cR--', '<NOSRV>', 'none', null],
    ['a resource shortage (RC)', '503', 'RC--', 'app1', 'proxy-internal', null],
    ['an internal error (IH)', '500', 'IH--', 'app1', 'proxy-internal', null],
    ['a normal state with no response sent (-1)', '-1', '----', 'app1', 'none', null],
  ])('reads %s', (_label, status, termination, server, answeredBy, upstreamFailure) => {
    const result = parseProxyLine(httplog(status, termination, server));

    expect(result).toMatchObject({ kind: 'haproxy-http', status, termination, answeredBy, upstreamFailure });
  });
});
