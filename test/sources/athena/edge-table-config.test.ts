/** aws.athena.edgeTable: validated like the ALB table, planned as the edge view's provider, granted in IAM. */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config.js';
import { describePlan, planEvidence } from '../../../src/engine/evidence-plan.js';
import { AthenaConfigSchema, edgeFormatOf } from '../../../src/sources/athena/athena-config.js';
import { CLOUDFLARE_TABLE_COLUMNS, cloudflareTableDdl } from '../../../src/sources/athena/cloudflare-table-ddl.js';
import { CLOUDFRONT_TABLE_COLUMNS, cloudFrontTableDdl } from '../../../src/sources/athena/cloudfront-table-ddl.js';

const require = createRequire(import.meta.url);
const { athenaStatements } = require('../../../scripts/athena-iam.cjs') as {
  athenaStatements: (athena: object) => { Sid: string; Resource: unknown }[];
};

const ATHENA_BLOCK = {
  database: 'lb_logs',
  table: 'alb_access_logs',
  workgroup: 'why502',
  edgeTable: 'cloudfront_logs',
  edgeFormat: 'cloudfront',
};
const config = () =>
  parseConfig({ indexes: { prod_000_audio: {} }, aws: { region: 'ap-southeast-2', athena: ATHENA_BLOCK } }, 'test');

describe('aws.athena.edgeTable', () => {
  it('takes a plain identifier and the CloudFront format, and refuses anything else', () => {
    expect(AthenaConfigSchema.parse(ATHENA_BLOCK)).toMatchObject({ edgeTable: 'cloudfront_logs' });

    const result = AthenaConfigSchema.safeParse({ ...ATHENA_BLOCK, edgeTable: 'cf"; drop', edgeFormat: 'akamai' });

    expect(result.error!.issues.map((issue) => issue.path.join('.')).sort()).toEqual(['edgeFormat', 'edgeTable']);
  });

  it('takes Cloudflare Logpush as the edge format, and reads a table without a format as CloudFront', () => {
    const cloudflare = AthenaConfigSchema.parse({
      ...ATHENA_BLOCK,
      edgeTable: 'cloudflare_logs',
      edgeFormat: 'cloudflare',
    });
    const unsaid = AthenaConfigSchema.parse({ ...ATHENA_BLOCK, edgeFormat: undefined });

    expect(edgeFormatOf(cloudflare)).toBe('cloudflare');
    expect(edgeFormatOf(unsaid)).toBe('cloudfront');
  });

  it('says which formats there are when the edge format is unknown', () => {
    const result = AthenaConfigSchema.safeParse({ ...ATHENA_BLOCK, edgeFormat: 'fastly' });

    expect(result.error!.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([
      ['edgeFormat', 'must be one of cloudfront, cloudflare: the format of the logs aws.athena.edgeTable holds'],
    ]);
  });

  it('refuses an edge format or log location without the edge table, instead of ignoring them', () => {
    const { edgeTable: _, ...withoutTable } = ATHENA_BLOCK;

    const result = AthenaConfigSchema.safeParse({
      ...withoutTable,
      edgeFormat: 'cloudflare',
      edgeLogLocation: 's3://my-cf-logs/http_requests/',
    });

    expect(result.error!.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([
      ['edgeFormat', "needs aws.athena.edgeTable: the Glue table of the edge's logs that edgeFormat describes"],
      [
        'edgeLogLocation',
        "needs aws.athena.edgeTable: the Glue table of the edge's logs that edgeLogLocation describes",
      ],
    ]);
    expect(() =>
      parseConfig(
        {
          indexes: { prod_000_audio: {} },
          aws: { region: 'ap-southeast-2', athena: { ...withoutTable, edgeFormat: 'cloudflare' } },
        },
        'test',
      ),
    ).toThrow(/edgeFormat/);
  });

  it('makes Athena the edge view’s provider, unless --edge-logs gives files', () => {
    const plan = planEvidence(config());
    expect(plan.edge).toEqual({
      provider: 'athena',
      athena: expect.objectContaining({ edgeTable: 'cloudfront_logs' }),
    });
    expect(describePlan(plan)).toContain('edge logs from Athena');

    expect(planEvidence(config(), { edgeLogs: ['cf/'] }).edge).toEqual({ provider: 'files', paths: ['cf/'] });
    expect(planEvidence(config(), { source: 'files', albLogs: ['alb/'] }).edge).toBeNull();
  });

  it('grants glue:GetTable on the edge table as well as the access-log table', () => {
    const glue = athenaStatements(ATHENA_BLOCK).find((s) => s.Sid === 'GlueTableOfTheAccessLogs')!;

    expect(JSON.stringify(glue.Resource)).toContain('table/lb_logs/cloudfront_logs');
    expect(JSON.stringify(glue.Resource)).toContain('table/lb_logs/alb_access_logs');
  });
});

describe('cloudFrontTableDdl', () => {
  it('is AWS’s CloudFront standard-log table: the 33 documented columns, tab-delimited, two header lines skipped', () => {
    const ddl = cloudFrontTableDdl('lb_logs', 'cloudfront_logs', 's3://my-cf-logs/prefix/');

    expect(CLOUDFRONT_TABLE_COLUMNS).toHaveLength(33);
    expect(CLOUDFRONT_TABLE_COLUMNS.slice(0, 3)).toEqual([
      { name: 'date', type: 'date' },
      { name: 'time', type: 'string' },
      { name: 'x_edge_location', type: 'string' },
    ]);
    expect(ddl).toContain('  `sc_status` INT,');
    expect(ddl).toContain('  `x_edge_result_type` STRING,');
    expect(ddl).toContain('  `x_edge_detailed_result_type` STRING,');
    expect(ddl).toContain('  `cs_user_agent` STRING,');
    expect(ddl).toContain("FIELDS TERMINATED BY '\\t'");
    expect(ddl).toContain("TBLPROPERTIES ('skip.header.line.count' = '2')");
    expect(() => cloudFrontTableDdl('lb_logs', 'bad-name', 's3://b/')).toThrow(/edgeTable/);
  });
});

describe('cloudflareTableDdl', () => {
  it('is a JSON SerDe table over the Logpush destination, projected by the {DATE} folders', () => {
    const ddl = cloudflareTableDdl({
      database: 'lb_logs',
      table: 'cloudflare_logs',
      location: 's3://my-cf-logs/http_requests/{DATE}',
    });

    expect(CLOUDFLARE_TABLE_COLUMNS.slice(0, 4)).toEqual([
      { name: 'EdgeStartTimestamp', type: 'bigint' },
      { name: 'EdgeEndTimestamp', type: 'bigint' },
      { name: 'EdgeResponseStatus', type: 'int' },
      { name: 'OriginResponseStatus', type: 'int' },
    ]);
    expect(ddl).toContain('CREATE EXTERNAL TABLE IF NOT EXISTS `lb_logs`.`cloudflare_logs` (');
    expect(ddl).toContain('  `CacheCacheStatus` STRING,');
    expect(ddl).toContain('  `ClientRequestURI` STRING,');
    expect(ddl).toContain('PARTITIONED BY (`day` STRING)');
    expect(ddl).toContain("ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'");
    expect(ddl).toContain("WITH SERDEPROPERTIES ('ignore.malformed.json' = 'true')");
    expect(ddl).toContain("LOCATION 's3://my-cf-logs/http_requests/'");
    expect(ddl).toContain('"projection.day.format" = "yyyyMMdd"');
    expect(ddl).toContain('"projection.day.range" = "20220101,NOW"');
    expect(ddl).toContain('"storage.location.template" = "s3://my-cf-logs/http_requests/${day}/"');
    expect(() => cloudflareTableDdl({ database: 'lb_logs', table: 'bad-name', location: 's3://b/' })).toThrow(
      /edgeTable/,
    );
    expect(() =>
      cloudflareTableDdl({ database: 'lb_logs', table: 'cf', location: 's3://b/', firstDay: '2026-01-01' }),
    ).toThrow(/yyyyMMdd/);
  });
});
