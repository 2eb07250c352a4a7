import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { communities, eq, tags as tagsTable, threads } from '@praxis/db';
import { ask, buildTestApp, createCommunity, reply, signUp, signUpAs, type Session, type TestApp } from './helper.js';

// One test per leak the first measurement found where a query re-wrote the visibility rule.

let t: TestApp;
let admin: Session;

const join = async (s: Session, slug: string) =>
  expect((await s.inject({ method: 'POST', url: `/api/v1/communities/${slug}/join` })).statusCode).toBe(200);
const makeLeader = async (slug: string, s: Session) =>
  expect(
    (await admin.inject({ method: 'PUT', url: `/api/v1/communities/${slug}/members/${s.username}/role`, payload: { role: 'leader' } }))
      .statusCode,
  ).toBe(200);
const listed = async (as: Session | null, query: string) =>
  (as
    ? await as.inject({ method: 'GET', url: `/api/v1/threads?${query}` })
    : await t.app.inject({ method: 'GET', url: `/api/v1/threads?${query}` })
  ).json().items as {
    id: number;
    excerpt: string;
  }[];
const excerptOf = async (as: Session | null, query: string, threadId: number) =>
  (await listed(as, query)).find((i) => i.id === threadId)?.excerpt;
const openingPostId = async (threadId: number) =>
  (await admin.inject({ method: 'GET', url: `/api/v1/threads/${threadId}` })).json().posts[0].id as number;

beforeAll(async () => {
  t = await buildTestApp();
  admin = await signUpAs(t.app, 'admin', 'visadmin');
});
afterAll(() => t.close());

describe('a reply held for approval', () => {
  it('is not shown on its author’s profile to anyone else, anonymous included, nor counted there', async () => {
    const slug = await createCommunity(admin, 'heldprofile');
    const lead = await signUp(t.app, 'heldlead');
    await join(lead, slug);
    await makeLeader(slug, lead);
    expect((await lead.inject({ method: 'PATCH', url: `/api/v1/communities/${slug}`, payload: { holdFirstPosts: true } })).statusCode).toBe(
      200,
    );
    const fresh = await signUp(t.app, 'heldfresh');
    await join(fresh, slug);
    const other = await signUp(t.app, 'heldother');
    await join(other, slug);
    const threadId = await ask(admin, slug, 'A question that gets a held reply');
    const replyId = await reply(fresh, threadId, 'SECRET held reply text, awaiting approval');

    for (const viewer of [null, other]) {
      const response = viewer
        ? await viewer.inject({ method: 'GET', url: '/api/v1/users/heldfresh' })
        : await t.app.inject({ method: 'GET', url: '/api/v1/users/heldfresh' });
      expect(response.statusCode).toBe(200);
      const profile = response.json();
      expect(profile.answers.map((a: { postId: number }) => a.postId)).not.toContain(replyId);
      expect(JSON.stringify(profile)).not.toContain('SECRET');
      expect(profile.stats.answers).toBe(0);
    }
    // Its author and the community's moderators may see it, as the policy says.
    expect(
      (await fresh.inject({ method: 'GET', url: '/api/v1/users/heldfresh' })).json().answers.map((a: { postId: number }) => a.postId),
    ).toContain(replyId);
    expect(
      (await lead.inject({ method: 'GET', url: '/api/v1/users/heldfresh' })).json().answers.map((a: { postId: number }) => a.postId),
    ).toContain(replyId);

    // Approved, it shows to everyone.
    expect((await lead.inject({ method: 'POST', url: `/api/v1/posts/${replyId}/review`, payload: { action: 'approve' } })).statusCode).toBe(
      200,
    );
    const anonymous = (await t.app.inject({ method: 'GET', url: '/api/v1/users/heldfresh' })).json();
    expect(anonymous.answers.map((a: { postId: number }) => a.postId)).toContain(replyId);
    expect(anonymous.stats.answers).toBe(1);
  });
});

describe('the excerpt in thread lists', () => {
  it('comes from visible content only: hiding the opening post blanks it, unhiding and editing bring it back', async () => {
    const slug = await createCommunity(admin, 'excerpts');
    const member = await signUp(t.app, 'excerptauthor');
    await join(member, slug);
    const response = await member.inject({
      method: 'POST',
      url: '/api/v1/threads',
      payload: { community: slug, title: 'A thread whose opening gets hidden', body: 'OFFENSIVE opening text', tags: [] },
    });
    expect(response.statusCode).toBe(201);
    const threadId = response.json().id as number;
    const postId = await openingPostId(threadId);
    const queries = ['', `community=${slug}`];
    for (const query of queries) expect(await excerptOf(null, query, threadId)).toContain('OFFENSIVE');

    expect((await admin.inject({ method: 'POST', url: `/api/v1/posts/${postId}/hide`, payload: { hidden: true } })).statusCode).toBe(200);
    for (const viewer of [null, member]) {
      for (const query of queries) {
        const excerpt = await excerptOf(viewer, query, threadId);
        expect(excerpt).toBeDefined();
        expect(excerpt).not.toContain('OFFENSIVE');
      }
    }

    expect((await admin.inject({ method: 'POST', url: `/api/v1/posts/${postId}/hide`, payload: { hidden: false } })).statusCode).toBe(200);
    for (const query of queries) expect(await excerptOf(null, query, threadId)).toContain('OFFENSIVE');

    expect(
      (await member.inject({ method: 'PATCH', url: `/api/v1/posts/${postId}`, payload: { body: 'A kinder opening text' } })).statusCode,
    ).toBe(200);
    for (const query of queries) expect(await excerptOf(null, query, threadId)).toBe('A kinder opening text');
  });
});

describe('community and tag thread counts', () => {
  const countsOf = async (slug: string) => {
    const community = (await t.app.inject({ method: 'GET', url: `/api/v1/communities/${slug}` })).json() as {
      threadCount: number;
      tags: { name: string; threadCount: number }[];
    };
    return { threads: community.threadCount, tags: Object.fromEntries(community.tags.map((tag) => [tag.name, tag.threadCount])) };
  };

  it('go down when a thread is deleted, so a community never says 2 threads while it lists 1', async () => {
    const slug = await createCommunity(admin, 'counted');
    const kept = await ask(admin, slug, 'A thread that stays around', ['kept', 'shared']);
    const gone = await ask(admin, slug, 'A thread that gets deleted', ['gone', 'shared']);
    expect(await countsOf(slug)).toEqual({ threads: 2, tags: { kept: 1, gone: 1, shared: 2 } });

    // Deleting the opening post deletes the thread.
    expect((await admin.inject({ method: 'DELETE', url: `/api/v1/posts/${await openingPostId(gone)}` })).statusCode).toBeLessThan(300);
    expect((await listed(null, `community=${slug}`)).map((i) => i.id)).toEqual([kept]);
    expect(await countsOf(slug)).toEqual({ threads: 1, tags: { kept: 1, shared: 1 } });
  });

  it('count a held thread only once it is approved, and drop it again when deleted', async () => {
    const slug = await createCommunity(admin, 'heldcount');
    const lead = await signUp(t.app, 'countlead');
    await join(lead, slug);
    await makeLeader(slug, lead);
    expect((await lead.inject({ method: 'PATCH', url: `/api/v1/communities/${slug}`, payload: { holdFirstPosts: true } })).statusCode).toBe(
      200,
    );
    const fresh = await signUp(t.app, 'countfresh');
    await join(fresh, slug);
    const held = await ask(fresh, slug, 'A held question is not counted yet', ['waiting']);
    expect(await countsOf(slug)).toEqual({ threads: 0, tags: {} });
    expect(
      (await lead.inject({ method: 'POST', url: `/api/v1/posts/${await openingPostId(held)}/review`, payload: { action: 'approve' } }))
        .statusCode,
    ).toBe(200);
    expect(await countsOf(slug)).toEqual({ threads: 1, tags: { waiting: 1 } });

    expect((await lead.inject({ method: 'DELETE', url: `/api/v1/posts/${await openingPostId(held)}` })).statusCode).toBeLessThan(300);
    expect(await countsOf(slug)).toEqual({ threads: 0, tags: {} });
  });

  it('follow a thread moved between communities, and retagging', async () => {
    const from = await createCommunity(admin, 'movefrom');
    const to = await createCommunity(admin, 'moveto');
    const threadId = await ask(admin, from, 'A thread that moves elsewhere', ['travels']);
    expect((await admin.inject({ method: 'POST', url: `/api/v1/threads/${threadId}/move`, payload: { community: to } })).statusCode).toBe(
      200,
    );
    expect(await countsOf(from)).toEqual({ threads: 0, tags: {} });
    expect(await countsOf(to)).toEqual({ threads: 1, tags: { travels: 1 } });
    expect((await admin.inject({ method: 'PATCH', url: `/api/v1/threads/${threadId}`, payload: { tags: ['arrived'] } })).statusCode).toBe(
      200,
    );
    expect(await countsOf(to)).toEqual({ threads: 1, tags: { arrived: 1 } });
  });

  it('are stored as the rows say (no drift left in the tables after these changes)', async () => {
    const rows = await t.database.db.select().from(communities);
    for (const community of rows) {
      const listable = (await t.database.db.select().from(threads).where(eq(threads.communityId, community.id))).filter(
        (th) => th.deletedAt === null && th.heldAt === null,
      );
      expect({ slug: community.slug, n: community.threadCount }).toEqual({ slug: community.slug, n: listable.length });
      const tagRows = await t.database.db.select().from(tagsTable).where(eq(tagsTable.communityId, community.id));
      for (const tag of tagRows)
        expect({ tag: tag.name, n: tag.threadCount }).toEqual({
          tag: tag.name,
          n: listable.filter((th) => th.tags.includes(tag.name)).length,
        });
    }
  });
});
