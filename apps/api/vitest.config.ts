import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // PGlite compiles its WASM per worker; two forks keep memory and CPU sane on 2 cores.
    pool: 'forks',
    maxWorkers: 2,
  },
});
