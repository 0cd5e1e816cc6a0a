import { beforeAll, describe, expect, it } from 'vitest';
import type { ReportJson } from '../../src/core/report.js';
import { VERDICT_KINDS } from '../../src/core/types.js';
import { buildChartModel } from '../../src/render/chart/build-chart-model.js';
import { minuteIndex } from '../../src/render/chart/minute-values.js';
import { demoFormatter, loadDemoReport } from './support/demo-report.js';

let demo: ReportJson;
beforeAll(async () => {
  demo = await loadDemoReport();
}, 60_000);

describe('buildChartModel', () => {
  it("draws the demo's throttling verdict as requests and 429s over the 5xx background, minute by minute as the report counted them", () => {
    const model = buildChartModel(demo, demoFormatter(demo));

    expect(model.panels.map((p) => [p.title, p.series.map((s) => s.signal)])).toEqual([
      ['requests and 429s per minute', ['requests', 'throttled_429']],
      ['LB-minted and origin 5xx per minute', ['origin_5xx', 'target_5xx', 'elb_502_index', 'elb_502']],
    ]);
    for (const series of model.panels.flatMap((p) => p.series)) {
      const expected = new Array(180).fill(null);
      for (const point of demo.signals[series.signal]!.perMinute)
        expected[minuteIndex(demo, point.minute)] = point.count;
      expect(series.values, series.signal).toEqual(expected);
    }
  });

  it('marks the asked minute, shades the burst the finding recorded and labels the axis in the asked zone and UTC', () => {
    const model = buildChartModel(demo, demoFormatter(demo));

    expect(model.title).toBe('prod_000_audio · 429 throttling, not 502s');
    expect(model.asked).toEqual({ index: 90, local: '05:41', utc: '19:41', label: 'asked 05:41 AEST / 19:41 UTC' });
    expect(model.bursts).toEqual([
      { kind: 'throttling_429', first: 78, last: 89, label: '429 burst 05:29–05:40 AEST', color: '#f59e0b' },
    ]);
    expect(model.ticks.map((t) => `${t.index} ${t.local}/${t.utc}`)).toEqual([
      '19 04:30/18:30',
      '49 05:00/19:00',
      '79 05:30/19:30',
      '109 06:00/20:00',
      '139 06:30/20:30',
      '169 07:00/21:00',
    ]);
    expect(model.axisTitle).toBe('AEST (UTC+10:00); UTC below');
    expect(model.subtitle[0]).toBe(
      'asked 19 Jun 05:41 AEST (19:41 UTC, 18 Jun) · per minute, 04:11–07:11 AEST (18:11–21:11 UTC)',
    );
  });

  it('gives each series its window total and peak, and the 502 background its mean', () => {
    const model = buildChartModel(demo, demoFormatter(demo));
    const [traffic, background] = model.panels;

    expect(traffic!.series.map((s) => [s.legend, s.peak])).toEqual([
      ['requests (ALB) · 31,827', { index: 83, count: 336, local: '05:34' }],
      ['429 throttled (proxy PR--) · 1,047', { index: 83, count: 143, local: '05:34' }],
    ]);
    expect(background!.mean).toEqual({ signal: 'elb_502', perMinute: 379 / 180, color: '#2563eb' });
    expect(background!.series.at(-1)!.legend).toBe('LB-minted 502, all tenants · 379 · mean 2.1/min');
  });

  it('keeps minutes a partial source did not cover as holes, never as zeros', () => {
    const report = structuredClone(demo);
    const signal = report.signals.throttled_429!;
    report.signals.throttled_429 = {
      ...signal,
      status: 'partial',
      reason: 'proxy logs end at 06:40',
      window: 1047,
      perMinute: signal.perMinute.slice(0, 150),
    };

    const series = buildChartModel(report, demoFormatter(report)).panels[0]!.series[1]!;

    expect([series.values.slice(145, 155), series.legend]).toEqual([
      [0, 0, 0, 0, 0, null, null, null, null, null],
      '429 throttled (proxy PR--) · 1,047 (partial)',
    ]);
  });

  it('names a chosen signal that was not measured instead of drawing it', () => {
    const report = structuredClone(demo);
    report.verdict = { ...report.findings[1]! };

    const model = buildChartModel(report, demoFormatter(report));

    expect(model.panels.map((p) => p.series.map((s) => s.signal))).toEqual([
      ['elb_502', 'elb_502_index'],
      ['target_5xx', 'elb_503', 'elb_504'],
    ]);
    expect(model.omitted.map((o) => o.signal)).toEqual(['target_connection_errors']);
    expect(model.subtitle.at(-1)).toBe('not measured: target connection errors (ALB)');
  });

  it('never charts more than six series, whatever the verdict', () => {
    const counts = VERDICT_KINDS.map((kind) => {
      const report: ReportJson = { ...structuredClone(demo), verdict: { ...demo.verdict, kind } };
      return buildChartModel(report, demoFormatter(report)).panels.flatMap((p) => p.series).length;
    });

    expect(Object.fromEntries(VERDICT_KINDS.map((kind, i) => [kind, counts[i]]))).toEqual({
      throttling_429: 6,
      keepalive_race: 5,
      origin_5xx: 5,
      target_unreachable: 5,
      origin_timeout: 4,
      no_healthy_targets: 3,
      no_errors: 6,
      inconclusive: 6,
    });
  });
});
