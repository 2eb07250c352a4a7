import { eq, posts, threads, unreadNotificationCount, type Db } from '@praxis/db';
import { accessChangeFor, threadRoom, userRoom, type BusMessage, type RealtimeMessage } from '@praxis/realtime';
import { defineHandler, eventJobId, type EventsFor, type OneOf } from '../../dispatch.js';

/** The realtime message an event becomes: small invalidations (ids, counts), never documents. */
export async function toRealtimeMessage(event: OneOf<EventsFor<'realtime.publish'>>, db: Db): Promise<RealtimeMessage | null> {
  switch (event.type) {
    case 'post.created': {
      const { threadId, postId } = event.payload;
      const [row] = await db
        .select({ postCount: threads.postCount, number: posts.number })
        .from(posts)
        .innerJoin(threads, eq(threads.id, posts.threadId))
        .where(eq(posts.id, postId));
      if (!row) return null;
      return {
        room: threadRoom(threadId),
        event: 'post.created',
        data: { threadId, postId, number: row.number, postCount: row.postCount },
      };
    }
    case 'expert.matched':
    case 'expert.declined': {
      // The asker's matching panel ("who was asked") changed.
      const { threadId } = event.payload;
      const [thread] = await db.select({ authorId: threads.authorId }).from(threads).where(eq(threads.id, threadId));
      if (!thread?.authorId) return null;
      return { room: userRoom(thread.authorId), event: 'matching.updated', data: { threadId } };
    }
    case 'post.edited':
    case 'post.hidden':
    case 'post.deleted':
    case 'post.voted':
    case 'post.unvoted':
    case 'solution.accepted':
    case 'solution.unaccepted': {
      const { threadId, postId } = event.payload;
      return { room: threadRoom(threadId), event: 'thread.updated', data: { threadId, postId, reason: event.type } };
    }
    case 'thread.edited': {
      const { threadId } = event.payload;
      return { room: threadRoom(threadId), event: 'thread.updated', data: { threadId, postId: null, reason: event.type } };
    }
    case 'notification.created': {
      const { notificationId, userId, kind, threadId } = event.payload;
      return {
        room: userRoom(userId),
        event: 'notification.created',
        data: { notificationId, kind, threadId, unreadCount: await unreadNotificationCount(db, userId) },
      };
    }
    case 'notification.read': {
      const { userId } = event.payload;
      return { room: userRoom(userId), event: 'notification.read', data: { unreadCount: await unreadNotificationCount(db, userId) } };
    }
    default:
      return null;
  }
}

/**
 * Events this process already published, per bus: a job whose acknowledgement was lost (Redis went away
 * just after it ran) comes back, and must not reach the browsers twice. Bounded; the oldest are forgotten.
 */
const published = new WeakMap<object, Set<string>>();
const REMEMBERED = 10_000;

function firstTime(bus: object, key: string): boolean {
  let seen = published.get(bus);
  if (!seen) published.set(bus, (seen = new Set()));
  if (seen.has(key)) return false;
  seen.add(key);
  if (seen.size > REMEMBERED) seen.delete(seen.values().next().value as string);
  return true;
}

/** A room message, or an access change that makes every API node re-check its live connections. */
async function toBusMessage(event: OneOf<EventsFor<'realtime.publish'>>, db: Db): Promise<BusMessage | null> {
  return accessChangeFor(event.type, event.payload) ?? (await toRealtimeMessage(event, db));
}

/** Publishes on the event bus; every API node relays it to its socket.io and stream clients in that room, or re-checks their access. */
export const publishEvent = defineHandler('realtime.publish', {
  queue: 'realtime',
  async handle(event, deps) {
    const message = await toBusMessage(event, deps.db);
    if (!message) return `skipped:no realtime message for ${event.type}`;
    if (!firstTime(deps.bus, eventJobId(event))) return 'skipped:already published by this worker';
    try {
      await deps.bus.publish(message);
    } catch (error) {
      published.get(deps.bus)?.delete(eventJobId(event));
      throw error;
    }
    return 'done';
  },
});
