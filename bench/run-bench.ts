import { spawnSync } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateBenchLog } from './generate-bench-log.js';
import { printAthenaTimeToVerdict } from './athena-time-to-verdict.js';
import { printTimeToVerdict } from './time-to-verdict.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BENCH_DIR = path.join(ROOT, '.bench');
const BIN = path.join(ROOT, 'bin', 'why502.js');

interface Timed {
  seconds: number;
  maxRssMb: number | null;
  stdout: string;
}

/**
 * Times `why502 scan` over a large ALB log against `awk '{c[$9]++}'` on the same file, in the
 * same run, and reports lines/s, the ratio and peak memory at two file sizes (memory must stay
 * flat). Each command runs REPEATS times; the best time counts (least disturbed by other load).
 */
export async function runBench(argv: string[]): Promise<number> {
  const millions = Number(argv.find((a) => a.startsWith('--million='))?.slice(10) ?? 1);
  const repeats = Number(argv.find((a) => a.startsWith('--repeats='))?.slice(10) ?? 3);
  mkdirSync(BENCH_DIR, { recursive: true });
  const sizes = [millions, millions * 2];
  console.log(`why502 bench — ALB access logs, ${repeats} runs each, best time counts`);
  for (const size of sizes) {
    const lines = Math.round(size * 1_000_000);
    const file = path.join(BENCH_DIR, `alb-${lines}.log`);
    process.stderr.write(`generating ${file} (once)…\n`);
    await generateBenchLog(file, lines);
    const bytes = statSync(file).size;
    const scan = best(repeats, () => timeCommand(process.execPath, [BIN, 'scan', '--alb-logs', file, '--format', 'json'], { WHY502_REPORT_RSS: '1' }));
    const awk = best(repeats, () => timeCommand('awk', ['{c[$9]++} END {for (k in c) print k, c[k]}', file], {}));
    const scanned = JSON.parse(scan.stdout) as { alb: { lines: number; byElbStatus: Record<string, number> } };
    const awkCounts = Object.fromEntries(awk.stdout.trim().split('\n').map((row) => row.split(' ')).map(([k, v]) => [k, Number(v)]));
    const agree = JSON.stringify(sortKeys(awkCounts)) === JSON.stringify(sortKeys(scanned.alb.byElbStatus));
    console.log(`\n${(lines / 1e6).toFixed(1)}M lines, ${(bytes / 1e6).toFixed(0)} MB`);
    console.log(`  why502 scan : ${scan.seconds.toFixed(2)} s  ${rate(lines, scan.seconds)}  peak RSS ${scan.maxRssMb?.toFixed(0) ?? '?'} MB`);
    console.log(`  awk $9 count: ${awk.seconds.toFixed(2)} s  ${rate(lines, awk.seconds)}`);
    console.log(`  ratio       : why502 is ${(awk.seconds / scan.seconds).toFixed(2)}× awk's speed (>1 = faster)   counts agree with awk: ${agree ? 'yes' : 'NO'}`);
  }
  await printTimeToVerdict();
  await printAthenaTimeToVerdict();
  return 0;
}

function timeCommand(command: string, args: string[], env: Record<string, string>): Timed {
  const started = process.hrtime.bigint();
  const result = spawnSync(command, args, { env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 64 << 20 });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0) throw new Error(`${command} failed: ${result.stderr}`);
  const rss = /why502-max-rss-kb=(\d+)/.exec(result.stderr);
  return { seconds, maxRssMb: rss ? Number(rss[1]) / 1024 : null, stdout: result.stdout };
}

function best(repeats: number, run: () => Timed): Timed {
  let fastest: Timed | null = null;
  for (let i = 0; i < repeats; i++) {
    const timed = run();
    if (!fastest || timed.seconds < fastest.seconds) fastest = timed;
  }
  return fastest!;
}

const rate = (lines: number, seconds: number) => `${((lines / seconds) / 1e6).toFixed(2)}M lines/s`;
const sortKeys = (o: Record<string, number>) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
