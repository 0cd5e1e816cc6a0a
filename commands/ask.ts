import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { plainTextOf } from '../src/ask/answer-document.js';
import { answerFollowUp, type FollowUpAnswer } from '../src/ask/answer-follow-up.js';
import type { VerdictSettings } from '../src/ask/evidence-from-report.js';
import { questionExamples } from '../src/ask/follow-up-question.js';
import { followUpContextFor, parseFollowUp } from '../src/ask/parse-follow-up.js';
import { parseReportJson } from '../src/ask/read-report-json.js';
import { type CliIo, EXIT } from '../src/cli/cli-io.js';
import { defaultConfig, loadConfigFile, readSecrets } from '../src/config.js';
import { systemClock } from '../src/core/clock.js';
import type { ReportJson } from '../src/core/report.js';
import type { OpenAiDraftDeps } from '../src/draft/openai-draft.js';
import { UsageError } from '../src/errors.js';
import { renderAnswerText } from '../src/render/answer-text.js';
import { parseNow } from './investigate.js';

export interface AskOptions {
  format: 'text' | 'json';
  /** Pin "now" (ISO 8601): a time without a date is never read as after it. */
  now?: string;
  /** For the model's name and timeout, and the verdict settings when the report lacks them. */
  config?: string;
}

/** A report is a few hundred KB at most (3 h of 16 signals, 30 samples, some hundred tenants). */
const MAX_REPORT_BYTES = 20 * 1024 * 1024;

/**
 * `why502 ask <report.json> <question…>`: a follow-up question (CONTRACT §10) answered from a saved
 * report. Exit 0 with an answer (including "that needs a new investigation" and the list of
 * questions for free text the model cannot answer), 2 for a bad report file or question.
 */
export async function runAsk(
  input: { reportPath: string; question: string[]; options: AskOptions },
  io: CliIo,
): Promise<number> {
  const cwd = io.cwd ?? process.cwd();
  const report = readReport(input.reportPath, cwd);
  const loaded = loadConfigFile(input.options.config, cwd);
  const now = input.options.now ? parseNow(input.options.now) : systemClock.now();
  const question = parseFollowUp(input.question.join(' '), followUpContextFor(report, now));
  if (question.kind === 'problem') {
    const hint = question.hint ? `${question.hint} ` : '';
    throw new UsageError(
      question.message,
      `${hint}I can answer: ${questionExamples()}, or free text. Run "npx why502 ask ${input.reportPath} help" for the list.`,
    );
  }
  const openai = question.kind === 'free_text' ? await openAiFor(io.env, loaded?.config ?? defaultConfig()) : null;
  const answer = await answerFollowUp(question, report, {
    openai,
    ...(loaded ? { settings: settingsOf(loaded.config) } : {}),
  });
  writeAnswer(answer, question, input.options.format, io);
  return EXIT.ok;
}

function readReport(reportPath: string, cwd: string): ReportJson {
  const file = path.resolve(cwd, reportPath);
  const typed = JSON.stringify(reportPath);
  let size: number;
  try {
    const stat = statSync(file);
    if (stat.isDirectory())
      throw new UsageError(
        `The report ${typed} is a folder, not a file.`,
        'Give the JSON file a report was saved to with --format json.',
      );
    size = stat.size;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(
      `The report ${typed} does not exist or cannot be read.`,
      'Save one with e.g. "npx why502 demo --format json > report.json", then "npx why502 ask report.json impact".',
    );
  }
  if (size > MAX_REPORT_BYTES)
    throw new UsageError(
      `The report ${typed} is ${Math.round(size / 1024 / 1024)} MB; a why502 report is far smaller.`,
      'Give the file saved with --format json.',
    );
  return parseReportJson(readFileSync(file, 'utf8'), reportPath);
}

function settingsOf(config: ReturnType<typeof defaultConfig>): VerdictSettings {
  return { idleTimeoutSeconds: config.idleTimeoutSeconds, slowRequestSeconds: config.slowRequestSeconds };
}

// The OpenAI SDK is loaded only for free text with a key set.
async function openAiFor(
  env: Record<string, string | undefined>,
  config: ReturnType<typeof defaultConfig>,
): Promise<OpenAiDraftDeps | null> {
  if (!readSecrets(env).openaiApiKey) return null;
  const { createOpenAiClient } = await import('../src/draft/openai-draft.js');
  const client = createOpenAiClient(env, { timeoutMs: config.openai.timeoutSeconds * 1000 });
  return client ? { client, model: config.openai.model, timeoutMs: config.openai.timeoutSeconds * 1000 } : null;
}

/** Sample rows need room: a terminal's own width when it is one, else a wide page for a file or a pager. */
function tableWidth(io: CliIo): number {
  const columns = (io.stdout as { columns?: unknown }).columns;
  return io.stdout.isTTY && typeof columns === 'number' ? Math.max(columns, 100) : WIDE_PAGE_COLUMNS;
}

const WIDE_PAGE_COLUMNS = 180;

function writeAnswer(answer: FollowUpAnswer, question: unknown, format: AskOptions['format'], io: CliIo): void {
  if (format === 'json') {
    const { document, ...result } = answer;
    io.stdout.write(`${JSON.stringify({ question, answer: result, text: plainTextOf(document) }, null, 2)}\n`);
    return;
  }
  const lines = renderAnswerText(answer.document, { tableWidth: tableWidth(io) });
  if (answer.kind === 'needs_investigation')
    lines.push('', `Run: npx why502 ${answer.commandText} (with your --alb-logs/--proxy-logs or --config)`);
  io.stdout.write(`${lines.join('\n')}\n`);
}
