#!/usr/bin/env node
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// `why502 … | head` closes the pipe early: that is the reader's choice, not a failure to report.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const { main } = await loadCli();
process.exitCode = await main(process.argv.slice(2), {
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
});
// The benchmark reads peak memory from here (resourceUsage().maxRSS is in KB on Linux).
if (process.env.WHY502_REPORT_RSS) process.stderr.write(`why502-max-rss-kb=${process.resourceUsage().maxRSS}\n`);

/**
 * The bundle built by `npm ci` (scripts/build-cli.mjs) when it is newer than every source file;
 * otherwise the TypeScript sources through tsx, so an edit is never shadowed by a stale bundle.
 */
async function loadCli() {
  const bundle = path.join(root, 'dist', 'cli', 'main.mjs');
  if (!process.env.WHY502_FROM_SOURCE && existsSync(bundle) && newestSourceMs() <= statSync(bundle).mtimeMs)
    return import(bundle);
  const { register } = await import('tsx/esm/api');
  register();
  return import('../src/cli/main.ts');
}

function newestSourceMs() {
  let newest = 0;
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(full).mtimeMs);
    }
  };
  walk(path.join(root, 'src'));
  walk(path.join(root, 'commands'));
  return newest;
}
