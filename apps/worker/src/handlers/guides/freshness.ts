import { and, appendEvent, eq, guides, guideSimilarQuestions, isNotNull, lte, or, sql, threads, type Db } from '@praxis/db';
import { GUIDE_SIMILAR_QUESTIONS_THRESHOLD } from '@praxis/domain';
import type { SearchIndex } from '@praxis/search';
import { defineHandler } from '../../dispatch.js';

/**
 * Published guides whose review date has passed and whose owner was not yet asked for this due date:
 * one 'guide.review-requested' (reason 'due') each, marked in the same transaction.
 */
export async function requestDueReviews(deps: { db: Db; clock: { now(): Date } }, batchSize = 100): Promise<number> {
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const due = await tx
      .select({ id: guides.id, ownerId: guides.ownerId })
      .from(guides)
      .where(
        and(
          eq(guides.status, 'published'),
          sql`${guides.deletedAt} is null`,
          isNotNull(guides.ownerId),
          lte(guides.reviewDueAt, now),
          or(sql`${guides.reviewRequestedAt} is null`, sql`${guides.reviewRequestedAt} < ${guides.reviewDueAt}`),
        ),
      )
      .limit(batchSize)
      .for('update', { skipLocked: true });
    for (const g of due) {
      await tx.update(guides).set({ reviewRequestedAt: now }).where(eq(guides.id, g.id));
      await appendEvent(tx, 'guide.review-requested', g.id, { guideId: g.id, ownerId: g.ownerId!, reason: 'due' }, null);
    }
    return due.length;
  });
}

/**
 * A new question close to a published guide counts against the guide's freshness: the first time the
 * count reaches the threshold since the last verification, the owner is asked to look. Only the closest
 * guide in the question's community counts; a retried job counts a question once (one row per pair).
 */
export async function countSimilarQuestion(
  deps: { db: Db; guideSearch?: SearchIndex | undefined },
  threadId: number,
): Promise<'counted' | 'requested' | 'none'> {
  if (!deps.guideSearch) return 'none';
  const [thread] = await deps.db.select().from(threads).where(eq(threads.id, threadId));
  if (!thread || thread.kind !== 'question' || thread.deletedAt !== null) return 'none';
  const [hit] = await deps.guideSearch.similar({
    title: thread.title,
    readableCommunityIds: [thread.communityId],
    communityId: thread.communityId,
    limit: 1,
  });
  if (!hit) return 'none';
  return deps.db.transaction(async (tx) => {
    const [inserted] = await tx.insert(guideSimilarQuestions).values({ guideId: hit.id, threadId }).onConflictDoNothing().returning();
    if (!inserted) return 'none';
    const [g] = await tx
      .update(guides)
      .set({ similarQuestionsSinceVerified: sql`${guides.similarQuestionsSinceVerified} + 1` })
      .where(and(eq(guides.id, hit.id), eq(guides.status, 'published')))
      .returning({ id: guides.id, ownerId: guides.ownerId, count: guides.similarQuestionsSinceVerified });
    if (!g) return 'none';
    if (g.count === GUIDE_SIMILAR_QUESTIONS_THRESHOLD && g.ownerId !== null) {
      await appendEvent(tx, 'guide.review-requested', g.id, { guideId: g.id, ownerId: g.ownerId, reason: 'similar_questions' }, null);
      return 'requested';
    }
    return 'counted';
  });
}

export const countSimilarQuestions = defineHandler('guides.count-similar', {
  queue: 'matching',
  async handle(event, deps) {
    const { threadId } = event.payload;
    const result = await countSimilarQuestion(deps, threadId);
    return result === 'none' ? 'skipped:no similar guide' : 'done';
  },
});
