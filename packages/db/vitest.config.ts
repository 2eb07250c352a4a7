import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Opening PGlite compiles its WASM: seconds on a quiet machine, far more on a busy 2-core one.
    hookTimeout: 120_000,
    testTimeout: 60_000,
  },
});
