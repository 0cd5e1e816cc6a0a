import { GetObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SourceError } from '../../src/errors.js';
import { createS3BlobStore } from '../../src/state/s3-blob-store.js';
import { EVIDENCE_BUCKET, type LocalS3, startS3rver } from './support/s3rver.js';

let s3: LocalS3;
beforeAll(async () => {
  s3 = await startS3rver();
});
afterAll(async () => {
  await s3.close();
});

describe('the S3 blob store (s3rver)', () => {
  it('writes a blob under its prefix and reads the same bytes back through another client', async () => {
    const bytes = Uint8Array.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0xff, 0x00]);
    const writer = createS3BlobStore({ client: s3.client(), bucket: EVIDENCE_BUCKET, prefix: 'why502/threads/' });
    const reader = createS3BlobStore({ client: s3.client(), bucket: EVIDENCE_BUCKET, prefix: 'why502/threads/' });

    await writer.put('C0ONCALL/1750275660.000100.json.gz', bytes);
    const read = await reader.get('C0ONCALL/1750275660.000100.json.gz');
    const object = await s3
      .client()
      .send(
        new GetObjectCommand({ Bucket: EVIDENCE_BUCKET, Key: 'why502/threads/C0ONCALL/1750275660.000100.json.gz' }),
      );

    expect(read).toEqual(bytes);
    expect({ type: object.ContentType, length: object.ContentLength }).toEqual({
      type: 'application/gzip',
      length: 12,
    });
    expect(writer.location).toBe(`s3://${EVIDENCE_BUCKET}/why502/threads/`);
  });

  it('answers undefined for a key that is not there (NoSuchKey)', async () => {
    const store = createS3BlobStore({ client: s3.client(), bucket: EVIDENCE_BUCKET, prefix: 'why502/threads/' });

    expect(await store.get('C0ONCALL/1.000000.json.gz')).toBeUndefined();
  });

  it('names the bucket and key when S3 refuses (a bucket that does not exist)', async () => {
    const store = createS3BlobStore({
      client: s3.client(),
      bucket: 'why502-no-such-bucket',
      prefix: 'why502/threads/',
    });

    const failure = await store
      .put('C0ONCALL/1750275660.000100.json.gz', Uint8Array.from([1]))
      .catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(SourceError);
    expect((failure as Error).message).toMatch(
      /^S3 PutObject of s3:\/\/why502-no-such-bucket\/why502\/threads\/C0ONCALL\/1750275660\.000100\.json\.gz failed: /,
    );
  });
});
