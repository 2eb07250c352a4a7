import { join } from 'node:path';
import { loadConfig } from '@praxis/config';
import { openDatabase } from '@praxis/db';
import { createJobQueue } from '@praxis/queue';
import { createEventBus } from '@praxis/realtime';
import { createSearchIndex } from '@praxis/search';
import { consoleLogger } from './deps.js';
import { createMailer } from './email/mailer.js';
import { startWorker } from './runtime.js';

// The worker process of the distributed mode: BullMQ on REDIS_URL, Meilisearch on MEILI_URL.
const config = loadConfig();
if (!config.redisUrl) {
  consoleLogger.error('The worker process needs REDIS_URL (without it, the embedded mode runs the worker inside the API process)');
  process.exit(1);
}
if (!config.meiliUrl)
  consoleLogger.warn('MEILI_URL is not set: this worker indexes into its own embedded index, which the API nodes cannot read');
const database = await openDatabase({ url: config.databaseUrl, dataDir: join(config.dataDir, 'pglite') });
const bus = createEventBus({ redisUrl: config.redisUrl });
const worker = await startWorker(
  {
    db: database.db,
    queue: createJobQueue({ redisUrl: config.redisUrl }),
    search: createSearchIndex({
      meiliUrl: config.meiliUrl,
      meiliMasterKey: config.meiliMasterKey,
      snapshotPath: join(config.dataDir, 'search', 'threads.json'),
    }),
    guideSearch: createSearchIndex({
      meiliUrl: config.meiliUrl,
      meiliMasterKey: config.meiliMasterKey,
      snapshotPath: join(config.dataDir, 'search', 'guides.json'),
      indexName: 'guides',
    }),
    bus,
    mailer: createMailer({ smtpUrl: config.smtpUrl, dataDir: config.dataDir, from: config.mailFrom }),
    clock: { now: () => new Date() },
    log: consoleLogger,
    onOutboxCommit: (wake) => database.listen('praxis_outbox', wake),
    settings: { publicOrigin: config.publicOrigin, emailAwayMs: config.emailAwayMinutes * 60_000, emailLeaseMs: 120_000 },
  },
  { escalateEveryMs: config.escalationSweepSeconds * 1000 },
);
consoleLogger.info('worker started', { queue: 'bullmq', search: config.meiliUrl ? 'meilisearch' : 'embedded' });

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    if (stopping) return;
    stopping = true;
    consoleLogger.info(`${signal}: finishing running jobs`);
    void worker
      .stop()
      .then(() => bus.close())
      .then(() => database.close())
      .then(() => process.exit(0));
  });
}
