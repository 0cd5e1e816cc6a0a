import { describe, expect, it } from 'vitest';
import { terminationKey } from '../../src/evidence/proxy-tally.js';
import { parseProxyLine } from '../../src/parsers/proxy-line.js';
import { answerFactsOfKey } from '../../src/parsers/termination-key-facts.js';

// Real-format lines: Traefik's own "Bad Gateway" (11 bytes, OriginStatus 502), Envoy's 503 UC, HAProxy's SH--.
const TRAEFIK_BAD_GATEWAY =
  '{"ClientAddr":"10.0.1.5:40000","ClientHost":"10.0.1.5","DownstreamContentSize":11,"DownstreamStatus":502,"Duration":2000000,"OriginContentSize":11,"OriginDuration":1500000,"OriginStatus":502,"RequestHost":"search.example.com","RequestMethod":"POST","RequestPath":"/indexes/prod_000_audio/search","RequestProtocol":"HTTP/1.1","RouterName":"search@kubernetescrd","ServiceName":"search@kubernetescrd","ServiceURL":"http://10.0.3.11:8080","StartUTC":"2026-06-18T19:41:02.5Z","level":"info","msg":"","time":"2026-06-18T19:41:02.502Z"}';
const ENVOY_UC =
  '[2026-06-18T19:41:02.500Z] "POST /indexes/prod_000_audio/search HTTP/1.1" 503 UC 412 95 2 - "-" "python-requests/2.32.3" "6d1c6f0e-1" "search.example.com" "10.0.3.11:8080"';
const HAPROXY_SH =
  '<134>Jun 18 19:41:02 haproxy[1]: 10.0.1.5:40000 [18/Jun/2026:19:41:02.500] https~ be_search/srv1 0/0/0/-1/2 502 107 - - SH-- 1/1/0/0/0 0/0 "POST /indexes/prod_000_audio/search HTTP/1.1"';

function keyOf(line: string): string | null {
  const record = parseProxyLine(line, { utcOffsetMinutes: 0 });
  if (record.kind === 'malformed' || record.kind === 'other') throw new Error(`not a proxy answer: ${line}`);
  return terminationKey(record);
}

describe('the tally key of a proxy 5xx, and what it says about who answered', () => {
  it("keeps the proxy's own code where it writes one, and the parsed facts where it does not", () => {
    expect(keyOf(HAPROXY_SH)).toBe('SH--');
    expect(keyOf(ENVOY_UC)).toBe('UC');
    expect(keyOf(TRAEFIK_BAD_GATEWAY)).toBe('answered-by:proxy-upstream-failure');
  });

  it('reads each key back as the same facts the parser gave the line', () => {
    expect(answerFactsOfKey('SH--')).toEqual({
      answeredBy: 'proxy-upstream-failure',
      upstreamFailure: 'reset_before_response',
    });
    expect(answerFactsOfKey('----')).toEqual({ answeredBy: 'server', upstreamFailure: null });
    expect(answerFactsOfKey('UC')).toEqual({
      answeredBy: 'proxy-upstream-failure',
      upstreamFailure: 'reset_before_response',
    });
    expect(answerFactsOfKey('UF,URX')).toEqual({ answeredBy: 'proxy-upstream-failure', upstreamFailure: 'connect' });
    expect(answerFactsOfKey('answered-by:proxy-upstream-failure')).toEqual({
      answeredBy: 'proxy-upstream-failure',
      upstreamFailure: null,
    });
    expect(answerFactsOfKey('answered-by:proxy-upstream-failure:timeout')).toEqual({
      answeredBy: 'proxy-upstream-failure',
      upstreamFailure: 'timeout',
    });
  });

  it('knows nothing of keys it did not write', () => {
    expect(answerFactsOfKey('answered-by:somebody')).toBeNull();
    expect(answerFactsOfKey('sh--x')).toBeNull();
    expect(answerFactsOfKey('')).toBeNull();
  });
});
