import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { Db } from './client.js';
import { communities, posts, tags as tagsTable, threads } from './schema.js';
import { excerptOf, replyVisibleToAll, threadListedForAll } from './visibility.js';

/*
 * The denormalized counters, kept in one place, inside the transaction of the change:
 * - communities.thread_count and tags.thread_count: threads listed for everyone (threadListedForAll: not
 *   deleted, not held). Kept by deltas when a thread enters or leaves that set (create, approve, delete,
 *   move, retag): a delta on the counter row is safe under concurrent writers, a recount is not.
 * - threads.reply_count: replies visible to all (replyVisibleToAll), recounted under the thread row's lock.
 * - threads.post_count: the last post number handed out (the reply path takes the next number through it),
 *   so it counts every post ever written in the thread, deleted and held ones included.
 * reconcileCounters recounts all of them from the rows and repairs any drift (the worker runs it on a schedule).
 */

type ListedThread = { communityId: number; tags: readonly string[] };

async function addToTags(tx: Db, communityId: number, names: readonly string[], delta: 1 | -1): Promise<void> {
  for (const name of names) {
    if (delta === 1) {
      await tx
        .insert(tagsTable)
        .values({ communityId, name, threadCount: 1 })
        .onConflictDoUpdate({ target: [tagsTable.communityId, tagsTable.name], set: { threadCount: sql`${tagsTable.threadCount} + 1` } });
    } else {
      await tx
        .update(tagsTable)
        .set({ threadCount: sql`greatest(${tagsTable.threadCount} - 1, 0)` })
        .where(and(eq(tagsTable.communityId, communityId), eq(tagsTable.name, name)));
    }
  }
}

/** A thread entered (+1) or left (-1) the lists everyone sees: its community's and its tags' thread counts follow. */
export async function countListedThread(tx: Db, thread: ListedThread, delta: 1 | -1): Promise<void> {
  await addToTags(tx, thread.communityId, thread.tags, delta);
  await tx
    .update(communities)
    .set({ threadCount: delta === 1 ? sql`${communities.threadCount} + 1` : sql`greatest(${communities.threadCount} - 1, 0)` })
    .where(eq(communities.id, thread.communityId));
}

/** A listed thread's tags changed: the removed tags count one thread less, the added ones one more. */
export async function retagListedThread(tx: Db, communityId: number, before: readonly string[], after: readonly string[]): Promise<void> {
  await addToTags(
    tx,
    communityId,
    before.filter((t) => !after.includes(t)),
    -1,
  );
  await addToTags(
    tx,
    communityId,
    after.filter((t) => !before.includes(t)),
    1,
  );
}

/** Whether a thread row is counted in communities.thread_count and tags.thread_count. */
export const isListedForAll = (thread: { deletedAt: Date | null; heldAt: Date | null }): boolean =>
  thread.deletedAt === null && thread.heldAt === null;

/** Recounts a thread's visible replies; it locks the thread row first, so the count sees every committed reply. */
export async function recountReplies(tx: Db, threadId: number): Promise<void> {
  await tx.select({ id: threads.id }).from(threads).where(eq(threads.id, threadId)).for('update');
  await tx
    .update(threads)
    .set({ replyCount: sql`(select count(*)::int from ${posts} where ${posts.threadId} = ${threadId} and ${replyVisibleToAll})` })
    .where(eq(threads.id, threadId));
}

export interface CounterRepairs {
  communities: number;
  tags: number;
  replyCounts: number;
  postCounts: number;
  excerpts: number;
}

const rowsOf = (result: unknown): unknown[] => (result as { rows?: unknown[] }).rows ?? [];

/**
 * Recounts every denormalized counter from the rows and repairs the ones that drifted (a bug, a manual
 * edit, an import); returns how many rows it repaired of each kind. Idempotent; cheap when nothing drifted.
 */
export async function reconcileCounters(db: Db): Promise<CounterRepairs> {
  const listedIn = (community: SQL) =>
    sql`(select count(*)::int from ${threads} where ${threads.communityId} = ${community} and ${threadListedForAll})`;
  const communityRows = await db.execute(
    sql`update ${communities} set thread_count = ${listedIn(sql`${communities.id}`)} where ${communities.threadCount} <> ${listedIn(sql`${communities.id}`)} returning ${communities.id}`,
  );
  // A tag a listed thread carries always has a row (it may have been lost); then every tag row is recounted.
  await db.execute(
    sql`insert into ${tagsTable} (community_id, name, thread_count) select distinct ${threads.communityId}, unnest(${threads.tags}), 0 from ${threads} where ${threadListedForAll} on conflict do nothing`,
  );
  const taggedIn = sql`(select count(*)::int from ${threads} where ${threads.communityId} = ${tagsTable.communityId} and ${threads.tags} @> array[${tagsTable.name}] and ${threadListedForAll})`;
  const tagRows = await db.execute(
    sql`update ${tagsTable} set thread_count = ${taggedIn} where ${tagsTable.threadCount} <> ${taggedIn} returning ${tagsTable.name}`,
  );
  const replies = sql`(select count(*)::int from ${posts} where ${posts.threadId} = ${threads.id} and ${replyVisibleToAll})`;
  const replyRows = await db.execute(
    sql`update ${threads} set reply_count = ${replies} where ${threads.replyCount} <> ${replies} returning ${threads.id}`,
  );
  // post_count hands out post numbers: it may only grow to the highest number taken.
  const highest = sql`(select coalesce(max(${posts.number}), 0) from ${posts} where ${posts.threadId} = ${threads.id})`;
  const postRows = await db.execute(
    sql`update ${threads} set post_count = ${highest} where ${threads.postCount} < ${highest} returning ${threads.id}`,
  );
  return {
    communities: rowsOf(communityRows).length,
    tags: rowsOf(tagRows).length,
    replyCounts: rowsOf(replyRows).length,
    postCounts: rowsOf(postRows).length,
    excerpts: await reconcileExcerpts(db),
  };
}

/** Threads whose stored excerpt disagrees with whether their opening post is visible to all; rewrites them. */
async function reconcileExcerpts(db: Db, batch = 500): Promise<number> {
  const rows = await db
    .select({ id: threads.id, excerpt: threads.excerpt, body: posts.body, hiddenAt: posts.hiddenAt, deletedAt: posts.deletedAt })
    .from(threads)
    .innerJoin(posts, and(eq(posts.threadId, threads.id), eq(posts.number, 1)))
    .where(sql`(${threads.excerpt} <> '') = (${posts.hiddenAt} is not null or ${posts.deletedAt} is not null)`)
    .limit(batch);
  const wrong = rows.filter((row) => row.excerpt !== excerptOf(row));
  for (const row of wrong)
    await db
      .update(threads)
      .set({ excerpt: excerptOf(row) })
      .where(eq(threads.id, row.id));
  return wrong.length;
}
