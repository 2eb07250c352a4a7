import { createHash, randomBytes } from 'node:crypto';

export const SESSION_COOKIE = 'praxis_session';

export function newToken(prefix: string): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
