import { describe, expect, it } from 'vitest';
import { parseProxyLine } from '../../src/parsers/proxy-line.js';

/** An ingress-nginx upstreaminfo line with the status and the four upstream fields a test varies. */
function upstreaminfo(status: string, upstream: string): string {
  return `203.0.113.7 - - [21/Aug/2026:13:15:42 +0000] "GET /api/v1/orders HTTP/2.0" ${status} 552 "-" "curl/8.5.0" 27 0.015 [prod-api-8080] [] ${upstream} 3db73c6c673c4256ade033a6ce08c2ab`;
}

describe('parseProxyLine on who answered an ingress-nginx request', () => {
  it.each([
    ["the upstream's 200", '200', '10.0.3.7:8080 1534 0.012 200', 'server', null],
    ["the upstream's own 502, with a body", '502', '10.0.3.7:8080 166 0.012 502', 'server', null],
    ["nginx's 502 after the upstream sent nothing", '502', '10.0.3.7:8080 0 0.001 502', 'proxy-upstream-failure', null],
    [
      "nginx's 502 after two failed upstreams",
      '502',
      '10.0.3.7:8080, 10.0.3.8:8080 0, 0 0.001, 0.002 502, 502',
      'proxy-upstream-failure',
      null,
    ],
    [
      "nginx's 504 after the upstream timed out",
      '504',
      '10.0.3.7:8080 0 60.001 504',
      'proxy-upstream-failure',
      'timeout',
    ],
    [
      'a retry that succeeded on the next upstream',
      '200',
      '10.0.3.7:8080, 10.0.3.8:8080 0, 1534 0.001, 0.012 502, 200',
      'server',
      null,
    ],
    ["nginx's own rule, no upstream (a 429 from limit_req)", '429', '- - - -', 'proxy-rule', null],
    ['a 503 with no upstream (limit_req or no endpoints: cannot tell)', '503', '- - - -', 'none', null],
    ['a client that closed the connection (499)', '499', '10.0.3.7:8080 0 0.500 -', 'none', null],
  ])('reads %s', (_label, status, upstream, answeredBy, upstreamFailure) => {
    expect(parseProxyLine(upstreaminfo(status, upstream))).toMatchObject({
      kind: 'nginx-ingress',
      status,
      answeredBy,
      upstreamFailure,
    });
  });
});
