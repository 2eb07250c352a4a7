import { randomBytes, randomUUID } from 'node:crypto';
import { connect as connectTcp } from 'node:net';
import { communities, eq, memberships } from '@praxis/db';
import { createRedisEventBus, type Room } from '@praxis/realtime';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { ask, buildTestApp, createCommunity, ORIGIN, signUp, signUpAs, type Session, type TestApp } from './helper.js';
import {
  closeOpened,
  connected,
  connectError,
  createToken,
  ioClient,
  joinThread,
  listen,
  opened,
  openStream,
  opens,
  postCreated,
  recordEvents,
  refusal,
  TIMEOUT_MS,
  unread,
  withPost,
  withTimeout,
  withUnread,
} from './realtime-clients.js';

// Set by `npm test` when Redis is reachable; without it the two-node case is skipped.
const REDIS_URL = process.env.TEST_REDIS_URL ?? '';

afterEach(closeOpened);

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
    expect(await socket.timeout(TIMEOUT_MS).emitWithAck('thread.join', { threadId: 'one' as unknown as number })).toEqual({
      ok: false,
      error: 'bad_request',
    });
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
    const handshake = [
      'GET /api/v1/stream HTTP/1.1',
      `Host: ${host}`,
      'Connection: Upgrade',
      'Upgrade: websocket',
      'Sec-WebSocket-Version: 13',
    ];
    socket.write(
      [...handshake, `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`, 'Authorization: Bearer pat_nope', '', ''].join('\r\n'),
    );
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
    for (const bad of [
      '{not json',
      '"a string"',
      '{"type":"dance"}',
      '{"type":"subscribe"}',
      '{"type":"subscribe","room":"community:1"}',
    ]) {
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
    t.app.threadCache.set(publicThread, 'page', '{"cached":true}', Date.now(), t.app.threadCache.version());
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
    nodeB.app.threadCache.set(threadOnB, 'page', '{"cached":true}', Date.now(), nodeB.app.threadCache.version());

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
    expect(redactSecrets('/api/v1/email/unsubscribe?kind=mention&token=abc123')).toBe(
      '/api/v1/email/unsubscribe?kind=mention&token=[redacted]',
    );
    expect(redactSecrets('/api/v1/threads?cursor=5')).toBe('/api/v1/threads?cursor=5');
  });
});
