import type { MemberList } from '@praxis/contracts';
import { communityReadableBy, and, asc, communities, desc, eq, memberships, participation, sql, users } from '@praxis/db';
import { participationLevels, type ParticipationLevel, type Viewer } from '@praxis/domain';
import type { Deps } from '../../context.js';
import { decodeCursor, encodeCursor } from '../threads/cursor.js';

/** Leader first … newcomer, then members whose level is not computed yet (-1). */
const levelRank = sql<number>`(case ${participation.level} ${sql.raw(participationLevels.map((l, i) => `when '${l}' then ${i}`).join(' '))} else -1 end)`;

const figure = (name: string) => sql<number>`coalesce((${participation.figures} ->> ${name})::int, 0)`;

/** A community's members with their role and participation level, highest level first. */
export async function listMembers(
  deps: Deps,
  community: { id: number; slug: string; name: string },
  query: { level?: ParticipationLevel | undefined; cursor?: string | undefined; limit?: number | undefined },
): Promise<MemberList> {
  const limit = query.limit ?? 30;
  const cursor = decodeCursor(query.cursor, ['number', 'number']);
  const rows = await deps.db
    .select({
      user: { id: users.id, username: users.username, displayName: users.displayName, trustLevel: users.trustLevel },
      role: memberships.role,
      joinedAt: memberships.createdAt,
      level: participation.level,
      since: participation.since,
      rank: levelRank,
      answers: figure('answers'),
      accepted: figure('accepted'),
      questions: figure('questions'),
      daysActive: figure('daysActive'),
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .leftJoin(participation, and(eq(participation.communityId, memberships.communityId), eq(participation.userId, memberships.userId)))
    .where(
      and(
        eq(memberships.communityId, community.id),
        query.level ? eq(participation.level, query.level) : undefined,
        cursor ? sql`(${levelRank} < ${cursor[0]} or (${levelRank} = ${cursor[0]} and ${users.id} > ${cursor[1]}))` : undefined,
      ),
    )
    .orderBy(desc(levelRank), asc(users.id))
    .limit(limit + 1);
  const counts = await deps.db
    .select({ level: participation.level, n: sql<number>`count(*)::int` })
    .from(participation)
    .innerJoin(memberships, and(eq(memberships.communityId, participation.communityId), eq(memberships.userId, participation.userId)))
    .where(eq(participation.communityId, community.id))
    .groupBy(participation.level);
  const levels = Object.fromEntries(participationLevels.map((l) => [l, 0])) as Record<ParticipationLevel, number>;
  for (const c of counts) levels[c.level] = c.n;
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    community: { slug: community.slug, name: community.name },
    levels,
    items: page.map((r) => ({
      user: r.user,
      role: r.role,
      joinedAt: r.joinedAt.toISOString(),
      level: r.level,
      levelSince: r.since?.toISOString() ?? null,
      figures: { answers: r.answers, accepted: r.accepted, questions: r.questions, daysActive: r.daysActive },
    })),
    nextCursor: rows.length > limit && last ? encodeCursor([last.rank, last.user.id]) : null,
  };
}

/** A member's level in each community the viewer can see, highest first (for the profile). */
export async function participationOf(deps: Deps, viewer: Viewer | null, userId: number) {
  const rows = await deps.db
    .select({ slug: communities.slug, name: communities.name, level: participation.level, since: participation.since, rank: levelRank })
    .from(participation)
    .innerJoin(communities, eq(communities.id, participation.communityId))
    .innerJoin(memberships, and(eq(memberships.communityId, participation.communityId), eq(memberships.userId, participation.userId)))
    .where(and(eq(participation.userId, userId), communityReadableBy(viewer)))
    .orderBy(desc(levelRank), asc(communities.name));
  return rows.map((r) => ({ community: { slug: r.slug, name: r.name }, level: r.level, since: r.since.toISOString() }));
}
