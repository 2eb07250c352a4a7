import type { Flag, ReviewQueue } from '@praxis/contracts';
import { desc, eq, flags, inArray, posts, sql, threads, users } from '@praxis/db';
import type { Deps } from '../../context.js';
import type { CommunityRow } from '../communities/queries.js';
import { decodeCursor, encodeCursor } from '../threads/cursor.js';
import { userBits } from '../threads/queries.js';

type UserBits = { id: number; username: string; displayName: string; trustLevel: number };
const summary = (u: UserBits | null) =>
  u && u.id !== null ? { id: u.id, username: u.username, displayName: u.displayName, trustLevel: u.trustLevel } : null;

/** Every flag on these posts (open and resolved), newest first. */
export async function flagsOfPosts(deps: Deps, postIds: number[]): Promise<Map<number, Flag[]>> {
  const out = new Map<number, Flag[]>();
  if (postIds.length === 0) return out;
  const rows = await deps.db
    .select({ flag: flags, flagger: userBits })
    .from(flags)
    .leftJoin(users, eq(users.id, flags.flaggerId))
    .where(inArray(flags.postId, postIds))
    .orderBy(desc(flags.createdAt), desc(flags.id));
  const resolverIds = [...new Set(rows.map((r) => r.flag.resolvedBy).filter((id): id is number => id !== null))];
  const resolvers = new Map(
    (resolverIds.length ? await deps.db.select(userBits).from(users).where(inArray(users.id, resolverIds)) : []).map((u) => [u.id, u]),
  );
  for (const r of rows) {
    const list = out.get(r.flag.postId) ?? [];
    list.push(presentFlag(r.flag, r.flagger, r.flag.resolvedBy !== null ? (resolvers.get(r.flag.resolvedBy) ?? null) : null));
    out.set(r.flag.postId, list);
  }
  return out;
}

export function presentFlag(flag: typeof flags.$inferSelect, flagger: UserBits | null, resolver: UserBits | null): Flag {
  return {
    id: flag.id,
    postId: flag.postId,
    reason: flag.reason,
    note: flag.note,
    status: flag.status,
    resolution: flag.resolution,
    flagger: summary(flagger),
    resolvedBy: summary(resolver),
    createdAt: flag.createdAt.toISOString(),
    resolvedAt: flag.resolvedAt?.toISOString() ?? null,
  };
}

/**
 * The community's review queue, newest first: posts with open flags (with their whole flag history) and
 * posts held for approval. Keyset-paginated on (queued at, post id).
 */
export async function getReviewQueue(
  deps: Deps,
  community: CommunityRow,
  page: { cursor?: string | undefined; limit?: number | undefined },
): Promise<ReviewQueue> {
  const limit = page.limit ?? 20;
  const cursor = decodeCursor(page.cursor, ['string', 'number']);
  const after = cursor ? sql`where (q.queued_at, q.post_id) < (${cursor[0]}::timestamptz, ${cursor[1]})` : sql``;
  const result = await deps.db.execute(sql`
    select q.post_id, q.queued_at, q.open_flags from (
      select post_id, max(queued_at) as queued_at, sum(open_flags)::int as open_flags from (
        select f.post_id, f.created_at as queued_at, 1 as open_flags from ${flags} f
          where f.community_id = ${community.id} and f.status = 'open'
        union all
        select p.id, p.held_at, 0 from ${posts} p join ${threads} t on t.id = p.thread_id
          where t.community_id = ${community.id} and p.held_at is not null and p.deleted_at is null and t.deleted_at is null
      ) u group by post_id
    ) q ${after}
    order by q.queued_at desc, q.post_id desc
    limit ${limit + 1}`);
  const rows = ((result as unknown as { rows: { post_id: number; queued_at: string | Date; open_flags: number }[] }).rows ?? []).map(
    (r) => ({
      postId: Number(r.post_id),
      queuedAt: new Date(r.queued_at),
      openFlags: Number(r.open_flags),
    }),
  );
  const pageRows = rows.slice(0, limit);
  const ids = pageRows.map((r) => r.postId);
  const details = ids.length
    ? await deps.db
        .select({
          post: posts,
          thread: { id: threads.id, title: threads.title },
          author: { ...userBits, suspendedUntil: users.suspendedUntil },
        })
        .from(posts)
        .innerJoin(threads, eq(threads.id, posts.threadId))
        .leftJoin(users, eq(users.id, posts.authorId))
        .where(inArray(posts.id, ids))
    : [];
  const byId = new Map(details.map((d) => [d.post.id, d]));
  const history = await flagsOfPosts(deps, ids);
  const now = deps.clock.now();
  const items = pageRows.flatMap((r) => {
    const d = byId.get(r.postId);
    if (!d) return [];
    const author =
      d.author && d.author.id !== null
        ? {
            ...summary(d.author)!,
            suspendedUntil: d.author.suspendedUntil && d.author.suspendedUntil > now ? d.author.suspendedUntil.toISOString() : null,
          }
        : null;
    return [
      {
        post: {
          id: d.post.id,
          number: d.post.number,
          author,
          html: d.post.html,
          createdAt: d.post.createdAt.toISOString(),
          held: d.post.heldAt !== null,
          hidden: d.post.hiddenAt !== null,
        },
        thread: d.thread,
        openFlags: r.openFlags,
        flags: history.get(r.postId) ?? [],
        queuedAt: r.queuedAt.toISOString(),
      },
    ];
  });
  const last = pageRows.at(-1);
  return {
    community: { slug: community.slug, name: community.name },
    items,
    nextCursor: rows.length > limit && last ? encodeCursor([last.queuedAt.toISOString(), last.postId]) : null,
  };
}

/** The full user row (undefined when the account is gone). */
export async function findUserById(deps: Deps, id: number): Promise<typeof users.$inferSelect | undefined> {
  const [row] = await deps.db.select().from(users).where(eq(users.id, id));
  return row;
}
