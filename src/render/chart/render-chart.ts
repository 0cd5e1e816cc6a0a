/**
 * A report's chart as an image file's bytes: what `--chart` writes and what the Slack worker
 * uploads into the thread. Loads Vega (and, for PNG, resvg) on first use only.
 */
import type { ReportJson } from '../../core/report.js';
import type { TimeFormatter } from '../../core/types.js';
import { buildChartModel } from './build-chart-model.js';
import { describeChart } from './describe-chart.js';
import { type PngOptions, renderChartPng } from './render-chart-png.js';
import { renderChartSvg } from './render-chart-svg.js';

export const CHART_FORMATS = ['png', 'svg'] as const;
export type ChartFormat = (typeof CHART_FORMATS)[number];

export interface ChartImage {
  format: ChartFormat;
  mediaType: 'image/png' | 'image/svg+xml';
  bytes: Uint8Array;
  /** Pixels for PNG; null for SVG (it scales). */
  width: number | null;
  height: number | null;
  /** What the chart shows, in words (Slack `alt_text`, Markdown image text). */
  altText: string;
}

export async function renderChart(
  report: ReportJson,
  fmt: TimeFormatter,
  format: ChartFormat,
  pngOptions: PngOptions = {},
): Promise<ChartImage> {
  const model = buildChartModel(report, fmt);
  const svg = await renderChartSvg(model);
  const altText = describeChart(model);
  if (format === 'svg')
    return {
      format,
      mediaType: 'image/svg+xml',
      bytes: new TextEncoder().encode(svg),
      width: null,
      height: null,
      altText,
    };
  const { png, width, height } = await renderChartPng(svg, pngOptions);
  return { format, mediaType: 'image/png', bytes: png, width, height, altText };
}
