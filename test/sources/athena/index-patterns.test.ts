import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { createIndexMatcher, type IndexSelector } from '../../../src/evidence/index-matcher.js';
import { indexPatterns, loadBalancerPattern } from '../../../src/sources/athena/index-patterns.js';
import { sqlLiteral } from '../../../src/sources/athena/query-template.js';
import { ATHENA_SHIM_MACROS } from '../../support/duckdb-alb-table.js';

const TG = 'targetgroup/k8s-prod000audio/b692bdc6e203c988';
const ARNS = [
  `arn:aws:elasticloadbalancing:ap-southeast-2:123456789012:${TG}`,
  'arn:aws:elasticloadbalancing:ap-southeast-2:123456789012:targetgroup/k8s-prod001images/0123456789abcdef',
  `arn:aws:elasticloadbalancing:ap-southeast-2:123456789012:${TG}-old`,
  '-',
];
const URLS = [
  'https://search.example.com:443/indexes/prod_000_audio/search',
  'https://search.example.com:443/indexes/prod_000_audio',
  'https://search.example.com:443/indexes/prod_000_audio?q=1',
  'https://search.example.com:443/indexes/prod_000_audio_v2/search',
  'https://search.example.com:443/indexes/xprod_000_audio/search',
  'https://search.example.com:443/other?next=/indexes/prod_000_audio/',
  'https://search.example.com:443/prod_000_audio#frag',
  'https://prod_000_audio.example.com:443/',
  '/indexes/prod_000_audio/search',
  'https://search.example.com:443/a+b(c)/prod.v1/x',
  'https://search.example.com:443/a+b(c)/prodXv1/x',
  '',
];
const SELECTORS: Array<[string, IndexSelector]> = [
  ['a target group', { index: 'prod_000_audio', targetGroup: TG, match: '/never/' }],
  ['a match substring', { index: 'prod_000_audio', match: '/indexes/prod_000_audio/' }],
  ['a match holding regex characters', { index: 'prod_000_audio', match: '/a+b(c)/' }],
  ['a path segment', { index: 'prod_000_audio' }],
  ['a path segment with a dot', { index: 'prod.v1' }],
];

/** Every (ARN, URL) pair: files mode's decision, and the patterns' in V8 and in DuckDB (RE2). */
async function decisions(selector: IndexSelector) {
  const matcher = createIndexMatcher(selector);
  const patterns = indexPatterns(selector);
  const pairs = ARNS.flatMap((arn) => URLS.map((url) => ({ arn, url })));
  const files = pairs.map(({ arn, url }) => matcher.albBelongs(arn === '-' ? null : arn, url === '' ? null : url));
  const v8 = pairs.map(
    ({ arn, url }) => new RegExp(patterns.targetGroup).test(arn) && new RegExp(patterns.requestUrl).test(url),
  );
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  for (const macro of ATHENA_SHIM_MACROS) await connection.run(macro);
  const rows = pairs.map(({ arn, url }, i) => `(${i}, ${sqlLiteral(arn)}, ${sqlLiteral(url)})`).join(', ');
  const sql = `SELECT regexp_like(arn, ${sqlLiteral(patterns.targetGroup)}) AND regexp_like(coalesce(url, ''), ${sqlLiteral(patterns.requestUrl)}) AS hit
    FROM (VALUES ${rows}) AS t (i, arn, url) ORDER BY i`;
  const hits = (await connection.runAndReadAll(sql)).getRows().map(([hit]) => hit as boolean);
  instance.closeSync();
  return { files, v8, sql: hits };
}

describe('indexPatterns', () => {
  for (const [how, selector] of SELECTORS) {
    it(`decides as files mode does for an index chosen by ${how}, in V8 and in DuckDB`, async () => {
      const { files, v8, sql } = await decisions(selector);

      expect(v8).toEqual(files);
      expect(sql).toEqual(files);
      expect(files.filter(Boolean).length).toBeGreaterThan(0);
    });
  }

  it('refuses an index name that is not one', () => {
    expect(() => indexPatterns({ index: 'a b' })).toThrow('"a b" is not an index name.');
  });
});

describe('loadBalancerPattern', () => {
  it('matches exactly the configured load balancer, or every one when none is configured', () => {
    const pattern = new RegExp(loadBalancerPattern('app/k8s-ingress/0123456789abcdef'));

    expect(
      ['app/k8s-ingress/0123456789abcdef', 'app/k8s-ingress/0123456789abcdefX', 'app/k8s-ingressX0123456789abcdef'].map(
        (elb) => pattern.test(elb),
      ),
    ).toEqual([true, false, false]);
    expect(new RegExp(loadBalancerPattern(undefined)).test('anything')).toBe(true);
  });
});
