import { beforeAll, describe, expect, it } from 'vitest';
import type { ReportJson } from '../../src/core/report.js';
import { VERDICT_KINDS } from '../../src/core/types.js';
import { buildChartModel } from '../../src/render/chart/build-chart-model.js';
import { renderChart } from '../../src/render/chart/render-chart.js';
import { renderChartPng } from '../../src/render/chart/render-chart-png.js';
import { renderChartSvg } from '../../src/render/chart/render-chart-svg.js';
import { findingLabel } from '../../src/render/verdict-labels.js';
import { decodePng, inkPixels } from './support/decode-png.js';
import { demoFormatter, loadDemoReport } from './support/demo-report.js';

let demo: ReportJson;
let svg: string;
beforeAll(async () => {
  demo = await loadDemoReport();
  svg = await renderChartSvg(buildChartModel(demo, demoFormatter(demo)));
}, 60_000);

const svgSize = (text: string) => /<svg[^>]* width="(\d+)" height="(\d+)"/.exec(text)!.slice(1, 3).map(Number);
/** Every piece of text: whole <text> elements, and the lines of multi-line ones (<tspan>). */
const textsOf = (text: string) =>
  [...text.matchAll(/<(?:text|tspan)[^>]*>([^<]+)<\/(?:text|tspan)>/g)].map((m) => m[1]);
/** The `d` of the line drawn in `color` (vega writes each series as one path). */
const lineOf = (text: string, color: string) =>
  new RegExp(`<path[^>]*d="([^"]+)"[^>]*stroke="${color}"`).exec(text)?.[1] ?? '';

describe('renderChartSvg', () => {
  it('writes the title, the asked minute in the asked zone and UTC, the burst, and two-line time labels', () => {
    const texts = textsOf(svg);

    expect(texts).toEqual(
      expect.arrayContaining([
        'prod_000_audio · 429 throttling, not 502s',
        'asked 05:41 AEST / 19:41 UTC',
        '429 burst 05:29–05:40 AEST',
        'AEST (UTC+10:00); UTC below',
        '05:30',
        '19:30 UTC',
        '429 throttled (proxy PR--) · 1,047',
        'LB-minted 502, all tenants · 379 · mean 2.1/min',
      ]),
    );
    expect(svgSize(svg)).toEqual([989, 628]);
  });

  it('breaks a line where minutes were not measured instead of drawing across them', async () => {
    const report = structuredClone(demo);
    const signal = report.signals.throttled_429!;
    report.signals.throttled_429 = {
      ...signal,
      status: 'partial',
      perMinute: signal.perMinute.filter((_, i) => i < 100 || i >= 110),
    };

    const broken = await renderChartSvg(buildChartModel(report, demoFormatter(report)));

    expect([lineOf(svg, '#f59e0b').match(/M/g)?.length, lineOf(broken, '#f59e0b').match(/M/g)?.length]).toEqual([1, 2]);
  });

  it('compiles a chart for every verdict kind', async () => {
    const titles: string[] = [];
    for (const kind of VERDICT_KINDS) {
      const report: ReportJson = { ...structuredClone(demo), verdict: { ...demo.verdict, kind } };
      titles.push(
        textsOf(await renderChartSvg(buildChartModel(report, demoFormatter(report)))).find((t) =>
          t?.startsWith('prod_000_audio'),
        ) ?? '',
      );
    }

    expect(titles).toEqual(
      VERDICT_KINDS.map((kind) => `prod_000_audio · ${findingLabel({ kind, facts: demo.verdict.facts })}`),
    );
  }, 30_000);
});

describe('renderChartPng', () => {
  it('renders the demo chart at twice the SVG size, on white, with ink where the lines are', async () => {
    const image = await renderChart(demo, demoFormatter(demo), 'png');

    const png = decodePng(image.bytes);

    const [width, height] = svgSize(svg);
    expect([png.width, png.height, image.width, image.height]).toEqual([
      width! * 2,
      height! * 2,
      width! * 2,
      height! * 2,
    ]);
    expect(image.mediaType).toBe('image/png');
    const ink = inkPixels(png, { x: 0, y: 0, width: png.width, height: png.height });
    expect(ink / (png.width * png.height)).toBeGreaterThan(0.03);
    expect(inkPixels(png, { x: 0, y: 0, width: 8, height: 8 })).toBe(0);
  });

  it('draws text with the bundled font, where a render with no fonts has none (resvg drops text silently)', async () => {
    const [withFonts, withoutFonts] = await Promise.all([
      renderChartPng(svg),
      renderChartPng(svg, { fontBuffers: [] }),
    ]);

    const title = { x: 0, y: 0, width: 1100, height: 90 };
    // Below the x axis's tick marks: the two-line time labels and the axis title, text only.
    const timeLabels = { x: 100, y: withFonts.height - 80, width: 1800, height: 80 };
    const ink = [withFonts, withoutFonts].map((image) => {
      const png = decodePng(image.png);
      return [inkPixels(png, title), inkPixels(png, timeLabels)];
    });

    expect(ink[1]).toEqual([0, 0]);
    expect(ink[0]![0]).toBeGreaterThan(2000);
    expect(ink[0]![1]).toBeGreaterThan(1000);
  });
});
