import { and, eq, expertStats, inArray, posts, sql, threads, type Db, replyVisibleToAllAs, threadListedForAllAs } from '@praxis/db';
import { defineHandler, type EventsFor, type OneOf } from '../../dispatch.js';

/**
 * The answer counts behind expertise, per (member, community, tag), tag '' for the whole community:
 * visible replies in live questions, how many were accepted, their net score, the latest answer.
 * Rebuilt from the posts, never incremented, so a repeated or out-of-order event changes nothing.
 */
const answerStatsSelect = (where: ReturnType<typeof sql>) => sql`
  select p.author_id as user_id, t.community_id, tag,
         count(*)::int as answers,
         count(*) filter (where t.solution_post_id = p.id)::int as accepted,
         coalesce(sum(p.score), 0)::int as score,
         max(p.created_at) as last_answer_at
  from ${posts} p
  join ${threads} t on t.id = p.thread_id
  cross join lateral unnest(array['']::text[] || t.tags) as tag
  where ${replyVisibleToAllAs('p')} and p.author_id is not null
    and ${threadListedForAllAs('t')} and t.kind = 'question' and ${where}
  group by p.author_id, t.community_id, tag`;

const insertStats = (where: ReturnType<typeof sql>) => sql`
  insert into ${expertStats} (user_id, community_id, tag, answers, accepted, score, last_answer_at)
  ${answerStatsSelect(where)}`;

/** Refreshes and full rebuilds take turns, so a rebuild never deadlocks with a refresh of the same rows. */
const takeTurn = (tx: Db) => tx.execute(sql`select pg_advisory_xact_lock(727275)`);

/** Recomputes one member's expertise in one community. */
export async function refreshExpertStats(db: Db, userId: number, communityId: number): Promise<void> {
  await db.transaction(async (tx) => {
    await takeTurn(tx);
    await tx.delete(expertStats).where(and(eq(expertStats.userId, userId), eq(expertStats.communityId, communityId)));
    await tx.execute(insertStats(sql`p.author_id = ${userId} and t.community_id = ${communityId}`));
  });
}

/** Recomputes everyone's expertise (imported or seeded posts raise no events). */
export async function rebuildExpertStats(db: Db): Promise<void> {
  await db.transaction(async (tx) => {
    await takeTurn(tx);
    await tx.delete(expertStats);
    await tx.execute(insertStats(sql`true`));
  });
}

/** The (author, community) pairs of these posts. */
async function authorsOfPosts(db: Db, postIds: number[]): Promise<{ userId: number; communityId: number }[]> {
  if (postIds.length === 0) return [];
  const rows = await db
    .select({ userId: posts.authorId, communityId: threads.communityId })
    .from(posts)
    .innerJoin(threads, eq(threads.id, posts.threadId))
    .where(inArray(posts.id, postIds));
  return rows.filter((r): r is { userId: number; communityId: number } => r.userId !== null);
}

function postIdsOf(event: OneOf<EventsFor<'experts.update-stats'>>): number[] {
  if (event.type === 'solution.accepted')
    return [event.payload.postId, event.payload.previousPostId].filter((id): id is number => typeof id === 'number');
  return [event.payload.postId];
}

/** Answer, accept, vote, hide and delete events: refresh the expertise of the authors they touch. */
export const updateExpertStats = defineHandler('experts.update-stats', {
  queue: 'matching',
  async handle(event, deps) {
    const pairs = await authorsOfPosts(deps.db, postIdsOf(event));
    const unique = new Map(pairs.map((p) => [`${p.userId}:${p.communityId}`, p]));
    for (const pair of unique.values()) await refreshExpertStats(deps.db, pair.userId, pair.communityId);
    return unique.size > 0 ? 'done' : 'skipped:no author';
  },
});
