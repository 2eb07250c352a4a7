import { randomBytes, randomUUID } from 'node:crypto';
import { connect as connectTcp } from 'node:net';
import { communities, eq, memberships } from '@praxis/db';
import { createRedisEventBus, type ClientEvents, type RealtimeMessage, type Room } from '@praxis/realtime';
import { io as connectSocketIo, type Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { ClientToServerEvents, ServerToClientEvents } from '@praxis/realtime';
import type { ServerFrame } from '../src/realtime/stream-frames.js';
import { ask, buildTestApp, createCommunity, ORIGIN, signUp, signUpAs, type Session, type TestApp } from './helper.js';

const TIMEOUT_MS = 5_000;
// Set by `npm test` when Redis is reachable; without it the two-node case is skipped.
const REDIS_URL = process.env.TEST_REDIS_URL ?? '';

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Everything opened by a test, closed after it whether it passed or not. */
const opened: Array<() => void> = [];
afterEach(() => {
  for (const close of opened.splice(0)) close();
});

function withTimeout<T>(what: string, executor: (resolve: (value: T) => void, reject: (error: Error) => void) => void): Promise<T> {
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

async function listen(t: TestApp): Promise<string> {
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const address = t.app.server.address();
  if (typeof address !== 'object' || address === null) throw new Error('not listening');
  return `127.0.0.1:${address.port}`;
}

// ---- socket.io ----

function ioClient(host: string, options: { cookie?: string; token?: string; origin?: string } = {}): ClientSocket {
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

function connected(socket: ClientSocket): Promise<ClientSocket> {
  return withTimeout('socket.io connect', (resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

function connectError(socket: ClientSocket): Promise<Error> {
  return withTimeout('socket.io connect_error', (resolve, reject) => {
    socket.once('connect', () => reject(new Error('connected, expected a refusal')));
    socket.once('connect_error', resolve);
  });
}

/** Records every realtime event a socket receives, and waits for a particular one. */
function recordEvents(socket: ClientSocket) {
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

const joinThread = (socket: ClientSocket, threadId: number) => socket.timeout(TIMEOUT_MS).emitWithAck('thread.join', { threadId });

// ---- /api/v1/stream ----

interface StreamClient {
  socket: WebSocket;
  /** The next frame not yet returned. */
  next(): Promise<ServerFrame>;
  send(frame: unknown): void;
}

function streamClient(socket: WebSocket): StreamClient {
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

function openStream(host: string, options: { token?: string; query?: string; cookie?: string; origin?: string } = {}): WebSocket {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.cookie) headers.cookie = `praxis_session=${options.cookie}`;
  const socket = new WebSocket(`ws://${host}/api/v1/stream${options.query ?? ''}`, { headers, ...(options.origin && { origin: options.origin }) });
  // A refused or terminated handshake emits 'error'; the tests assert on 'unexpected-response' instead.
  socket.on('error', () => {});
  opened.push(() => socket.terminate());
  return socket;
}

function opens(socket: WebSocket): Promise<StreamClient> {
  const client = streamClient(socket);
  return withTimeout('the stream to open', (resolve, reject) => {
    socket.once('open', () => resolve(client));
    socket.once('unexpected-response', (_request, response) => reject(new Error(`refused with ${response.statusCode}`)));
  });
}

function refusal(socket: WebSocket): Promise<number> {
  return withTimeout('the stream to be refused', (resolve, reject) => {
    socket.once('open', () => reject(new Error('opened, expected a refusal')));
    socket.once('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
  });
}

// ---- fixtures ----

const postCreated = (threadId: number, postId: number): RealtimeMessage<'post.created'> => ({
  room: `thread:${threadId}`,
  event: 'post.created',
  data: { threadId, postId, number: postId, postCount: postId },
});
const unread = (userId: number, unreadCount: number): RealtimeMessage<'notification.read'> => ({ room: `user:${userId}`, event: 'notification.read', data: { unreadCount } });
const withUnread = (count: number) => (data: unknown) => (data as ClientEvents['notification.read']).unreadCount === count;
const withPost = (postId: number) => (data: unknown) => (data as ClientEvents['post.created']).postId === postId;

async function createToken(session: Session): Promise<string> {
  const response = await session.inject({ method: 'POST', url: '/api/v1/me/tokens', payload: { name: 'stream test' } });
  if (response.statusCode !== 201) throw new Error(`token failed: ${response.body}`);
  return response.json().token as string;
}

let t: TestApp;
let host: string;
let alice: Session;
let bob: Session;
let insider: Session;
let publicThread: number;
let privateThread: number;

beforeAll(async () => {
  t = await buildTestApp();
  const admin = await signUpAs(t.app, 'admin');
  await createCommunity(admin, 'open');
  await createCommunity(admin, 'secret', 'private');
  alice = await signUp(t.app);
  bob = await signUp(t.app);
  insider = await signUp(t.app);
  const [secret] = await t.database.db.select().from(communities).where(eq(communities.slug, 'secret'));
  await t.database.db.insert(memberships).values({ communityId: secret!.id, userId: insider.id });
  publicThread = await ask(admin, 'open', 'A public question for the realtime tests');
  privateThread = await ask(insider, 'secret', 'A private question for the realtime tests');
  host = await listen(t);
});
afterAll(() => t.close());

describe('one port, two WebSocket servers', () => {
  it('upgrades socket.io (websocket transport only) and /api/v1/stream on the same port', async () => {
    const socket = await connected(ioClient(host));
    expect(socket.io.engine.transport.name).toBe('websocket');
    const stream = await opens(openStream(host, { cookie: alice.cookie }));
    expect(await stream.next()).toEqual({ type: 'subscribed', room: `user:${alice.id}` });
  });

  it('answers an upgrade to any other path with Fastify’s 404', async () => {
    const socket = new WebSocket(`ws://${host}/api/v1/nowhere`);
    socket.on('error', () => {});
    opened.push(() => socket.terminate());
    expect(await refusal(socket)).toBe(404);
  });
});

describe('socket.io gateway', () => {
  it('delivers user-room messages to that user only', async () => {
    const aliceEvents = recordEvents(await connected(ioClient(host, { cookie: alice.cookie })));
    const bobEvents = recordEvents(await connected(ioClient(host, { cookie: bob.cookie })));
    await t.bus.publish(unread(alice.id, 3));
    await t.bus.publish(unread(bob.id, 4));
    await aliceEvents.until(withUnread(3));
    await bobEvents.until(withUnread(4));
    expect(aliceEvents.received).toEqual([{ event: 'notification.read', data: { unreadCount: 3 } }]);
    expect(bobEvents.received).toEqual([{ event: 'notification.read', data: { unreadCount: 4 } }]);
  });

  it('accepts a personal access token in auth.token and refuses an unknown one', async () => {
    const token = await createToken(alice);
    const events = recordEvents(await connected(ioClient(host, { token })));
    await t.bus.publish(unread(alice.id, 5));
    await events.until(withUnread(5));
    expect((await connectError(ioClient(host, { token: 'pat_not-a-token' }))).message).toBe('unauthenticated');
  });

  it('joins a public thread room, also anonymously, and receives its messages', async () => {
    const socket = await connected(ioClient(host));
    const events = recordEvents(socket);
    expect(await joinThread(socket, publicThread)).toEqual({ ok: true });
    await t.bus.publish(postCreated(publicThread, 101));
    await events.until(withPost(101));
    expect(events.received).toEqual([{ event: 'post.created', data: postCreated(publicThread, 101).data }]);
  });

  it('refuses a private thread to a non-member like a missing one, and never delivers its messages', async () => {
    const socket = await connected(ioClient(host, { cookie: bob.cookie }));
    const events = recordEvents(socket);
    expect(await joinThread(socket, privateThread)).toEqual({ ok: false, error: 'not_found' });
    expect(await joinThread(socket, 999_999)).toEqual({ ok: false, error: 'not_found' });
    expect(await joinThread(socket, publicThread)).toEqual({ ok: true });
    await t.bus.publish(postCreated(privateThread, 102));
    await t.bus.publish(postCreated(publicThread, 103));
    await events.until(withPost(103));
    expect(events.received.map((r) => r.data)).toEqual([postCreated(publicThread, 103).data]);
  });

  it('lets a member join the private thread', async () => {
    const socket = await connected(ioClient(host, { cookie: insider.cookie }));
    const events = recordEvents(socket);
    expect(await joinThread(socket, privateThread)).toEqual({ ok: true });
    await t.bus.publish(postCreated(privateThread, 104));
    await events.until(withPost(104));
  });

  it('stops delivering after thread.leave, and answers a malformed join', async () => {
    const socket = await connected(ioClient(host, { cookie: alice.cookie }));
    const events = recordEvents(socket);
    expect(await joinThread(socket, publicThread)).toEqual({ ok: true });
    expect(await socket.timeout(TIMEOUT_MS).emitWithAck('thread.leave', { threadId: publicThread })).toEqual({ ok: true });
    expect(await socket.timeout(TIMEOUT_MS).emitWithAck('thread.join', { threadId: 'one' as unknown as number })).toEqual({ ok: false, error: 'bad_request' });
    await t.bus.publish(postCreated(publicThread, 105));
    await t.bus.publish(unread(alice.id, 6));
    await events.until(withUnread(6));
    expect(events.received.map((r) => r.event)).toEqual(['notification.read']);
  });

  it('refuses a cross-origin handshake on both transports, and sends no CORS headers', async () => {
    const pollingHandshake = (origin: string) => fetch(`http://${host}/socket.io/?EIO=4&transport=polling`, { headers: { origin } });
    const refused = await pollingHandshake('https://evil.example');
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('Cross-origin');
    const allowed = await pollingHandshake(ORIGIN);
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('access-control-allow-origin')).toBeNull();
    await connectError(ioClient(host, { cookie: alice.cookie, origin: 'https://evil.example' }));
    await connected(ioClient(host, { cookie: alice.cookie, origin: ORIGIN }));
  });
});

describe('/api/v1/stream', () => {
  it('refuses a connection without credentials, or with an unknown token, before the upgrade', async () => {
    expect(await refusal(openStream(host))).toBe(401);
    expect(await refusal(openStream(host, { query: '?token=pat_nope' }))).toBe(401);
    expect(await refusal(openStream(host, { token: 'pat_nope' }))).toBe(401);
  });

  it('closes the connection after refusing an upgrade with a plain HTTP answer', async () => {
    const [hostname, port] = host.split(':');
    const socket = connectTcp(Number(port), hostname);
    opened.push(() => socket.destroy());
    let response = '';
    socket.on('data', (chunk) => (response += chunk.toString()));
    const handshake = ['GET /api/v1/stream HTTP/1.1', `Host: ${host}`, 'Connection: Upgrade', 'Upgrade: websocket', 'Sec-WebSocket-Version: 13'];
    socket.write([...handshake, `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`, 'Authorization: Bearer pat_nope', '', ''].join('\r\n'));
    // Node's HTTP server no longer manages a socket handed to 'upgrade': unless the API closes it, nothing will.
    await withTimeout<void>('the server to close the connection', (resolve) => socket.once('close', () => resolve()));
    expect(response).toMatch(/^HTTP\/1\.1 401/);
  });

  it('refuses a cookie-authenticated stream from another site', async () => {
    expect(await refusal(openStream(host, { cookie: alice.cookie, origin: 'https://evil.example' }))).toBe(403);
    const sameSite = await opens(openStream(host, { cookie: alice.cookie, origin: ORIGIN }));
    expect(await sameSite.next()).toEqual({ type: 'subscribed', room: `user:${alice.id}` });
  });

  it('authenticates with a token (header or ?token=), subscribes and unsubscribes, and delivers event frames', async () => {
    const token = await createToken(bob);
    const viaQuery = await opens(openStream(host, { query: `?token=${encodeURIComponent(token)}` }));
    expect(await viaQuery.next()).toEqual({ type: 'subscribed', room: `user:${bob.id}` });

    const stream = await opens(openStream(host, { token }));
    expect(await stream.next()).toEqual({ type: 'subscribed', room: `user:${bob.id}` });
    const room: Room = `thread:${publicThread}`;
    stream.send({ type: 'subscribe', room });
    expect(await stream.next()).toEqual({ type: 'subscribed', room });
    await t.bus.publish(postCreated(publicThread, 201));
    expect(await stream.next()).toEqual({ type: 'event', event: 'post.created', room, data: postCreated(publicThread, 201).data });

    stream.send({ type: 'unsubscribe', room });
    expect(await stream.next()).toEqual({ type: 'unsubscribed', room });
    await t.bus.publish(postCreated(publicThread, 202));
    await t.bus.publish(unread(bob.id, 7));
    expect(await stream.next()).toEqual({ type: 'event', event: 'notification.read', room: `user:${bob.id}`, data: { unreadCount: 7 } });
  });

  it('refuses a private thread to a non-member and another user’s room, and grants the thread to a member', async () => {
    const outsider = await opens(openStream(host, { token: await createToken(bob) }));
    await outsider.next();
    outsider.send({ type: 'subscribe', room: `thread:${privateThread}` });
    expect(await outsider.next()).toMatchObject({ type: 'error', room: `thread:${privateThread}` });
    outsider.send({ type: 'subscribe', room: `user:${alice.id}` });
    expect(await outsider.next()).toMatchObject({ type: 'error', room: `user:${alice.id}` });
    await t.bus.publish(postCreated(privateThread, 203));
    await t.bus.publish(unread(alice.id, 8));
    await t.bus.publish(unread(bob.id, 9));
    expect(await outsider.next()).toMatchObject({ type: 'event', room: `user:${bob.id}`, data: { unreadCount: 9 } });

    const member = await opens(openStream(host, { cookie: insider.cookie }));
    await member.next();
    member.send({ type: 'subscribe', room: `thread:${privateThread}` });
    expect(await member.next()).toEqual({ type: 'subscribed', room: `thread:${privateThread}` });
  });

  it('answers malformed frames with error frames and keeps the connection', async () => {
    const stream = await opens(openStream(host, { cookie: alice.cookie }));
    await stream.next();
    for (const bad of ['{not json', '"a string"', '{"type":"dance"}', '{"type":"subscribe"}', '{"type":"subscribe","room":"community:1"}']) {
      stream.send(bad);
      expect(await stream.next()).toMatchObject({ type: 'error', message: expect.any(String) });
    }
    stream.socket.send(Buffer.from([1, 2, 3]), { binary: true });
    expect(await stream.next()).toMatchObject({ type: 'error' });
    stream.send({ type: 'ping' });
    expect(await stream.next()).toEqual({ type: 'pong' });
    expect(stream.socket.readyState).toBe(WebSocket.OPEN);
  });
});

describe('thread read cache', () => {
  it('drops a thread’s cached anonymous reads when a message for its room arrives', async () => {
    const socket = await connected(ioClient(host));
    const events = recordEvents(socket);
    await joinThread(socket, publicThread);
    t.app.threadCache.set(publicThread, 'page', '{"cached":true}', Date.now());
    await t.bus.publish(postCreated(publicThread, 301));
    await events.until(withPost(301));
    expect(t.app.threadCache.get(publicThread, 'page', Date.now())).toBeUndefined();
  });
});

describe.skipIf(!REDIS_URL)('two API nodes on one Redis bus (needs TEST_REDIS_URL)', () => {
  const channel = `praxis:test:${randomUUID()}`;
  let nodes: TestApp[] = [];
  afterAll(async () => {
    await Promise.all(nodes.map((node) => node.close()));
  });

  it('delivers a message published through one node’s bus to a socket.io client of the other', async () => {
    const buses = [0, 1].map(() => createRedisEventBus({ redisUrl: REDIS_URL, channel, logger: { warn: () => {} } }));
    await Promise.all(buses.map((bus) => bus.ready()));
    nodes = await Promise.all(buses.map((bus) => buildTestApp({}, { bus })));
    const [nodeA, nodeB] = nodes as [TestApp, TestApp];
    const hostB = await listen(nodeB);
    const carol = await signUp(nodeB.app);
    const adminB = await signUpAs(nodeB.app, 'admin');
    const threadOnB = await ask(adminB, await createCommunity(adminB, 'elsewhere'), 'A question on node B');
    nodeB.app.threadCache.set(threadOnB, 'page', '{"cached":true}', Date.now());

    const socket = await connected(ioClient(hostB, { cookie: carol.cookie }));
    const events = recordEvents(socket);
    expect(await joinThread(socket, threadOnB)).toEqual({ ok: true });
    await nodeA.bus.publish(postCreated(threadOnB, 401));
    await nodeA.bus.publish(unread(carol.id, 10));
    await events.until(withUnread(10));
    expect(events.received).toEqual([
      { event: 'post.created', data: postCreated(threadOnB, 401).data },
      { event: 'notification.read', data: { unreadCount: 10 } },
    ]);
    expect(nodeB.app.threadCache.get(threadOnB, 'page', Date.now())).toBeUndefined();
  });
});

describe('logs', () => {
  it('never contain a token passed in the query string', async () => {
    const { redactSecrets } = await import('../src/app.js');
    expect(redactSecrets('/api/v1/stream?token=pxt_secret&x=1')).toBe('/api/v1/stream?token=[redacted]&x=1');
    expect(redactSecrets('/api/v1/email/unsubscribe?kind=mention&token=abc123')).toBe('/api/v1/email/unsubscribe?kind=mention&token=[redacted]');
    expect(redactSecrets('/api/v1/threads?cursor=5')).toBe('/api/v1/threads?cursor=5');
  });
});
