/**
 * A DuckDB table shaped as the AWS Athena table for CloudFront standard logs
 * (src/sources/athena/cloudfront-table-ddl.ts), loaded from the simulator's CloudFront files as
 * LazySimpleSerDe reads them: each file's two header lines skipped, fields split on tabs, a
 * value that does not parse as its column's type NULL, missing trailing fields NULL. It has the
 * DuckAlbTable shape the Athena stand-in takes; the table is not partitioned, so its one
 * "partition" is every file (what Athena scans).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import {
  CLOUDFRONT_TABLE_COLUMNS,
  type CloudFrontColumnType,
} from '../../../src/sources/athena/cloudfront-table-ddl.js';
import { ATHENA_SHIM_MACROS, type DuckAlbTable } from '../../support/duckdb-alb-table.js';

const DUCKDB_TYPES: Record<CloudFrontColumnType, string> = {
  date: 'DATE',
  string: 'VARCHAR',
  int: 'INTEGER',
  bigint: 'BIGINT',
  float: 'FLOAT',
};

export async function loadDuckCloudFrontTable(root: string, database: string, table: string): Promise<DuckAlbTable> {
  const instance = await DuckDBInstance.create(':memory:', { threads: '2' });
  const connection = await instance.connect();
  for (const macro of ATHENA_SHIM_MACROS) await connection.run(macro);
  await connection.run(`CREATE SCHEMA "${database}"`);
  const names = CLOUDFRONT_TABLE_COLUMNS.map((c) => `"${c.name}"`);
  await connection.run(`CREATE TABLE "${database}".staging (${names.map((n) => `${n} VARCHAR`).join(', ')})`);
  const appender = await connection.createAppender('staging', database);
  let bytes = 0;
  let rows = 0;
  for (const file of readdirSync(root)
    .filter((name) => name.endsWith('.log'))
    .sort()) {
    const full = path.join(root, file);
    bytes += statSync(full).size;
    const lines = readFileSync(full, 'utf8').split('\n').slice(2);
    for (const line of lines) {
      if (line === '') continue;
      const fields = line.split('\t');
      for (let i = 0; i < CLOUDFRONT_TABLE_COLUMNS.length; i++) {
        const value = fields[i];
        if (value === undefined) appender.appendNull();
        else appender.appendVarchar(value);
      }
      appender.endRow();
      rows++;
    }
  }
  appender.closeSync();
  const typed = CLOUDFRONT_TABLE_COLUMNS.map((c) =>
    c.type === 'string' ? `"${c.name}"` : `TRY_CAST("${c.name}" AS ${DUCKDB_TYPES[c.type]}) AS "${c.name}"`,
  );
  await connection.run(
    `CREATE TABLE "${database}"."${table}" AS SELECT ${typed.join(', ')} FROM "${database}".staging`,
  );
  connection.closeSync();
  return {
    instance,
    database,
    table,
    partitionBytes: new Map([['(all)', bytes]]),
    partitionRows: new Map([['(all)', rows]]),
    rows,
    unparsedRows: 0,
    connect: () => instance.connect(),
    close: () => instance.closeSync(),
  };
}
