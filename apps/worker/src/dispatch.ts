import { eventNames, eventPayloadProblems, type EventName, type EventPayload } from '@praxis/contracts';
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
  'member.joined': ['realtime.publish'],
  'member.left': ['realtime.publish'],
  'thread.created': ['search.index-thread', 'notify.post', 'experts.match-thread', 'guides.count-similar', 'trust.update'],
  'thread.edited': ['search.index-thread', 'realtime.publish'],
  'post.created': [
    'search.index-thread',
    'notify.post',
    'realtime.publish',
    'experts.record-answer',
    'experts.update-stats',
    'trust.update',
  ],
  'post.edited': ['search.index-thread', 'notify.post', 'realtime.publish'],
  'post.hidden': ['search.index-thread', 'realtime.publish', 'experts.update-stats'],
  'post.deleted': ['search.index-thread', 'realtime.publish', 'experts.update-stats', 'trust.update'],
  'post.voted': ['realtime.publish', 'experts.update-stats'],
  'post.unvoted': ['realtime.publish', 'experts.update-stats'],
  'solution.accepted': [
    'search.index-thread',
    'notify.solved',
    'realtime.publish',
    'experts.record-answer',
    'experts.update-stats',
    'trust.update',
  ],
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
  'trust.changed': ['realtime.publish'],
  'user.activity-recorded': ['trust.update'],
  'reindex.requested': ['search.reindex-all'],
  'job.retried': ['maintenance.retry-job'],
} as const satisfies Record<EventName, readonly string[]>;

export type HandlerId = (typeof subscriptions)[EventName][number];

/** The events the dispatch table sends to handler H. */
export type EventsFor<H extends HandlerId> = { [E in EventName]: H extends (typeof subscriptions)[E][number] ? E : never }[EventName];

/** One of these events with its own payload type: narrowing on `event.type` narrows the payload. */
export type OneOf<E extends EventName> = { [K in E]: OutboxEvent<K> }[E];

export interface HandlerDefinition<H extends HandlerId> {
  queue: QueueName;
  handle(event: OneOf<EventsFor<H>>, deps: WorkerDeps): Promise<Outcome>;
}

/** Payloads are checked against the event schemas in tests and development; production trusts the outbox writer (typed appendEvent). */
const checkPayloads = process.env.NODE_ENV !== 'production' || process.env.PRAXIS_CHECK_EVENTS === '1';

/**
 * Checks that a job's event is one handler `id` subscribes to and that its payload fits the event's
 * schema; throws an Error naming each problem otherwise. The one place an outbox row becomes typed.
 */
export function checkedEvent<H extends HandlerId>(id: H, event: OutboxEvent | OutboxJob): OneOf<EventsFor<H>> {
  const subscribed = (subscriptions[event.type as EventName] as readonly string[] | undefined)?.includes(id) ?? false;
  if (!subscribed) throw new Error(`handler "${id}" got event "${event.type}", which the dispatch table does not send it`);
  const problems = eventPayloadProblems(event.type, event.payload);
  if (problems.length > 0)
    throw new Error(`event ${event.id} (${event.type}) has a payload that does not fit its schema: ${problems.join('; ')}`);
  return event as OneOf<EventsFor<H>>;
}

/** One typed handler per id: it receives exactly the events the dispatch table sends it, with their payload types. */
export function defineHandler<H extends HandlerId>(id: H, definition: HandlerDefinition<H>): EventHandler {
  return {
    queue: definition.queue,
    handle: async (event, deps) => definition.handle(checkPayloads ? checkedEvent(id, event) : (event as OneOf<EventsFor<H>>), deps),
  };
}

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
  for (const name of Object.keys(table))
    if (!eventNames.includes(name as EventName)) problems.push(`the dispatch table names unknown event "${name}"`);
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
  return ids.map((id) => ({
    queue: handlers[id].queue,
    name: id,
    data: event,
    options: { jobId: `${eventJobId(event)}:${id}`, ...retry },
  }));
}
