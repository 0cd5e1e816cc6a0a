/**
 * The Athena table for ALB access logs exactly as AWS documents it (next-capabilities.md §1.2,
 * https://docs.aws.amazon.com/athena/latest/ug/create-alb-access-logs-table-partition-projection.html):
 * the column list, the RegexSerDe regex and partition projection on `day` (yyyy/MM/dd). Pure:
 * the `athena-ddl` command prints it, and the tests build their DuckDB stand-in of the table from
 * the same columns and the same regex, so the table we query and the table users create agree.
 */

/** Hive column types as the AWS DDL spells them. */
export type HiveColumnType = 'string' | 'int' | 'bigint' | 'double';

export interface AlbTableColumn {
  name: string;
  type: HiveColumnType;
}

const column = (name: string, type: HiveColumnType = 'string'): AlbTableColumn => ({ name, type });

/** The 34 columns of the AWS DDL, in the order of the regex's capture groups. */
export const ALB_TABLE_COLUMNS: readonly AlbTableColumn[] = [
  column('type'),
  column('time'),
  column('elb'),
  column('client_ip'),
  column('client_port', 'int'),
  column('target_ip'),
  column('target_port', 'int'),
  column('request_processing_time', 'double'),
  column('target_processing_time', 'double'),
  column('response_processing_time', 'double'),
  column('elb_status_code', 'int'),
  column('target_status_code'),
  column('received_bytes', 'bigint'),
  column('sent_bytes', 'bigint'),
  column('request_verb'),
  column('request_url'),
  column('request_proto'),
  column('user_agent'),
  column('ssl_cipher'),
  column('ssl_protocol'),
  column('target_group_arn'),
  column('trace_id'),
  column('domain_name'),
  column('chosen_cert_arn'),
  column('matched_rule_priority'),
  column('request_creation_time'),
  column('actions_executed'),
  column('redirect_url'),
  column('lambda_error_reason'),
  column('target_port_list'),
  column('target_status_code_list'),
  column('classification'),
  column('classification_reason'),
  column('conn_trace_id'),
];

/** The partition column: the S3 folder yyyy/MM/dd, i.e. the day the 5-minute file was DELIVERED. */
export const ALB_PARTITION_COLUMN: AlbTableColumn = column('day');

/**
 * AWS's `input.regex`, as written inside the DDL (a Hive string literal: `\"` is a quote, `\\s`
 * is `\s`). The tail `?([^ ]*)? ?( .*)?` takes conn_trace_id when present and tolerates the
 * fields ALB appends later (transformed_host, …); its 35th group is not a column. A line that
 * does not match becomes a row whose columns are all NULL — Athena counts it as a row.
 */
export const ALB_INPUT_REGEX_HIVE =
  '([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*):([0-9]*) ([^ ]*)[:-]([0-9]*) ([-.0-9]*) ([-.0-9]*) ([-.0-9]*) (|[-0-9]*) (-|[-0-9]*) ([-0-9]*) ([-0-9]*) ' +
  '\\"([^ ]*) (.*) (- |[^ ]*)\\" \\"([^\\"]*)\\" ([A-Z0-9-_]+) ([A-Za-z0-9.-]*) ([^ ]*) \\"([^\\"]*)\\" \\"([^\\"]*)\\" \\"([^\\"]*)\\" ' +
  '([-.0-9]*) ([^ ]*) \\"([^\\"]*)\\" \\"([^\\"]*)\\" \\"([^ ]*)\\" \\"([^\\\\s]+?)\\" \\"([^\\\\s]+)\\" \\"([^ ]*)\\" \\"([^ ]*)\\" ?([^ ]*)? ?( .*)?';

/**
 * The same regex as a pattern for V8 or RE2 (the Hive literal unescaped, as next-capabilities
 * §1.2 says). RegexSerDe uses Java's `Matcher.matches()`: the whole line must match, so callers
 * anchor it (`^…$`) or use a full-match function.
 */
export function albInputRegex(): string {
  return ALB_INPUT_REGEX_HIVE.replaceAll('\\"', '"').replaceAll('\\\\s', '\\s');
}

export interface AlbTableLocation {
  /** Bucket name, without s3://. */
  bucket: string;
  /** The logging prefix configured on the load balancer ("" for none), without slashes at the ends. */
  prefix: string;
  /** 12-digit AWS account id that owns the load balancer. */
  account: string;
  region: string;
}

export interface AlbTableDdlInput extends AlbTableLocation {
  database: string;
  table: string;
  /** First day partition projection generates, yyyy/MM/dd. AWS's example uses 2022/01/01. */
  firstDay?: string;
}

/** s3://bucket/prefix/AWSLogs/<account>/elasticloadbalancing/<region>/ — the folder above yyyy/mm/dd. */
export function albLogsLocation(location: AlbTableLocation): string {
  const prefix = location.prefix === '' ? '' : `${location.prefix}/`;
  return `s3://${location.bucket}/${prefix}AWSLogs/${location.account}/elasticloadbalancing/${location.region}/`;
}

/** The CREATE EXTERNAL TABLE statement, ready to run in Athena (no comments: the console and the CLI take it as is). */
export function buildAlbTableDdl(input: AlbTableDdlInput): string {
  const location = albLogsLocation(input);
  const columns = ALB_TABLE_COLUMNS.map(
    (c, i) => `  ${c.name} ${c.type}${i < ALB_TABLE_COLUMNS.length - 1 ? ',' : ''}`,
  );
  return [
    `CREATE EXTERNAL TABLE IF NOT EXISTS ${input.database}.${input.table} (`,
    ...columns,
    ')',
    `PARTITIONED BY (${ALB_PARTITION_COLUMN.name} string)`,
    "ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.RegexSerDe'",
    'WITH SERDEPROPERTIES (',
    "  'serialization.format' = '1',",
    `  'input.regex' = '${ALB_INPUT_REGEX_HIVE}'`,
    ')',
    `LOCATION '${location}'`,
    'TBLPROPERTIES (',
    '  "projection.enabled" = "true",',
    '  "projection.day.type" = "date",',
    `  "projection.day.range" = "${input.firstDay ?? '2022/01/01'},NOW",`,
    '  "projection.day.format" = "yyyy/MM/dd",',
    '  "projection.day.interval" = "1",',
    '  "projection.day.interval.unit" = "DAYS",',
    `  "storage.location.template" = "${location}\${day}"`,
    ');',
    '',
  ].join('\n');
}
