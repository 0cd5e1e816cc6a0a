/**
 * The chart as text, for a Slack message that cannot carry the chart block or the image: one
 * sparkline per series over the whole window in a code block (so the columns line up), a
 * marker over the asked minute, and each series' peak. Pure; returns mrkdwn.
 */
import type { ReportJson } from '../../core/report.js';
import type { TimeFormatter } from '../../core/types.js';
import { buildChartModel } from './build-chart-model.js';
import {
  type Charset,
  drawSparkline,
  markerLine,
  minutesPerChar,
  SPARK_HOLE,
  SPARK_MARKER,
  sparkPosition,
} from './sparkline.js';

/** Characters of sparkline: 180 minutes at 5 a character; fits a Slack code block on a laptop. */
export const SLACK_SPARKLINE_CHARS = 36;

export function renderSlackSparklines(report: ReportJson, fmt: TimeFormatter, charset: Charset = 'unicode'): string {
  const model = buildChartModel(report, fmt);
  const series = model.panels.flatMap((panel) => panel.series);
  if (series.length === 0) return '';
  const perChar = minutesPerChar(model.minutes, SLACK_SPARKLINE_CHARS);
  const labelWidth = Math.max(...series.map((s) => s.shortLabel.length));
  const lines = series.map((s) => {
    const { text } = drawSparkline(s.values, SLACK_SPARKLINE_CHARS, charset);
    const peak = s.peak ? `peak ${s.peak.count} at ${s.peak.local}` : `${s.total} in window`;
    return `${s.shortLabel.padEnd(labelWidth)} ${text}  ${peak}`;
  });
  const width = Math.ceil(model.minutes / perChar);
  const marker =
    `${' '.repeat(labelWidth + 1)}${markerLine(sparkPosition(model.asked.index, perChar), width, model.asked.local, charset)}`.trimEnd();
  const range = fmt.range(new Date(report.window.start), new Date(report.window.end));
  const hasHoles = series.some((s) => s.values.includes(null));
  const caption = [
    `*Per minute, ${escapeMrkdwn(range)}*`,
    `${perChar} min a character`,
    `${SPARK_MARKER[charset]} asked ${model.asked.local}`,
    ...(hasHoles ? [`${SPARK_HOLE[charset]} = not measured`] : []),
  ].join(' · ');
  return [caption, '```', marker, ...lines.map(escapeMrkdwn), '```'].join('\n');
}

// Slack reads &, < and > as markup even in code blocks; the render layer has no Slack imports.
function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
