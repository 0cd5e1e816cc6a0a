import { describe, expect, it } from 'vitest';
import type { ReportJson } from '../../../src/core/report.js';
import { createTimeFormatter } from '../../../src/grammar/time-formatter.js';
import { BLOCK_LIMITS, blockTextLength, type KnownBlock } from '../../../src/render/slack/block-kit.js';
import { renderVerdictMessage, tableBlocks } from '../../../src/render/slack/verdict-message.js';
import type { AnswerTable } from '../../../src/render/verdict-table.js';
import { AEST, throttlingReport } from '../../slack/support/report-fixture.js';

const fmt = createTimeFormatter(AEST, { referenceInstant: new Date('2026-06-18T19:41:00Z') });
const types = (blocks: KnownBlock[]) => blocks.map((b) => b.type);
const textOf = (block: KnownBlock | undefined) => (block as { text?: { text: string } } | undefined)?.text?.text;

describe('renderVerdictMessage', () => {
  it('lays out the model reply: verdict, headline, table, unmeasured signals, why, also, next steps, sources', () => {
    const message = renderVerdictMessage(throttlingReport(), fmt, { tableStyle: 'native' });

    expect(types(message.blocks)).toEqual([
      'header',
      'section',
      'table',
      'context',
      'section',
      'section',
      'section',
      'context',
    ]);
    expect(textOf(message.blocks[0])).toBe('429 throttling, not 502s');
    expect(textOf(message.blocks[1])).toBe(
      ':large_yellow_circle: *The customer’s "502s" were our 429 rate limiting (burst 05:29–05:40 AEST, peak 4,593/min); the origin returned 0 5xx.*\n' +
        'Confidence *high* · `prod_000_audio` · 19 Jun 05:41 AEST (19:41 UTC, 18 Jun)\n' +
        'Window 04:11–07:11 AEST (18:11–21:11 UTC)',
    );
    expect(message.blocks[3]).toEqual({
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text:
            '05:36–05:46: the asked minute with 5 minutes either side.\n' +
            '0 in every minute of the window: origin 5xx (proxy); target 5xx (ALB); target connection errors (ALB); LB-minted 503, all tenants; LB-minted 504, all tenants.',
        },
        { type: 'mrkdwn', text: ':warning: LB-minted 502, this index: unavailable — no such metric' },
      ],
    });
  });

  it('draws the answer table as a native table block: the asked minute, the minutes around it, the window and the peak, cross-checks together', () => {
    const message = renderVerdictMessage(throttlingReport(), fmt, { tableStyle: 'native' });

    const table = message.blocks[2] as {
      type: 'table';
      rows: Array<Array<{ type: string; text: string }>>;
      column_settings: unknown;
    };
    // The fixture lists no minutes, so the minutes around 05:41 read "—", never 0; rows that
    // are 0 everywhere and the unmeasured one are named under the table instead.
    expect(table.rows.map((row) => row.map((cell) => cell.text))).toEqual([
      ['signal', 'at 05:41 AEST', '05:36–05:46', '04:11–07:11 AEST', 'peak'],
      ['requests (ALB)', '12,140', '—', '1,380,210', '24,300 at 05:35'],
      ['429 throttled (proxy PR--)', '212', '—', '43,930 · 3.2 %', '4,593 at 05:35'],
      ['LB-minted 502, all tenants', '6', '—', '1,031', '13 at 05:52'],
      ['slow requests', '2', '—', '310 · 0.022 %', '14 at 05:36'],
    ]);
    expect(table.rows.flat().every((cell) => cell.type === 'raw_text')).toBe(true);
    expect(table.column_settings).toEqual([
      { is_wrapped: true },
      { align: 'right' },
      { align: 'right' },
      { align: 'right', is_wrapped: true },
      { align: 'right' },
    ]);
  });

  it('draws the stacked table as one mrkdwn line per signal with the minutes around the asked one, folding zero rows', () => {
    const message = renderVerdictMessage(throttlingReport(), fmt, { tableStyle: 'stacked' });

    expect(types(message.blocks)).toEqual([
      'header',
      'section',
      'section',
      'context',
      'section',
      'section',
      'section',
      'context',
    ]);
    expect(textOf(message.blocks[2])!.split('\n')).toEqual([
      '*Signals* — at the asked minute, 05:41 AEST · around it, 05:36–05:46 · in the window 04:11–07:11 AEST · peak minute',
      '*requests (ALB)*: 12,140 at 05:41 · — in 05:36–05:46 · 1,380,210 in window · peak 24,300 at 05:35',
      '*429 throttled (proxy PR--)*: 212 at 05:41 · — in 05:36–05:46 · 43,930 (3.2 %) in window · peak 4,593 at 05:35',
      '*LB-minted 502, all tenants*: 6 at 05:41 · — in 05:36–05:46 · 1,031 in window · peak 13 at 05:52',
      '*slow requests*: 2 at 05:41 · — in 05:36–05:46 · 310 (0.022 %) in window · peak 14 at 05:36',
    ]);
    expect((message.blocks[3] as { elements: Array<{ text: string }> }).elements.map((e) => e.text)).toEqual([
      '05:36–05:46: the asked minute with 5 minutes either side.\n' +
        '0 in every minute of the window: origin 5xx (proxy); target 5xx (ALB); target connection errors (ALB); LB-minted 503, all tenants; LB-minted 504, all tenants.',
      ':warning: LB-minted 502, this index: unavailable — no such metric',
    ]);
  });

  it('carries the why502_verdict metadata of CONTRACT §7', () => {
    expect(renderVerdictMessage(throttlingReport(), fmt, { tableStyle: 'native' }).metadata).toEqual({
      event_type: 'why502_verdict',
      event_payload: {
        index: 'prod_000_audio',
        at: '2026-06-18T19:41:00Z',
        verdict_kind: 'throttling_429',
        confidence: 'high',
        window_start: '2026-06-18T18:11:00Z',
        window_end: '2026-06-18T21:11:00Z',
        headline:
          'The customer’s "502s" were our 429 rate limiting (burst 05:29–05:40 AEST, peak 4,593/min); the origin returned 0 5xx.',
        zone: 'AEST',
      },
    });
  });

  it('shows the verdict’s causes under the reasons, one line each with the time in the asked zone, escaped, and names their kinds in the metadata', () => {
    const base = throttlingReport();
    const report: ReportJson = {
      ...base,
      verdict: {
        ...base.verdict,
        kind: 'target_unreachable',
        causes: [
          {
            kind: 'deploy',
            at: '2026-06-18T19:38:00Z',
            what: 'Deployment <audio-api> rolled out revision 42',
            evidence: 'ECS service event: (service audio-api) has started 2 tasks & stopped 2',
          },
          {
            kind: 'oom_kill',
            at: '2026-06-18T19:39:00Z',
            what: '1 traefik pod OOM-killed (exit 137)',
            evidence: 'kubectl events: OOMKilling <!channel>',
          },
          {
            kind: 'idle_timeout_mismatch',
            at: null,
            what: 'Targets close idle connections after 5 s, before the ALB’s 60 s',
            evidence: 'ALB idle_timeout.timeout_seconds=60; server keepAliveTimeout 5000 ms',
          },
        ],
      },
    };

    const message = renderVerdictMessage(report, fmt, { tableStyle: 'native' });

    const causes = message.blocks.find((b) => textOf(b)?.startsWith('*What changed*'));
    expect(textOf(causes)).toBe(
      '*What changed*\n' +
        '• 05:38 AEST — Deployment &lt;audio-api&gt; rolled out revision 42 (ECS service event: (service audio-api) has started 2 tasks &amp; stopped 2)\n' +
        '• 05:39 AEST — 1 traefik pod OOM-killed (exit 137) (kubectl events: OOMKilling &lt;!channel&gt;)\n' +
        '• standing — Targets close idle connections after 5 s, before the ALB’s 60 s (ALB idle_timeout.timeout_seconds=60; server keepAliveTimeout 5000 ms)',
    );
    expect(message.blocks.indexOf(causes!)).toBe(message.blocks.findIndex((b) => textOf(b)?.startsWith('*Why*')) + 1);
    expect(message.text).toContain('What changed:\n• 05:38 AEST — Deployment &lt;audio-api&gt; rolled out revision 42');
    expect(message.metadata?.event_payload.causes).toBe('deploy,oom_kill,idle_timeout_mismatch');
  });

  it('shows a pattern window\'s note under "Over the days", escaped, in the blocks and the text fallback', () => {
    const line =
      'LB-minted 502s (whole load balancer) burst daily in the hour 05:00–05:59 AEST (19:00–19:59 UTC), on 12 of the 14 days measured <a & b>.';
    const report: ReportJson = {
      ...throttlingReport(),
      patterns: {
        window: { start: '2026-06-05T00:00:00.000Z', end: '2026-06-19T00:00:00.000Z' },
        bucketMinutes: 60,
        judged: null,
        daily: [],
        series: [],
        lines: [line],
        sources: [],
      },
    };

    const message = renderVerdictMessage(report, fmt, { tableStyle: 'native' });

    const section = message.blocks.find((b) => textOf(b)?.startsWith('*Over the days*'));
    expect(textOf(section)).toBe(`*Over the days*\n• ${line.replace('<a & b>', '&lt;a &amp; b&gt;')}`);
    expect(message.text).toContain('Over the days:\n• LB-minted 502s (whole load balancer) burst daily');
  });

  it('has no "What changed" section and no causes in the metadata when the verdict has none', () => {
    const message = renderVerdictMessage(throttlingReport(), fmt, { tableStyle: 'native' });

    expect(message.blocks.some((b) => textOf(b)?.startsWith('*What changed*'))).toBe(false);
    expect(message.metadata?.event_payload).not.toHaveProperty('causes');
  });

  it('says the same in its text fallback as in its blocks', () => {
    const { text } = renderVerdictMessage(throttlingReport(), fmt, { tableStyle: 'native' });

    expect(text.split('\n')).toEqual([
      '429 throttling, not 502s · confidence high',
      'The customer’s "502s" were our 429 rate limiting (burst 05:29–05:40 AEST, peak 4,593/min); the origin returned 0 5xx.',
      'prod_000_audio · 19 Jun 05:41 AEST (19:41 UTC, 18 Jun) · Window 04:11–07:11 AEST (18:11–21:11 UTC)',
      '',
      'Signals — at the asked minute, 05:41 AEST · around it, 05:36–05:46 · in the window 04:11–07:11 AEST · peak minute',
      'requests (ALB): 12,140 at 05:41 · — in 05:36–05:46 · 1,380,210 in window · peak 24,300 at 05:35',
      '429 throttled (proxy PR--): 212 at 05:41 · — in 05:36–05:46 · 43,930 (3.2 %) in window · peak 4,593 at 05:35',
      'LB-minted 502, all tenants: 6 at 05:41 · — in 05:36–05:46 · 1,031 in window · peak 13 at 05:52',
      'slow requests: 2 at 05:41 · — in 05:36–05:46 · 310 (0.022 %) in window · peak 14 at 05:36',
      '05:36–05:46: the asked minute with 5 minutes either side.',
      '0 in every minute of the window: origin 5xx (proxy); target 5xx (ALB); target connection errors (ALB); LB-minted 503, all tenants; LB-minted 504, all tenants.',
      'Note: LB-minted 502, this index: unavailable — no such metric',
      '',
      'Why:',
      '• The origin returned 0 5xx in 18:11–21:11 UTC, and the ALB agrees: target 5xx 0, connection errors 0.',
      '• 43,930 requests got 429 from the proxy’s rate limit (PR--), 3.2 % of requests.',
      'Also: LB keep-alive race (flat background) — A flat background of LB-minted 502s, ~6/min across all tenants: the keep-alive race.',
      '',
      'Next steps:',
      '• Ask the customer how their dashboard labels upstream 429s and timeouts.',
      '• Client backoff on bursts, or a rate-limit conversation.',
      '• Make the targets’ keep-alive timeout longer than the ALB idle timeout (60 s).',
      '',
      'Sources: proxy logs via Logs Insights: complete — 2.1 GB scanned · ALB metrics via GetMetricData: complete',
    ]);
  });

  it('escapes &, < and > from the evidence in blocks and text, and nothing else', () => {
    const report = throttlingReport();
    report.verdict = { ...report.verdict, headline: 'p99 < 2 s & 5xx > 0 for "search"', reasons: ['<script> & co'] };
    report.findings = [report.verdict];

    const message = renderVerdictMessage(report, fmt, { tableStyle: 'native' });

    expect(textOf(message.blocks[1])!.split('\n')[0]).toBe(
      ':large_yellow_circle: *p99 &lt; 2 s &amp; 5xx &gt; 0 for "search"*',
    );
    expect(textOf(message.blocks[4])).toBe('*Why*\n• &lt;script&gt; &amp; co');
    expect(message.text).toContain('p99 &lt; 2 s &amp; 5xx &gt; 0 for "search"');
  });

  it('stays within Block Kit limits for an enormous report, keeping the verdict and table and saying what was cut', () => {
    const report: ReportJson = throttlingReport();
    const long = (i: number) => `${i}: ${'evidence '.repeat(60)}`;
    report.verdict = {
      ...report.verdict,
      headline: 'h'.repeat(5000),
      reasons: Array.from({ length: 80 }, (_, i) => long(i)),
      advice: Array.from({ length: 80 }, (_, i) => long(i)),
    };
    report.findings = [
      report.verdict,
      ...Array.from({ length: 60 }, (_, i) => ({
        ...report.verdict,
        kind: 'keepalive_race' as const,
        headline: long(i),
      })),
    ];
    report.asked.notes = Array.from({ length: 20 }, (_, i) => long(i));

    const message = renderVerdictMessage(report, fmt, { tableStyle: 'native' });

    expect(message.blocks.length).toBeLessThanOrEqual(50);
    expect(message.blocks.reduce((sum, b) => sum + blockTextLength(b), 0)).toBeLessThanOrEqual(
      BLOCK_LIMITS.messageTextBudget,
    );
    expect(message.blocks.every((b) => (textOf(b)?.length ?? 0) <= 3000)).toBe(true);
    expect(types(message.blocks).slice(0, 2)).toEqual(['header', 'section']);
    expect(types(message.blocks)).toContain('table');
    expect(
      textOf(message.blocks.at(-1)) ??
        (message.blocks.at(-1) as { elements: Array<{ text: string }> }).elements[0]!.text,
    ).toMatch(/^Some sections were left out/);
    expect(message.text.length).toBeLessThanOrEqual(4000);
  });

  it('shows an empty cell of the native table as "—", never as a blank', () => {
    const table: AnswerTable = {
      columns: {
        signal: 'signal',
        atMinute: 'at 05:41 AEST',
        around: '05:36–05:46',
        window: '04:11–07:11 AEST',
        peak: 'peak',
      },
      around: { first: 85, last: 95, basis: 'asked' },
      askedIndex: 90,
      minutes: 180,
      rows: [
        {
          signal: 'slow_requests',
          label: 'slow requests',
          atMinute: '',
          around: '',
          window: ' ',
          peak: '—',
          status: 'ok' as const,
          perMinute: [],
        },
      ],
      zeroEverywhere: [],
      unmeasured: [],
    };

    const [block] = tableBlocks(table, 'native') as Array<{ rows: Array<Array<{ type: string; text: string }>> }>;

    expect(block!.rows[1]).toEqual([
      { type: 'raw_text', text: 'slow requests' },
      { type: 'raw_text', text: '—' },
      { type: 'raw_text', text: '—' },
      { type: 'raw_text', text: '—' },
      { type: 'raw_text', text: '—' },
    ]);
  });
});
