import { accessTokens, and, appendEvent, countVisit, eq, gt, isNull, loadViewer, sessions, users } from '@praxis/db';
import type { Viewer } from '@praxis/domain';
import type { Deps } from '../../context.js';

export type UserRow = typeof users.$inferSelect;

export function viewerForUser(deps: Deps, user: UserRow): Promise<Viewer> {
  return loadViewer(deps.db, user, deps.clock.now());
}

export async function userForSession(deps: Deps, tokenHash: string): Promise<UserRow | null> {
  const [row] = await deps.db
    .select({ user: users })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.id, tokenHash), gt(sessions.expiresAt, deps.clock.now())))
    .limit(1);
  return row?.user ?? null;
}

export async function userForAccessToken(deps: Deps, tokenHash: string): Promise<UserRow | null> {
  const [row] = await deps.db
    .select({ user: users, tokenId: accessTokens.id, lastUsedAt: accessTokens.lastUsedAt })
    .from(accessTokens)
    .innerJoin(users, eq(users.id, accessTokens.userId))
    .where(and(eq(accessTokens.tokenHash, tokenHash), isNull(accessTokens.revokedAt)))
    .limit(1);
  if (!row) return null;
  // "Last used" to the minute is enough; writing it on every request would make every read a write.
  const now = deps.clock.now();
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > 60_000) {
    await deps.db.update(accessTokens).set({ lastUsedAt: now }).where(eq(accessTokens.id, row.tokenId));
  }
  return row.user;
}

/** "Last seen" to the minute decides whether notifications are emailed; writing it on every request would make reads writes. */
export async function touchLastSeen(deps: Deps, user: UserRow): Promise<void> {
  const now = deps.clock.now();
  // Days visited (trust levels): the first request of each UTC day counts; the worker recomputes the level from the event.
  if (!user.lastSeenAt || user.lastSeenAt.toISOString().slice(0, 10) !== now.toISOString().slice(0, 10)) {
    await deps.db.transaction(async (tx) => {
      if (await countVisit(tx, user.id, now)) await appendEvent(tx, 'user.activity-recorded', user.id, { userId: user.id }, user.id);
    });
  }
  if (user.lastSeenAt && now.getTime() - user.lastSeenAt.getTime() < 60_000) return;
  await deps.db.update(users).set({ lastSeenAt: now }).where(eq(users.id, user.id));
}
