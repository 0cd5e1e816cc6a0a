import { beforeAll, describe, expect, it } from 'vitest';
import type { ReportJson } from '../../src/core/report.js';
import { minuteIndex } from '../../src/render/chart/minute-values.js';
import {
  buildSlackChartBlock,
  checkSlackChartBlock,
  type DataVisualizationBlock,
  SLACK_CHART_LIMITS,
} from '../../src/render/chart/slack-chart-block.js';
import { renderSlackSparklines } from '../../src/render/chart/slack-sparklines.js';
import { demoFormatter, loadDemoReport } from './support/demo-report.js';

let demo: ReportJson;
beforeAll(async () => {
  demo = await loadDemoReport();
}, 60_000);

const countsAt = (report: ReportJson, signal: string, first: number, last: number) => {
  const byIndex = new Map(report.signals[signal]!.perMinute.map((p) => [minuteIndex(report, p.minute), p.count]));
  return Array.from({ length: last - first + 1 }, (_, i) => byIndex.get(first + i));
};

describe('buildSlackChartBlock', () => {
  it('charts the twenty minutes around 05:41, the burst in the title and the asked minute in its category', () => {
    const chart = buildSlackChartBlock(demo, demoFormatter(demo), { blockId: 'why502_chart' })!;

    const { block } = chart;
    expect([block.type, block.block_id, block.title, block.chart.type]).toEqual([
      'data_visualization',
      'why502_chart',
      '429 burst 05:29–05:40 AEST, asked 05:41',
      'line',
    ]);
    expect(block.chart.axis_config).toEqual({
      categories: [
        '05:28',
        '05:29',
        '05:30',
        '05:31',
        '05:32',
        '05:33',
        '05:34',
        '05:35',
        '05:36',
        '05:37',
        '05:38',
        '05:39',
        '05:40',
        '05:41 asked',
        '05:42',
        '05:43',
        '05:44',
        '05:45',
        '05:46',
        '05:47',
      ],
      x_label: 'AEST (UTC+10:00); asked 05:41 = 19:41 UTC',
      y_label: 'count per minute',
    });
    expect(chart.span).toEqual({ first: 77, last: 96, minutesPerCategory: 1 });
    expect(block.chart.series.map((s) => s.name)).toEqual([
      'requests',
      '429 throttled',
      'origin 5xx',
      'target 5xx',
      'LB 502 this index',
      'LB 502 all tenants',
    ]);
    const signals = ['requests', 'throttled_429', 'origin_5xx', 'target_5xx', 'elb_502_index', 'elb_502'];
    expect(block.chart.series.map((s) => s.data.map((p) => p.value))).toEqual(
      signals.map((signal) => countsAt(demo, signal, 77, 96)),
    );
    expect(block.chart.series[1]!.data.slice(0, 14).map((p) => p.value)).toEqual([
      0, 19, 47, 62, 104, 101, 143, 112, 125, 92, 75, 49, 26, 0,
    ]);
    expect(checkSlackChartBlock(block)).toEqual([]);
  });

  it('sums minutes into round buckets when the span around the asked minute is longer than twenty minutes', () => {
    const report = structuredClone(demo);
    report.verdict = {
      ...report.verdict,
      facts: { ...report.verdict.facts, burstStart: '2026-06-18T19:05:00Z', burstEnd: '2026-06-18T19:40:00Z' },
    };
    report.findings = [report.verdict];

    const chart = buildSlackChartBlock(report, demoFormatter(report))!;

    // The burst is cut to the 30 minutes before the asked one: 05:11–05:46 in 2-minute buckets.
    expect(chart.block.chart.axis_config.categories).toEqual([
      '05:08',
      '05:10',
      '05:12',
      '05:14',
      '05:16',
      '05:18',
      '05:20',
      '05:22',
      '05:24',
      '05:26',
      '05:28',
      '05:30',
      '05:32',
      '05:34',
      '05:36',
      '05:38',
      '05:40 asked',
      '05:42',
      '05:44',
      '05:46',
    ]);
    expect(chart.span).toEqual({ first: 57, last: 96, minutesPerCategory: 2 });
    const requests = countsAt(report, 'requests', 57, 96) as number[];
    expect(chart.block.chart.series[0]!.data.map((p) => p.value)).toEqual(
      Array.from({ length: 20 }, (_, i) => requests[2 * i]! + requests[2 * i + 1]!),
    );
    expect(chart.block.chart.axis_config.y_label).toBe('count per 2 minutes');
    expect(checkSlackChartBlock(chart.block)).toEqual([]);
  });

  it('leaves out, and names, a series with an unmeasured minute in the span rather than drawing it as 0', () => {
    const report = structuredClone(demo);
    const signal = report.signals.throttled_429!;
    report.signals.throttled_429 = {
      ...signal,
      status: 'partial',
      perMinute: signal.perMinute.filter((_, i) => i !== 85),
    };

    const chart = buildSlackChartBlock(report, demoFormatter(report))!;

    expect(chart.omitted).toEqual(['429 throttled (proxy PR--)']);
    expect(chart.block.chart.series.map((s) => s.name)).not.toContain('429 throttled');
  });

  it('returns null when none of the chosen signals was measured', () => {
    const report = structuredClone(demo);
    for (const signal of Object.values(report.signals))
      Object.assign(signal, { status: 'unavailable', perMinute: [], window: null, atMinute: null, peak: null });

    expect(buildSlackChartBlock(report, demoFormatter(report))).toBeNull();
  });
});

describe('checkSlackChartBlock', () => {
  it('names every limit a block breaks', () => {
    const categories = Array.from({ length: 21 }, (_, i) => `${String(i).padStart(2, '0')}:00`);
    const series = Array.from({ length: 7 }, (_, i) => ({
      name: i === 0 ? 'a series name over twenty' : `s${i % 3}`,
      data: categories.map((label) => ({ label, value: 1 })),
    }));
    series[1]!.data[0]!.label = 'other';
    const block: DataVisualizationBlock = {
      type: 'data_visualization',
      title: 'x'.repeat(SLACK_CHART_LIMITS.titleChars + 1),
      chart: { type: 'line', series, axis_config: { categories, x_label: 'y'.repeat(51) } },
    };

    expect(checkSlackChartBlock(block)).toEqual([
      'title has 51 characters (1–50)',
      '7 series (1–6)',
      'series names are not unique',
      '21 categories (1–20)',
      'x_label is longer than 50',
      'series name "a series name over twenty" has 25 characters (1–20)',
      'series "s1" does not have one point per category, in order',
    ]);
  });
});

describe('renderSlackSparklines', () => {
  it('draws each charted series over the window in a code block, the asked minute marked, each with its peak', () => {
    const text = renderSlackSparklines(demo, demoFormatter(demo));

    expect(text.split('\n')).toEqual([
      '*Per minute, 04:11–07:11 AEST (18:11–21:11 UTC)* · 5 min a character · ▼ asked 05:41',
      '```',
      '                                     ▼05:41',
      'requests           ▆▅▅▆▅▆▅▅▅▆▅▅▅▅▅▆██▆▅▅▅▅▅▅▅▆▆▅▅▅▅▅▅▅▅  peak 336 at 05:34',
      '429 throttled      ▁▁▁▁▁▃▃▁▁▁▁▁▁▁▁▄█▇▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁  peak 143 at 05:34',
      'origin 5xx         ▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁  0 in window',
      'target 5xx         ▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁  0 in window',
      'LB 502 this index  ▅▅▅▄▇▇▇▅▄▅█▇▄▅▅▅▇▄▅▅▅▄▄▇▅▅▅▄▅▅▇▄▇▇▄▅  peak 4 at 05:05',
      'LB 502 all tenants ▅▇▅▅▆▆▆▅▇▅▇▆▄▅▅▇█▆▅▄▆▅▆▅▅▆▇▇▆▆▆▅▆▆▇▆  peak 6 at 05:32',
      '```',
    ]);
  });
});
