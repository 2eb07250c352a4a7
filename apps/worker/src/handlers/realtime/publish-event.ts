import type { EventName } from '@praxis/contracts';
import { eq, threads, unreadNotificationCount, type Db } from '@praxis/db';
import { threadRoom, userRoom, type RealtimeMessage } from '@praxis/realtime';
import type { EventHandler, OutboxEvent } from '../../dispatch.js';

/** The realtime message an event becomes: small invalidations (ids, counts), never documents. */
export async function toRealtimeMessage(event: OutboxEvent, db: Db): Promise<RealtimeMessage | null> {
  const type: EventName = event.type;
  switch (type) {
    case 'post.created': {
      const { threadId, postId } = (event as OutboxEvent<'post.created'>).payload;
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
      const { threadId, postId } = event.payload as { threadId: number; postId: number };
      return { room: threadRoom(threadId), event: 'thread.updated', data: { threadId, postId, reason: type } };
    }
    case 'thread.edited': {
      const { threadId } = (event as OutboxEvent<'thread.edited'>).payload;
      return { room: threadRoom(threadId), event: 'thread.updated', data: { threadId, postId: null, reason: type } };
    }
    case 'notification.created': {
      const { notificationId, userId, kind, threadId } = (event as OutboxEvent<'notification.created'>).payload;
      return { room: userRoom(userId), event: 'notification.created', data: { notificationId, kind, threadId, unreadCount: await unreadNotificationCount(db, userId) } };
    }
    case 'notification.read': {
      const { userId } = (event as OutboxEvent<'notification.read'>).payload;
      return { room: userRoom(userId), event: 'notification.read', data: { unreadCount: await unreadNotificationCount(db, userId) } };
    }
    default:
      return null;
  }
}

/** Publishes on the event bus; every API node relays it to its socket.io and stream clients in that room. */
export const publishEvent: EventHandler = {
  queue: 'realtime',
  async handle(event, deps) {
    const message = await toRealtimeMessage(event, deps.db);
    if (!message) return `skipped:no realtime message for ${event.type}`;
    await deps.bus.publish(message);
    return 'done';
  },
};
