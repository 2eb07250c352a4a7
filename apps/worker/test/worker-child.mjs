// A worker process for the "killed mid-job" test: BullMQ with short locks, emails to the SMTP server the
// test names (which never answers, so email jobs hang until the process is killed). Uses the built code.
import { openDatabase } from '@praxis/db';
import { createBullMqQueue } from '@praxis/queue';
import { createInProcessEventBus } from '@praxis/realtime';
import { createEmbeddedSearchIndex } from '@praxis/search';
import { createMailer, startWorker } from '../dist/index.js';

const database = await openDatabase({ url: process.env.DATABASE_URL, migrate: false });
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
await startWorker({
  db: database.db,
  queue: createBullMqQueue({
    redisUrl: process.env.REDIS_URL,
    prefix: process.env.QUEUE_PREFIX,
    lockDurationMs: 1000,
    stalledIntervalMs: 500,
    log: () => undefined,
  }),
  search: createEmbeddedSearchIndex(),
  bus: createInProcessEventBus(),
  mailer: createMailer({ smtpUrl: process.env.SMTP_URL, dataDir: '/nonexistent', from: 'Praxis <no-reply@example.test>' }),
  clock: { now: () => new Date() },
  log: quiet,
  onOutboxCommit: (wake) => database.listen('praxis_outbox', wake),
  settings: { publicOrigin: 'http://localhost:3000', emailAwayMs: 0, emailLeaseMs: 2000 },
});
process.send?.('started');
