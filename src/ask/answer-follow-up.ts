/**
 * One entry point for a follow-up: question text and a saved report in, an answer out, every kind
 * with its structured result and an AnswerDocument to render (render/answer-text.ts,
 * render/slack/answer-message.ts). Everything but free text is pure and answered from the report alone;
 * another minute outside the window comes back as `needs_investigation` for the caller to run.
 */
import type { ReportJson } from '../core/report.js';
import type { OpenAiDraftDeps } from '../draft/openai-draft.js';
import { formatterOfReport } from '../grammar/formatters.js';
import { answerAnotherTime, type NeedsInvestigationAnswer, type RejudgedAnswer } from './answer-another-time.js';
import { answerClaim, type ClaimAnswer } from './answer-claim.js';
import { type AnswerDocument, note, paragraph } from './answer-document.js';
import { answerFreeText, type FreeTextAnswer } from './answer-free-text.js';
import { answerImpact, type ImpactAnswer } from './answer-impact.js';
import { answerRows, type RowsAnswer } from './answer-rows.js';
import { answerTenants, type TenantsAnswer } from './answer-tenants.js';
import type { VerdictSettings } from './evidence-from-report.js';
import type { FollowUpProblem, FollowUpQuestion } from './follow-up-question.js';
import { followUpContextFor, parseFollowUp } from './parse-follow-up.js';
import { questionListBlock } from './question-list.js';

export interface HelpAnswer {
  kind: 'help';
  document: AnswerDocument;
}

/** A question that could not be read: the specific problem, then what can be asked. */
export interface ProblemAnswer {
  kind: 'problem';
  message: string;
  hint?: string;
  document: AnswerDocument;
}

export type FollowUpAnswer =
  | RejudgedAnswer
  | NeedsInvestigationAnswer
  | ImpactAnswer
  | TenantsAnswer
  | ClaimAnswer
  | RowsAnswer
  | FreeTextAnswer
  | HelpAnswer
  | ProblemAnswer;

export interface FollowUpDeps {
  /** The model for free text; absent or null: free text gets "I can answer: …". */
  openai?: OpenAiDraftDeps | null;
  /** The config's idle timeout and slow-request threshold, for a minute re-judged from a report that does not carry them. */
  settings?: VerdictSettings;
}

/** Parses and answers: `askReport('claim 537k 502s', report, now)`. */
export async function askReport(
  text: string,
  report: ReportJson,
  now: Date,
  deps: FollowUpDeps = {},
): Promise<FollowUpAnswer> {
  return answerFollowUp(parseFollowUp(text, followUpContextFor(report, now)), report, deps);
}

export async function answerFollowUp(
  question: FollowUpQuestion | FollowUpProblem,
  report: ReportJson,
  deps: FollowUpDeps = {},
): Promise<FollowUpAnswer> {
  if (question.kind === 'free_text')
    return answerFreeText(report, question.text, formatterOfReport(report), deps.openai);
  return answerFromReport(question, report, deps.settings);
}

/** Every question but free text, answered from the report alone. Pure. */
export function answerFromReport(
  question: Exclude<FollowUpQuestion, { kind: 'free_text' }> | FollowUpProblem,
  report: ReportJson,
  settings: VerdictSettings = {},
): FollowUpAnswer {
  const fmt = formatterOfReport(report);
  switch (question.kind) {
    case 'time':
      return answerAnotherTime(report, question.asked, settings);
    case 'impact':
      return answerImpact(report, fmt);
    case 'tenants':
      return answerTenants(report, fmt);
    case 'rows':
      return answerRows(report, fmt);
    case 'claim':
      return answerClaim(report, question, fmt);
    case 'help':
      return { kind: 'help', document: questionList('I can answer, in this thread:') };
    case 'problem':
      return problemAnswer(question);
  }
}

export function problemAnswer(problem: FollowUpProblem): ProblemAnswer {
  const list = questionList('I can answer:');
  return {
    kind: 'problem',
    message: problem.message,
    ...(problem.hint ? { hint: problem.hint } : {}),
    document: {
      title: problem.message,
      blocks: [...(problem.hint ? [paragraph(problem.hint)] : []), paragraph(list.title), ...list.blocks],
    },
  };
}

function questionList(title: string): AnswerDocument {
  return {
    title,
    blocks: [
      questionListBlock(),
      note(
        'Anything else is answered from the thread’s evidence totals by the model, when one is configured, and only when every number in its answer is in the evidence.',
      ),
    ],
  };
}
