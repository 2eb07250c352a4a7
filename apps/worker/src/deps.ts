import type { Db } from '@praxis/db';
import type { EventBus } from '@praxis/realtime';
import type { JobQueue } from '@praxis/queue';
import type { SearchIndex } from '@praxis/search';
import type { Mailer } from './email/mailer.js';

export interface Clock {
  now(): Date;
}

export interface Logger {
  info(message: string, meta?: Record<string, unknown>): void;
  warn(message: string, meta?: Record<string, unknown>): void;
  error(message: string, meta?: Record<string, unknown>): void;
}

/** Everything a handler may use; each handler takes only what it needs from it. */
export interface WorkerDeps {
  db: Db;
  queue: JobQueue;
  search: SearchIndex;
  /** The guides index (a second instance of the port); without it guide indexing and similar-question counting are skipped. */
  guideSearch?: SearchIndex;
  bus: EventBus;
  mailer: Mailer;
  clock: Clock;
  log: Logger;
  /** Calls back when outbox rows are committed (LISTEN/NOTIFY), so the relay need not wait for its next poll. */
  onOutboxCommit?: (wake: () => void) => Promise<() => Promise<void>>;
  settings: {
    publicOrigin: string;
    /** Email a notification right away when its recipient has not been seen for this long. */
    emailAwayMs: number;
    /** How long an email attempt's claim holds before another attempt may send (a killed sender's claim expires). */
    emailLeaseMs: number;
  };
}

export const consoleLogger: Logger = {
  info: (message, meta) => console.log(JSON.stringify({ level: 'info', msg: message, ...meta })),
  warn: (message, meta) => console.warn(JSON.stringify({ level: 'warn', msg: message, ...meta })),
  error: (message, meta) => console.error(JSON.stringify({ level: 'error', msg: message, ...meta })),
};
