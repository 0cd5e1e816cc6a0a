import nock from 'nock';
import { afterAll, afterEach, beforeAll } from 'vitest';

// The AWS SDK warns once per process that its 2027 releases will need Node 22. The suite runs
// on Node 20 on purpose (the CLI's floor) and starts many processes: the notice would bury
// the test output. A user's CLI run still shows it.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

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
