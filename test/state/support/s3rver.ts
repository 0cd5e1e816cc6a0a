/**
 * s3rver (an independent implementation of the S3 REST API, on a temporary folder) on
 * 127.0.0.1, with one bucket, reached through the real @aws-sdk/client-s3 with fake credentials
 * — the same client the worker builds, pointed here by AWS_ENDPOINT_URL_S3. The SDK addresses
 * an IP endpoint path-style, as s3rver expects.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';

interface S3rverServer {
  run(): Promise<{ address: string; port: number }>;
  close(): Promise<void>;
}
type S3rverFactory = new (options: {
  port: number;
  address: string;
  silent: boolean;
  directory: string;
  configureBuckets: Array<{ name: string; configs: unknown[] }>;
}) => S3rverServer;
const S3rver = createRequire(import.meta.url)('s3rver') as S3rverFactory;

export const EVIDENCE_BUCKET = 'why502-test-evidence';
/** The one key pair s3rver accepts (it checks every request's SigV4 signature against it). */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

export interface LocalS3 {
  endpoint: string;
  /** A new client, as a separate Lambda instance would build its own. */
  client(): S3Client;
  close(): Promise<void>;
}

export async function startS3rver(bucket = EVIDENCE_BUCKET): Promise<LocalS3> {
  const directory = mkdtempSync(path.join(tmpdir(), 'why502-s3rver-'));
  const server = new S3rver({
    port: 0,
    address: '127.0.0.1',
    silent: true,
    directory,
    configureBuckets: [{ name: bucket, configs: [] }],
  });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const clients: S3Client[] = [];
  return {
    endpoint,
    client() {
      const created = new S3Client({
        endpoint,
        region: 'ap-southeast-2',
        credentials: S3RVER_CREDENTIALS,
        maxAttempts: 1,
      });
      clients.push(created);
      return created;
    },
    async close() {
      for (const c of clients) c.destroy();
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
