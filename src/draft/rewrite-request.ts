/**
 * Pure: what the model is sent to rewrite the customer draft. Aggregates only (CONTRACT §8):
 * index, asked time, window, per-signal totals / at-minute counts / peaks, the findings and the
 * template draft. Never per-minute series, never log lines, never termination breakdowns.
 */
import type { ReportJson, SignalJson } from '../core/report.js';
import type { DraftTone, TimeFormatter } from '../core/types.js';
import { isIsoInstant } from './draft-placeholders.js';

export interface RewriteSignalSummary {
  status: SignalJson['status'];
  scope: SignalJson['scope'];
  reason?: string;
  window: number | null;
  atMinute: number | null;
  peak: { minute: string; local: string; count: number } | null;
  byCode?: Record<string, number>;
}

export interface RewriteEvidence {
  index: string;
  asked: { input: string; local: string; date: string; zone: string; utcOffset: string; at: string };
  window: { start: string; end: string; local: string };
  signals: Record<string, RewriteSignalSummary>;
  findings: Array<{
    kind: string;
    headline: string;
    confidence: string;
    reasons: string[];
    facts: Record<string, number | string>;
    /** The findings' time facts as the customer's clock: { burstStart: "05:29" }. */
    localTimes: Record<string, string>;
  }>;
}

export function buildRewriteEvidence(report: ReportJson, fmt: TimeFormatter): RewriteEvidence {
  const at = new Date(report.at);
  const windowStart = new Date(report.window.start);
  const windowEnd = new Date(report.window.end);
  return {
    index: report.index,
    asked: { input: report.asked.input, local: fmt.localClock(at), date: fmt.localDate(at), zone: fmt.zoneLabel, utcOffset: report.asked.utcOffset, at: report.at },
    window: { start: report.window.start, end: report.window.end, local: `${fmt.localClock(windowStart)} to ${fmt.localClock(windowEnd)} ${fmt.zoneLabel}` },
    signals: Object.fromEntries(Object.entries(report.signals).map(([name, signal]) => [name, summarizeSignal(signal, fmt)])),
    findings: (report.findings.length > 0 ? report.findings : [report.verdict]).map((finding) => ({
      kind: finding.kind,
      headline: finding.headline,
      confidence: finding.confidence,
      reasons: finding.reasons,
      facts: finding.facts,
      localTimes: Object.fromEntries(
        Object.entries(finding.facts)
          .filter((entry): entry is [string, string] => isIsoInstant(entry[1]))
          .map(([key, iso]) => [key, fmt.localClock(new Date(iso))]),
      ),
    })),
  };
}

function summarizeSignal(signal: SignalJson, fmt: TimeFormatter): RewriteSignalSummary {
  return {
    status: signal.status,
    scope: signal.scope,
    ...(signal.reason ? { reason: signal.reason } : {}),
    window: signal.window,
    atMinute: signal.atMinute,
    peak: signal.peak ? { minute: signal.peak.minute, local: fmt.localClock(new Date(signal.peak.minute)), count: signal.peak.count } : null,
    ...(signal.byCode && Object.keys(signal.byCode).length > 0 ? { byCode: signal.byCode } : {}),
  };
}

const TONE_GUIDES: Record<DraftTone, string> = {
  neutral: 'Clear, calm and factual, like the draft.',
  shorter: 'Shorter than the draft: keep the facts that matter to the customer and the actions, drop the rest.',
  technical: 'For an engineering audience: you may name HTTP status codes, the load balancer idle timeout and HTTP keep-alive.',
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
    "- Give times in the customer's zone (asked.zone in the evidence), as the draft does.",
    '- Never mention host names, IP addresses, pod names, target group or load balancer identifiers, ARNs, log lines, log field names, metric names or proxy termination codes (such as "PR--").',
    '- Say "our load balancer" and "our servers". Keep the "What helps:" and "What we\'re doing:" points.',
    '- Answer with the message text only: no subject line, no signature, no commentary.',
  ].join('\n');
}

/** The user turn: the evidence as JSON, then the template draft to rewrite. */
export function buildRewriteInput(evidence: RewriteEvidence, templateDraft: string): string {
  return ['Evidence (JSON):', JSON.stringify(evidence, null, 2), '', 'Draft to rewrite:', '"""', templateDraft, '"""'].join('\n');
}
