import { and, isNotNull, lt, outboxEvents, type Db } from '@praxis/db';

/** Published outbox rows are history after a while; the unpublished ones are never pruned. */
export async function pruneOutbox(db: Db, now: Date, keepDays = 7): Promise<void> {
  const cutoff = new Date(now.getTime() - keepDays * 86_400_000);
  await db.delete(outboxEvents).where(and(isNotNull(outboxEvents.publishedAt), lt(outboxEvents.publishedAt, cutoff)));
}
