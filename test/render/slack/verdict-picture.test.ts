import { beforeAll, describe, expect, it } from 'vitest';
import type { ReportJson } from '../../../src/core/report.js';
import type { TimeFormatter } from '../../../src/core/types.js';
import { buildSlackChartBlock } from '../../../src/render/chart/slack-chart-block.js';
import { renderSlackSparklines } from '../../../src/render/chart/slack-sparklines.js';
import { BLOCK_LIMITS, blockTextLength, type KnownBlock } from '../../../src/render/slack/block-kit.js';
import { renderDraftLayouts } from '../../../src/render/slack/draft-message.js';
import type { SlackMessage } from '../../../src/render/slack/slack-message.js';
import { renderVerdictLayouts, renderVerdictMessage } from '../../../src/render/slack/verdict-message.js';
import { DEMO_SAMPLES, demoResult } from '../../slack/support/demo-report.js';
import { blockTextCharacters } from '../../slack/support/fake-slack-api.js';
import { throttlingReport } from '../../slack/support/report-fixture.js';

/** The demo's report without sample rows (the layouts are about the picture; samples have their own tests). */
let demo: ReportJson;
let fmt: TimeFormatter;
beforeAll(async () => {
  ({ report: demo, formatter: fmt } = await demoResult());
  delete demo.samples;
}, 60_000);

const types = (message: SlackMessage) => message.blocks.map((b) => b.type);
const sizeOf = (message: SlackMessage) => message.blocks.reduce((sum, b) => sum + blockTextLength(b), 0);
const textOf = (block: KnownBlock | undefined) => (block as { text?: { text: string } } | undefined)?.text?.text;
const sectionTexts = (message: SlackMessage) => message.blocks.map(textOf).filter((t): t is string => t !== undefined);

describe('the verdict message’s picture', () => {
  it('tries the chart block first, then the same message with sparklines in its place, then the stacked lines, then text', () => {
    const layouts = renderVerdictLayouts(demo, fmt, 'native');

    expect(layouts.map(types)).toEqual([
      ['header', 'section', 'data_visualization', 'table', 'context', 'section', 'section', 'section', 'context'],
      ['header', 'section', 'section', 'table', 'context', 'section', 'section', 'section', 'context'],
      ['header', 'section', 'section', 'section', 'context', 'section', 'section', 'section', 'context'],
      [],
    ]);
    expect(layouts[0]!.blocks[2]).toEqual(buildSlackChartBlock(demo, fmt, { blockId: 'why502_chart' })!.block);
    const sparklines = renderSlackSparklines(demo, fmt);
    expect([textOf(layouts[1]!.blocks[2]), textOf(layouts[2]!.blocks[2])]).toEqual([sparklines, sparklines]);
    expect(layouts.map((m) => m.metadata?.event_type)).toEqual([
      'why502_verdict',
      'why502_verdict',
      'why502_verdict',
      'why502_verdict',
    ]);
  });

  it('shows the 429 burst ending the minute before 05:41 in the chart, and in the sparklines under the asked-minute marker', () => {
    const [withChart, withSparklines] = renderVerdictLayouts(demo, fmt, 'native');

    const chart = withChart!.blocks[2] as {
      title: string;
      chart: { series: Array<{ name: string; data: Array<{ label: string; value: number }> }> };
    };
    expect(chart.title).toBe('429 burst 05:29–05:40 AEST, asked 05:41');
    const throttled = chart.chart.series.find((s) => s.name === '429 throttled')!;
    expect(throttled.data.slice(11, 15)).toEqual([
      { label: '05:39', value: 49 },
      { label: '05:40', value: 26 },
      { label: '05:41 asked', value: 0 },
      { label: '05:42', value: 0 },
    ]);
    const lines = textOf(withSparklines!.blocks[2])!.split('\n');
    expect(lines.slice(0, 4)).toEqual([
      '*Per minute, 04:11–07:11 AEST (18:11–21:11 UTC)* · 5 min a character · ▼ asked 05:41',
      '```',
      '                                     ▼05:41',
      'requests           ▆▅▅▆▅▆▅▅▅▆▅▅▅▅▅▆██▆▅▅▅▅▅▅▅▆▆▅▅▅▅▅▅▅▅  peak 336 at 05:34',
    ]);
    expect(lines[4]).toBe('429 throttled      ▁▁▁▁▁▃▃▁▁▁▁▁▁▁▁▄█▇▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁  peak 143 at 05:34');
  });

  it('counts the chart block in the block-text budget as Slack’s stand-in does, and stays under it', () => {
    const [withChart, withSparklines] = renderVerdictLayouts(demo, fmt, 'native');
    const chartBlock = withChart!.blocks[2]!;

    const sizes = [sizeOf(withChart!), sizeOf(withSparklines!)];

    expect(blockTextLength(chartBlock)).toBe(blockTextCharacters(chartBlock));
    expect(sizes[0]! - blockTextLength(chartBlock)).toBe(sizes[1]! - blockTextLength(withSparklines!.blocks[2]!));
    expect(blockTextLength(chartBlock)).toBeGreaterThan(1000);
    expect(sizes.every((size) => size <= BLOCK_LIMITS.messageTextBudget)).toBe(true);
  });

  it('drops the chart to keep the message inside the budget when the report is enormous, saying something was left out', () => {
    const report = structuredClone(demo);
    // What must stay (the headline, the first reason, the table) leaves no room for the chart.
    report.verdict = { ...report.verdict, headline: 'headline '.repeat(320), reasons: ['reason '.repeat(410), 'more'] };
    report.findings = [report.verdict];

    const message = renderVerdictMessage(report, fmt, { tableStyle: 'native', picture: 'chart' });

    expect(sizeOf(message)).toBeLessThanOrEqual(BLOCK_LIMITS.messageTextBudget);
    expect(types(message)).not.toContain('data_visualization');
    expect(types(message).slice(0, 3)).toEqual(['header', 'section', 'table']);
    expect((message.blocks.at(-1) as { elements: Array<{ text: string }> }).elements[0]!.text).toMatch(
      /^Some sections were left out/,
    );
  });

  it('leaves out a series with an unmeasured minute in the chart’s span and names it under the chart', () => {
    const report = structuredClone(demo);
    const throttled = report.signals.throttled_429!;
    report.signals.throttled_429 = {
      ...throttled,
      status: 'partial',
      perMinute: throttled.perMinute.filter((p) => p.minute !== '2026-06-18T19:35:00Z'),
    };

    const [withChart] = renderVerdictLayouts(report, fmt, 'native');

    const chart = withChart!.blocks[2] as { chart: { series: Array<{ name: string }> } };
    expect(chart.chart.series.map((s) => s.name)).not.toContain('429 throttled');
    expect(withChart!.blocks[3]).toEqual({
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: ':warning: Not in the chart (some of its minutes were not measured): 429 throttled (proxy PR--)',
        },
      ],
    });
  });

  it('has no chart layout and no sparklines when no minute was measured, and starts with the stacked style when that is preferred', () => {
    const empty = renderVerdictLayouts(throttlingReport(), fmt, 'native');
    const stacked = renderVerdictLayouts(demo, fmt, 'stacked');

    expect(empty.map(types)).toEqual([
      ['header', 'section', 'table', 'context', 'section', 'section', 'section', 'context'],
      ['header', 'section', 'section', 'context', 'section', 'section', 'section', 'context'],
      [],
    ]);
    expect(stacked.map(types)).toEqual([
      ['header', 'section', 'data_visualization', 'section', 'context', 'section', 'section', 'section', 'context'],
      ['header', 'section', 'section', 'section', 'context', 'section', 'section', 'section', 'context'],
      [],
    ]);
  });

  it('carries the sparklines in the text fallback, within Slack’s 4,000 characters', () => {
    const [withChart, , , textAlone] = renderVerdictLayouts(demo, fmt, 'native');

    expect(withChart!.text).toContain(renderSlackSparklines(demo, fmt));
    expect(textAlone!.text).toBe(withChart!.text);
    expect(withChart!.text.length).toBeLessThanOrEqual(BLOCK_LIMITS.fallbackText);
  });
});

describe('the sample rows in the verdict message', () => {
  it('shows the first five rows nearest the asked minute: local time, status pair, target, request, trace id', () => {
    const report = { ...structuredClone(demo), samples: [...DEMO_SAMPLES] };

    const message = renderVerdictMessage(report, fmt, { tableStyle: 'native' });

    const section = sectionTexts(message).find((t) => t.startsWith('*LB-minted 5xx rows'))!;
    expect(section.split('\n')).toEqual([
      '*LB-minted 5xx rows nearest the asked minute (5 of 6, times in AEST)*',
      '```',
      'time          ELB/target  target           request                                trace id',
      '05:41:07.318  502/-       10.20.4.17:7700  POST /indexes/prod_000_audio/search    Root=1-6853165b-4f1e0c2a9b7d3e5f6a8c1b2d',
      '05:41:42.004  502/-       10.20.5.31:7700  GET /indexes/prod_000_audio/documents  Root=1-6853167e-0b9a8c7d6e5f4a3b2c1d0e9f',
      '05:40:51.770  502/-       10.20.4.17:7700  POST /indexes/prod_000_audio/search    Root=1-6853164b-7c6d5e4f3a2b1c0d9e8f7a6b',
      '05:42:13.118  502/-       -                POST /indexes/prod_000_audio/search    -',
      '05:40:02.551  502/-       10.20.6.9:7700   PUT /indexes/prod_000_audio/settings   Root=1-6853161a-1a2b3c4d5e6f7a8b9c0d1e2f',
      '```',
    ]);
    expect(sizeOf(message)).toBeLessThanOrEqual(BLOCK_LIMITS.messageTextBudget);
  });

  it('puts the rows in the text fallback when they fit, and leaves them out first (after the sparklines) when they do not', () => {
    const samples = [...DEMO_SAMPLES];

    const small = renderVerdictMessage(throttlingReport({ samples }), fmt, { tableStyle: 'native' });
    const full = renderVerdictMessage({ ...structuredClone(demo), samples }, fmt, { tableStyle: 'native' });

    expect(small.text.split('\n').slice(-10, -2)).toEqual([
      '',
      'LB-minted 5xx rows nearest the asked minute (5 of 6, times in AEST):',
      'time          ELB/target  target           request                                trace id',
      '05:41:07.318  502/-       10.20.4.17:7700  POST /indexes/prod_000_audio/search    Root=1-6853165b-4f1e0c2a9b7d3e5f6a8c1b2d',
      '05:41:42.004  502/-       10.20.5.31:7700  GET /indexes/prod_000_audio/documents  Root=1-6853167e-0b9a8c7d6e5f4a3b2c1d0e9f',
      '05:40:51.770  502/-       10.20.4.17:7700  POST /indexes/prod_000_audio/search    Root=1-6853164b-7c6d5e4f3a2b1c0d9e8f7a6b',
      '05:42:13.118  502/-       -                POST /indexes/prod_000_audio/search    -',
      '05:40:02.551  502/-       10.20.6.9:7700   PUT /indexes/prod_000_audio/settings   Root=1-6853161a-1a2b3c4d5e6f7a8b9c0d1e2f',
    ]);
    expect([
      full.text.includes('LB-minted 5xx rows'),
      full.text.includes(renderSlackSparklines(demo, fmt)),
      full.text.length <= BLOCK_LIMITS.fallbackText,
    ]).toEqual([false, true, true]);
  });

  it('never puts the rows in the customer draft message', async () => {
    const { report } = await demoResult();
    const ref = {
      v: 1 as const,
      channel: 'C0ONCALL',
      threadTs: '1750275660.000100',
      text: 'prod_000_audio 05:41 AEST',
      requestedAt: '2026-06-18T23:00:00.000Z',
      askedBy: 'U0ONCALL',
      index: report.index,
      at: report.at,
      kind: report.verdict.kind,
      confidence: report.verdict.confidence,
      headline: report.verdict.headline,
    };

    const samples = report.samples?.length ? report.samples : [...DEMO_SAMPLES];

    const draft = renderDraftLayouts(report.draft, ref, {});

    const traceIds = samples.flatMap((s) => (s.traceId ? [s.traceId] : []));
    expect(traceIds.length).toBeGreaterThan(0);
    expect(
      draft
        .flatMap((m) => [m.text, JSON.stringify(m.blocks)])
        .filter((text) => traceIds.some((id) => text.includes(id)) || text.includes('LB-minted 5xx rows')),
    ).toEqual([]);
  });

  it('keeps text from the logs inert: no mention, no link, no code-block escape, no control or direction characters', () => {
    const hostile = {
      ...DEMO_SAMPLES[0]!,
      request: 'GET /```*bold*``` <!channel> <https://x.io|go>\u001b[2J\u202eevil',
      target: '<@U0ADMIN>\u0007',
      traceId: 'Root=<!here>',
    };
    const report = { ...structuredClone(demo), samples: [hostile] };

    const message = renderVerdictMessage(report, fmt, { tableStyle: 'native' });

    const section = sectionTexts(message).find((t) => t.startsWith('*LB-minted 5xx rows'))!;
    expect(section.split('\n')[3]).toBe(
      "05:41:07.318  502/-       &lt;@U0ADMIN&gt;  GET /'''*bold*''' &lt;!channel&gt; &lt;https://x.io|go&gt;[2Jevil  Root=&lt;!here&gt;",
    );
    expect(section.match(/```/g)).toHaveLength(2);
    expect(JSON.stringify(message)).not.toMatch(/<!channel>|<!here>|<@U0ADMIN>|\\u001b|\u202e/);
  });
});
