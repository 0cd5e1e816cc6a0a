import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildAlbTableDdl } from '../../../src/sources/athena/alb-table-ddl.js';
import { cloudflareTableDdl } from '../../../src/sources/athena/cloudflare-table-ddl.js';
import { cloudFrontTableDdl } from '../../../src/sources/athena/cloudfront-table-ddl.js';
import { runCli } from '../../support/run-cli.js';

const USAGE =
  'Usage: npx why502 athena-ddl --bucket s3://my-alb-logs [--prefix prod] --account 123456789012 [--region ap-southeast-2] [--database lb_logs] [--table alb_access_logs]';
const emptyDir = () => mkdtempSync(path.join(os.tmpdir(), 'why502-ddl-'));

describe('why502 athena-ddl', () => {
  it('prints the CREATE TABLE for the bucket, prefix, account and region given, and nothing else', async () => {
    const run = await runCli(
      [
        'athena-ddl',
        '--bucket',
        's3://my-alb-logs',
        '--prefix',
        '/prod/',
        '--account',
        '123456789012',
        '--region',
        'eu-west-1',
      ],
      { cwd: emptyDir() },
    );

    expect(run).toEqual({
      code: 0,
      stdout: buildAlbTableDdl({
        bucket: 'my-alb-logs',
        prefix: 'prod',
        account: '123456789012',
        region: 'eu-west-1',
        database: 'lb_logs',
        table: 'alb_access_logs',
      }),
      stderr: '',
    });
  });

  it('reads prefix, account and region from a log path copied from the S3 console', async () => {
    const run = await runCli(
      [
        'athena-ddl',
        '--bucket',
        's3://my-alb-logs/prod/AWSLogs/123456789012/elasticloadbalancing/ap-southeast-2/2026/06/18/',
        '--table',
        'shared_alb',
      ],
      { cwd: emptyDir() },
    );

    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      buildAlbTableDdl({
        bucket: 'my-alb-logs',
        prefix: 'prod',
        account: '123456789012',
        region: 'ap-southeast-2',
        database: 'lb_logs',
        table: 'shared_alb',
      }),
    );
  });

  it("takes the region from AWS_REGION and the names from the config's aws.athena when not given", async () => {
    const cwd = emptyDir();
    writeFileSync(path.join(cwd, 'why502.yml'), 'aws:\n  region: ap-southeast-2\n');

    const fromConfig = await runCli(['athena-ddl', '--bucket', 'my-alb-logs', '--account', '123456789012'], { cwd });
    const fromEnv = await runCli(['athena-ddl', '--bucket', 'my-alb-logs', '--account', '123456789012'], {
      cwd: emptyDir(),
      env: { AWS_REGION: 'us-west-2' },
    });

    expect(fromConfig.stdout).toContain(
      "LOCATION 's3://my-alb-logs/AWSLogs/123456789012/elasticloadbalancing/ap-southeast-2/'",
    );
    expect(fromEnv.stdout).toContain(
      "LOCATION 's3://my-alb-logs/AWSLogs/123456789012/elasticloadbalancing/us-west-2/'",
    );
  });

  it("prints the edge's Cloudflare table from the config's edgeTable, edgeFormat and edgeLogLocation with --edge", async () => {
    const cwd = emptyDir();
    writeFileSync(
      path.join(cwd, 'why502.yml'),
      [
        'aws:',
        '  region: ap-southeast-2',
        '  athena:',
        '    database: edge_logs',
        '    table: alb_access_logs',
        '    workgroup: why502',
        '    edgeTable: cf_requests',
        '    edgeFormat: cloudflare',
        '    edgeLogLocation: s3://my-cf-logs/http_requests/',
        '',
      ].join('\n'),
    );

    const run = await runCli(['athena-ddl', '--edge'], { cwd });

    expect(run).toEqual({
      code: 0,
      stdout: `${cloudflareTableDdl({ database: 'edge_logs', table: 'cf_requests', location: 's3://my-cf-logs/http_requests/' })};\n`,
      stderr: '',
    });
  });

  it('prints the CloudFront table for the location given, and says what is missing without one', async () => {
    const run = await runCli(['athena-ddl', '--edge', '--location', 's3://my-cloudfront-logs/prefix/'], {
      cwd: emptyDir(),
    });
    const missing = await runCli(['athena-ddl', '--edge', '--edge-format', 'cloudflare'], { cwd: emptyDir() });
    const unknown = await runCli(['athena-ddl', '--edge', '--edge-format', 'akamai', '--location', 's3://b/'], {
      cwd: emptyDir(),
    });

    expect(run.stdout).toBe(
      `${cloudFrontTableDdl('lb_logs', 'cloudfront_logs', 's3://my-cloudfront-logs/prefix/')};\n`,
    );
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^why502: athena-ddl --edge needs --location \(or aws.athena.edgeLogLocation\)/);
    expect(unknown.stderr).toMatch(/^why502: --edge-format "akamai" must be one of cloudfront, cloudflare\./);
  });

  const usageErrors: Array<[string, string[], string]> = [
    [
      'no --bucket',
      ['--account', '123456789012', '--region', 'eu-west-1'],
      'athena-ddl needs --bucket: the S3 bucket the load balancer writes its access logs to.',
    ],
    [
      'a bucket name S3 would refuse',
      ['--bucket', 's3://My_Bucket', '--account', '123456789012', '--region', 'eu-west-1'],
      '--bucket "My_Bucket" is not an S3 bucket name (3–63 lower-case letters, digits, "." and "-").',
    ],
    [
      'no --account',
      ['--bucket', 'logs', '--region', 'eu-west-1'],
      'athena-ddl needs --account: the 12-digit AWS account id in the log path (AWSLogs/<account>/elasticloadbalancing/…).',
    ],
    [
      'an account id that is not one',
      ['--bucket', 'logs', '--account', '1234', '--region', 'eu-west-1'],
      '--account "1234" is not a 12-digit AWS account id.',
    ],
    [
      'no region anywhere',
      ['--bucket', 'logs', '--account', '123456789012'],
      "athena-ddl needs --region (or aws.region in why502.yml, or AWS_REGION): the load balancer's region.",
    ],
    [
      'a prefix holding AWSLogs',
      ['--bucket', 'logs', '--prefix', 'x/AWSLogs', '--account', '123456789012', '--region', 'eu-west-1'],
      '--prefix is the part before AWSLogs/ (AWS does not allow "AWSLogs" in the prefix).',
    ],
    [
      'a flag that disagrees with the path',
      ['--bucket', 's3://logs/AWSLogs/123456789012/elasticloadbalancing/eu-west-1/', '--region', 'us-east-1'],
      '--region "us-east-1" disagrees with "eu-west-1" in --bucket\'s path; give one.',
    ],
    [
      'a table name that is not an identifier',
      ['--bucket', 'logs', '--account', '123456789012', '--region', 'eu-west-1', '--table', 'alb-logs'],
      '--table "alb-logs" must be letters, digits and "_" (a Glue name).',
    ],
  ];
  for (const [what, args, message] of usageErrors) {
    it(`exits 2 with one line saying what to fix for ${what}`, async () => {
      const run = await runCli(['athena-ddl', ...args], { cwd: emptyDir() });

      expect(run).toEqual({ code: 2, stdout: '', stderr: `why502: ${message} ${USAGE}\n` });
    });
  }
});
