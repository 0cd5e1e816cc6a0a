#!/usr/bin/env node
// Runs the TypeScript sources directly through tsx, so `npx why502` works right after
// `npm ci` with no build step and never runs stale compiled code.
import { register } from 'tsx/esm/api';

// `why502 … | head` closes the pipe early: that is the reader's choice, not a failure to report.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2), { env: process.env, stdout: process.stdout, stderr: process.stderr });
// The benchmark reads peak memory from here (resourceUsage().maxRSS is in KB on Linux).
if (process.env.WHY502_REPORT_RSS) process.stderr.write(`why502-max-rss-kb=${process.resourceUsage().maxRSS}\n`);
