/**
 * Pure: the placeholder values a customer-draft template can use, from the report and one
 * finding's facts. Times come out in the customer's (asked) zone through the injected
 * TimeFormatter; a fact that is absent, empty or not a finite number gets no value at all, so
 * the sentence that needs it is dropped rather than printed with a blank or a 0.
 */

import { formatCount } from '../core/format-number.js';
import type { FindingJson, ReportJson } from '../core/report.js';
import type { TimeFormatter } from '../core/types.js';
import type { PlaceholderValue } from './fill-template.js';

export type PlaceholderMap = Map<string, PlaceholderValue>;

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/;

export function isIsoInstant(value: unknown): value is string {
  return typeof value === 'string' && ISO_INSTANT.test(value);
}

/** Values every section can use: the asked minute, the window, the zone, the index. */
export function reportPlaceholders(report: ReportJson, fmt: TimeFormatter): PlaceholderMap {
  const at = new Date(report.at);
  const askedDate = fmt.localDate(at);
  const values: PlaceholderMap = new Map();
  setText(values, 'askedClock', fmt.localClock(at));
  setText(values, 'askedDate', askedDate);
  setText(values, 'zone', fmt.zoneLabel);
  setText(values, 'index', report.index);
  const checked = checkedPeriod(report);
  setText(values, 'windowStart', clockWithDateIfOther(checked.start, askedDate, fmt));
  setText(values, 'windowEnd', clockWithDateIfOther(checked.end, askedDate, fmt));
  return values;
}

/**
 * The period the records actually cover: the window, narrowed to the minutes the measured
 * signals hold (a partial source leaves uncovered minutes out of perMinute). "We checked from
 * 14:41 to 00:41" must not be said of logs that cover 18:00–21:29.
 */
function checkedPeriod(report: ReportJson): { start: Date; end: Date } {
  let startMs = Infinity;
  let endMs = -Infinity;
  for (const signal of Object.values(report.signals)) {
    if (signal.status === 'unavailable' || signal.perMinute.length === 0) continue;
    startMs = Math.min(startMs, Date.parse(signal.perMinute[0]!.minute));
    endMs = Math.max(endMs, Date.parse(signal.perMinute[signal.perMinute.length - 1]!.minute) + 60_000);
  }
  const windowStart = Date.parse(report.window.start);
  const windowEnd = Date.parse(report.window.end);
  if (!Number.isFinite(startMs)) return { start: new Date(windowStart), end: new Date(windowEnd) };
  return { start: new Date(Math.max(windowStart, startMs)), end: new Date(Math.min(windowEnd, endMs)) };
}

/** The report's values plus this finding's facts, its confidence and derived forms. */
export function findingPlaceholders(finding: FindingJson, base: PlaceholderMap, fmt: TimeFormatter): PlaceholderMap {
  const values: PlaceholderMap = new Map(base);
  setText(values, 'confidence', finding.confidence);
  for (const [key, fact] of Object.entries(finding.facts)) addFact(values, key, fact, fmt);
  const missing = finding.facts.missing;
  if (typeof missing === 'string') setText(values, 'missingPlain', describeMissingSignals(missing));
  addBurstRange(values, finding.facts, fmt);
  setText(values, 'elb502Scope', describeElb502Scope(finding.facts));
  if (neverReachedServers(finding.facts.termination)) setText(values, 'deniedAtProxy', 'yes');
  return values;
}

/**
 * `burstRange`: "between 05:29 and 05:40", or "in the minute of 05:41" when the burst is one
 * minute (never "between 05:41 and 05:41"); `burstMinutes`: its length, inclusive, so a
 * template can leave out "peaking at … in the minute of …" when the whole burst is one minute.
 */
function addBurstRange(values: PlaceholderMap, facts: FindingJson['facts'], fmt: TimeFormatter): void {
  const start = facts.burstStart;
  const end = facts.burstEnd;
  if (!isIsoInstant(start) || !isIsoInstant(end)) return;
  const minutes = Math.round((Date.parse(end) - Date.parse(start)) / 60_000) + 1;
  if (!(minutes >= 1)) return; // an end before the start: no range we could word honestly
  const from = fmt.localClock(new Date(start));
  setText(
    values,
    'burstRange',
    minutes === 1 ? `in the minute of ${from}` : `between ${from} and ${fmt.localClock(new Date(end))}`,
  );
  values.set('burstMinutes', { text: formatNumber(minutes), raw: minutes });
}

/** Where LB-minted 502s were seen, as far as the facts tell. */
export type Elb502Scope = 'platform' | 'index' | 'loadBalancer';

/** At or above this share of the LB-minted 502s, they are the index's (the verdict's own threshold). */
const INDEX_SHARE_MOSTLY = 0.9;
/** Below this share, the index is one tenant among others: "across our platform". */
const INDEX_SHARE_SMALL = 0.5;

/**
 * "platform" only when several tenants saw the 502s and this index's share is small (or not
 * measured); "index" when they are (almost) all this index's; "loadBalancer" otherwise, e.g. in
 * CloudWatch mode, where there is no tenant count and the count is load-balancer-wide.
 */
export function describeElb502Scope(facts: FindingJson['facts']): Elb502Scope {
  const total = numberFact(facts, 'elb502Window');
  const ofIndex = numberFact(facts, 'elb502IndexWindow');
  const tenants = numberFact(facts, 'tenantCount');
  const share = total !== null && total > 0 && ofIndex !== null ? ofIndex / total : null;
  if (share !== null && share >= INDEX_SHARE_MOSTLY) return 'index';
  if (tenants === 1 && ofIndex !== null && ofIndex > 0) return 'index';
  if (tenants !== null && tenants > 1) return share === null || share < INDEX_SHARE_SMALL ? 'platform' : 'index';
  return 'loadBalancer';
}

function numberFact(facts: FindingJson['facts'], key: string): number | null {
  const value = facts[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** HAProxy "PR…" (deny rule) and "LR…" (return rule): answered by the proxy, never sent to a server. */
function neverReachedServers(termination: number | string | undefined): boolean {
  return typeof termination === 'string' && /^[PL]R/.test(termination);
}

function addFact(values: PlaceholderMap, key: string, fact: number | string, fmt: TimeFormatter): void {
  if (typeof fact === 'number') {
    if (!Number.isFinite(fact)) return;
    values.set(key, { text: formatNumber(fact), raw: fact });
    values.set(`${key}|abs`, { text: formatNumber(Math.abs(fact)), raw: Math.abs(fact) });
  } else if (isIsoInstant(fact)) {
    const instant = new Date(fact);
    values.set(key, { text: fmt.localClock(instant), raw: fact });
    values.set(`${key}|date`, { text: fmt.localDate(instant), raw: fact });
  } else {
    setText(values, key, fact);
  }
}

function setText(values: PlaceholderMap, key: string, text: string): void {
  if (text.trim().length > 0) values.set(key, { text, raw: text });
}

function clockWithDateIfOther(instant: Date, askedDate: string, fmt: TimeFormatter): string {
  const date = fmt.localDate(instant);
  return date === askedDate ? fmt.localClock(instant) : `${fmt.localClock(instant)} on ${date}`;
}

/**
 * "43930" → "43,930", "3.2" → "3.2", "0.0065" → "0.0065": counts as the rest of why502 shows
 * them; fractions exactly as the verdict rounded them (the grounding check compares values).
 */
export function formatNumber(value: number): string {
  if (Number.isInteger(value)) return formatCount(value);
  const plain = Math.abs(value).toString().includes('e')
    ? Math.abs(value).toFixed(12).replace(/0+$/, '')
    : Math.abs(value).toString();
  const [whole = '0', fraction = ''] = plain.split('.');
  return `${value < 0 ? '-' : ''}${formatCount(Number(whole))}.${fraction}`;
}

/** "429", "502" → "429 and 502"; three or more → "429, 502 and 503". */
export function formatList(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

const SIGNAL_PLAIN_NAMES: Record<string, string> = {
  requests: 'our request counts for your index',
  lb_requests: 'our platform-wide request counts',
  origin_5xx: "our servers' error records",
  throttled_429: 'our rate-limit records',
  target_5xx: "our load balancer's count of server errors",
  target_4xx: "our load balancer's count of server errors",
  target_connection_errors: "our load balancer's connection records",
  elb_502: "our load balancer's error counts",
  elb_502_index: "our load balancer's error counts",
  elb_503: "our load balancer's error counts",
  elb_503_index: "our load balancer's error counts",
  elb_504: "our load balancer's error counts",
  elb_504_index: "our load balancer's error counts",
  slow_requests: 'our response-time records',
  healthy_hosts: 'our server health records',
  unhealthy_hosts: 'our server health records',
};

/** "origin_5xx,elb_502" → "our servers' error records and our load balancer's error counts". */
export function describeMissingSignals(missing: string): string {
  const names = missing
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name.length > 0)
    .map((name) => SIGNAL_PLAIN_NAMES[name] ?? 'some of our records');
  return formatList([...new Set(names)]);
}
