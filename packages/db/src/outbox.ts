import { eventPayloadProblems, type EventName, type EventPayload } from '@praxis/contracts';
import { sql, type SQL } from 'drizzle-orm';
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

/** In tests and development a payload that does not fit its schema fails the write that produced it (the worker checks again where it reads). */
function checkPayload<E extends EventName>(type: E, payload: EventPayload<E>): void {
  if (!checkPayloads) return;
  const problems = eventPayloadProblems(type, payload);
  if (problems.length > 0) throw new Error(`appendEvent: the ${type} payload does not fit its schema: ${problems.join('; ')}`);
}

/** Appends an event to the outbox. Call it with the transaction that writes the change it describes. */
export async function appendEvent<E extends EventName>(
  tx: Db,
  type: E,
  aggregateId: number,
  payload: EventPayload<E>,
  actorId: number | null,
): Promise<void> {
  checkPayload(type, payload);
  await tx.insert(outboxEvents).values({ type, aggregate: aggregateOf[type], aggregateId, payload, actorId });
}

/**
 * The outbox row of an event written by the same statement as its change (a data-modifying CTE), for a payload that
 * holds ids only that statement knows: `payload` builds it in SQL from the rows the statement inserts, `sample` is the
 * payload with stand-ins for those ids (one per row the statement writes), checked like appendEvent's. Ids and actors may be SQL too. Returns the statement's `insert into outbox_events`
 * selecting from `source` (the CTE the payload reads).
 */
export function appendEventSql<E extends EventName>(
  type: E,
  aggregateId: number | SQL,
  payload: SQL,
  actorId: number | null | SQL,
  samples: EventPayload<E>[],
  source: SQL,
): SQL {
  for (const sample of samples) checkPayload(type, sample);
  const int = (value: number | null | SQL) => (typeof value === 'number' || value === null ? sql`${value}::int` : value);
  return sql`insert into ${outboxEvents} (type, aggregate, aggregate_id, payload, actor_id)
    select ${type}::text, ${aggregateOf[type]}::text, ${int(aggregateId)}, ${payload}, ${int(actorId)} from ${source}`;
}
