import type { EventName } from '@praxis/contracts';
import type { AccessChangedMessage } from './types.js';

/**
 * The outbox events after which someone may read less than before, as the access change every API node
 * re-checks its live connections for. Events that only widen access (a join) need none: joins are checked live.
 */
export function accessChangeFor(type: EventName | string, payload: unknown): AccessChangedMessage | null {
  const p = payload as Record<string, unknown>;
  switch (type) {
    case 'member.left':
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
