import { accessTokens, and, countVisit, eq, gt, isNull, loadViewer, recomputeTrustLevel, recordThreadRead, sessions, users } from '@praxis/db';
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
  // Days visited (trust levels): the first request of each UTC day counts, then the level is recomputed.
  if (!user.lastSeenAt || user.lastSeenAt.toISOString().slice(0, 10) !== now.toISOString().slice(0, 10)) {
    await deps.db.transaction(async (tx) => {
      if (await countVisit(tx, user.id, now)) await recomputeTrustLevel(tx, user.id, now);
    });
  }
  if (user.lastSeenAt && now.getTime() - user.lastSeenAt.getTime() < 60_000) return;
  await deps.db.update(users).set({ lastSeenAt: now }).where(eq(users.id, user.id));
}

/** A signed-in thread read: counts a topic entered and the posts not seen before, then recomputes the trust level. */
export async function recordRead(deps: Deps, userId: number, threadId: number, highestNumber: number): Promise<void> {
  if (highestNumber < 1) return;
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    if (await recordThreadRead(tx, userId, threadId, highestNumber, now)) await recomputeTrustLevel(tx, userId, now);
  });
}
