import { asc, inArray, isNull, outboxEvents, sql, type Db } from '@praxis/db';
import type { JobQueue } from '@praxis/queue';
import type { WorkerDeps } from '../deps.js';
import { eventJobId, type OutboxJob } from '../dispatch.js';

/**
 * Moves committed outbox rows to the 'events' queue, oldest first. One statement claims a batch (FOR UPDATE SKIP
 * LOCKED, so several relays never publish the same row concurrently) and marks it published; the transaction commits
 * only after the queue accepted the jobs: if the queue is down (or the process dies before the commit) it rolls back
 * and the rows wait for the next pass. The job id is the outbox id, so a row published twice (relay crash after
 * enqueue, before commit) is deduplicated by the queue.
 */
export async function relayOutbox(deps: { db: Db; queue: JobQueue }, batchSize = 200, enqueueTimeoutMs = 5000): Promise<number> {
  return deps.db.transaction(async (tx) => {
    const oldest = tx
      .select({ id: outboxEvents.id })
      .from(outboxEvents)
      .where(isNull(outboxEvents.publishedAt))
      .orderBy(asc(outboxEvents.id))
      .limit(batchSize)
      .for('update', { skipLocked: true });
    const claimed = await tx
      .update(outboxEvents)
      .set({ publishedAt: sql`now()`, attempts: sql`${outboxEvents.attempts} + 1` })
      .where(inArray(outboxEvents.id, oldest))
      .returning();
    if (claimed.length === 0) return 0;
    const events = claimed.sort((a, b) => a.id - b.id);
    // The queue fails fast when Redis is down; this bounds the wait anyway, so the transaction (and its
    // row locks) never stays open through an outage. A late success is harmless: job ids dedupe.
    await withTimeout(
      deps.queue.addBulk(
        events.map((row) => {
          const job: OutboxJob = {
            id: row.id,
            type: row.type,
            aggregateId: row.aggregateId,
            payload: row.payload,
            actorId: row.actorId,
            createdAt: row.createdAt.toISOString(),
          };
          return { queue: 'events' as const, name: row.type, data: job, options: { jobId: eventJobId(job) } };
        }),
      ),
      enqueueTimeoutMs,
    );
    return events.length;
  });
}

const RELAY_BATCH = 200;

export interface RelayLoop {
  stop(): Promise<void>;
  /** Runs one pass now (tests and the embedded mode's post-write nudge). */
  nudge(): void;
}

/** Polls the outbox: quickly while there is a backlog, every `idleMs` when idle, backing off while the queue is down. */
export function startOutboxRelay(
  deps: {
    db: Db;
    queue: JobQueue;
    log: { warn(m: string, meta?: Record<string, unknown>): void };
    onOutboxCommit?: WorkerDeps['onOutboxCommit'];
  },
  options: { idleMs?: number } = {},
): RelayLoop {
  // With commit notifications polling is only the safety net.
  const idleMs = options.idleMs ?? (deps.onOutboxCommit ? 500 : 100);
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let failures = 0;
  // A wake-up that arrives during a pass: run another pass right after it.
  let again = false;
  // While commit notifications arrive, a pass that left no backlog waits for the next one instead of polling an
  // empty outbox right away (each such pass is a transaction for nothing).
  let listening = false;

  const schedule = (delay: number) => {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(() => void tick(), delay);
  };
  const tick = async (): Promise<void> => {
    if (running) return;
    running = (async () => {
      try {
        again = false;
        const moved = await relayOutbox(deps, RELAY_BATCH);
        failures = 0;
        const backlog = listening ? moved >= RELAY_BATCH : moved > 0;
        schedule(backlog || again ? 0 : idleMs);
      } catch (error) {
        failures += 1;
        const delay = Math.min(idleMs * 2 ** failures, 10_000);
        if (failures === 1 || failures % 20 === 0)
          deps.log.warn('outbox relay failed; retrying', { error: String(error), retryInMs: delay });
        schedule(delay);
      }
    })();
    await running;
    running = undefined;
    // A wake-up that came after the pass had decided when to run next.
    if (again && !failures) schedule(0);
  };
  schedule(0);
  const wake = () => {
    if (running) again = true;
    else schedule(0);
  };
  const unlisten = deps.onOutboxCommit?.(wake).then(
    (stop) => {
      listening = true;
      return stop;
    },
    (error: unknown) => {
      deps.log.warn('outbox notifications unavailable; polling only', { error: String(error) });
      return undefined;
    },
  );
  return {
    nudge: wake,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
      await (
        await unlisten
      )?.();
    },
  };
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the queue did not accept the events within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
