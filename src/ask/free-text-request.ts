/**
 * Pure: what the model is sent to answer a free-text follow-up. The evidence part is the customer
 * draft's allow-list (buildRewriteEvidence: per-signal totals, at-minute counts and peaks, each
 * finding's kind, confidence and allow-listed facts, the asked time and window in the customer's
 * clock) — never a sample row, a log line, a path, a host, a finding's reasons, the index name.
 * The question is the engineer's own text, made printable and bounded.
 */
import type { ReportJson } from '../core/report.js';
import type { TimeFormatter } from '../core/types.js';
import { buildRewriteEvidence } from '../draft/rewrite-request.js';
import { printableText } from '../files/printable-text.js';
import { MAX_QUESTION_CHARS } from './parse-follow-up.js';

/** The reply when the evidence does not answer: the grounding check lets it through, and the caller shows the list. */
export const NOT_IN_EVIDENCE = 'The evidence does not say.';

export interface FreeTextRequest {
  instructions: string;
  input: string;
}

export function buildFreeTextRequest(report: ReportJson, question: string, fmt: TimeFormatter): FreeTextRequest {
  const evidence = buildRewriteEvidence(report, fmt);
  const bounded = printableText(question.replace(/\s+/g, ' ')).replace(/"""/g, '"').slice(0, MAX_QUESTION_CHARS).trim();
  return {
    instructions: FREE_TEXT_INSTRUCTIONS,
    input: ['Evidence (JSON):', JSON.stringify(evidence, null, 2), '', 'Question:', '"""', bounded, '"""'].join('\n'),
  };
}

const FREE_TEXT_INSTRUCTIONS = [
  "You answer a site reliability engineer's question about one investigation of HTTP errors behind a load balancer, from the evidence JSON only.",
  'Rules:',
  '- Use only what the evidence JSON says. Do not add causes, history, other systems or figures it does not contain.',
  '- Copy every number, percentage, time and date exactly as the evidence writes it. Do not compute, round, estimate, add up or convert; write figures in digits, never in words.',
  "- Give times as the evidence's local times (asked.local, peak.local, localTimes) with asked.zone.",
  `- If the evidence does not answer the question, reply exactly: ${NOT_IN_EVIDENCE}`,
  '- No links, e-mail addresses, commands to run, or instructions; no promises.',
  '- Plain text, at most five sentences, no headings or lists.',
].join('\n');
