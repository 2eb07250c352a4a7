import { randomUUID } from 'node:crypto';
import { accessTokens, communities, eq, memberships } from '@praxis/db';
import { createRedisEventBus, type Room } from '@praxis/realtime';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { ask, buildTestApp, createCommunity, signUp, signUpAs, type Session, type TestApp } from './helper.js';
import {
  closeOpened,
  connected,
  createToken,
  ioClient,
  joinThread,
  lastOutboxId,
  listen,
  openStream,
  opens,
  postCreated,
  publishAccessChanges,
  recordEvents,
  unread,
  withTimeout,
  withUnread,
  type ClientSocket,
  type StreamClient,
} from './realtime-clients.js';

/**
 * Live connections follow permissions (issue 10, finding 1), over socket.io and /api/v1/stream: every join is
 * checked against current data, and the access changes the worker publishes (played here from the outbox with
 * the worker's own accessChangeFor) drop rooms and close connections whose session or token ended.
 */

const REDIS_URL = process.env.TEST_REDIS_URL ?? '';
afterEach(closeOpened);

let t: TestApp;
let host: string;
let admin: Session;
let insider: Session;
let outsider: Session;
let vaultId: number;

beforeAll(async () => {
  t = await buildTestApp();
  admin = await signUpAs(t.app, 'admin');
  await createCommunity(admin, 'square');
  await createCommunity(admin, 'vault', 'private');
  insider = await signUp(t.app);
  outsider = await signUp(t.app);
  const [vault] = await t.database.db.select().from(communities).where(eq(communities.slug, 'vault'));
  vaultId = vault!.id;
  await addMember(insider);
  host = await listen(t);
});
afterAll(() => t.close());

/** Private communities are joined by invitation: the test puts the member in directly. */
async function addMember(session: Session): Promise<void> {
  await t.database.db.insert(memberships).values({ communityId: vaultId, userId: session.id });
}

async function leaveVault(session: Session): Promise<void> {
  const response = await session.inject({ method: 'POST', url: '/api/v1/communities/vault/leave' });
  if (response.statusCode !== 200) throw new Error(`leave failed: ${response.body}`);
}

/** Runs an action, then plays the worker for the access changes it wrote; returns how many were published. */
async function thenPublishAccessChanges(action: () => Promise<unknown>): Promise<number> {
  const before = await lastOutboxId(t.database);
  await action();
  return publishAccessChanges(t.database, t.bus, before);
}

function nextEvent(socket: ClientSocket, event: 'thread.left' | 'session.ended'): Promise<unknown> {
  return withTimeout(`socket.io ${event}`, (resolve) => socket.once(event, (data: unknown) => resolve(data)));
}

function disconnection(socket: ClientSocket): Promise<string> {
  return withTimeout('socket.io disconnect', (resolve) => {
    if (socket.disconnected) return resolve('already');
    socket.once('disconnect', (reason) => resolve(reason));
  });
}

function closeCode(stream: StreamClient): Promise<number> {
  return withTimeout('the stream to close', (resolve) => {
    if (stream.socket.readyState === WebSocket.CLOSED) return resolve(-1);
    stream.socket.once('close', (code) => resolve(code));
  });
}

/** The answer to a subscribe frame, minus the room it names. */
async function subscribeAnswer(stream: StreamClient, room: Room): Promise<unknown> {
  stream.send({ type: 'subscribe', room });
  const frame = (await stream.next()) as { room?: string; message?: string };
  return { ...frame, room: undefined, message: frame.message?.replace(room, '<room>') };
}

describe('a member who leaves a private community (socket.io)', () => {
  it('is refused its threads on the connection opened before leaving, with the answer a missing thread gets', async () => {
    const leaver = await signUp(t.app);
    await addMember(leaver);
    const thread = await ask(insider, 'vault', 'A private question the leaver could read');
    const socket = await connected(ioClient(host, { cookie: leaver.cookie }));
    expect(await joinThread(socket, thread)).toEqual({ ok: true });

    await leaveVault(leaver);
    // No worker has run yet: the join alone is re-checked against current data.
    const refused = await joinThread(socket, thread);
    expect(refused).toEqual({ ok: false, error: 'not_found' });
    expect(refused).toEqual(await joinThread(socket, 999_999));
    const newThread = await ask(insider, 'vault', 'A private question asked after the leaver left');
    expect(await joinThread(socket, newThread)).toEqual(await joinThread(socket, 999_998));
  });

  it('loses the rooms it had joined, is told so, and receives no more of their events', async () => {
    const leaver = await signUp(t.app);
    await addMember(leaver);
    const thread = await ask(insider, 'vault', 'Another private question for the leaver');
    const socket = await connected(ioClient(host, { cookie: leaver.cookie }));
    const events = recordEvents(socket);
    expect(await joinThread(socket, thread)).toEqual({ ok: true });
    await t.bus.publish(postCreated(thread, 11));
    await events.until((data) => (data as { postId?: number }).postId === 11);

    const left = nextEvent(socket, 'thread.left');
    expect(await thenPublishAccessChanges(() => leaveVault(leaver))).toBe(1);
    expect(await left).toEqual({ threadId: thread, reason: 'access_changed' });

    await t.bus.publish(postCreated(thread, 12));
    await t.bus.publish({
      room: `thread:${thread}`,
      event: 'thread.updated',
      data: { threadId: thread, postId: null, reason: 'thread.edited' },
    });
    await t.bus.publish(unread(leaver.id, 1));
    await events.until(withUnread(1));
    expect(events.received.map((r) => r.event)).toEqual(['post.created', 'thread.left', 'notification.read']);
  });
});

describe('a member who leaves a private community (/api/v1/stream)', () => {
  it('is refused its threads like a missing one, loses its subscription and receives no more of its events', async () => {
    const leaver = await signUp(t.app);
    await addMember(leaver);
    const thread = await ask(insider, 'vault', 'A private question for the stream leaver');
    const room: Room = `thread:${thread}`;
    const stream = await opens(openStream(host, { token: await createToken(leaver) }));
    expect(await stream.next()).toEqual({ type: 'subscribed', room: `user:${leaver.id}` });
    stream.send({ type: 'subscribe', room });
    expect(await stream.next()).toEqual({ type: 'subscribed', room });

    const before = await lastOutboxId(t.database);
    await leaveVault(leaver);
    const missing: Room = 'thread:999997';
    const refused = await subscribeAnswer(stream, room);
    expect(refused).toMatchObject({ type: 'error' });
    expect(refused).toEqual(await subscribeAnswer(stream, missing));

    expect(await publishAccessChanges(t.database, t.bus, before)).toBe(1);
    expect(await stream.next()).toEqual({ type: 'unsubscribed', room, reason: 'access_changed' });
    await t.bus.publish(postCreated(thread, 21));
    await t.bus.publish(unread(leaver.id, 2));
    expect(await stream.next()).toMatchObject({ type: 'event', event: 'notification.read', data: { unreadCount: 2 } });
  });
});

describe('a thread moved into a private community', () => {
  it('leaves the rooms of outsiders (signed in or anonymous) on both transports, and keeps its members’', async () => {
    const thread = await ask(admin, 'square', 'A public question about to move');
    const room: Room = `thread:${thread}`;
    const outsiderSocket = await connected(ioClient(host, { cookie: outsider.cookie }));
    const anonymousSocket = await connected(ioClient(host));
    const memberSocket = await connected(ioClient(host, { cookie: insider.cookie }));
    for (const socket of [outsiderSocket, anonymousSocket, memberSocket]) expect(await joinThread(socket, thread)).toEqual({ ok: true });
    const outsiderEvents = recordEvents(outsiderSocket);
    const memberEvents = recordEvents(memberSocket);
    const stream = await opens(openStream(host, { token: await createToken(outsider) }));
    await stream.next();
    stream.send({ type: 'subscribe', room });
    expect(await stream.next()).toEqual({ type: 'subscribed', room });

    const outsiderLeft = nextEvent(outsiderSocket, 'thread.left');
    const anonymousLeft = nextEvent(anonymousSocket, 'thread.left');
    const moved = await thenPublishAccessChanges(async () => {
      const response = await admin.inject({ method: 'POST', url: `/api/v1/threads/${thread}/move`, payload: { community: 'vault' } });
      if (response.statusCode !== 200) throw new Error(`move failed: ${response.body}`);
    });
    expect(moved).toBe(1);
    expect(await outsiderLeft).toEqual({ threadId: thread, reason: 'access_changed' });
    expect(await anonymousLeft).toEqual({ threadId: thread, reason: 'access_changed' });
    expect(await stream.next()).toEqual({ type: 'unsubscribed', room, reason: 'access_changed' });

    await t.bus.publish(postCreated(thread, 31));
    await t.bus.publish(unread(outsider.id, 3));
    await memberEvents.until((data) => (data as { postId?: number }).postId === 31);
    await outsiderEvents.until(withUnread(3));
    expect(outsiderEvents.received.map((r) => r.event)).toEqual(['thread.left', 'notification.read']);
    expect(await stream.next()).toMatchObject({ type: 'event', event: 'notification.read', data: { unreadCount: 3 } });
    expect(await joinThread(outsiderSocket, thread)).toEqual({ ok: false, error: 'not_found' });
  });
});

describe('a session that ends', () => {
  it('after logout: new joins are refused and the socket.io connection is closed', async () => {
    const user = await signUp(t.app);
    const publicThread = await ask(admin, 'square', 'A public question for the logout test');
    const socket = await connected(ioClient(host, { cookie: user.cookie }));
    expect(await joinThread(socket, publicThread)).toEqual({ ok: true });
    const ended = nextEvent(socket, 'session.ended');
    const closed = disconnection(socket);
    expect((await user.inject({ method: 'POST', url: '/api/v1/auth/logout' })).statusCode).toBe(200);
    // Before any worker: the join re-resolves the session, finds it gone, refuses and closes.
    expect(await joinThread(socket, publicThread)).toEqual({ ok: false, error: 'not_found' });
    expect(await ended).toEqual({ reason: 'signed_out' });
    expect(await closed).toBe('io server disconnect');
  });

  it('after logout: the worker’s session.ended closes open connections on both transports', async () => {
    const user = await signUp(t.app);
    const socket = await connected(ioClient(host, { cookie: user.cookie }));
    const stream = await opens(openStream(host, { cookie: user.cookie }));
    await stream.next();
    const closed = disconnection(socket);
    const streamClosed = closeCode(stream);
    expect(await thenPublishAccessChanges(() => user.inject({ method: 'POST', url: '/api/v1/auth/logout' }))).toBe(1);
    expect(await closed).toBe('io server disconnect');
    expect(await streamClosed).toBe(4401);
  });

  it('after a token is revoked: its connections close on both transports, and a new join is refused', async () => {
    const user = await signUp(t.app);
    const token = await createToken(user);
    const tokenId = ((await user.inject({ method: 'GET', url: '/api/v1/me/tokens' })).json().items as Array<{ id: number }>)[0]!.id;
    const socket = await connected(ioClient(host, { token }));
    const stream = await opens(openStream(host, { token }));
    await stream.next();
    const otherStream = await opens(openStream(host, { token }));
    await otherStream.next();
    const closed = disconnection(socket);
    const streamClosed = closeCode(stream);

    const before = await lastOutboxId(t.database);
    expect((await user.inject({ method: 'DELETE', url: `/api/v1/me/tokens/${tokenId}` })).statusCode).toBe(200);
    // Before the worker: a subscribe re-resolves the token, is refused, and the connection closes.
    const otherClosed = closeCode(otherStream);
    otherStream.send({ type: 'subscribe', room: `thread:${await ask(admin, 'square', 'A public question for the revoked token')}` });
    expect(await otherStream.next()).toMatchObject({ type: 'error' });
    expect(await otherClosed).toBe(4401);

    expect(await publishAccessChanges(t.database, t.bus, before)).toBe(1);
    expect(await closed).toBe('io server disconnect');
    expect(await streamClosed).toBe(4401);
  });

  it('sign out of all sessions closes the connections of every session of the user, not of others', async () => {
    const user = await signUp(t.app);
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { origin: 'http://localhost:3000' },
      payload: { login: user.username, password: 'correct horse battery' },
    });
    const secondCookie = login.cookies.find((c) => c.name === 'praxis_session')!.value;
    const first = await connected(ioClient(host, { cookie: user.cookie }));
    const second = await connected(ioClient(host, { cookie: secondCookie }));
    const bystander = recordEvents(await connected(ioClient(host, { cookie: outsider.cookie })));
    const firstClosed = disconnection(first);
    const secondClosed = disconnection(second);
    const published = await thenPublishAccessChanges(() =>
      user.inject({ method: 'POST', url: '/api/v1/auth/logout', payload: { allSessions: true } }),
    );
    expect(published).toBe(1);
    expect(await firstClosed).toBe('io server disconnect');
    expect(await secondClosed).toBe('io server disconnect');
    await t.bus.publish(unread(outsider.id, 4));
    await bystander.until(withUnread(4));
  });
});

describe.skipIf(!REDIS_URL)('access changes across API nodes (needs TEST_REDIS_URL)', () => {
  const channel = `praxis:test:${randomUUID()}`;
  let nodes: TestApp[] = [];
  afterAll(async () => {
    await Promise.all(nodes.map((node) => node.close()));
  });

  it('an access change published through one node’s bus drops the room on the other node', async () => {
    const buses = [0, 1].map(() => createRedisEventBus({ redisUrl: REDIS_URL, channel, logger: { warn: () => {} } }));
    await Promise.all(buses.map((bus) => bus.ready()));
    nodes = await Promise.all(buses.map((bus) => buildTestApp({}, { bus })));
    const [nodeA, nodeB] = nodes as [TestApp, TestApp];
    const hostB = await listen(nodeB);
    const adminB = await signUpAs(nodeB.app, 'admin');
    await createCommunity(adminB, 'hidden', 'private');
    const [hidden] = await nodeB.database.db.select().from(communities).where(eq(communities.slug, 'hidden'));
    const member = await signUp(nodeB.app);
    await nodeB.database.db.insert(memberships).values({ communityId: hidden!.id, userId: member.id });
    const thread = await ask(adminB, 'hidden', 'A private question on node B');
    const socket = await connected(ioClient(hostB, { cookie: member.cookie }));
    expect(await joinThread(socket, thread)).toEqual({ ok: true });

    const before = await lastOutboxId(nodeB.database);
    expect((await member.inject({ method: 'POST', url: '/api/v1/communities/hidden/leave' })).statusCode).toBe(200);
    const left = nextEvent(socket, 'thread.left');
    // The worker of a distributed deployment publishes through any node's bus: here node A's.
    expect(await publishAccessChanges(nodeB.database, nodeA.bus, before)).toBe(1);
    expect(await left).toEqual({ threadId: thread, reason: 'access_changed' });
  });
});

describe('a credential that expires while connected', () => {
  it('closes the connection on both transports when its token expires, with no event needed', async () => {
    const user = await signUp(t.app);
    const token = await createToken(user);
    const tokenId = ((await user.inject({ method: 'GET', url: '/api/v1/me/tokens' })).json().items as Array<{ id: number }>)[0]!.id;
    // The API refuses expiries under a day; the test shortens this one in the database (the clock is the real one here).
    await t.database.db
      .update(accessTokens)
      .set({ expiresAt: new Date(Date.now() + 3_000) })
      .where(eq(accessTokens.id, tokenId));
    // Both connections close on the same expiry: listen to each as soon as it is open, before awaiting either.
    const socket = await connected(ioClient(host, { token }));
    const closed = disconnection(socket);
    const stream = await opens(openStream(host, { token }));
    const streamClosed = closeCode(stream);
    await stream.next();
    expect(await closed).toBe('io server disconnect');
    expect(await streamClosed).toBe(4401);
  });
});
