import { type Community, type CommunitySummary } from '@praxis/contracts';
import { communityReadableBy, and, asc, communities, desc, eq, gt, inArray, memberships, tags as tagsTable, users } from '@praxis/db';
import { can, type Viewer } from '@praxis/domain';
import type { Deps } from '../../context.js';
import { communityNotFound } from '../../policy.js';

export type CommunityRow = typeof communities.$inferSelect;

export async function findCommunityBySlug(deps: Deps, slug: string): Promise<CommunityRow> {
  const [row] = await deps.db.select().from(communities).where(eq(communities.slug, slug.toLowerCase())).limit(1);
  if (!row) throw communityNotFound(slug);
  return row;
}

export function summarize(row: CommunityRow, viewer: Viewer | null): CommunitySummary {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    description: row.description,
    visibility: row.visibility,
    memberCount: row.memberCount,
    threadCount: row.threadCount,
    viewerRole: viewer?.memberships.get(row.id) ?? null,
  };
}

export async function listCommunities(deps: Deps, viewer: Viewer | null): Promise<CommunitySummary[]> {
  const rows = await deps.db.select().from(communities).where(communityReadableBy(viewer)).orderBy(asc(communities.name));
  return rows.map((row) => summarize(row, viewer));
}

export async function presentCommunity(deps: Deps, row: CommunityRow, viewer: Viewer | null): Promise<Community> {
  const leaders = await deps.db
    .select({
      id: users.id,
      username: users.username,
      displayName: users.displayName,
      trustLevel: users.trustLevel,
      role: memberships.role,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.communityId, row.id), inArray(memberships.role, ['leader', 'moderator'])))
    .orderBy(asc(users.username));
  const tags = await deps.db
    .select({ name: tagsTable.name, threadCount: tagsTable.threadCount })
    .from(tagsTable)
    .where(and(eq(tagsTable.communityId, row.id), gt(tagsTable.threadCount, 0)))
    .orderBy(desc(tagsTable.threadCount), asc(tagsTable.name))
    .limit(20);
  return {
    ...summarize(row, viewer),
    charter: row.charter,
    charterHtml: row.charterHtml,
    charterRevision: row.charterRevision,
    holdFirstPosts: row.holdFirstPosts,
    leaders,
    tags,
    createdAt: row.createdAt.toISOString(),
    abilities: {
      edit: can(viewer, 'community.edit', row),
      join: can(viewer, 'community.join', row),
      leave: can(viewer, 'community.leave', row),
      post: can(viewer, 'thread.create', row),
      health: can(viewer, 'community.health.view', row),
      review: can(viewer, 'community.review', row),
      audit: can(viewer, 'community.audit', row),
    },
  };
}

/** The viewer's user row, reloaded after a change (undefined when the account is gone). */
export async function findUserRow(deps: Deps, id: number): Promise<typeof users.$inferSelect | undefined> {
  return deps.db.query.users.findFirst({ where: eq(users.id, id) });
}
