import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, memberships, outboxEvents, desc } from '@praxis/db';
import { accessChangeFor } from '@praxis/realtime';
import { ask, buildTestApp, createCommunity, signUp, signUpAs, type Session, type TestApp } from './helper.js';

// The auth hook caches who a session or token belongs to (CredentialCache). A fixed clock keeps its entries from
// expiring during the test, so each step below shows which invalidation made a change visible.
const clock = { now: () => new Date('2026-12-04T12:00:00Z') };
let t: TestApp;
let admin: Session;
let community: string;

beforeAll(async () => {
  t = await buildTestApp({}, { clock });
  admin = await signUpAs(t.app, 'admin');
  community = await createCommunity(admin, 'cached');
});
afterAll(() => t?.close());

const me = async (who: Session) => (await who.inject({ method: 'GET', url: '/api/v1/me' })).json();
const memberOf = async (who: Session) => (await me(who)).memberships.map((m: { slug: string }) => m.slug);
const lastEvent = async (type: string) =>
  (await t.database.db.select().from(outboxEvents).where(eq(outboxEvents.type, type)).orderBy(desc(outboxEvents.id)).limit(1))[0]!;

describe('cached credentials', () => {
  it('show a member’s own accepted write at once (joining a community)', async () => {
    const member = await signUp(t.app);
    expect(await memberOf(member)).toEqual([]);
    expect((await member.inject({ method: 'POST', url: `/api/v1/communities/${community}/join`, payload: {} })).statusCode).toBe(200);
    expect(await memberOf(member)).toEqual([community]);
  });

  it('show staff’s change to another member at once (a suspension refuses their next write)', async () => {
    const member = await signUp(t.app);
    await member.inject({ method: 'POST', url: `/api/v1/communities/${community}/join`, payload: {} });
    const threadId = await ask(admin, community, 'Which yeast for a saison?');
    const replyOf = (body: string) => member.inject({ method: 'POST', url: `/api/v1/threads/${threadId}/posts`, payload: { body } });
    expect((await replyOf('A farmhouse strain.')).statusCode).toBe(201);
    const suspended = await admin.inject({
      method: 'POST',
      url: `/api/v1/users/${member.username}/suspend`,
      payload: { until: '2027-01-01T00:00:00Z', reason: 'cool down' },
    });
    expect(suspended.statusCode).toBe(200);
    expect((await replyOf('Another strain.')).statusCode).toBe(403);
  });

  it('are forgotten when access.changed arrives from the bus (a change another API node made)', async () => {
    const member = await signUp(t.app);
    await member.inject({ method: 'POST', url: `/api/v1/communities/${community}/join`, payload: {} });
    expect(await memberOf(member)).toEqual([community]);
    // Another node removed the membership: this node still has the credential it resolved a moment ago…
    await t.database.db.delete(memberships).where(and(eq(memberships.userId, member.id)));
    expect(await memberOf(member)).toEqual([community]);
    // …until the worker's realtime.publish of the event reaches it.
    const left = { type: 'member.left', payload: { communityId: 1, userId: member.id } };
    await t.bus.publish(accessChangeFor(left.type, left.payload)!);
    expect(await memberOf(member)).toEqual([]);
  });

  it('end with a revoked access token at once', async () => {
    const member = await signUp(t.app);
    const created = (await member.inject({ method: 'POST', url: '/api/v1/me/tokens', payload: { name: 'cli' } })).json();
    const withToken = () => t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${created.token}` } });
    expect((await withToken()).statusCode).toBe(200);
    expect((await member.inject({ method: 'DELETE', url: `/api/v1/me/tokens/${created.id}` })).statusCode).toBeLessThan(300);
    expect((await withToken()).statusCode).toBe(401);
    expect((await lastEvent('token.revoked')).payload).toMatchObject({ userId: member.id });
  });
});
