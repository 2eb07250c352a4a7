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
 * Who may have lost access to something, so that every API node re-checks the live connections concerned
 * against current data: a user (membership, role, suspension, a session or token ended) or a thread (moved).
 * Not delivered to clients; what they may still receive is decided by the re-check.
 */
export type AccessScope = { userId: number } | { threadId: number };

export interface AccessChangedMessage {
  event: 'access.changed';
  scope: AccessScope;
}

/** Everything the bus carries: messages for clients' rooms, and access changes for the API nodes. */
export type BusMessage = RealtimeMessage | AccessChangedMessage;

export const isAccessChanged = (message: BusMessage): message is AccessChangedMessage => message.event === 'access.changed';

/**
 * One bus between whoever produces realtime messages (the worker) and the transports (socket.io and the
 * plain WebSocket stream in every API node): in-process when embedded, Redis pub/sub when distributed.
 */
export interface EventBus {
  readonly kind: 'in-process' | 'redis';
  publish(message: BusMessage): Promise<void>;
  /** Returns an unsubscribe function. */
  subscribe(listener: (message: BusMessage) => void): () => void;
  close(): Promise<void>;
}

/** Sent by an API node itself, never through the bus. */
export interface ConnectionEvents {
  /** The viewer may no longer read this thread (left or lost a role in its community, it moved): its room was dropped. */
  'thread.left': { threadId: number; reason: 'access_changed' };
  /** The session or token this connection was opened with ended (logout, revoked, expired); the server disconnects next. */
  'session.ended': { reason: 'signed_out' };
}

/** socket.io's server → client map, built from ClientEvents and ConnectionEvents. */
export type ServerToClientEvents = { [E in ClientEventName]: (data: ClientEvents[E]) => void } & {
  [E in keyof ConnectionEvents]: (data: ConnectionEvents[E]) => void;
};

export type JoinAck = { ok: true } | { ok: false; error: 'not_found' | 'bad_request' | 'unavailable' };

/** What a browser may emit. A thread room is joined only once the viewer may read the thread; a hidden thread answers like a missing one. */
export interface ClientToServerEvents {
  'thread.join': (payload: { threadId: number }, ack: (result: JoinAck) => void) => void;
  'thread.leave': (payload: { threadId: number }, ack?: (result: { ok: true }) => void) => void;
}
