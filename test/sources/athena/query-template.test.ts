import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/errors.js';
import {
  bindQuery,
  loadQueryTemplate,
  type QueryTemplateName,
  sqlLiteral,
} from '../../../src/sources/athena/query-template.js';
import { bindExecutionParameters } from '../../support/fake-athena-server.js';

const TABLE = { database: 'lb_logs', table: 'alb_access_logs' };
const VALUES = {
  day_1: '2026/06/18',
  day_2: '2026/06/19',
  day_3: '2026/06/19',
  load_balancer: '^app/k8s-ingress/0123456789abcdef$',
  window_start: '2026-06-18T22:35:00',
  window_end: '2026-06-19T01:35:00',
  index_target_group: 'targetgroup/k8s-prod000audio/b692bdc6e203c988$',
  index_request_url: '^',
  slow_seconds: 2.5,
  asked_minute: '2026-06-19T00:05:00',
  sample_limit: 30,
};

/**
 * The SQL clause each `?` of a query stands in: a tiny scanner that follows SELECT / FROM /
 * WHERE / GROUP / ORDER / HAVING / ON / VALUES per parenthesis level (a parenthesis inherits its
 * clause until a keyword inside it says otherwise), skipping string literals and quoted names.
 */
function clausesOfPlaceholders(sql: string): string[] {
  const clauses: string[] = [];
  const stack = ['NONE'];
  const keywords = new Set(['SELECT', 'FROM', 'WHERE', 'GROUP', 'ORDER', 'HAVING', 'ON', 'VALUES', 'LIMIT', 'WINDOW']);
  for (const token of sql.match(/'(?:[^']|'')*'|"[^"]*"|[A-Za-z_]+|[()?]/g) ?? []) {
    if (token === '(') stack.push(stack.at(-1)!);
    else if (token === ')') stack.pop();
    else if (token === '?') clauses.push(stack.at(-1)!);
    else if (keywords.has(token.toUpperCase())) stack[stack.length - 1] = token.toUpperCase();
  }
  return clauses;
}

describe('bindQuery', () => {
  it('is checked by a scanner that tells a "?" in SELECT from one in a sub-query\'s WHERE', () => {
    expect(clausesOfPlaceholders("SELECT ?, 'a?' FROM t WHERE x IN (SELECT y FROM u WHERE z = ?) GROUP BY ?")).toEqual([
      'SELECT',
      'WHERE',
      'GROUP',
    ]);
  });

  for (const name of ['alb-counts', 'alb-samples'] as QueryTemplateName[]) {
    it(`puts every value of ${name}.sql in a WHERE clause, the only place Athena takes "?"`, () => {
      const bound = bindQuery(loadQueryTemplate(name), TABLE, VALUES);

      const clauses = clausesOfPlaceholders(bound.queryString);

      expect(clauses.length).toBe(bound.executionParameters.length);
      expect(clauses.length).toBeGreaterThan(8);
      expect(new Set(clauses)).toEqual(new Set(['WHERE']));
    });
  }

  for (const name of ['edge-cloudfront-counts', 'edge-cloudflare-counts'] as QueryTemplateName[]) {
    it(`puts every value of ${name}.sql in a WHERE clause, the only place Athena takes "?"`, () => {
      const bound = bindQuery(loadQueryTemplate(name), TABLE, {
        ...VALUES,
        window_start_ms: 1_781_820_900_000,
        window_end_ms: 1_781_831_700_000,
        index_path: '^',
      });

      const clauses = clausesOfPlaceholders(bound.queryString);

      expect(clauses).toEqual(['WHERE', 'WHERE', 'WHERE', 'WHERE', 'WHERE', 'WHERE']);
      expect(bound.executionParameters).toHaveLength(6);
    });
  }

  it('sends the values of the samples query as SQL literals, in the order their markers appear', () => {
    const bound = bindQuery(loadQueryTemplate('alb-samples'), TABLE, VALUES);

    expect(bound.executionParameters).toEqual([
      "'2026/06/18'",
      "'2026/06/19'",
      "'2026/06/19'",
      "'2026-06-18T22:35:00'",
      "'2026-06-19T01:35:00'",
      "'^app/k8s-ingress/0123456789abcdef$'",
      "'targetgroup/k8s-prod000audio/b692bdc6e203c988$'",
      "'^'",
      "'2026-06-19T00:05:00'",
      "'2026-06-19T00:05:00'",
      '30',
    ]);
    expect(bound.queryString).toContain('FROM "lb_logs"."alb_access_logs"');
    expect(bound.queryString).not.toMatch(/--|:[a-z]|\{\{/);
  });

  it('refuses a table name that is not a plain identifier, naming the key', () => {
    expect(() =>
      bindQuery(loadQueryTemplate('alb-counts'), { database: 'lb_logs', table: 'logs"; DROP TABLE x' }, VALUES),
    ).toThrow(
      new ConfigError(
        'aws.athena.table must be letters, digits and "_" (a Glue database or table name), e.g. alb_access_logs; got "logs\\"; DROP TABLE x".',
      ),
    );
  });

  it('refuses a template whose marker has no value', () => {
    const { slow_seconds: _missing, ...partial } = VALUES;

    expect(() => bindQuery(loadQueryTemplate('alb-counts'), TABLE, partial)).toThrow(
      /:slow_seconds that the code does not supply/,
    );
  });
});

describe('sqlLiteral', () => {
  it('doubles quotes, so a value stays one string literal whatever it holds', async () => {
    const hostile = "x'); DROP TABLE t; --";
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    await connection.run('CREATE TABLE t (v VARCHAR)');
    await connection.run(`INSERT INTO t VALUES (${sqlLiteral(hostile)})`);

    const sql = bindExecutionParameters('SELECT count(*) AS n FROM t WHERE v = ?', [sqlLiteral(hostile)]);
    const rows = (await connection.runAndReadAll(sql)).getRowObjectsJson();

    expect(sqlLiteral(hostile)).toBe("'x''); DROP TABLE t; --'");
    expect(rows).toEqual([{ n: '1' }]);
    instance.closeSync();
  });

  it('writes numbers as plain literals and refuses what is not a finite number', () => {
    expect([sqlLiteral(2), sqlLiteral(0.25), sqlLiteral(30)]).toEqual(['2', '0.25', '30']);
    expect(() => sqlLiteral(Number.NaN, 'slow_seconds')).toThrow(
      'The Athena query value :slow_seconds must be a finite number, got NaN.',
    );
  });

  it('refuses a value longer than the 1,024 characters Athena takes', () => {
    expect(() => sqlLiteral('a'.repeat(1023), 'index_request_url')).toThrow(
      /is 1025 characters; Athena takes at most 1024/,
    );
  });
});
