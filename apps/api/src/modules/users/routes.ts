import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AppError, Problem, UserParams, UserProfile } from '@praxis/contracts';
import { and, communities, desc, eq, gt, isNull, posts, sql, threads, users } from '@praxis/db';
import { excerpt } from '@praxis/domain';
import { readableCommunities } from '../communities/queries.js';
import { listThreads } from '../threads/queries.js';
import { participationOf } from '../members/queries.js';

export const userRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/users/:username', { schema: { tags: ['users'], summary: 'A member’s profile with their questions and answers', params: UserParams, response: { 200: UserProfile, '4xx': Problem } } }, async (request) => {
    const { db } = app.deps;
    const [user] = await db.select().from(users).where(sql`lower(${users.username}) = lower(${request.params.username})`).limit(1);
    if (!user) throw new AppError('NOT_FOUND', `No member "${request.params.username}"`);
    const visible = and(isNull(threads.deletedAt), readableCommunities(request.viewer));
    const answerRows = await db
      .select({ post: posts, thread: { id: threads.id, title: threads.title, solutionPostId: threads.solutionPostId }, communitySlug: communities.slug })
      .from(posts)
      .innerJoin(threads, eq(threads.id, posts.threadId))
      .innerJoin(communities, eq(communities.id, threads.communityId))
      .where(and(eq(posts.authorId, user.id), gt(posts.number, 1), isNull(posts.deletedAt), isNull(posts.hiddenAt), visible))
      .orderBy(desc(posts.createdAt))
      .limit(20);
    const countOf = async (query: Promise<{ n: number }[]>) => (await query)[0]?.n ?? 0;
    const n = sql<number>`count(*)::int`;
    const stats = {
      questions: await countOf(db.select({ n }).from(threads).innerJoin(communities, eq(communities.id, threads.communityId)).where(and(eq(threads.authorId, user.id), visible))),
      answers: await countOf(
        db
          .select({ n })
          .from(posts)
          .innerJoin(threads, eq(threads.id, posts.threadId))
          .innerJoin(communities, eq(communities.id, threads.communityId))
          .where(and(eq(posts.authorId, user.id), gt(posts.number, 1), isNull(posts.deletedAt), isNull(posts.hiddenAt), visible)),
      ),
      solutions: await countOf(
        db
          .select({ n })
          .from(posts)
          .innerJoin(threads, eq(threads.solutionPostId, posts.id))
          .innerJoin(communities, eq(communities.id, threads.communityId))
          .where(and(eq(posts.authorId, user.id), visible)),
      ),
    };
    const questions = await listThreads(app.deps, request.viewer, { author: user.username, limit: 20, sort: 'latest' });
    return {
      user: { id: user.id, username: user.username, displayName: user.displayName, trustLevel: user.trustLevel, createdAt: user.createdAt.toISOString(), role: user.role },
      stats,
      participation: await participationOf(app.deps, request.viewer, user.id),
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
  });
};
