import { describe, expect, it } from 'vitest';
import { escapeMarkdown, renderMarkdown } from '../../src/render/render-markdown.js';
import { aestFormatter, buildSeedReport, okSignal, SEED_BURST } from './seed-report.js';

describe('renderMarkdown', () => {
  it('renders the answer table as a GitHub table with right-aligned numbers and a sparkline column, then what it folded', () => {
    const report = buildSeedReport();

    const lines = renderMarkdown(report, aestFormatter).split('\n');

    const start = lines.indexOf('| signal | at 05:41 AEST | 05:29–05:46 | 04:11–07:11 AEST | peak | shape |');
    expect(lines.slice(start, start + 12)).toEqual([
      '| signal | at 05:41 AEST | 05:29–05:46 | 04:11–07:11 AEST | peak | shape |',
      '|---|---:|---:|---:|---:|---|',
      '| requests (ALB) | 12,140 | 157,224 | 1,380,210 | 24,300 at 05:35 | `▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄█▄▅▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄` |',
      '| 429 throttled (proxy PR--) | 212 | 43,930 | 43,930 · 3.2 % | 4,593 at 05:35 | `▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▇▇█▇▂▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁` |',
      '| target 4xx (ALB) | 212 | 43,943 | 43,943 · 3.2 % | 4,601 at 05:35 | `▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▇▇█▇▂▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁` |',
      '| LB-minted 502, all tenants | 6 | 108 | 1,031 · 0.0065 % | 13 at 05:52 | `▅▅▅▅▅▅▅▅▅▅▅▅▅▅▅▅▅▅▅▅▅▅▅▅▅▅▅▅▅▅▅▅▅█▅▅▅▅▅▅▅▅▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄` |',
      '',
      '05:29–05:46: the asked minute with 5 minutes either side, widened to the burst next to it. Shape over 04:11–07:11 AEST: one character per 3 minutes (their highest count); the asked minute is character 31.',
      '',
      '- 0 in every minute of the window: origin 5xx (proxy); target 5xx (ALB); target connection errors (ALB); LB-minted 503, all tenants; LB-minted 504, all tenants.',
      '- LB-minted 502, this index: unavailable — CloudWatch has no per-target-group metric for LB-minted 502s; give ALB access logs',
      '',
    ]);
  });

  it('shows the chart written with --chart as an image after the table, its alt text escaped', () => {
    const report = buildSeedReport();

    const lines = renderMarkdown(report, aestFormatter, {
      chart: { path: 'charts/05:41 incident.png', altText: 'prod_000_audio · 429 burst *peak* 4,593' },
    }).split('\n');

    const image = lines.findIndex((l) => l.startsWith('!['));
    expect(lines.slice(image - 2, image + 2)).toEqual([
      '- LB-minted 502, this index: unavailable — CloudWatch has no per-target-group metric for LB-minted 502s; give ALB access logs',
      '',
      '![prod\\_000\\_audio · 429 burst \\*peak\\* 4,593](<charts/05:41 incident.png>)',
      '',
    ]);
  });

  it('escapes a pipe inside a cell so the row keeps its six columns', () => {
    const report = buildSeedReport();
    report.signals.throttled_429 = okSignal(
      43930,
      212,
      { minute: '2026-06-18T19:35:00Z', count: 4593 },
      { byTermination: { 'PR|-': 43930 } },
      SEED_BURST,
    );

    const row = renderMarkdown(report, aestFormatter)
      .split('\n')
      .find((l) => l.startsWith('| 429 throttled'));

    expect(row).toBe(
      '| 429 throttled (proxy PR\\|-) | 212 | 43,930 | 43,930 · 3.2 % | 4,593 at 05:35 | `▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▇▇█▇▂▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁` |',
    );
    expect(row?.split(/(?<!\\)\|/).length).toBe(8);
  });

  it('lays the sections out in the same order as the terminal, as headings and bullets', () => {
    const report = buildSeedReport();
    report.asked.notes = ['AEST typed for a date when Australia/Sydney is on AEST: no change.'];

    const markdown = renderMarkdown(report, aestFormatter);

    const headingsAndNotes = markdown.split('\n').filter((l) => /^(#|> \*\*Note|\*\*)/.test(l));
    expect(headingsAndNotes).toEqual([
      '# why502 · `prod_000_audio` · 19 Jun 05:41 AEST (19:41 UTC, 18 Jun)',
      '> **Note:** AEST typed for a date when Australia/Sydney is on AEST: no change.',
      '**429 throttling, not 502s** · confidence high',
      '## Why',
      '## Also found: LB keep-alive race (flat background) · confidence medium',
      '## Next steps',
      '## Sources',
      '## Draft reply to the customer',
    ]);
    expect(markdown.endsWith('> - Requests above your rate limit got HTTP 429.\n')).toBe(true);
  });

  it('quotes the draft line by line, keeping blank lines inside the quote, after its origin and note', () => {
    const report = buildSeedReport();

    const markdown = renderMarkdown(report, aestFormatter);

    const draft = markdown.slice(markdown.indexOf('## Draft reply to the customer'));
    expect(draft).toBe(
      [
        '## Draft reply to the customer',
        '',
        '_Written from the template._ OPENAI\\_API\\_KEY is not set',
        '',
        '> Hi team, thanks for flagging the errors around 5:41 AM AEST.',
        '>',
        '> - Our servers returned no 5xx errors.',
        '> - Requests above your rate limit got HTTP 429.',
        '',
      ].join('\n'),
    );
  });
});

describe('escapeMarkdown', () => {
  it('escapes emphasis, code, links, HTML, pipes and GitHub single-tilde strikethrough', () => {
    expect(escapeMarkdown('~6/min *flat* `-` [x] <b> a|b \\')).toBe(
      '\\~6/min \\*flat\\* \\`-\\` \\[x\\] \\<b\\> a\\|b \\\\',
    );
  });
});
