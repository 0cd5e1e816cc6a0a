/**
 * Pure: what the model is sent to rewrite the customer draft (CONTRACT §8: aggregates, never raw
 * log lines). Built from an explicit allow-list, never by copying the report: the asked minute
 * and window as the customer's clock, per-signal totals / at-minute counts / peaks of the known
 * signals, each finding's kind, confidence and allow-listed facts, and the template draft.
 * Never sent: the index name, source names and details, signal reasons, finding headlines and
 * reasons (they carry file paths, hosts, IPs, account and load balancer ids), termination
 * codes, tenant counts, per-minute series. The whole request is bounded (MAX_REWRITE_INPUT_CHARS).
 */
import { CAUSE_CUSTOMER_WORDS } from '../changes/cause-customer-words.js';
import type { FindingJson, ReportJson, SignalJson } from '../core/report.js';
import type { DraftTone, TimeFormatter } from '../core/types.js';
import { FACT_KEYS } from '../verdict/facts.js';
import { withCustomerClock } from './customer-clock.js';
import { isIsoInstant } from './draft-placeholders.js';

/** The signals whose numbers may be sent (CONTRACT §3), in this order. */
const SIGNAL_NAMES = [
  'requests',
  'lb_requests',
  'proxy_requests',
  'origin_5xx',
  'throttled_429',
  'target_5xx',
  'target_4xx',
  'target_connection_errors',
  'elb_502',
  'elb_502_index',
  'elb_503',
  'elb_503_index',
  'elb_504',
  'elb_504_index',
  'slow_requests',
] as const;

/** Facts that are internal even though the verdict uses them: a proxy termination code, how many tenants we host. */
const INTERNAL_FACTS = new Set(['termination', 'tenantCount']);
/** Text facts and the only values they may take. */
const TEXT_FACTS: Record<string, RegExp> = {
  scope: /^(?:index|loadBalancer)$/,
  topCode: /^\d{3}$/,
  missing: new RegExp(`^(?:${SIGNAL_NAMES.join('|')})(?:\\s*,\\s*(?:${SIGNAL_NAMES.join('|')}))*$`),
};
/** The verdict and at most this many other findings. */
const MAX_FINDINGS = 4;

/**
 * The most the user turn may hold. With the allow-list it is about 5,000 characters for the seed
 * incident and cannot grow with the data (files, hosts, damaged downloads): a request past this
 * is a bug, and the template draft is used instead of sending it.
 */
export const MAX_REWRITE_INPUT_CHARS = 16_000;

export interface RewriteSignalSummary {
  status: SignalJson['status'];
  scope: SignalJson['scope'];
  window: number | null;
  atMinute: number | null;
  peak: { minute: string; local: string; count: number } | null;
  byCode?: Record<string, number>;
}

export interface RewriteEvidence {
  asked: { local: string; date: string; zone: string; utcOffset: string };
  window: { local: string };
  signals: Partial<Record<(typeof SIGNAL_NAMES)[number], RewriteSignalSummary>>;
  findings: Array<{
    kind: FindingJson['kind'];
    confidence: FindingJson['confidence'];
    facts: Record<string, number | string>;
    /** The findings' time facts as the customer's clock: { burstStart: "05:29" }. */
    localTimes: Record<string, string>;
    /** Measured causes as their kind, the customer's words and the customer's clock; never the object names or evidence (they name pods, hosts, accounts). */
    causes?: Array<{ kind: string; words: string; local: string | null }>;
  }>;
}

export function buildRewriteEvidence(report: ReportJson, askedFmt: TimeFormatter): RewriteEvidence {
  const fmt = withCustomerClock(askedFmt, report.asked.input);
  const at = new Date(report.at);
  const windowLocal = `${fmt.localClock(new Date(report.window.start))} to ${fmt.localClock(new Date(report.window.end))} ${fmt.zoneLabel}`;
  const signals: RewriteEvidence['signals'] = {};
  for (const name of SIGNAL_NAMES) {
    const signal = report.signals[name];
    if (signal) signals[name] = summarizeSignal(signal, fmt);
  }
  const findings = (report.findings.length > 0 ? report.findings : [report.verdict]).slice(0, 1 + MAX_FINDINGS);
  return {
    asked: {
      local: fmt.localClock(at),
      date: fmt.localDate(at),
      zone: fmt.zoneLabel,
      utcOffset: /^[+-]\d{2}:\d{2}$/.test(report.asked.utcOffset) ? report.asked.utcOffset : '',
    },
    window: { local: windowLocal },
    signals,
    findings: findings.map((finding) => summarizeFinding(finding, fmt)),
  };
}

function summarizeSignal(signal: SignalJson, fmt: TimeFormatter): RewriteSignalSummary {
  const byCode = Object.fromEntries(
    Object.entries(signal.byCode ?? {}).filter(([code, count]) => /^\d{3}$/.test(code) && Number.isFinite(count)),
  );
  return {
    status: signal.status,
    scope: signal.scope,
    window: finiteOrNull(signal.window),
    atMinute: finiteOrNull(signal.atMinute),
    peak:
      signal.peak && isIsoInstant(signal.peak.minute)
        ? { minute: signal.peak.minute, local: fmt.localClock(new Date(signal.peak.minute)), count: signal.peak.count }
        : null,
    ...(Object.keys(byCode).length > 0 ? { byCode } : {}),
  };
}

function summarizeFinding(finding: FindingJson, fmt: TimeFormatter): RewriteEvidence['findings'][number] {
  const allowed: readonly string[] = FACT_KEYS[finding.kind] ?? [];
  const facts: Record<string, number | string> = {};
  const localTimes: Record<string, string> = {};
  for (const key of allowed) {
    const value = finding.facts[key];
    if (INTERNAL_FACTS.has(key) || value === undefined) continue;
    if (typeof value === 'number') {
      if (Number.isFinite(value)) facts[key] = value;
    } else if (isIsoInstant(value)) {
      facts[key] = value;
      localTimes[key] = fmt.localClock(new Date(value));
    } else if (TEXT_FACTS[key]?.test(value)) {
      facts[key] = value;
    }
  }
  const causes = (finding.causes ?? []).map((cause) => ({
    kind: cause.kind,
    words: CAUSE_CUSTOMER_WORDS[cause.kind],
    local: cause.at && isIsoInstant(cause.at) ? fmt.localClock(new Date(cause.at)) : null,
  }));
  return {
    kind: finding.kind,
    confidence: finding.confidence,
    facts,
    localTimes,
    ...(causes.length > 0 ? { causes } : {}),
  };
}

function finiteOrNull(value: number | null): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

const TONE_GUIDES: Record<DraftTone, string> = {
  neutral: 'Clear, calm and factual, like the draft.',
  shorter: 'Shorter than the draft: keep the facts that matter to the customer and the actions, drop the rest.',
  technical:
    'For an engineering audience: you may name HTTP status codes, the load balancer idle timeout and HTTP keep-alive.',
  warmer: 'Warmer and more personal than the draft, without becoming less precise.',
};

/** The standing instructions: the rules the rewrite must keep, whatever the tone. */
export function buildRewriteInstructions(tone: DraftTone): string {
  return [
    'You rewrite a draft reply that a site reliability engineer will send to a customer about HTTP errors they saw.',
    `Tone: ${TONE_GUIDES[tone]}`,
    'Rules:',
    '- Use only what the evidence JSON and the draft say. Do not add causes, promises, timelines or figures that they do not contain.',
    '- Copy every number, percentage, time and date exactly as the draft or the evidence writes it. Do not compute, round, estimate or convert numbers; write figures in digits, never in words.',
    "- Give times in the customer's zone and clock style (asked.zone and asked.local in the evidence), as the draft does.",
    '- Never mention host names, IP addresses, pod names, target group or load balancer identifiers, ARNs, log lines, log field names, metric names, proxy termination codes (such as "PR--") or how many customers or indexes we serve.',
    '- Add no links, e-mail addresses or instructions that the draft does not have; never ask for passwords, API keys or other credentials.',
    `- Say "our load balancer" and "our servers". Keep the "What helps:" points. Copy the line "[What we're doing: …]" unchanged when the draft has it: the engineer fills it in.`,
    '- Answer with the message text only: no subject line, no signature, no commentary.',
  ].join('\n');
}

/** The user turn: the evidence as JSON, then the template draft to rewrite. */
export function buildRewriteInput(evidence: RewriteEvidence, templateDraft: string): string {
  return [
    'Evidence (JSON):',
    JSON.stringify(evidence, null, 2),
    '',
    'Draft to rewrite:',
    '"""',
    templateDraft,
    '"""',
  ].join('\n');
}
