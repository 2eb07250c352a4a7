/**
 * What browsers and stream clients receive. Payloads are invalidations (ids, counts), never documents:
 * the client refetches through the normal permission-checked API.
 */
export interface ClientEvents {
  /** A post was added to a thread the client has joined; an open page fetches the posts after the last number it shows. */
  'post.created': { threadId: number; postId: number; number: number; postCount: number };
  /** A post changed (edited, hidden, deleted, voted) or the thread did (title, tags, solved). */
  'thread.updated': { threadId: number; postId: number | null; reason: string };
  /** Sent to a question's asker: who was asked changed (an expert matched or declined); the page refetches its matching panel. */
  'matching.updated': { threadId: number };
  /** Sent to the recipient only. */
  'notification.created': { notificationId: number; kind: string; threadId: number; unreadCount: number };
  /** The recipient's unread count changed elsewhere (marked read in another tab). */
  'notification.read': { unreadCount: number };
}
export type ClientEventName = keyof ClientEvents;

export type Room = `user:${number}` | `thread:${number}`;
export const userRoom = (userId: number): Room => `user:${userId}`;
export const threadRoom = (threadId: number): Room => `thread:${threadId}`;

export interface RealtimeMessage<E extends ClientEventName = ClientEventName> {
  room: Room;
  event: E;
  data: ClientEvents[E];
}

/**
 * One bus between whoever produces realtime messages (the worker) and the transports (socket.io and the
 * plain WebSocket stream in every API node): in-process when embedded, Redis pub/sub when distributed.
 */
export interface EventBus {
  readonly kind: 'in-process' | 'redis';
  publish(message: RealtimeMessage): Promise<void>;
  /** Returns an unsubscribe function. */
  subscribe(listener: (message: RealtimeMessage) => void): () => void;
  close(): Promise<void>;
}

/** socket.io's server → client map, built from ClientEvents. */
export type ServerToClientEvents = { [E in ClientEventName]: (data: ClientEvents[E]) => void };

export type JoinAck = { ok: true } | { ok: false; error: 'not_found' | 'bad_request' | 'unavailable' };

/** What a browser may emit. A thread room is joined only once the viewer may read the thread; a hidden thread answers like a missing one. */
export interface ClientToServerEvents {
  'thread.join': (payload: { threadId: number }, ack: (result: JoinAck) => void) => void;
  'thread.leave': (payload: { threadId: number }, ack?: (result: { ok: true }) => void) => void;
}
