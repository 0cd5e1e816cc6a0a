#!/usr/bin/env node
// `npm run bench`: speed and memory figures, measured against a baseline in the same run.
import { register } from 'tsx/esm/api';

register();
const { runBench } = await import('../bench/run-bench.ts');
process.exitCode = await runBench(process.argv.slice(2));
