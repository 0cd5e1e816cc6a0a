/**
 * Which rows of the access-log table belong to an index, as two regular expressions the SQL
 * compares in its WHERE clause (regexp_like: "contains" semantics in Trino and DuckDB alike).
 * The same decision as src/evidence/index-matcher.ts (CONTRACT §5): the target group ARN ends
 * with the configured `targetGroup`; else the request URL contains `match`; else a path segment
 * before the query string equals the index name.
 */
import { UsageError } from '../../errors.js';
import type { IndexSelector } from '../../evidence/index-matcher.js';

/** Matches every string (the pattern for the side of the test that does not apply). */
export const MATCH_ANY = '^';

const INDEX_NAME = /^[A-Za-z0-9_.-]{1,128}$/;

export interface IndexPatterns {
  /** For target_group_arn. */
  targetGroup: string;
  /** For coalesce(request_url, ''). */
  requestUrl: string;
}

export function indexPatterns(selector: IndexSelector): IndexPatterns {
  if (!INDEX_NAME.test(selector.index)) {
    throw new UsageError(
      `"${selector.index.slice(0, 40)}" is not an index name.`,
      'Index names are letters, digits, "_", "." and "-" (at most 128), e.g. prod_000_audio.',
    );
  }
  if (selector.targetGroup) return { targetGroup: `${escapeRegex(selector.targetGroup)}$`, requestUrl: MATCH_ANY };
  if (selector.match !== undefined && selector.match !== '')
    return { targetGroup: MATCH_ANY, requestUrl: escapeRegex(selector.match) };
  // "/<index>" before any "?", followed by "/", "?" or the end: index-matcher's matchPathSegment.
  return { targetGroup: MATCH_ANY, requestUrl: `^[^?]*/${escapeRegex(selector.index)}(/|\\?|$)` };
}

/** Rows of one load balancer ("app/k8s-ingress/0123456789abcdef"), or of every one when the bucket holds only one. */
export function loadBalancerPattern(loadBalancer: string | undefined): string {
  return loadBalancer ? `^${escapeRegex(loadBalancer)}$` : MATCH_ANY;
}

/** Escapes the characters that mean something in Java (Joni) and RE2 patterns alike. */
export function escapeRegex(literal: string): string {
  return literal.replace(/[\\^$.|?*+()[\]{}]/g, (char) => `\\${char}`);
}
