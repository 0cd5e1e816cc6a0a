/**
 * The chart of a report as data: which series (CHART_CHOICES for the verdict), their counts
 * per minute over the whole window with holes kept as null, the asked minute, the bursts the
 * findings recorded, and the axis ticks in the asked zone and UTC. Every picture (SVG/PNG,
 * Slack's chart block, sparklines) is drawn from this. Pure.
 */
import { formatCount, formatRate } from '../../core/format-number.js';
import type { ReportJson } from '../../core/report.js';
import type { TimeFormatter, VerdictKind } from '../../core/types.js';
import { describeAskedMoment } from '../report-sections.js';
import { findingLabel } from '../verdict-labels.js';
import { findingBursts, signalLabel } from '../verdict-table.js';
import { wrapText } from '../wrap-text.js';
import { BURST_NAMES, BURST_SIGNALS, CHART_CHOICES, MAX_CHART_SERIES, seriesStyle } from './chart-choices.js';
import { minuteAt, minuteIndex, minuteValues, windowMinutes } from './minute-values.js';

export interface ChartSeries {
  signal: string;
  /** As in the verdict table, e.g. "429 throttled (proxy PR--)". */
  label: string;
  /** The label with the window total, for the legend: "429 throttled (proxy PR--) · 1,047". */
  legend: string;
  /** At most 20 characters, for Slack's legend. */
  shortLabel: string;
  color: string;
  dashed: boolean;
  /** One count per minute of the window; null where the source did not measure. */
  values: (number | null)[];
  /** The window total as the table shows it ("1,047", "900 (partial)"). */
  total: string;
  /** The largest minute, first of equals; null when nothing was counted. */
  peak: { index: number; count: number; local: string } | null;
}

export interface ChartPanel {
  title: string;
  series: ChartSeries[];
  /** A dashed rule at a series' mean per measured minute, so a flat background reads as flat. */
  mean?: { signal: string; perMinute: number; color: string };
}

export interface ChartBurst {
  kind: VerdictKind;
  /** Window minute indexes, inclusive. */
  first: number;
  last: number;
  /** "429 burst 05:29–05:40 AEST" (the asked zone's clock). */
  label: string;
  color: string;
}

export interface ChartTick {
  index: number;
  /** "05:30" in the asked zone, and "19:30" in UTC. */
  local: string;
  utc: string;
}

export interface ChartModel {
  /** "prod_000_audio · 429 throttling, not 502s" */
  title: string;
  subtitle: string[];
  zoneLabel: string;
  minutes: number;
  asked: { index: number; local: string; utc: string; label: string };
  bursts: ChartBurst[];
  panels: ChartPanel[];
  /** Signals the chart would show but that were not measured, with the reason. */
  omitted: { signal: string; label: string; reason: string }[];
  ticks: ChartTick[];
  /** "AEST (UTC+10:00); UTC below" */
  axisTitle: string;
}

export function buildChartModel(report: ReportJson, fmt: TimeFormatter): ChartModel {
  const askedAt = new Date(report.at);
  const { panels, omitted } = choosePanels(report, fmt);
  const asked = { index: minuteIndex(report, report.at), local: fmt.localClock(askedAt), utc: utcClock(askedAt) };
  return {
    title: `${report.index} · ${findingLabel(report.verdict)}`,
    subtitle: [
      `asked ${describeAskedMoment(report, fmt)} · per minute, ${fmt.range(new Date(report.window.start), new Date(report.window.end))}`,
      ...wrapText(report.verdict.headline, SUBTITLE_LINE_CHARS),
      ...(omitted.length > 0 ? [`not measured: ${omitted.map((o) => o.label).join('; ')}`] : []),
    ],
    zoneLabel: fmt.zoneLabel,
    minutes: windowMinutes(report),
    asked: { ...asked, label: `asked ${asked.local} ${fmt.zoneLabel} / ${asked.utc} UTC` },
    bursts: chartBursts(report, fmt),
    panels,
    omitted,
    ticks: chartTicks(report, fmt),
    axisTitle: `${fmt.zoneLabel} (UTC${report.asked.utcOffset}); UTC below`,
  };
}

/**
 * Chart text does not wrap, and without a canvas Vega estimates a character at 0.8 em — wider
 * than Inter's — so a long line would widen the whole image: the headline is wrapped short.
 */
const SUBTITLE_LINE_CHARS = 90;

/** "19:41" for an instant, in UTC. */
export function utcClock(instant: Date): string {
  return instant.toISOString().slice(11, 16);
}

function choosePanels(
  report: ReportJson,
  fmt: TimeFormatter,
): { panels: ChartPanel[]; omitted: ChartModel['omitted'] } {
  const panels: ChartPanel[] = [];
  const omitted: ChartModel['omitted'] = [];
  let budget = MAX_CHART_SERIES;
  for (const choice of CHART_CHOICES[report.verdict.kind] ?? CHART_CHOICES.inconclusive) {
    const series: ChartSeries[] = [];
    for (const name of choice.signals) {
      const signal = report.signals[name];
      if (!signal) continue; // not a signal this source kind measures at all
      if (signal.status === 'unavailable')
        omitted.push({ signal: name, label: signalLabel(report, name), reason: signal.reason ?? 'no reason given' });
      else if (budget > 0) {
        series.push(chartSeries(report, name, fmt));
        budget--;
      }
    }
    if (series.length === 0) continue;
    const mean = choice.meanOf ? meanRule(choice.meanOf, series) : undefined;
    const withMean = mean
      ? series.map((s) =>
          s.signal === mean.signal ? { ...s, legend: `${s.legend} · mean ${formatRate(mean.perMinute)}/min` } : s,
        )
      : series;
    panels.push({ title: choice.title, series: withMean, ...(mean ? { mean } : {}) });
  }
  return { panels, omitted };
}

function chartSeries(report: ReportJson, name: string, fmt: TimeFormatter): ChartSeries {
  const signal = report.signals[name]!;
  const style = seriesStyle(name);
  const label = signalLabel(report, name);
  const total =
    signal.window === null ? '—' : `${formatCount(signal.window)}${signal.status === 'partial' ? ' (partial)' : ''}`;
  const values = minuteValues(report, signal);
  return {
    signal: name,
    label,
    legend: `${label} · ${total}`,
    shortLabel: style.shortLabel,
    color: style.color,
    dashed: style.dashed ?? false,
    values,
    total,
    peak: peakOf(report, values, fmt),
  };
}

function peakOf(report: ReportJson, values: readonly (number | null)[], fmt: TimeFormatter): ChartSeries['peak'] {
  let best = -1;
  values.forEach((value, index) => {
    if (value !== null && value > 0 && (best < 0 || value > (values[best] ?? 0))) best = index;
  });
  return best < 0 ? null : { index: best, count: values[best]!, local: fmt.localClock(minuteAt(report, best)) };
}

function meanRule(name: string, series: readonly ChartSeries[]): ChartPanel['mean'] {
  const shown = series.find((s) => s.signal === name);
  const measured = shown?.values.filter((v): v is number => v !== null) ?? [];
  if (!shown || measured.length === 0) return undefined;
  const perMinute = measured.reduce((sum, v) => sum + v, 0) / measured.length;
  return { signal: name, perMinute, color: shown.color };
}

function chartBursts(report: ReportJson, fmt: TimeFormatter): ChartBurst[] {
  return findingBursts(report).map((burst) => ({
    ...burst,
    label: `${BURST_NAMES[burst.kind] ?? 'burst'} ${fmt.localClock(minuteAt(report, burst.first))}–${fmt.localClock(minuteAt(report, burst.last))} ${fmt.zoneLabel}`,
    color: seriesStyle(BURST_SIGNALS[burst.kind] ?? '').color,
  }));
}

/** Tick spacing in minutes by window length: about six to eight labelled ticks. */
function tickStepMinutes(minutes: number): number {
  if (minutes <= 60) return 10;
  if (minutes <= 120) return 15;
  if (minutes <= 240) return 30;
  if (minutes <= 480) return 60;
  if (minutes <= 720) return 120;
  return 180;
}

/** Ticks on round local clock times (05:00, 05:30), so a zone's DST or odd offset still gives clean labels. */
function chartTicks(report: ReportJson, fmt: TimeFormatter): ChartTick[] {
  const minutes = windowMinutes(report);
  const step = tickStepMinutes(minutes);
  const ticks: ChartTick[] = [];
  for (let index = 0; index <= minutes; index++) {
    const at = minuteAt(report, index);
    const local = fmt.localClock(at);
    const [hours = 0, mins = 0] = local.split(':').map(Number);
    if ((hours * 60 + mins) % step === 0) ticks.push({ index, local, utc: utcClock(at) });
  }
  return ticks;
}
