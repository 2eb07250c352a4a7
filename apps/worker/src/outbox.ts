import { asc, isNull, outboxEvents, sql, type Db } from '@praxis/db';

export interface PendingEvents {
  count: number;
  oldest: Date | null;
}

/** What the relay has yet to publish: the backlog an operator watches. */
export async function pendingEvents(db: Db): Promise<PendingEvents> {
  const [row] = await db
    .select({ count: sql<number>`count(*)::int`, oldest: sql<string | null>`min(${outboxEvents.createdAt})` })
    .from(outboxEvents)
    .where(isNull(outboxEvents.publishedAt));
  return { count: row?.count ?? 0, oldest: row?.oldest ? new Date(row.oldest) : null };
}

/** The next unpublished events in commit order, the relay's input. */
export async function nextUnpublished(db: Db, limit: number) {
  return db.select().from(outboxEvents).where(isNull(outboxEvents.publishedAt)).orderBy(asc(outboxEvents.id)).limit(limit);
}
