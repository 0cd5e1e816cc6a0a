import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { clockFrom } from '../../../src/core/clock.js';
import { DEMO_INCIDENT, DEMO_INDEX, DEMO_NOW, DEMO_TIME, demoConfig } from '../../../src/demo/demo-incident.js';
import { commandDefaults, createInvestigationRunner } from '../../../src/engine/create-runner.js';
import type { InvestigationResult } from '../../../src/engine/investigation-runner.js';
import { parseInvestigation } from '../../../src/grammar/parse-command.js';
import { BLOCK_LIMITS, blockTextLength } from '../../../src/render/slack/block-kit.js';
import { renderDraftLayouts } from '../../../src/render/slack/draft-message.js';
import type { SlackMessage } from '../../../src/render/slack/slack-message.js';
import { renderVerdictLayouts } from '../../../src/render/slack/verdict-message.js';
import { writeIncidentLogs } from '../../../src/simulate/write-incident-logs.js';
import { blockTextCharacters, SLACK_OBSERVED_BLOCK_TEXT_LIMIT } from '../../slack/support/fake-slack-api.js';

/**
 * The demo incident's messages, measured: block text (as the budget counts it) and the JSON
 * Slack receives. The budget keeps ~22 % under the ~9,000 characters Slack was seen to reject.
 */
let result: InvestigationResult;

beforeAll(async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'why502-message-size-'));
  await writeIncidentLogs(DEMO_INCIDENT, dir);
  const config = demoConfig(path.join(dir, 'alb'), path.join(dir, 'haproxy'));
  const command = parseInvestigation(
    { positionals: [DEMO_INDEX, ...DEMO_TIME], noDraft: false },
    commandDefaults(config, DEMO_NOW),
  );
  result = await createInvestigationRunner({ config, env: {}, clock: clockFrom(DEMO_NOW), warn: () => {} }).run(
    command,
  );
}, 60_000);

const sizeOf = (message: SlackMessage) => message.blocks.reduce((sum, block) => sum + blockTextLength(block), 0);

describe('the demo’s Slack messages', () => {
  it('stay under the block-text budget, which stays under the size Slack was seen to reject', () => {
    const verdict = renderVerdictLayouts(result.report, result.formatter, 'native');
    const ref = {
      v: 1 as const,
      channel: 'C0ONCALL',
      threadTs: '1750275660.000100',
      text: 'prod_000_audio 05:41 AEST',
      requestedAt: DEMO_NOW.toISOString(),
      askedBy: 'U0ONCALL',
      index: result.report.index,
      at: result.report.at,
      kind: result.report.verdict.kind,
      confidence: result.report.verdict.confidence,
      headline: result.report.verdict.headline,
    };
    const draft = renderDraftLayouts(result.report.draft, ref, { incidentChannel: 'C0INCIDENTS' });
    const measured = [
      ['verdict, chart block + native table', verdict[0]!],
      ['verdict, sparklines + native table', verdict[1]!],
      ['verdict, sparklines + stacked', verdict[2]!],
      ['verdict, text alone', verdict[3]!],
      ['draft, blocks', draft[0]!],
      ['draft, text alone', draft[1]!],
    ] as const;
    const chart = verdict[0]!.blocks.find((b) => b.type === 'data_visualization')!;

    console.log(
      measured
        .map(
          ([name, m]) =>
            `${name}: ${m.blocks.length} blocks, ${sizeOf(m)} characters of block text, ${JSON.stringify(m.blocks).length} bytes of blocks JSON, ${m.text.length} characters of text`,
        )
        .join('\n'),
      `\nthe chart block alone: ${blockTextLength(chart)} characters as counted, ${JSON.stringify(chart).length} bytes of JSON; the demo report has ${result.report.samples?.length ?? 0} sample rows`,
    );
    expect(BLOCK_LIMITS.messageTextBudget).toBeLessThanOrEqual(SLACK_OBSERVED_BLOCK_TEXT_LIMIT * 0.8);
    expect(measured.map(([, m]) => sizeOf(m) <= BLOCK_LIMITS.messageTextBudget)).toEqual([
      true,
      true,
      true,
      true,
      true,
      true,
    ]);
    expect(measured.map(([, m]) => m.text.length <= BLOCK_LIMITS.fallbackText)).toEqual([
      true,
      true,
      true,
      true,
      true,
      true,
    ]);
    expect(measured.map(([, m]) => blockTextCharacters(m.blocks) === sizeOf(m))).toEqual([
      true,
      true,
      true,
      true,
      true,
      true,
    ]);
    expect(verdict.map((m) => m.metadata?.event_type)).toEqual([
      'why502_verdict',
      'why502_verdict',
      'why502_verdict',
      'why502_verdict',
    ]);
  });
});
