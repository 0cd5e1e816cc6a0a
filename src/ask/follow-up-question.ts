/**
 * What can be asked in a verdict thread (`@why502 …`) or of a saved report (`why502 ask …`):
 * CONTRACT §10. Pure data.
 */
import type { AskedTime } from '../core/types.js';

/** What a customer's figure counts, as they said it: "502s", "5xx", "errors", "429s"… */
export type ClaimStatus = '502' | '503' | '504' | '5xx' | '429' | 'errors';

export interface ClaimQuestion {
  kind: 'claim';
  /** The figure, e.g. 537000 for "537k". */
  figure: number;
  /** As typed, for the answer: "537k". */
  figureText: string;
  /** "errors" when no status was given. */
  status: ClaimStatus;
  /** The period the customer's figure covers; null when not given (the report's window is used). */
  durationMinutes: number | null;
}

export type FollowUpQuestion =
  /** Another minute: a full verdict for it. */
  | { kind: 'time'; asked: AskedTime }
  | { kind: 'impact' }
  | { kind: 'tenants' }
  | { kind: 'rows' }
  | ClaimQuestion
  | { kind: 'help' }
  /** Anything else: answered by the model from the report's aggregates, if at all. */
  | { kind: 'free_text'; text: string };

/** A question that could not be read: what was wrong, specifically. */
export interface FollowUpProblem {
  kind: 'problem';
  message: string;
  /** What to type instead, when there is one obvious fix. */
  hint?: string;
}

/** The questions the bot answers, one line each: the list in help and in every "I can answer" reply. */
export const FOLLOW_UP_QUESTIONS: readonly { example: string; what: string }[] = [
  {
    example: '08:22',
    what: 'a verdict for another minute (also 8:22am, 2026-06-19 08:22 AEST); outside the window, a new investigation',
  },
  { example: 'impact', what: 'requests, LB-minted and target 5xx (502/503/504), the rate as 1 in N, the worst minute' },
  { example: 'tenants', what: 'which target groups had LB-minted errors: everyone or just us?' },
  { example: 'claim 537k 502s over 4h', what: "checks a customer's figure against the requests and errors that exist" },
  { example: 'rows', what: 'the access-log rows of the LB-minted errors nearest the asked minute' },
  { example: 'help', what: 'this list' },
];

/** "impact · tenants · …" as one line, for replies that must stay short. */
export function questionExamples(): string {
  return FOLLOW_UP_QUESTIONS.map((q) => q.example).join(' · ');
}
