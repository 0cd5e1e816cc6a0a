/**
 * SVG → PNG with resvg compiled to WebAssembly: no native binary, so the same code runs on
 * Lambda's arm64 and on any laptop. resvg loads no system fonts here (there are none on
 * Lambda, and a result that depends on the machine's fonts is not reproducible): the bundled
 * Inter is passed in as buffers. Without any font resvg drops all text silently, which is why
 * the tests compare a render with fonts against one without.
 */
import { loadChartFonts, readResvgWasm } from './chart-assets.js';

type ResvgModule = typeof import('@resvg/resvg-wasm');

export interface PngOptions {
  /** Scale factor over the SVG's own size; 2 gives a sharp image on high-density screens. Default 2. */
  zoom?: number;
  /** Fonts to render text with. Default: the bundled Inter. An empty list renders no text (tests). */
  fontBuffers?: readonly Uint8Array[];
}

export interface PngImage {
  png: Uint8Array;
  width: number;
  height: number;
}

export const DEFAULT_PNG_ZOOM = 2;

let resvg: Promise<ResvgModule> | undefined;

/** The wasm module may be initialised once per process: a second initWasm throws. */
function loadResvg(): Promise<ResvgModule> {
  resvg ??= (async () => {
    const module = await import('@resvg/resvg-wasm');
    await module.initWasm(await readResvgWasm());
    return module;
  })().catch((error: unknown) => {
    resvg = undefined;
    throw error;
  });
  return resvg;
}

export async function renderChartPng(svg: string, options: PngOptions = {}): Promise<PngImage> {
  const { Resvg } = await loadResvg();
  const fontBuffers = options.fontBuffers ?? (await loadChartFonts());
  const renderer = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: options.zoom ?? DEFAULT_PNG_ZOOM },
    background: 'white',
    font: {
      fontBuffers: [...fontBuffers],
      loadSystemFonts: false,
      defaultFontFamily: 'Inter',
      sansSerifFamily: 'Inter',
    },
  } as ConstructorParameters<ResvgModule['Resvg']>[1]);
  try {
    const image = renderer.render();
    try {
      return { png: image.asPng(), width: image.width, height: image.height };
    } finally {
      image.free();
    }
  } finally {
    renderer.free();
  }
}
