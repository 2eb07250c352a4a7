import { hash, verify } from '@node-rs/argon2';
import { AppError, type LoginBody, type RegisterBody, type TokenCreateBody } from '@praxis/contracts';
import { grantableScopes, type GlobalRole, type TokenScope } from '@praxis/domain';
import { accessTokens, and, appendEvent, eq, gt, isNull, lt, or, sessions, sql, users } from '@praxis/db';
import type { Deps } from '../../context.js';
import type { UserRow } from './load-viewer.js';
import { accountKey, type LoginThrottle } from './login-throttle.js';
import { hashToken, newToken } from './tokens.js';

// OWASP's argon2id baseline: 19 MiB, 2 iterations, 1 lane.
const ARGON2 = { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export const hashPassword = (password: string) => hash(password, ARGON2);

const isUniqueViolation = (err: unknown): err is { constraint?: string } =>
  typeof err === 'object' &&
  err !== null &&
  ((err as { code?: string }).code === '23505' || (err as { cause?: { code?: string } }).cause?.code === '23505');

function constraintOf(err: unknown): string {
  const e = err as { constraint?: string; cause?: { constraint?: string }; message?: string };
  return e.constraint ?? e.cause?.constraint ?? e.message ?? '';
}

export async function registerUser(deps: Deps, input: RegisterBody, role: UserRow['role'] = 'member'): Promise<UserRow> {
  const passwordHash = await hashPassword(input.password);
  const taken = await deps.db
    .select({ username: users.username, email: users.email })
    .from(users)
    .where(or(sql`lower(${users.username}) = lower(${input.username})`, sql`lower(${users.email}) = lower(${input.email})`));
  if (taken.some((u) => u.username.toLowerCase() === input.username.toLowerCase()))
    throw new AppError('USERNAME_TAKEN', `The username "${input.username}" is taken`, { username: 'is taken' });
  if (taken.length > 0) throw new AppError('EMAIL_TAKEN', undefined, { email: 'already has an account' });
  try {
    return await deps.db.transaction(async (tx) => {
      const [user] = await tx
        .insert(users)
        .values({ username: input.username, email: input.email, displayName: input.displayName ?? input.username, passwordHash, role })
        .returning();
      if (!user) throw new Error('insert returned no row');
      await appendEvent(tx, 'user.registered', user.id, { userId: user.id }, user.id);
      return user;
    });
  } catch (err) {
    if (isUniqueViolation(err)) {
      throw constraintOf(err).includes('email') ? new AppError('EMAIL_TAKEN') : new AppError('USERNAME_TAKEN');
    }
    throw err;
  }
}

// Verifying against a fixed hash when the user does not exist keeps the response time from telling who has an account.
let decoyHash: Promise<string> | undefined;

/**
 * Checks a password. The account's throttle is asked first, before the password is verified: while its delay
 * runs even the right password is refused, so guessing from many addresses gains nothing.
 */
export async function authenticate(deps: Deps, input: LoginBody, throttle: LoginThrottle): Promise<UserRow> {
  const [user] = await deps.db
    .select()
    .from(users)
    .where(or(sql`lower(${users.username}) = lower(${input.login})`, sql`lower(${users.email}) = lower(${input.login})`))
    .limit(1);
  const account = accountKey(user?.id ?? null, input.login);
  await throttle.check(account, deps.clock.now());
  decoyHash ??= hashPassword('not-a-real-password');
  const ok = await verify(user?.passwordHash ?? (await decoyHash), input.password).catch(() => false);
  if (!user || !user.passwordHash || !ok) {
    await throttle.failed(account, deps.clock.now());
    throw new AppError('INVALID_CREDENTIALS');
  }
  await throttle.succeeded(account);
  return user;
}

export async function startSession(
  deps: Deps,
  userId: number,
  ttlDays: number,
  meta: { ip: string; userAgent: string | undefined },
): Promise<{ token: string; expiresAt: Date }> {
  const token = newToken('pxs');
  const now = deps.clock.now();
  const expiresAt = new Date(now.getTime() + ttlDays * 86_400_000);
  await deps.db.delete(sessions).where(and(eq(sessions.userId, userId), lt(sessions.expiresAt, now)));
  await deps.db
    .insert(sessions)
    .values({ id: hashToken(token), userId, expiresAt, ip: meta.ip, userAgent: meta.userAgent?.slice(0, 300) ?? null });
  await deps.db.update(users).set({ lastSeenAt: now }).where(eq(users.id, userId));
  return { token, expiresAt };
}

/** Ends one session, or every session of its user; the outbox event closes their live connections on every API node. */
export async function endSession(deps: Deps, tokenHash: string, scope: 'this' | 'all' = 'this'): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const [session] = await tx.delete(sessions).where(eq(sessions.id, tokenHash)).returning({ userId: sessions.userId });
    if (!session) return;
    if (scope === 'all') await tx.delete(sessions).where(eq(sessions.userId, session.userId));
    await appendEvent(tx, 'session.ended', session.userId, { userId: session.userId, allSessions: scope === 'all' }, session.userId);
  });
}

type TokenRow = typeof accessTokens.$inferSelect;

const presentToken = (r: TokenRow) => ({
  id: r.id,
  name: r.name,
  scopes: r.scopes as TokenScope[],
  createdAt: r.createdAt.toISOString(),
  expiresAt: r.expiresAt?.toISOString() ?? null,
  lastUsedAt: r.lastUsedAt?.toISOString() ?? null,
});

export async function createAccessToken(deps: Deps, user: { id: number; role: GlobalRole }, input: TokenCreateBody) {
  const scopes: TokenScope[] = [...new Set(input.scopes ?? (['read', 'write'] as const))];
  const grantable = grantableScopes(user.role);
  const refused = scopes.filter((scope) => !grantable.includes(scope));
  if (refused.length > 0)
    throw new AppError('FORBIDDEN', `Only site staff may create tokens with the ${refused.map((s) => `"${s}"`).join(', ')} scope`, {
      scopes: `may only contain ${grantable.join(', ')}`,
    });
  if (!scopes.includes('read'))
    throw new AppError('VALIDATION_FAILED', 'A token needs the "read" scope: every other scope builds on it', {
      scopes: 'must include read',
    });
  const expiresAt = input.expiresInDays ? new Date(deps.clock.now().getTime() + input.expiresInDays * 86_400_000) : null;
  const token = newToken('pxt');
  const [row] = await deps.db
    .insert(accessTokens)
    .values({ userId: user.id, name: input.name, tokenHash: hashToken(token), scopes, expiresAt })
    .returning();
  if (!row) throw new Error('insert returned no row');
  return { ...presentToken(row), token };
}

/** Tokens still usable (not revoked, not expired), with when each was last used. */
export async function listAccessTokens(deps: Deps, userId: number) {
  const rows = await deps.db
    .select()
    .from(accessTokens)
    .where(
      and(
        eq(accessTokens.userId, userId),
        isNull(accessTokens.revokedAt),
        or(isNull(accessTokens.expiresAt), gt(accessTokens.expiresAt, deps.clock.now())),
      ),
    )
    .orderBy(accessTokens.id);
  return rows.map(presentToken);
}

export async function revokeAccessToken(deps: Deps, userId: number, tokenId: number): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const revoked = await tx
      .update(accessTokens)
      .set({ revokedAt: deps.clock.now() })
      .where(and(eq(accessTokens.id, tokenId), eq(accessTokens.userId, userId), isNull(accessTokens.revokedAt)))
      .returning({ id: accessTokens.id });
    if (revoked.length === 0) throw new AppError('NOT_FOUND', 'No such token');
    await appendEvent(tx, 'token.revoked', userId, { userId, tokenId }, userId);
  });
}
