import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, type Database } from '@praxis/db';
import type { JobQueue } from '@praxis/queue';
import { createInProcessEventBus, isAccessChanged, type AccessChangedMessage, type RealtimeMessage } from '@praxis/realtime';
import { createEmbeddedSearchIndex, type SearchIndex } from '@praxis/search';
import type { WorkerDeps } from '../src/deps.js';
import { createFileMailer } from '../src/email/mailer.js';
import { startWorker, type RunningWorker, type WorkerOptions } from '../src/runtime.js';

export const quietLog = { info: () => undefined, warn: () => undefined, error: () => undefined };

export interface Harness {
  database: Database;
  search: SearchIndex;
  messages: RealtimeMessage[];
  /** What the API nodes would re-check their live connections for. */
  accessChanges: AccessChangedMessage[];
  mailDir: string;
  deps: WorkerDeps;
  start(queue: JobQueue, options?: WorkerOptions): Promise<RunningWorker>;
  close(): Promise<void>;
}

/** A database, an embedded index, a bus that records messages and a file mailer; the queue is the test's choice. */
export async function createHarness(search: SearchIndex = createEmbeddedSearchIndex()): Promise<Harness> {
  const database = await createTestDatabase();
  const bus = createInProcessEventBus();
  const messages: RealtimeMessage[] = [];
  const accessChanges: AccessChangedMessage[] = [];
  bus.subscribe((m) => (isAccessChanged(m) ? accessChanges.push(m) : messages.push(m)));
  const mailDir = mkdtempSync(join(tmpdir(), 'praxis-mail-'));
  const deps: WorkerDeps = {
    db: database.db,
    queue: undefined as unknown as JobQueue,
    search,
    bus,
    mailer: createFileMailer({ dir: mailDir, from: 'Praxis <no-reply@example.test>' }),
    clock: { now: () => new Date() },
    log: quietLog,
    onOutboxCommit: (wake) => database.listen('praxis_outbox', wake),
    settings: { publicOrigin: 'http://localhost:3000', emailAwayMs: 0, emailLeaseMs: 2000 },
  };
  const running: RunningWorker[] = [];
  return {
    database,
    search,
    messages,
    accessChanges,
    mailDir,
    deps,
    async start(queue, options = {}) {
      deps.queue = queue;
      const worker = await startWorker({ ...deps, queue }, { reconcileEveryMs: 300, ...options });
      running.push(worker);
      return worker;
    },
    async close() {
      for (const worker of running) await worker.stop().catch(() => undefined);
      await database.close();
    },
  };
}
