/**
 * The Athena table for CloudFront standard logs as AWS documents it (Athena User Guide, "Create
 * a table for CloudFront standard logs"): the 33 fields of the current `#Fields` line
 * (src/parsers/cloudfront-line.ts CLOUDFRONT_FIELDS) with "-"/"(" turned into "_", tab-delimited,
 * the two header lines of each file skipped. Not partitioned: CloudFront writes every file under
 * one prefix, so there is no folder per day to project.
 */
import { CLOUDFRONT_FIELDS } from '../../parsers/cloudfront-line.js';
import { assertIdentifier } from './athena-config.js';

export type CloudFrontColumnType = 'date' | 'string' | 'int' | 'bigint' | 'float';

export interface CloudFrontColumn {
  name: string;
  type: CloudFrontColumnType;
}

/** AWS's names for the fields whose W3C names do not map one to one. */
const RENAMED: Record<string, string> = {
  'cs(Host)': 'cs_host',
  'cs(Referer)': 'cs_referrer',
  'cs(User-Agent)': 'cs_user_agent',
  'cs(Cookie)': 'cs_cookie',
};

const TYPES: Record<string, CloudFrontColumnType> = {
  date: 'date',
  sc_bytes: 'bigint',
  sc_status: 'int',
  cs_bytes: 'bigint',
  time_taken: 'float',
  fle_encrypted_fields: 'int',
  c_port: 'int',
  time_to_first_byte: 'float',
  sc_content_len: 'bigint',
  sc_range_start: 'bigint',
  sc_range_end: 'bigint',
};

export const CLOUDFRONT_TABLE_COLUMNS: readonly CloudFrontColumn[] = CLOUDFRONT_FIELDS.map((field) => {
  const name = RENAMED[field] ?? field.replaceAll('-', '_');
  return { name, type: TYPES[name] ?? 'string' };
});

/** The CREATE EXTERNAL TABLE statement for `database.table` over `location` (s3://bucket/prefix/). */
export function cloudFrontTableDdl(database: string, table: string, location: string): string {
  assertIdentifier(database, 'aws.athena.database');
  assertIdentifier(table, 'aws.athena.edgeTable');
  const columns = CLOUDFRONT_TABLE_COLUMNS.map((c) => `  \`${c.name}\` ${c.type.toUpperCase()}`).join(',\n');
  return [
    `CREATE EXTERNAL TABLE IF NOT EXISTS \`${database}\`.\`${table}\` (`,
    columns,
    ')',
    'ROW FORMAT DELIMITED',
    "FIELDS TERMINATED BY '\\t'",
    `LOCATION '${location.replaceAll("'", '')}'`,
    "TBLPROPERTIES ('skip.header.line.count' = '2')",
  ].join('\n');
}
