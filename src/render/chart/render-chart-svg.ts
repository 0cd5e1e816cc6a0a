/**
 * Chart model → SVG, in Node with no DOM and no canvas: Vega-Lite compiles the spec, Vega
 * renders it headless (`renderer: 'none'`) and serialises the scenegraph to SVG. Text widths
 * are estimated without a canvas, which is why legend and title limits are set generously.
 *
 * Vega and Vega-Lite are ESM-only with top-level await and weigh ~20 MB: they are imported on
 * first use only, so a CLI run without --chart never loads them.
 */
import type { ChartModel } from './build-chart-model.js';
import { buildChartSpec } from './chart-spec.js';

let libraries: Promise<[typeof import('vega'), typeof import('vega-lite')]> | undefined;

function loadLibraries(): Promise<[typeof import('vega'), typeof import('vega-lite')]> {
  libraries ??= Promise.all([import('vega'), import('vega-lite')]).catch((error: unknown) => {
    libraries = undefined; // a failed import may succeed on a later call (e.g. after an install)
    throw error;
  });
  return libraries;
}

export async function renderChartSvg(model: ChartModel): Promise<string> {
  const [vega, vegaLite] = await loadLibraries();
  const { spec } = vegaLite.compile(buildChartSpec(model) as unknown as import('vega-lite').TopLevelSpec);
  const view = new vega.View(vega.parse(spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
