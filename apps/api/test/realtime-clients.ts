import {
  accessChangeFor,
  type ClientEvents,
  type ClientToServerEvents,
  type EventBus,
  type RealtimeMessage,
  type ServerToClientEvents,
} from '@praxis/realtime';
import { desc, gt, outboxEvents, type Database } from '@praxis/db';
import { io as connectSocketIo, type Socket } from 'socket.io-client';
import { WebSocket } from 'ws';
import type { ServerFrame } from '../src/realtime/stream-frames.js';
import type { Session, TestApp } from './helper.js';

/** socket.io and /api/v1/stream clients for the realtime tests, and the worker's part they play. */

export const TIMEOUT_MS = 5_000;

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Everything opened by a test; each test file closes it after every test (`afterEach(closeOpened)`), passed or not. */
export const opened: Array<() => void> = [];
export function closeOpened(): void {
  for (const close of opened.splice(0)) close();
}

export function withTimeout<T>(what: string, executor: (resolve: (value: T) => void, reject: (error: Error) => void) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), TIMEOUT_MS);
    executor(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

export async function listen(t: TestApp): Promise<string> {
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const address = t.app.server.address();
  if (typeof address !== 'object' || address === null) throw new Error('not listening');
  return `127.0.0.1:${address.port}`;
}

// ---- socket.io ----

export function ioClient(host: string, options: { cookie?: string; token?: string; origin?: string } = {}): ClientSocket {
  const extraHeaders: Record<string, string> = {};
  if (options.cookie) extraHeaders.cookie = `praxis_session=${options.cookie}`;
  if (options.origin) extraHeaders.origin = options.origin;
  const socket: ClientSocket = connectSocketIo(`http://${host}`, {
    path: '/socket.io/',
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    extraHeaders,
    auth: options.token ? { token: options.token } : {},
  });
  opened.push(() => socket.disconnect());
  return socket;
}

export function connected(socket: ClientSocket): Promise<ClientSocket> {
  return withTimeout('socket.io connect', (resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

export function connectError(socket: ClientSocket): Promise<Error> {
  return withTimeout('socket.io connect_error', (resolve, reject) => {
    socket.once('connect', () => reject(new Error('connected, expected a refusal')));
    socket.once('connect_error', resolve);
  });
}

/** Records every realtime event a socket receives, and waits for a particular one. */
export function recordEvents(socket: ClientSocket) {
  const received: Array<{ event: string; data: unknown }> = [];
  const waiters: Array<{ match: (data: unknown) => boolean; resolve: () => void }> = [];
  socket.onAny((event: string, data: unknown) => {
    received.push({ event, data });
    for (const waiter of waiters.filter((w) => w.match(data))) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  });
  return {
    received,
    until: (match: (data: unknown) => boolean) =>
      withTimeout<void>('a socket.io event', (resolve) => {
        if (received.some((r) => match(r.data))) return resolve();
        waiters.push({ match, resolve });
      }),
  };
}

export const joinThread = (socket: ClientSocket, threadId: number) => socket.timeout(TIMEOUT_MS).emitWithAck('thread.join', { threadId });

// ---- /api/v1/stream ----

export interface StreamClient {
  socket: WebSocket;
  /** The next frame not yet returned. */
  next(): Promise<ServerFrame>;
  send(frame: unknown): void;
}

export function streamClient(socket: WebSocket): StreamClient {
  const frames: ServerFrame[] = [];
  let wake: (() => void) | null = null;
  socket.on('message', (data) => {
    frames.push(JSON.parse(data.toString()) as ServerFrame);
    wake?.();
  });
  return {
    socket,
    next: () =>
      withTimeout('a stream frame', (resolve) => {
        const take = () => {
          const frame = frames.shift();
          if (!frame) return false;
          wake = null;
          resolve(frame);
          return true;
        };
        if (!take()) wake = () => void take();
      }),
    send: (frame) => socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame)),
  };
}

export function openStream(host: string, options: { token?: string; query?: string; cookie?: string; origin?: string } = {}): WebSocket {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.cookie) headers.cookie = `praxis_session=${options.cookie}`;
  const socket = new WebSocket(`ws://${host}/api/v1/stream${options.query ?? ''}`, {
    headers,
    ...(options.origin && { origin: options.origin }),
  });
  // A refused or terminated handshake emits 'error'; the tests assert on 'unexpected-response' instead.
  socket.on('error', () => {});
  opened.push(() => socket.terminate());
  return socket;
}

export function opens(socket: WebSocket): Promise<StreamClient> {
  const client = streamClient(socket);
  return withTimeout('the stream to open', (resolve, reject) => {
    socket.once('open', () => resolve(client));
    socket.once('unexpected-response', (_request, response) => reject(new Error(`refused with ${response.statusCode}`)));
  });
}

export function refusal(socket: WebSocket): Promise<number> {
  return withTimeout('the stream to be refused', (resolve, reject) => {
    socket.once('open', () => reject(new Error('opened, expected a refusal')));
    socket.once('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
  });
}

// ---- fixtures ----

export const postCreated = (threadId: number, postId: number): RealtimeMessage<'post.created'> => ({
  room: `thread:${threadId}`,
  event: 'post.created',
  data: { threadId, postId, number: postId, postCount: postId },
});
export const unread = (userId: number, unreadCount: number): RealtimeMessage<'notification.read'> => ({
  room: `user:${userId}`,
  event: 'notification.read',
  data: { unreadCount },
});
export const withUnread = (count: number) => (data: unknown) => (data as ClientEvents['notification.read']).unreadCount === count;
export const withPost = (postId: number) => (data: unknown) => (data as ClientEvents['post.created']).postId === postId;

export async function createToken(session: Session): Promise<string> {
  const response = await session.inject({ method: 'POST', url: '/api/v1/me/tokens', payload: { name: 'stream test' } });
  if (response.statusCode !== 201) throw new Error(`token failed: ${response.body}`);
  return response.json().token as string;
}

/**
 * Plays the worker's realtime part for access changes: every outbox event written after `afterId` that narrows
 * someone's access, published on the bus as the worker's publish handler would (the same accessChangeFor).
 */
export async function publishAccessChanges(database: Database, bus: EventBus, afterId: number): Promise<number> {
  const events = await database.db.select().from(outboxEvents).where(gt(outboxEvents.id, afterId)).orderBy(outboxEvents.id);
  let published = 0;
  for (const event of events) {
    const change = accessChangeFor(event.type, event.payload);
    if (change) {
      await bus.publish(change);
      published++;
    }
  }
  return published;
}

/** The id of the newest outbox event, to publish only what a test's actions write after it. */
export async function lastOutboxId(database: Database): Promise<number> {
  const [row] = await database.db.select({ id: outboxEvents.id }).from(outboxEvents).orderBy(desc(outboxEvents.id)).limit(1);
  return row?.id ?? 0;
}
