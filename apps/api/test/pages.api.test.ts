import { and, count, eq, expertMatches, isNull, notifications, outboxEvents, threadReads, threads, userStats } from '@praxis/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ask,
  buildTestApp,
  createCommunity,
  expectProblem,
  ORIGIN,
  reply,
  signUp,
  signUpAs,
  type Session,
  type TestApp,
} from './helper.js';

let t: TestApp;
let admin: Session;
let ada: Session; // asks
let eve: Session; // matched expert, replies
let bob: Session; // reads
let threadId: number;
let replyIds: number[];

const db = () => t.database.db;
/** Every row a read could write: read positions, reading stats, notifications read, matches seen, outbox events. */
async function writes() {
  const [reads] = await db().select({ n: count() }).from(threadReads);
  const [unread] = await db().select({ n: count() }).from(notifications).where(isNull(notifications.readAt));
  const [events] = await db().select({ n: count() }).from(outboxEvents);
  const stats = await db().select().from(userStats);
  const matches = await db().select({ state: expertMatches.state }).from(expertMatches);
  return {
    reads: reads!.n,
    unread: unread!.n,
    events: events!.n,
    stats: stats.map((s) => [s.userId, s.topicsEntered, s.postsRead]),
    matches,
  };
}
/** Notification rows are the worker's to write; here they are inserted as it would. */
async function notify(userId: number, thread: number, key: string) {
  const [row] = await db().select({ communityId: threads.communityId }).from(threads).where(eq(threads.id, thread));
  await db()
    .insert(notifications)
    .values({ userId, kind: 'reply_to_thread', communityId: row!.communityId, threadId: thread, actorId: eve.id, dedupeKey: key });
}
const read = (s: Session, items: { threadId: number; lastPostNumber: number }[]) =>
  s.inject({ method: 'POST', url: '/api/v1/me/reads', payload: { items } });

beforeAll(async () => {
  t = await buildTestApp();
  admin = await signUpAs(t.app, 'admin', 'pageadmin');
  await createCommunity(admin, 'brewing');
  await createCommunity(admin, 'cellar');
  ada = await signUp(t.app, 'pada');
  eve = await signUp(t.app, 'peve');
  bob = await signUp(t.app, 'pbob');
  for (const s of [ada, eve, bob]) await s.inject({ method: 'POST', url: '/api/v1/communities/brewing/join' });
  threadId = await ask(ada, 'brewing', 'Which water profile for a stout?', ['water']);
  replyIds = [];
  for (let i = 1; i <= 4; i++) replyIds.push(await reply(eve, threadId, `Answer number ${i}`));
  for (const [i, id] of replyIds.entries()) await notify(ada.id, threadId, `reply:${id}:${i}`);
  await db()
    .insert(expertMatches)
    .values({ threadId, expertId: eve.id, round: 1, rank: 1, score: 80, reasons: ['You answered questions about water'] });
});
afterAll(() => t.close());

describe('GET /api/v1/threads/{id}/page', () => {
  it('returns everything the thread page shows in one read: the accepted answer from another page, watch level, matching, guides, unread count', async () => {
    expect(
      (await ada.inject({ method: 'POST', url: `/api/v1/threads/${threadId}/solution`, payload: { postId: replyIds[3] } })).statusCode,
    ).toBe(200);
    const res = await ada.inject({ method: 'GET', url: `/api/v1/threads/${threadId}/page?limit=2` });
    expect(res.statusCode).toBe(200);
    const page = res.json();
    expect(page.thread.posts.map((p: { number: number }) => p.number)).toEqual([1, 2]);
    expect(page.thread.nextCursor).not.toBeNull();
    expect(page).toMatchObject({
      solution: { id: replyIds[3], isSolution: true },
      solutionOnPage: false,
      watch: { level: expect.any(String) },
      guides: { cited: [], drafts: [], canCurate: false },
      moveTargets: [],
    });
    expect(page.matching).toMatchObject({ asked: { count: 1 } });
    // Eve's replies notified Ada.
    expect(page.unreadCount).toBeGreaterThan(0);

    const onPage = (await ada.inject({ method: 'GET', url: `/api/v1/threads/${threadId}/page` })).json();
    expect(onPage).toMatchObject({ solution: { id: replyIds[3] }, solutionOnPage: true });
  });

  it('gives moderators the move targets and curators the guide drafts; anonymous readers the thread alone', async () => {
    const mod = (await admin.inject({ method: 'GET', url: `/api/v1/threads/${threadId}/page` })).json();
    expect(mod.moveTargets.map((c: { slug: string }) => c.slug).sort()).toEqual(['brewing', 'cellar']);
    expect(mod.guides.canCurate).toBe(true);
    const anon = await t.app.inject({ method: 'GET', url: `/api/v1/threads/${threadId}/page` });
    expect(anon.statusCode).toBe(200);
    expect(anon.json()).toMatchObject({ watch: null, matching: null, unreadCount: null, moveTargets: [], thread: { id: threadId } });
    expectProblem(await t.app.inject({ method: 'GET', url: '/api/v1/threads/999999/page' }), 404, 'NOT_FOUND');
    expectProblem(await ada.inject({ method: 'GET', url: `/api/v1/threads/${threadId}/page?cursor=nonsense` }), 400, 'VALIDATION_FAILED');
  });

  it('never writes: not the page, not the thread JSON, not for the matched expert or the asker', async () => {
    const before = await writes();
    for (const s of [ada, eve, bob]) {
      expect((await s.inject({ method: 'GET', url: `/api/v1/threads/${threadId}/page` })).statusCode).toBe(200);
      expect((await s.inject({ method: 'GET', url: `/api/v1/threads/${threadId}` })).statusCode).toBe(200);
    }
    expect(await writes()).toEqual(before);
  });
});

describe('POST /api/v1/me/reads', () => {
  it('records the read position, marks that thread’s notifications read and the match seen, in one batch', async () => {
    const other = await ask(ada, 'brewing', 'A second question with replies', ['water']);
    await notify(ada.id, other, `reply:${await reply(eve, other, 'Another answer')}`);
    const unreadOf = async (s: Session, thread: number) =>
      (
        await db()
          .select()
          .from(notifications)
          .where(and(eq(notifications.userId, s.id), eq(notifications.threadId, thread), isNull(notifications.readAt)))
      ).length;
    expect(await unreadOf(ada, threadId)).toBeGreaterThan(0);
    expect(await unreadOf(ada, other)).toBeGreaterThan(0);

    const res = await read(ada, [{ threadId, lastPostNumber: 5 }]);
    expect(res.statusCode).toBe(200);
    expect(await unreadOf(ada, threadId)).toBe(0);
    expect(await unreadOf(ada, other)).toBeGreaterThan(0);
    expect(res.json()).toEqual({
      unreadCount: (
        await db()
          .select()
          .from(notifications)
          .where(and(eq(notifications.userId, ada.id), isNull(notifications.readAt)))
      ).length,
    });
    expect(
      (
        await db()
          .select()
          .from(threadReads)
          .where(and(eq(threadReads.userId, ada.id), eq(threadReads.threadId, threadId)))
      )[0],
    ).toMatchObject({ lastReadNumber: 5 });
    const [readEvent] = await db()
      .select()
      .from(outboxEvents)
      .where(and(eq(outboxEvents.type, 'notification.read'), eq(outboxEvents.aggregateId, ada.id)));
    expect(readEvent).toBeDefined();

    expect(
      (
        await read(eve, [
          { threadId, lastPostNumber: 2 },
          { threadId: other, lastPostNumber: 2 },
          { threadId, lastPostNumber: 3 },
        ])
      ).statusCode,
    ).toBe(200);
    expect((await db().select().from(expertMatches).where(eq(expertMatches.expertId, eve.id)))[0]).toMatchObject({ state: 'seen' });
    expect(
      (await db().select().from(threadReads).where(eq(threadReads.userId, eve.id))).map((r) => [r.threadId, r.lastReadNumber]).sort(),
    ).toEqual(
      [
        [threadId, 3],
        [other, 2],
      ].sort(),
    );
  });

  it('skips threads the reader may not see, and needs a signed-in same-origin request', async () => {
    const secret = await createCommunity(admin, 'vault', 'private');
    const hidden = await ask(admin, secret, 'Nobody else may read this');
    expect(
      (
        await read(bob, [
          { threadId: hidden, lastPostNumber: 1 },
          { threadId: 999999, lastPostNumber: 1 },
        ])
      ).statusCode,
    ).toBe(200);
    expect(await db().select().from(threadReads).where(eq(threadReads.userId, bob.id))).toEqual([]);
    expectProblem(
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/me/reads',
        headers: { origin: ORIGIN },
        payload: { items: [{ threadId, lastPostNumber: 1 }] },
      }),
      401,
      'UNAUTHENTICATED',
    );
    expectProblem(
      await bob.inject({
        method: 'POST',
        url: '/api/v1/me/reads',
        headers: { origin: 'https://evil.example' },
        payload: { items: [{ threadId, lastPostNumber: 1 }] },
      }),
      403,
      'CSRF_REJECTED',
    );
    expectProblem(await read(bob, []), 400, 'VALIDATION_FAILED');
    expectProblem(await read(bob, [{ threadId, lastPostNumber: 0 }]), 400, 'VALIDATION_FAILED');
  });
});

describe('GET /api/v1/threads/{id}/posts?after=N', () => {
  it('returns only the posts after N that the viewer may see', async () => {
    const res = await bob.inject({ method: 'GET', url: `/api/v1/threads/${threadId}/posts?after=3` });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ more: false, totalPosts: 5 });
    expect(res.json().items.map((p: { id: number; number: number }) => [p.id, p.number])).toEqual([
      [replyIds[2], 4],
      [replyIds[3], 5],
    ]);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/threads/${threadId}/posts?after=1&limit=2` })).json()).toMatchObject({
      more: true,
    });
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/threads/${threadId}/posts?after=5` })).json().items).toEqual([]);
    expectProblem(await t.app.inject({ method: 'GET', url: `/api/v1/threads/${threadId}/posts` }), 400, 'VALIDATION_FAILED');
    expectProblem(await t.app.inject({ method: 'GET', url: '/api/v1/threads/999999/posts?after=0' }), 404, 'NOT_FOUND');
  });
});

describe('anonymous page reads (cached)', () => {
  const anonymousPage = async () => (await t.app.inject({ method: 'GET', url: `/api/v1/threads/${threadId}/page` })).json();

  it('show a reply on the next read, always', async () => {
    for (let i = 1; i <= 3; i++) {
      await anonymousPage();
      const id = await reply(eve, threadId, `Fresh reply number ${i}`);
      expect((await anonymousPage()).thread.posts.map((p: { id: number }) => p.id)).toContain(id);
    }
  });

  it('drop a cached read when another API node changed the thread (its event on the bus)', async () => {
    await anonymousPage();
    // Another node's write: straight to the database, so this node's routes never saw it.
    const title = 'Changed on another node: which water profile?';
    await db().update(threads).set({ title }).where(eq(threads.id, threadId));
    await t.bus.publish({ room: `thread:${threadId}`, event: 'thread.updated', data: { threadId, postId: null, reason: 'thread.edited' } });
    expect((await anonymousPage()).thread.title).toBe(title);
  });
});
