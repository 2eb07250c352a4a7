import { defineConfig } from 'vitest/config';

// Browser e2e against the real embedded server (API + web on one port). Slow by nature: long timeouts,
// one file at a time, no retries that would hide flakiness.
export default defineConfig({
  test: {
    include: ['**/*.e2e.test.ts'],
    exclude: ['**/node_modules/**'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    fileParallelism: false,
    pool: 'forks',
  },
});
