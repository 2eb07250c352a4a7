import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asc, outboxEvents } from '@praxis/db';
import { ask, buildTestApp, createCommunity, expectProblem, reply, signUp, signUpAs, type Session, type TestApp } from './helper.js';

let t: TestApp;
let admin: Session;
let asker: Session;
let expert: Session;
let community: string;

beforeAll(async () => {
  t = await buildTestApp();
  admin = await signUpAs(t.app, 'admin');
  community = await createCommunity(admin, 'brewing');
  asker = await signUp(t.app, 'asker');
  expert = await signUp(t.app, 'expert');
  for (const s of [asker, expert])
    expect((await s.inject({ method: 'POST', url: `/api/v1/communities/${community}/join` })).statusCode).toBe(200);
});
afterAll(() => t.close());

const outboxTypes = async () => (await t.database.db.select().from(outboxEvents).orderBy(asc(outboxEvents.id))).map((e) => e.type);

describe('communities', () => {
  it('lists and shows a community with its charter, leaders, member count and the viewer’s abilities', async () => {
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/communities' });
    expect(list.json().items.map((c: { slug: string }) => c.slug)).toContain('brewing');
    const shown = await asker.inject({ method: 'GET', url: `/api/v1/communities/${community}` });
    expect(shown.json()).toMatchObject({
      slug: 'brewing',
      memberCount: 3,
      viewerRole: 'member',
      charterHtml: '<h1>Charter</h1>\n',
      abilities: { join: false, leave: true, post: true, edit: false },
    });
    expect(shown.json().leaders.map((l: { username: string }) => l.username)).toEqual([admin.username]);
  });

  it('lets only admins create communities and only leaders or moderators edit the charter', async () => {
    expectProblem(
      await asker.inject({ method: 'POST', url: '/api/v1/communities', payload: { slug: 'mine', name: 'Mine' } }),
      403,
      'FORBIDDEN',
    );
    expectProblem(
      await asker.inject({ method: 'PATCH', url: `/api/v1/communities/${community}`, payload: { charter: 'hijacked' } }),
      403,
      'FORBIDDEN',
    );
    const edited = await admin.inject({ method: 'PATCH', url: `/api/v1/communities/${community}`, payload: { charter: 'Be **kind**.' } });
    expect(edited.json().charterHtml).toBe('<p>Be <strong>kind</strong>.</p>\n');
    expectProblem(
      await admin.inject({ method: 'POST', url: '/api/v1/communities', payload: { slug: 'brewing', name: 'Again' } }),
      409,
      'SLUG_TAKEN',
    );
  });

  it('joins and leaves, and refuses joining twice', async () => {
    const drifter = await signUp(t.app);
    expect((await drifter.inject({ method: 'POST', url: `/api/v1/communities/${community}/join` })).json().viewerRole).toBe('member');
    expectProblem(await drifter.inject({ method: 'POST', url: `/api/v1/communities/${community}/join` }), 403, 'FORBIDDEN');
    expect((await drifter.inject({ method: 'POST', url: `/api/v1/communities/${community}/leave` })).statusCode).toBe(200);
    expectProblem(
      await drifter.inject({
        method: 'POST',
        url: '/api/v1/threads',
        payload: { community, title: 'A question after leaving', body: 'x', tags: [] },
      }),
      403,
      'FORBIDDEN',
    );
  });
});

describe('ask → reply → accept', () => {
  it('runs the whole path and writes an outbox event for each change', async () => {
    const before = (await outboxTypes()).length;
    const created = await asker.inject({
      method: 'POST',
      url: '/api/v1/threads',
      payload: {
        community,
        title: 'Why is my IPA cloudy?',
        body: 'It was clear last week. @expert any idea?',
        tags: ['IPA', 'haze'],
        kind: 'question',
      },
    });
    expect(created.statusCode).toBe(201);
    const thread = created.json();
    expect(thread).toMatchObject({
      title: 'Why is my IPA cloudy?',
      tags: ['ipa', 'haze'],
      status: 'open',
      kind: 'question',
      replyCount: 0,
    });
    expect(thread.posts[0].html).toContain('<a class="mention" href="/u/expert"');

    const answer = await expert.inject({
      method: 'POST',
      url: `/api/v1/threads/${thread.id}/posts`,
      payload: { body: 'Chill haze: cold crash it.', replyToId: thread.posts[0].id },
    });
    expect(answer.statusCode).toBe(201);
    expect(answer.json()).toMatchObject({ number: 2, replyToId: thread.posts[0].id, html: '<p>Chill haze: cold crash it.</p>\n' });

    expectProblem(
      await expert.inject({ method: 'POST', url: `/api/v1/threads/${thread.id}/solution`, payload: { postId: answer.json().id } }),
      403,
      'FORBIDDEN',
    );
    const accepted = await asker.inject({
      method: 'POST',
      url: `/api/v1/threads/${thread.id}/solution`,
      payload: { postId: answer.json().id },
    });
    expect(accepted.json()).toEqual({ threadId: thread.id, solutionPostId: answer.json().id, status: 'solved' });

    const read = (await t.app.inject({ method: 'GET', url: `/api/v1/threads/${thread.id}` })).json();
    expect(read).toMatchObject({ status: 'solved', solved: true, replyCount: 1, solutionPostId: answer.json().id, totalPosts: 2 });
    expect(read.posts.map((p: { isSolution: boolean }) => p.isSolution)).toEqual([false, true]);
    expect((await outboxTypes()).slice(before)).toEqual(['thread.created', 'post.created', 'solution.accepted']);
  });

  it('lets the asker change the accepted answer; one solution per thread', async () => {
    const id = await ask(asker, community, 'Which yeast for a saison?');
    const first = await reply(expert, id, 'Dupont strain');
    const second = await reply(admin, id, 'French saison strain');
    await asker.inject({ method: 'POST', url: `/api/v1/threads/${id}/solution`, payload: { postId: first } });
    await asker.inject({ method: 'POST', url: `/api/v1/threads/${id}/solution`, payload: { postId: second } });
    const read = (await asker.inject({ method: 'GET', url: `/api/v1/threads/${id}` })).json();
    expect(read.solutionPostId).toBe(second);
    expect(read.posts.filter((p: { isSolution: boolean }) => p.isSolution).map((p: { id: number }) => p.id)).toEqual([second]);
    expectProblem(
      await asker.inject({ method: 'POST', url: `/api/v1/threads/${id}/solution`, payload: { postId: read.posts[0].id } }),
      400,
      'VALIDATION_FAILED',
    );
    const cleared = await asker.inject({ method: 'DELETE', url: `/api/v1/threads/${id}/solution` });
    expect(cleared.json()).toMatchObject({ solutionPostId: null, status: 'open' });
  });

  it('shows a new reply on the next anonymous read (the read cache is invalidated)', async () => {
    const id = await ask(asker, community, 'Does the anonymous cache go stale?');
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/threads/${id}` })).json().posts).toHaveLength(1);
    await reply(expert, id, 'It must not.');
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/threads/${id}` })).json().posts).toHaveLength(2);
  });
});

describe('editing, history, hiding, deleting', () => {
  it('lets the asker or a moderator change the title and tags, keeping tag counts and an outbox event', async () => {
    const id = await ask(asker, community, 'A titel with a typo in it', ['lager']);
    expect((await asker.inject({ method: 'GET', url: `/api/v1/threads/${id}` })).json().abilities.edit).toBe(true);
    expect((await expert.inject({ method: 'GET', url: `/api/v1/threads/${id}` })).json().abilities.edit).toBe(false);
    expectProblem(
      await expert.inject({ method: 'PATCH', url: `/api/v1/threads/${id}`, payload: { title: 'Someone else’s better title' } }),
      403,
      'FORBIDDEN',
    );
    const edited = await asker.inject({
      method: 'PATCH',
      url: `/api/v1/threads/${id}`,
      payload: { title: 'A title without a typo', tags: ['Lager', 'Fermentation'] },
    });
    expect(edited.json()).toMatchObject({ title: 'A title without a typo', tags: ['lager', 'fermentation'] });
    expect((await outboxTypes()).at(-1)).toBe('thread.edited');
    const byTag = (await t.app.inject({ method: 'GET', url: `/api/v1/threads?community=${community}&tag=fermentation` })).json();
    const tagCounts = (await t.app.inject({ method: 'GET', url: `/api/v1/communities/${community}` })).json().tags;
    expect(tagCounts).toContainEqual({ name: 'fermentation', threadCount: 1 });
    expect(byTag.items.map((i: { id: number }) => i.id)).toEqual([id]);
    expectProblem(await asker.inject({ method: 'PATCH', url: `/api/v1/threads/${id}`, payload: {} }), 400, 'VALIDATION_FAILED');
    expect((await admin.inject({ method: 'PATCH', url: `/api/v1/threads/${id}`, payload: { tags: [] } })).json().tags).toEqual([]);
  });

  it('keeps every revision readable and only lets the author or a moderator edit', async () => {
    const id = await ask(asker, community, 'Bottle conditioning time?');
    const postId = await reply(expert, id, 'Two weeks.');
    expectProblem(
      await asker.inject({ method: 'PATCH', url: `/api/v1/posts/${postId}`, payload: { body: 'vandalized' } }),
      403,
      'FORBIDDEN',
    );
    const edited = await expert.inject({
      method: 'PATCH',
      url: `/api/v1/posts/${postId}`,
      payload: { body: 'Two to three weeks at 20 °C.', reason: 'more precise' },
    });
    expect(edited.json()).toMatchObject({ revision: 2, body: 'Two to three weeks at 20 °C.', abilities: { history: true } });
    expect(edited.json().editedAt).not.toBeNull();
    const history = (await t.app.inject({ method: 'GET', url: `/api/v1/posts/${postId}/revisions` })).json();
    expect(history.items.map((r: { body: string; reason: string | null }) => [r.body, r.reason])).toEqual([
      ['Two weeks.', null],
      ['Two to three weeks at 20 °C.', 'more precise'],
    ]);
    const byAdmin = await admin.inject({
      method: 'PATCH',
      url: `/api/v1/posts/${postId}`,
      payload: { body: 'Two to three weeks at 20 °C (moderated).' },
    });
    expect(byAdmin.json().revision).toBe(3);
  });

  it('hides a post from readers but not from moderators, and deletes as a tombstone', async () => {
    const id = await ask(asker, community, 'Is this post going to be hidden?');
    const postId = await reply(expert, id, 'Spam spam spam');
    expectProblem(await asker.inject({ method: 'POST', url: `/api/v1/posts/${postId}/hide`, payload: { hidden: true } }), 403, 'FORBIDDEN');
    expect((await admin.inject({ method: 'POST', url: `/api/v1/posts/${postId}/hide`, payload: { hidden: true } })).json().hidden).toBe(
      true,
    );
    const asReader = (await asker.inject({ method: 'GET', url: `/api/v1/threads/${id}` })).json();
    expect(asReader.posts[1]).toMatchObject({ hidden: true, body: '', html: '' });
    expect(asReader.replyCount).toBe(0);
    expect((await admin.inject({ method: 'GET', url: `/api/v1/threads/${id}` })).json().posts[1].body).toBe('Spam spam spam');
    expectProblem(await t.app.inject({ method: 'GET', url: `/api/v1/posts/${postId}` }), 404, 'NOT_FOUND');

    const other = await reply(expert, id, 'I will delete this myself');
    expectProblem(await asker.inject({ method: 'DELETE', url: `/api/v1/posts/${other}` }), 403, 'FORBIDDEN');
    expect((await expert.inject({ method: 'DELETE', url: `/api/v1/posts/${other}` })).statusCode).toBe(200);
    const after = (await t.app.inject({ method: 'GET', url: `/api/v1/threads/${id}` })).json();
    expect(after.posts[2]).toMatchObject({ deleted: true, body: '', html: '' });
    expectProblem(await t.app.inject({ method: 'GET', url: `/api/v1/posts/${other}/revisions` }), 404, 'NOT_FOUND');
    expect((await admin.inject({ method: 'GET', url: `/api/v1/posts/${other}/revisions` })).json().items).toHaveLength(1);
  });
});

describe('user content is inert', () => {
  it('stores the markdown source and serves sanitized HTML', async () => {
    const payloads = [
      '<script>alert(1)</script>',
      '<img src=x onerror=alert(1)>',
      '[click](javascript:alert(1))',
      '<iframe src="https://evil.example"></iframe>',
      '<svg onload=alert(1)><circle /></svg>',
      '<a href="javascript:alert(1)">x</a>',
    ];
    const id = await ask(asker, community, 'Can I post dangerous markup here?');
    for (const body of payloads) await reply(expert, id, body);
    const posts = (await t.app.inject({ method: 'GET', url: `/api/v1/threads/${id}` })).json().posts.slice(1);
    expect(posts.map((p: { body: string }) => p.body)).toEqual(payloads);
    for (const p of posts as { html: string }[]) {
      expect(p.html).not.toMatch(/<(script|iframe|svg|img)\b/i);
      expect(p.html).not.toMatch(/<a\b[^>]*href="\s*javascript:/i);
      expect(p.html).not.toMatch(/<[^>]+\son\w+=/i);
    }
  });
});

describe('votes', () => {
  it('upvotes once, removes the vote, and refuses voting on your own post', async () => {
    const id = await ask(asker, community, 'Best glass for a stout?');
    const postId = await reply(expert, id, 'A nonic pint.');
    expect((await asker.inject({ method: 'POST', url: `/api/v1/posts/${postId}/vote` })).json()).toEqual({
      postId,
      score: 1,
      viewerVoted: true,
    });
    expect((await asker.inject({ method: 'POST', url: `/api/v1/posts/${postId}/vote` })).json().score).toBe(1);
    expect((await admin.inject({ method: 'POST', url: `/api/v1/posts/${postId}/vote` })).json().score).toBe(2);
    expect((await asker.inject({ method: 'GET', url: `/api/v1/threads/${id}` })).json().posts[1]).toMatchObject({
      score: 2,
      viewerVoted: true,
    });
    expect((await asker.inject({ method: 'DELETE', url: `/api/v1/posts/${postId}/vote` })).json()).toEqual({
      postId,
      score: 1,
      viewerVoted: false,
    });
    expectProblem(await expert.inject({ method: 'POST', url: `/api/v1/posts/${postId}/vote` }), 409, 'CANNOT_VOTE_OWN_POST');
    expectProblem(await t.app.inject({ method: 'POST', url: `/api/v1/posts/${postId}/vote` }), 401, 'UNAUTHENTICATED');
  });
});

describe('a long thread', () => {
  it('pages its posts with a cursor, in order, and reports the total', async () => {
    const id = await ask(asker, community, 'A thread with many replies to page through');
    for (let i = 1; i <= 7; i++) await reply(i % 2 ? expert : admin, id, `reply ${i}`);
    const numbers: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const url: string = `/api/v1/threads/${id}?limit=3${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await t.app.inject({ method: 'GET', url })).json();
      expect(page.totalPosts).toBe(8);
      numbers.push(...page.posts.map((p: { number: number }) => p.number));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(numbers).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(pages).toBe(3);
    // A later page still says who may edit the title (it belongs to the opening post, not on this page).
    const later = (
      await asker.inject({ method: 'GET', url: `/api/v1/threads/${id}?limit=3&cursor=${Buffer.from('[3]').toString('base64url')}` })
    ).json();
    expect(later.posts[0].number).toBe(4);
    expect(later.abilities.edit).toBe(true);
  });
});

describe('profiles', () => {
  it('shows a member’s questions, answers and counts', async () => {
    const profile = (await t.app.inject({ method: 'GET', url: `/api/v1/users/${expert.username}` })).json();
    expect(profile.user.username).toBe('expert');
    expect(profile.stats.answers).toBe(profile.answers.length);
    expect(profile.stats.solutions).toBeGreaterThan(0);
    expect(profile.answers.some((a: { isSolution: boolean }) => a.isSolution)).toBe(true);
    const askerProfile = (await t.app.inject({ method: 'GET', url: '/api/v1/users/ASKER' })).json();
    expect(askerProfile.questions.every((q: { author: { username: string } }) => q.author.username === 'asker')).toBe(true);
    expectProblem(await t.app.inject({ method: 'GET', url: '/api/v1/users/nobody-here' }), 404, 'NOT_FOUND');
  });
});

describe('thread lists', () => {
  it('filters by community, tag and sort, and pages with a cursor without gaps or repeats', async () => {
    const other = await createCommunity(admin, 'cider');
    await asker.inject({ method: 'POST', url: `/api/v1/communities/${other}/join` });
    const ids: number[] = [];
    for (let i = 0; i < 7; i++) ids.push(await ask(admin, other, `Cider question number ${i}`, i % 2 === 0 ? ['apples'] : ['pears']));
    await reply(asker, ids[0]!, 'answered');

    const pages: number[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `/api/v1/threads?community=${other}&limit=3${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await t.app.inject({ method: 'GET', url: query })).json();
      pages.push(...page.items.map((i: { id: number }) => i.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(pages).toEqual([ids[0], ...ids.slice(1).reverse()]);

    const apples = (await t.app.inject({ method: 'GET', url: `/api/v1/threads?community=${other}&tag=apples` })).json();
    expect(apples.items.map((i: { id: number }) => i.id).sort()).toEqual([ids[0], ids[2], ids[4], ids[6]].sort());
    const unanswered = (await t.app.inject({ method: 'GET', url: `/api/v1/threads?community=${other}&sort=unanswered` })).json();
    expect(unanswered.items.map((i: { id: number }) => i.id)).not.toContain(ids[0]);
    expect(unanswered.items).toHaveLength(6);
    const solved = (await t.app.inject({ method: 'GET', url: `/api/v1/threads?community=${community}&sort=solved` })).json();
    expect(solved.items.every((i: { status: string }) => i.status === 'solved')).toBe(true);
    expect(solved.items.length).toBeGreaterThan(0);
    const top = (await t.app.inject({ method: 'GET', url: `/api/v1/threads?sort=top&limit=100` })).json();
    const scores = top.items.map((i: { score: number }) => i.score);
    expect(scores).toEqual([...scores].sort((a: number, b: number) => b - a));
  });
});

describe('suspension', () => {
  it('lets a suspended member read but not write, with a message saying why', async () => {
    const { users, eq } = await import('@praxis/db');
    const id = await ask(asker, community, 'Will a suspended member see this?');
    const suspended = await signUp(t.app);
    await suspended.inject({ method: 'POST', url: `/api/v1/communities/${community}/join` });
    await t.database.db
      .update(users)
      .set({ suspendedUntil: new Date(Date.now() + 86_400_000), suspendReason: 'spam' })
      .where(eq(users.id, suspended.id));
    expect((await suspended.inject({ method: 'GET', url: `/api/v1/threads/${id}` })).statusCode).toBe(200);
    expect((await suspended.inject({ method: 'GET', url: '/api/v1/me' })).json().suspendedUntil).not.toBeNull();
    expectProblem(
      await suspended.inject({ method: 'POST', url: `/api/v1/threads/${id}/posts`, payload: { body: 'still here' } }),
      403,
      'SUSPENDED',
    );
    expectProblem(
      await suspended.inject({
        method: 'POST',
        url: '/api/v1/threads',
        payload: { community, title: 'A question while suspended', body: 'x', tags: [] },
      }),
      403,
      'SUSPENDED',
    );
    const postId = (await t.app.inject({ method: 'GET', url: `/api/v1/threads/${id}` })).json().posts[0].id;
    expectProblem(await suspended.inject({ method: 'POST', url: `/api/v1/posts/${postId}/vote` }), 403, 'SUSPENDED');
  });
});
