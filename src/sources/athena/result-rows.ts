import type { GetQueryResultsOutput } from '@aws-sdk/client-athena';

/** One result row by column name. Athena returns every value as text; NULL is null. */
export type AthenaRow = Record<string, string | null>;

/**
 * The rows of one GetQueryResults page. For a SELECT, the first row of the FIRST page is the
 * header (the column names) — widely relied on, not stated in the API reference
 * (next-capabilities §1.4) — so it is skipped only when it is exactly the column names. A NULL
 * comes back as a Data entry without VarCharValue.
 */
export function rowsOfPage(
  page: Pick<GetQueryResultsOutput, 'ResultSet'>,
  columns: readonly string[],
  firstPage: boolean,
): AthenaRow[] {
  const rows = page.ResultSet?.Rows ?? [];
  const values = rows.map((row) => (row.Data ?? []).map((datum) => datum.VarCharValue ?? null));
  const body = firstPage && values.length > 0 && isHeader(values[0]!, columns) ? values.slice(1) : values;
  return body.map((row) => Object.fromEntries(columns.map((name, i) => [name, row[i] ?? null])));
}

/** The column names of a page (every page carries the metadata; the first one is used). */
export function columnsOfPage(page: Pick<GetQueryResultsOutput, 'ResultSet'>): string[] {
  return (page.ResultSet?.ResultSetMetadata?.ColumnInfo ?? []).map((column) => column.Name ?? '');
}

function isHeader(row: readonly (string | null)[], columns: readonly string[]): boolean {
  return row.length === columns.length && row.every((value, i) => value === columns[i]);
}
