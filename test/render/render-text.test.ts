import { describe, expect, it } from 'vitest';
import { renderText, VERDICT_LABELS } from '../../src/render/render-text.js';
import { collectNextSteps } from '../../src/render/report-sections.js';
import { findingLabel } from '../../src/render/verdict-labels.js';
import { aestFormatter, buildSeedReport, keepaliveFinding, okSignal } from './seed-report.js';

describe('renderText', () => {
  it('renders the seed report as header, verdict, table with shapes, folded rows, footnotes, reasons, other findings, advice, sources and draft', () => {
    const report = buildSeedReport();

    const lines = renderText(report, aestFormatter);

    expect(lines).toEqual([
      'why502 · prod_000_audio · 19 Jun 05:41 AEST (19:41 UTC, 18 Jun)',
      'Window 04:11–07:11 AEST (18:11–21:11 UTC) · asked as "05:41 AEST"',
      '',
      '429 throttling, not 502s · confidence high',
      'Not an outage: the "502s" were 429 rate limiting (burst 05:29–05:40 AEST, peak 4,593/min); the',
      'origin returned 0 5xx.',
      '',
      '┌────────────────────────────┬───────────────┬─────────────┬──────────────────┬─────────────────┐',
      '│ signal                     │ at 05:41 AEST │ 05:29–05:46 │ 04:11–07:11 AEST │            peak │',
      '├────────────────────────────┼───────────────┼─────────────┼──────────────────┼─────────────────┤',
      '│ requests (ALB)             │        12,140 │     157,224 │        1,380,210 │ 24,300 at 05:35 │',
      '│ 429 throttled (proxy PR--) │           212 │      43,930 │   43,930 · 3.2 % │  4,593 at 05:35 │',
      '│ target 4xx (ALB)           │           212 │      43,943 │   43,943 · 3.2 % │  4,601 at 05:35 │',
      '│ LB-minted 502, all tenants │             6 │         108 │ 1,031 · 0.0065 % │     13 at 05:52 │',
      '└────────────────────────────┴───────────────┴─────────────┴──────────────────┴─────────────────┘',
      '                                                           ▼05:41',
      '  requests (ALB)             ▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄█▄▅▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄',
      '  429 throttled (proxy PR--) ▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▇▇█▇▂▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁',
      '  target 4xx (ALB)           ▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▇▇█▇▂▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁',
      '  LB-minted 502, all tenants ▅▅▅▅▅▅▅▅▅▅▅▅▅▅▅▅▅▅▅▅▅▅▅▅▅▅▅▅▅▅▅▅▅█▅▅▅▅▅▅▅▅▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄',
      '05:29–05:46: the asked minute with 5 minutes either side, widened to the burst next to it. Shape',
      'over 04:11–07:11 AEST: one character per 3 minutes (their highest count); ▼ the asked minute.',
      '0 in every minute of the window: origin 5xx (proxy); target 5xx (ALB); target connection errors',
      '(ALB); LB-minted 503, all tenants; LB-minted 504, all tenants.',
      '* LB-minted 502, this index: unavailable — CloudWatch has no per-target-group metric for LB-minted',
      '  502s; give ALB access logs',
      '',
      'Why:',
      '  - origin returned 0 5xx in 18:11–21:11 UTC; target 5xx 0, connection errors 0',
      '  - 43,930 requests got 429 from the proxy (PR--); the ALB counted 43,943 target 4xx',
      '  - peak 429 burst 4,593/min at 19:35 UTC, 1 minute before the asked time',
      '',
      'Also found: LB keep-alive race (flat background) · confidence medium',
      '  A flat background of LB-minted 502s (~6/min, all tenants): the keep-alive race.',
      '  - 1,031 LB-minted 502s over the window, 0.0065 % of 15,900,000 requests, no spike',
      '',
      'Next steps:',
      '  - Ask the customer how their dashboard labels upstream 429s.',
      '  - For fewer 429s: client backoff on bursts, or a rate-limit conversation.',
      "  - Make the targets' keep-alive timeout longer than the ALB's idle timeout (60 s).",
      '',
      'Sources:',
      '  - proxy logs via Logs Insights: complete — 2.1 GB scanned',
      '  - ALB metrics via GetMetricData: complete',
      '',
      'Draft reply to the customer (written from the template):',
      'Note: OPENAI_API_KEY is not set',
      '',
      'Hi team, thanks for flagging the errors around 5:41 AM AEST.',
      '',
      '- Our servers returned no 5xx errors.',
      '- Requests above your rate limit got HTTP 429.',
    ]);
  });

  it('shows zone notes under the header and a partial signal with its footnote', () => {
    const report = buildSeedReport();
    report.asked.notes = ['AEST is UTC+10:00; Australia/Sydney was on AEST on this date.'];
    report.signals.target_5xx = okSignal(
      3,
      0,
      { minute: '2026-06-18T20:02:00Z', count: 2 },
      { status: 'partial', reason: 'CloudWatch returned 170 of 180 minutes' },
    );

    const lines = renderText(report, aestFormatter);

    expect(lines.slice(0, 3)).toEqual([
      'why502 · prod_000_audio · 19 Jun 05:41 AEST (19:41 UTC, 18 Jun)',
      'Window 04:11–07:11 AEST (18:11–21:11 UTC) · asked as "05:41 AEST"',
      'Note: AEST is UTC+10:00; Australia/Sydney was on AEST on this date.',
    ]);
    // "(partial)" widens the table past 100 columns: it stacks, one signal per block.
    const row = lines.indexOf('target 5xx (ALB)');
    expect(lines.slice(row, row + 5)).toEqual([
      'target 5xx (ALB)',
      '  at 05:41 AEST: 0',
      '  05:29–05:46: 0',
      '  04:11–07:11 AEST: 3 · 0.00022 % (partial)',
      '  peak: 2 at 06:02',
    ]);
    expect(lines.filter((l) => l.includes('target 5xx (ALB)')).slice(1)).toEqual([
      '  target 5xx (ALB)           ▅▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁█▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁',
      '* target 5xx (ALB): partial — CloudWatch returned 170 of 180 minutes',
    ]);
  });

  it('omits the draft and other-findings sections when the report has none', () => {
    const report = buildSeedReport();
    delete report.draft;
    report.findings = [report.verdict];

    const lines = renderText(report, aestFormatter);

    expect(lines.filter((l) => l.startsWith('Also found:') || l.startsWith('Draft reply'))).toEqual([]);
    expect(lines.at(-1)).toBe('  - ALB metrics via GetMetricData: complete');
  });

  it('keeps every line within 100 columns by default', () => {
    const report = buildSeedReport();
    report.verdict = { ...report.verdict, reasons: [`${'a very long reason '.repeat(20)}end`] };

    const tooWide = renderText(report, aestFormatter).filter((l) => [...l].length > 100);

    expect(tooWide).toEqual([]);
  });

  it('stacks the table one signal per block when the box would not fit the width', () => {
    const report = buildSeedReport();

    const lines = renderText(report, aestFormatter, { width: 60 });

    const start = lines.indexOf('429 throttled (proxy PR--)');
    expect(lines.slice(start, start + 5)).toEqual([
      '429 throttled (proxy PR--)',
      '  at 05:41 AEST: 212',
      '  05:29–05:46: 43,930',
      '  04:11–07:11 AEST: 43,930 · 3.2 %',
      '  peak: 4,593 at 05:35',
    ]);
    expect(lines.filter((l) => l.includes('▼') || l.startsWith('  429 throttled'))).toEqual([
      '                                            ▼05:41',
      '  429 throttled (proxy PR--) ▁▁▁▁▁▁▁▁▁▁▁▁▁▇█▂▁▁▁▁▁▁▁▁▁▁▁▁▁▁',
      'AEST: one character per 6 minutes (their highest count); ▼',
    ]);
    expect(lines.some((l) => l.startsWith('┌'))).toBe(false);
    expect(lines.filter((l) => !l.startsWith('Hi team') && [...l].length > 60)).toEqual([]);
  });

  it('draws the shapes as a column, the marker over the asked minute, when the table may be wider', () => {
    const report = buildSeedReport();

    const lines = renderText(report, aestFormatter, { tableWidth: 160 });

    const top = lines.findIndex((l) => l.startsWith('┌'));
    expect(lines.slice(top + 1, top + 5)).toEqual([
      '│ signal                     │ at 05:41 AEST │ 05:29–05:46 │ 04:11–07:11 AEST │            peak │                               ▼05:41                         │',
      '├────────────────────────────┼───────────────┼─────────────┼──────────────────┼─────────────────┼──────────────────────────────────────────────────────────────┤',
      '│ requests (ALB)             │        12,140 │     157,224 │        1,380,210 │ 24,300 at 05:35 │ ▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄█▄▅▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄ │',
      '│ 429 throttled (proxy PR--) │           212 │      43,930 │   43,930 · 3.2 % │  4,593 at 05:35 │ ▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▇▇█▇▂▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁ │',
    ]);
    expect(lines.every((l) => [...l].length <= 160)).toBe(true);
  });

  it('writes plain ASCII when asked: ASCII box, ASCII sparklines, punctuation spelled out, within 100 columns', () => {
    const report = buildSeedReport();
    report.draft!.text = 'Between 5:29 and 5:40 your requests went above the limit… we’re happy to talk.';

    const lines = renderText(report, aestFormatter, { ascii: true });

    expect(lines.filter((l) => /[^\x20-\x7e]/.test(l))).toEqual([]);
    expect(lines.filter((l) => [...l].length > 100)).toEqual([]);
    expect(lines.filter((l) => l.includes('429 throttled') || l.includes('v05:41') || l.startsWith('Between'))).toEqual(
      [
        '| 429 throttled (proxy PR--) |           212 |      43,930 |   43,930 (3.2 %) |  4,593 at 05:35 |',
        '                                                           v05:41',
        '  429 throttled (proxy PR--) __________________________##@#._____________________________',
        "Between 5:29 and 5:40 your requests went above the limit... we're happy to talk.",
      ],
    );
  });

  it('shows minutes a source did not cover as holes in the shape, never as the lowest block', () => {
    const report = buildSeedReport();
    const covered = report.signals.throttled_429!.perMinute.slice(60, 150);
    report.signals.throttled_429 = {
      ...report.signals.throttled_429!,
      status: 'partial',
      reason: 'proxy logs cover 05:11–06:40 only',
      perMinute: covered,
    };

    const shape = renderText(report, aestFormatter).find((l) => l.startsWith('  429 throttled'));

    expect(shape).toBe('  429 throttled (proxy PR--) ····················▁▁▁▁▁▁▇▇█▇▂▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁··········');
  });

  it('says "not 502s" only when the origin was measured with no 5xx', () => {
    expect([
      findingLabel({ kind: 'throttling_429', facts: { origin5xxWindow: 0 } }),
      findingLabel({ kind: 'throttling_429', facts: { origin5xxWindow: 60 } }),
      findingLabel({ kind: 'throttling_429', facts: {} }),
    ]).toEqual(['429 throttling, not 502s', '429 throttling', '429 throttling']);
  });

  it('names every verdict kind in words', () => {
    expect(VERDICT_LABELS).toEqual({
      throttling_429: '429 throttling',
      keepalive_race: 'LB keep-alive race (flat background)',
      origin_5xx: 'Origin 5xx',
      target_unreachable: 'Targets unreachable',
      origin_timeout: 'Slow origin (timeouts)',
      no_healthy_targets: 'No healthy targets',
      no_errors: 'No errors above background',
      inconclusive: 'Inconclusive',
    });
  });
});

describe('collectNextSteps', () => {
  it('gives a step two findings share once, in its fuller wording, where the verdict put it', () => {
    const report = buildSeedReport();
    report.verdict = {
      ...report.verdict,
      advice: ['Clients should retry idempotent requests on 502 with backoff.', 'Ask the customer.'],
    };
    report.findings = [
      report.verdict,
      {
        ...keepaliveFinding,
        advice: [
          'Clients should retry idempotent requests on 502 with backoff; these succeed on retry.',
          'Ask the customer.',
        ],
      },
    ];

    expect(collectNextSteps(report)).toEqual([
      'Clients should retry idempotent requests on 502 with backoff; these succeed on retry.',
      'Ask the customer.',
    ]);
  });
});
