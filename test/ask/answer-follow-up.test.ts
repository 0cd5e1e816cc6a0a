import { beforeAll, describe, expect, it } from 'vitest';
import { plainTextOf } from '../../src/ask/answer-document.js';
import { askReport } from '../../src/ask/answer-follow-up.js';
import type { ReportJson } from '../../src/core/report.js';
import { renderAnswerSlack } from '../../src/render/slack/answer-message.js';
import { loadDemoReport } from '../render/support/demo-report.js';

const NOW = new Date('2026-06-18T23:00:00Z');

describe('askReport', () => {
  let demo: ReportJson;
  beforeAll(async () => {
    demo = await loadDemoReport();
  });

  it('answers each kind of question from the report alone', async () => {
    const kinds = [];
    for (const text of [
      'impact',
      'tenants',
      'rows',
      '06:30',
      '08:22',
      'claim 537k 502s',
      'help',
      'claim',
      'was there a Cloudflare incident?',
    ])
      kinds.push((await askReport(text, demo, NOW)).kind);

    expect(kinds).toEqual([
      'impact',
      'tenants',
      'rows',
      'rejudged',
      'needs_investigation',
      'claim',
      'help',
      'problem',
      'free_text',
    ]);
  });

  it('answers a question it cannot read with the problem, the fix and the list, in Slack too', async () => {
    const answer = await askReport('claim 537k 502s over a while', demo, NOW);

    expect(plainTextOf(answer.document).split('\n').slice(0, 4)).toEqual([
      'I could not read "a while" as the claim\'s duration.',
      'Give it as e.g. "over 4h", "over 90m" or "over 2h30m".',
      'I can answer:',
      '• 08:22 — a verdict for another minute (also 8:22am, 2026-06-19 08:22 AEST); outside the window, a new investigation',
    ]);
    expect(JSON.stringify(renderAnswerSlack(answer.document).blocks)).toContain(
      '`claim 537k 502s over 4h` — checks a customer',
    );
  });
});
