import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, UsageError } from '../../../src/errors.js';
import { ProxyTally } from '../../../src/evidence/proxy-tally.js';
import { traefikAnswerFacts } from '../../../src/parsers/traefik-answered-by.js';
import { addEnvoySignalRows, buildEnvoySignalsQuery } from '../../../src/sources/cloudwatch/envoy-signals-query.js';
import { buildHourlyProxyQuery } from '../../../src/sources/cloudwatch/hourly-proxy-answers.js';
import { loadQueryTemplate, QUERY_TEMPLATES_DIR } from '../../../src/sources/cloudwatch/insights-template.js';
import { buildHourlyQueryFor, PROXY_FORMAT_QUERIES } from '../../../src/sources/cloudwatch/proxy-format-queries.js';
import { PROXY_LOG_FORMATS } from '../../../src/sources/cloudwatch/proxy-log-formats.js';
import { integerAtLeastPattern } from '../../../src/sources/cloudwatch/proxy-signals-query.js';
import {
  addTraefikJsonSignalRows,
  buildTraefikJsonSignalsQuery,
  slowOriginNsMinimum,
  TRAEFIK_OWN_ERROR_BODY_BYTES,
} from '../../../src/sources/cloudwatch/traefik-json-signals-query.js';

const WINDOW = { start: new Date('2026-06-18T19:30:00Z'), end: new Date('2026-06-18T19:35:00Z') };
const INDEX_FILTER = '| filter RequestPath like /^[^?]*\\/prod_000_audio(?:[\\/?]|$)/';

describe('PROXY_LOG_FORMATS', () => {
  it('names a template for every format, each commented and filled only by its own builder', () => {
    for (const format of PROXY_LOG_FORMATS) {
      const template = loadQueryTemplate(format.template);

      expect(existsSync(path.join(QUERY_TEMPLATES_DIR, format.template))).toBe(true);
      expect(template.startsWith(`# ${format.template}:`)).toBe(true);
      const built = PROXY_FORMAT_QUERIES[format.name].build({
        selector: { index: 'prod_000_audio' },
        slowRequestSeconds: 2,
      });
      expect(built).not.toMatch(/\{\{|^\s*#/m);
    }
    expect(PROXY_LOG_FORMATS.map((format) => format.name)).toEqual(['haproxy', 'traefik-json', 'envoy']);
  });
});

describe('buildTraefikJsonSignalsQuery', () => {
  it("fills the index filter, Traefik's own error sizes and the slow threshold in nanoseconds", () => {
    const lines = buildTraefikJsonSignalsQuery({ selector: { index: 'prod_000_audio' }, slowRequestSeconds: 2 }).split(
      '\n',
    );

    expect(lines).toHaveLength(11);
    expect(lines.slice(0, 4)).toEqual([
      'fields @timestamp, @message',
      '| filter ispresent(DownstreamStatus)',
      '| filter ispresent(StartUTC) or ispresent(StartLocal) or ispresent(time)',
      INDEX_FILTER,
    ]);
    expect(lines[6]).toBe(
      '| parse @message /(?<origin_body_class>"OriginContentSize": *"?(?:11|15|21)"?\\s*[,}]|"OriginContentSize": *|\\}\\s*$)/',
    );
    expect(lines[8]).toBe(
      `| parse @message /"OriginDuration": *"?(?<slow_origin_ns>${integerAtLeastPattern(1_999_500_000)})"?\\s*[,}]/`,
    );
    expect(lines[9]).toBe(
      '| stats count(*) as requests, count(slow_origin_ns) as slow_answers by bin(1m) as minute, DownstreamStatus, origin_status_class, server_class, origin_body_class, downstream_body_class',
    );
    expect(lines[10]).toBe('| limit 10000');
  });

  it('rejects an index name or a match that could carry query syntax, before any query exists', () => {
    expect(() =>
      buildTraefikJsonSignalsQuery({ selector: { index: 'a/ | stats count(*)' }, slowRequestSeconds: 2 }),
    ).toThrow(UsageError);
    expect(() =>
      buildTraefikJsonSignalsQuery({ selector: { index: 'a', match: 'caf\u00e9' }, slowRequestSeconds: 2 }),
    ).toThrow(ConfigError);
    expect(() => buildTraefikJsonSignalsQuery({ selector: { index: 'a' }, slowRequestSeconds: 0 })).toThrow(
      ConfigError,
    );
  });

  it('neutralises a match so it only matches itself', () => {
    const query = buildTraefikJsonSignalsQuery({
      selector: { index: 'a', match: '/x/ | filter 1=1' },
      slowRequestSeconds: 2,
    });

    expect(query.split('\n')[3]).toBe('| filter RequestPath like /\\/x\\/\\x20\\x7C\\x20filter\\x201\\x3D1/');
  });
});

describe('TRAEFIK_OWN_ERROR_BODY_BYTES', () => {
  it('holds exactly the body sizes that change who answered a proxied request, for every status', () => {
    const deciding = new Set<number>();

    for (let status = 0; status < 600; status++) {
      const withoutSize = traefikAnswerFacts(String(status), true, null);
      for (let bytes = 0; bytes <= 4096; bytes++) {
        if (traefikAnswerFacts(String(status), true, bytes) !== withoutSize) deciding.add(bytes);
      }
    }

    expect([...deciding].sort((a, b) => a - b)).toEqual([...TRAEFIK_OWN_ERROR_BODY_BYTES]);
  });
});

describe('slowOriginNsMinimum', () => {
  it('is the first nanosecond count files mode rounds up to the slow threshold, for several thresholds', () => {
    for (const seconds of [0.001, 0.25, 1, 2, 2.3, 30, 3600]) {
      const minimum = slowOriginNsMinimum(seconds);
      const pattern = new RegExp(`^${integerAtLeastPattern(minimum)}$`);
      const slowInFiles = (ns: number) => Math.round(ns / 1_000_000) >= seconds * 1000;

      for (const ns of [minimum - 1, minimum, minimum + 1, minimum + 499_999, minimum - 500_000]) {
        expect([seconds, ns, pattern.test(String(ns))]).toEqual([seconds, ns, slowInFiles(ns)]);
      }
    }
  });
});

describe('buildEnvoySignalsQuery', () => {
  it('fills the index filter and the slow threshold in whole milliseconds', () => {
    const lines = buildEnvoySignalsQuery({ selector: { index: 'prod_000_audio' }, slowRequestSeconds: 2 }).split('\n');

    expect(lines).toHaveLength(7);
    expect(lines[1]).toMatch(
      /^\| parse @message \/\(\?:\^\| \)\\\[.+\(\?<upstream_host_class>-\[\^"\]\|-"\|\[\^"\\-\]\|"\)\/$/,
    );
    expect(lines.slice(2)).toEqual([
      '| filter ispresent(status)',
      '| filter path like /^[^?]*\\/prod_000_audio(?:[\\/?]|$)/',
      `| parse upstream_service_ms /^(?<slow_upstream_ms>${integerAtLeastPattern(2000)})$/`,
      '| stats count(*) as requests, count(slow_upstream_ms) as slow_answers, count(via_upstream) as via_upstream_answers by bin(1m) as minute, status, flags, upstream_host_class',
      '| limit 10000',
    ]);
  });

  it('rejects an index name or a match that could carry query syntax, before any query exists', () => {
    expect(() => buildEnvoySignalsQuery({ selector: { index: 'x"' }, slowRequestSeconds: 2 })).toThrow(UsageError);
    expect(() => buildEnvoySignalsQuery({ selector: { index: 'a', match: 'a\nb' }, slowRequestSeconds: 2 })).toThrow(
      ConfigError,
    );
  });
});

describe('buildHourlyQueryFor', () => {
  it("keeps each format's lines up to its index filter, then counts by the hour and its own status field", () => {
    expect(buildHourlyQueryFor('traefik-json', { index: 'prod_000_audio' }).split('\n')).toEqual([
      'fields @timestamp, @message',
      '| filter ispresent(DownstreamStatus)',
      '| filter ispresent(StartUTC) or ispresent(StartLocal) or ispresent(time)',
      INDEX_FILTER,
      '| stats count(*) as answers by bin(1h) as hour, DownstreamStatus',
      '| limit 10000',
    ]);
    const envoy = buildHourlyQueryFor('envoy', { index: 'prod_000_audio' }).split('\n');
    expect(envoy.slice(2)).toEqual([
      '| filter ispresent(status)',
      '| filter path like /^[^?]*\\/prod_000_audio(?:[\\/?]|$)/',
      '| stats count(*) as answers by bin(1h) as hour, status',
      '| limit 10000',
    ]);
  });

  it('gives HAProxy the hourly query it always had', () => {
    const minute = PROXY_FORMAT_QUERIES.haproxy
      .build({ selector: { index: 'prod_000_audio' }, slowRequestSeconds: 2 })
      .split('\n');

    expect(buildHourlyProxyQuery({ index: 'prod_000_audio' }).split('\n')).toEqual([
      ...minute.slice(0, 4),
      '| stats count(*) as answers by bin(1h) as hour, status',
      '| limit 10000',
    ]);
  });
});

const traefikRow = (fields: Record<string, string>) => ({
  minute: '2026-06-18 19:31:00.000',
  DownstreamStatus: '502',
  origin_status_class: '"OriginStatus":',
  server_class: '"ServiceAddr":"1',
  origin_body_class: '"OriginContentSize":',
  downstream_body_class: '"DownstreamContentSize":',
  requests: '4',
  slow_answers: '1',
  ...fields,
});

describe('addTraefikJsonSignalRows', () => {
  it('keys each row by who answered, as traefikAnswerFacts decides from the classes', () => {
    const tally = new ProxyTally(WINDOW);

    const added = addTraefikJsonSignalRows(tally, [
      traefikRow({}), // the application's own 502
      traefikRow({ origin_body_class: '"OriginContentSize":11,', requests: '3', slow_answers: '0' }), // Traefik's "Bad Gateway"
      traefikRow({
        origin_body_class: '}',
        downstream_body_class: '"DownstreamContentSize": 11}',
        requests: '2',
        slow_answers: '0',
      }), // size from Downstream
      traefikRow({
        DownstreamStatus: '503',
        origin_status_class: '"OriginStatus":0,',
        requests: '5',
        slow_answers: '5',
      }), // never proxied: no server time
      traefikRow({
        DownstreamStatus: '429',
        origin_status_class: '}',
        server_class: '}',
        requests: '7',
        slow_answers: '0',
      }), // no OriginStatus, no server
      traefikRow({ minute: '2026-06-18 19:32:00.000', DownstreamStatus: '200', requests: '40', slow_answers: '6' }),
    ]);

    expect(added).toEqual({ rows: 6, unreadable: 0, slowUnreadable: 0 });
    const signals = tally.toSignals('t');
    expect(signals.origin_5xx).toMatchObject({
      counts: [0, 14, 0, 0, 0],
      byCode: { '502': 9, '503': 5 },
      byTermination: {
        'answered-by:server': 4,
        'answered-by:proxy-upstream-failure': 5,
        'answered-by:proxy-upstream-failure:no_healthy': 5,
      },
    });
    expect(signals.throttled_429).toMatchObject({
      counts: [0, 7, 0, 0, 0],
      byTermination: { 'answered-by:proxy-rule': 7 },
    });
    expect(signals.slow_requests.counts).toEqual([0, 1, 6, 0, 0]);
    expect(signals.requests.counts).toEqual([0, 21, 40, 0, 0]);
  });

  it('counts a row it cannot read as unreadable, and a missing slow count as unknown, never 0', () => {
    const tally = new ProxyTally(WINDOW);

    const added = addTraefikJsonSignalRows(tally, [
      traefikRow({ DownstreamStatus: 'abc' }),
      traefikRow({ origin_status_class: 'OriginStatus' }),
      { ...traefikRow({}), server_class: undefined as unknown as string },
      traefikRow({ minute: 'yesterday' }),
      traefikRow({ slow_answers: 'NaN' }),
    ]);

    expect(added).toEqual({ rows: 5, unreadable: 4, slowUnreadable: 1 });
    expect(tally.requests).toEqual([0, 4, 0, 0, 0]);
  });
});

const envoyRow = (fields: Record<string, string>) => ({
  minute: '2026-06-18 19:31:00.000',
  status: '503',
  flags: 'UC',
  upstream_host_class: '1',
  requests: '5',
  slow_answers: '0',
  via_upstream_answers: '0',
  ...fields,
});

describe('addEnvoySignalRows', () => {
  it("keys by the flags verbatim, and a row without flags by who answered, split by Istio's via_upstream", () => {
    const tally = new ProxyTally(WINDOW);

    const added = addEnvoySignalRows(tally, [
      envoyRow({}),
      envoyRow({ flags: 'UF,URX', requests: '2', via_upstream_answers: '2' }), // flags decide even with via_upstream
      envoyRow({
        status: '502',
        flags: '-',
        upstream_host_class: '-"',
        requests: '6',
        via_upstream_answers: '2',
        slow_answers: '1',
      }),
      envoyRow({ status: '429', flags: 'RL', upstream_host_class: '-"', requests: '9' }),
      envoyRow({ status: '200', flags: '-', requests: '50', slow_answers: '3' }),
    ]);

    expect(added).toEqual({ rows: 5, unreadable: 0, slowUnreadable: 0 });
    const signals = tally.toSignals('e');
    expect(signals.origin_5xx).toMatchObject({
      counts: [0, 13, 0, 0, 0],
      byTermination: { UC: 5, 'UF,URX': 2, 'answered-by:server': 2, 'answered-by:proxy-rule': 4 },
    });
    expect(signals.throttled_429.byTermination).toEqual({ RL: 9 });
    expect(signals.slow_requests.counts).toEqual([0, 4, 0, 0, 0]);
  });

  it('counts rows it cannot read as unreadable: a missing key, more via_upstream answers than answers', () => {
    const tally = new ProxyTally(WINDOW);

    const added = addEnvoySignalRows(tally, [
      envoyRow({ via_upstream_answers: '6' }),
      { ...envoyRow({}), flags: undefined as unknown as string },
      envoyRow({ slow_answers: '' }),
    ]);

    expect(added).toEqual({ rows: 3, unreadable: 2, slowUnreadable: 1 });
  });
});
