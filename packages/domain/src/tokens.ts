import type { GlobalRole, Viewer } from './viewer.js';

/** What a personal access token may do. `admin` lets it act with its owner's site role (admin or moderator). */
export const TOKEN_SCOPES = ['read', 'write', 'admin'] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The scopes a user may put on a new token: `admin` only for site staff. */
export function grantableScopes(role: GlobalRole): TokenScope[] {
  return role === 'member' ? ['read', 'write'] : ['read', 'write', 'admin'];
}

/** The scope a request with this method needs: reads need `read`, every other method `write`. */
export function scopeForMethod(method: string): TokenScope {
  return SAFE_METHODS.has(method.toUpperCase()) ? 'read' : 'write';
}

/** Who a token's holder acts as: without the `admin` scope, a staff member's token acts as a plain member. */
export function viewerThroughToken(viewer: Viewer, scopes: readonly string[]): Viewer {
  if (viewer.role === 'member' || scopes.includes('admin')) return viewer;
  return { ...viewer, role: 'member' };
}
