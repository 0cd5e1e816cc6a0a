/**
 * The edge of the customer draft (CONTRACT §8): with an OpenAI client, the template draft is
 * rewritten by the model from aggregates alone, and the rewrite is used only when every number in
 * it is backed by the evidence and it names nothing internal. Any failure, refusal, empty answer,
 * timeout or ungrounded number gives the template draft back with a short note saying why.
 */
import OpenAI, { APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import type { Response } from 'openai/resources/responses/responses';
import type { ReportJson } from '../core/report.js';
import type { CustomerDraft, DraftTone, TimeFormatter } from '../core/types.js';
import { printableText } from '../files/printable-text.js';
import { findAddedContent } from './added-content.js';
import { findUngroundedNumbers } from './grounding.js';
import { findInternalDetails } from './internal-details.js';
import {
  buildRewriteEvidence,
  buildRewriteInput,
  buildRewriteInstructions,
  MAX_REWRITE_INPUT_CHARS,
} from './rewrite-request.js';
import { buildTemplateDraft, withPlaceholderNote } from './template-draft.js';

export interface OpenAiDraftDeps {
  client: OpenAI;
  model: string;
  /** Per attempt. A timed-out attempt is not retried: the budget is spent. */
  timeoutMs: number;
}

export interface RewriteInput {
  report: ReportJson;
  templateDraft: string;
  tone: DraftTone;
  fmt: TimeFormatter;
}

export const DEFAULT_OPENAI_TIMEOUT_MS = 20_000;

/**
 * The OpenAI client for the draft, or null when OPENAI_API_KEY is unset. The SDK reads
 * OPENAI_BASE_URL from the process environment itself; we never pass a base URL over it.
 * Retries are ours (one, in rewriteDraft), so the SDK's are off.
 */
export function createOpenAiClient(
  env: Record<string, string | undefined>,
  options: { timeoutMs?: number } = {},
): OpenAI | null {
  const apiKey = env.OPENAI_API_KEY?.trim();
  if (!apiKey) return null;
  return new OpenAI({ apiKey, maxRetries: 0, timeout: options.timeoutMs ?? DEFAULT_OPENAI_TIMEOUT_MS });
}

/**
 * The template draft, rewritten by the model when `openai` is given (and the rewrite holds up),
 * with a note asking the SRE to fill in or remove the "[What we're doing: …]" line when it has one.
 */
export async function createDraft(
  report: ReportJson,
  fmt: TimeFormatter,
  options: { tone?: DraftTone; openai?: OpenAiDraftDeps | null } = {},
): Promise<CustomerDraft> {
  const tone = options.tone ?? 'neutral';
  const templateDraft = buildTemplateDraft(report, fmt, { tone });
  if (!options.openai) return withPlaceholderNote({ text: templateDraft, generator: 'template' });
  return withPlaceholderNote(await rewriteDraft({ report, templateDraft, tone, fmt }, options.openai));
}

export async function rewriteDraft(input: RewriteInput, deps: OpenAiDraftDeps): Promise<CustomerDraft> {
  const fallback = (note: string): CustomerDraft => ({ text: input.templateDraft, generator: 'template', note });
  const userTurn = buildRewriteInput(buildRewriteEvidence(input.report, input.fmt), input.templateDraft);
  if (userTurn.length > MAX_REWRITE_INPUT_CHARS)
    return fallback(
      `the request to the model would be ${userTurn.length} characters, over the ${MAX_REWRITE_INPUT_CHARS} allowed`,
    );
  const answer = await askWithOneRetry({ ...input, userTurn }, deps);
  if (answer.kind === 'failed') return fallback(answer.note);

  const refusal = refusalOf(answer.response);
  if (refusal !== null)
    return fallback(`the model declined to rewrite the draft${refusal ? `: ${shorten(refusal)}` : ''}`);
  if (answer.response.status === 'incomplete') {
    return fallback(`the model's answer was cut short (${answer.response.incomplete_details?.reason ?? 'incomplete'})`);
  }
  // Control characters (ESC c, a title change, NUL) would act on the terminal that prints the draft.
  const text = printableText(answer.response.output_text, { multiline: true }).trim();
  if (text.length === 0) return fallback('the model returned an empty answer');

  const ungrounded = findUngroundedNumbers(text, {
    templateDraft: input.templateDraft,
    report: input.report,
    fmt: input.fmt,
  });
  if (ungrounded.length > 0)
    return fallback(`the rewrite had numbers not in the evidence: ${ungrounded.slice(0, 5).join(', ')}`);
  const internal = findInternalDetails(text);
  if (internal.length > 0) return fallback(`the rewrite named internal details: ${internal.slice(0, 3).join(', ')}`);
  const added = findAddedContent(text, input.templateDraft);
  if (added.length > 0)
    return fallback(`the rewrite added what the draft does not say: ${added.slice(0, 3).join(', ')}`);
  return { text, generator: 'openai' };
}

type Answer = { kind: 'answered'; response: Response } | { kind: 'failed'; note: string };

type Request = RewriteInput & { userTurn: string };

async function askWithOneRetry(input: Request, deps: OpenAiDraftDeps): Promise<Answer> {
  try {
    return { kind: 'answered', response: await ask(input, deps) };
  } catch (firstError) {
    if (!isWorthRetrying(firstError)) return { kind: 'failed', note: describeOpenAiFailure(firstError, deps) };
    try {
      return { kind: 'answered', response: await ask(input, deps) };
    } catch (secondError) {
      return { kind: 'failed', note: `${describeOpenAiFailure(secondError, deps)} (after one retry)` };
    }
  }
}

// The Responses API is the one the installed SDK (openai 6) documents as primary.
// store: false — a customer's incident has no business being kept on the provider's side.
async function ask(input: Request, deps: OpenAiDraftDeps): Promise<Response> {
  const request = deps.client.responses.create(
    {
      model: deps.model,
      instructions: buildRewriteInstructions(input.tone),
      input: input.userTurn,
      store: false,
    },
    { timeout: deps.timeoutMs, maxRetries: 0 },
  );
  // The SDK's timeout aborts the fetch; this deadline also bounds the wait when a transport does
  // not act on the abort (intercepted fetch on Node 20 answers anyway). The draft must not hold
  // up the Slack thread.
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new RewriteTimeoutError()), deps.timeoutMs);
  });
  try {
    return await Promise.race([request, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

class RewriteTimeoutError extends Error {
  override name = 'RewriteTimeoutError';
}

const isTimeout = (error: unknown): boolean =>
  error instanceof RewriteTimeoutError || error instanceof APIConnectionTimeoutError;

/** Server errors, rate limits and dropped connections may pass on a second try; a timeout or a 4xx will not. */
function isWorthRetrying(error: unknown): boolean {
  if (isTimeout(error) || error instanceof APIUserAbortError) return false;
  if (!(error instanceof APIError)) return false;
  return (
    error.status === undefined ||
    error.status === 408 ||
    error.status === 409 ||
    error.status === 429 ||
    error.status >= 500
  );
}

function describeOpenAiFailure(error: unknown, deps: OpenAiDraftDeps): string {
  if (isTimeout(error) || error instanceof APIUserAbortError)
    return `OpenAI did not answer within ${deps.timeoutMs} ms`;
  if (error instanceof APIError && error.status !== undefined) return `OpenAI answered HTTP ${error.status}`;
  if (error instanceof APIError) return `could not reach OpenAI (${shorten(error.message)})`;
  return `the OpenAI request failed (${shorten(error instanceof Error ? error.message : String(error))})`;
}

/** The refusal text when the model refused (possibly ""), else null. */
function refusalOf(response: Response): string | null {
  for (const item of response.output ?? []) {
    if (item.type !== 'message') continue;
    for (const part of item.content) if (part.type === 'refusal') return part.refusal;
  }
  return null;
}

function shorten(text: string, maxChars = 120): string {
  const oneLine = printableText(text.replace(/\s+/g, ' ')).trim();
  return oneLine.length <= maxChars ? oneLine : `${oneLine.slice(0, maxChars - 1)}…`;
}
