import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { plainTextOf } from '../../src/ask/answer-document.js';
import { answerFreeText } from '../../src/ask/answer-free-text.js';
import type { ReportJson } from '../../src/core/report.js';
import { createOpenAiClient, type OpenAiDraftDeps } from '../../src/draft/openai-draft.js';
import { formatterOfReport } from '../../src/grammar/formatters.js';
import { setProcessEnv } from '../support/process-env.js';
import { runCli } from '../support/run-cli.js';
import { INDEX, minute } from '../support/scenarios.js';
import { errorReply, type OpenAiStandIn, startOpenAiStandIn, textReply } from './support/openai-stand-in.js';
import { tenantReport } from './support/tenant-report.js';

const QUESTION = 'when did the 429s peak?';

let standIn: OpenAiStandIn;
let report: ReportJson;
let saved: Record<string, string | undefined>;
beforeAll(async () => {
  standIn = await startOpenAiStandIn();
  // The SDK reads OPENAI_BASE_URL itself: the stand-in is reached the way a team's gateway would be.
  saved = setProcessEnv({ OPENAI_BASE_URL: standIn.baseUrl });
  report = (
    await tenantReport([
      { kind: 'throttle', index: INDEX, fromMinute: minute('19:29'), toMinute: minute('19:40'), peakPerMinute: 150 },
      { kind: 'keepalive_502', perMinute: 2 },
    ])
  ).report;
});
afterAll(async () => {
  setProcessEnv(saved);
  await standIn.close();
});
afterEach(() => {
  standIn.requests.length = 0;
});

function deps(): OpenAiDraftDeps {
  return { client: createOpenAiClient({ OPENAI_API_KEY: 'test' })!, model: 'gpt-test', timeoutMs: 5_000 };
}

/** An answer whose every number is the fixture's own: the 429 peak and its minute. */
function groundedAnswer(): string {
  const peak = report.signals.throttled_429!.peak!;
  return `The 429s peaked at ${peak.count} in the minute of ${formatterOfReport(report).localClock(new Date(peak.minute))} AEST; the origin returned 0 5xx.`;
}

describe('answerFreeText', () => {
  it("shows the model's answer when every number in it is in the evidence", async () => {
    const answer = groundedAnswer();
    standIn.reply(textReply(answer));

    const result = await answerFreeText(report, QUESTION, formatterOfReport(report), deps());

    expect({ text: result.text, note: result.note }).toEqual({ text: answer, note: undefined });
    expect(plainTextOf(result.document)).toBe(
      `From this thread’s evidence\n${answer}\nWritten by the model from the evidence's totals only; every number in it was checked against the evidence.`,
    );
  });

  it('sends the aggregates and the question only: no sample row, trace id, path, index name or reason, nothing stored', async () => {
    standIn.reply(textReply('The evidence does not say.'));

    await answerFreeText(report, QUESTION, formatterOfReport(report), deps());

    const [sent] = standIn.requests;
    expect(Object.keys(sent!).sort()).toEqual(['input', 'instructions', 'model', 'store']);
    expect(sent!.store).toBe(false);
    const input = String(sent!.input);
    expect(input.endsWith(`Question:\n"""\n${QUESTION}\n"""`)).toBe(true);
    for (const secret of [
      INDEX,
      'Root=1-',
      '/indexes/',
      'k8s-',
      report.samples![0]!.time,
      report.verdict.reasons[0]!,
      'PR--',
      '10.0.',
    ])
      expect(input).not.toContain(secret);
  });

  it('lists what it can answer, naming the numbers, when the answer has one not in the evidence', async () => {
    standIn.reply(textReply(`${groundedAnswer()} About 44,000 customers were affected.`));

    const result = await answerFreeText(report, QUESTION, formatterOfReport(report), deps());

    expect({ text: result.text, note: result.note, title: result.document.title }).toEqual({
      text: null,
      note: "the model's answer had numbers not in the evidence: 44,000",
      title: 'I can answer:',
    });
  });

  it('refuses an answer that adds a link or an instruction', async () => {
    standIn.reply(textReply('See https://status.example.com and log in to check.'));

    const result = await answerFreeText(report, QUESTION, formatterOfReport(report), deps());

    expect(result.note).toBe(
      "the model's answer added what the evidence does not hold: a link (https://status.example.com), a host name (status.example.com), an instruction to act (log in)",
    );
  });

  it('lists what it can answer when the model says the evidence does not say', async () => {
    standIn.reply(textReply('The evidence does not say.'));

    const result = await answerFreeText(report, 'was there a Cloudflare incident?', formatterOfReport(report), deps());

    expect({ text: result.text, note: result.note }).toEqual({ text: null, note: 'the evidence does not say' });
    expect(plainTextOf(result.document)).toContain('Not answered as asked: the evidence does not say.');
  });

  it('says OpenAI failed, after one request, when it answers HTTP 500', async () => {
    standIn.reply(errorReply(500, 'boom'));

    const result = await answerFreeText(report, QUESTION, formatterOfReport(report), deps());

    expect({ note: result.note, requests: standIn.requests.length }).toEqual({
      note: 'OpenAI answered HTTP 500',
      requests: 1,
    });
  });

  it('lists what it can answer without a model', async () => {
    const result = await answerFreeText(report, QUESTION, formatterOfReport(report), null);

    expect(plainTextOf(result.document)).toBe(
      [
        'I can answer:',
        '• 08:22 — a verdict for another minute (also 8:22am, 2026-06-19 08:22 AEST); outside the window, a new investigation',
        '• impact — requests, LB-minted and target 5xx (502/503/504), the rate as 1 in N, the worst minute',
        '• tenants — which target groups had LB-minted errors: everyone or just us?',
        "• claim 537k 502s over 4h — checks a customer's figure against the requests and errors that exist",
        '• rows — the access-log rows of the LB-minted errors nearest the asked minute',
        '• help — this list',
        'Not answered as asked: free-text questions need OPENAI_API_KEY.',
      ].join('\n'),
    );
    expect(standIn.requests).toEqual([]);
  });
});

describe('why502 ask with free text', () => {
  it('answers through the model named by the environment', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'why502-ask-'));
    try {
      writeFileSync(path.join(dir, 'report.json'), JSON.stringify(report));
      standIn.reply(textReply(groundedAnswer()));

      const run = await runCli(['ask', 'report.json', 'when', 'did', 'the', '429s', 'peak?'], {
        cwd: dir,
        env: { OPENAI_API_KEY: 'test' },
      });

      expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
      expect(run.stdout.split('\n').slice(0, 3)).toEqual(['From this thread’s evidence', '', groundedAnswer()]);
      expect(String(standIn.requests[0]!.input)).toContain('Question:\n"""\nwhen did the 429s peak?\n"""');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
