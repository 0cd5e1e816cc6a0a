/**
 * Blobs as S3 objects under one prefix of one bucket (slack.threadEvidence.bucket /
 * WHY502_EVIDENCE_BUCKET). The functions may only GetObject and PutObject under that prefix
 * (scripts/serverless-iam.cjs): no listing, no deleting — expiry is the bucket's lifecycle rule.
 *
 * A missing key is "not there" (NoSuchKey). Without s3:ListBucket S3 answers a missing key with
 * 403 AccessDenied instead (S3 GetObject docs, "Permissions"); a pointer in the state store says
 * the object was written, so that is reported as the failure it most likely is (a policy that
 * does not cover the prefix), naming the bucket and key, never as "expired".
 */
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { SourceError } from '../errors.js';
import type { BlobStore } from './blob-store.js';

export interface S3BlobStoreOptions {
  client: Pick<S3Client, 'send'>;
  bucket: string;
  /** Key prefix, e.g. "why502/threads/"; the IAM policy allows this prefix only. */
  prefix: string;
}

const NOT_THERE = new Set(['NoSuchKey', 'NotFound']);

export function createS3BlobStore(options: S3BlobStoreOptions): BlobStore {
  const { client, bucket, prefix } = options;
  const keyOf = (key: string) => `${prefix}${key}`;
  const failed = (action: string, key: string, error: unknown) =>
    new SourceError(
      `S3 ${action} of s3://${bucket}/${keyOf(key)} failed: ${error instanceof Error ? error.message : String(error)}`,
      'Check that the evidence bucket exists and the function may use its prefix (serverless.yml).',
      {
        cause: error,
      },
    );
  return {
    location: `s3://${bucket}/${prefix}`,
    async put(key, bytes) {
      try {
        await client.send(
          new PutObjectCommand({ Bucket: bucket, Key: keyOf(key), Body: bytes, ContentType: 'application/gzip' }),
        );
      } catch (error) {
        throw failed('PutObject', key, error);
      }
    },
    async get(key) {
      try {
        const output = await client.send(new GetObjectCommand({ Bucket: bucket, Key: keyOf(key) }));
        if (!output.Body) return undefined;
        return await output.Body.transformToByteArray();
      } catch (error) {
        const name = (error as { name?: string; Code?: string }).name ?? (error as { Code?: string }).Code;
        if (name && NOT_THERE.has(name)) return undefined;
        throw failed('GetObject', key, error);
      }
    },
  };
}
