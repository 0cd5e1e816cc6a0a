/**
 * A DuckDB table shaped as the Athena table for Cloudflare Logpush http_requests
 * (src/sources/athena/cloudflare-table-ddl.ts), loaded from NDJSON files as the OpenX JSON SerDe
 * reads them: keys matched to columns case-insensitively, a key the line lacks NULL, a value that
 * is not a number in an INT/BIGINT column NULL, a number in a STRING column its text, and (with
 * `ignore.malformed.json`) a line that is not a JSON object a row of NULLs. Integers keep every
 * digit (unixnano timestamps pass 2^53), as Hive's BIGINT does.
 *
 * `day` is the {DATE} folder a file sits in (yyyyMMdd); the simulator writes one flat folder of
 * hourly files ("http_requests.2026-06-18-19.ndjson"), so there the day comes from the name.
 * It has the DuckAlbTable shape the Athena stand-in takes, one "partition" per day.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import {
  CLOUDFLARE_PARTITION_COLUMN,
  CLOUDFLARE_TABLE_COLUMNS,
  type CloudflareColumnType,
} from '../../../src/sources/athena/cloudflare-table-ddl.js';
import { ATHENA_SHIM_MACROS, type DuckAlbTable } from '../../support/duckdb-alb-table.js';

const DUCKDB_TYPES: Record<CloudflareColumnType, string> = { string: 'VARCHAR', int: 'INTEGER', bigint: 'BIGINT' };

/**
 * `beside`: load into that table's DuckDB (same database), so that one Athena stand-in serves
 * both the ALB table and this one; the instance stays the other table's to close.
 */
export async function loadDuckCloudflareTable(
  root: string,
  database: string,
  table: string,
  beside?: DuckAlbTable,
): Promise<DuckAlbTable> {
  const instance = beside?.instance ?? (await DuckDBInstance.create(':memory:', { threads: '2' }));
  const connection = await instance.connect();
  for (const macro of ATHENA_SHIM_MACROS) await connection.run(macro);
  await connection.run(`CREATE SCHEMA IF NOT EXISTS "${database}"`);
  const names = [...CLOUDFLARE_TABLE_COLUMNS, CLOUDFLARE_PARTITION_COLUMN].map((c) => `"${c.name}"`);
  const staging = `${table}_staging`;
  await connection.run(`CREATE TABLE "${database}"."${staging}" (${names.map((n) => `${n} VARCHAR`).join(', ')})`);
  const appender = await connection.createAppender(staging, database);
  const partitionBytes = new Map<string, number>();
  const partitionRows = new Map<string, number>();
  let rows = 0;
  let unparsedRows = 0;
  for (const { file, day } of ndjsonFiles(root)) {
    partitionBytes.set(day, (partitionBytes.get(day) ?? 0) + statSync(file).size);
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (line.trim() === '') continue;
      const values = serdeValues(line);
      if (values === null) unparsedRows++;
      for (const value of values ?? CLOUDFLARE_TABLE_COLUMNS.map(() => null)) {
        if (value === null) appender.appendNull();
        else appender.appendVarchar(value);
      }
      appender.appendVarchar(day);
      appender.endRow();
      partitionRows.set(day, (partitionRows.get(day) ?? 0) + 1);
      rows++;
    }
  }
  appender.closeSync();
  const typed = [...CLOUDFLARE_TABLE_COLUMNS, CLOUDFLARE_PARTITION_COLUMN].map((c) =>
    c.type === 'string' ? `"${c.name}"` : `TRY_CAST("${c.name}" AS ${DUCKDB_TYPES[c.type]}) AS "${c.name}"`,
  );
  await connection.run(
    `CREATE TABLE "${database}"."${table}" AS SELECT ${typed.join(', ')} FROM "${database}"."${staging}"`,
  );
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
    close: () => (beside ? undefined : instance.closeSync()),
  };
}

/** Every .ndjson / .log file under `root` with its day: a yyyyMMdd folder, else the date in the name. */
function ndjsonFiles(root: string): { file: string; day: string }[] {
  const found: { file: string; day: string }[] = [];
  const walk = (dir: string, folderDay: string | null) => {
    for (const name of readdirSync(dir).sort()) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full, /^\d{8}$/.test(name) ? name : folderDay);
      else if (/\.(ndjson|log)$/.test(name)) {
        const fromName = /(\d{4})-(\d{2})-(\d{2})/.exec(name);
        found.push({ file: full, day: folderDay ?? (fromName ? fromName.slice(1).join('') : '(all)') });
      }
    }
  };
  walk(root, null);
  return found;
}

/** The columns' values as text, as the SerDe would give them; null for a line that is not a JSON object. */
function serdeValues(line: string): (string | null)[] | null {
  let entry: unknown;
  try {
    entry = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return null;
  const byLowerKey = new Map(Object.entries(entry).map(([key, value]) => [key.toLowerCase(), { key, value }]));
  return CLOUDFLARE_TABLE_COLUMNS.map((column) => {
    const found = byLowerKey.get(column.name.toLowerCase());
    if (found === undefined || found.value === null) return null;
    const { key, value } = found;
    if (column.type === 'string')
      return typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
    if (typeof value === 'number') return rawInteger(line, key) ?? (Number.isInteger(value) ? String(value) : null);
    if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return value.trim();
    return null;
  });
}

/** The digits of a top-level integer as written (JSON.parse would round a unixnano value). */
function rawInteger(line: string, key: string): string | null {
  const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`"${escaped}"\\s*:\\s*(-?\\d+)(?=\\s*[,}])`).exec(line)?.[1] ?? null;
}
