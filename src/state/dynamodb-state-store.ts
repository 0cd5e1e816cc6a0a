/**
 * The state store on Lambda: one DynamoDB table (serverless.yml `StateTable`), partition key
 * `pk`, TTL attribute `expiresAt` (epoch seconds). Shared by every function instance.
 *
 * - claimOnce is a conditional PutItem: `attribute_not_exists(pk) OR expiresAt < :now`. DynamoDB
 *   applies conditions atomically, so of two instances claiming one key exactly one succeeds.
 * - DynamoDB deletes expired items lazily (typically within days, not at the second), so an
 *   expired item can still be there: the condition and `get` compare `expiresAt` to now
 *   themselves instead of trusting the TTL sweep.
 * - Values over 16 KB are stored gzipped (`z`, binary); the item limit is 400 KB.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import {
  type AttributeValue,
  ConditionalCheckFailedException,
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { Clock } from '../core/clock.js';
import { SourceError } from '../errors.js';
import { MAX_STATE_VALUE_BYTES, type StateStore } from './state-store.js';

const COMPRESS_FROM_BYTES = 16_000;

export interface DynamoDbStateStoreOptions {
  client: Pick<DynamoDBClient, 'send'>;
  tableName: string;
  clock: Pick<Clock, 'now'>;
}

export function createDynamoDbStateStore(options: DynamoDbStateStoreOptions): StateStore {
  const { client, tableName } = options;
  const nowSeconds = () => Math.floor(options.clock.now().getTime() / 1000);
  const expiry = (ttlSeconds: number): AttributeValue => ({
    N: String(nowSeconds() + Math.max(1, Math.ceil(ttlSeconds))),
  });
  const failed = (action: string, key: string, error: unknown) =>
    new SourceError(
      `DynamoDB ${action} on table ${tableName} (key ${key}) failed: ${error instanceof Error ? error.message : String(error)}`,
      'Check that the state table exists and the function may use it (serverless.yml).',
      {
        cause: error,
      },
    );

  return {
    async claimOnce(key, ttlSeconds) {
      try {
        await client.send(
          new PutItemCommand({
            TableName: tableName,
            Item: { pk: { S: key }, expiresAt: expiry(ttlSeconds) },
            ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now',
            ExpressionAttributeValues: { ':now': { N: String(nowSeconds()) } },
          }),
        );
        return true;
      } catch (error) {
        if (
          error instanceof ConditionalCheckFailedException ||
          (error as { name?: string }).name === 'ConditionalCheckFailedException'
        )
          return false;
        throw failed('claim', key, error);
      }
    },
    async put(key, value, ttlSeconds) {
      const item: Record<string, AttributeValue> = {
        pk: { S: key },
        expiresAt: expiry(ttlSeconds),
        ...encodeValue(key, value),
      };
      try {
        await client.send(new PutItemCommand({ TableName: tableName, Item: item }));
      } catch (error) {
        throw failed('put', key, error);
      }
    },
    async get(key) {
      let item: Record<string, AttributeValue> | undefined;
      try {
        item = (
          await client.send(new GetItemCommand({ TableName: tableName, Key: { pk: { S: key } }, ConsistentRead: true }))
        ).Item;
      } catch (error) {
        throw failed('get', key, error);
      }
      if (!item || Number(item.expiresAt?.N ?? 0) <= nowSeconds()) return undefined;
      return decodeValue(item);
    },
    async delete(key) {
      try {
        await client.send(new DeleteItemCommand({ TableName: tableName, Key: { pk: { S: key } } }));
      } catch (error) {
        throw failed('delete', key, error);
      }
    },
  };
}

function encodeValue(key: string, value: string): Record<string, AttributeValue> {
  const bytes = Buffer.byteLength(value, 'utf8');
  if (bytes < COMPRESS_FROM_BYTES) return { v: { S: value } };
  const zipped = gzipSync(Buffer.from(value, 'utf8'));
  if (zipped.length > MAX_STATE_VALUE_BYTES) {
    throw new SourceError(
      `The value for ${key} is ${zipped.length} bytes compressed, over the ${MAX_STATE_VALUE_BYTES}-byte limit of the state store.`,
    );
  }
  return { z: { B: zipped } };
}

function decodeValue(item: Record<string, AttributeValue>): string | undefined {
  if (item.v?.S !== undefined) return item.v.S;
  if (item.z?.B) return gunzipSync(item.z.B).toString('utf8');
  return undefined;
}
