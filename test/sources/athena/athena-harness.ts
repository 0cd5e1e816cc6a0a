/** Shared set-up of the Athena tests: a clock that never waits, the real SDK client, the config. */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AthenaClient } from '@aws-sdk/client-athena';
import type { Clock } from '../../../src/core/clock.js';
import type { IncidentSpec } from '../../../src/simulate/simulate-incident.js';
import { writeIncidentLogs } from '../../../src/simulate/write-incident-logs.js';
import { type AthenaApi, createAthenaApi } from '../../../src/sources/athena/athena-api.js';
import type { AthenaConfig } from '../../../src/sources/athena/athena-config.js';

export const REGION = 'ap-southeast-2';

export const ATHENA: AthenaConfig = {
  database: 'lb_logs',
  table: 'alb_access_logs',
  workgroup: 'why502',
  queryTimeoutSeconds: 60,
  resultReuseMinutes: 10,
};

/** A clock whose sleeps return at once and move "now" on: polling tests finish instantly. */
export function instantClock(startIso = '2026-06-18T23:00:00Z'): { clock: Clock; sleeps: number[] } {
  let nowMs = Date.parse(startIso);
  const sleeps: number[] = [];
  const clock: Clock = {
    now: () => new Date(nowMs),
    sleep: async (ms, signal) => {
      if (signal?.aborted) throw signal.reason;
      sleeps.push(ms);
      nowMs += ms;
      // Let the stand-in's DuckDB work (real time) move on between polls.
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
  return { clock, sleeps };
}

/**
 * A clock that runs `factor` times faster than real time, waits included: the stand-in's DuckDB
 * work (real time) and the provider's polls (clock time) keep their order, and a 60 s deadline
 * is still far off, but a run takes a tenth of the time. For tests of queries that complete.
 */
export function fastClock(factor = 10): Clock {
  const realStartMs = Date.now();
  const startMs = Date.parse('2026-06-18T23:00:00Z');
  return {
    now: () => new Date(startMs + (Date.now() - realStartMs) * factor),
    sleep: (ms, signal) =>
      new Promise<void>((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason);
        const timer = setTimeout(resolve, ms / factor);
        signal?.addEventListener(
          'abort',
          () => {
            clearTimeout(timer);
            reject(signal.reason);
          },
          { once: true },
        );
      }),
  };
}

/** The real @aws-sdk/client-athena, fake credentials, no SDK retries: our code's retries are what is tested. */
export function athenaApiAt(endpoint?: string): AthenaApi {
  const client = new AthenaClient({
    region: REGION,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
    ...(endpoint ? { endpoint } : {}),
  });
  return createAthenaApi(client);
}

/** Writes an incident's logs to a new temp folder; returns the ALB root (S3 layout). */
export async function writeAlbLogs(spec: IncidentSpec): Promise<string> {
  const directory = mkdtempSync(path.join(os.tmpdir(), 'why502-athena-'));
  return (await writeIncidentLogs(spec, directory)).albDir;
}

export const sum = (values: readonly number[]) => values.reduce((total, n) => total + n, 0);

/** Removes what writeAlbLogs wrote (the temp folder above the ALB root). */
export function removeAlbLogs(albRoot: string | undefined): void {
  if (albRoot) rmSync(path.dirname(albRoot), { recursive: true, force: true });
}
