import { join } from 'node:path';
import { loadConfig } from '@praxis/config';
import { openEmbeddedDatabase } from '@praxis/db';
import { createSearchIndex } from '@praxis/search';
import { rebuildSearchIndex } from './handlers/search/reindex-all.js';

// `npm run reindex`: rebuilds the search index from the database with a progress bar.
// In the embedded mode stop Praxis first (its embedded database belongs to one process);
// while it runs, use the admin API (POST /api/v1/admin/search/reindex) instead.
const config = loadConfig();
const database = await openEmbeddedDatabase({
  url: config.databaseUrl,
  dataDir: config.dataDir,
  kind: process.env.EMBEDDED_DATABASE || undefined,
  port: process.env.EMBEDDED_PG_PORT ? Number(process.env.EMBEDDED_PG_PORT) : undefined,
});
const search = createSearchIndex({
  meiliUrl: config.meiliUrl,
  meiliMasterKey: config.meiliMasterKey,
  snapshotPath: join(config.dataDir, 'search', 'threads.json'),
});

function progressBar(done: number, total: number, startedAt: number): string {
  const width = 30;
  const share = total === 0 ? 1 : done / total;
  const filled = Math.round(share * width);
  const seconds = (Date.now() - startedAt) / 1000;
  const rate = seconds > 0 ? Math.round(done / seconds) : 0;
  return `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${String(Math.round(share * 100)).padStart(3)}%  ${done}/${total} threads  ${rate}/s`;
}

const startedAt = Date.now();
const interactive = process.stdout.isTTY === true;
let lastLine = 0;
console.log(`Rebuilding the ${search.kind} search index from ${database.description ?? database.driver}…`);
const indexed = await rebuildSearchIndex({ db: database.db, search }, (done, total) => {
  if (interactive) process.stdout.write(`\r${progressBar(done, total, startedAt)}`);
  else if (done === total || Date.now() - lastLine > 2000) {
    lastLine = Date.now();
    console.log(progressBar(done, total, startedAt));
  }
});
if (interactive) process.stdout.write('\n');
await search.close();
await database.close();
console.log(`Indexed ${indexed} threads in ${((Date.now() - startedAt) / 1000).toFixed(1)} s.`);
