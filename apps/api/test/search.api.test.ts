import { communities, eq, memberships, posts } from '@praxis/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ask,
  buildTestApp,
  createCommunity,
  expectProblem,
  indexAll,
  reply,
  signUp,
  signUpAs,
  type Session,
  type TestApp,
} from './helper.js';

let t: TestApp;
let admin: Session;
let insider: Session;
let outsider: Session;
let publicThread: number;
let privateThread: number;

beforeAll(async () => {
  t = await buildTestApp();
  admin = await signUpAs(t.app, 'admin');
  await createCommunity(admin, 'brewing');
  await createCommunity(admin, 'vault', 'private');
  insider = await signUp(t.app, 'insider');
  outsider = await signUp(t.app, 'outsider');
  for (const s of [insider, outsider]) await s.inject({ method: 'POST', url: '/api/v1/communities/brewing/join' });
  const [vault] = await t.database.db.select().from(communities).where(eq(communities.slug, 'vault'));
  await t.database.db.insert(memberships).values({ communityId: vault!.id, userId: insider.id });
  publicThread = await ask(insider, 'brewing', 'Fermentation stalled at 1.030 gravity', ['yeast']);
  await reply(outsider, publicThread, 'Rouse the yeast and raise the temperature a little.');
  privateThread = await ask(insider, 'vault', 'Fermentation secrets of the vault', ['yeast']);
  const hidden = await reply(insider, publicThread, 'A hidden reply mentioning xylophone');
  await t.database.db.update(posts).set({ hiddenAt: new Date() }).where(eq(posts.id, hidden));
  await indexAll(t);
});
afterAll(() => t.close());

const ids = (body: { items: { thread: { id: number } }[] }) => body.items.map((i) => i.thread.id);

describe('GET /api/v1/search', () => {
  it('finds threads by title and reply words, with escaped highlighted snippets and facets', async () => {
    const response = await outsider.inject({ method: 'GET', url: '/api/v1/search?q=rouse%20yeast' });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(ids(body)).toEqual([publicThread]);
    expect(body.items[0].snippetHtml).toContain('<mark>');
    expect(body.items[0].community).toEqual({ slug: 'brewing', name: 'Community brewing' });
    expect(body.facets.communities).toEqual([{ value: 'brewing', label: 'Community brewing', count: 1 }]);
  });

  it('never returns a private community’s thread to non-members, in hits or facets', async () => {
    for (const get of [(url: string) => t.app.inject({ method: 'GET', url }), (url: string) => outsider.inject({ method: 'GET', url })]) {
      const body = (await get('/api/v1/search?q=fermentation')).json();
      expect(ids(body)).toEqual([publicThread]);
      expect(body.total).toBe(1);
      expect(body.facets.communities.map((f: { value: string }) => f.value)).toEqual(['brewing']);
      expectProblem(await get('/api/v1/search?q=fermentation&community=vault'), 404, 'NOT_FOUND');
      expect(
        (await get('/api/v1/threads/similar?title=Fermentation%20secrets%20vault')).json().items.map((i: { id: number }) => i.id),
      ).not.toContain(privateThread);
    }
  });

  it('shows members their private community’s threads, with filters', async () => {
    const body = (await insider.inject({ method: 'GET', url: '/api/v1/search?q=fermentation' })).json();
    expect(ids(body).sort()).toEqual([publicThread, privateThread].sort());
    expect(ids((await insider.inject({ method: 'GET', url: '/api/v1/search?q=fermentation&community=vault' })).json())).toEqual([
      privateThread,
    ]);
    expect(ids((await insider.inject({ method: 'GET', url: '/api/v1/search?q=fermentation&tag=yeast&status=solved' })).json())).toEqual([]);
  });

  it('never finds words that only appear in hidden posts', async () => {
    expect(ids((await insider.inject({ method: 'GET', url: '/api/v1/search?q=xylophone' })).json())).toEqual([]);
  });

  it('drops a thread deleted since it was indexed', async () => {
    const doomed = await ask(insider, 'brewing', 'Temporary question about carbonation drops', ['co2']);
    await indexAll(t);
    expect(ids((await outsider.inject({ method: 'GET', url: '/api/v1/search?q=carbonation' })).json())).toEqual([doomed]);
    const [first] = await t.database.db.select().from(posts).where(eq(posts.threadId, doomed));
    expect((await admin.inject({ method: 'DELETE', url: `/api/v1/posts/${first!.id}` })).statusCode).toBeLessThan(300);
    expect(ids((await outsider.inject({ method: 'GET', url: '/api/v1/search?q=carbonation' })).json())).toEqual([]);
  });

  it('pages with a cursor', async () => {
    const first = (await insider.inject({ method: 'GET', url: '/api/v1/search?q=fermentation&limit=1' })).json();
    expect(first.items).toHaveLength(1);
    expect(first.nextCursor).toBe('1');
    const second = (
      await insider.inject({ method: 'GET', url: `/api/v1/search?q=fermentation&limit=1&cursor=${first.nextCursor}` })
    ).json();
    expect(second.items).toHaveLength(1);
    expect(second.nextCursor).toBeNull();
    expect(ids(second)).not.toEqual(ids(first));
  });

  it('refuses bad input with a readable problem', async () => {
    expectProblem(await t.app.inject({ method: 'GET', url: '/api/v1/search' }), 400, 'VALIDATION_FAILED');
    expectProblem(await t.app.inject({ method: 'GET', url: '/api/v1/search?q=x&status=maybe' }), 400, 'VALIDATION_FAILED');
    expectProblem(await t.app.inject({ method: 'GET', url: '/api/v1/search?q=x&cursor=-1' }), 400, 'VALIDATION_FAILED');
    expectProblem(await t.app.inject({ method: 'GET', url: '/api/v1/threads/similar' }), 400, 'VALIDATION_FAILED');
  });
});

describe('GET /api/v1/threads/similar', () => {
  it('suggests the closest existing question with its status', async () => {
    const body = (await outsider.inject({ method: 'GET', url: '/api/v1/threads/similar?title=fermentation%20stalled' })).json();
    expect(body.items[0]).toMatchObject({ id: publicThread, status: 'open', community: { slug: 'brewing' } });
  });
});

describe('search unavailable', () => {
  it('answers 503 with a message, not a 500', async () => {
    const original = t.app.searchIndex.search;
    t.app.searchIndex.search = async () => {
      throw new Error('connect ECONNREFUSED');
    };
    try {
      const problem = expectProblem(await t.app.inject({ method: 'GET', url: '/api/v1/search?q=yeast' }), 503, 'SEARCH_UNAVAILABLE');
      expect(String(problem.detail)).toMatch(/try again/);
    } finally {
      t.app.searchIndex.search = original;
    }
  });
});
