import { readFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { simulateIncident } from '../../../src/simulate/simulate-incident.js';
import {
  ALB_INPUT_REGEX_HIVE,
  ALB_TABLE_COLUMNS,
  albInputRegex,
  buildAlbTableDdl,
} from '../../../src/sources/athena/alb-table-ddl.js';
import { sqlLiteral } from '../../../src/sources/athena/query-template.js';
import {
  FIXTURE_CORPUS,
  type RealFormatCorpus,
  readCorpusLines,
  SHARED_CORPUS,
} from '../../fixtures/real-format/real-format-corpus.js';
import { INDEX, incident } from '../../support/scenarios.js';
import { DOMAIN_REFERENCE, hasDomainReference, warnSharedAbsentOnce } from '../../support/shared-paths.js';

// The domain reference and the real ALB lines live in ../shared/; their checks skip, said once per
// run, when it is absent. The regex checks run on the repository's ALB fixtures either way.
warnSharedAbsentOnce();

/** Lines of the regex in the printed DDL, unescaped as next-capabilities §1.2 says. */
function printedRegex(ddl: string): string {
  const line = ddl.split('\n').find((l) => l.includes("'input.regex'"))!;
  const hive = line.slice(line.indexOf("= '") + 3, line.lastIndexOf("'"));
  return hive.replaceAll('\\"', '"').replaceAll('\\\\s', '\\s');
}

const DDL = buildAlbTableDdl({
  bucket: 'my-alb-logs',
  prefix: 'prod',
  account: '123456789012',
  region: 'ap-southeast-2',
  database: 'lb_logs',
  table: 'alb_access_logs',
});

describe('buildAlbTableDdl', () => {
  it('prints the AWS table: its columns and types, RegexSerDe, and projection on the delivery day', () => {
    const lines = DDL.split('\n');

    expect(lines[0]).toBe('CREATE EXTERNAL TABLE IF NOT EXISTS lb_logs.alb_access_logs (');
    expect(lines.slice(1, 35).join('\n')).toContain(
      '  elb_status_code int,\n  target_status_code string,\n  received_bytes bigint,',
    );
    expect(lines.slice(35)).toEqual([
      ')',
      'PARTITIONED BY (day string)',
      "ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.RegexSerDe'",
      'WITH SERDEPROPERTIES (',
      "  'serialization.format' = '1',",
      `  'input.regex' = '${ALB_INPUT_REGEX_HIVE}'`,
      ')',
      "LOCATION 's3://my-alb-logs/prod/AWSLogs/123456789012/elasticloadbalancing/ap-southeast-2/'",
      'TBLPROPERTIES (',
      '  "projection.enabled" = "true",',
      '  "projection.day.type" = "date",',
      '  "projection.day.range" = "2022/01/01,NOW",',
      '  "projection.day.format" = "yyyy/MM/dd",',
      '  "projection.day.interval" = "1",',
      '  "projection.day.interval.unit" = "DAYS",',
      '  "storage.location.template" = "s3://my-alb-logs/prod/AWSLogs/123456789012/elasticloadbalancing/ap-southeast-2/${day}"',
      ');',
      '',
    ]);
    expect(ALB_TABLE_COLUMNS).toHaveLength(34);
  });

  it('leaves the prefix out of the location when the load balancer logs without one', () => {
    const ddl = buildAlbTableDdl({
      bucket: 'logs',
      prefix: '',
      account: '123456789012',
      region: 'us-east-1',
      database: 'd',
      table: 't',
    });

    expect(ddl).toContain("LOCATION 's3://logs/AWSLogs/123456789012/elasticloadbalancing/us-east-1/'");
  });

  it('has a regex that takes every line our simulator writes, and 34 columns from each', () => {
    const lines = simulateIncident({
      ...incident([
        { kind: 'target_down', index: INDEX, fromMinute: 1, toMinute: 2, failFraction: 0.5 },
        { kind: 'no_targets', index: INDEX, fromMinute: 3, toMinute: 3 },
      ]),
      minutes: 5,
    }).alb;
    const regex = new RegExp(`^${printedRegex(DDL)}$`);

    const matches = lines.map(({ line }) => regex.exec(line));

    expect(lines.length).toBeGreaterThan(1000);
    expect(matches.every((m) => m !== null)).toBe(true);
    expect(matches[0]!.length - 1).toBe(35); // 34 columns and the tail that takes later fields
  });

  it.skipIf(!hasDomainReference)('is word for word the regex of the AWS DDL in the domain reference', () => {
    const reference = readFileSync(DOMAIN_REFERENCE, 'utf8');
    const quoted = /'input\.regex' =\s*'([^\n]*)'\n\)/.exec(reference)![1];

    expect(ALB_INPUT_REGEX_HIVE).toBe(quoted);
  });
});

/** Both regex checks over one corpus's ALB files: file → [lines, lines the AWS regex takes whole]. */
function describeRegexOn(title: string, corpus: RealFormatCorpus, EXPECTED: Record<string, [number, number]>): void {
  describe.skipIf(!corpus.present)(title, () => {
    const linesOf = (file: string) => readCorpusLines(corpus, `alb/${file}`);

    it('matches the lines the reference says it matches, in V8', () => {
      const regex = new RegExp(`^${printedRegex(DDL)}$`);

      const counts = Object.fromEntries(
        Object.keys(EXPECTED).map((file) => {
          const lines = linesOf(file);
          return [file, [lines.length, lines.filter((line) => regex.test(line)).length]];
        }),
      );

      expect(counts).toEqual(EXPECTED);
    });

    it('matches the same lines in RE2 (DuckDB), the engine the tests run the SQL on', async () => {
      const instance = await DuckDBInstance.create(':memory:');
      const connection = await instance.connect();
      const counts: Record<string, [number, number]> = {};
      for (const file of Object.keys(EXPECTED)) {
        const lines = linesOf(file);
        const rows = lines.map((line) => `(${sqlLiteral(line)})`).join(', ');
        const reader = await connection.runAndReadAll(
          `SELECT count_if(regexp_full_match(line, ${sqlLiteral(albInputRegex())})) FROM (VALUES ${rows}) AS t (line)`,
        );
        counts[file] = [lines.length, Number(reader.getRows()[0]![0])];
      }
      instance.closeSync();

      expect(counts).toEqual(EXPECTED);
    });
  });
}

// file → lines, lines the AWS regex matches, as measured in the reference.
describeRegexOn('the printed regex on real ALB lines (next-capabilities §1.2)', SHARED_CORPUS, {
  'awsdocs-alb-user-guide.log': [7, 7],
  'coralogix-aws-shipper-elb.log': [576, 576],
  'plaso-aws_elb_access.log': [10, 10],
  'diwamoto-alb-log-parser.log': [5, 3],
  'dpetzold-aws-log-parser.log': [12, 2],
  'vrl-parse_aws_alb_log.log': [15, 9],
});

// file → lines, lines the AWS regex takes, as each line was written (expected.json there): the
// 25-field and bare-list layouts and three of the four broken lines are refused.
describeRegexOn(
  "the printed regex on the repository's ALB fixtures",
  FIXTURE_CORPUS,
  Object.fromEntries(
    Object.entries(FIXTURE_CORPUS.expected).flatMap(([name, counts]) =>
      name.startsWith('alb/')
        ? [[name.slice('alb/'.length), [counts.lines, counts.athena_regex_matches ?? -1] as [number, number]]]
        : [],
    ),
  ),
);
