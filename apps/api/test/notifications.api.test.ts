import { communities, deadLetters, desc, eq, memberships, notifications, outboxEvents, users } from '@praxis/db';
import { notificationKindLabel, notificationKinds } from '@praxis/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ask, buildTestApp, createCommunity, expectProblem, reply, signUp, signUpAs, type Session, type TestApp } from './helper.js';

let t: TestApp;
let admin: Session;
let ada: Session;
let bob: Session;
let threadId: number;
let communityId: number;

/** Notification rows are the worker's to write; here they are inserted as it would. */
async function notify(userId: number, kind: string, key: string, actorId: number | null = null) {
  const [row] = await t.database.db
    .insert(notifications)
    .values({ userId, kind, communityId, threadId, actorId, dedupeKey: key })
    .returning();
  return row!.id;
}

const lastEvent = async () => (await t.database.db.select().from(outboxEvents).orderBy(desc(outboxEvents.id)).limit(1))[0];

beforeAll(async () => {
  t = await buildTestApp();
  admin = await signUpAs(t.app, 'admin');
  await createCommunity(admin, 'brewing');
  ada = await signUp(t.app, 'ada');
  bob = await signUp(t.app, 'bob');
  for (const s of [ada, bob]) await s.inject({ method: 'POST', url: '/api/v1/communities/brewing/join' });
  threadId = await ask(ada, 'brewing', 'How warm can a saison ferment?');
  await reply(bob, threadId, 'Saison yeast likes it warm.');
  communityId = (await t.database.db.select().from(communities).where(eq(communities.slug, 'brewing')))[0]!.id;
});
afterAll(() => t.close());

describe('notifications', () => {
  it('lists newest first with a message, counts unread, and pages with a cursor', async () => {
    await notify(ada.id, 'reply_to_thread', 'a1', bob.id);
    await notify(ada.id, 'mention', 'a2', bob.id);
    await notify(bob.id, 'mention', 'b1', ada.id);
    const list = (await ada.inject({ method: 'GET', url: '/api/v1/notifications?limit=1' })).json();
    expect(list.unreadCount).toBe(2);
    expect(list.items).toHaveLength(1);
    expect(list.items[0]).toMatchObject({
      kind: 'mention',
      message: 'bob mentioned you',
      thread: { id: threadId },
      community: { slug: 'brewing' },
      read: false,
      actor: { username: 'bob' },
    });
    const next = (await ada.inject({ method: 'GET', url: `/api/v1/notifications?limit=1&cursor=${list.nextCursor}` })).json();
    expect(next.items.map((n: { kind: string }) => n.kind)).toEqual(['reply_to_thread']);
    expect(next.nextCursor).toBeNull();
    expect((await ada.inject({ method: 'GET', url: '/api/v1/notifications/unread-count' })).json()).toEqual({ unreadCount: 2 });
  });

  it('marks one, a thread’s, or all read, and tells other tabs through the outbox', async () => {
    const [newest] = (await ada.inject({ method: 'GET', url: '/api/v1/notifications' })).json().items;
    const marked = await ada.inject({ method: 'POST', url: '/api/v1/notifications/read', payload: { ids: [newest.id] } });
    expect(marked.json()).toEqual({ unreadCount: 1 });
    expect(await lastEvent()).toMatchObject({ type: 'notification.read', payload: { userId: ada.id } });
    expect((await ada.inject({ method: 'POST', url: '/api/v1/notifications/read', payload: { threadId } })).json()).toEqual({
      unreadCount: 0,
    });
    // Someone else's notification is untouched by "all".
    expect((await ada.inject({ method: 'POST', url: '/api/v1/notifications/read', payload: { all: true } })).json()).toEqual({
      unreadCount: 0,
    });
    expect((await bob.inject({ method: 'GET', url: '/api/v1/notifications/unread-count' })).json()).toEqual({ unreadCount: 1 });
  });

  it('refuses anonymous access and empty or malformed requests', async () => {
    expectProblem(await t.app.inject({ method: 'GET', url: '/api/v1/notifications' }), 401, 'UNAUTHENTICATED');
    expectProblem(await ada.inject({ method: 'POST', url: '/api/v1/notifications/read', payload: {} }), 400, 'VALIDATION_FAILED');
    expectProblem(
      await ada.inject({ method: 'POST', url: '/api/v1/notifications/read', payload: { ids: ['x'] } }),
      400,
      'VALIDATION_FAILED',
    );
  });

  it('hides notifications from a private community the user has left', async () => {
    await createCommunity(admin, 'inner', 'private');
    const [inner] = await t.database.db.select().from(communities).where(eq(communities.slug, 'inner'));
    await t.database.db.insert(memberships).values({ communityId: inner!.id, userId: bob.id });
    const secret = await ask(bob, 'inner', 'A question only members can see');
    await t.database.db
      .insert(notifications)
      .values({ userId: ada.id, kind: 'mention', communityId: inner!.id, threadId: secret, dedupeKey: 'leak' });
    const items = (await ada.inject({ method: 'GET', url: '/api/v1/notifications' })).json().items;
    expect(items.map((n: { thread: { id: number } }) => n.thread.id)).not.toContain(secret);
  });
});

describe('watch levels', () => {
  it('defaults to watching for the thread’s author and normal for others; explicit choices stick', async () => {
    expect((await ada.inject({ method: 'GET', url: `/api/v1/threads/${threadId}/watch` })).json()).toEqual({
      level: 'watching',
      isDefault: true,
    });
    expect((await bob.inject({ method: 'GET', url: `/api/v1/threads/${threadId}/watch` })).json()).toEqual({
      level: 'normal',
      isDefault: true,
    });
    expect((await ada.inject({ method: 'PUT', url: `/api/v1/threads/${threadId}/watch`, payload: { level: 'muted' } })).json()).toEqual({
      level: 'muted',
      isDefault: false,
    });
    expect((await bob.inject({ method: 'PUT', url: '/api/v1/communities/brewing/watch', payload: { level: 'watching' } })).json()).toEqual({
      level: 'watching',
      isDefault: false,
    });
    expect(
      (await bob.inject({ method: 'PUT', url: '/api/v1/communities/brewing/tags/Hops/watch', payload: { level: 'tracking' } })).json(),
    ).toEqual({ level: 'tracking', isDefault: false });
    expect((await bob.inject({ method: 'GET', url: '/api/v1/communities/brewing/tags/hops/watch' })).json()).toEqual({
      level: 'tracking',
      isDefault: false,
    });
  });

  it('refuses unknown levels, anonymous visitors and communities the viewer cannot read', async () => {
    expectProblem(
      await bob.inject({ method: 'PUT', url: '/api/v1/communities/brewing/watch', payload: { level: 'loud' } }),
      400,
      'VALIDATION_FAILED',
    );
    expectProblem(await t.app.inject({ method: 'GET', url: '/api/v1/communities/brewing/watch' }), 401, 'UNAUTHENTICATED');
    expectProblem(
      await ada.inject({ method: 'PUT', url: '/api/v1/communities/inner/watch', payload: { level: 'watching' } }),
      404,
      'NOT_FOUND',
    );
    expectProblem(await ada.inject({ method: 'GET', url: '/api/v1/threads/999999/watch' }), 404, 'NOT_FOUND');
  });
});

describe('email settings and unsubscribe links', () => {
  it('reads and changes email settings, refusing unknown kinds', async () => {
    expect((await ada.inject({ method: 'GET', url: '/api/v1/me/notification-settings' })).json()).toEqual({
      emailNotifications: 'away',
      emailDigest: 'daily',
      emailMutedKinds: [],
    });
    const changed = await ada.inject({
      method: 'PATCH',
      url: '/api/v1/me/notification-settings',
      payload: { emailDigest: 'never', emailMutedKinds: ['mention'] },
    });
    expect(changed.json()).toEqual({ emailNotifications: 'away', emailDigest: 'never', emailMutedKinds: ['mention'] });
    expectProblem(
      await ada.inject({ method: 'PATCH', url: '/api/v1/me/notification-settings', payload: { emailMutedKinds: ['spam'] } }),
      400,
      'VALIDATION_FAILED',
    );
    expectProblem(
      await ada.inject({ method: 'PATCH', url: '/api/v1/me/notification-settings', payload: { emailDigest: 'hourly' } }),
      400,
      'VALIDATION_FAILED',
    );
  });

  it('unsubscribes by token without a session: GET shows a form, POST (one click) does it', async () => {
    const [row] = await t.database.db.select({ token: users.emailToken }).from(users).where(eq(users.id, bob.id));
    const url = `/api/v1/email/unsubscribe?token=${row!.token}&kind=reply_to_post`;
    const page = await t.app.inject({ method: 'GET', url });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<form method="post"');
    const done = await t.app.inject({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    });
    expect(done.statusCode).toBe(200);
    expect((await bob.inject({ method: 'GET', url: '/api/v1/me/notification-settings' })).json().emailMutedKinds).toEqual([
      'reply_to_post',
    ]);
    // Twice is harmless; a wrong token is a clear 404.
    await t.app.inject({ method: 'POST', url });
    expect((await bob.inject({ method: 'GET', url: '/api/v1/me/notification-settings' })).json().emailMutedKinds).toEqual([
      'reply_to_post',
    ]);
    expectProblem(
      await t.app.inject({ method: 'POST', url: '/api/v1/email/unsubscribe?token=nottherealtoken&kind=mention' }),
      404,
      'NOT_FOUND',
    );
  });
});

describe('the notification-kind catalogue', () => {
  it('lets every kind be muted and unsubscribed from, and the unsubscribe page names each kind by its label, never its raw name', async () => {
    const [row] = await t.database.db.select({ token: users.emailToken }).from(users).where(eq(users.id, bob.id));
    for (const kind of [...notificationKinds, 'digest', 'all']) {
      const url = `/api/v1/email/unsubscribe?token=${row!.token}&kind=${kind}`;
      const page = await t.app.inject({ method: 'GET', url });
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain(escapeForHtml(notificationKindLabel(kind)));
      // The form posts back to the link (its action names the kind); what a person reads does not.
      if (kind.includes('_')) expect(page.body.replace(/action="[^"]*"/, '')).not.toContain(kind);
      const done = await t.app.inject({ method: 'POST', url });
      expect(done.statusCode).toBe(200);
      if (kind.includes('_')) expect(done.body).not.toContain(kind);
    }
    const muted = (await bob.inject({ method: 'GET', url: '/api/v1/me/notification-settings' })).json();
    expect([...muted.emailMutedKinds].sort()).toEqual([...notificationKinds, 'digest'].sort());
    const changed = await ada.inject({
      method: 'PATCH',
      url: '/api/v1/me/notification-settings',
      payload: { emailMutedKinds: ['guide_review', 'guide_credited', 'moderation_notice'] },
    });
    expect(changed.statusCode).toBe(200);
    expect(changed.json().emailMutedKinds).toEqual(['guide_review', 'guide_credited', 'moderation_notice']);
  });
});

const escapeForHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

describe('admin: pipeline', () => {
  it('shows the backlog and index state, lists dead letters and queues retries and rebuilds through the outbox', async () => {
    const status = (await admin.inject({ method: 'GET', url: '/api/v1/admin/pipeline' })).json();
    expect(status.search.engine).toBe('embedded');
    expect(status.outbox.pending).toBeGreaterThan(0); // no worker runs in API tests
    expect(status.search.threadsToIndex).toBeGreaterThan(0);
    const [letter] = await t.database.db
      .insert(deadLetters)
      .values({ queue: 'email', jobName: 'email.notification', jobId: '9:email.notification', data: {}, error: 'boom', attempts: 6 })
      .returning();
    expect((await admin.inject({ method: 'GET', url: '/api/v1/admin/dead-letters' })).json().items[0]).toMatchObject({
      id: letter!.id,
      error: 'boom',
      retriedAt: null,
    });
    expect((await admin.inject({ method: 'POST', url: `/api/v1/admin/dead-letters/${letter!.id}/retry` })).statusCode).toBe(202);
    expect(await lastEvent()).toMatchObject({ type: 'job.retried', payload: { deadLetterId: letter!.id } });
    expect((await admin.inject({ method: 'POST', url: '/api/v1/admin/search/reindex' })).statusCode).toBe(202);
    expect(await lastEvent()).toMatchObject({ type: 'reindex.requested' });
  });

  it('is for admins only', async () => {
    expectProblem(await ada.inject({ method: 'GET', url: '/api/v1/admin/pipeline' }), 403, 'FORBIDDEN');
    expectProblem(await ada.inject({ method: 'POST', url: '/api/v1/admin/search/reindex' }), 403, 'FORBIDDEN');
    expectProblem(await t.app.inject({ method: 'GET', url: '/api/v1/admin/dead-letters' }), 401, 'UNAUTHENTICATED');
    expectProblem(await admin.inject({ method: 'POST', url: '/api/v1/admin/dead-letters/424242/retry' }), 404, 'NOT_FOUND');
  });
});
