import { describe, expect, it } from 'vitest';
import type { ReportJson } from '../../src/core/report.js';
import {
  answerTableFootnotes,
  aroundSpan,
  buildAnswerTable,
  buildTableFootnotes,
  buildVerdictTable,
  dominantKey,
  formatCount,
  formatPercent,
  type VerdictTableRow,
} from '../../src/render/verdict-table.js';
import { aestFormatter, buildSeedReport, okSignal, unavailableSignal } from './seed-report.js';

/** A row's cells, without its 180 per-minute counts (asserted on their own). */
const cells = ({ perMinute: _perMinute, ...row }: VerdictTableRow) => row;

describe('formatCount', () => {
  it('groups thousands with commas whatever the locale', () => {
    expect([0, 7, 999, 1000, 43930, 1380210, 15_900_000].map(formatCount)).toEqual([
      '0',
      '7',
      '999',
      '1,000',
      '43,930',
      '1,380,210',
      '15,900,000',
    ]);
  });
});

describe('formatPercent', () => {
  it('shows one decimal from 1 %, two significant digits below, and a bare 0', () => {
    expect([3.17, 3.1828, 12.04, 100, 0.00648, 0.5, 0.0999, 0.000012, 0].map(formatPercent)).toEqual([
      '3.2 %',
      '3.2 %',
      '12 %',
      '100 %',
      '0.0065 %',
      '0.5 %',
      '0.1 %',
      '0.000012 %',
      '0 %',
    ]);
  });
});

describe('dominantKey', () => {
  it('returns the largest count, the alphabetically first on a tie, and null when empty', () => {
    expect([
      dominantKey({ 'PR--': 43930, 'sD--': 2 }),
      dominantKey({ 'sQ--': 5, 'PR--': 5 }),
      dominantKey({}),
      dominantKey(undefined),
    ]).toEqual(['PR--', 'PR--', null, null]);
  });
});

describe('buildVerdictTable', () => {
  it('builds the seed table in reading order, with rates, peaks in local time and "unavailable" cells', () => {
    const report = buildSeedReport();

    const table = buildVerdictTable(report, aestFormatter);

    expect(table.columns).toEqual(['signal', 'at 05:41 AEST', '04:11–07:11 AEST', 'peak']);
    expect(table.rows.map(cells)).toEqual([
      {
        signal: 'requests',
        label: 'requests (ALB)',
        atMinute: '12,140',
        around: '157,224',
        window: '1,380,210',
        peak: '24,300 at 05:35',
        status: 'ok',
      },
      {
        signal: 'origin_5xx',
        label: 'origin 5xx (proxy)',
        atMinute: '0',
        around: '0',
        window: '0',
        peak: '—',
        status: 'ok',
      },
      {
        signal: 'throttled_429',
        label: '429 throttled (proxy PR--)',
        atMinute: '212',
        around: '43,930',
        window: '43,930 · 3.2 %',
        peak: '4,593 at 05:35',
        status: 'ok',
      },
      {
        signal: 'target_5xx',
        label: 'target 5xx (ALB)',
        atMinute: '0',
        around: '0',
        window: '0',
        peak: '—',
        status: 'ok',
      },
      {
        signal: 'target_connection_errors',
        label: 'target connection errors (ALB)',
        atMinute: '0',
        around: '0',
        window: '0',
        peak: '—',
        status: 'ok',
      },
      {
        signal: 'elb_502',
        label: 'LB-minted 502, all tenants',
        atMinute: '6',
        around: '108',
        window: '1,031 · 0.0065 %',
        peak: '13 at 05:52',
        status: 'ok',
      },
      {
        signal: 'elb_502_index',
        label: 'LB-minted 502, this index',
        atMinute: 'unavailable',
        around: 'unavailable',
        window: 'unavailable',
        peak: 'unavailable',
        status: 'unavailable',
      },
      {
        signal: 'elb_503',
        label: 'LB-minted 503, all tenants',
        atMinute: '0',
        around: '0',
        window: '0',
        peak: '—',
        status: 'ok',
      },
      {
        signal: 'elb_504',
        label: 'LB-minted 504, all tenants',
        atMinute: '0',
        around: '0',
        window: '0',
        peak: '—',
        status: 'ok',
      },
      {
        signal: 'target_4xx',
        label: 'target 4xx (ALB)',
        atMinute: '212',
        around: '43,943',
        window: '43,943 · 3.2 %',
        peak: '4,601 at 05:35',
        status: 'ok',
      },
    ]);
  });

  it("carries each signal's counts per minute over the whole window, exactly as the report lists them", () => {
    const report = buildSeedReport();

    const row = buildVerdictTable(report, aestFormatter).rows.find((r) => r.signal === 'throttled_429')!;

    expect(row.perMinute).toEqual(report.signals.throttled_429!.perMinute.map((p) => p.count));
    expect(row.perMinute.slice(78, 91)).toEqual([
      3557, 3557, 3557, 3557, 3557, 3557, 4593, 3557, 3557, 3557, 3556, 3556, 212,
    ]);
  });

  it('renders an unavailable signal as "unavailable" in every cell, never as 0', () => {
    const report = buildSeedReport();
    report.signals.target_connection_errors = unavailableSignal('metric only; not in ALB access logs');

    const row = buildVerdictTable(report, aestFormatter).rows.find((r) => r.signal === 'target_connection_errors');

    expect(row).toEqual({
      signal: 'target_connection_errors',
      label: 'target connection errors (ALB)',
      atMinute: 'unavailable',
      around: 'unavailable',
      window: 'unavailable',
      peak: 'unavailable',
      status: 'unavailable',
      perMinute: new Array(180).fill(null),
    });
  });

  it('marks the counts of a partial signal, and still gives its rate and peak', () => {
    const report = buildSeedReport();
    const full = okSignal(20000, 0, { minute: '2026-06-18T19:35:00Z', count: 4593 }, {}, [78, 89]);
    // The query timed out: minutes from 19:39 UTC on were never counted.
    report.signals.throttled_429 = {
      ...full,
      status: 'partial',
      reason: 'Logs Insights query timed out after 19:38 UTC',
      perMinute: full.perMinute.slice(0, 88),
    };

    const row = buildVerdictTable(report, aestFormatter).rows.find((r) => r.signal === 'throttled_429')!;

    expect(cells(row)).toEqual({
      signal: 'throttled_429',
      label: '429 throttled (proxy)',
      atMinute: '0 (partial)',
      around: '17,200 (partial)',
      window: '20,000 · 1.4 % (partial)',
      peak: '4,593 at 05:35',
      status: 'partial',
    });
    expect(row.perMinute.slice(86, 90)).toEqual([1400, 1400, null, null]);
  });

  it('leaves out rates whose denominator is unavailable or only partly measured', () => {
    const report = buildSeedReport();
    report.signals.requests = unavailableSignal('RequestCount returned no data points');
    report.signals.lb_requests = okSignal(15_000_000, 88_000, undefined, {
      status: 'partial',
      scope: 'loadBalancer',
    });

    const windows = buildVerdictTable(report, aestFormatter).rows.map((r) => [r.signal, r.window]);

    expect(windows).toEqual([
      ['requests', 'unavailable'],
      ['origin_5xx', '0'],
      ['throttled_429', '43,930'],
      ['target_5xx', '0'],
      ['target_connection_errors', '0'],
      ['elb_502', '1,031'],
      ['elb_502_index', 'unavailable'],
      ['elb_503', '0'],
      ['elb_504', '0'],
      ['target_4xx', '43,943'],
    ]);
  });

  it('shows only the signals present, with the slow-request threshold taken from the findings', () => {
    const report: ReportJson = {
      ...buildSeedReport(),
      signals: {
        requests: okSignal(
          600,
          10,
          { minute: '2026-06-18T19:41:00Z', count: 12 },
          { source: 'Logs Insights /prod/haproxy' },
        ),
        elb_504: okSignal(30, 3, { minute: '2026-06-18T19:40:00Z', count: 5 }),
        slow_requests: okSignal(45, 4, { minute: '2026-06-18T19:40:00Z', count: 6 }),
      },
    };
    report.findings = [{ ...report.verdict, kind: 'origin_timeout', facts: { slowRequestSeconds: 2 } }];

    const table = buildVerdictTable(report, aestFormatter);

    expect(table.rows.map(({ signal, label, window }) => ({ signal, label, window }))).toEqual([
      { signal: 'requests', label: 'requests (proxy)', window: '600' },
      { signal: 'elb_504', label: 'LB-minted 504, all tenants', window: '30' },
      { signal: 'slow_requests', label: 'slow requests (> 2 s)', window: '45 · 7.5 %' },
    ]);
  });

  it('labels slow requests without a threshold when no finding recorded one', () => {
    const report = { ...buildSeedReport(), signals: { slow_requests: okSignal(0, 0) } };

    expect(buildVerdictTable(report, aestFormatter).rows.map((r) => r.label)).toEqual(['slow requests']);
  });

  it('puts dates in the window column when the window crosses local midnight', () => {
    const report = {
      ...buildSeedReport(),
      at: '2026-06-18T14:30:00Z',
      window: { start: '2026-06-18T13:00:00Z', end: '2026-06-18T16:00:00Z' },
    };

    expect(buildVerdictTable(report, aestFormatter).columns).toEqual([
      'signal',
      'at 00:30 AEST',
      '18 Jun 23:00 – 19 Jun 02:00 AEST',
      'peak',
    ]);
  });
});

describe('buildTableFootnotes', () => {
  it('lists the unavailable and partial rows with their reasons, in table order', () => {
    const report = buildSeedReport();
    report.signals.target_4xx = okSignal(100, 1, undefined, {
      status: 'partial',
      reason: 'CloudWatch returned 170 of 180 minutes',
    });
    const table = buildVerdictTable(report, aestFormatter);

    const footnotes = buildTableFootnotes(report, table);

    expect(footnotes).toEqual([
      {
        signal: 'elb_502_index',
        label: 'LB-minted 502, this index',
        status: 'unavailable',
        reason: 'CloudWatch has no per-target-group metric for LB-minted 502s; give ALB access logs',
      },
      {
        signal: 'target_4xx',
        label: 'target 4xx (ALB)',
        status: 'partial',
        reason: 'CloudWatch returned 170 of 180 minutes',
      },
    ]);
  });
});

describe('buildAnswerTable', () => {
  it('puts cross-checks side by side, adds the minutes around the asked one, and folds what has nothing to show', () => {
    const report = buildSeedReport();

    const table = buildAnswerTable(report, aestFormatter);

    expect(table.columns).toEqual({
      signal: 'signal',
      atMinute: 'at 05:41 AEST',
      around: '05:29–05:46',
      window: '04:11–07:11 AEST',
      peak: 'peak',
    });
    expect(table.around).toEqual({ first: 78, last: 95, basis: 'burst' });
    expect([table.askedIndex, table.minutes]).toEqual([90, 180]);
    expect(table.rows.map((r) => [r.label, r.atMinute, r.around, r.window])).toEqual([
      ['requests (ALB)', '12,140', '157,224', '1,380,210'],
      ['429 throttled (proxy PR--)', '212', '43,930', '43,930 · 3.2 %'],
      ['target 4xx (ALB)', '212', '43,943', '43,943 · 3.2 %'],
      ['LB-minted 502, all tenants', '6', '108', '1,031 · 0.0065 %'],
    ]);
    expect(table.zeroEverywhere.map((r) => r.signal)).toEqual([
      'origin_5xx',
      'target_5xx',
      'target_connection_errors',
      'elb_503',
      'elb_504',
    ]);
    expect(table.unmeasured.map((r) => r.signal)).toEqual(['elb_502_index']);
  });

  it('leads with the LB-minted 502s beside the connection errors for a keep-alive verdict', () => {
    const report = buildSeedReport();
    report.verdict = { ...report.findings[1]! };
    report.signals.target_connection_errors = okSignal(2, 0, { minute: '2026-06-18T19:02:00Z', count: 2 });
    report.signals.elb_502_index = okSignal(120, 1, { minute: '2026-06-18T19:52:00Z', count: 4 });

    const table = buildAnswerTable(report, aestFormatter);

    expect(table.rows.map((r) => r.signal)).toEqual([
      'requests',
      'elb_502_index',
      'elb_502',
      'target_connection_errors',
      'throttled_429',
      'target_4xx',
    ]);
  });

  it('covers the asked minute ± 5 without a burst, ignores a burst further than 15 minutes, and stays inside the window', () => {
    const far = buildSeedReport();
    far.verdict = {
      ...far.verdict,
      facts: { ...far.verdict.facts, burstStart: '2026-06-18T19:00:00Z', burstEnd: '2026-06-18T19:20:00Z' },
    };
    far.findings = [far.verdict];
    const early = { ...buildSeedReport(), at: '2026-06-18T18:13:00Z' };
    early.verdict = { ...early.verdict, facts: {} };
    early.findings = [early.verdict];

    expect([aroundSpan(far), aroundSpan(early)]).toEqual([
      { first: 85, last: 95, basis: 'asked' },
      { first: 0, last: 7, basis: 'asked' },
    ]);
  });

  it('marks only the window total of a partial signal when its source covered the asked minute', () => {
    const report = buildSeedReport();
    report.signals.target_5xx = okSignal(
      3,
      0,
      { minute: '2026-06-18T20:02:00Z', count: 2 },
      { status: 'partial', reason: 'CloudWatch returned 170 of 180 minutes' },
    );

    const table = buildAnswerTable(report, aestFormatter);

    expect(table.rows.find((r) => r.signal === 'target_5xx')).toMatchObject({
      atMinute: '0',
      around: '0',
      window: '3 · 0.00022 % (partial)',
    });
    expect(answerTableFootnotes(report, table).map((f) => [f.signal, f.status])).toEqual([
      ['target_5xx', 'partial'],
      ['elb_502_index', 'unavailable'],
    ]);
  });
});
