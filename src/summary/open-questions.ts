/**
 * What the channel's verdicts leave open, derived from the verdicts alone (never guessed): an
 * inconclusive answer, a low-confidence one, two answers for nearly the same minute that disagree,
 * and verdicts that put the errors on our side (someone has to own the fix). Pure.
 */
import type { VerdictKind } from '../core/types.js';
import { VERDICT_LABELS } from '../render/verdict-labels.js';
import type { VerdictRecord } from './verdict-record.js';

/** Text, and the verdicts it names (rendered with their time and a link to their thread). */
export type QuestionPart = string | { verdict: VerdictRecord };

export interface OpenQuestion {
  parts: QuestionPart[];
}

/** Asked times this close, for one index, are the same question. */
const SAME_MINUTE_MS = 5 * 60_000;
/** Verdicts that say our side failed: an owner and a fix are open until someone says otherwise. */
const OUR_SIDE: ReadonlySet<VerdictKind> = new Set([
  'origin_5xx',
  'target_unreachable',
  'origin_timeout',
  'no_healthy_targets',
]);

/** `records` in the order to list them (chronological). */
export function findOpenQuestions(records: readonly VerdictRecord[]): OpenQuestion[] {
  const open: OpenQuestion[] = [];
  for (const verdict of records) {
    const label = VERDICT_LABELS[verdict.kind];
    if (verdict.kind === 'inconclusive')
      open.push({
        parts: [
          { verdict },
          ': inconclusive — a source was missing or failed (named in the thread); fix it and ask again.',
        ],
      });
    else if (verdict.confidence === 'low')
      open.push({
        parts: [
          { verdict },
          `: ${label} with low confidence — check the thread's reasons before telling the customer.`,
        ],
      });
    if (OUR_SIDE.has(verdict.kind)) open.push({ parts: [{ verdict }, `: ${label} — our side; who owns the fix?`] });
  }
  return [...open, ...disagreements(records)];
}

function disagreements(records: readonly VerdictRecord[]): OpenQuestion[] {
  const found: OpenQuestion[] = [];
  for (let i = 0; i < records.length; i++) {
    for (let j = i + 1; j < records.length; j++) {
      const a = records[i]!;
      const b = records[j]!;
      if (Math.abs(b.at.getTime() - a.at.getTime()) > SAME_MINUTE_MS || a.index !== b.index || a.kind === b.kind)
        continue;
      found.push({
        parts: [
          { verdict: a },
          ' and ',
          { verdict: b },
          ` disagree: ${VERDICT_LABELS[a.kind]} vs ${VERDICT_LABELS[b.kind]}. Which minute does the customer mean?`,
        ],
      });
    }
  }
  return found;
}

/** Slack ts ("1718812345.000100") in time order. */
export function compareTs(a: string, b: string): number {
  return Number(a) - Number(b) || (a < b ? -1 : a > b ? 1 : 0);
}
