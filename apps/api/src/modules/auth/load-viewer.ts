import { accessTokens, and, eq, gt, isNull, loadViewer, or, sessions, users } from '@praxis/db';
import type { Viewer } from '@praxis/domain';
import type { Deps } from '../../context.js';

export type UserRow = typeof users.$inferSelect;

export function viewerForUser(deps: Deps, user: UserRow): Promise<Viewer> {
  return loadViewer(deps.db, user, deps.clock.now());
}

export async function userForSession(deps: Deps, tokenHash: string): Promise<UserRow | null> {
  return (await sessionFor(deps, tokenHash))?.user ?? null;
}

/** A live session's user and when the session ends. */
export async function sessionFor(deps: Deps, tokenHash: string): Promise<{ user: UserRow; expiresAt: Date } | null> {
  const [row] = await deps.db
    .select({ user: users, expiresAt: sessions.expiresAt })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.id, tokenHash), gt(sessions.expiresAt, deps.clock.now())))
    .limit(1);
  return row ?? null;
}

/** When a session ends by itself (null when it already has, or never existed). */
export async function sessionExpiresAt(deps: Deps, tokenHash: string): Promise<Date | null> {
  const [row] = await deps.db.select({ expiresAt: sessions.expiresAt }).from(sessions).where(eq(sessions.id, tokenHash)).limit(1);
  return row?.expiresAt ?? null;
}

/** A personal access token that is still valid: what it lets its holder do and whose it is. */
export interface AccessTokenGrant {
  id: number;
  scopes: string[];
  expiresAt: Date | null;
}

/** The user and grant of a token by its hash (a request) or id (an open live connection); null once revoked or expired. */
export async function accessTokenFor(
  deps: Deps,
  token: { hash: string } | { id: number },
): Promise<{ user: UserRow; grant: AccessTokenGrant & { lastUsedAt: Date | null } } | null> {
  const now = deps.clock.now();
  const [row] = await deps.db
    .select({
      user: users,
      tokenId: accessTokens.id,
      scopes: accessTokens.scopes,
      expiresAt: accessTokens.expiresAt,
      lastUsedAt: accessTokens.lastUsedAt,
    })
    .from(accessTokens)
    .innerJoin(users, eq(users.id, accessTokens.userId))
    .where(
      and(
        'hash' in token ? eq(accessTokens.tokenHash, token.hash) : eq(accessTokens.id, token.id),
        isNull(accessTokens.revokedAt),
        or(isNull(accessTokens.expiresAt), gt(accessTokens.expiresAt, now)),
      ),
    )
    .limit(1);
  if (!row) return null;
  const grant = { id: row.tokenId, scopes: row.scopes, expiresAt: row.expiresAt, lastUsedAt: row.lastUsedAt };
  await touchTokenUse(deps, grant);
  return { user: row.user, grant };
}

/** "Last used" to the minute is enough; writing it on every request would make every read a write. */
export async function touchTokenUse(deps: Deps, grant: { id: number; lastUsedAt: Date | null }): Promise<void> {
  const now = deps.clock.now();
  if (grant.lastUsedAt && now.getTime() - grant.lastUsedAt.getTime() <= 60_000) return;
  await deps.db.update(accessTokens).set({ lastUsedAt: now }).where(eq(accessTokens.id, grant.id));
  grant.lastUsedAt = now;
}
