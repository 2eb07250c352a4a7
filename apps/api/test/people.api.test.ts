import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, desc, eq, outboxEvents } from '@praxis/db';
import { ask, buildTestApp, createCommunity, expectProblem, signUp, signUpAs, type Session, type TestApp } from './helper.js';

let t: TestApp;
let admin: Session;
let moderator: Session;
let member: Session;
let community: string;

const lastEvent = async (type: string) =>
  (await t.database.db.select().from(outboxEvents).where(eq(outboxEvents.type, type)).orderBy(desc(outboxEvents.id)).limit(1))[0];
const lastAudit = async () => (await t.database.db.select().from(auditLog).orderBy(desc(auditLog.id)).limit(1))[0];
const inAWeek = () => new Date(Date.now() + 7 * 86400_000).toISOString();

beforeAll(async () => {
  t = await buildTestApp();
  admin = await signUpAs(t.app, 'admin', 'rootadmin');
  moderator = await signUpAs(t.app, 'moderator', 'sitemod');
  community = await createCommunity(admin, 'distilling');
  member = await signUp(t.app, 'plainmember');
  expect((await member.inject({ method: 'POST', url: `/api/v1/communities/${community}/join` })).statusCode).toBe(200);
});
afterAll(() => t.close());

describe('site roles', () => {
  it('admins set member, moderator or admin; the change is audited and emits user.role-changed', async () => {
    const target = await signUp(t.app, 'promoted');
    const done = await admin.inject({ method: 'PUT', url: `/api/v1/users/${target.username}/role`, payload: { role: 'moderator' } });
    expect(done.statusCode).toBe(200);
    expect(done.json().user).toMatchObject({ username: 'promoted', role: 'moderator' });
    expect((await lastEvent('user.role-changed'))?.payload).toMatchObject({ userId: target.id, by: admin.id, role: 'moderator' });
    expect(await lastAudit()).toMatchObject({ action: 'user.role', subjectId: target.id, details: { from: 'member', to: 'moderator' } });
    // The new moderator now sees any community's review queue.
    expect((await target.inject({ method: 'GET', url: `/api/v1/communities/${community}/review` })).statusCode).toBe(200);
  });

  it('refuses non-admins, an admin changing their own role, and unknown roles', async () => {
    expectProblem(
      await moderator.inject({ method: 'PUT', url: `/api/v1/users/${member.username}/role`, payload: { role: 'admin' } }),
      403,
      'FORBIDDEN',
    );
    expectProblem(
      await member.inject({ method: 'PUT', url: `/api/v1/users/${member.username}/role`, payload: { role: 'admin' } }),
      403,
      'FORBIDDEN',
    );
    expectProblem(
      await t.app.inject({
        method: 'PUT',
        url: `/api/v1/users/${member.username}/role`,
        headers: { origin: 'http://localhost:3000' },
        payload: { role: 'admin' },
      }),
      401,
      'UNAUTHENTICATED',
    );
    expectProblem(
      await admin.inject({ method: 'PUT', url: `/api/v1/users/${admin.username}/role`, payload: { role: 'member' } }),
      403,
      'FORBIDDEN',
    );
    expectProblem(
      await admin.inject({ method: 'PUT', url: `/api/v1/users/${member.username}/role`, payload: { role: 'owner' } }),
      400,
      'VALIDATION_FAILED',
    );
    expectProblem(
      await admin.inject({ method: 'PUT', url: '/api/v1/users/nobody-here/role', payload: { role: 'member' } }),
      404,
      'NOT_FOUND',
    );
  });
});

describe('community leadership', () => {
  it('admins make members leaders or moderators of a community; they then act there and only there', async () => {
    const other = await createCommunity(admin, 'cider');
    const lead = await signUp(t.app, 'newleader');
    expectProblem(
      await admin.inject({
        method: 'PUT',
        url: `/api/v1/communities/${community}/members/${lead.username}/role`,
        payload: { role: 'member' },
      }),
      409,
      'NOT_A_MEMBER',
    );
    const made = await admin.inject({
      method: 'PUT',
      url: `/api/v1/communities/${community}/members/${lead.username}/role`,
      payload: { role: 'leader' },
    });
    expect(made.json()).toEqual({ community, username: lead.username, role: 'leader' });
    expect((await lastEvent('user.role-changed'))?.payload).toMatchObject({
      userId: lead.id,
      role: 'leader',
      communityId: expect.any(Number),
    });
    expect(await lastAudit()).toMatchObject({ action: 'member.role', details: { from: null, to: 'leader' } });
    const shown = (await t.app.inject({ method: 'GET', url: `/api/v1/communities/${community}` })).json();
    expect(shown.leaders.map((l: { username: string }) => l.username)).toContain(lead.username);
    expect((await lead.inject({ method: 'GET', url: `/api/v1/communities/${community}/review` })).statusCode).toBe(200);
    expectProblem(await lead.inject({ method: 'GET', url: `/api/v1/communities/${other}/review` }), 403, 'FORBIDDEN');
    // Leaders may not hand out leadership themselves.
    expectProblem(
      await lead.inject({
        method: 'PUT',
        url: `/api/v1/communities/${community}/members/${member.username}/role`,
        payload: { role: 'moderator' },
      }),
      403,
      'FORBIDDEN',
    );
    // Back to member: no more queue.
    await admin.inject({
      method: 'PUT',
      url: `/api/v1/communities/${community}/members/${lead.username}/role`,
      payload: { role: 'member' },
    });
    expectProblem(await lead.inject({ method: 'GET', url: `/api/v1/communities/${community}/review` }), 403, 'FORBIDDEN');
  });
});

describe('suspension', () => {
  it('staff suspend until a date with a reason: reads work, writes are refused with a clear message; unsuspend lifts it', async () => {
    const target = await signUp(t.app, 'troublemaker');
    await target.inject({ method: 'POST', url: `/api/v1/communities/${community}/join` });
    const threadId = await ask(target, community, 'Before the suspension came');
    expectProblem(
      await moderator.inject({
        method: 'POST',
        url: `/api/v1/users/${target.username}/suspend`,
        payload: { until: '2000-01-01T00:00:00Z', reason: 'x' },
      }),
      400,
      'VALIDATION_FAILED',
    );
    expectProblem(
      await moderator.inject({
        method: 'POST',
        url: `/api/v1/users/${target.username}/suspend`,
        payload: { until: inAWeek(), reason: '' },
      }),
      400,
      'VALIDATION_FAILED',
    );
    const done = await moderator.inject({
      method: 'POST',
      url: `/api/v1/users/${target.username}/suspend`,
      payload: { until: inAWeek(), reason: 'Spamming links' },
    });
    expect(done.json().user).toMatchObject({ suspendReason: 'Spamming links', suspendedUntil: expect.any(String) });
    expect((await lastEvent('user.suspended'))?.payload).toMatchObject({ userId: target.id, reason: 'Spamming links' });
    expect(await lastAudit()).toMatchObject({ action: 'user.suspend', subjectId: target.id });

    expect((await target.inject({ method: 'GET', url: `/api/v1/threads/${threadId}` })).statusCode).toBe(200);
    expect((await target.inject({ method: 'GET', url: '/api/v1/me' })).json().suspendedUntil).not.toBeNull();
    const refused = expectProblem(
      await target.inject({
        method: 'POST',
        url: '/api/v1/threads',
        payload: { community, title: 'After the suspension', body: 'x', tags: [] },
      }),
      403,
      'SUSPENDED',
    );
    expect(refused.detail).toMatch(/suspended until .*\(Spamming links\)\. You can still read/);
    expectProblem(
      await target.inject({ method: 'POST', url: `/api/v1/threads/${threadId}/posts`, payload: { body: 'x' } }),
      403,
      'SUSPENDED',
    );

    expect(
      (await moderator.inject({ method: 'POST', url: `/api/v1/users/${target.username}/unsuspend` })).json().user.suspendedUntil,
    ).toBeNull();
    expect(await lastAudit()).toMatchObject({ action: 'user.unsuspend', subjectId: target.id });
    expect(
      (await target.inject({ method: 'POST', url: `/api/v1/threads/${threadId}/posts`, payload: { body: 'I am back' } })).statusCode,
    ).toBe(201);
  });

  it('refuses members, leaders (outside the review queue), moderators suspending staff, and anyone suspending an admin', async () => {
    const lead = await signUp(t.app, 'leaderonly');
    await lead.inject({ method: 'POST', url: `/api/v1/communities/${community}/join` });
    await admin.inject({
      method: 'PUT',
      url: `/api/v1/communities/${community}/members/${lead.username}/role`,
      payload: { role: 'leader' },
    });
    const body = { until: inAWeek(), reason: 'no' };
    expectProblem(await member.inject({ method: 'POST', url: `/api/v1/users/${lead.username}/suspend`, payload: body }), 403, 'FORBIDDEN');
    expectProblem(await lead.inject({ method: 'POST', url: `/api/v1/users/${member.username}/suspend`, payload: body }), 403, 'FORBIDDEN');
    expectProblem(
      await moderator.inject({ method: 'POST', url: `/api/v1/users/${admin.username}/suspend`, payload: body }),
      403,
      'FORBIDDEN',
    );
    expectProblem(await admin.inject({ method: 'POST', url: `/api/v1/users/${admin.username}/suspend`, payload: body }), 403, 'FORBIDDEN');
    const mod2 = await signUpAs(t.app, 'moderator', 'sitemod2');
    expectProblem(
      await moderator.inject({ method: 'POST', url: `/api/v1/users/${mod2.username}/suspend`, payload: body }),
      403,
      'FORBIDDEN',
    );
    expect((await admin.inject({ method: 'POST', url: `/api/v1/users/${mod2.username}/suspend`, payload: body })).statusCode).toBe(200);
  });

  it('shows staff what they may do on a profile (GET /users/:username/moderation), and refuses members', async () => {
    const view = await admin.inject({ method: 'GET', url: `/api/v1/users/${member.username}/moderation` });
    expect(view.json()).toMatchObject({
      user: { role: 'member', suspendedUntil: null },
      abilities: { assignRole: true, suspend: true, unsuspend: true, assignCommunityRoles: true },
    });
    expect(view.json().memberships).toContainEqual({ slug: community, name: expect.any(String), role: 'member' });
    const asMod = await moderator.inject({ method: 'GET', url: `/api/v1/users/${member.username}/moderation` });
    expect(asMod.json()).toMatchObject({ abilities: { assignRole: false, suspend: true, assignCommunityRoles: false }, memberships: [] });
    expectProblem(await member.inject({ method: 'GET', url: `/api/v1/users/${admin.username}/moderation` }), 403, 'FORBIDDEN');
  });
});
