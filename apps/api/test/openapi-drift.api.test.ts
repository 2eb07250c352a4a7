import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from './helper.js';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

it('matches the committed OpenAPI document the API client is generated from (run `npm run generate:api-client` after changing routes)', () => {
  const committed = JSON.parse(readFileSync(new URL('../../../packages/api-client/openapi.json', import.meta.url), 'utf8'));
  expect(JSON.parse(JSON.stringify(t.app.swagger()))).toEqual(committed);
});
