import { viewerThroughToken, type Viewer } from '@praxis/domain';
import type { Deps } from '../context.js';
import { accessTokenFor, sessionExpiresAt, userForSession, viewerForUser, type AccessTokenGrant } from '../modules/auth/load-viewer.js';
import { hashToken } from '../modules/auth/tokens.js';

/**
 * What a live connection was opened with. Kept instead of the viewer it gave at the handshake: every join and
 * every access change resolves it again, so a connection never outlives its session or token, nor keeps rights
 * its user lost since.
 */
export type LiveCredential = { kind: 'session'; sessionId: string } | { kind: 'token'; tokenId: number } | { kind: 'anonymous' };

/** The viewer a credential gives now: null for an anonymous connection, 'ended' once its session or token is gone. */
export async function currentViewer(deps: Deps, credential: LiveCredential): Promise<Viewer | null | 'ended'> {
  if (credential.kind === 'anonymous') return null;
  if (credential.kind === 'session') {
    const user = await userForSession(deps, credential.sessionId);
    return user ? viewerForUser(deps, user) : 'ended';
  }
  const token = await accessTokenFor(deps, { id: credential.tokenId });
  if (!token || !token.grant.scopes.includes('read')) return 'ended';
  return viewerThroughToken(await viewerForUser(deps, token.user), token.grant.scopes);
}

/** A personal access token's credential, or null when it is unknown, revoked, expired or cannot read. */
export async function credentialForAccessToken(
  deps: Deps,
  token: string,
): Promise<{ credential: LiveCredential; viewer: Viewer; grant: AccessTokenGrant } | null> {
  const found = await accessTokenFor(deps, { hash: hashToken(token) });
  if (!found || !found.grant.scopes.includes('read')) return null;
  return {
    credential: { kind: 'token', tokenId: found.grant.id },
    viewer: viewerThroughToken(await viewerForUser(deps, found.user), found.grant.scopes),
    grant: found.grant,
  };
}

/** When a credential ends by itself (a session's or token's expiry), or null when it does not. */
export async function credentialExpiresAt(deps: Deps, credential: LiveCredential): Promise<Date | null> {
  if (credential.kind === 'anonymous') return null;
  if (credential.kind === 'session') return sessionExpiresAt(deps, credential.sessionId);
  return (await accessTokenFor(deps, { id: credential.tokenId }))?.grant.expiresAt ?? null;
}

/** A session cookie's credential; an unknown or expired session is an anonymous connection. */
export async function credentialForSessionToken(deps: Deps, token: string): Promise<{ credential: LiveCredential; viewer: Viewer | null }> {
  const sessionId = hashToken(token);
  const user = await userForSession(deps, sessionId);
  return user
    ? { credential: { kind: 'session', sessionId }, viewer: await viewerForUser(deps, user) }
    : { credential: { kind: 'anonymous' }, viewer: null };
}
