/**
 * Pure: internal details a customer must not see in a draft — proxy termination codes, IPs,
 * ARNs, load balancer and target group ids, internal host and pod names, log field and metric
 * names, and our tenancy (how many indexes or customers share the platform, that other
 * customers were affected). The model is told not to write them; this is the check that it did not.
 */

const INTERNAL_DETAIL_PATTERNS: readonly RegExp[] = [
  /(?<![\w-])(?:[A-Z][A-Za-z-]|[a-z][A-Z])--(?![\w-])/g, // HAProxy termination states: PR--, SH--, sQ--
  /\b\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?\b/g, // IPv4 addresses
  /\barn:aws[\w-]*:[^\s)]*/gi, // ARNs
  /\b(?:targetgroup|app|net)\/[\w.-]+\/[0-9a-f]{6,}\b/gi, // load balancer and target group ids
  /\b[\w.-]+\.(?:internal|compute\.amazonaws\.com|elb\.amazonaws\.com|svc\.cluster\.local)\b/gi, // internal host names
  /\bk8s-[\w-]+/gi, // Kubernetes-generated names
  /\b\d[\d,]*\s+(?:other\s+)?(?:indexes|indices|tenants|customers|clients)\b/gi, // tenancy figures: "20 indexes"
  /\b(?:other|another|more|many|several)\s+(?:customers?|tenants?|clients?|indexes)\b|\bcustomers other than you\b|\btenan(?:ts?|cy)\b/gi, // other customers
  /\b(?:elb|target)_status_code\b|\b(?:request|target|response)_processing_time\b|\bHTTPCode_\w+|\bTargetConnectionErrorCount\b/g, // log fields, metric names
];

/** Internal details (termination codes, IPs, ARNs, host and pod names, log fields) found in a customer text. */
export function findInternalDetails(text: string): string[] {
  return [
    ...new Set(INTERNAL_DETAIL_PATTERNS.flatMap((pattern) => [...text.matchAll(pattern)].map((match) => match[0]))),
  ];
}
