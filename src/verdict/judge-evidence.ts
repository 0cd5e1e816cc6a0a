import type { Evidence, Finding, TimeFormatter } from '../core/types.js';
import { JudgeContext, RELEVANCE, type ScoredFinding } from './judge-context.js';
import { describeEdgeLayer, judgeEdgeMinted } from './rules/judge-edge.js';
import { judgeKeepaliveRace } from './rules/judge-keepalive-race.js';
import { judgeNoHealthyTargets } from './rules/judge-no-healthy-targets.js';
import { judgeOrigin5xx } from './rules/judge-origin-5xx.js';
import { judgeOriginTimeout } from './rules/judge-origin-timeout.js';
import { inconclusiveFinding, missingViews, noErrorsFinding } from './rules/judge-quiet-window.js';
import { judgeTargetUnreachable } from './rules/judge-target-unreachable.js';
import { judgeThrottling } from './rules/judge-throttling.js';

const RULES = [
  judgeThrottling,
  judgeKeepaliveRace,
  judgeOrigin5xx,
  judgeTargetUnreachable,
  judgeOriginTimeout,
  judgeNoHealthyTargets,
  judgeEdgeMinted,
];

/** Below this relevance nothing explains the asked minute: the verdict is a calm window (or inconclusive). */
const EXPLAINS_ASKED_TIME = 1.5;

/**
 * The verdict engine: a pure function from evidence to findings, most relevant to the asked
 * minute first. Every rule judges its signal against the signal's own baseline and the asked
 * time; the first finding is the verdict. Never empty.
 */
export function judgeEvidence(evidence: Evidence, fmt: TimeFormatter): Finding[] {
  const ctx = new JudgeContext(evidence, fmt);
  const scored = RULES.map((rule) => rule(ctx))
    .filter((finding): finding is ScoredFinding => finding !== null)
    .map((scoredFinding) => withAskedMinuteCover(ctx, scoredFinding));
  scored.sort((a, b) => b.relevance - a.relevance);
  const missing = missingViews(ctx);
  if (scored.length > 0 && scored[0]!.relevance >= EXPLAINS_ASKED_TIME)
    return withEdgeLayer(ctx, withUnmeasuredNote(asSecondary(scored, 1), missing));
  const lead =
    missing.length > 0
      ? inconclusiveFinding(ctx, missing)
      : noErrorsFinding(
          ctx,
          scored.map(({ finding }) => finding),
        );
  return withEdgeLayer(ctx, [lead, ...asSecondary(scored, 0)]);
}

/** With edge logs, the verdict also says what the edge did with the errors (unless the edge's own finding leads). */
function withEdgeLayer(ctx: JudgeContext, findings: Finding[]): Finding[] {
  const [verdict, ...rest] = findings;
  const layer = describeEdgeLayer(ctx);
  if (!verdict || !layer || verdict.facts.scope === 'edge') return findings;
  return [{ ...verdict, reasons: [...verdict.reasons, layer] }, ...rest];
}

/**
 * A finding whose own logs did not measure the asked minute cannot explain that minute, however
 * clear the rest of the window is: it drops below the findings that did, and says so.
 */
function withAskedMinuteCover(ctx: JudgeContext, scored: ScoredFinding): ScoredFinding {
  const basis = scored.basis;
  if (!basis || basis.some((name) => ctx.covers(name, ctx.askedIndex))) return scored;
  const holes = basis.map((name) => ctx.holesText(name)).find((text) => text !== null);
  const note = `The asked minute ${ctx.minuteText(ctx.askedIndex)} is not covered by these logs${holes ? ` (missing: ${holes})` : ''}: this finding describes the rest of the window.`;
  const finding = { ...scored.finding, confidence: 'low' as const, reasons: [...scored.finding.reasons, note] };
  return { ...scored, finding, relevance: Math.min(scored.relevance, RELEVANCE.askedMinuteNotCovered) };
}

/** Findings from `from` on lead with their secondary headline: context, not a second answer. */
function asSecondary(scored: readonly ScoredFinding[], from: number): Finding[] {
  return scored.map(({ finding, secondaryHeadline }, i) =>
    i >= from && secondaryHeadline ? { ...finding, headline: secondaryHeadline } : finding,
  );
}

/** A verdict reached with a view missing says so, and is never "high" confidence. */
function withUnmeasuredNote(findings: Finding[], missing: string[]): Finding[] {
  if (missing.length === 0) return findings;
  const [verdict, ...rest] = findings;
  const note = `Not measured: ${missing.join('; ')}.`;
  return [
    {
      ...verdict!,
      confidence: verdict!.confidence === 'high' ? 'medium' : verdict!.confidence,
      reasons: [...verdict!.reasons, note],
    },
    ...rest,
  ];
}
