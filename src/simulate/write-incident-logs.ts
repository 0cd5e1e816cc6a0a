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
  const nodes = spec.albNodes ?? [DEFAULT_NODE];
  let albBucket: AlbBucket | null = null;
  const written = { albLines: 0, proxyLines: 0 };
  for (const minute of simulateMinutes(spec)) {
    for (const [i, { timeMs, line }] of minute.alb.entries()) {
      const startMs = Math.floor(timeMs / FIVE_MINUTES_MS) * FIVE_MINUTES_MS;
      if (albBucket && albBucket.startMs !== startMs) await writeAlbFiles(spec, albDir, albBucket);
      if (!albBucket || albBucket.startMs !== startMs) albBucket = { startMs, linesByNode: nodes.map(() => []) };
      // Requests spread over the nodes in turn: deterministic, so the same seed gives the same files.
      albBucket.linesByNode[(written.albLines + i) % nodes.length]!.push(line);
    }
    written.albLines += minute.alb.length;
    for (const { timeMs, line } of minute.proxy) {
      const hour = Math.floor(timeMs / HOUR_MS) * HOUR_MS;
      let file = proxyFiles.get(hour);
      if (!file) proxyFiles.set(hour, (file = createWriteStream(path.join(proxyDir, `haproxy-${new Date(hour).toISOString().slice(0, 13).replace(/[-T:]/g, '')}.log`))));
      if (!file.write(`${line}\n`)) await new Promise<void>((resolve) => file.once('drain', () => resolve()));
      written.proxyLines++;
    }
  }
  if (albBucket) await writeAlbFiles(spec, albDir, albBucket);
  await Promise.all([...proxyFiles.values()].map((file) => new Promise((resolve, reject) => file.end(() => resolve(undefined)).on('error', reject))));
  return { albDir, proxyDir, ...written };
}

const DEFAULT_NODE = '10.0.1.5';

interface AlbBucket {
  startMs: number;
  /** Lines of the 5 minutes, one list per node (spec.albNodes order). */
  linesByNode: string[][];
}

/** One .log.gz per node per 5 minutes, named as S3 names them (by the interval's end and the node). */
async function writeAlbFiles(spec: IncidentSpec, albDir: string, bucket: AlbBucket): Promise<void> {
  const end = new Date(bucket.startMs + FIVE_MINUTES_MS);
  const folder = path.join(albDir, 'AWSLogs', spec.accountId, 'elasticloadbalancing', spec.region, ...end.toISOString().slice(0, 10).split('-'));
  await mkdir(folder, { recursive: true });
  const stamp = end.toISOString().slice(0, 16).replace(/[-:]/g, '');
  const nodes = spec.albNodes ?? [DEFAULT_NODE];
  for (const [i, node] of nodes.entries()) {
    const lines = bucket.linesByNode[i]!;
    if (lines.length === 0) continue; // a node that answered nothing in 5 minutes writes no file
    const name = `${spec.accountId}_elasticloadbalancing_${spec.region}_${spec.loadBalancer.replace(/\//g, '.')}_${stamp}Z_${node}_${stamp.slice(-4)}abcd.log.gz`;
    // Fastest compression: these files exist to be read back, and generating the demo must stay quick.
    await writeFile(path.join(folder, name), await gzipAsync(`${lines.join('\n')}\n`, { level: 1 }));
  }
}
