import nock from 'nock';
import { afterAll, afterEach, beforeAll } from 'vitest';

// nock 15 intercepts fetch through @mswjs/interceptors, which calls Promise.withResolvers
// (Node 22+). On Node 20 every intercepted fetch would fail with "fetch failed" without it.
if (typeof (Promise as { withResolvers?: unknown }).withResolvers !== 'function') {
  Object.defineProperty(Promise, 'withResolvers', {
    configurable: true,
    writable: true,
    value<T>() {
      let resolve!: (value: T | PromiseLike<T>) => void;
      let reject!: (reason?: unknown) => void;
      const promise = new Promise<T>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      return { promise, resolve, reject };
    },
  });
}

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
