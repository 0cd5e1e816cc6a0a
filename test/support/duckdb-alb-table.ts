/**
 * A DuckDB table shaped exactly as the AWS Athena table for ALB access logs: the DDL's 34
 * columns with their Hive types (src/sources/athena/alb-table-ddl.ts) plus the `day` partition,
 * loaded from ALB log files in their S3 layout (…/yyyy/mm/dd/*.log.gz: `day` is that folder,
 * the file's DELIVERY date). The Athena SQL of templates/queries/ then runs on it unchanged.
 *
 * Rows are made as Athena's RegexSerDe makes them, from the DDL's own regex: a line that matches
 * gives its capture groups, converted per column type (a value that does not parse, such as "-"
 * in an int column, is NULL); a line that does not match gives a row whose columns are ALL NULL
 * (next-capabilities §1.2). DuckDB's read_csv (next-capabilities §2.3) would be faster, but it
 * cannot give that: it drops the quotes the regex requires (pre-2021 lines with unquoted lists
 * would parse), a stray quote can swallow the lines after it, and RE2 extracting 34 groups costs
 * ~140 µs a line here against ~12 µs for V8. So the regex runs in V8 and DuckDB gets typed rows.
 *
 * DuckDB lacks four functions the SQL may use; the documented shims (next-capabilities §2.2)
 * are created here: regexp_like, approx_percentile, from_iso8601_timestamp, from_unixtime.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { type DuckDBAppender, type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import {
  ALB_PARTITION_COLUMN,
  ALB_TABLE_COLUMNS,
  albInputRegex,
  type HiveColumnType,
} from '../../src/sources/athena/alb-table-ddl.js';

export interface DuckAlbTable {
  instance: DuckDBInstance;
  database: string;
  table: string;
  /** Compressed bytes of the log files in each day partition ("2026/06/18" → bytes): what Athena scans. */
  partitionBytes: ReadonlyMap<string, number>;
  /** Rows per day partition. */
  partitionRows: ReadonlyMap<string, number>;
  /** Rows in the table, and of those, rows the regex could not parse (all columns NULL). */
  rows: number;
  unparsedRows: number;
  connect(): Promise<DuckDBConnection>;
  close(): void;
}

export interface DuckAlbTableOptions {
  database?: string;
  table?: string;
}

const DUCKDB_TYPES: Record<HiveColumnType, string> = {
  string: 'VARCHAR',
  int: 'INTEGER',
  bigint: 'BIGINT',
  double: 'DOUBLE',
};

export const ATHENA_SHIM_MACROS = [
  'CREATE OR REPLACE MACRO regexp_like(s, p) AS regexp_matches(s, p)',
  'CREATE OR REPLACE MACRO approx_percentile(x, p) AS approx_quantile(x, p)',
  'CREATE OR REPLACE MACRO from_iso8601_timestamp(s) AS CAST(s AS TIMESTAMPTZ)',
  // Trino's from_unixtime gives a timestamp in the session zone (UTC on Athena): here one without a
  // zone, so its text does not depend on the machine's TZ.
  'CREATE OR REPLACE MACRO from_unixtime(s) AS make_timestamp(CAST(s * 1000000 AS BIGINT))',
];

/** Loads every .log / .log.gz under `roots` (S3 layout) into `database.table` of a new in-memory DuckDB. */
export async function loadDuckAlbTable(
  roots: readonly string[],
  options: DuckAlbTableOptions = {},
): Promise<DuckAlbTable> {
  const database = options.database ?? 'lb_logs';
  const table = options.table ?? 'alb_access_logs';
  const instance = await DuckDBInstance.create(':memory:', { threads: '2' });
  const connection = await instance.connect();
  for (const macro of ATHENA_SHIM_MACROS) await connection.run(macro);
  await connection.run(`CREATE SCHEMA "${database}"`);
  const columns = [...ALB_TABLE_COLUMNS, ALB_PARTITION_COLUMN].map((c) => `"${c.name}" ${DUCKDB_TYPES[c.type]}`);
  await connection.run(`CREATE TABLE "${database}"."${table}" (${columns.join(', ')})`);
  const appender = await connection.createAppender(table, database);
  const partitionBytes = new Map<string, number>();
  const partitionRows = new Map<string, number>();
  const lineRegex = new RegExp(`^${albInputRegex()}$`);
  let rows = 0;
  let unparsedRows = 0;
  for (const file of roots.flatMap((root) => logFilesUnder(root))) {
    const day = dayPartitionOf(file);
    partitionBytes.set(day, (partitionBytes.get(day) ?? 0) + statSync(file).size);
    for (const line of linesOf(file)) {
      const match = lineRegex.exec(line);
      appendRow(appender, match, day);
      rows++;
      if (!match) unparsedRows++;
      partitionRows.set(day, (partitionRows.get(day) ?? 0) + 1);
    }
  }
  appender.closeSync();
  connection.closeSync();
  return {
    instance,
    database,
    table,
    partitionBytes,
    partitionRows,
    rows,
    unparsedRows,
    connect: () => instance.connect(),
    close: () => instance.closeSync(),
  };
}

/** One row as RegexSerDe makes it: the groups converted per type, or every column NULL. */
function appendRow(appender: DuckDBAppender, match: RegExpExecArray | null, day: string): void {
  for (const [i, { type }] of ALB_TABLE_COLUMNS.entries()) {
    const text = match?.[i + 1];
    const value = text === undefined ? null : convert(text, type);
    if (value === null) appender.appendNull();
    else if (type === 'int') appender.appendInteger(value as number);
    else if (type === 'bigint') appender.appendBigInt(value as bigint);
    else if (type === 'double') appender.appendDouble(value as number);
    else appender.appendVarchar(value as string);
  }
  appender.appendVarchar(day);
  appender.endRow();
}

const INTEGER_TEXT = /^[+-]?\d+$/;
const DECIMAL_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)$/;

/** Java's Integer.valueOf / Long.valueOf / Double.valueOf, with NULL where they would throw. */
function convert(text: string, type: HiveColumnType): string | number | bigint | null {
  switch (type) {
    case 'string':
      return text;
    case 'int': {
      if (!INTEGER_TEXT.test(text)) return null;
      const value = Number(text);
      return value >= -(2 ** 31) && value < 2 ** 31 ? value : null;
    }
    case 'bigint': {
      if (!INTEGER_TEXT.test(text)) return null;
      const value = BigInt(text);
      return value >= -(2n ** 63n) && value < 2n ** 63n ? value : null;
    }
    case 'double':
      return DECIMAL_TEXT.test(text) ? Number(text) : null;
  }
}

/** "…/2026/06/18/file.log.gz" → "2026/06/18". */
export function dayPartitionOf(file: string): string {
  const match = /(\d{4})[\\/](\d{2})[\\/](\d{2})[\\/][^\\/]+$/.exec(file);
  if (!match) throw new Error(`${file} is not in a yyyy/mm/dd folder (the S3 layout of ALB logs)`);
  return `${match[1]}/${match[2]}/${match[3]}`;
}

function logFilesUnder(root: string): string[] {
  if (statSync(root).isFile()) return [root];
  return readdirSync(root, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => {
      const full = path.join(root, entry.name);
      if (entry.isDirectory()) return logFilesUnder(full);
      return /\.log(\.gz)?$/.test(entry.name) ? [full] : [];
    });
}

function linesOf(file: string): string[] {
  const bytes = readFileSync(file);
  const text = (file.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
  return text.split('\n').filter((line) => line !== '');
}
