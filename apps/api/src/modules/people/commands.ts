import { AppError } from '@praxis/contracts';
import { and, appendEvent, communities, eq, memberships, sql, users } from '@praxis/db';
import type { GlobalRole, MembershipRole, Viewer } from '@praxis/domain';
import type { Deps } from '../../context.js';
import type { CommunityRow } from '../communities/queries.js';
import { writeAudit } from '../moderation/audit.js';

type Tx = Deps['db'];
export type UserRow = typeof users.$inferSelect;

/** Suspends a member until a date: they keep reading, every write is refused with the reason. Runs inside the caller's transaction. */
export async function suspendInTx(
  tx: Tx,
  actor: Viewer,
  user: Pick<UserRow, 'id'>,
  input: { until: Date; reason: string; communityId: number | null; postId?: number },
  now: Date,
): Promise<void> {
  await tx.update(users).set({ suspendedUntil: input.until, suspendReason: input.reason }).where(eq(users.id, user.id));
  await appendEvent(
    tx,
    'user.suspended',
    user.id,
    { userId: user.id, by: actor.id, until: input.until.toISOString(), reason: input.reason },
    actor.id,
  );
  await writeAudit(
    tx,
    {
      actorId: actor.id,
      action: 'user.suspend',
      subjectType: 'user',
      subjectId: user.id,
      communityId: input.communityId,
      details: { until: input.until.toISOString(), reason: input.reason, ...(input.postId && { postId: input.postId }) },
    },
    now,
  );
}

export async function suspendUser(deps: Deps, actor: Viewer, user: UserRow, input: { until: Date; reason: string }): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction((tx) => suspendInTx(tx, actor, user, { ...input, communityId: null }, now));
}

export async function unsuspendUser(deps: Deps, actor: Viewer, user: UserRow): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    await tx.update(users).set({ suspendedUntil: null, suspendReason: null }).where(eq(users.id, user.id));
    await appendEvent(tx, 'user.suspended', user.id, { userId: user.id, by: actor.id, until: null, reason: '' }, actor.id);
    await writeAudit(
      tx,
      {
        actorId: actor.id,
        action: 'user.unsuspend',
        subjectType: 'user',
        subjectId: user.id,
        communityId: null,
        details: { previousUntil: user.suspendedUntil?.toISOString() ?? null },
      },
      now,
    );
  });
}

export async function setSiteRole(deps: Deps, actor: Viewer, user: UserRow, role: GlobalRole): Promise<void> {
  if (user.role === role) return;
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    await tx.update(users).set({ role }).where(eq(users.id, user.id));
    await appendEvent(tx, 'user.role-changed', user.id, { userId: user.id, by: actor.id, role }, actor.id);
    await writeAudit(
      tx,
      {
        actorId: actor.id,
        action: 'user.role',
        subjectType: 'user',
        subjectId: user.id,
        communityId: null,
        details: { from: user.role, to: role },
      },
      now,
    );
  });
}

/** Sets a member's role in a community; making a non-member a leader or moderator makes them a member too. */
export async function setCommunityRole(
  deps: Deps,
  actor: Viewer,
  community: CommunityRow,
  user: UserRow,
  role: MembershipRole,
): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    const [current] = await tx
      .select({ role: memberships.role })
      .from(memberships)
      .where(and(eq(memberships.communityId, community.id), eq(memberships.userId, user.id)))
      .for('update');
    if (current?.role === role) return;
    if (!current) {
      if (role === 'member') throw new AppError('NOT_A_MEMBER', `${user.username} is not a member of ${community.name}`);
      await tx.insert(memberships).values({ communityId: community.id, userId: user.id, role });
      await tx
        .update(communities)
        .set({ memberCount: sql`${communities.memberCount} + 1` })
        .where(eq(communities.id, community.id));
    } else {
      await tx
        .update(memberships)
        .set({ role })
        .where(and(eq(memberships.communityId, community.id), eq(memberships.userId, user.id)));
    }
    await appendEvent(tx, 'user.role-changed', user.id, { userId: user.id, by: actor.id, role, communityId: community.id }, actor.id);
    await writeAudit(
      tx,
      {
        actorId: actor.id,
        action: 'member.role',
        subjectType: 'user',
        subjectId: user.id,
        communityId: community.id,
        details: { from: current?.role ?? null, to: role },
      },
      now,
    );
  });
}
