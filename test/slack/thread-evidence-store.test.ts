import { gunzipSync } from 'node:zlib';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReportJson } from '../../src/core/report.js';
import { SourceError } from '../../src/errors.js';
import { createThreadEvidenceStore, type ThreadEvidence } from '../../src/slack/thread-evidence-store.js';
import { createMemoryBlobStore } from '../../src/state/blob-store.js';
import { createDynamoDbStateStore } from '../../src/state/dynamodb-state-store.js';
import { createMemoryStateStore } from '../../src/state/memory-state-store.js';
import { createS3BlobStore } from '../../src/state/s3-blob-store.js';
import { MAX_STATE_VALUE_BYTES } from '../../src/state/state-store.js';
import { type LocalDynamoDb, STATE_TABLE, startDynalite } from '../state/support/dynalite.js';
import { EVIDENCE_BUCKET, type LocalS3, startS3rver } from '../state/support/s3rver.js';
import { demoResult } from './support/demo-report.js';
import { largeTenantReport } from './support/large-report.js';

function manualClock(startIso: string) {
  let nowMs = new Date(startIso).getTime();
  return { now: () => new Date(nowMs), advanceDays: (days: number) => (nowMs += days * 86_400_000) };
}

let dynamo: LocalDynamoDb;
let s3: LocalS3;
let demo: ReportJson;
beforeAll(async () => {
  [dynamo, s3, demo] = await Promise.all([startDynalite(), startS3rver(), demoResult().then((r) => r.report)]);
});
afterAll(async () => {
  await Promise.all([dynamo.close(), s3.close()]);
});

let threadCounter = 0;
function evidenceOf(report: ReportJson): ThreadEvidence {
  threadCounter += 1;
  return {
    v: 1,
    channel: 'C0ONCALL',
    threadTs: `1750275660.${String(threadCounter).padStart(6, '0')}`,
    command: { text: 'prod_000_audio 05:41 AEST', requestedAt: '2026-06-18T23:00:00.000Z' },
    askedBy: 'U0ONCALL',
    savedAt: '2026-06-18T23:00:05.000Z',
    report,
  };
}

/** One Lambda instance's view of the stores: its own DynamoDB and S3 clients, the shared table and bucket. */
function instance(clock: ReturnType<typeof manualClock>) {
  return createThreadEvidenceStore({
    state: createDynamoDbStateStore({ client: dynamo.client(), tableName: STATE_TABLE, clock }),
    blobs: createS3BlobStore({ client: s3.client(), bucket: EVIDENCE_BUCKET, prefix: 'why502/threads/' }),
  });
}

describe('the thread evidence store', () => {
  it('keeps the demo’s report gzipped in the state table, and another instance reads back the same report', async () => {
    const clock = manualClock('2026-06-18T23:00:05Z');
    const evidence = evidenceOf(demo);

    const saved = await instance(clock).save(evidence);
    const loaded = await instance(clock).load(evidence.channel, evidence.threadTs);

    expect(saved.where).toBe('state');
    expect(saved.gzipBytes).toBeLessThan(saved.jsonBytes / 8);
    expect(loaded).toEqual(evidence);
  });

  it('puts a report too large for a state-table item in S3, with a pointer in the table, and another instance reads it back', async () => {
    const clock = manualClock('2026-06-18T23:00:05Z');
    const evidence = evidenceOf(largeTenantReport(demo));

    const saved = await instance(clock).save(evidence);
    const loaded = await instance(clock).load(evidence.channel, evidence.threadTs);
    const object = await s3
      .client()
      .send(
        new GetObjectCommand({ Bucket: EVIDENCE_BUCKET, Key: `why502/threads/C0ONCALL/${evidence.threadTs}.json.gz` }),
      );
    const pointer = await createDynamoDbStateStore({ client: dynamo.client(), tableName: STATE_TABLE, clock }).get(
      `evidence:C0ONCALL:${evidence.threadTs}`,
    );

    expect(saved.where).toBe('blob');
    expect(Math.ceil(saved.gzipBytes / 3) * 4).toBeGreaterThan(MAX_STATE_VALUE_BYTES);
    expect(
      JSON.parse(gunzipSync(await object.Body!.transformToByteArray()).toString('utf8')).report.tenants,
    ).toHaveLength(evidence.report.tenants!.length);
    expect(JSON.parse(pointer!)).toEqual({
      v: 1,
      blob: `C0ONCALL/${evidence.threadTs}.json.gz`,
      bytes: saved.gzipBytes,
    });
    expect(loaded).toEqual(evidence);
  });

  it('has nothing for a thread once the retention has passed, in the table and for an S3 report alike', async () => {
    const clock = manualClock('2026-06-18T23:00:05Z');
    const small = evidenceOf(demo);
    const large = evidenceOf(largeTenantReport(demo, 600, 7));
    const store = instance(clock);
    await store.save(small);
    await store.save(large);

    clock.advanceDays(13.9);
    const before = [await store.load('C0ONCALL', small.threadTs), await store.load('C0ONCALL', large.threadTs)].map(
      (e) => e?.threadTs,
    );
    clock.advanceDays(0.2);
    const after = [await store.load('C0ONCALL', small.threadTs), await store.load('C0ONCALL', large.threadTs)];

    expect(store.retentionDays).toBe(14);
    expect(before).toEqual([small.threadTs, large.threadTs]);
    expect(after).toEqual([undefined, undefined]);
  });

  it('keeps evidence for the configured number of days', async () => {
    const clock = manualClock('2026-06-18T23:00:05Z');
    const store = createThreadEvidenceStore({
      state: createMemoryStateStore({ clock }),
      blobs: createMemoryBlobStore(),
      retentionDays: 2,
    });
    const evidence = evidenceOf(demo);
    await store.save(evidence);

    clock.advanceDays(1.9);
    const kept = await store.load('C0ONCALL', evidence.threadTs);
    clock.advanceDays(0.2);

    expect([kept?.threadTs, await store.load('C0ONCALL', evidence.threadTs)]).toEqual([evidence.threadTs, undefined]);
  });

  it('refuses, saying why and what to set, a report too large for the state store when no bucket is configured', async () => {
    const clock = manualClock('2026-06-18T23:00:05Z');
    const store = createThreadEvidenceStore({ state: createMemoryStateStore({ clock }) });

    const failure = await store.save(evidenceOf(largeTenantReport(demo))).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(SourceError);
    expect((failure as SourceError).message).toMatch(
      /^The report is [\d,]+ KB compressed, more than the state store keeps \(342 KB\), and no evidence bucket is configured\.$/,
    );
    expect((failure as SourceError).hint).toBe(
      'Set slack.threadEvidence.bucket in why502.yml (or WHY502_EVIDENCE_BUCKET); serverless.yml creates one.',
    );
  });

  it('says the evidence is damaged, rather than answering from it, when the stored record is not one it wrote', async () => {
    const clock = manualClock('2026-06-18T23:00:05Z');
    const state = createMemoryStateStore({ clock });
    await state.put('evidence:C0ONCALL:1750275660.000900', '{"v":1,"gzip":"bm90IGd6aXA="}', 3600);
    const store = createThreadEvidenceStore({ state });

    await expect(store.load('C0ONCALL', '1750275660.000900')).rejects.toThrow(
      'The saved evidence of thread C0ONCALL/1750275660.000900 cannot be read: it does not decompress to JSON.',
    );
  });

  it('has nothing when the pointer outlived its S3 object', async () => {
    const clock = manualClock('2026-06-18T23:00:05Z');
    const state = createMemoryStateStore({ clock });
    await state.put(
      'evidence:C0ONCALL:1750275660.000901',
      JSON.stringify({ v: 1, blob: 'C0ONCALL/1750275660.000901.json.gz', bytes: 400_000 }),
      3600,
    );
    const store = createThreadEvidenceStore({
      state,
      blobs: createS3BlobStore({ client: s3.client(), bucket: EVIDENCE_BUCKET, prefix: 'why502/threads/' }),
    });

    expect(await store.load('C0ONCALL', '1750275660.000901')).toBeUndefined();
  });
});
