import { describe, expect, it } from 'vitest';
import { parseProxyLine } from '../../src/parsers/proxy-line.js';
import { fixtureLines } from './support/fixtures.js';

const HAPROXY =
  'haproxy[812]: 10.0.1.2:33317 [21/Aug/2026:13:15:42.118] fe_https~ be_app/app1 0/0/1/10/12 200 2750 - - ---- 1/1/1/1/0 0/0 "GET / HTTP/1.1"';
const NGINX =
  '203.0.113.7 - - [21/Aug/2026:13:15:42 +0000] "GET /api/v1/orders HTTP/2.0" 502 552 "-" "curl/8.5.0" 27 0.015 [prod-api-8080] [] 10.0.3.7:8080 0 0.012 502 3db73c6c673c4256ade033a6ce08c2ab';

describe("parseProxyLine's choice of format", () => {
  it.each([
    ['haproxy-http', HAPROXY],
    ['nginx-ingress', NGINX],
    ['traefik-clf', fixtureLines('traefik-clf/access.log')[0]!],
    ['traefik-json', fixtureLines('traefik-json/access.json.log')[0]!],
    ['envoy', fixtureLines('envoy/access.log')[0]!],
    ['envoy', fixtureLines('envoy/istio-proxy.log')[0]!],
    ['envoy-json', fixtureLines('envoy/istio-access.json.log')[0]!],
  ])('reads a %s line as such', (kind, line) => {
    expect(parseProxyLine(line).kind).toBe(kind);
  });

  it('reads an Envoy line behind a syslog prefix as Envoy, though its tag has a colon like an HAProxy client', () => {
    const line = `Aug 21 13:15:01 node-7 envoy[1]: ${fixtureLines('envoy/access.log')[0]!}`;

    expect(parseProxyLine(line)).toMatchObject({ kind: 'envoy', status: '200', answeredBy: 'server' });
  });

  it('reads a custom HAProxy format ending in a captured header with quotes as HAProxy, not as JSON', () => {
    const line = `${HAPROXY} {"x-trace":"abc"}`;

    expect(parseProxyLine(line)).toMatchObject({
      kind: 'haproxy-http',
      status: '200',
      path: '/',
      answeredBy: 'server',
    });
  });

  it("keeps the reason of a damaged Traefik JSON entry behind a container runtime's prefix", () => {
    expect(parseProxyLine('2026-08-21T13:15:01.2Z stdout F {"DownstreamStatus":200}')).toEqual({
      kind: 'malformed',
      reason: 'missing or invalid StartUTC',
    });
  });
});
