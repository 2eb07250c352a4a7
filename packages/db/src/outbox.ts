import { eventPayloadProblems, type EventName, type EventPayload } from '@praxis/contracts';
import type { Db } from './client.js';
import { outboxEvents } from './schema.js';

const aggregateOf: Record<EventName, string> = {
  'user.registered': 'user',
  'community.created': 'community',
  'community.updated': 'community',
  'member.joined': 'community',
  'member.left': 'community',
  'thread.created': 'thread',
  'thread.edited': 'thread',
  'post.created': 'thread',
  'post.edited': 'thread',
  'post.hidden': 'thread',
  'post.deleted': 'thread',
  'post.voted': 'thread',
  'post.unvoted': 'thread',
  'solution.accepted': 'thread',
  'solution.unaccepted': 'thread',
  'notification.created': 'user',
  'notification.read': 'user',
  'expert.matched': 'thread',
  'expert.declined': 'thread',
  'expertise.updated': 'user',
  'guide.created': 'guide',
  'guide.revised': 'guide',
  'guide.submitted': 'guide',
  'guide.published': 'guide',
  'guide.verified': 'guide',
  'guide.review-requested': 'guide',
  'post.flagged': 'thread',
  'flag.resolved': 'thread',
  'post.held': 'thread',
  'thread.moderated': 'thread',
  'user.suspended': 'user',
  'user.role-changed': 'user',
  'session.ended': 'user',
  'token.revoked': 'user',
  'trust.changed': 'user',
  'user.activity-recorded': 'user',
  'reindex.requested': 'system',
  'job.retried': 'system',
};

const checkPayloads = process.env.NODE_ENV !== 'production' || process.env.PRAXIS_CHECK_EVENTS === '1';

/** Appends an event to the outbox. Call it with the transaction that writes the change it describes. */
export async function appendEvent<E extends EventName>(
  tx: Db,
  type: E,
  aggregateId: number,
  payload: EventPayload<E>,
  actorId: number | null,
): Promise<void> {
  // In tests and development a payload that does not fit its schema fails the write that produced it (the worker checks again where it reads).
  if (checkPayloads) {
    const problems = eventPayloadProblems(type, payload);
    if (problems.length > 0) throw new Error(`appendEvent: the ${type} payload does not fit its schema: ${problems.join('; ')}`);
  }
  await tx.insert(outboxEvents).values({ type, aggregate: aggregateOf[type], aggregateId, payload, actorId });
}
