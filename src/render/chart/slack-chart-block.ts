/**
 * Slack's native chart: a Block Kit `data_visualization` line chart of the verdict's series
 * around the asked minute. Pure: the report in, a block (or null when there is nothing to
 * draw) out; the poster falls back to the image or the sparklines when Slack refuses it.
 *
 * Limits (docs.slack.dev/reference/block-kit/blocks/data-visualization-block): title ≤ 50
 * characters and 1–6 series are on the reference page. The rest come from the reference's
 * Data Series / Data Point / Axis Config tables as mirrored by the `slack-messaging` crate
 * 0.7.7 (the page's text was cut short where we could read it): series name ≤ 20 characters,
 * 1–20 data points a series, category and data-point labels ≤ 20, x_label/y_label ≤ 50.
 * Categories ≤ 20 follows from "one data point per category"; a third-party integration reports
 * the same. Whether a value may be null is not documented: a series with an unmeasured minute in
 * the span is left out (and named) rather than drawn as 0.
 */
import type { ReportJson } from '../../core/report.js';
import type { TimeFormatter } from '../../core/types.js';
import { aroundSpan, findingBursts } from '../verdict-table.js';
import { buildChartModel, type ChartSeries, utcClock } from './build-chart-model.js';
import { BURST_NAMES } from './chart-choices.js';
import { minuteAt } from './minute-values.js';

export const SLACK_CHART_LIMITS = {
  titleChars: 50,
  seriesMin: 1,
  seriesMax: 6,
  seriesNameChars: 20,
  categoriesMax: 20,
  labelChars: 20,
  axisLabelChars: 50,
} as const;

export interface DataPoint {
  label: string;
  value: number;
}

export interface DataVisualizationBlock {
  type: 'data_visualization';
  block_id?: string;
  title: string;
  chart: {
    type: 'line';
    series: { name: string; data: DataPoint[] }[];
    axis_config: { categories: string[]; x_label?: string; y_label?: string };
  };
}

export interface SlackChart {
  block: DataVisualizationBlock;
  /** Window minute indexes the categories cover, inclusive, and the minutes per category. */
  span: { first: number; last: number; minutesPerCategory: number };
  /** Series left out because a minute in the span was not measured: their labels. */
  omitted: string[];
}

/** Minutes per category, smallest first: round numbers so the labels read as clock times. */
const CATEGORY_MINUTES = [1, 2, 3, 5, 10, 15, 30, 60, 120] as const;

export function buildSlackChartBlock(
  report: ReportJson,
  fmt: TimeFormatter,
  options: { blockId?: string } = {},
): SlackChart | null {
  const model = buildChartModel(report, fmt);
  const buckets = chooseBuckets(report, fmt, model.minutes);
  const asked = model.asked.index;
  const categories = buckets.map((b) =>
    truncate(
      `${fmt.localClock(minuteAt(report, b.first))}${asked >= b.first && asked <= b.last ? ' asked' : ''}`,
      SLACK_CHART_LIMITS.labelChars,
    ),
  );
  const omitted: string[] = [];
  const series: DataVisualizationBlock['chart']['series'] = [];
  for (const s of model.panels.flatMap((panel) => panel.series)) {
    const data = bucketSums(s, buckets);
    if (data === null) omitted.push(s.label);
    else
      series.push({
        name: uniqueName(s.shortLabel, series),
        data: data.map((value, i) => ({ label: categories[i]!, value })),
      });
  }
  if (series.length === 0 || buckets.length === 0) return null;
  const perCategory = buckets[0]!.last - buckets[0]!.first + 1;
  const block: DataVisualizationBlock = {
    type: 'data_visualization',
    ...(options.blockId ? { block_id: options.blockId } : {}),
    title: truncate(chartTitle(report, fmt, model.asked.local), SLACK_CHART_LIMITS.titleChars),
    chart: {
      type: 'line',
      series: series.slice(0, SLACK_CHART_LIMITS.seriesMax),
      axis_config: {
        categories,
        x_label: truncate(
          `${fmt.zoneLabel} (UTC${report.asked.utcOffset}); asked ${model.asked.local} = ${utcClock(new Date(report.at))} UTC`,
          SLACK_CHART_LIMITS.axisLabelChars,
        ),
        y_label: perCategory === 1 ? 'count per minute' : `count per ${perCategory} minutes`,
      },
    },
  };
  return {
    block,
    span: { first: buckets[0]!.first, last: buckets.at(-1)!.last, minutesPerCategory: perCategory },
    omitted,
  };
}

/** Every way `block` breaks the limits above; empty when Slack should accept it. */
export function checkSlackChartBlock(block: DataVisualizationBlock): string[] {
  const L = SLACK_CHART_LIMITS;
  const problems: string[] = [];
  const { series, axis_config: axis } = block.chart;
  if (block.title.length === 0 || block.title.length > L.titleChars)
    problems.push(`title has ${block.title.length} characters (1–${L.titleChars})`);
  if (series.length < L.seriesMin || series.length > L.seriesMax)
    problems.push(`${series.length} series (${L.seriesMin}–${L.seriesMax})`);
  if (new Set(series.map((s) => s.name)).size !== series.length) problems.push('series names are not unique');
  if (axis.categories.length === 0 || axis.categories.length > L.categoriesMax)
    problems.push(`${axis.categories.length} categories (1–${L.categoriesMax})`);
  if (new Set(axis.categories).size !== axis.categories.length) problems.push('categories are not unique');
  for (const label of axis.categories)
    if (label.length > L.labelChars) problems.push(`category "${label}" is longer than ${L.labelChars}`);
  for (const [name, text] of [
    ['x_label', axis.x_label],
    ['y_label', axis.y_label],
  ] as const) {
    if (text !== undefined && text.length > L.axisLabelChars)
      problems.push(`${name} is longer than ${L.axisLabelChars}`);
  }
  for (const s of series) {
    if (s.name.length === 0 || s.name.length > L.seriesNameChars)
      problems.push(`series name "${s.name}" has ${s.name.length} characters (1–${L.seriesNameChars})`);
    const labels = s.data.map((p) => p.label);
    if (labels.join('\u0000') !== axis.categories.join('\u0000'))
      problems.push(`series "${s.name}" does not have one point per category, in order`);
    if (s.data.some((p) => !Number.isFinite(p.value)))
      problems.push(`series "${s.name}" has a value that is not a finite number`);
  }
  return problems;
}

interface Bucket {
  first: number;
  last: number;
}

/**
 * At most 20 equal buckets around the asked minute: the table's "around" span (the asked
 * minute ± 5, widened to a burst next to it) plus at least a bucket of context each side, in
 * the smallest round bucket size that fits, starting on a round local clock time.
 */
function chooseBuckets(report: ReportJson, fmt: TimeFormatter, minutes: number): Bucket[] {
  const focus = aroundSpan(report);
  const focusLength = focus.last - focus.first + 1;
  const size =
    CATEGORY_MINUTES.find((m) => SLACK_CHART_LIMITS.categoriesMax * m >= focusLength + 2 * m) ??
    CATEGORY_MINUTES.at(-1)!;
  const total = Math.min(minutes, SLACK_CHART_LIMITS.categoriesMax * size);
  let start = focus.first - Math.floor((total - focusLength) / 2);
  start -= localMinuteOfDay(report, fmt, start) % size;
  start = Math.max(0, Math.min(start, minutes - total));
  const buckets: Bucket[] = [];
  for (let first = start; first < start + total && first < minutes; first += size)
    buckets.push({ first, last: Math.min(first + size, minutes) - 1 });
  return buckets;
}

function localMinuteOfDay(report: ReportJson, fmt: TimeFormatter, index: number): number {
  const [hours = 0, mins = 0] = fmt.localClock(minuteAt(report, index)).split(':').map(Number);
  return hours * 60 + mins;
}

/** Sums per bucket, or null when any minute in the span was not measured. */
function bucketSums(series: ChartSeries, buckets: readonly Bucket[]): number[] | null {
  const sums: number[] = [];
  for (const bucket of buckets) {
    let sum = 0;
    for (let i = bucket.first; i <= bucket.last; i++) {
      const value = series.values[i];
      if (value === null || value === undefined) return null;
      sum += value;
    }
    sums.push(sum);
  }
  return sums;
}

/** "429 burst 05:29–05:40 AEST, asked 05:41", or the verdict's index and the asked minute. */
function chartTitle(report: ReportJson, fmt: TimeFormatter, askedClock: string): string {
  const focus = aroundSpan(report);
  const burst = findingBursts(report).find((b) => b.last >= focus.first && b.first <= focus.last);
  if (burst) {
    const range = `${fmt.localClock(minuteAt(report, burst.first))}–${fmt.localClock(minuteAt(report, burst.last))}`;
    return `${BURST_NAMES[burst.kind] ?? 'burst'} ${range} ${fmt.zoneLabel}, asked ${askedClock}`;
  }
  return `${report.index}, asked ${askedClock} ${fmt.zoneLabel}`;
}

function uniqueName(name: string, taken: readonly { name: string }[]): string {
  let candidate = name;
  for (let n = 2; taken.some((s) => s.name === candidate); n++)
    candidate = truncate(
      `${name.slice(0, SLACK_CHART_LIMITS.seriesNameChars - 3)} ${n}`,
      SLACK_CHART_LIMITS.seriesNameChars,
    );
  return candidate;
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
