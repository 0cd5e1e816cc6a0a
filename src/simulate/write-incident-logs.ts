import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { type IncidentSpec, simulateMinutes } from './simulate-incident.js';

const gzipAsync = promisify(gzip);
const FIVE_MINUTES_MS = 5 * 60_000;
const HOUR_MS = 60 * 60_000;

export interface WrittenLogs {
  albDir: string;
  proxyDir: string;
  albLines: number;
  proxyLines: number;
}

/**
 * Simulates an incident and writes its logs as a user would have them: ALB logs as S3
 * delivers them (one .log.gz per 5 minutes under AWSLogs/<account>/elasticloadbalancing/
 * <region>/yyyy/mm/dd/), HAProxy logs as hourly plain files. One minute is held at a time.
 */
export async function writeIncidentLogs(spec: IncidentSpec, directory: string): Promise<WrittenLogs> {
  const albDir = path.join(directory, 'alb');
  const proxyDir = path.join(directory, 'haproxy');
  await mkdir(proxyDir, { recursive: true });
  const proxyFiles = new Map<number, WriteStream>();
  let albBucket: { startMs: number; lines: string[] } | null = null;
  const written = { albLines: 0, proxyLines: 0 };
  for (const minute of simulateMinutes(spec)) {
    for (const { timeMs, line } of minute.alb) {
      const startMs = Math.floor(timeMs / FIVE_MINUTES_MS) * FIVE_MINUTES_MS;
      if (albBucket && albBucket.startMs !== startMs) await writeAlbFile(spec, albDir, albBucket);
      if (!albBucket || albBucket.startMs !== startMs) albBucket = { startMs, lines: [] };
      albBucket.lines.push(line);
      written.albLines++;
    }
    for (const { timeMs, line } of minute.proxy) {
      const hour = Math.floor(timeMs / HOUR_MS) * HOUR_MS;
      let file = proxyFiles.get(hour);
      if (!file) proxyFiles.set(hour, (file = createWriteStream(path.join(proxyDir, `haproxy-${new Date(hour).toISOString().slice(0, 13).replace(/[-T:]/g, '')}.log`))));
      if (!file.write(`${line}\n`)) await new Promise<void>((resolve) => file.once('drain', () => resolve()));
      written.proxyLines++;
    }
  }
  if (albBucket) await writeAlbFile(spec, albDir, albBucket);
  await Promise.all([...proxyFiles.values()].map((file) => new Promise((resolve, reject) => file.end(() => resolve(undefined)).on('error', reject))));
  return { albDir, proxyDir, ...written };
}

async function writeAlbFile(spec: IncidentSpec, albDir: string, bucket: { startMs: number; lines: string[] }): Promise<void> {
  const end = new Date(bucket.startMs + FIVE_MINUTES_MS);
  const folder = path.join(albDir, 'AWSLogs', spec.accountId, 'elasticloadbalancing', spec.region, ...end.toISOString().slice(0, 10).split('-'));
  await mkdir(folder, { recursive: true });
  const stamp = end.toISOString().slice(0, 16).replace(/[-:]/g, '');
  const name = `${spec.accountId}_elasticloadbalancing_${spec.region}_${spec.loadBalancer.replace(/\//g, '.')}_${stamp}Z_10.0.1.5_${stamp.slice(-4)}abcd.log.gz`;
  // Fastest compression: these files exist to be read back, and generating the demo must stay quick.
  await writeFile(path.join(folder, name), await gzipAsync(`${bucket.lines.join('\n')}\n`, { level: 1 }));
}
