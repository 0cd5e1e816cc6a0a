import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseProxyLine, type ProxyLine } from '../../src/parsers/proxy-line.js';

// Real lines from public sources (../shared/data/real-logs/SOURCES.md), read in place, never copied.
const realLogsDir = fileURLToPath(new URL('../../../shared/data/real-logs/', import.meta.url));
const hasRealLogs = existsSync(realLogsDir);
if (!hasRealLogs) console.warn(`Skipping HAProxy real-log tests: ${realLogsDir} is absent.`);

interface ExpectedFile {
  lines: number;
  entries: number;
  by_status_code?: Record<string, number>;
  by_termination_state?: Record<string, number>;
  by_kind?: Record<string, number>;
  malformed_lines?: number[];
  truncated_request_lines?: number[];
}

const expectedFiles: Record<string, ExpectedFile> = hasRealLogs
  ? (JSON.parse(readFileSync(`${realLogsDir}expected.json`, 'utf8')) as { files: Record<string, ExpectedFile> }).files
  : {};

function logFilesIn(folder: string): string[] {
  return hasRealLogs ? readdirSync(`${realLogsDir}${folder}`).filter((name) => name.endsWith('.log')).sort() : [];
}

function parseFile(relativePath: string): ProxyLine[] {
  const lines = readFileSync(`${realLogsDir}${relativePath}`, 'utf8').split('\n').filter((line) => line.length > 0);
  return lines.map((line) => parseProxyLine(line));
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

describe.skipIf(!hasRealLogs)('parseProxyLine on the real HAProxy httplog corpus', () => {
  it('has an expectation for every file in haproxy/', () => {
    expect(logFilesIn('haproxy').every((name) => `haproxy/${name}` in expectedFiles)).toBe(true);
  });

  for (const name of logFilesIn('haproxy')) {
    it(`counts ${name} exactly as expected.json does`, () => {
      const expected = expectedFiles[`haproxy/${name}`]!;

      const results = parseFile(`haproxy/${name}`);

      const records = results.flatMap((result) => (result.kind === 'haproxy-http' ? [result] : []));
      expect({
        lines: results.length,
        entries: records.length,
        by_status_code: countBy(records, (record) => record.status),
        by_termination_state: countBy(records, (record) => record.termination ?? 'null'),
        malformed_lines: lineNumbersWhere(results, (result) => result.kind === 'malformed'),
        truncated_request_lines: lineNumbersWhere(results, (result) => result.kind === 'haproxy-http' && result.requestTruncated),
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

  it('gives the reasons a person would look for on the two deliberately broken lines', () => {
    const ddAgent = parseFile('haproxy/dd-agent-dogstream-haproxy.log');
    const gforcada = parseFile('haproxy/gforcada-2_ok_1_invalid.log');

    expect([ddAgent[5], gforcada[1]]).toEqual([
      { kind: 'malformed', reason: 'truncated accept date' },
      { kind: 'malformed', reason: 'empty accept date' },
    ]);
  });

  it('reads the truncated efigence line 18 as a 200 entry with the request cut', () => {
    const results = parseFile('haproxy/efigence-go-haproxy-haproxy_log.log');

    expect(results[17]).toMatchObject({
      kind: 'haproxy-http', status: '200', termination: '----', backend: 'backend_foobar', server: 'srv2-backend',
      serverResponseMs: 258, totalMs: 259, method: 'GET', requestTruncated: true,
    });
  });
});

describe.skipIf(!hasRealLogs)('parseProxyLine on the real non-access HAProxy lines', () => {
  it('has an expectation for every file in haproxy-other/', () => {
    expect(logFilesIn('haproxy-other').every((name) => `haproxy-other/${name}` in expectedFiles)).toBe(true);
  });

  for (const name of logFilesIn('haproxy-other')) {
    it(`classifies ${name} as expected.json does`, () => {
      const expected = expectedFiles[`haproxy-other/${name}`]!;

      const results = parseFile(`haproxy-other/${name}`);

      const others = results.flatMap((result) => (result.kind === 'other' ? [result] : []));
      expect({ lines: results.length, entries: others.length, by_kind: countBy(others, (other) => other.otherKind) })
        .toEqual({ lines: expected.lines, entries: expected.entries, by_kind: expected.by_kind });
    });
  }
});
