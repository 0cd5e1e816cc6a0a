/**
 * `why502 athena-ddl`: prints the CREATE EXTERNAL TABLE for the load balancer's access logs in
 * S3, as AWS documents it (partition projection on `day`, a regex that tolerates fields ALB adds
 * later); with `--edge`, the edge's table instead (CloudFront standard logs, or Cloudflare
 * Logpush http_requests; docs/athena.md §7). Pure string work, no AWS call: run its output in the
 * Athena console or with `aws athena start-query-execution --query-string file://table.sql`.
 */

import { type CliIo, EXIT } from '../src/cli/cli-io.js';
import { loadConfigFile } from '../src/config.js';
import { UsageError } from '../src/errors.js';
import { type AlbTableLocation, buildAlbTableDdl } from '../src/sources/athena/alb-table-ddl.js';
import { ATHENA_IDENTIFIER, EDGE_TABLE_FORMATS, type EdgeTableFormat } from '../src/sources/athena/athena-config.js';
import { cloudflareTableDdl } from '../src/sources/athena/cloudflare-table-ddl.js';
import { cloudFrontTableDdl } from '../src/sources/athena/cloudfront-table-ddl.js';

export interface AthenaDdlOptions {
  bucket?: string;
  prefix?: string;
  account?: string;
  region?: string;
  table?: string;
  database?: string;
  config?: string;
  /** Print the edge's table rather than the load balancer's. */
  edge?: boolean;
  edgeFormat?: string;
  /** The edge table's LOCATION (default: aws.athena.edgeLogLocation). */
  location?: string;
}

interface ConfiguredAthena {
  database?: string;
  table?: string;
  edgeTable?: string;
  edgeFormat?: string;
  edgeLogLocation?: string;
}

const USAGE =
  'Usage: npx why502 athena-ddl --bucket s3://my-alb-logs [--prefix prod] --account 123456789012 [--region ap-southeast-2] [--database lb_logs] [--table alb_access_logs]';
const EDGE_USAGE =
  'Usage: npx why502 athena-ddl --edge [--edge-format cloudfront|cloudflare] --location s3://my-edge-logs/prefix/ [--database lb_logs] [--table cloudflare_logs]';
const S3_LOCATION = /^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/[^\s'"]*)?$/;
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const ACCOUNT = /^\d{12}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

export async function runAthenaDdl(options: AthenaDdlOptions, io: CliIo): Promise<number> {
  const config = loadConfigFile(options.config, io.cwd ?? process.cwd())?.config;
  // aws.athena is read loosely: the block is optional, and its schema lives with the provider.
  const configured = (config?.aws as { athena?: ConfiguredAthena } | undefined)?.athena;
  if (options.edge) return printEdgeDdl(options, configured, io);
  const location = readLocation(options, config?.aws?.region ?? io.env.AWS_REGION ?? io.env.AWS_DEFAULT_REGION);
  const database = identifier('--database', options.database ?? configured?.database ?? 'lb_logs');
  const table = identifier('--table', options.table ?? configured?.table ?? 'alb_access_logs');
  io.stdout.write(buildAlbTableDdl({ ...location, database, table }));
  return EXIT.ok;
}

function printEdgeDdl(options: AthenaDdlOptions, configured: ConfiguredAthena | undefined, io: CliIo): number {
  const format = options.edgeFormat ?? configured?.edgeFormat ?? 'cloudfront';
  if (!(EDGE_TABLE_FORMATS as readonly string[]).includes(format))
    throw new UsageError(
      `--edge-format ${JSON.stringify(format)} must be one of ${EDGE_TABLE_FORMATS.join(', ')}.`,
      EDGE_USAGE,
    );
  const location = options.location ?? configured?.edgeLogLocation;
  if (!location)
    throw new UsageError(
      'athena-ddl --edge needs --location (or aws.athena.edgeLogLocation): where the edge writes its logs, e.g. s3://my-cf-logs/http_requests/.',
      EDGE_USAGE,
    );
  if (!S3_LOCATION.test(location))
    throw new UsageError(
      `--location ${JSON.stringify(location)} is not an S3 location like s3://bucket/prefix/.`,
      EDGE_USAGE,
    );
  const database = identifier('--database', options.database ?? configured?.database ?? 'lb_logs', EDGE_USAGE);
  const table = identifier(
    '--table',
    options.table ?? configured?.edgeTable ?? (format === 'cloudflare' ? 'cloudflare_logs' : 'cloudfront_logs'),
    EDGE_USAGE,
  );
  const ddl =
    (format as EdgeTableFormat) === 'cloudflare'
      ? cloudflareTableDdl({ database, table, location })
      : cloudFrontTableDdl(database, table, location);
  io.stdout.write(`${ddl};\n`);
  return EXIT.ok;
}

/**
 * The S3 location from the flags. --bucket may be just the bucket, or a whole path as copied
 * from the console (s3://bucket/prefix/AWSLogs/123456789012/elasticloadbalancing/ap-southeast-2/…),
 * in which case the prefix, account and region come from it.
 */
function readLocation(options: AthenaDdlOptions, defaultRegion: string | undefined): AlbTableLocation {
  if (!options.bucket)
    throw new UsageError(
      'athena-ddl needs --bucket: the S3 bucket the load balancer writes its access logs to.',
      USAGE,
    );
  const path = options.bucket.replace(/^s3:\/\//, '');
  const slash = path.indexOf('/');
  const bucket = slash === -1 ? path : path.slice(0, slash);
  if (!BUCKET.test(bucket))
    throw new UsageError(
      `--bucket ${JSON.stringify(bucket)} is not an S3 bucket name (3–63 lower-case letters, digits, "." and "-").`,
      USAGE,
    );
  const fromPath = splitLogPath(slash === -1 ? '' : path.slice(slash + 1));
  const prefix = agree('--prefix', trimSlashes(options.prefix), fromPath.prefix) ?? '';
  if (prefix.includes('AWSLogs'))
    throw new UsageError('--prefix is the part before AWSLogs/ (AWS does not allow "AWSLogs" in the prefix).', USAGE);
  const account = agree('--account', options.account, fromPath.account);
  if (!account)
    throw new UsageError(
      'athena-ddl needs --account: the 12-digit AWS account id in the log path (AWSLogs/<account>/elasticloadbalancing/…).',
      USAGE,
    );
  if (!ACCOUNT.test(account))
    throw new UsageError(`--account ${JSON.stringify(account)} is not a 12-digit AWS account id.`, USAGE);
  const region = agree('--region', options.region, fromPath.region) ?? defaultRegion;
  if (!region)
    throw new UsageError(
      "athena-ddl needs --region (or aws.region in why502.yml, or AWS_REGION): the load balancer's region.",
      USAGE,
    );
  if (!REGION.test(region))
    throw new UsageError(`--region ${JSON.stringify(region)} is not an AWS region like ap-southeast-2.`, USAGE);
  return { bucket, prefix, account, region };
}

/** "prod/AWSLogs/123456789012/elasticloadbalancing/ap-southeast-2/2026/06/18" → its parts. */
function splitLogPath(path: string): { prefix?: string; account?: string; region?: string } {
  const trimmed = trimSlashes(path) ?? '';
  const at = trimmed === 'AWSLogs' || trimmed.startsWith('AWSLogs/') ? 0 : trimmed.indexOf('/AWSLogs');
  if (at === -1) return trimmed === '' ? {} : { prefix: trimmed };
  const prefix = trimmed.slice(0, at);
  const [, account, service, region] = trimmed.slice(at === 0 ? 0 : at + 1).split('/');
  if (service !== undefined && service !== 'elasticloadbalancing') {
    throw new UsageError(
      `--bucket's path has ${JSON.stringify(service)} after the account; ALB logs are under AWSLogs/<account>/elasticloadbalancing/<region>/.`,
      USAGE,
    );
  }
  return { ...(prefix ? { prefix } : {}), ...(account ? { account } : {}), ...(region ? { region } : {}) };
}

/** The flag's value, or the one in --bucket's path; both given and different is a usage error. */
function agree(flag: string, given: string | undefined, fromPath: string | undefined): string | undefined {
  if (given !== undefined && fromPath !== undefined && given !== fromPath) {
    throw new UsageError(
      `${flag} ${JSON.stringify(given)} disagrees with ${JSON.stringify(fromPath)} in --bucket's path; give one.`,
      USAGE,
    );
  }
  return given ?? fromPath;
}

function trimSlashes(value: string | undefined): string | undefined {
  return value?.replace(/^\/+|\/+$/g, '');
}

function identifier(flag: string, value: string, usage = USAGE): string {
  if (!ATHENA_IDENTIFIER.test(value))
    throw new UsageError(`${flag} ${JSON.stringify(value)} must be letters, digits and "_" (a Glue name).`, usage);
  return value;
}
