/**
 * The Athena table for Cloudflare Logpush `http_requests` in S3: one JSON object per line (the
 * default `ndjson` output), read with the OpenX JSON SerDe as Athena documents for JSON logs
 * (`org.openx.data.jsonserde.JsonSerDe`; keys match columns case-insensitively, a key a job does
 * not send is NULL, and `ignore.malformed.json` makes a cut line or the ownership-challenge file a
 * row of NULLs instead of a failed query). Only the fields the edge view reads are declared
 * (src/parsers/cloudflare-line.ts); the SerDe skips the others.
 *
 * Timestamps are BIGINT: Logpush's default `timestamp_format` is `unixnano` (integers), and
 * `unix` (seconds) is an integer too; the query reads either by magnitude, as the files parser
 * does. A job with `timestamp_format: rfc3339` writes strings, which a BIGINT column cannot hold:
 * such a job must go back to `unixnano` (or `unix`) for Athena (docs/athena.md §7).
 *
 * Partitioned by `day`, projected: Logpush replaces `{DATE}` in the destination path with the
 * batch's UTC date as YYYYMMDD ("s3://bucket/logs/{DATE}" → logs/20260618/20260618T194000Z_…
 * .log.gz), so the query reads only the window's day folders (day-partitions.ts).
 */
import { assertIdentifier } from './athena-config.js';

export type CloudflareColumnType = 'string' | 'int' | 'bigint';

export interface CloudflareColumn {
  name: string;
  type: CloudflareColumnType;
}

/** Logpush field names, as the job's field_names lists them. */
export const CLOUDFLARE_TABLE_COLUMNS: readonly CloudflareColumn[] = [
  { name: 'EdgeStartTimestamp', type: 'bigint' },
  { name: 'EdgeEndTimestamp', type: 'bigint' },
  { name: 'EdgeResponseStatus', type: 'int' },
  { name: 'OriginResponseStatus', type: 'int' },
  { name: 'CacheCacheStatus', type: 'string' },
  { name: 'ClientRequestHost', type: 'string' },
  { name: 'ClientRequestMethod', type: 'string' },
  { name: 'ClientRequestURI', type: 'string' },
  { name: 'ClientRequestPath', type: 'string' },
  { name: 'EdgeColoCode', type: 'string' },
  { name: 'RayID', type: 'string' },
  { name: 'OriginResponseDurationMs', type: 'bigint' },
  { name: 'OriginResponseTime', type: 'bigint' },
  { name: 'ClientIP', type: 'string' },
  { name: 'EdgeServerIP', type: 'string' },
  { name: 'OriginIP', type: 'string' },
];

/** The partition column: the `{DATE}` folder, yyyyMMdd. */
export const CLOUDFLARE_PARTITION_COLUMN: CloudflareColumn = { name: 'day', type: 'string' };

export interface CloudflareTableDdlInput {
  database: string;
  table: string;
  /** The destination path up to `{DATE}`: s3://bucket/prefix/ (Logpush's destination_conf without `{DATE}` and the query string). */
  location: string;
  /** First day partition projection generates, yyyyMMdd. */
  firstDay?: string;
}

/** The CREATE EXTERNAL TABLE statement for `database.table` over `location`'s day folders. */
export function cloudflareTableDdl(input: CloudflareTableDdlInput): string {
  assertIdentifier(input.database, 'aws.athena.database');
  assertIdentifier(input.table, 'aws.athena.edgeTable');
  if (input.firstDay !== undefined && !/^\d{8}$/.test(input.firstDay))
    throw new RangeError(`firstDay must be yyyyMMdd, got ${JSON.stringify(input.firstDay)}`);
  const base = input.location
    .replaceAll("'", '')
    .replaceAll('"', '')
    .replace(/\{DATE\}\/?$/, '');
  const location = base.endsWith('/') ? base : `${base}/`;
  const columns = CLOUDFLARE_TABLE_COLUMNS.map((c) => `  \`${c.name}\` ${c.type.toUpperCase()}`).join(',\n');
  return [
    `CREATE EXTERNAL TABLE IF NOT EXISTS \`${input.database}\`.\`${input.table}\` (`,
    columns,
    ')',
    `PARTITIONED BY (\`${CLOUDFLARE_PARTITION_COLUMN.name}\` STRING)`,
    "ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'",
    "WITH SERDEPROPERTIES ('ignore.malformed.json' = 'true')",
    `LOCATION '${location}'`,
    'TBLPROPERTIES (',
    '  "projection.enabled" = "true",',
    '  "projection.day.type" = "date",',
    `  "projection.day.range" = "${input.firstDay ?? '20220101'},NOW",`,
    '  "projection.day.format" = "yyyyMMdd",',
    '  "projection.day.interval" = "1",',
    '  "projection.day.interval.unit" = "DAYS",',
    `  "storage.location.template" = "${location}\${day}/"`,
    ')',
  ].join('\n');
}
