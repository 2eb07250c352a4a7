import { eq, posts } from '@praxis/db';
import { planSolvedNotifications } from '@praxis/domain';
import { defineHandler } from '../../dispatch.js';
import { loadThreadContext, loadWatchLevels, writeNotifications } from './write-notifications.js';

export const notifySolved = defineHandler('notify.solved', {
  queue: 'notify',
  async handle(event, deps) {
    const { threadId, postId, acceptedBy } = event.payload;
    const context = await loadThreadContext(deps.db, threadId);
    const [post] = await deps.db.select({ id: posts.id, authorId: posts.authorId }).from(posts).where(eq(posts.id, postId));
    if (!context || !post) return 'skipped:thread or post gone';
    if (context.thread.solutionPostId !== postId) return 'skipped:solution changed since';
    const plan = planSolvedNotifications({
      thread: { id: threadId, authorId: context.thread.authorId },
      solutionPost: post,
      acceptedBy,
      watchLevels: await loadWatchLevels(deps.db, context.thread),
    });
    const result = await writeNotifications(deps, context, plan, { postId, actorId: acceptedBy });
    return result.written > 0 ? 'done' : 'skipped:nobody to notify';
  },
});
