import { AppError, type ReadMarksBody } from '@praxis/contracts';
import { appendEvent, inArray, notifications, posts, recordThreadRead, sql } from '@praxis/db';
import type { Viewer } from '@praxis/domain';
import type { Deps } from '../../context.js';
import { markMatchSeen } from '../experts/commands.js';
import { markReadIn } from '../notifications/commands.js';
import { loadThread } from '../threads/queries.js';

/**
 * What a reader was shown, recorded in one transaction: the read position of each thread (which feeds
 * "topics entered" and "posts read"), that thread's notifications read, and an expert's match "seen".
 * The page sends it after it renders; a GET never writes. Threads the viewer may not read are skipped, and a
 * position is never taken past the thread's last post (read counts move trust levels). The level itself is
 * recomputed by the worker from `user.activity-recorded`.
 */
export async function recordReads(deps: Deps, viewer: Viewer, items: ReadMarksBody['items']): Promise<void> {
  const wanted = new Map<number, number>();
  for (const item of items) wanted.set(item.threadId, Math.max(wanted.get(item.threadId) ?? 0, item.lastPostNumber));
  const readable: number[] = [];
  for (const threadId of wanted.keys()) {
    const loaded = await loadThread(deps, viewer, threadId).catch((error: unknown) => {
      if (error instanceof AppError && error.code === 'NOT_FOUND') return null;
      throw error;
    });
    if (loaded) readable.push(threadId);
  }
  if (readable.length === 0) return;
  const lastNumbers = await deps.db
    .select({ threadId: posts.threadId, last: sql<number>`max(${posts.number})`.mapWith(Number) })
    .from(posts)
    .where(inArray(posts.threadId, readable))
    .groupBy(posts.threadId);
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    let statsMoved = false;
    for (const { threadId, last } of lastNumbers) {
      const upTo = Math.min(wanted.get(threadId) ?? 0, last ?? 0);
      if (upTo >= 1 && (await recordThreadRead(tx, viewer.id, threadId, upTo, now))) statsMoved = true;
    }
    await markReadIn(tx, viewer.id, inArray(notifications.threadId, readable), now);
    for (const threadId of readable) await markMatchSeen({ db: tx, clock: deps.clock }, viewer.id, threadId);
    if (statsMoved) await appendEvent(tx, 'user.activity-recorded', viewer.id, { userId: viewer.id }, viewer.id);
  });
}
