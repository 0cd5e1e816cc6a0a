/**
 * Pure: the placeholder values a customer-draft template can use, from the report and one
 * finding's facts. Times come out in the customer's (asked) zone through the injected
 * TimeFormatter; a fact that is absent, empty or not a finite number gets no value at all, so
 * the sentence that needs it is dropped rather than printed with a blank or a 0.
 */
import type { FindingJson, ReportJson } from '../core/report.js';
import { formatCount } from '../core/format-number.js';
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
  setText(values, 'windowStart', clockWithDateIfOther(new Date(report.window.start), askedDate, fmt));
  setText(values, 'windowEnd', clockWithDateIfOther(new Date(report.window.end), askedDate, fmt));
  return values;
}

/** The report's values plus this finding's facts, its confidence and derived forms. */
export function findingPlaceholders(finding: FindingJson, base: PlaceholderMap, fmt: TimeFormatter): PlaceholderMap {
  const values: PlaceholderMap = new Map(base);
  setText(values, 'confidence', finding.confidence);
  for (const [key, fact] of Object.entries(finding.facts)) addFact(values, key, fact, fmt);
  const missing = finding.facts['missing'];
  if (typeof missing === 'string') setText(values, 'missingPlain', describeMissingSignals(missing));
  return values;
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
  const plain = Math.abs(value).toString().includes('e') ? Math.abs(value).toFixed(12).replace(/0+$/, '') : Math.abs(value).toString();
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
