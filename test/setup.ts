import nock from 'nock';
import { afterAll, afterEach, beforeAll } from 'vitest';

// No test reaches the network: only loopback servers that a test starts itself.
beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect(/^(127\.0\.0\.1|localhost)(:\d+)?$/);
});

afterEach(() => {
  const unused = nock.pendingMocks();
  nock.cleanAll();
  if (unused.length > 0) throw new Error(`Unused HTTP mocks: ${unused.join(', ')}`);
});

afterAll(() => {
  nock.enableNetConnect();
});
