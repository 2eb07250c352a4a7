import { eq, threads, unreadNotificationCount, type Db } from '@praxis/db';
import { threadRoom, userRoom, type RealtimeMessage } from '@praxis/realtime';
import { defineHandler, eventJobId, type EventsFor, type OneOf } from '../../dispatch.js';

/** The realtime message an event becomes: small invalidations (ids, counts), never documents. */
export async function toRealtimeMessage(event: OneOf<EventsFor<'realtime.publish'>>, db: Db): Promise<RealtimeMessage | null> {
  switch (event.type) {
    case 'post.created': {
      const { threadId, postId } = event.payload;
      const [thread] = await db.select({ postCount: threads.postCount }).from(threads).where(eq(threads.id, threadId));
      if (!thread) return null;
      return { room: threadRoom(threadId), event: 'post.created', data: { threadId, postId, postCount: thread.postCount } };
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
      return { room: userRoom(userId), event: 'notification.created', data: { notificationId, kind, threadId, unreadCount: await unreadNotificationCount(db, userId) } };
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

/** Publishes on the event bus; every API node relays it to its socket.io and stream clients in that room. */
export const publishEvent = defineHandler('realtime.publish', {
  queue: 'realtime',
  async handle(event, deps) {
    const message = await toRealtimeMessage(event, deps.db);
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
