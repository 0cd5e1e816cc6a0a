import type { Confidence } from '../core/types.js';
import { RELEVANCE } from './judge-context.js';

/**
 * A finding's signature as a list of conditions, written once per rule and used twice: each
 * condition is a row of the finding's reasons, and together they set how far the finding may
 * rank. A finding whose signature the asked minute contradicts (target 5xx at that minute
 * under a "clean keep-alive race") can never outrank one the asked minute supports directly.
 */
export interface SignatureCondition {
  /** The reason row, already phrased for whichever way it went. */
  reason: string;
  /** true: the evidence shows it; false: the evidence contradicts it; null: not measured. */
  holds: boolean | null;
  /** True when the condition is about the asked minute itself (not the window at large). */
  atAskedTime: boolean;
  /** Parts of the condition that could not be measured (each keeps the finding from "high"). */
  unmeasured?: number;
}

export interface SignatureVerdict {
  /** The relevance after the conditions: capped when the asked minute contradicts the signature. */
  relevance: number;
  confidence: Confidence;
  contradictedAtAsked: boolean;
  contradicted: boolean;
  unknown: number;
  reasons: string[];
}

/**
 * Applies a rule's conditions to the relevance its activity earned: a contradiction at the
 * asked minute caps it just below a finding the minute supports directly; a contradiction
 * elsewhere in the window lowers confidence; an unmeasured condition keeps it from "high".
 */
export function judgeSignature(
  relevance: number,
  confidence: Confidence,
  conditions: readonly SignatureCondition[],
): SignatureVerdict {
  const contradictedAtAsked = conditions.some((c) => c.holds === false && c.atAskedTime);
  const contradicted = conditions.some((c) => c.holds === false);
  const unknown = conditions.reduce((sum, c) => sum + (c.holds === null ? 1 : 0) + (c.unmeasured ?? 0), 0);
  // Contradicted in the asked minute: below anything that minute supports. Contradicted only
  // elsewhere in the window: a notch down, still able to lead.
  const capped = contradictedAtAsked
    ? Math.min(relevance, RELEVANCE.contradictedAtAskedTime)
    : contradicted
      ? relevance - 0.5
      : relevance;
  const lowered: Confidence = contradicted ? 'low' : unknown > 0 && confidence === 'high' ? 'medium' : confidence;
  return {
    relevance: capped,
    confidence: lowered,
    contradictedAtAsked,
    contradicted,
    unknown,
    reasons: conditions.map((c) => c.reason),
  };
}
