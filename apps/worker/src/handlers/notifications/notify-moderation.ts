import { eq, posts } from '@praxis/db';
import { defineHandler } from '../../dispatch.js';
import { loadThreadContext, writeNotifications } from './write-notifications.js';

/** Resolutions the author hears about: their held post approved, or their post hidden, deleted, or them suspended. */
const TOLD = new Set(['approve', 'hide', 'delete', 'suspend']);

/**
 * Tells a post's author what a moderator decided about it (kind 'moderation_notice'). A kept post whose
 * flags were dismissed, or an approve of a post that was never held, tells nobody anything.
 */
export const notifyModeration = defineHandler('notify.moderation', {
  queue: 'notify',
  async handle(event, deps) {
    const { postId, threadId, resolution, by } = event.payload;
    if (!TOLD.has(resolution)) return 'skipped:nothing to tell the author';
    const [post] = await deps.db.select({ authorId: posts.authorId, heldAt: posts.heldAt }).from(posts).where(eq(posts.id, postId));
    if (!post?.authorId || post.authorId === by) return 'skipped:no author to tell';
    const context = await loadThreadContext(deps.db, threadId);
    if (!context) return 'skipped:thread not found';
    const { written } = await writeNotifications(
      deps,
      context,
      {
        notify: [
          {
            userId: post.authorId,
            kind: 'moderation_notice',
            dedupeKey: `moderation:${postId}:${resolution}:${event.id}`,
            reason: resolution,
          },
        ],
        skipped: [],
      },
      { postId, actorId: by },
    );
    return written > 0 ? 'done' : 'skipped:already notified or cannot read';
  },
});
