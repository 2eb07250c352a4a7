import { and, asc, eq, inArray, posts, threads, type Db, isListedForAll, postVisibleToAll } from '@praxis/db';
import { SEARCH_DOCUMENT_VERSION, toThreadDocument, type SearchIndex, type ThreadDocument } from '@praxis/search';

export interface LoadedDocuments {
  documents: ThreadDocument[];
  /** updated_at of each indexed thread as read: stamped as indexed_at, so a change made meanwhile stays stale. */
  updatedAt: Map<number, Date>;
  /** Ids that are gone or deleted: to remove from the index. */
  gone: number[];
}

/** Search documents for these threads, built from their visible posts (hidden, deleted and held posts are never indexed; nor is a thread whose opening post is held). */
export async function loadThreadDocuments(db: Db, threadIds: number[]): Promise<LoadedDocuments> {
  if (threadIds.length === 0) return { documents: [], updatedAt: new Map(), gone: [] };
  const rows = await db.select().from(threads).where(inArray(threads.id, threadIds));
  const live = rows.filter(isListedForAll);
  const liveIds = live.map((t) => t.id);
  const visiblePosts = liveIds.length
    ? await db
        .select({ threadId: posts.threadId, number: posts.number, body: posts.body })
        .from(posts)
        .where(and(inArray(posts.threadId, liveIds), postVisibleToAll))
        .orderBy(asc(posts.threadId), asc(posts.number))
    : [];
  const byThread = new Map<number, { number: number; body: string }[]>();
  for (const post of visiblePosts) byThread.set(post.threadId, [...(byThread.get(post.threadId) ?? []), post]);
  const present = new Set(liveIds);
  return {
    documents: live.map((thread) => toThreadDocument(thread, byThread.get(thread.id) ?? [])),
    updatedAt: new Map(live.map((t) => [t.id, t.updatedAt])),
    gone: threadIds.filter((id) => !present.has(id)),
  };
}

/** Writes documents to the index and stamps the threads; removes the gone ones. Returns how many were written. */
export async function indexThreads(
  deps: { db: Db; search: SearchIndex },
  threadIds: number[],
): Promise<{ indexed: number; removed: number }> {
  const loaded = await loadThreadDocuments(deps.db, threadIds);
  if (loaded.documents.length > 0) await deps.search.upsert(loaded.documents);
  if (loaded.gone.length > 0) await deps.search.remove(loaded.gone);
  for (const [id, updatedAt] of loaded.updatedAt) {
    await deps.db.update(threads).set({ indexedAt: updatedAt, searchVersion: SEARCH_DOCUMENT_VERSION }).where(eq(threads.id, id));
  }
  if (loaded.gone.length > 0) await deps.db.update(threads).set({ indexedAt: null }).where(inArray(threads.id, loaded.gone));
  return { indexed: loaded.documents.length, removed: loaded.gone.length };
}
