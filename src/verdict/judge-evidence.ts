import type { Evidence, Finding, TimeFormatter } from '../core/types.js';
import { JudgeContext, type ScoredFinding } from './judge-context.js';
import { judgeKeepaliveRace } from './rules/judge-keepalive-race.js';
import { judgeNoHealthyTargets } from './rules/judge-no-healthy-targets.js';
import { judgeOrigin5xx } from './rules/judge-origin-5xx.js';
import { judgeOriginTimeout } from './rules/judge-origin-timeout.js';
import { inconclusiveFinding, missingViews, noErrorsFinding } from './rules/judge-quiet-window.js';
import { judgeTargetUnreachable } from './rules/judge-target-unreachable.js';
import { judgeThrottling } from './rules/judge-throttling.js';

const RULES = [judgeThrottling, judgeKeepaliveRace, judgeOrigin5xx, judgeTargetUnreachable, judgeOriginTimeout, judgeNoHealthyTargets];

/** Below this relevance nothing explains the asked minute: the verdict is a calm window (or inconclusive). */
const EXPLAINS_ASKED_TIME = 1.5;

/**
 * The verdict engine: a pure function from evidence to findings, most relevant to the asked
 * minute first. Every rule judges its signal against the signal's own baseline and the asked
 * time; the first finding is the verdict. Never empty.
 */
export function judgeEvidence(evidence: Evidence, fmt: TimeFormatter): Finding[] {
  const ctx = new JudgeContext(evidence, fmt);
  const scored = RULES.map((rule) => rule(ctx)).filter((finding): finding is ScoredFinding => finding !== null);
  scored.sort((a, b) => b.relevance - a.relevance);
  const findings = scored.map(({ finding }) => finding);
  const missing = missingViews(ctx);
  if (scored.length > 0 && scored[0]!.relevance >= EXPLAINS_ASKED_TIME) return withUnmeasuredNote(findings, missing);
  if (missing.length > 0) return [inconclusiveFinding(ctx, missing), ...findings];
  return [noErrorsFinding(ctx, findings), ...findings];
}

/** A verdict reached with a view missing says so, and is never "high" confidence. */
function withUnmeasuredNote(findings: Finding[], missing: string[]): Finding[] {
  if (missing.length === 0) return findings;
  const [verdict, ...rest] = findings;
  const note = `Not measured: ${missing.join('; ')}.`;
  return [{ ...verdict!, confidence: verdict!.confidence === 'high' ? 'medium' : verdict!.confidence, reasons: [...verdict!.reasons, note] }, ...rest];
}
