import { and, eq, expertMatches, inArray, matchRequests, posts, threads } from '@praxis/db';
import { defineHandler } from '../../dispatch.js';

/**
 * Outcomes that feed back into matching: an answer ends the question's ladder and marks the
 * answering expert's match answered; an accepted answer marks it accepted.
 */
export const recordAnswer = defineHandler('experts.record-answer', {
  queue: 'matching',
  async handle(event, deps) {
    const { threadId, postId } = event.payload;
    const [row] = await deps.db
      .select({ authorId: posts.authorId, createdAt: posts.createdAt, askerId: threads.authorId })
      .from(posts)
      .innerJoin(threads, eq(threads.id, posts.threadId))
      .where(eq(posts.id, postId));
    if (!row || row.authorId === null || row.authorId === row.askerId) return 'skipped:not an answer by someone else';
    const now = deps.clock.now();
    const accepted = event.type === 'solution.accepted';
    await deps.db.transaction(async (tx) => {
      await tx
        .update(matchRequests)
        .set({ state: 'answered', nextEscalationAt: null, updatedAt: now })
        .where(and(eq(matchRequests.threadId, threadId), eq(matchRequests.state, 'open')));
      await tx
        .update(expertMatches)
        .set(accepted ? { state: 'accepted' } : { state: 'answered', respondedAt: row.createdAt })
        .where(
          and(
            eq(expertMatches.threadId, threadId),
            eq(expertMatches.expertId, row.authorId!),
            inArray(expertMatches.state, accepted ? ['notified', 'seen', 'expired', 'answered'] : ['notified', 'seen', 'expired']),
          ),
        );
    });
    return 'done';
  },
});
