import { deadLetters, desc, eq, isNull, outboxEvents, sql, threads, threadsNeedingIndex } from '@praxis/db';
import { SEARCH_DOCUMENT_VERSION } from '@praxis/search';
import type { Deps } from '../../context.js';

const count = sql<number>`count(*)::int`;

/** Backlog counts: unpublished outbox events (and the oldest), threads the search index lags on, unretried dead letters. */
export async function pipelineCounts(deps: Deps) {
  const { db } = deps;
  const [outbox] = await db
    .select({ pending: count, oldest: sql<string | null>`min(${outboxEvents.createdAt})` })
    .from(outboxEvents)
    .where(isNull(outboxEvents.publishedAt));
  const [stale] = await db.select({ n: count }).from(threads).where(threadsNeedingIndex(SEARCH_DOCUMENT_VERSION));
  const [dead] = await db.select({ n: count }).from(deadLetters).where(isNull(deadLetters.retriedAt));
  return { outbox, stale, dead };
}

/** The newest 100 dead letters. */
export async function listDeadLetters(deps: Deps) {
  return deps.db.select().from(deadLetters).orderBy(desc(deadLetters.id)).limit(100);
}

export async function findDeadLetter(deps: Deps, id: number) {
  const [letter] = await deps.db
    .select({ id: deadLetters.id, retriedAt: deadLetters.retriedAt })
    .from(deadLetters)
    .where(eq(deadLetters.id, id));
  return letter;
}
