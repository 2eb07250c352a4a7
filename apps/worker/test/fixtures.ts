import { appendEvent, communities, memberships, posts, sql, threads, users, type Db } from '@praxis/db';
import { parseMentions } from '@praxis/domain';

/**
 * Writes rows and their outbox events the way the API's commands do (same tables, same events, one
 * transaction), so the worker sees exactly what production gives it.
 */
export function fixtures(db: Db) {
  let n = 0;
  return {
    async user(username = `u${++n}_${Math.random().toString(36).slice(2, 7)}`, extra: Partial<typeof users.$inferInsert> = {}) {
      const [row] = await db
        .insert(users)
        .values({ username, email: `${username}@example.test`, displayName: username, ...extra })
        .returning();
      return row!;
    },
    async community(slug: string, visibility: 'public' | 'private' = 'public', memberIds: number[] = []) {
      const [row] = await db.insert(communities).values({ slug, name: slug, visibility }).returning();
      for (const userId of memberIds) await db.insert(memberships).values({ communityId: row!.id, userId });
      return row!;
    },
    async thread(communityId: number, authorId: number, title: string, body: string, tags: string[] = []) {
      return db.transaction(async (tx) => {
        const [thread] = await tx.insert(threads).values({ communityId, authorId, title, tags, postCount: 1 }).returning();
        const [post] = await tx.insert(posts).values({ threadId: thread!.id, authorId, number: 1, body, html: body }).returning();
        await appendEvent(
          tx,
          'thread.created',
          thread!.id,
          { threadId: thread!.id, communityId, authorId, postId: post!.id, kind: 'question', mentions: parseMentions(body) },
          authorId,
        );
        return { thread: thread!, post: post! };
      });
    },
    async reply(threadId: number, communityId: number, authorId: number, body: string, replyToId: number | null = null) {
      return db.transaction(async (tx) => {
        const [counter] = await tx
          .update(threads)
          .set({
            postCount: sql`${threads.postCount} + 1`,
            replyCount: sql`${threads.replyCount} + 1`,
            updatedAt: sql`now()`,
            lastActivityAt: sql`now()`,
          })
          .where(sql`${threads.id} = ${threadId}`)
          .returning({ postCount: threads.postCount });
        const [post] = await tx
          .insert(posts)
          .values({ threadId, authorId, number: counter!.postCount, body, html: body, replyToId })
          .returning();
        await appendEvent(
          tx,
          'post.created',
          threadId,
          { postId: post!.id, threadId, communityId, authorId, replyToId, mentions: parseMentions(body) },
          authorId,
        );
        return post!;
      });
    },
    async edit(postId: number, threadId: number, editorId: number, body: string) {
      await db.transaction(async (tx) => {
        const [post] = await tx
          .update(posts)
          .set({ body, html: body, revision: sql`${posts.revision} + 1`, editedAt: sql`now()` })
          .where(sql`${posts.id} = ${postId}`)
          .returning();
        await tx
          .update(threads)
          .set({ updatedAt: sql`now()` })
          .where(sql`${threads.id} = ${threadId}`);
        await appendEvent(
          tx,
          'post.edited',
          threadId,
          { postId, threadId, editorId, revision: post!.revision, mentions: parseMentions(body) },
          editorId,
        );
      });
    },
  };
}

/** Polls until `check` returns a truthy value; the timeout is generous because CI machines are shared. */
export async function eventually<T>(
  check: () => Promise<T | undefined | null | false>,
  timeoutMs = 15_000,
  what = 'condition',
): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
