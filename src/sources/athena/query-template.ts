/**
 * The Athena SQL of templates/queries/*.sql, made ready to send: comment lines dropped, the
 * table put in as validated, quoted identifiers, and every `:name` replaced by `?` with its value
 * moved to ExecutionParameters as a SQL literal (quotes doubled). Values never enter the text.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { findAssetRoot } from '../../core/asset-root.js';
import { ConfigError } from '../../errors.js';
import { assertIdentifier } from './athena-config.js';

export const QUERY_TEMPLATE_DIR = path.join(findAssetRoot(import.meta.url), 'templates', 'queries');

export type QueryTemplateName =
  | 'alb-counts'
  | 'alb-samples'
  | 'alb-hourly'
  | 'edge-cloudfront-counts'
  | 'edge-cloudflare-counts';

/** A value for a `:name` marker. Strings become quoted literals; numbers must be finite. */
export type SqlValue = string | number;

export interface BoundQuery {
  /** The text sent to Athena (and, in tests, to DuckDB): one `?` per marker. */
  queryString: string;
  /** One SQL literal per `?`, in order. */
  executionParameters: string[];
}

/** The API's limit on one ExecutionParameter (botocore model: 1–1,024 characters). */
const MAX_PARAMETER_CHARS = 1024;
const MARKER = /:([a-z][a-z0-9_]*)/g;

const templates = new Map<QueryTemplateName, string>();

/** The template as stored, comments included; read once per process. */
export function loadQueryTemplate(name: QueryTemplateName): string {
  let text = templates.get(name);
  if (text === undefined) {
    text = readFileSync(path.join(QUERY_TEMPLATE_DIR, `${name}.sql`), 'utf8');
    templates.set(name, text);
  }
  return text;
}

/**
 * Fills a template. Throws ConfigError for a table name that is not a plain identifier, or a
 * value that cannot be sent (missing, not finite, longer than the API allows).
 */
export function bindQuery(
  template: string,
  table: { database: string; table: string },
  values: Readonly<Record<string, SqlValue>>,
): BoundQuery {
  const body = template
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.trimStart().startsWith('--'))
    .join('\n');
  assertNoInlineComments(body);
  const withTable = body.replaceAll(
    '{{table}}',
    `${quoteIdentifier(table.database, 'aws.athena.database')}.${quoteIdentifier(table.table, 'aws.athena.table')}`,
  );
  const executionParameters: string[] = [];
  const queryString = withTable.replace(MARKER, (_whole, name: string) => {
    const value = values[name];
    if (value === undefined)
      throw new ConfigError(`The Athena query template has a value :${name} that the code does not supply.`);
    executionParameters.push(sqlLiteral(value, name));
    return '?';
  });
  return { queryString, executionParameters };
}

/** A SQL literal: a string in single quotes with quotes doubled, or a finite number. */
export function sqlLiteral(value: SqlValue, name = 'value'): string {
  const literal = typeof value === 'number' ? numberLiteral(value, name) : `'${value.replaceAll("'", "''")}'`;
  if (literal.length > MAX_PARAMETER_CHARS) {
    throw new ConfigError(
      `The Athena query value :${name} is ${literal.length} characters; Athena takes at most ${MAX_PARAMETER_CHARS}.`,
    );
  }
  return literal;
}

function numberLiteral(value: number, name: string): string {
  if (!Number.isFinite(value))
    throw new ConfigError(`The Athena query value :${name} must be a finite number, got ${value}.`);
  return String(value);
}

function quoteIdentifier(name: string, key: string): string {
  assertIdentifier(name, key);
  return `"${name}"`;
}

/**
 * Markers are found by a plain scan, so the template must not hide a ":" or "--" inside a string
 * literal or after code on a line: checked here, once per query, rather than trusted.
 */
function assertNoInlineComments(body: string): void {
  const literals = body.match(/'[^']*'/g) ?? [];
  const outside = body.replace(/'[^']*'/g, "''");
  if (outside.includes('--') || literals.some((literal) => literal.includes(':'))) {
    throw new ConfigError(
      'An Athena query template has a comment after code, or a ":" inside a string literal; keep comments on lines of their own.',
    );
  }
}
