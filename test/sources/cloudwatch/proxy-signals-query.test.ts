import { describe, expect, it } from 'vitest';
import { ConfigError, UsageError } from '../../../src/errors.js';
import { ProxyTally } from '../../../src/evidence/proxy-tally.js';
import {
  addProxySignalRows,
  buildProxySignalsQuery,
  escapeInsightsRegex,
  indexPathRegex,
  integerAtLeastPattern,
  loadProxySignalsTemplate,
  parseInsightsMinute,
  slowThresholdMs,
} from '../../../src/sources/cloudwatch/proxy-signals-query.js';

const WINDOW = { start: new Date('2026-06-18T19:30:00Z'), end: new Date('2026-06-18T19:35:00Z') };

describe('loadProxySignalsTemplate', () => {
  it('reads the commented template with both placeholders from templates/queries', () => {
    const template = loadProxySignalsTemplate();

    expect(template.startsWith('# proxy-signals.insights')).toBe(true);
    expect(template).toContain('| filter path like /{{indexFilter}}/');
    expect(template).toContain('(?<slow_tr>{{slowTrPattern}})');
    expect(template).toContain('count(slow_tr) as slow_answers');
  });
});

describe('buildProxySignalsQuery', () => {
  it('fills the placeholders and drops comment and blank lines', () => {
    const query = buildProxySignalsQuery({ selector: { index: 'prod_000_audio' }, slowRequestSeconds: 2 });

    const lines = query.split('\n');
    expect(lines).toHaveLength(7);
    expect(lines[0]).toBe('fields @timestamp, @message');
    expect(lines[3]).toBe('| filter path like /^[^?]*\\/prod_000_audio(?:[\\/?]|$)/');
    // Slowness is decided on the parsed TEXT: no string-to-number conversion anywhere in the query.
    expect(lines[4]).toContain('(?<slow_tr>(?:[1-9]\\d{4,}|[3-9]\\d{3}|2[1-9]\\d{2}|20[1-9]\\d|200[1-9]|2000))');
    expect(lines[5]).toBe(
      '| stats count(*) as requests, count(slow_tr) as slow_answers by bin(1m) as minute, status, tsc',
    );
    expect(query).not.toMatch(/least\(|greatest\(|t_response -/);
    expect(query).not.toContain('{{');
    expect(query).not.toMatch(/^\s*#/m);
  });

  it('uses the `match` substring, escaped, when the index has one', () => {
    const query = buildProxySignalsQuery({
      selector: { index: 'audio', match: '/indexes/prod_000_audio/' },
      slowRequestSeconds: 2,
    });

    expect(query.split('\n')[3]).toBe('| filter path like /\\/indexes\\/prod_000_audio\\//');
  });

  it('rejects an index name that could carry query syntax, before any query exists', () => {
    const attempts = ['a/ | stats count(*)', 'x"', 'a\nb', '', 'a'.repeat(129), 'prod*', 'p%20'];

    for (const index of attempts) {
      expect(() => buildProxySignalsQuery({ selector: { index }, slowRequestSeconds: 2 }), index).toThrow(UsageError);
    }
  });

  it('neutralises quotes, slashes, pipes and brackets in `match` so they only match themselves', () => {
    const match = `/a/ | filter 1=1 | stats count(*) by x # "q" 'y' (z) [w] {v} ^$.*+?`;

    const query = buildProxySignalsQuery({ selector: { index: 'audio', match }, slowRequestSeconds: 2 });

    const filterLine = query.split('\n')[3]!;
    expect(filterLine).toBe(
      '| filter path like /\\/a\\/\\x20\\x7C\\x20filter\\x201\\x3D1\\x20\\x7C\\x20stats\\x20count\\x28\\x2A\\x29\\x20by\\x20x\\x20\\x23\\x20\\x22q\\x22\\x20\\x27y\\x27\\x20\\x28z\\x29\\x20\\x5Bw\\x5D\\x20\\x7Bv\\x7D\\x20\\x5E\\x24\\x2E\\x2A\\x2B\\x3F/',
    );
    // The escaped regex matches the text itself and nothing looser.
    const regex = new RegExp(filterLine.slice('| filter path like /'.length, -1));
    expect(regex.test(`/x${match}/y`)).toBe(true);
    expect(regex.test(match.replace('.', 'X'))).toBe(false);
    expect(query.split('\n')).toHaveLength(7);
  });

  it('refuses a `match` with a backslash-free newline, control or non-ASCII character', () => {
    for (const match of ['/a\n| stats count(*)', '/a\r/', '/caf\u00e9/', '/a\u0000/']) {
      expect(
        () => buildProxySignalsQuery({ selector: { index: 'audio', match }, slowRequestSeconds: 2 }),
        JSON.stringify(match),
      ).toThrow(ConfigError);
    }
  });

  it('escapes a stray backslash or quote even if validation upstream missed it', () => {
    expect(escapeInsightsRegex('a\\b"c/')).toBe('a\\x5Cb\\x22c\\/');
  });

  it('rejects a slow threshold that is not a positive number of seconds', () => {
    for (const seconds of [0, -1, Number.NaN, Number.POSITIVE_INFINITY, 3601]) {
      expect(
        () => buildProxySignalsQuery({ selector: { index: 'a' }, slowRequestSeconds: seconds }),
        String(seconds),
      ).toThrow(ConfigError);
    }
  });
});

describe('indexPathRegex', () => {
  it('matches the index as a whole path segment before any query string', () => {
    const regex = new RegExp(indexPathRegex({ index: 'prod.v1' }));

    expect(
      ['/indexes/prod.v1/search', '/indexes/prod.v1', '/prod.v1?q=1', 'http://h/prod.v1/x'].map((p) => regex.test(p)),
    ).toEqual([true, true, true, true]);
    expect(
      ['/indexes/prodXv1/search', '/indexes/prod.v10/search', '/x?i=/prod.v1/', '/aprod.v1/'].map((p) => regex.test(p)),
    ).toEqual([false, false, false, false]);
  });
});

describe('slowThresholdMs', () => {
  it('is the smallest whole millisecond at or above seconds × 1000, as files mode compares Tr', () => {
    expect([slowThresholdMs(2), slowThresholdMs(0.3), slowThresholdMs(1.0005)]).toEqual([2000, 300, 1001]);
  });
});

describe('parseInsightsMinute', () => {
  it('reads bin() values as UTC and refuses anything else', () => {
    expect(parseInsightsMinute('2026-06-18 19:41:00.000')).toBe(Date.parse('2026-06-18T19:41:00Z'));
    expect(parseInsightsMinute('2026-06-18T19:41:00Z')).toBe(Date.parse('2026-06-18T19:41:00Z'));
    expect(parseInsightsMinute('19/Jun/2026:05:41')).toBeNaN();
    expect(parseInsightsMinute(undefined)).toBeNaN();
  });
});

describe('addProxySignalRows', () => {
  it('adds rows to the tally, counting every request of an "s…" termination row as slow', () => {
    const tally = new ProxyTally(WINDOW);

    const added = addProxySignalRows(tally, [
      { minute: '2026-06-18 19:31:00.000', status: '200', tsc: '----', requests: '100', slow_answers: '3' },
      { minute: '2026-06-18 19:31:00.000', status: '429', tsc: 'PR--', requests: '40', slow_answers: '0' },
      { minute: '2026-06-18 19:32:00.000', status: '504', tsc: 'sH--', requests: '2', slow_answers: '0' },
      { minute: '2026-06-18 19:40:00.000', status: '502', tsc: 'SH--', requests: '9', slow_answers: '0' }, // outside the window
      { minute: 'garbage', status: '200', tsc: '----', requests: '1', slow_answers: '0' },
    ]);

    expect(added).toEqual({ rows: 5, unreadable: 1, slowUnreadable: 0 });
    expect(tally.requests).toEqual([0, 140, 2, 0, 0]);
    expect(tally.slow).toEqual([0, 3, 2, 0, 0]);
    expect(tally.throttled).toEqual([0, 40, 0, 0, 0]);
    expect(tally.origin5xx).toEqual([0, 0, 2, 0, 0]);
    expect(tally.origin5xxByTermination).toEqual({ 'sH--': 2 });
  });

  it('never reads a missing or non-numeric slow count as 0: the row counts, its slowness is flagged', () => {
    const tally = new ProxyTally(WINDOW);

    const added = addProxySignalRows(tally, [
      { minute: '2026-06-18 19:31:00.000', status: '200', tsc: '----', requests: '100' },
      { minute: '2026-06-18 19:31:00.000', status: '200', tsc: '--VN', requests: '7', slow_answers: 'null' },
      { minute: '2026-06-18 19:32:00.000', status: '504', tsc: 'sH--', requests: '2' }, // all slow by termination: nothing unknown
    ]);

    expect(added).toEqual({ rows: 3, unreadable: 0, slowUnreadable: 2 });
    expect(tally.requests).toEqual([0, 107, 2, 0, 0]);
  });
});

describe('integerAtLeastPattern', () => {
  it('matches exactly the integers at or above the threshold, as HAProxy writes them', () => {
    for (const minimum of [1, 9, 10, 999, 1999, 2000, 2500, 30000]) {
      const pattern = new RegExp(`^${integerAtLeastPattern(minimum)}$`);
      const wrong = Array.from({ length: 100_000 }, (_, n) => n).filter(
        (n) => pattern.test(String(n)) !== n >= minimum,
      );

      expect({ minimum, wrong }).toEqual({ minimum, wrong: [] });
      expect(pattern.test('-1')).toBe(false);
    }
  });
});
