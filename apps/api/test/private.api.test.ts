import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ask, buildTestApp, createCommunity, expectProblem, reply, signUp, signUpAs, type Session, type TestApp } from './helper.js';

let t: TestApp;
let admin: Session;
let insider: Session;
let outsider: Session;
let threadId: number;
let postId: number;

beforeAll(async () => {
  t = await buildTestApp();
  admin = await signUpAs(t.app, 'admin');
  await createCommunity(admin, 'secret', 'private');
  await createCommunity(admin, 'open');
  insider = await signUp(t.app, 'insider');
  outsider = await signUp(t.app, 'outsider');
  // Private communities cannot be self-joined; membership is granted by its leaders (here: directly).
  const { memberships, communities, eq } = await import('@praxis/db');
  const [secret] = await t.database.db.select().from(communities).where(eq(communities.slug, 'secret'));
  await t.database.db.insert(memberships).values({ communityId: secret!.id, userId: insider.id });
  threadId = await ask(insider, 'secret', 'A private question about the recipe', ['recipe']);
  postId = await reply(admin, threadId, 'A private answer');
});
afterAll(() => t.close());

describe('a private community is invisible to non-members everywhere', () => {
  for (const who of ['anonymous', 'outsider'] as const) {
    it(`for ${who}`, async () => {
      const get = (url: string) => (who === 'anonymous' ? t.app.inject({ method: 'GET', url }) : outsider.inject({ method: 'GET', url }));
      expect((await get('/api/v1/communities')).json().items.map((c: { slug: string }) => c.slug)).toEqual(['open']);
      expectProblem(await get('/api/v1/communities/secret'), 404, 'NOT_FOUND');
      expect((await get('/api/v1/threads')).json().items).toEqual([]);
      expect((await get('/api/v1/threads?community=secret')).json().items).toEqual([]);
      expect((await get('/api/v1/threads?tag=recipe')).json().items).toEqual([]);
      expectProblem(await get(`/api/v1/threads/${threadId}`), 404, 'NOT_FOUND');
      expectProblem(await get(`/api/v1/posts/${postId}`), 404, 'NOT_FOUND');
      expectProblem(await get(`/api/v1/posts/${postId}/revisions`), 404, 'NOT_FOUND');
      const profile = (await get('/api/v1/users/insider')).json();
      expect(profile.questions).toEqual([]);
      expect(profile.stats.questions).toBe(0);
      expect((await get(`/api/v1/users/${admin.username}`)).json().answers).toEqual([]);
    });
  }

  it('refuses writes from an outsider with 404, not 403, so nothing leaks', async () => {
    expectProblem(
      await outsider.inject({ method: 'POST', url: `/api/v1/threads/${threadId}/posts`, payload: { body: 'let me in' } }),
      404,
      'NOT_FOUND',
    );
    expectProblem(await outsider.inject({ method: 'POST', url: `/api/v1/posts/${postId}/vote` }), 404, 'NOT_FOUND');
    expectProblem(await outsider.inject({ method: 'PATCH', url: `/api/v1/posts/${postId}`, payload: { body: 'x' } }), 404, 'NOT_FOUND');
    expectProblem(await outsider.inject({ method: 'POST', url: '/api/v1/communities/secret/join' }), 404, 'NOT_FOUND');
    expectProblem(
      await outsider.inject({
        method: 'POST',
        url: '/api/v1/threads',
        payload: { community: 'secret', title: 'Sneaking a question in', body: 'x', tags: [] },
      }),
      404,
      'NOT_FOUND',
    );
  });

  it('shows everything to members and staff', async () => {
    expect((await insider.inject({ method: 'GET', url: `/api/v1/threads/${threadId}` })).json().posts).toHaveLength(2);
    expect((await insider.inject({ method: 'GET', url: '/api/v1/threads?community=secret' })).json().items).toHaveLength(1);
    expect((await admin.inject({ method: 'GET', url: '/api/v1/communities/secret' })).json().visibility).toBe('private');
  });
});
