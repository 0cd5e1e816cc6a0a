import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The committed fixtures (test/fixtures/logs/, described in SOURCES.md there). */
export const FIXTURES_DIR = fileURLToPath(new URL('../../fixtures/logs/', import.meta.url));

/** A fixture file's non-empty lines, CR kept off. */
export function fixtureLines(relativePath: string): string[] {
  return readFileSync(`${FIXTURES_DIR}${relativePath}`, 'utf8')
    .split('\n')
    .filter((line) => line.length > 0);
}

export function fixtureText(relativePath: string): string {
  return readFileSync(`${FIXTURES_DIR}${relativePath}`, 'utf8');
}

/** `[status, answeredBy, upstreamFailure]` of each record, `malformed: reason` or the kind otherwise: a file's classification at a glance. */
export function classification(results: ReadonlyArray<{ kind: string }>): Array<string | [unknown, unknown, unknown]> {
  return results.map((result) => {
    const fields = result as Record<string, unknown>;
    if (result.kind === 'malformed') return `malformed: ${String(fields.reason)}`;
    if (!('answeredBy' in fields)) return result.kind;
    return [fields.status, fields.answeredBy, fields.upstreamFailure];
  });
}
