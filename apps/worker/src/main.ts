import { join } from 'node:path';
import { loadConfig } from '@praxis/config';
import { openDatabase } from '@praxis/db';
import { pendingEvents } from './outbox.js';

// The worker process of the distributed mode. This first version only reports the outbox backlog;
// the relay, the queue adapters and the handlers (search, notifications, expert matching) come with the pipeline issue.
const config = loadConfig();
const database = await openDatabase({ url: config.databaseUrl, dataDir: join(config.dataDir, 'pglite') });
const report = async () => {
  const pending = await pendingEvents(database.db);
  console.log(JSON.stringify({ msg: 'outbox backlog', pending: pending.count, oldest: pending.oldest }));
};
await report();
const timer = setInterval(() => void report().catch((err: unknown) => console.error(err)), 30_000);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    clearInterval(timer);
    void database.close().then(() => process.exit(0));
  });
}
