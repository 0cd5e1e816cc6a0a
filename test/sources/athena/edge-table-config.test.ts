/** aws.athena.edgeTable: validated like the ALB table, planned as the edge view's provider, granted in IAM. */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config.js';
import { describePlan, planEvidence } from '../../../src/engine/evidence-plan.js';
import { AthenaConfigSchema } from '../../../src/sources/athena/athena-config.js';
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
