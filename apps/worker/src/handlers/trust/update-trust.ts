import { eq, posts, recomputeTrustLevel, recountContributions, threads, type Db } from '@praxis/db';
import { defineHandler, type EventsFor, type OneOf } from '../../dispatch.js';

/** Whose contributions an event changes: the author of a new post or thread, of an accepted answer, of a flagged post. */
async function affectedUsers(db: Db, event: OneOf<EventsFor<'trust.update'>>): Promise<number[]> {
  switch (event.type) {
    case 'post.created':
    case 'thread.created':
      return [event.payload.authorId];
    // Reading stats moved (visits, threads and posts read): recomputed here, never while a page is served.
    case 'user.activity-recorded':
      return [event.payload.userId];
    case 'solution.accepted':
    case 'solution.unaccepted':
    case 'flag.resolved': {
      const { postId } = event.payload;
      const [row] = await db.select({ authorId: posts.authorId }).from(posts).where(eq(posts.id, postId));
      return row?.authorId ? [row.authorId] : [];
    }
    case 'post.deleted': {
      const { postId, threadId } = event.payload;
      const [row] = await db.select({ authorId: posts.authorId }).from(posts).where(eq(posts.id, postId));
      const [thread] = await db.select({ authorId: threads.authorId }).from(threads).where(eq(threads.id, threadId));
      return [...new Set([row?.authorId, thread?.authorId].filter((id): id is number => typeof id === 'number'))];
    }
    default:
      return [];
  }
}

/**
 * Keeps user_stats' contribution counts (replies, topics created, accepted answers, flags upheld) current
 * and recomputes the trust level (also after the API recorded visits and reads: never in a request), writing users.trust_level and `trust.changed` in the same transaction.
 * Counts are rebuilt from the database, so a repeated or reordered event changes nothing.
 */
export const updateTrust = defineHandler('trust.update', {
  queue: 'notify',
  async handle(event, deps) {
    const users = await affectedUsers(deps.db, event);
    if (users.length === 0) return 'skipped:no member to update';
    const now = deps.clock.now();
    // Reading stats are counted by the API as they happen; only contributions are rebuilt here.
    const contributions = event.type !== 'user.activity-recorded';
    for (const userId of users) {
      await deps.db.transaction(async (tx) => {
        if (contributions) await recountContributions(tx, userId, now);
        await recomputeTrustLevel(tx, userId, now);
      });
    }
    return 'done';
  },
});
