import { eq, posts, isVisibleToAll, isListedForAll } from '@praxis/db';
import { planPostNotifications } from '@praxis/domain';
import { defineHandler } from '../../dispatch.js';
import { loadThreadContext, loadWatchLevels, usersByUsername, writeNotifications } from './write-notifications.js';

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
    const context = await loadThreadContext(deps.db, threadId);
    const [post] = await deps.db.select().from(posts).where(eq(posts.id, postId));
    if (!context || !post || post.authorId === null) return 'skipped:thread or post gone';
    if (!isVisibleToAll(post) || !isListedForAll(context.thread)) return 'skipped:post no longer visible';
    const [repliedTo] = post.replyToId
      ? await deps.db.select({ authorId: posts.authorId }).from(posts).where(eq(posts.id, post.replyToId))
      : [];
    const plan = planPostNotifications({
      post: { id: post.id, authorId: post.authorId, replyToAuthorId: repliedTo?.authorId ?? null, mentions },
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
