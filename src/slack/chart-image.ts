/**
 * The chart PNG for the thread: renderChart from the render layer, whose Vega and resvg load on
 * first use. Imported only by the edges that run jobs (the Lambda worker, `why502 serve`).
 */
import { renderChart } from '../render/chart/render-chart.js';
import type { ChartImageRenderer } from './thread-chart.js';

export const renderChartPng: ChartImageRenderer = (report, fmt) => renderChart(report, fmt, 'png');
