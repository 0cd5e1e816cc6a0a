import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SourceError } from '../../src/errors.js';
import { createDynamoDbStateStore } from '../../src/state/dynamodb-state-store.js';
import { createMemoryStateStore } from '../../src/state/memory-state-store.js';
import type { StateStore } from '../../src/state/state-store.js';
import { type LocalDynamoDb, STATE_TABLE, startDynalite } from './support/dynalite.js';

function manualClock(startIso: string) {
  let nowMs = new Date(startIso).getTime();
  return { now: () => new Date(nowMs), advanceSeconds: (s: number) => (nowMs += s * 1000) };
}

let dynamo: LocalDynamoDb;
beforeAll(async () => {
  dynamo = await startDynalite();
});
afterAll(async () => {
  await dynamo.close();
});

let keyCounter = 0;
/** Keys unique per test: the dynalite table is shared by the file. */
const uniqueKey = (name: string) => `${name}:${++keyCounter}`;

type Clock = ReturnType<typeof manualClock>;
const implementations: Array<[string, (clock: Clock) => StateStore]> = [
  ['memory', (clock) => createMemoryStateStore({ clock })],
  [
    'DynamoDB (dynalite)',
    (clock) => createDynamoDbStateStore({ client: dynamo.client(), tableName: STATE_TABLE, clock }),
  ],
];

describe.each(implementations)('the %s state store', (_name, create) => {
  it('lets one claim of a key through and refuses a repeat until the TTL has passed', async () => {
    const clock = manualClock('2026-06-18T19:45:00Z');
    const store = create(clock);
    const key = uniqueKey('job:trigger-1');

    const first = await store.claimOnce(key, 60);
    const repeat = await store.claimOnce(key, 60);
    clock.advanceSeconds(61);
    const afterTtl = await store.claimOnce(key, 60);

    expect([first, repeat, afterTtl]).toEqual([true, false, true]);
  });

  it('returns a value until its TTL passes, and nothing after', async () => {
    const clock = manualClock('2026-06-18T19:45:00Z');
    const store = create(clock);
    const key = uniqueKey('summary');

    await store.put(key, '{"channel":"C0INCIDENTS","ts":"1750275700.000200"}', 30);
    const before = await store.get(key);
    clock.advanceSeconds(31);
    const after = await store.get(key);

    expect([before, after]).toEqual(['{"channel":"C0INCIDENTS","ts":"1750275700.000200"}', undefined]);
  });

  it('returns nothing for a key that is claimed but holds no value, or was deleted', async () => {
    const clock = manualClock('2026-06-18T19:45:00Z');
    const store = create(clock);
    const claimed = uniqueKey('claimed');
    const deleted = uniqueKey('deleted');
    await store.claimOnce(claimed, 60);
    await store.put(deleted, 'x', 60);
    await store.delete(deleted);

    expect([await store.get(claimed), await store.get(deleted), await store.claimOnce(deleted, 60)]).toEqual([
      undefined,
      undefined,
      true,
    ]);
  });

  it('keeps a large value whole', async () => {
    const store = create(manualClock('2026-06-18T19:45:00Z'));
    const key = uniqueKey('outbox');
    const value = JSON.stringify({
      blocks: Array.from({ length: 400 }, (_, i) => ({ type: 'section', text: `row ${i} ${'evidence '.repeat(20)}` })),
    });

    await store.put(key, value, 60);

    expect(await store.get(key)).toBe(value);
  });
});

describe('the DynamoDB state store', () => {
  it('lets exactly one of two instances claim a duplicate delivery, each with its own client', async () => {
    const clock = manualClock('2026-06-18T19:45:00Z');
    const instanceA = createDynamoDbStateStore({ client: dynamo.client(), tableName: STATE_TABLE, clock });
    const instanceB = createDynamoDbStateStore({ client: dynamo.client(), tableName: STATE_TABLE, clock });
    const key = uniqueKey('job:trigger-retried');

    const claims = await Promise.all([instanceA.claimOnce(key, 600), instanceB.claimOnce(key, 600)]);

    expect(claims.sort()).toEqual([false, true]);
  });

  it('treats an item whose TTL has passed as gone although DynamoDB has not deleted it yet', async () => {
    const clock = manualClock('2026-06-18T19:45:00Z');
    const store = createDynamoDbStateStore({ client: dynamo.client(), tableName: STATE_TABLE, clock });
    const other = createDynamoDbStateStore({ client: dynamo.client(), tableName: STATE_TABLE, clock });
    const key = uniqueKey('job:old');
    await store.claimOnce(key, 10);
    clock.advanceSeconds(11);

    expect(await other.claimOnce(key, 10)).toBe(true);
  });

  it('names the table and what to check when the table does not exist', async () => {
    const store = createDynamoDbStateStore({
      client: dynamo.client(),
      tableName: 'why502-missing-table',
      clock: manualClock('2026-06-18T19:45:00Z'),
    });

    const claiming = store.claimOnce('job:x', 60);

    await expect(claiming).rejects.toBeInstanceOf(SourceError);
    await expect(claiming).rejects.toMatchObject({
      message: expect.stringMatching(/^DynamoDB claim on table why502-missing-table \(key job:x\) failed: /),
      hint: 'Check that the state table exists and the function may use it (serverless.yml).',
    });
  });
});
