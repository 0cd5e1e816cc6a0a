/**
 * Which requests belong to an index (a tenant). CONTRACT §5: ALB lines belong when their
 * target_group_arn ends with the configured targetGroup, else by `match`; without `match`,
 * a request belongs when a path segment of its URL equals the index name.
 */
export interface IndexSelector {
  index: string;
  /** "targetgroup/k8s-prod000audio/0123456789abcdef" — the CloudWatch TargetGroup dimension. */
  targetGroup?: string | undefined;
  /** A request path substring, e.g. "/indexes/prod_000_audio/". */
  match?: string | undefined;
}

export interface IndexMatcher {
  /** For ALB lines: by target group when configured, else by the request URL. */
  albBelongs(targetGroupArn: string | null, url: string | null): boolean;
  /** For proxy lines: by the request path (or the request URL). */
  requestBelongs(pathOrUrl: string | null): boolean;
}

export function createIndexMatcher(selector: IndexSelector): IndexMatcher {
  const requestBelongs = selector.match ? matchSubstring(selector.match) : matchPathSegment(selector.index);
  const targetGroup = selector.targetGroup;
  return {
    albBelongs: (targetGroupArn, url) =>
      targetGroup ? (targetGroupArn?.endsWith(targetGroup) ?? false) : requestBelongs(url),
    requestBelongs,
  };
}

function matchSubstring(match: string): (pathOrUrl: string | null) => boolean {
  return (pathOrUrl) => pathOrUrl?.includes(match) ?? false;
}

/** True when one "/"-separated segment of the path equals `segment` (query string excluded). */
function matchPathSegment(segment: string): (pathOrUrl: string | null) => boolean {
  const needle = `/${segment}`;
  return (pathOrUrl) => {
    if (pathOrUrl === null) return false;
    const queryAt = pathOrUrl.indexOf('?');
    const pathEnd = queryAt === -1 ? pathOrUrl.length : queryAt;
    let from = 0;
    for (;;) {
      const at = pathOrUrl.indexOf(needle, from);
      if (at === -1 || at >= pathEnd) return false;
      const after = at + needle.length;
      if (after === pathEnd || pathOrUrl.charCodeAt(after) === 47 /* / */) return true;
      from = at + 1;
    }
  };
}
