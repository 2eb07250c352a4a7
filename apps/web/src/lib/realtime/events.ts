/**
 * The socket.io events between the browser and the API.
 *
 * Copied, not imported: the source of truth is `ClientEvents` in packages/realtime/src/types.ts (what the
 * server pushes) and `ClientToServerEvents` / `JoinAck` in apps/api/src/realtime/gateway.ts (what the
 * client may emit). The web app does not depend on @praxis/realtime; keep these in step with them.
 * Payloads are invalidations (ids, counts), never documents: refetch through the API to show anything.
 */
export interface ClientEvents {
  /** A post was added to a thread the client has joined. */
  'post.created': { threadId: number; postId: number; postCount: number };
  /** A post changed (edited, hidden, deleted, voted) or the thread did (title, tags, solved). */
  'thread.updated': { threadId: number; postId: number | null; reason: string };
  /** Sent to the recipient only. */
  'notification.created': { notificationId: number; kind: string; threadId: number; unreadCount: number };
  /** The recipient's unread count changed elsewhere (marked read in another tab). */
  'notification.read': { unreadCount: number };
}
export type ClientEventName = keyof ClientEvents;

export type ServerToClientEvents = { [E in ClientEventName]: (data: ClientEvents[E]) => void };

export type JoinAck = { ok: true } | { ok: false; error: 'not_found' | 'bad_request' | 'unavailable' };

/** The server takes the ack as optional; this client always waits for the join's (socket.io types need it required). */
export interface ClientToServerEvents {
  /** Joined only once the viewer may read the thread; a hidden thread answers like a missing one. */
  'thread.join': (payload: { threadId: number }, ack: (result: JoinAck) => void) => void;
  'thread.leave': (payload: { threadId: number }) => void;
}
