/**
 * The CLI the bench times: bundled into .bench/cli once per bench run, and started through a
 * launcher that reports peak memory as bin/why502.js does. bin/why502.js falls back to the
 * TypeScript sources through tsx whenever a source file is newer than dist/cli (so an edit is
 * never shadowed): a timing must not depend on whether someone saved a file a minute ago.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

const LAUNCHER = `// Written by bench/bench-cli.ts: bin/why502.js, without the choice between bundle and sources.
import { main } from './main.mjs';
process.exitCode = await main(process.argv.slice(2), { env: process.env, stdout: process.stdout, stderr: process.stderr });
if (process.env.WHY502_REPORT_RSS) process.stderr.write(\`why502-max-rss-kb=\${process.resourceUsage().maxRSS}\\n\`);
`;

/** Bundles the current sources for the bench; returns the launcher to run with node. */
export async function prepareBenchCli(benchDir: string): Promise<string> {
  const outdir = path.join(benchDir, 'cli');
  const { bundleCli } = (await import(path.join(ROOT, 'scripts', 'build-cli.mjs'))) as {
    bundleCli: (outdir: string) => Promise<boolean>;
  };
  if (!(await bundleCli(outdir)))
    throw new Error('the bench needs esbuild (a dev dependency) to bundle the CLI it times: run npm ci');
  const launcher = path.join(outdir, 'run.mjs');
  writeFileSync(launcher, LAUNCHER);
  return launcher;
}
