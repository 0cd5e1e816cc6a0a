/**
 * Bytes too large for the state store (a verdict thread's evidence when its report is big),
 * by key. S3 on Lambda (s3-blob-store.ts), memory in `why502 serve` and tests. No expiry here:
 * what points at a blob lives in the state store with a TTL, and the bucket's lifecycle rule
 * deletes the objects some time after (serverless.yml, docs/slack.md).
 */
export interface BlobStore {
  /** Where blobs go, for messages and logs: "s3://bucket/prefix", "memory". */
  readonly location: string;
  put(key: string, bytes: Uint8Array): Promise<void>;
  /** The bytes under `key`; undefined when there is no such blob (deleted by the lifecycle rule, or never written). */
  get(key: string): Promise<Uint8Array | undefined>;
}

/** A Map of blobs, for one process; oldest evicted past `maxBytes` in all. */
export function createMemoryBlobStore(options: { maxBytes?: number } = {}): BlobStore {
  const blobs = new Map<string, Uint8Array>();
  const maxBytes = options.maxBytes ?? 256 * 1024 * 1024;
  let total = 0;
  return {
    location: 'memory',
    async put(key, bytes) {
      const previous = blobs.get(key);
      if (previous) total -= previous.length;
      blobs.delete(key);
      blobs.set(key, Uint8Array.from(bytes));
      total += bytes.length;
      // Maps iterate in insertion order: the first key is the oldest write.
      while (total > maxBytes && blobs.size > 1) {
        const [oldest, value] = blobs.entries().next().value!;
        blobs.delete(oldest);
        total -= value.length;
      }
    },
    async get(key) {
      const bytes = blobs.get(key);
      return bytes ? Uint8Array.from(bytes) : undefined;
    },
  };
}
