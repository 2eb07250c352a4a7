import type { EventName, EventPayload } from '@praxis/contracts';
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

/** Appends an event to the outbox. Call it with the transaction that writes the change it describes. */
export async function appendEvent<E extends EventName>(tx: Db, type: E, aggregateId: number, payload: EventPayload<E>, actorId: number | null): Promise<void> {
  await tx.insert(outboxEvents).values({ type, aggregate: aggregateOf[type], aggregateId, payload, actorId });
}
