import { and, communities, eq, posts, isVisibleToAll, isListedForAll, sql, threads } from '@praxis/db';
import { planPostNotifications } from '@praxis/domain';
import { defineHandler } from '../../dispatch.js';
import { loadWatchLevels, usersByUsername, writeNotifications, type ThreadContext } from './write-notifications.js';

/**
 * A new thread or reply: mentions, the replied-to author, the thread's author, watchers. An edit only
 * adds mentions, and only for people not yet notified about this post (the dedupe key is per post).
 */
export const notifyPost = defineHandler('notify.post', {
  queue: 'notify',
  async handle(event, deps) {
    const isNewThread = event.type === 'thread.created';
    const isEdit = event.type === 'post.edited';
    const { threadId, postId, mentions } = event.payload;
    if (isEdit && mentions.length === 0) return 'skipped:no mentions in the edit';
    // The post, its thread and community, and the author it replies to, in one query.
    const [row] = await deps.db
      .select({
        post: posts,
        thread: threads,
        community: { id: communities.id, visibility: communities.visibility },
        replyToAuthorId: sql<number | null>`(select r.author_id from ${posts} r where r.id = ${posts.replyToId})`,
      })
      .from(posts)
      .innerJoin(threads, eq(threads.id, posts.threadId))
      .innerJoin(communities, eq(communities.id, threads.communityId))
      .where(and(eq(posts.id, postId), eq(posts.threadId, threadId)));
    if (!row || row.post.authorId === null) return 'skipped:thread or post gone';
    const { post } = row;
    const context: ThreadContext = { thread: row.thread, community: row.community };
    if (!isVisibleToAll(post) || !isListedForAll(context.thread)) return 'skipped:post no longer visible';
    const plan = planPostNotifications({
      post: { id: post.id, authorId: post.authorId!, replyToAuthorId: row.replyToAuthorId ?? null, mentions },
      thread: { authorId: context.thread.authorId },
      isNewThread,
      users: await usersByUsername(deps.db, mentions),
      watchLevels: await loadWatchLevels(deps.db, context.thread),
    });
    const actorId = isEdit ? event.payload.editorId : post.authorId;
    const planned = isEdit ? { ...plan, notify: plan.notify.filter((n) => n.kind === 'mention' && n.userId !== actorId) } : plan;
    const result = await writeNotifications(deps, context, planned, { postId: post.id, actorId });
    return result.written > 0 ? 'done' : 'skipped:nobody to notify';
  },
});
