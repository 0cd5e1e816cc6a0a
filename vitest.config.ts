import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    // Tests pin their own clock and zone; a developer's TZ must not change any result.
    env: { TZ: process.env.TZ ?? 'UTC' },
    testTimeout: 20_000,
  },
});
