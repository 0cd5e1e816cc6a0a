/**
 * FACT KEYS: the numbers each finding kind carries in `Finding.facts`, so templates,
 * renderers and the draft's grounding check all use the same figures the verdict used.
 * Times are ISO 8601 UTC minute starts ("2026-06-18T19:35:00Z"); `…Percent` values are
 * percentages rounded for display (e.g. 3.2, 0.0065); counts are integers.
 * A key is absent when its value could not be measured.
 */
export const FACT_KEYS = {
  throttling_429: [
    'throttledWindow', // 429s from the proxy over the window
    'throttledPercent', // of the index's requests over the window
    'requestsWindow',
    'burstStart', // first minute of the burst nearest the asked time
    'burstEnd', // last minute of that burst (inclusive)
    'burstTotal', // 429s inside that burst
    'peakCount', // the burst's peak minute count
    'peakMinute',
    'minutesBeforeAsked', // asked minute − burstEnd in minutes (0 = burst covers the asked minute; negative = after)
    'origin5xxWindow', // the origin's 5xx over the window (0 when the origin was clean)
    'target4xxWindow', // the ALB's independent count of target 4xx (when measured)
    'termination', // dominant termination state of the 429s, e.g. "PR--"
  ],
  keepalive_race: [
    'elb502Window', // LB-minted 502s, all tenants, over the window
    'elb502PerMinuteTypical', // mean per minute, to 0.1
    'elb502PerMinuteMax',
    'lbRequestsWindow', // all requests through the LB (when measured)
    'elb502Percent', // LB-wide 502 rate
    'tenantCount', // target groups that saw LB-minted 502s (files mode)
    'elb502IndexWindow', // of which for this index (files mode)
    'connectionErrorsWindow', // the targets' connection errors (metrics mode)
    'idleTimeoutSeconds',
  ],
  origin_5xx: [
    'origin5xxWindow',
    'origin5xxPercent',
    'burstStart',
    'burstEnd',
    'peakCount',
    'peakMinute',
    'topCode', // most frequent 5xx code, e.g. "500"
    'requestsWindow',
  ],
  target_unreachable: [
    'scope', // "index": this index's targets; "loadBalancer": a spike shared by tenants
    'errorsWindow', // LB-minted 502/503 for this index, or connection errors, over the window
    'burstTotal', // of which in the burst
    'failedPercent', // share of the index's requests in the burst minutes that failed
    'connectionErrorsWindow',
    'burstStart',
    'burstEnd',
    'peakCount',
    'peakMinute',
    'baselinePerMinute', // the usual rate outside the burst
    'requestsWindow',
  ],
  origin_timeout: [
    'scope',
    'elb504Window',
    'origin504Window',
    'slowWindow',
    'burstStart',
    'burstEnd',
    'peakCount',
    'peakMinute',
    'slowRequestSeconds',
    'idleTimeoutSeconds',
  ],
  no_healthy_targets: ['scope', 'elb503Window', 'burstStart', 'burstEnd', 'peakCount', 'peakMinute'],
  no_errors: ['requestsWindow', 'elb502Window'],
  inconclusive: ['missing'], // comma-separated signal names that could not be measured, e.g. "origin_5xx, elb_502"
} as const;
