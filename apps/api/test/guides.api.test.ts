import { desc, eq, guides, memberships, outboxEvents, threads } from '@praxis/db';
import { toGuideDocument } from '@praxis/search';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ask, buildTestApp, createCommunity, expectProblem, reply, signUp, signUpAs, type Session, type TestApp } from './helper.js';

let t: TestApp;
let admin: Session; // staff; created the community, so also its leader
let lea: Session; // leader
let mo: Session; // community moderator
let ada: Session; // asks
let eve: Session; // answers (the expert)
let bob: Session; // plain member
let out: Session; // not a member of the private community
let questionId: number;
let acceptedId: number;
let otherAnswerId: number;
let secondQuestionId: number;
let secondAnswerId: number;

const db = () => t.database.db;
const lastEvent = async () => (await db().select().from(outboxEvents).orderBy(desc(outboxEvents.id)).limit(1))[0];
const post = (s: Session, url: string, payload: unknown = {}) =>
  s.inject({ method: 'POST', url, payload: payload as Record<string, unknown> });
const get = (s: Session | null, url: string) => (s ? s.inject({ method: 'GET', url }) : t.app.inject({ method: 'GET', url }));
const ok = (res: LightMyRequestResponse, status = 200) => {
  if (res.statusCode !== status) throw new Error(`expected ${status}, got ${res.statusCode}: ${res.body}`);
  return res.json();
};
async function createDraft(by: Session, sourcePostIds = [acceptedId], title = 'Dry hopping a pale ale'): Promise<ReturnType<typeof ok>> {
  return ok(await post(by, '/api/v1/guides', { community: 'brewing', title, sourcePostIds }), 201);
}
/** Plays the worker: indexes every published guide into the app's guide index. */
async function indexPublishedGuides() {
  const rows = await db().select().from(guides).where(eq(guides.status, 'published'));
  await t.app.guideIndex.upsert(rows.map(toGuideDocument));
}

beforeAll(async () => {
  t = await buildTestApp();
  admin = await signUpAs(t.app, 'admin');
  await createCommunity(admin, 'brewing');
  await createCommunity(admin, 'secret', 'private');
  lea = await signUp(t.app, 'lea');
  mo = await signUp(t.app, 'moe');
  ada = await signUp(t.app, 'ada');
  eve = await signUp(t.app, 'eve');
  bob = await signUp(t.app, 'bob');
  out = await signUp(t.app, 'out');
  for (const s of [lea, mo, ada, eve, bob, out]) await s.inject({ method: 'POST', url: '/api/v1/communities/brewing/join' });
  await db().update(memberships).set({ role: 'leader' }).where(eq(memberships.userId, lea.id));
  await db().update(memberships).set({ role: 'moderator' }).where(eq(memberships.userId, mo.id));
  questionId = await ask(ada, 'brewing', 'How long should I dry hop a pale ale?', ['hops', 'dry-hopping']);
  acceptedId = await reply(eve, questionId, 'Three to five days at fermentation temperature.\n\nLonger gives grassy flavours.');
  otherAnswerId = await reply(bob, questionId, 'I do two days.');
  ok(await ada.inject({ method: 'POST', url: `/api/v1/threads/${questionId}/solution`, payload: { postId: acceptedId } }));
  secondQuestionId = await ask(ada, 'brewing', 'Cold side hop additions?', ['hops']);
  secondAnswerId = await reply(eve, secondQuestionId, 'Add them cold, in a bag.');
});
afterAll(() => t.close());

describe('guide lifecycle', () => {
  let id: number;

  it('a moderator creates a draft from an accepted answer: quoted, linked, credited; owner = top credited author', async () => {
    const g = await createDraft(mo);
    id = g.id;
    expect(g).toMatchObject({
      status: 'draft',
      revision: 1,
      title: 'Dry hopping a pale ale',
      tags: ['hops', 'dry-hopping'],
      owner: { id: eve.id },
      createdBy: { id: mo.id },
    });
    expect(g.sources).toEqual([
      expect.objectContaining({
        post: expect.objectContaining({ id: acceptedId, accepted: true, url: `/t/${questionId}#post-${acceptedId}` }),
        thread: { id: questionId, title: 'How long should I dry hop a pale ale?' },
        author: expect.objectContaining({ id: eve.id, username: 'eve' }),
      }),
    ]);
    expect(g.body).toContain('> Three to five days at fermentation temperature.');
    expect(g.body).toContain(`[Accepted answer](/t/${questionId}#post-${acceptedId}) by **eve (@eve)**`);
    expect(g.html).toContain(`href="/t/${questionId}#post-${acceptedId}"`);
    expect(g.abilities).toEqual({ edit: true, submit: true, approve: false, verify: false, restore: true });
    expect(await lastEvent()).toMatchObject({ type: 'guide.created', aggregateId: id, payload: { guideId: id, by: mo.id } });
  });

  it('a non-leader is refused at each step, and drafts are invisible to members', async () => {
    expectProblem(
      await post(bob, '/api/v1/guides', { community: 'brewing', title: 'Mine', sourcePostIds: [acceptedId] }),
      403,
      'FORBIDDEN',
    );
    expectProblem(await get(bob, `/api/v1/guides/${id}`), 404, 'NOT_FOUND');
    expectProblem(await get(null, `/api/v1/guides/${id}`), 404, 'NOT_FOUND');
    expectProblem(await bob.inject({ method: 'PATCH', url: `/api/v1/guides/${id}`, payload: { body: 'x' } }), 404);
    expectProblem(await post(bob, `/api/v1/guides/${id}/submit`), 404);
    expectProblem(await post(bob, `/api/v1/guides/${id}/approve`), 404);
    expectProblem(await post(bob, `/api/v1/guides/${id}/verify`), 404);
    expectProblem(await post(bob, `/api/v1/guides/${id}/restore`, { revision: 1 }), 404);
    expectProblem(await get(bob, `/api/v1/guides/${id}/revisions`), 404);
    expectProblem(await post(bob, `/api/v1/guides/${id}/sources`, { postIds: [secondAnswerId] }), 404);
    expectProblem(
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/guides',
        headers: { origin: 'http://localhost:3000' },
        payload: { community: 'brewing', title: 'Anon', sourcePostIds: [acceptedId] },
      }),
      401,
    );
    expect(ok(await get(bob, '/api/v1/communities/brewing/guides')).items).toEqual([]);
    expect(ok(await get(bob, `/api/v1/threads/${questionId}/guides`)).items).toEqual([]);
    expect(ok(await get(lea, `/api/v1/threads/${questionId}/guides`)).items.map((g: { id: number }) => g.id)).toEqual([id]);
  });

  it('every save is a revision; sources from another thread are added and credited', async () => {
    const edited = ok(
      await mo.inject({
        method: 'PATCH',
        url: `/api/v1/guides/${id}`,
        payload: { body: '# Dry hopping\n\nThree to five days.\n', note: 'shorter' },
      }),
    );
    expect(edited).toMatchObject({ revision: 2, body: '# Dry hopping\n\nThree to five days.\n' });
    const added = ok(await post(lea, `/api/v1/guides/${id}/sources`, { postIds: [secondAnswerId, acceptedId] }));
    expect(added.revision).toBe(3);
    expect(added.sources.map((s: { post: { id: number } }) => s.post.id)).toEqual([acceptedId, secondAnswerId]);
    expect(added.body).toContain('> Add them cold, in a bag.');
    expect(await lastEvent()).toMatchObject({ type: 'guide.revised', payload: { guideId: id, revision: 3 } });
    const revisions = ok(await get(mo, `/api/v1/guides/${id}/revisions`));
    expect(revisions.items.map((r: { revision: number; current: boolean }) => [r.revision, r.current])).toEqual([
      [3, true],
      [2, false],
      [1, false],
    ]);
    expect(revisions.items[1]).toMatchObject({ note: 'shorter', editor: { id: mo.id } });
  });

  it('credits survive a rewrite that drops the quotes', async () => {
    const g = ok(
      await mo.inject({
        method: 'PATCH',
        url: `/api/v1/guides/${id}`,
        payload: { title: 'Dry hopping, the short version', body: 'Nothing quoted any more.\n' },
      }),
    );
    expect(g.sources.map((s: { author: { id: number } }) => s.author.id)).toEqual([eve.id, eve.id]);
    expect(g.revision).toBe(4);
  });

  it('shows a readable diff between two revisions and restores an old one as a new revision', async () => {
    const diff = ok(await get(mo, `/api/v1/guides/${id}/diff?from=2&to=4`));
    expect(diff).toMatchObject({ from: 2, to: 4 });
    expect(diff.body).toContainEqual({ kind: 'added', text: expect.stringContaining('Nothing quoted') });
    expect(diff.body).toContainEqual({ kind: 'removed', text: expect.stringContaining('Three to five days') });
    expectProblem(await get(mo, `/api/v1/guides/${id}/diff?from=2&to=99`), 404);
    expectProblem(await get(mo, `/api/v1/guides/${id}/diff?from=x&to=2`), 400);
    const restored = ok(await post(mo, `/api/v1/guides/${id}/restore`, { revision: 2 }));
    expect(restored).toMatchObject({ revision: 5, body: '# Dry hopping\n\nThree to five days.\n', title: 'Dry hopping a pale ale' });
    expect(ok(await get(mo, `/api/v1/guides/${id}/revisions`)).items[0]).toMatchObject({ revision: 5, note: 'Restored revision 2' });
    expectProblem(await post(mo, `/api/v1/guides/${id}/restore`, { revision: 42 }), 404);
  });

  it('wrong status transitions are 409; the submitter cannot approve their own guide; a second leader publishes', async () => {
    expectProblem(await post(lea, `/api/v1/guides/${id}/approve`), 409, 'GUIDE_STATUS');
    expectProblem(await post(mo, `/api/v1/guides/${id}/verify`), 409, 'GUIDE_STATUS');
    const submitted = ok(await post(mo, `/api/v1/guides/${id}/submit`));
    expect(submitted).toMatchObject({ status: 'in_review', submittedBy: { id: mo.id }, abilities: { approve: false, submit: false } });
    expect(await lastEvent()).toMatchObject({ type: 'guide.submitted' });
    expectProblem(await post(mo, `/api/v1/guides/${id}/submit`), 409, 'GUIDE_STATUS');
    expectProblem(await post(mo, `/api/v1/guides/${id}/approve`), 403, 'FORBIDDEN');
    expectProblem(await post(eve, `/api/v1/guides/${id}/approve`), 404);
    expect(ok(await get(lea, `/api/v1/guides/${id}`)).abilities.approve).toBe(true);
    const published = ok(await post(lea, `/api/v1/guides/${id}/approve`));
    expect(published).toMatchObject({ status: 'published', approvedBy: { id: lea.id }, verifiedAt: null });
    expect(Date.parse(published.reviewDueAt) - Date.parse(published.publishedAt)).toBe(180 * 86_400_000);
    expect(await lastEvent()).toMatchObject({ type: 'guide.published', payload: { guideId: id, by: lea.id } });
    expectProblem(await post(lea, `/api/v1/guides/${id}/approve`), 409, 'GUIDE_STATUS');
  });

  it('published guides are readable by anyone who can read the community and linked from their threads', async () => {
    expect(ok(await get(null, `/api/v1/guides/${id}`))).toMatchObject({ status: 'published', abilities: { edit: false, verify: false } });
    expect(ok(await get(bob, '/api/v1/communities/brewing/guides')).items.map((g: { id: number }) => g.id)).toEqual([id]);
    expect(ok(await get(null, `/api/v1/threads/${secondQuestionId}/guides`)).items).toMatchObject([
      { id, title: 'Dry hopping a pale ale' },
    ]);
  });

  it('the owner (a plain member) may verify and update; others may not', async () => {
    expectProblem(await post(bob, `/api/v1/guides/${id}/verify`), 403);
    expect(ok(await get(eve, `/api/v1/guides/${id}`)).abilities).toMatchObject({ verify: true, edit: true, approve: false, submit: false });
    const verified = ok(await post(eve, `/api/v1/guides/${id}/verify`));
    expect(verified).toMatchObject({ verifiedBy: { id: eve.id } });
    expect(Date.parse(verified.reviewDueAt) - Date.parse(verified.verifiedAt)).toBe(180 * 86_400_000);
    expect(await lastEvent()).toMatchObject({ type: 'guide.verified', payload: { guideId: id, by: eve.id } });
    expect(
      ok(await eve.inject({ method: 'PATCH', url: `/api/v1/guides/${id}`, payload: { body: 'Updated by the owner.\n' } })),
    ).toMatchObject({ status: 'published', revision: 6 });
    expectProblem(await bob.inject({ method: 'PATCH', url: `/api/v1/guides/${id}`, payload: { body: 'vandal' } }), 403);
  });

  it('the self-publish setting lets a leader publish their own guide', async () => {
    const own = await createDraft(lea, [otherAnswerId], 'Short dry hops');
    ok(await post(lea, `/api/v1/guides/${own.id}/submit`));
    expectProblem(await post(lea, `/api/v1/guides/${own.id}/approve`), 403);
    expectProblem(
      await bob.inject({ method: 'PUT', url: '/api/v1/communities/brewing/guide-settings', payload: { selfPublish: true } }),
      403,
    );
    expect(
      ok(await lea.inject({ method: 'PUT', url: '/api/v1/communities/brewing/guide-settings', payload: { selfPublish: true } }))
        .selfPublish,
    ).toBe(true);
    expect(ok(await post(lea, `/api/v1/guides/${own.id}/approve`)).status).toBe('published');
    ok(await lea.inject({ method: 'PUT', url: '/api/v1/communities/brewing/guide-settings', payload: { selfPublish: false } }));
  });
});

describe('bad input', () => {
  it('refuses unknown posts, opening posts, discussion replies and posts of another community with 422', async () => {
    expectProblem(
      await post(mo, '/api/v1/guides', { community: 'brewing', title: 'Nope', sourcePostIds: [999999] }),
      422,
      'INVALID_GUIDE_SOURCE',
    );
    const [opening] = await db().select().from(threads).where(eq(threads.id, questionId));
    expect(opening).toBeDefined();
    const first = (await get(mo, `/api/v1/threads/${questionId}`)).json().posts[0].id as number;
    const problem = expectProblem(
      await post(mo, '/api/v1/guides', { community: 'brewing', title: 'Nope', sourcePostIds: [acceptedId, first] }),
      422,
      'INVALID_GUIDE_SOURCE',
    );
    expect(problem.errors).toEqual({ 'sourcePostIds.1': expect.stringContaining('not an answer') });
    const discussion = ok(
      await post(ada, '/api/v1/threads', { community: 'brewing', title: 'Chat about hops', body: 'Hi', kind: 'discussion', tags: [] }),
      201,
    ).id as number;
    const chatReply = await reply(eve, discussion, 'hello');
    expectProblem(
      await post(mo, '/api/v1/guides', { community: 'brewing', title: 'Nope', sourcePostIds: [chatReply] }),
      422,
      'INVALID_GUIDE_SOURCE',
    );
    const secretQ = await ask(admin, 'secret', 'Secret question here?');
    const secretA = await reply(admin, secretQ, 'secret answer');
    const p = expectProblem(
      await post(mo, '/api/v1/guides', { community: 'brewing', title: 'Nope', sourcePostIds: [secretA] }),
      422,
      'INVALID_GUIDE_SOURCE',
    );
    expect(String(p.detail)).toContain('no post'); // not "another community": mo cannot read it
    expect(
      String(
        expectProblem(await post(admin, '/api/v1/guides', { community: 'brewing', title: 'Nope', sourcePostIds: [secretA] }), 422).detail,
      ),
    ).toContain('another community');
    expectProblem(await post(mo, '/api/v1/guides', { community: 'brewing', title: 'Nope', sourcePostIds: [] }), 400, 'VALIDATION_FAILED');
    expectProblem(
      await post(mo, '/api/v1/guides', { community: 'brewing', title: 'x', sourcePostIds: [acceptedId] }),
      400,
      'VALIDATION_FAILED',
    );
    expectProblem(await post(mo, '/api/v1/guides', { community: 'nowhere', title: 'Nope', sourcePostIds: [acceptedId] }), 404);
    expectProblem(await mo.inject({ method: 'PATCH', url: '/api/v1/guides/1', payload: {} }), 400);
    expectProblem(await get(mo, '/api/v1/guides/abc'), 400);
    expectProblem(await get(mo, '/api/v1/guides/999999'), 404);
  });
});

describe('private communities and search', () => {
  let secretGuide: number;
  it('private guides are invisible to non-members, in search and suggestions too', async () => {
    const q = await ask(admin, 'secret', 'How do I age a barleywine for years?');
    const a = await reply(admin, q, 'Cellar it cool and dark; barleywine ages for years.');
    const g = ok(await post(admin, '/api/v1/guides', { community: 'secret', title: 'Ageing barleywine', sourcePostIds: [a] }), 201);
    secretGuide = g.id;
    ok(await lea.inject({ method: 'PUT', url: '/api/v1/communities/brewing/guide-settings', payload: { selfPublish: false } }));
    await db().update(guides).set({ status: 'published', publishedAt: new Date() }).where(eq(guides.id, secretGuide));
    await indexPublishedGuides();
    expectProblem(await get(out, `/api/v1/guides/${secretGuide}`), 404);
    expectProblem(await get(out, '/api/v1/communities/secret/guides'), 404);
    expect(ok(await get(out, '/api/v1/guides/search?q=barleywine')).items).toEqual([]);
    expect(
      ok(await get(out, '/api/v1/guides/similar?title=How%20long%20to%20age%20barleywine')).items.map((h: { id: number }) => h.id),
    ).not.toContain(secretGuide);
    expect(ok(await get(admin, '/api/v1/guides/similar?title=How%20long%20to%20age%20barleywine')).items[0]).toMatchObject({
      id: secretGuide,
    });
    expect(ok(await get(admin, '/api/v1/guides/search?q=barleywine')).items.map((h: { id: number }) => h.id)).toEqual([secretGuide]);
  });

  it('published guides are found by search and ask-time suggestions; drafts never', async () => {
    const draft = await createDraft(mo, [acceptedId], 'Dry hopping draft only');
    await indexPublishedGuides();
    const similar = ok(await get(bob, '/api/v1/guides/similar?title=How%20many%20days%20should%20I%20dry%20hop%3F&community=brewing'));
    expect(similar.items.length).toBeGreaterThan(0);
    expect(similar.items[0]).toMatchObject({ title: 'Short dry hops', community: { slug: 'brewing' } });
    expect(similar.items.map((h: { id: number }) => h.id)).not.toContain(draft.id);
    const found = ok(await get(null, '/api/v1/guides/search?q=owner'));
    expect(found.items.map((h: { title: string }) => h.title)).toContain('Dry hopping a pale ale');
  });
});
