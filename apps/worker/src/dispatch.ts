import { eventNames, type EventName, type EventPayload } from '@praxis/contracts';
import type { Outcome, QueueName } from '@praxis/queue';
import type { WorkerDeps } from './deps.js';

/** An outbox row as it travels through the queues (dates as ISO strings: job data is JSON). */
export interface OutboxJob {
  id: number;
  type: string;
  aggregateId: number;
  payload: unknown;
  actorId: number | null;
  createdAt: string;
}

export interface OutboxEvent<E extends EventName = EventName> extends Omit<OutboxJob, 'type' | 'payload'> {
  type: E;
  payload: EventPayload<E>;
}

export interface EventHandler {
  queue: QueueName;
  handle(event: OutboxEvent, deps: WorkerDeps): Promise<Outcome>;
}

/**
 * Which handlers each event starts: one job per (event, handler), on the handler's queue.
 * Every event of the catalogue is listed, so a new event without a decision fails to compile;
 * `checkDispatchTable` repeats the checks at start for what the compiler cannot see.
 */
export const subscriptions = {
  'user.registered': [],
  'community.created': [],
  'community.updated': [],
  'member.joined': [],
  'member.left': ['realtime.publish'],
  'thread.created': ['search.index-thread', 'notify.post', 'experts.match-thread', 'guides.count-similar', 'trust.update'],
  'thread.edited': ['search.index-thread', 'realtime.publish'],
  'post.created': ['search.index-thread', 'notify.post', 'realtime.publish', 'experts.record-answer', 'experts.update-stats', 'trust.update'],
  'post.edited': ['search.index-thread', 'notify.post', 'realtime.publish'],
  'post.hidden': ['search.index-thread', 'realtime.publish', 'experts.update-stats'],
  'post.deleted': ['search.index-thread', 'realtime.publish', 'experts.update-stats', 'trust.update'],
  'post.voted': ['realtime.publish', 'experts.update-stats'],
  'post.unvoted': ['realtime.publish', 'experts.update-stats'],
  'solution.accepted': ['search.index-thread', 'notify.solved', 'realtime.publish', 'experts.record-answer', 'experts.update-stats', 'trust.update'],
  'solution.unaccepted': ['search.index-thread', 'realtime.publish', 'experts.update-stats', 'trust.update'],
  'notification.created': ['realtime.publish', 'email.notification'],
  'notification.read': ['realtime.publish'],
  'expert.matched': ['realtime.publish'],
  'expert.declined': ['experts.replace-declined', 'realtime.publish'],
  'expertise.updated': [],
  'guide.created': [],
  'guide.revised': ['search.index-guide'],
  'guide.submitted': [],
  'guide.published': ['search.index-guide', 'guides.notify-credited'],
  'guide.verified': ['search.index-guide'],
  'guide.review-requested': ['guides.notify-review'],
  'post.flagged': [],
  'flag.resolved': ['trust.update', 'notify.moderation'],
  'post.held': [],
  'thread.moderated': ['search.index-thread', 'realtime.publish'],
  'user.suspended': ['realtime.publish'],
  'user.role-changed': ['realtime.publish'],
  'session.ended': ['realtime.publish'],
  'token.revoked': ['realtime.publish'],
  'trust.changed': [],
  'user.activity-recorded': ['trust.update'],
  'reindex.requested': ['search.reindex-all'],
  'job.retried': ['maintenance.retry-job'],
} as const satisfies Record<EventName, readonly string[]>;

export type HandlerId = (typeof subscriptions)[EventName][number];

/** Fails at start when an event has no entry, a handler is listed twice or missing, or a handler is never used. */
export function checkDispatchTable(table: Record<string, readonly string[]>, handlers: Record<string, unknown>): void {
  const problems: string[] = [];
  for (const name of eventNames) {
    const list = table[name];
    if (!list) {
      problems.push(`event "${name}" has no entry in the dispatch table`);
      continue;
    }
    const seen = new Set<string>();
    for (const id of list) {
      if (seen.has(id)) problems.push(`event "${name}" lists handler "${id}" twice`);
      seen.add(id);
      if (!(id in handlers)) problems.push(`event "${name}" lists handler "${id}", which does not exist`);
    }
  }
  for (const name of Object.keys(table)) if (!eventNames.includes(name as EventName)) problems.push(`the dispatch table names unknown event "${name}"`);
  const used = new Set(Object.values(table).flat());
  for (const id of Object.keys(handlers)) if (!used.has(id)) problems.push(`handler "${id}" is not subscribed to any event`);
  if (problems.length > 0) throw new Error(`Invalid dispatch table:\n- ${problems.join('\n- ')}`);
}

/**
 * The queue identity of an outbox event. The id alone repeats when a database is recreated while Redis
 * keeps finished job ids (an hour), so its creation time goes with it.
 */
export const eventJobId = (event: Pick<OutboxJob, 'id' | 'createdAt'>): string => `${event.id}.${Date.parse(event.createdAt)}`;

/** The handler jobs one outbox event fans out to; job id `<event job id>:<handler>` makes re-delivery idempotent. */
export function fanOut(event: OutboxJob, handlers: Record<HandlerId, EventHandler>, retry: { attempts: number; backoffMs: number }) {
  const ids: readonly HandlerId[] = subscriptions[event.type as EventName] ?? [];
  return ids.map((id) => ({ queue: handlers[id].queue, name: id, data: event, options: { jobId: `${eventJobId(event)}:${id}`, ...retry } }));
}
