/**
 * The Logs Insights query templates of templates/queries/*.insights: read once per process and
 * filled only with values the caller has validated. Comment and blank lines are dropped, so the
 * text sent is the query alone.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { findAssetRoot } from '../../core/asset-root.js';
import { ConfigError } from '../../errors.js';

export const QUERY_TEMPLATES_DIR = path.join(findAssetRoot(import.meta.url), 'templates', 'queries');

const PLACEHOLDER = /\{\{(\w+)\}\}/g;
const cache = new Map<string, string>();

/** The template as stored (comments included), e.g. "proxy-signals-envoy.insights". Read once per process. */
export function loadQueryTemplate(fileName: string): string {
  let template = cache.get(fileName);
  if (template === undefined) {
    template = readFileSync(path.join(QUERY_TEMPLATES_DIR, fileName), 'utf8');
    cache.set(fileName, template);
  }
  return template;
}

/**
 * The query text to send: comment and blank lines dropped, every {{name}} replaced by
 * `values[name]`. A placeholder without a value is a ConfigError (a template and its builder
 * out of step), never left in the query.
 */
export function fillQueryTemplate(template: string, values: Readonly<Record<string, string>>): string {
  const body = template
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.trimStart().startsWith('#'))
    .join('\n');
  return body.replace(PLACEHOLDER, (_whole, name: string) => {
    const value = values[name];
    if (value === undefined) throw new ConfigError(`The query template has an unknown placeholder {{${name}}}.`);
    return value;
  });
}
