/**
 * The files the PNG renderer reads at run time: the resvg WebAssembly module and the bundled
 * Inter fonts. The same code runs from src/ (tsx), from the CLI bundle in dist/cli/ and from
 * the Lambda package (where the packager rewrites each source file's `import.meta.url` to its
 * path inside the package), so each file is found by walking up from this module until
 * `<dir>/<relative path>` exists, as src/core/asset-root.ts does for templates/.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Why502Error } from '../../errors.js';

/** Relative to the package root; the Lambda package must ship these (serverless.yml `patterns`). */
export const CHART_FONT_FILES = ['assets/fonts/Inter_400Regular.ttf', 'assets/fonts/Inter_700Bold.ttf'] as const;
export const RESVG_WASM_FILE = 'node_modules/@resvg/resvg-wasm/index_bg.wasm';

/** The absolute path of `relativePath` in the nearest folder above `moduleUrl` that has it. */
export function findPackageFile(moduleUrl: string, relativePath: string): string {
  const start = path.dirname(fileURLToPath(moduleUrl));
  for (let dir = start; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, relativePath);
    if (existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) break;
  }
  throw new Why502Error(
    `The chart renderer could not find ${relativePath} in any folder above ${start}.`,
    'Reinstall with `npm ci`; on Lambda, the package must include it (serverless.yml patterns).',
  );
}

let fonts: Promise<Uint8Array[]> | undefined;

/** The bundled Inter Regular and Bold, read once per process. */
export function loadChartFonts(moduleUrl: string = import.meta.url): Promise<Uint8Array[]> {
  fonts ??= Promise.all(CHART_FONT_FILES.map((file) => readFile(findPackageFile(moduleUrl, file)))).catch(
    (error: unknown) => {
      fonts = undefined;
      throw error;
    },
  );
  return fonts;
}

/** The resvg WebAssembly module's bytes. */
export function readResvgWasm(moduleUrl: string = import.meta.url): Promise<Buffer> {
  return readFile(findPackageFile(moduleUrl, RESVG_WASM_FILE));
}
