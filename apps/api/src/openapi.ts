import { writeFileSync } from 'node:fs';
import { loadConfig } from '@praxis/config';
import { openDatabase } from '@praxis/db';
import { createInProcessEventBus } from '@praxis/realtime';
import { createEmbeddedSearchIndex } from '@praxis/search';
import { buildApp } from './app.js';

/** Writes the OpenAPI document the API client is generated from. */
const out = process.argv[2] ?? 'openapi.json';
const database = await openDatabase({ migrate: false });
const app = await buildApp({
  config: loadConfig({}),
  database,
  search: createEmbeddedSearchIndex(),
  bus: createInProcessEventBus(),
  logLevel: 'silent',
});
await app.ready();
writeFileSync(out, `${JSON.stringify(app.swagger(), null, 2)}\n`);
await app.close();
await database.close();
console.log(`wrote ${out}`);
