import { browser } from '$app/environment';
import type { Socket } from 'socket.io-client';
import type { ClientEventName, ClientEvents, ClientToServerEvents, ServerToClientEvents } from './events';

type PraxisSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Where a joined thread stands: waiting for the server's ack, receiving its events, or refused. */
export type ThreadLiveState = 'joining' | 'live' | 'failed';

/** An unread count as the server rendered it, stamped (server clock, ms) so an older one never wins. */
export interface ServerUnread {
  count: number;
  at: number;
}

const JOIN_TIMEOUT_MS = 10_000;
const JOIN_RETRY_MS = 5_000;

/**
 * The tab's one socket.io connection to the API, and what it has told us.
 *
 * Browser only: on the server every method is a no-op and the state stays empty, so one request's
 * render never sees another's. The socket is created lazily, on the first call that needs it (a signed-in
 * viewer for notifications, or a thread page for its posts), and socket.io-client is loaded with it.
 * The session cookie authenticates the handshake (same origin), so a change of viewer reconnects.
 */
class Realtime {
  /** The socket is connected right now. */
  connected = $state(false);
  /** The viewer's unread notification count as last heard in this tab; null until something told us. */
  unreadCount = $state<number | null>(null);
  /** Joined threads by id. */
  threads = $state<Record<number, ThreadLiveState>>({});

  #socket: PraxisSocket | null = null;
  #opening: Promise<PraxisSocket> | null = null;
  #started = false;
  #viewerId: number | null = null;
  #countAt = 0;
  #everConnected = false;
  /** Thread id → how many components want it joined. */
  #joins = new Map<number, number>();
  #listeners = new Map<ClientEventName, Set<(data: never) => void>>();
  #resync = new Set<() => void>();

  /**
   * Called by the root layout with the signed-in viewer (or null) whenever it may have changed. Signed-in
   * viewers get a socket for their notifications; a different viewer means a new handshake.
   */
  start(viewerId: number | null): void {
    if (!browser) return;
    const changed = this.#started && viewerId !== this.#viewerId;
    this.#started = true;
    this.#viewerId = viewerId;
    if (changed) {
      this.unreadCount = null;
      this.#countAt = 0;
      if (this.#socket) {
        // The handshake carried the previous viewer's cookie: start over (the connect handler re-joins threads).
        this.#socket.disconnect();
        if (viewerId !== null || this.#joins.size > 0) this.#socket.connect();
        return;
      }
    }
    if (viewerId !== null) void this.#open();
  }

  /** An unread count from server-rendered data: taken unless something fresher is already known. */
  offerServerCount(unread: ServerUnread | null | undefined): void {
    if (!browser || !unread || unread.at <= this.#countAt) return;
    this.#countAt = unread.at;
    this.unreadCount = unread.count;
  }

  /** An unread count the API just answered (e.g. after marking a thread read): as fresh as a socket event. */
  heardCount(count: number): void {
    if (!browser) return;
    this.unreadCount = count;
  }

  /**
   * Receive this thread's events (`post.created`, `thread.updated`) until the returned function is called.
   * The join is repeated after every reconnect; the server checks that the viewer may read the thread.
   */
  joinThread(threadId: number): () => void {
    if (!browser) return () => {};
    const wanted = this.#joins.get(threadId) ?? 0;
    this.#joins.set(threadId, wanted + 1);
    if (wanted === 0) {
      this.threads[threadId] = 'joining';
      void this.#open().then((socket) => {
        // Not connected yet: the connect handler joins every wanted thread.
        if (socket.connected) this.#emitJoin(socket, threadId);
      });
    }
    let left = false;
    return () => {
      if (left) return;
      left = true;
      const remaining = (this.#joins.get(threadId) ?? 1) - 1;
      if (remaining > 0) {
        this.#joins.set(threadId, remaining);
        return;
      }
      this.#joins.delete(threadId);
      delete this.threads[threadId];
      if (this.#socket?.connected) this.#socket.emit('thread.leave', { threadId });
    };
  }

  /** Listen to one server event; returns the unsubscribe function. */
  on<E extends ClientEventName>(event: E, listener: (data: ClientEvents[E]) => void): () => void {
    if (!browser) return () => {};
    let set = this.#listeners.get(event);
    if (!set) this.#listeners.set(event, (set = new Set()));
    set.add(listener as (data: never) => void);
    return () => set.delete(listener as (data: never) => void);
  }

  /** Called after a reconnect: events may have been missed while offline, so refetch what is shown. */
  onResync(listener: () => void): () => void {
    if (!browser) return () => {};
    this.#resync.add(listener);
    return () => this.#resync.delete(listener);
  }

  #emit<E extends ClientEventName>(event: E, data: ClientEvents[E]): void {
    for (const listener of this.#listeners.get(event) ?? []) {
      try {
        (listener as (data: ClientEvents[E]) => void)(data);
      } catch (err) {
        console.error(`[realtime] a ${event} listener failed`, err);
      }
    }
  }

  #emitJoin(socket: PraxisSocket, threadId: number): void {
    this.threads[threadId] = 'joining';
    socket.timeout(JOIN_TIMEOUT_MS).emit('thread.join', { threadId }, (err, ack) => {
      if (!this.#joins.has(threadId)) return; // left meanwhile
      if (!err && ack.ok) {
        this.threads[threadId] = 'live';
        return;
      }
      // A timeout or a server hiccup is worth another try; a refusal (not found, bad request) is not.
      const retry = !!err || (!ack.ok && ack.error === 'unavailable');
      this.threads[threadId] = retry ? 'joining' : 'failed';
      if (retry) {
        setTimeout(() => {
          if (this.#joins.has(threadId) && socket.connected && this.threads[threadId] !== 'live') this.#emitJoin(socket, threadId);
        }, JOIN_RETRY_MS);
      }
    });
  }

  #open(): Promise<PraxisSocket> {
    if (this.#socket) {
      if (!this.#socket.active) this.#socket.connect();
      return Promise.resolve(this.#socket);
    }
    this.#opening ??= import('socket.io-client').then(({ io }) => {
      // Same origin as the page; the API serves socket.io at /socket.io/ (in the embedded mode and behind the proxy).
      const socket: PraxisSocket = io({
        path: '/socket.io/',
        transports: ['websocket', 'polling'],
        // WebSocket first; where a proxy or network blocks it, fall back to long-polling.
        tryAllTransports: true,
        reconnection: true,
        reconnectionDelay: 1_000,
        reconnectionDelayMax: 15_000,
      });
      socket.on('connect', () => {
        this.connected = true;
        for (const threadId of this.#joins.keys()) this.#emitJoin(socket, threadId);
        if (this.#everConnected) {
          for (const listener of this.#resync) listener();
        }
        this.#everConnected = true;
      });
      socket.on('disconnect', () => {
        this.connected = false;
        for (const threadId of this.#joins.keys()) this.threads[threadId] = 'joining';
      });
      socket.on('connect_error', (err) => {
        // socket.io keeps retrying on its own (unless the server refused the handshake outright).
        if (!socket.active) console.warn('[realtime] the server refused the connection:', err.message);
      });
      socket.on('notification.created', (data) => {
        this.unreadCount = data.unreadCount;
        this.#emit('notification.created', data);
      });
      socket.on('notification.read', (data) => {
        this.unreadCount = data.unreadCount;
        this.#emit('notification.read', data);
      });
      socket.on('post.created', (data) => this.#emit('post.created', data));
      socket.on('thread.updated', (data) => this.#emit('thread.updated', data));
      socket.on('matching.updated', (data) => this.#emit('matching.updated', data));
      // The viewer may no longer read the thread (left its community, it moved): the server dropped the room.
      socket.on('thread.left', ({ threadId }) => {
        if (this.#joins.has(threadId)) this.threads[threadId] = 'failed';
      });
      this.#socket = socket;
      return socket;
    });
    return this.#opening;
  }
}

/** The tab's realtime connection (inert during server-side rendering). */
export const realtime = new Realtime();
