#!/usr/bin/env node
// Bundles the CLI (and the log-reading worker thread) into dist/cli/ at `npm ci` time (the
// `prepare` script), so `npx why502` starts in ~0.1 s instead of compiling TypeScript on every
// run. bin/why502.js uses the bundle only while it is newer than every source file, and runs the
// sources through tsx otherwise: an edited source is never shadowed by a stale bundle.
// The bench bundles into its own folder (bundleCli) so that its timings never depend on that.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Bundles src/cli/main.ts and the worker entry into `outdir`; returns false when esbuild is not installed. */
export async function bundleCli(outdir = path.join(root, 'dist', 'cli')) {
  let esbuild;
  try {
    esbuild = await import('esbuild');
  } catch {
    return false;
  }
  // Chunk names carry content hashes: without a clean folder every build leaves the last one's behind.
  rmSync(outdir, { recursive: true, force: true });
  await esbuild.build({
    // The worker threads that read log files (`scan` and investigations) load piece-worker.mjs from beside the chunk that starts them.
    entryPoints: {
      main: path.join(root, 'src/cli/main.ts'),
      'piece-worker': path.join(root, 'src/parallel/piece-worker.ts'),
    },
    outdir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Dependencies stay in node_modules and load only when used (the SDKs are imported lazily).
    packages: 'external',
    // Each command's dynamic import stays a separate chunk, so `scan` never loads the Slack or AWS SDKs.
    splitting: true,
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  mkdirSync(outdir, { recursive: true });
  writeFileSync(path.join(outdir, 'BUILT'), `${new Date().toISOString()}\n`);
  return true;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const started = Date.now();
  // An install without dev dependencies has no esbuild: the bin then runs the sources.
  if (await bundleCli()) console.log(`why502: CLI bundled into dist/cli in ${Date.now() - started} ms`);
  else console.warn('why502: esbuild is not installed; the CLI will run from its TypeScript sources.');
}
