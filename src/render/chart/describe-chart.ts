/**
 * The chart in words: alt text for the image (Slack's `alt_text`, Markdown's image text), so a
 * screen reader or a notification says what the picture shows. Pure.
 */
import type { ChartModel } from './build-chart-model.js';

export function describeChart(model: ChartModel): string {
  const series = model.panels.flatMap((panel) => panel.series);
  const parts = [
    `${model.title}. Per-minute chart, ${model.subtitle[0] ?? ''}.`,
    ...series.map(
      (s) => `${s.label}: ${s.total} in the window${s.peak ? `, peak ${s.peak.count} at ${s.peak.local}` : ''}.`,
    ),
    ...model.bursts.map((b) => `Shaded: ${b.label}.`),
    `Marked: ${model.asked.label}.`,
    ...(model.omitted.length > 0 ? [`Not measured: ${model.omitted.map((o) => o.label).join('; ')}.`] : []),
  ];
  return parts.join(' ');
}
