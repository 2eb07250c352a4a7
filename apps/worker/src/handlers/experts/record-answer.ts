import { and, eq, expertMatches, inArray, matchRequests, posts, sql, threads } from '@praxis/db';
import { defineHandler } from '../../dispatch.js';

/**
 * Outcomes that feed back into matching: an answer ends the question's ladder and marks the
 * answering expert's match answered; an accepted answer marks it accepted.
 */
export const recordAnswer = defineHandler('experts.record-answer', {
  queue: 'matching',
  async handle(event, deps) {
    const { threadId, postId } = event.payload;
    const accepted = event.type === 'solution.accepted';
    const matchStates = accepted ? (['notified', 'seen', 'expired', 'answered'] as const) : (['notified', 'seen', 'expired'] as const);
    // Most answers are to questions nobody was matched to: then there is nothing to record (one query, no transaction).
    const [row] = await deps.db
      .select({
        authorId: posts.authorId,
        createdAt: posts.createdAt,
        askerId: threads.authorId,
        pending: sql<boolean>`(exists (select 1 from ${matchRequests} where ${matchRequests.threadId} = ${threadId} and ${matchRequests.state} = 'open')
          or exists (select 1 from ${expertMatches} where ${expertMatches.threadId} = ${threadId} and ${expertMatches.expertId} = ${posts.authorId}
            and ${inArray(expertMatches.state, matchStates)}))`,
      })
      .from(posts)
      .innerJoin(threads, eq(threads.id, posts.threadId))
      .where(eq(posts.id, postId));
    if (!row || row.authorId === null || row.authorId === row.askerId) return 'skipped:not an answer by someone else';
    if (!row.pending) return 'skipped:no open match request or match to record';
    const now = deps.clock.now();
    await deps.db.transaction(async (tx) => {
      await tx
        .update(matchRequests)
        .set({ state: 'answered', nextEscalationAt: null, updatedAt: now })
        .where(and(eq(matchRequests.threadId, threadId), eq(matchRequests.state, 'open')));
      await tx
        .update(expertMatches)
        .set(accepted ? { state: 'accepted' } : { state: 'answered', respondedAt: row.createdAt })
        .where(
          and(eq(expertMatches.threadId, threadId), eq(expertMatches.expertId, row.authorId!), inArray(expertMatches.state, matchStates)),
        );
    });
    return 'done';
  },
});
