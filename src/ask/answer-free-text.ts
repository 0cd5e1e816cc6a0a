/**
 * The edge of a free-text follow-up: the model answers from the report's aggregates only
 * (free-text-request.ts), and its answer is shown only when every number in it is in the evidence
 * and it adds no link, instruction or promise — the customer draft's grounding rule
 * (draft/grounding.ts, draft/added-content.ts). Without a client, or when the model fails, refuses
 * or is not grounded, the reply lists what can be answered, and says why.
 */
import type { Response } from 'openai/resources/responses/responses';
import type { ReportJson } from '../core/report.js';
import type { TimeFormatter } from '../core/types.js';
import { findAddedContent } from '../draft/added-content.js';
import { findUngroundedNumbers } from '../draft/grounding.js';
import type { OpenAiDraftDeps } from '../draft/openai-draft.js';
import { MAX_REWRITE_INPUT_CHARS } from '../draft/rewrite-request.js';
import { printableText } from '../files/printable-text.js';
import { type AnswerDocument, note, paragraph } from './answer-document.js';
import { buildFreeTextRequest, NOT_IN_EVIDENCE } from './free-text-request.js';
import { questionListBlock } from './question-list.js';

export interface FreeTextAnswer {
  kind: 'free_text';
  question: string;
  /** The model's answer, when it was given and held up; null when the reply is the list of questions. */
  text: string | null;
  /** Why the model's answer is not shown (no key, an HTTP error, a number not in the evidence…). */
  note?: string;
  document: AnswerDocument;
}

/** The longest answer kept: five sentences fit well inside it. */
const MAX_ANSWER_CHARS = 1_500;

export async function answerFreeText(
  report: ReportJson,
  question: string,
  fmt: TimeFormatter,
  openai: OpenAiDraftDeps | null | undefined,
): Promise<FreeTextAnswer> {
  if (!openai) return cannotAnswer(question, 'free-text questions need OPENAI_API_KEY');
  const request = buildFreeTextRequest(report, question, fmt);
  if (request.input.length > MAX_REWRITE_INPUT_CHARS)
    return cannotAnswer(
      question,
      `the request to the model would be ${request.input.length} characters, over the ${MAX_REWRITE_INPUT_CHARS} allowed`,
    );
  const answered = await askModel(request.instructions, request.input, openai);
  if (answered.kind === 'failed') return cannotAnswer(question, answered.note);
  const text = answered.text;
  if (text === NOT_IN_EVIDENCE || text.replace(/\s+/g, ' ') === NOT_IN_EVIDENCE)
    return cannotAnswer(question, 'the evidence does not say');
  const ungrounded = findUngroundedNumbers(text, { templateDraft: '', report, fmt });
  if (ungrounded.length > 0)
    return cannotAnswer(
      question,
      `the model's answer had numbers not in the evidence: ${ungrounded.slice(0, 5).join(', ')}`,
    );
  const added = findAddedContent(text, '');
  if (added.length > 0)
    return cannotAnswer(
      question,
      `the model's answer added what the evidence does not hold: ${added.slice(0, 3).join(', ')}`,
    );
  return {
    kind: 'free_text',
    question,
    text,
    document: {
      title: 'From this thread’s evidence',
      blocks: [
        paragraph(text),
        note(
          "Written by the model from the evidence's totals only; every number in it was checked against the evidence.",
        ),
      ],
    },
  };
}

/** "I can answer: …", with the reason the question itself was not answered. */
export function cannotAnswer(question: string, reason: string): FreeTextAnswer {
  return {
    kind: 'free_text',
    question,
    text: null,
    note: reason,
    document: {
      title: 'I can answer:',
      blocks: [questionListBlock(), note(`Not answered as asked: ${reason}.`)],
    },
  };
}

type ModelAnswer = { kind: 'answered'; text: string } | { kind: 'failed'; note: string };

// One attempt: an engineer waiting in a thread is better served by the list than by a second wait.
// store: false, as for the draft: nothing about the incident is kept on the provider's side.
async function askModel(instructions: string, input: string, deps: OpenAiDraftDeps): Promise<ModelAnswer> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), deps.timeoutMs);
  });
  try {
    const request = deps.client.responses.create(
      { model: deps.model, instructions, input, store: false },
      { timeout: deps.timeoutMs, maxRetries: 0 },
    );
    const response = await Promise.race([request, deadline]);
    if (response === 'timeout') return { kind: 'failed', note: `OpenAI did not answer within ${deps.timeoutMs} ms` };
    return readResponse(response);
  } catch (error) {
    const status = (error as { status?: unknown }).status;
    if (typeof status === 'number') return { kind: 'failed', note: `OpenAI answered HTTP ${status}` };
    return {
      kind: 'failed',
      note: `the OpenAI request failed (${shorten(error instanceof Error ? error.message : String(error))})`,
    };
  } finally {
    clearTimeout(timer);
  }
}

function readResponse(response: Response): ModelAnswer {
  for (const item of response.output ?? []) {
    if (item.type !== 'message') continue;
    for (const part of item.content)
      if (part.type === 'refusal') return { kind: 'failed', note: 'the model declined to answer' };
  }
  if (response.status === 'incomplete')
    return {
      kind: 'failed',
      note: `the model's answer was cut short (${response.incomplete_details?.reason ?? 'incomplete'})`,
    };
  // Control characters would act on the terminal that prints the answer.
  const text = printableText(response.output_text ?? '', { multiline: true }).trim();
  if (text.length === 0) return { kind: 'failed', note: 'the model returned an empty answer' };
  if (text.length > MAX_ANSWER_CHARS)
    return {
      kind: 'failed',
      note: `the model's answer was ${text.length} characters, over the ${MAX_ANSWER_CHARS} allowed`,
    };
  return { kind: 'answered', text };
}

function shorten(text: string, maxChars = 120): string {
  const oneLine = printableText(text.replace(/\s+/g, ' ')).trim();
  return oneLine.length <= maxChars ? oneLine : `${oneLine.slice(0, maxChars - 1)}…`;
}
