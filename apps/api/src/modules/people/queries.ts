import { AppError, type UserModeration } from '@praxis/contracts';
import { asc, communities, memberships, sql, users } from '@praxis/db';
import { can, type UserRef, type Viewer } from '@praxis/domain';
import type { Deps } from '../../context.js';
import type { UserRow } from './commands.js';

export async function findUser(deps: Deps, username: string): Promise<UserRow> {
  const [user] = await deps.db
    .select()
    .from(users)
    .where(sql`lower(${users.username}) = lower(${username})`)
    .limit(1);
  if (!user) throw new AppError('NOT_FOUND', `No member "${username}"`);
  return user;
}

export const userRef = (user: Pick<UserRow, 'id' | 'role'>): UserRef => ({ id: user.id, role: user.role });

/** What the viewer may do to this member (role, suspension, community roles) and the state it acts on. */
export async function presentUserModeration(deps: Deps, viewer: Viewer | null, user: UserRow): Promise<UserModeration> {
  const ref = userRef(user);
  const assignCommunityRoles = can(viewer, 'community.role.assign', { id: 0, visibility: 'public' });
  const abilities = {
    assignRole: can(viewer, 'user.role.assign', ref),
    suspend: can(viewer, 'user.suspend', { user: ref, community: null }),
    unsuspend: can(viewer, 'user.unsuspend', { user: ref, community: null }),
    assignCommunityRoles,
  };
  if (!abilities.assignRole && !abilities.suspend && !abilities.unsuspend && !assignCommunityRoles) throw new AppError('FORBIDDEN');
  const rows = assignCommunityRoles
    ? await deps.db
        .select({ slug: communities.slug, name: communities.name, role: memberships.role })
        .from(communities)
        .leftJoin(memberships, sql`${memberships.communityId} = ${communities.id} and ${memberships.userId} = ${user.id}`)
        .orderBy(asc(communities.name))
    : [];
  const suspended = user.suspendedUntil !== null && user.suspendedUntil > deps.clock.now();
  return {
    user: {
      id: user.id,
      username: user.username,
      displayName: user.displayName,
      trustLevel: user.trustLevel,
      role: user.role,
      suspendedUntil: suspended ? user.suspendedUntil!.toISOString() : null,
      suspendReason: suspended ? user.suspendReason : null,
    },
    memberships: rows.map((r) => ({ slug: r.slug, name: r.name, role: r.role ?? null })),
    abilities,
  };
}
