import { AppError, type UserProfile } from '@praxis/contracts';
import { and, communities, desc, eq, gt, postVisibleTo, posts, sql, threadListableBy, threads, users } from '@praxis/db';
import { excerpt, type Viewer } from '@praxis/domain';
import type { Deps } from '../../context.js';
import { participationOf } from '../members/queries.js';
import { listThreads } from '../threads/queries.js';

/** A member's profile as this viewer may see it: their questions, answers and counts, from posts and threads the viewer may see. */
export async function loadUserProfile(deps: Deps, viewer: Viewer | null, username: string): Promise<UserProfile> {
  const { db } = deps;
  const [user] = await db
    .select()
    .from(users)
    .where(sql`lower(${users.username}) = lower(${username})`)
    .limit(1);
  if (!user) throw new AppError('NOT_FOUND', `No member "${username}"`);
  const answersBy = and(eq(posts.authorId, user.id), gt(posts.number, 1), postVisibleTo(viewer));
  const answerRows = await db
    .select({
      post: posts,
      thread: { id: threads.id, title: threads.title, solutionPostId: threads.solutionPostId },
      communitySlug: communities.slug,
    })
    .from(posts)
    .innerJoin(threads, eq(threads.id, posts.threadId))
    .innerJoin(communities, eq(communities.id, threads.communityId))
    .where(answersBy)
    .orderBy(desc(posts.createdAt))
    .limit(20);
  const countOf = async (query: Promise<{ n: number }[]>) => (await query)[0]?.n ?? 0;
  const n = sql<number>`count(*)::int`;
  const stats = {
    questions: await countOf(
      db
        .select({ n })
        .from(threads)
        .innerJoin(communities, eq(communities.id, threads.communityId))
        .where(and(eq(threads.authorId, user.id), threadListableBy(viewer))),
    ),
    answers: await countOf(
      db
        .select({ n })
        .from(posts)
        .innerJoin(threads, eq(threads.id, posts.threadId))
        .innerJoin(communities, eq(communities.id, threads.communityId))
        .where(answersBy),
    ),
    solutions: await countOf(
      db
        .select({ n })
        .from(posts)
        .innerJoin(threads, eq(threads.solutionPostId, posts.id))
        .innerJoin(communities, eq(communities.id, threads.communityId))
        .where(and(eq(posts.authorId, user.id), postVisibleTo(viewer))),
    ),
  };
  const questions = await listThreads(deps, viewer, { author: user.username, limit: 20, sort: 'latest' });
  return {
    user: {
      id: user.id,
      username: user.username,
      displayName: user.displayName,
      trustLevel: user.trustLevel,
      createdAt: user.createdAt.toISOString(),
      role: user.role,
    },
    stats,
    participation: await participationOf(deps, viewer, user.id),
    questions: questions.items,
    answers: answerRows.map((r) => ({
      postId: r.post.id,
      thread: { id: r.thread.id, title: r.thread.title, communitySlug: r.communitySlug },
      excerpt: excerpt(r.post.body),
      score: r.post.score,
      isSolution: r.thread.solutionPostId === r.post.id,
      createdAt: r.post.createdAt.toISOString(),
    })),
  };
}
