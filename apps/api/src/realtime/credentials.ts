import type { Viewer } from '@praxis/domain';
import type { Deps } from '../context.js';
import { userForAccessToken, userForSession, viewerForUser } from '../modules/auth/load-viewer.js';
import { hashToken } from '../modules/auth/tokens.js';

/** The viewer a personal access token belongs to, or null when it is unknown or revoked. */
export async function viewerForAccessToken(deps: Deps, token: string): Promise<Viewer | null> {
  const user = await userForAccessToken(deps, hashToken(token));
  return user ? viewerForUser(deps, user) : null;
}

/** The viewer of a session cookie's value, or null (anonymous) when the session is unknown or expired. */
export async function viewerForSessionToken(deps: Deps, token: string): Promise<Viewer | null> {
  const user = await userForSession(deps, hashToken(token));
  return user ? viewerForUser(deps, user) : null;
}
