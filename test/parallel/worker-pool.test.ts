/**
 * The worker pool that `scan` and files-mode investigations read on: every piece is read exactly
 * once whoever claims it, workers started before their work is known are adopted, and none is
 * left running — not the ones never adopted, not the ones still loading when the work ran out.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  liveWorkerThreads,
  prestartWorkers,
  releasePrestartedWorkers,
  runPieces,
} from '../../src/parallel/worker-pool.js';
import { type PieceResult, type ScanPiece, scanPiece } from '../../src/scan/scan-piece.js';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'why502-pool-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** `count` small ALB files, file i holding i + 1 lines with status 50x (x = i % 4). */
function albFiles(count: number): ScanPiece[] {
  return Array.from({ length: count }, (_, i) => {
    const file = path.join(scratch, `alb-${i}.log`);
    const line = (n: number) =>
      `https 2026-06-18T19:41:${String(n % 60).padStart(2, '0')}.000000Z app/lb/0123 203.0.113.1:1024 10.0.2.1:8080 0.001 0.310 0.000 50${i % 4} - 412 1873 "GET https://h:443/indexes/prod_000_audio/search HTTP/1.1" "ua" - - arn:aws:elasticloadbalancing:ap-southeast-2:123456789012:targetgroup/tg/01 "Root=1-0" "h" "-" 3 2026-06-18T19:41:00.000000Z "forward" "-" "-" "10.0.2.1:8080" "-" "-" "-"`;
    writeFileSync(file, `${Array.from({ length: i + 1 }, (_, n) => line(n)).join('\n')}\n`);
    return { id: i, file, format: 'alb' as const, range: null };
  });
}

/** Resolves when `done()` holds, checking every 20 ms; gives up after 5 s (the assertion after it then fails). */
async function until(done: () => boolean): Promise<void> {
  for (let waited = 0; !done() && waited < 5000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
}

async function readAll(pieces: ScanPiece[], threads: number, mainThreadReads: boolean) {
  const seen: number[] = [];
  const byStatus: Record<string, number> = {};
  await runPieces<ScanPiece, PieceResult>(pieces, {
    kind: 'scan',
    context: { utcOffsetMinutes: 0 },
    threads,
    mainThreadReads,
    runHere: (piece) => scanPiece(piece, 0),
    onResult: (piece, result) => {
      seen.push(piece.id);
      expect(result.id).toBe(piece.id); // the result is the piece's own
      for (const [status, n] of Object.entries((result.tally as { byElbStatus: Record<string, number> }).byElbStatus))
        byStatus[status] = (byStatus[status] ?? 0) + n;
    },
  });
  return { seen: seen.sort((a, b) => a - b), byStatus };
}

describe('the worker pool', () => {
  const pieces = albFiles(24);
  const expected = { '500': 66, '501': 72, '502': 78, '503': 84 }; // 1+5+…+21, 2+6+…+22, …

  for (const [threads, mainThreadReads] of [
    [0, true],
    [1, true],
    [3, true],
    [2, false],
  ] as const) {
    it(`reads every piece exactly once on ${threads} worker(s)${mainThreadReads ? ' and this thread' : ''}`, async () => {
      // Act
      const { seen, byStatus } = await readAll(pieces, threads, mainThreadReads);
      // Assess
      expect(seen).toEqual(pieces.map((p) => p.id));
      expect(byStatus).toEqual(expected);
    }, 60_000);
  }

  it('adopts workers started before their work was known, and ends those never adopted', async () => {
    // Prepare
    await until(() => liveWorkerThreads() === 0); // the workers of the tests before have exited
    prestartWorkers('scan', 3);
    const started = liveWorkerThreads();
    // Act
    const { seen, byStatus } = await readAll(pieces, 1, false);
    releasePrestartedWorkers();
    await until(() => liveWorkerThreads() === 0);
    // Assess
    expect(started).toBe(3);
    expect(seen).toEqual(pieces.map((p) => p.id));
    expect(byStatus).toEqual(expected);
    expect(liveWorkerThreads()).toBe(0);
  }, 60_000);

  it('dismisses a worker still loading when this thread has read everything', async () => {
    // Act: one tiny piece, read here long before a fresh worker has loaded.
    const { seen } = await readAll(pieces.slice(0, 2), 1, true);
    await until(() => liveWorkerThreads() === 0);
    // Assess
    expect(seen).toEqual([0, 1]);
    expect(liveWorkerThreads()).toBe(0);
  }, 60_000);
});
