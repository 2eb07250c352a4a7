import { defineConfig } from 'vitest/config';

// Tests wait for conditions for up to 10 s (see src/contract.ts), so the default 5 s would cut them short.
export default defineConfig({ test: { include: ['src/**/*.test.ts'], testTimeout: 30_000, hookTimeout: 30_000 } });
