/**
 * dynalite (an independent implementation of the DynamoDB API, on LevelDB in memory) on
 * 127.0.0.1, with the why502 state table created through the real @aws-sdk/client-dynamodb.
 * Like DynamoDB, dynalite applies condition expressions atomically and does not delete items
 * when their TTL passes (DynamoDB does so lazily), so expiry is the store's own business.
 */
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';

type DynaliteFactory = (options: { createTableMs?: number; deleteTableMs?: number; updateTableMs?: number }) => Server;
const dynalite = createRequire(import.meta.url)('dynalite') as DynaliteFactory;

export const STATE_TABLE = 'why502-test-state';

export interface LocalDynamoDb {
  endpoint: string;
  /** A new client, as a separate Lambda instance would build its own. */
  client(): DynamoDBClient;
  close(): Promise<void>;
}

export async function startDynalite(): Promise<LocalDynamoDb> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clients: DynamoDBClient[] = [];
  const client = () => {
    const created = new DynamoDBClient({
      endpoint,
      region: 'ap-southeast-2',
      credentials: { accessKeyId: 'AKIDFAKEFORTESTS', secretAccessKey: 'fake-secret-for-tests' },
      maxAttempts: 1,
    });
    clients.push(created);
    return created;
  };
  // The table as serverless.yml declares it: partition key pk (string), on demand.
  await client().send(
    new CreateTableCommand({
      TableName: STATE_TABLE,
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  return {
    endpoint,
    client,
    async close() {
      for (const c of clients) c.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
