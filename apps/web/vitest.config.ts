import { defineConfig } from 'vitest/config';

// Unit tests for the pure helpers in src/lib: no SvelteKit plugin, no DOM.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});
