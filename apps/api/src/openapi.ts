import { writeFileSync } from 'node:fs';
import { loadConfig } from '@praxis/config';
import { openDatabase } from '@praxis/db';
import { buildApp } from './app.js';

/** Writes the OpenAPI document the API client is generated from. */
const out = process.argv[2] ?? 'openapi.json';
const database = await openDatabase({ migrate: false });
const app = await buildApp({ config: loadConfig({}), database, logLevel: 'silent' });
await app.ready();
writeFileSync(out, `${JSON.stringify(app.swagger(), null, 2)}\n`);
await app.close();
await database.close();
console.log(`wrote ${out}`);
