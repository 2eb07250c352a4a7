import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, desc, eq, outboxEvents, posts, recomputeTrustLevel, users, userStats } from '@praxis/db';
import { ask, buildTestApp, createCommunity, expectProblem, reply, signUp, signUpAs, type Session, type TestApp } from './helper.js';
import { accessChangeFor } from '@praxis/realtime';

let t: TestApp;
let admin: Session;
let community: string;

const lastEvent = async (type: string) =>
  (await t.database.db.select().from(outboxEvents).where(eq(outboxEvents.type, type)).orderBy(desc(outboxEvents.id)).limit(1))[0];
const eventsFor = async (type: string, threadId: number) =>
  (
    await t.database.db
      .select()
      .from(outboxEvents)
      .where(and(eq(outboxEvents.type, type), eq(outboxEvents.aggregateId, threadId)))
  ).length;
const joined = async (username?: string) => {
  const s = await signUp(t.app, username);
  expect((await s.inject({ method: 'POST', url: `/api/v1/communities/${community}/join` })).statusCode).toBe(200);
  return s;
};

beforeAll(async () => {
  t = await buildTestApp({}, { newcomerLimits: 'defaults' });
  admin = await signUpAs(t.app, 'admin', 'trustadmin');
  community = await createCommunity(admin, 'homebrew');
});
afterAll(() => t.close());

describe('TL0 newcomer limits', () => {
  it('refuses a third link with a clear NEWCOMER_LIMIT problem, and lets TL1 through', async () => {
    const newbie = await joined('newbie');
    const body = 'See https://a.example, https://b.example and https://c.example';
    const refused = expectProblem(
      await newbie.inject({
        method: 'POST',
        url: '/api/v1/threads',
        payload: { community, title: 'Three links in a post', body, tags: [] },
      }),
      422,
      'NEWCOMER_LIMIT',
    );
    expect(refused.detail).toBe(
      "New members can include at most 2 links per post; you'll be able to post more after a few days of reading and replying",
    );
    expect(refused.errors).toEqual({ body: refused.detail });
    expect(
      (
        await newbie.inject({
          method: 'POST',
          url: '/api/v1/threads',
          payload: { community, title: 'Two links in a post', body: 'https://a.example https://b.example', tags: [] },
        })
      ).statusCode,
    ).toBe(201);
    await t.database.db.update(users).set({ trustLevel: 1 }).where(eq(users.id, newbie.id));
    expect(
      (await newbie.inject({ method: 'POST', url: '/api/v1/threads', payload: { community, title: 'Three links as TL1', body, tags: [] } }))
        .statusCode,
    ).toBe(201);
  });

  it('refuses a fourth new topic in a day, but still takes replies', async () => {
    const eager = await joined('eager');
    for (let i = 0; i < 3; i++) await ask(eager, community, `Eager question number ${i}`);
    const refused = expectProblem(
      await eager.inject({
        method: 'POST',
        url: '/api/v1/threads',
        payload: { community, title: 'Eager question number 3', body: 'x', tags: [] },
      }),
      422,
      'NEWCOMER_LIMIT',
    );
    expect(refused.detail).toMatch(/^New members can start at most 3 topics a day; try again tomorrow/);
    const threadId = await ask(admin, community, 'An admin question for replies');
    expect(
      (await eager.inject({ method: 'POST', url: `/api/v1/threads/${threadId}/posts`, payload: { body: 'A reply' } })).statusCode,
    ).toBe(201);
  });

  it('staff are never limited', async () => {
    const body = Array.from({ length: 6 }, (_, i) => `https://x${i}.example`).join(' ');
    expect(
      (await admin.inject({ method: 'POST', url: '/api/v1/threads', payload: { community, title: 'Lots of admin links', body, tags: [] } }))
        .statusCode,
    ).toBe(201);
  });
});

describe('admin trust settings', () => {
  it('shows the defaults, lets admins change thresholds and limits, refuses others and inconsistent thresholds', async () => {
    const shown = await admin.inject({ method: 'GET', url: '/api/v1/admin/trust' });
    expect(shown.json()).toMatchObject({
      isDefault: true,
      newcomerLimits: { linksPerPost: 2, mentionsPerPost: 2, postsPerDay: 10, topicsPerDay: 3 },
      thresholds: { tl1: { topicsEntered: 5, postsRead: 30 } },
    });
    const member = await joined();
    expectProblem(await member.inject({ method: 'GET', url: '/api/v1/admin/trust' }), 403, 'FORBIDDEN');
    expectProblem(
      await member.inject({ method: 'PUT', url: '/api/v1/admin/trust', payload: { newcomerLimits: shown.json().newcomerLimits } }),
      403,
      'FORBIDDEN',
    );
    const bad = { ...shown.json().thresholds, tl2: { ...shown.json().thresholds.tl2, postsRead: 1 } };
    expectProblem(
      await admin.inject({ method: 'PUT', url: '/api/v1/admin/trust', payload: { thresholds: bad } }),
      400,
      'VALIDATION_FAILED',
    );
    const saved = await admin.inject({
      method: 'PUT',
      url: '/api/v1/admin/trust',
      payload: { newcomerLimits: { ...shown.json().newcomerLimits, linksPerPost: 5 } },
    });
    expect(saved.json()).toMatchObject({ isDefault: false, newcomerLimits: { linksPerPost: 5 } });
  });

  it('recomputes levels from reading: the page’s read marks count topics and posts, the worker moves a member who meets TL1 up with trust.changed', async () => {
    const current = (await admin.inject({ method: 'GET', url: '/api/v1/admin/trust' })).json();
    const thresholds = { ...current.thresholds, tl1: { ...current.thresholds.tl1, topicsEntered: 2, postsRead: 2 } };
    expect((await admin.inject({ method: 'PUT', url: '/api/v1/admin/trust', payload: { thresholds } })).statusCode).toBe(200);
    const reader = await joined('avidreader');
    const a = await ask(admin, community, 'First thing worth reading');
    const b = await ask(admin, community, 'Second thing worth reading');
    const activity = async () =>
      (
        await t.database.db
          .select()
          .from(outboxEvents)
          .where(and(eq(outboxEvents.type, 'user.activity-recorded'), eq(outboxEvents.aggregateId, reader.id)))
      ).length;
    const statsOf = async () => (await t.database.db.select().from(userStats).where(eq(userStats.userId, reader.id)))[0];
    const before = await activity();
    // Reading pages writes nothing.
    await reader.inject({ method: 'GET', url: `/api/v1/threads/${a}` });
    await reader.inject({ method: 'GET', url: `/api/v1/threads/${b}/page` });
    expect((await statsOf()) ?? { topicsEntered: 0, postsRead: 0 }).toMatchObject({ topicsEntered: 0, postsRead: 0 });
    expect(await activity()).toBe(before);
    // The read marks the pages send afterwards: counted, with one event each for the worker; no level computed in the request.
    expect(
      (await reader.inject({ method: 'POST', url: '/api/v1/me/reads', payload: { items: [{ threadId: a, lastPostNumber: 1 }] } }))
        .statusCode,
    ).toBe(200);
    expect(await activity()).toBe(before + 1);
    expect(
      (await reader.inject({ method: 'POST', url: '/api/v1/me/reads', payload: { items: [{ threadId: b, lastPostNumber: 1 }] } }))
        .statusCode,
    ).toBe(200);
    expect(await activity()).toBe(before + 2);
    expect(await statsOf()).toMatchObject({ topicsEntered: 2, postsRead: 2 });
    expect((await reader.inject({ method: 'GET', url: '/api/v1/me' })).json().trustLevel).toBe(0);
    // The worker's part on user.activity-recorded (apps/worker/test/trust.test.ts runs the real handler): recompute the level.
    await t.database.db.transaction((tx) => recomputeTrustLevel(tx, reader.id, new Date()));
    const changed = await lastEvent('trust.changed');
    expect(changed?.payload).toEqual({ userId: reader.id, from: 0, to: 1 });
    // …and the worker's realtime.publish of that event: every API node forgets the credentials it cached for the reader.
    await t.app.bus.publish(accessChangeFor(changed!.type, changed!.payload)!);
    expect((await reader.inject({ method: 'GET', url: '/api/v1/me' })).json().trustLevel).toBe(1);
  });
});

describe('held first posts', () => {
  it('holds a newcomer’s first thread and reply for approval; approving announces them', async () => {
    const lead = await joined('holdleader');
    await admin.inject({
      method: 'PUT',
      url: `/api/v1/communities/${community}/members/${lead.username}/role`,
      payload: { role: 'leader' },
    });
    const toggled = await lead.inject({ method: 'PATCH', url: `/api/v1/communities/${community}`, payload: { holdFirstPosts: true } });
    expect(toggled.json().holdFirstPosts).toBe(true);
    const fresh = await joined('freshface');
    const other = await joined('onlooker');

    const threadId = await ask(fresh, community, 'My very first question here');
    expect(await eventsFor('post.held', threadId)).toBe(1);
    expect(await eventsFor('thread.created', threadId)).toBe(0);
    // The author sees it as held; others see nothing of it, in lists or by id.
    const own = (await fresh.inject({ method: 'GET', url: `/api/v1/threads/${threadId}` })).json();
    expect(own.posts[0]).toMatchObject({ held: true });
    expectProblem(await other.inject({ method: 'GET', url: `/api/v1/threads/${threadId}` }), 404, 'NOT_FOUND');
    expectProblem(await t.app.inject({ method: 'GET', url: `/api/v1/threads/${threadId}` }), 404, 'NOT_FOUND');
    const listed = (await other.inject({ method: 'GET', url: `/api/v1/threads?community=${community}` }))
      .json()
      .items.map((i: { id: number }) => i.id);
    expect(listed).not.toContain(threadId);
    expect(
      (await fresh.inject({ method: 'GET', url: `/api/v1/threads?community=${community}` })).json().items.map((i: { id: number }) => i.id),
    ).toContain(threadId);

    // Moderators see it in the queue, held.
    const queue = (await lead.inject({ method: 'GET', url: `/api/v1/communities/${community}/review` })).json();
    const item = queue.items.find((i: { thread: { id: number } }) => i.thread.id === threadId);
    expect(item).toMatchObject({ post: { held: true, number: 1 }, openFlags: 0, flags: [] });
    expectProblem(
      await lead.inject({ method: 'POST', url: `/api/v1/posts/${item.post.id}/review`, payload: { action: 'dismiss' } }),
      409,
      'NOTHING_TO_REVIEW',
    );

    // A reply before approval is held too (no approved post yet).
    const open = await ask(admin, community, 'An open thread for replies');
    const replyId = await reply(fresh, open, 'My first reply, also held');
    expect(await eventsFor('post.held', open)).toBe(1);
    expect(
      (await other.inject({ method: 'GET', url: `/api/v1/threads/${open}` })).json().posts.map((p: { id: number }) => p.id),
    ).not.toContain(replyId);
    expect((await other.inject({ method: 'GET', url: `/api/v1/threads/${open}` })).json().replyCount).toBe(0);

    // Approve the thread: thread.created now, visible to all; the author's later posts are no longer held.
    expect(
      (await lead.inject({ method: 'POST', url: `/api/v1/posts/${item.post.id}/review`, payload: { action: 'approve' } })).statusCode,
    ).toBe(200);
    expect(await eventsFor('thread.created', threadId)).toBe(1);
    expect((await other.inject({ method: 'GET', url: `/api/v1/threads/${threadId}` })).json().posts[0].held).toBe(false);
    const [heldReply] = await t.database.db.select().from(posts).where(eq(posts.id, replyId));
    expect(heldReply?.heldAt).not.toBeNull();
    expect((await lead.inject({ method: 'POST', url: `/api/v1/posts/${replyId}/review`, payload: { action: 'approve' } })).statusCode).toBe(
      200,
    );
    expect(await eventsFor('post.created', open)).toBe(1);
    expect((await other.inject({ method: 'GET', url: `/api/v1/threads/${open}` })).json().replyCount).toBe(1);
    const second = await reply(fresh, open, 'Not held any more');
    expect((await other.inject({ method: 'GET', url: `/api/v1/threads/${open}` })).json().posts.map((p: { id: number }) => p.id)).toContain(
      second,
    );

    // Leaders' own posts are never held.
    const leadThread = await ask(lead, community, 'A leader posting first time');
    expect(await eventsFor('post.held', leadThread)).toBe(0);
    await lead.inject({ method: 'PATCH', url: `/api/v1/communities/${community}`, payload: { holdFirstPosts: false } });
  });
});

describe('charter history', () => {
  it('keeps every charter revision (who, when) and diffs any two', async () => {
    const first = (await t.app.inject({ method: 'GET', url: `/api/v1/communities/${community}/charter/revisions` })).json();
    expect(first).toMatchObject({ current: 1, items: [{ revision: 1, charter: '# Charter', editor: { username: admin.username } }] });
    await admin.inject({ method: 'PATCH', url: `/api/v1/communities/${community}`, payload: { charter: '# Charter\nBe kind.' } });
    await admin.inject({ method: 'PATCH', url: `/api/v1/communities/${community}`, payload: { charter: '# Charter\nBe kind.' } }); // unchanged: no revision
    await admin.inject({ method: 'PATCH', url: `/api/v1/communities/${community}`, payload: { name: 'Home brewing' } }); // no charter: no revision
    const after = (await t.app.inject({ method: 'GET', url: `/api/v1/communities/${community}/charter/revisions` })).json();
    expect(after.current).toBe(2);
    expect(after.items.map((i: { revision: number }) => i.revision)).toEqual([2, 1]);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/communities/${community}` })).json().charterRevision).toBe(2);
    const diff = (await t.app.inject({ method: 'GET', url: `/api/v1/communities/${community}/charter/diff?from=1&to=2` })).json();
    expect(diff.parts).toEqual([
      { value: '# Charter\n', added: false, removed: false },
      { value: 'Be kind.\n', added: true, removed: false },
    ]);
    expectProblem(
      await t.app.inject({ method: 'GET', url: `/api/v1/communities/${community}/charter/diff?from=1&to=9` }),
      404,
      'NOT_FOUND',
    );
    const priv = await createCommunity(admin, 'secret-still', 'private');
    expectProblem(await t.app.inject({ method: 'GET', url: `/api/v1/communities/${priv}/charter/revisions` }), 404, 'NOT_FOUND');
  });
});

describe('rate limits on writes', () => {
  it('refuses a member’s writes over WRITE_RATE_LIMIT a minute with 429 RATE_LIMITED and Retry-After (in-process)', async () => {
    const limited = await buildTestApp({ WRITE_RATE_LIMIT: '3' });
    try {
      const boss = await signUpAs(limited.app, 'admin', 'limitadmin');
      const slug = await createCommunity(boss, 'limits');
      const member = await signUp(limited.app, 'busybee');
      const threadId = await ask(boss, slug, 'A thread to reply to');
      for (let i = 0; i < 2; i++)
        expect((await member.inject({ method: 'POST', url: `/api/v1/communities/${slug}/${i === 0 ? 'join' : 'leave'}` })).statusCode).toBe(
          200,
        );
      expect((await member.inject({ method: 'POST', url: `/api/v1/communities/${slug}/join` })).statusCode).toBe(200);
      const refused = await member.inject({ method: 'POST', url: `/api/v1/threads/${threadId}/posts`, payload: { body: 'one too many' } });
      const problem = expectProblem(refused, 429, 'RATE_LIMITED');
      expect(problem.detail).toMatch(/at most 3 a minute/);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      // Reads are not limited, nor is someone else.
      expect((await member.inject({ method: 'GET', url: `/api/v1/threads/${threadId}` })).statusCode).toBe(200);
      expect((await boss.inject({ method: 'POST', url: `/api/v1/threads/${threadId}/posts`, payload: { body: 'fine' } })).statusCode).toBe(
        201,
      );
    } finally {
      await limited.close();
    }
  });

  const REDIS_URL = process.env.TEST_REDIS_URL ?? '';
  it.skipIf(!REDIS_URL)('two API nodes sharing Redis share the limit (needs TEST_REDIS_URL)', async () => {
    const { buildApp } = await import('../src/app.js');
    const { loadConfig } = await import('@praxis/config');
    const { createInProcessEventBus } = await import('@praxis/realtime');
    const { createEmbeddedSearchIndex } = await import('@praxis/search');
    const nameSpace = `praxis-test-limit-${process.pid}-${Date.now()}:`;
    const first = await buildTestApp({ WRITE_RATE_LIMIT: '4' });
    const config = loadConfig({ AUTH_RATE_LIMIT: '10000', WRITE_RATE_LIMIT: '4', REDIS_URL });
    const nodes = await Promise.all(
      [0, 1].map(async () => {
        const app = await buildApp({
          config,
          database: first.database,
          search: createEmbeddedSearchIndex(),
          bus: createInProcessEventBus(),
          logLevel: 'silent',
          rateLimitNamespace: nameSpace,
        });
        await app.ready();
        return app;
      }),
    );
    try {
      const boss = await signUpAs(first.app, 'admin', 'redisadmin');
      const slug = await createCommunity(boss, 'shared-limit');
      const member = await signUp(first.app, 'twonodes');
      const cookie = member.cookie;
      const write = (node: number, action: string) =>
        nodes[node]!.inject({
          method: 'POST',
          url: `/api/v1/communities/${slug}/${action}`,
          headers: { origin: 'http://localhost:3000' },
          cookies: { praxis_session: cookie },
        });
      expect((await write(0, 'join')).statusCode).toBe(200);
      expect((await write(1, 'leave')).statusCode).toBe(200);
      expect((await write(0, 'join')).statusCode).toBe(200);
      expect((await write(1, 'leave')).statusCode).toBe(200);
      // Four writes spread over two nodes: the fifth, on either node, is refused.
      expectProblem(await write(0, 'join'), 429, 'RATE_LIMITED');
      expectProblem(await write(1, 'join'), 429, 'RATE_LIMITED');
    } finally {
      await Promise.all(nodes.map((n) => n.close()));
      await first.close();
    }
  });
});
