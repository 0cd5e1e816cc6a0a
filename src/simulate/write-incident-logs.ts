import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { type IncidentSpec, simulateMinutes } from './simulate-incident.js';
import { CLOUDFRONT_HEADER } from './stack-line-formats.js';

const gzipAsync = promisify(gzip);
const FIVE_MINUTES_MS = 5 * 60_000;
const HOUR_MS = 60 * 60_000;

export interface WrittenLogs {
  /** ALB access logs in S3 layout; for a GCP stack, the load balancer's request logs (NDJSON) instead. */
  albDir: string;
  proxyDir: string;
  /** The edge's logs (CloudFront or Cloudflare), when the stack has an edge. */
  edgeDir: string | null;
  albLines: number;
  proxyLines: number;
}

/**
 * Simulates an incident and writes its logs as a user would have them: ALB logs as S3
 * delivers them (one .log.gz per 5 minutes under AWSLogs/<account>/elasticloadbalancing/
 * <region>/yyyy/mm/dd/), HAProxy logs as hourly plain files. One minute is held at a time.
 */
export async function writeIncidentLogs(spec: IncidentSpec, directory: string): Promise<WrittenLogs> {
  const stack = spec.stack ?? {};
  const gcp = stack.loadBalancer === 'gcp';
  const albDir = path.join(directory, gcp ? 'gcp-lb' : 'alb');
  const proxyFormat = stack.proxy ?? 'haproxy';
  const proxyDir = path.join(directory, proxyFormat === 'haproxy' ? 'haproxy' : proxyFormat.replace('-json', ''));
  const edgeDir = stack.edge ? path.join(directory, stack.edge) : null;
  await mkdir(proxyDir, { recursive: true });
  const proxyFiles = new Map<number, WriteStream>();
  const hourlyFiles = new Map<string, WriteStream>();
  const nodes = spec.albNodes ?? [DEFAULT_NODE];
  let albBucket: AlbBucket | null = null;
  const written = { albLines: 0, proxyLines: 0 };
  for (const minute of simulateMinutes(spec)) {
    for (const [i, { timeMs, line }] of minute.alb.entries()) {
      if (gcp) {
        // Cloud Logging exports: one NDJSON file per hour.
        await writeHourly(hourlyFiles, albDir, 'requests', '.ndjson', timeMs, line);
        continue;
      }
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
      if (!file) {
        const name = `${proxyFormat === 'haproxy' ? 'haproxy' : proxyFormat.split('-')[0]}-${new Date(hour).toISOString().slice(0, 13).replace(/[-T:]/g, '')}.log`;
        file = createWriteStream(path.join(proxyDir, name));
        proxyFiles.set(hour, file);
      }
      if (!file.write(`${line}\n`)) await new Promise<void>((resolve) => file.once('drain', () => resolve()));
      written.proxyLines++;
    }
    if (edgeDir) {
      for (const { timeMs, line } of minute.edge)
        await writeHourly(
          hourlyFiles,
          edgeDir,
          stack.edge === 'cloudfront' ? 'E2EXAMPLE' : 'http_requests',
          stack.edge === 'cloudfront' ? '.log' : '.ndjson',
          timeMs,
          line,
          stack.edge === 'cloudfront' ? CLOUDFRONT_HEADER : null,
        );
    }
  }
  if (albBucket) await writeAlbFiles(spec, albDir, albBucket);
  await Promise.all(
    [...proxyFiles.values(), ...hourlyFiles.values()].map(
      (file) => new Promise((resolve, reject) => file.end(() => resolve(undefined)).on('error', reject)),
    ),
  );
  return { albDir, proxyDir, edgeDir, ...written };
}

/** Appends a line to the hour's file under `dir` ("<stem>.2026-06-18-19<extension>"), opening it (and its header) once. */
async function writeHourly(
  files: Map<string, WriteStream>,
  dir: string,
  stem: string,
  extension: string,
  timeMs: number,
  line: string,
  header: string | null = null,
): Promise<void> {
  const hour = new Date(Math.floor(timeMs / HOUR_MS) * HOUR_MS).toISOString().slice(0, 13).replace('T', '-');
  const name = path.join(dir, `${stem}.${hour}${extension}`);
  let file = files.get(name);
  if (!file) {
    await mkdir(dir, { recursive: true });
    file = createWriteStream(name);
    files.set(name, file);
    if (header) file.write(`${header}\n`);
  }
  if (!file.write(`${line}\n`)) await new Promise<void>((resolve) => file.once('drain', () => resolve()));
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
  const folder = path.join(
    albDir,
    'AWSLogs',
    spec.accountId,
    'elasticloadbalancing',
    spec.region,
    ...end.toISOString().slice(0, 10).split('-'),
  );
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
