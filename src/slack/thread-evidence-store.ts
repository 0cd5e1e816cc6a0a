/**
 * A verdict thread's evidence, kept so a follow-up (`@why502 impact`) or a Redraft is answered
 * from what the investigation gathered, on whichever instance receives it (CONTRACT §7, §10).
 *
 * What is kept: the report (JSON), the command as typed and when it was read, who asked. It is
 * gzipped, then stored by channel + thread ts:
 * - in the state store (DynamoDB on Lambda) when it fits there — the common case: a 3-hour
 *   report is tens of KB compressed;
 * - otherwise in the blob store (S3), with a pointer in the state store.
 * Either way the state-store item carries the TTL (retention, 14 days by default), so a thread
 * older than that has no evidence even if the bucket's lifecycle rule (a day later) has not yet
 * deleted its object.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { z } from 'zod';
import { parseReportJson } from '../ask/read-report-json.js';
import type { Config } from '../config.js';
import type { ReportJson } from '../core/report.js';
import { SourceError } from '../errors.js';
import type { BlobStore } from '../state/blob-store.js';
import { MAX_STATE_VALUE_BYTES, type StateStore } from '../state/state-store.js';
import { SLACK_CHANNEL_ID, SLACK_USER_ID } from './slack-ids.js';

export const DEFAULT_EVIDENCE_RETENTION_DAYS = 14;
export const DEFAULT_EVIDENCE_PREFIX = 'why502/threads/';
const DAY_S = 24 * 3600;
/** A report is a few hundred KB at most; past this compressed it is not one of ours. */
const MAX_BLOB_BYTES = 20 * 1024 * 1024;

export interface ThreadEvidence {
  v: 1;
  channel: string;
  /** The parent message's ts: the thread. */
  threadTs: string;
  /** The command as typed after /why502 and the instant it was read at: "run it again" is exact. */
  command: { text: string; requestedAt: string };
  askedBy?: string;
  savedAt: string;
  report: ReportJson;
}

export interface SavedEvidence {
  where: 'state' | 'blob';
  jsonBytes: number;
  gzipBytes: number;
}

export interface ThreadEvidenceStore {
  /** How long evidence is kept, in days (the state store's TTL). */
  readonly retentionDays: number;
  save(evidence: ThreadEvidence): Promise<SavedEvidence>;
  /** The thread's evidence; undefined when none is kept (expired, never saved). Throws SourceError when the store fails or the evidence is damaged. */
  load(channel: string, threadTs: string): Promise<ThreadEvidence | undefined>;
}

export interface ThreadEvidenceStoreOptions {
  state: StateStore;
  /** For reports too large for the state store; absent, such a report is not kept (and save says why). */
  blobs?: BlobStore;
  retentionDays?: number;
  /** Largest value (base64 of the gzip) kept in the state store itself. */
  inlineMaxBytes?: number;
}

const EnvelopeSchema = z.union([
  z.object({ v: z.literal(1), gzip: z.string().min(1) }),
  z.object({ v: z.literal(1), blob: z.string().min(1), bytes: z.number().int().positive() }),
]);

const EvidenceSchema = z.looseObject({
  v: z.literal(1),
  channel: z.string().regex(SLACK_CHANNEL_ID),
  threadTs: z.string().regex(/^\d+\.\d+$/),
  command: z.object({ text: z.string().max(1000), requestedAt: z.iso.datetime() }),
  askedBy: z.string().regex(SLACK_USER_ID).optional(),
  savedAt: z.iso.datetime(),
  report: z.unknown(),
});

/** slack.threadEvidence.retentionDays when set; the store's default otherwise. */
export function retentionOf(config: Pick<Config, 'slack'>): { retentionDays?: number } {
  const days = config.slack.threadEvidence?.retentionDays;
  return days === undefined ? {} : { retentionDays: days };
}

export function evidenceKey(channel: string, threadTs: string): string {
  return `evidence:${channel}:${threadTs}`;
}

/** The object key under the bucket's prefix: one per thread, overwritten if the thread is saved again. */
function blobKey(channel: string, threadTs: string): string {
  return `${channel}/${threadTs}.json.gz`;
}

export function createThreadEvidenceStore(options: ThreadEvidenceStoreOptions): ThreadEvidenceStore {
  const retentionDays = options.retentionDays ?? DEFAULT_EVIDENCE_RETENTION_DAYS;
  const ttlSeconds = retentionDays * DAY_S;
  const inlineMaxBytes = options.inlineMaxBytes ?? MAX_STATE_VALUE_BYTES;
  return {
    retentionDays,
    async save(evidence) {
      const json = JSON.stringify(evidence);
      const zipped = gzipSync(Buffer.from(json, 'utf8'));
      const sizes = { jsonBytes: Buffer.byteLength(json, 'utf8'), gzipBytes: zipped.length };
      const key = evidenceKey(evidence.channel, evidence.threadTs);
      const inline = zipped.toString('base64');
      if (inline.length <= inlineMaxBytes) {
        await options.state.put(key, JSON.stringify({ v: 1, gzip: inline }), ttlSeconds);
        return { where: 'state', ...sizes };
      }
      if (!options.blobs) {
        throw new SourceError(
          `The report is ${formatKb(zipped.length)} compressed, more than the state store keeps (${formatKb(inlineMaxBytes)}), and no evidence bucket is configured.`,
          'Set slack.threadEvidence.bucket in why502.yml (or WHY502_EVIDENCE_BUCKET); serverless.yml creates one.',
        );
      }
      const blob = blobKey(evidence.channel, evidence.threadTs);
      await options.blobs.put(blob, zipped);
      await options.state.put(key, JSON.stringify({ v: 1, blob, bytes: zipped.length }), ttlSeconds);
      return { where: 'blob', ...sizes };
    },
    async load(channel, threadTs) {
      const raw = await options.state.get(evidenceKey(channel, threadTs));
      if (raw === undefined) return undefined;
      const envelope = EnvelopeSchema.safeParse(safeJson(raw));
      if (!envelope.success) throw damaged(channel, threadTs, 'its record in the state store is not one why502 writes');
      let zipped: Uint8Array | undefined;
      if ('gzip' in envelope.data) zipped = Buffer.from(envelope.data.gzip, 'base64');
      else {
        if (!options.blobs)
          throw damaged(
            channel,
            threadTs,
            `it is in ${envelope.data.blob} of a blob store this instance does not have`,
          );
        zipped = await options.blobs.get(envelope.data.blob);
        // The pointer outlived its object: the lifecycle rule ran early, or someone deleted it.
        if (!zipped) return undefined;
      }
      if (zipped.length > MAX_BLOB_BYTES)
        throw damaged(channel, threadTs, `it is ${formatKb(zipped.length)} compressed`);
      return decodeEvidence(zipped, channel, threadTs);
    },
  };
}

function decodeEvidence(zipped: Uint8Array, channel: string, threadTs: string): ThreadEvidence {
  let document: unknown;
  try {
    document = JSON.parse(gunzipSync(zipped).toString('utf8'));
  } catch {
    throw damaged(channel, threadTs, 'it does not decompress to JSON');
  }
  const parsed = EvidenceSchema.safeParse(document);
  if (!parsed.success || parsed.data.channel !== channel || parsed.data.threadTs !== threadTs)
    throw damaged(channel, threadTs, 'it is not the evidence of this thread');
  // The report is checked as `why502 ask` checks a saved file: the follow-ups read what it guarantees.
  const report = parseReportJson(JSON.stringify(parsed.data.report), 'the thread’s saved report');
  return { ...(parsed.data as Omit<ThreadEvidence, 'report'>), report };
}

function damaged(channel: string, threadTs: string, why: string): SourceError {
  return new SourceError(
    `The saved evidence of thread ${channel}/${threadTs} cannot be read: ${why}.`,
    'Run /why502 again for a new thread.',
  );
}

function safeJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return null;
  }
}

function formatKb(bytes: number): string {
  return `${Math.round(bytes / 1024).toLocaleString('en-US')} KB`;
}
