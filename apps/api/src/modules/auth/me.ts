import type { Me } from '@praxis/contracts';
import { communities, eq, memberships } from '@praxis/db';
import type { Deps } from '../../context.js';
import type { UserRow } from './load-viewer.js';

export async function presentMe(deps: Deps, user: UserRow): Promise<Me> {
  const rows = await deps.db
    .select({ communityId: communities.id, slug: communities.slug, name: communities.name, role: memberships.role })
    .from(memberships)
    .innerJoin(communities, eq(communities.id, memberships.communityId))
    .where(eq(memberships.userId, user.id))
    .orderBy(communities.name);
  return {
    id: user.id,
    username: user.username,
    email: user.email,
    displayName: user.displayName,
    role: user.role,
    trustLevel: user.trustLevel,
    suspendedUntil: user.suspendedUntil?.toISOString() ?? null,
    createdAt: user.createdAt.toISOString(),
    memberships: rows,
  };
}
