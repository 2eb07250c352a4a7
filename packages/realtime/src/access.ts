import type { EventName } from '@praxis/contracts';
import type { AccessChangedMessage } from './types.js';

/**
 * The outbox events after which what someone may do has changed, as the access change every API node acts on: it
 * re-checks the live connections concerned (a narrowing drops rooms or closes them; a widening such as a join or a
 * higher trust level drops nothing) and forgets the credentials it cached for that user.
 */
export function accessChangeFor(type: EventName | string, payload: unknown): AccessChangedMessage | null {
  const p = payload as Record<string, unknown>;
  switch (type) {
    case 'member.joined':
    case 'member.left':
    case 'trust.changed':
    case 'user.role-changed':
    case 'user.suspended':
    case 'session.ended':
    case 'token.revoked':
      return typeof p.userId === 'number' ? { event: 'access.changed', scope: { userId: p.userId } } : null;
    case 'thread.moderated':
      return p.action === 'move' && typeof p.threadId === 'number' ? { event: 'access.changed', scope: { threadId: p.threadId } } : null;
    default:
      return null;
  }
}
