/**
 * The chart model as a Vega-Lite spec: one panel per group of series sharing a y scale, one
 * point per minute drawn as steps (a minute's count holds for the whole minute), holes as gaps,
 * bursts shaded, the asked minute a dashed rule with its label in the asked zone and UTC. Pure:
 * plain data out; render-chart-svg.ts turns it into SVG.
 */
import type { ChartModel, ChartPanel } from './build-chart-model.js';

/** Inter is bundled for the PNG; SVG viewers without it fall back to a common sans-serif. */
export const CHART_FONT = 'Inter, "Helvetica Neue", Arial, sans-serif';
export const CHART_WIDTH_PX = 900;
const FIRST_PANEL_HEIGHT_PX = 200;
const OTHER_PANEL_HEIGHT_PX = 140;
const ASKED_COLOR = '#111827';
const MUTED_TEXT = '#4b5563';
const LABEL_COLOR = '#92400e';
const LEGEND_FONT_PX = 11;
const LEGEND_LABEL_LIMIT_PX = 440;

/**
 * A Vega-Lite spec as plain JSON. Not typed as vega-lite's TopLevelSpec: its union types make a
 * layered concat spec hard to write, and vega-lite's compile validates it at run time anyway
 * (the tests compile one for every verdict kind).
 */
export type ChartSpec = Record<string, unknown>;
type LayerSpec = Record<string, unknown>;

export function buildChartSpec(model: ChartModel): ChartSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    background: 'white',
    padding: { left: 16, right: 24, top: 16, bottom: 12 },
    title: {
      text: model.title,
      subtitle: model.subtitle,
      anchor: 'start',
      fontSize: 17,
      subtitleFontSize: 12,
      subtitleColor: MUTED_TEXT,
      offset: 14,
    },
    config: {
      font: CHART_FONT,
      view: { stroke: null },
      axis: {
        labelFontSize: 11,
        titleFontSize: 11,
        titleFontWeight: 'normal',
        titleColor: MUTED_TEXT,
        gridColor: '#eef0f3',
      },
      legend: {
        labelFontSize: LEGEND_FONT_PX,
        symbolStrokeWidth: 2.5,
        orient: 'top',
        direction: 'horizontal',
        columns: 2,
        title: null,
        offset: 18,
      },
    },
    spacing: 18,
    resolve: { scale: { color: 'independent', strokeDash: 'independent' } },
    vconcat: model.panels.map((panel, i) => panelSpec(model, panel, i === 0, i === model.panels.length - 1)),
  };
}

function panelSpec(model: ChartModel, panel: ChartPanel, first: boolean, last: boolean): LayerSpec {
  return {
    width: CHART_WIDTH_PX,
    height: first ? FIRST_PANEL_HEIGHT_PX : OTHER_PANEL_HEIGHT_PX,
    title: {
      text: panel.title,
      anchor: 'start',
      frame: 'group',
      fontSize: 12,
      fontWeight: 'bold',
      color: '#374151',
      offset: 6,
    },
    layer: [
      ...burstLayers(model, first),
      ...(panel.mean ? [meanLayer(panel.mean)] : []),
      seriesLayer(model, panel, first, last),
      ...askedLayers(model, first),
    ],
  };
}

/** Every layer shares this x; only the series layer sets the axis (layers merge their axes). */
function xEncoding(model: ChartModel, field: string, axis?: Record<string, unknown>): Record<string, unknown> {
  return {
    field,
    type: 'quantitative',
    scale: { domain: [0, model.minutes], nice: false, zero: false },
    ...(axis ? { axis } : {}),
  };
}

/** Two-line tick labels, "05:30" over "19:30 UTC", read from a lookup built in the model. */
function timeAxis(model: ChartModel, showLabels: boolean): Record<string, unknown> {
  const labels = Object.fromEntries(model.ticks.map((t) => [t.index, [t.local, `${t.utc} UTC`]]));
  return {
    values: model.ticks.map((t) => t.index),
    labelExpr: `${JSON.stringify(labels)}[datum.value]`,
    labels: showLabels,
    title: showLabels ? model.axisTitle : null,
    grid: true,
    ticks: true,
    domain: true,
  };
}

function seriesLayer(model: ChartModel, panel: ChartPanel, first: boolean, last: boolean): LayerSpec {
  const rows = panel.series.flatMap((series) =>
    series.values.map((value, minute) => ({ minute, value, series: series.legend })),
  );
  const legends = panel.series.map((s) => s.legend);
  return {
    data: { values: rows },
    // Steps: a count covers its whole minute. A null (unmeasured) minute breaks the line.
    // Thinner lines below the first panel: background signals, often noisy, should not shout.
    mark: {
      type: 'line',
      interpolate: 'step-after',
      strokeWidth: first ? 1.8 : 1.3,
      invalid: 'break-paths-show-domains',
    },
    encoding: {
      x: xEncoding(model, 'minute', timeAxis(model, last)),
      y: { field: 'value', type: 'quantitative', title: 'per minute', axis: { tickCount: 5 } },
      color: {
        field: 'series',
        type: 'nominal',
        sort: legends,
        scale: { domain: legends, range: panel.series.map((s) => s.color) },
        legend: legendLayout(legends),
      },
      strokeDash: {
        field: 'series',
        type: 'nominal',
        sort: legends,
        scale: { domain: legends, range: panel.series.map((s) => (s.dashed ? [5, 3] : [1, 0])) },
      },
    },
  };
}

/**
 * Two legend columns unless a label would be cut: Vega estimates text at 0.8 em a character,
 * so a label over LEGEND_LABEL_LIMIT_PX / (0.8 × 11 px) ≈ 50 characters puts the legend in one wide column.
 */
function legendLayout(labels: readonly string[]): { columns: number; labelLimit: number } {
  const long = labels.some((label) => label.length * 0.8 * LEGEND_FONT_PX > LEGEND_LABEL_LIMIT_PX);
  return long ? { columns: 1, labelLimit: CHART_WIDTH_PX - 40 } : { columns: 2, labelLimit: LEGEND_LABEL_LIMIT_PX };
}

/** One layer per burst with its colour as a constant: a colour encoding would join the legend. */
function burstLayers(model: ChartModel, labelled: boolean): LayerSpec[] {
  return model.bursts.flatMap((burst) => {
    const values = [{ start: burst.first, end: burst.last + 1, label: burst.label }];
    const band: LayerSpec = {
      data: { values },
      mark: { type: 'rect', opacity: 0.16, color: burst.color },
      encoding: { x: xEncoding(model, 'start'), x2: { field: 'end' } },
    };
    // Above the plot, ending at the band's right edge; the asked label starts right of the
    // asked rule, so a burst that ends a minute before never collides with it.
    const label: LayerSpec = {
      data: { values },
      mark: {
        type: 'text',
        align: 'right',
        baseline: 'bottom',
        dx: -2,
        y: -3,
        fontSize: 11,
        fontWeight: 'bold',
        color: LABEL_COLOR,
      },
      encoding: { x: xEncoding(model, 'end'), text: { field: 'label' } },
    };
    return labelled ? [band, label] : [band];
  });
}

/** The mean as a dotted rule in the series' colour; its value is in the legend. */
function meanLayer(mean: NonNullable<ChartPanel['mean']>): LayerSpec {
  return {
    data: { values: [{ y: mean.perMinute }] },
    mark: { type: 'rule', strokeDash: [2, 3], strokeWidth: 1.4, color: mean.color },
    encoding: { y: { field: 'y', type: 'quantitative' } },
  };
}

function askedLayers(model: ChartModel, labelled: boolean): LayerSpec[] {
  // The rule stands in the middle of the asked minute, so a burst ending the minute before
  // shows a visible gap before it.
  const values = [{ minute: model.asked.index + 0.5, label: model.asked.label }];
  const rule: LayerSpec = {
    data: { values },
    mark: { type: 'rule', color: ASKED_COLOR, strokeDash: [5, 3], strokeWidth: 1.6 },
    encoding: { x: xEncoding(model, 'minute') },
  };
  // Near the right edge (a window clipped at "now") the label goes to the rule's left instead.
  const onLeft = model.asked.index > model.minutes * 0.75;
  const label: LayerSpec = {
    data: { values },
    mark: {
      type: 'text',
      align: onLeft ? 'right' : 'left',
      baseline: 'bottom',
      dx: onLeft ? -4 : 4,
      y: -3,
      fontSize: 11,
      fontWeight: 'bold',
      color: ASKED_COLOR,
    },
    encoding: { x: xEncoding(model, 'minute'), text: { field: 'label' } },
  };
  return labelled ? [rule, label] : [rule];
}
