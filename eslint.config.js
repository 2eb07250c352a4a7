// @ts-check
// Flat config (ESLint 10 + typescript-eslint 8). Fast, non-type-checked rules for all TypeScript,
// plus the module boundaries of STYLE.md "B2" as per-folder `no-restricted-imports`.
// Svelte files: eslint-plugin-svelte (TypeScript in <script lang="ts">); svelte-check does the type checking.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import svelte from 'eslint-plugin-svelte';
import tseslint from 'typescript-eslint';

/** A `no-restricted-imports` rule forbidding these modules (and their subpaths). */
function forbid(names, why) {
  return {
    'no-restricted-imports': [
      'error',
      {
        paths: names.map((name) => ({ name, message: why })),
        patterns: names.map((name) => ({ group: [`${name}/*`], message: why })),
      },
    ],
  };
}

// Subpaths (node:fs/promises, …) are covered by the patterns in forbid().
const nodeIo = ['node:fs', 'node:net', 'fs', 'net'];

export default defineConfig(
  {
    ignores: [
      '**/dist/**',
      '**/build/**',
      '**/.svelte-kit/**',
      '**/node_modules/**',
      '**/.turbo/**',
      'packages/api-client/src/schema.d.ts',
      '.data/**',
      '**/.data/**',
      '.tools/**',
    ],
  },
  {
    files: ['**/*.{js,mjs,cjs}'],
    extends: [js.configs.recommended],
    languageOptions: { ecmaVersion: 'latest', sourceType: 'module', globals: { ...globals.node } },
  },
  {
    files: ['**/*.ts'],
    extends: [js.configs.recommended, tseslint.configs.recommended],
    languageOptions: { ecmaVersion: 'latest', sourceType: 'module', globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
        },
      ],
    },
  },
  {
    files: ['**/*.{js,mjs,cjs}'],
    rules: {
      'no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['apps/web/**/*.{ts,js}'],
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    extends: [tseslint.configs.recommended, svelte.configs.recommended],
    languageOptions: {
      globals: { ...globals.browser },
      parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' }],
      // The app is served at the root (no `paths.base`), so plain hrefs are already resolved.
      'svelte/no-navigation-without-resolve': 'off',
      // Set and URLSearchParams here are local builders inside functions, never reactive state.
      'svelte/prefer-svelte-reactivity': 'off',
    },
  },

  // ---- Module boundaries (STYLE.md B2) ----
  {
    files: ['packages/domain/**/*.{ts,js,mjs}'],
    rules: forbid(
      ['drizzle-orm', 'pg', '@electric-sql/pglite', 'fastify', 'bullmq', 'ioredis', 'meilisearch', 'svelte', '@praxis/db', ...nodeIo],
      'packages/domain is pure logic with no I/O (STYLE.md B2): take data as arguments instead.',
    ),
  },
  {
    files: ['packages/contracts/**/*.{ts,js,mjs}'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          // Everything except typebox (and relative imports inside the package).
          patterns: [
            {
              regex: '^(?!typebox(?:/|$))(?!\\.{1,2}(?:/|$)).+',
              message: 'packages/contracts may import only typebox (STYLE.md B2).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['packages/db/**/*.{ts,js,mjs}'],
    rules: forbid(
      ['fastify', 'bullmq', 'meilisearch'],
      'packages/db is data access only: no HTTP server, queue or search client (STYLE.md B2).',
    ),
  },
  {
    files: ['apps/web/**/*.{ts,js,svelte}'],
    rules: forbid(
      ['@praxis/db', '@praxis/search', '@praxis/queue', 'drizzle-orm', 'pg', '@praxis/api', '@praxis/worker'],
      'apps/web talks to the API through @praxis/api-client, never to the database, search or queue (STYLE.md B2).',
    ),
  },
  {
    files: ['packages/search/**/*.{ts,js,mjs}'],
    rules: forbid(
      ['@praxis/db', '@praxis/queue', '@praxis/realtime', 'fastify', 'bullmq'],
      'packages/search sees only domain and contracts (STYLE.md B2).',
    ),
  },
  {
    files: ['packages/queue/**/*.{ts,js,mjs}'],
    rules: forbid(
      ['@praxis/db', '@praxis/search', '@praxis/realtime', 'fastify', 'meilisearch'],
      'packages/queue sees only domain and contracts (STYLE.md B2).',
    ),
  },
  {
    files: ['packages/realtime/**/*.{ts,js,mjs}'],
    rules: forbid(
      ['@praxis/db', '@praxis/search', '@praxis/queue', 'fastify', 'bullmq', 'meilisearch'],
      'packages/realtime sees only domain and contracts (STYLE.md B2).',
    ),
  },
  {
    files: ['apps/api/**/*.{ts,js,mjs}', 'apps/worker/**/*.{ts,js,mjs}'],
    rules: forbid(
      ['@praxis/api', '@praxis/worker', '@praxis/web'],
      'apps never import each other (STYLE.md B2); the embedded launcher loads built apps by path.',
    ),
  },
);
