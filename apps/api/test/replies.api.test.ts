import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, asc, eq, outboxEvents, postRevisions, posts, threads } from '@praxis/db';
import { ask, buildTestApp, createCommunity, expectProblem, signUp, signUpAs, type Session, type TestApp } from './helper.js';

/** The reply path writes in one statement and answers from the inserted row: what it answers is what is stored. */
let t: TestApp;
let admin: Session;
let community: string;

const joined = async (username?: string) => {
  const s = await signUp(t.app, username);
  expect((await s.inject({ method: 'POST', url: `/api/v1/communities/${community}/join` })).statusCode).toBe(200);
  return s;
};
const eventsOf = (threadId: number) =>
  t.database.db.select().from(outboxEvents).where(eq(outboxEvents.aggregateId, threadId)).orderBy(asc(outboxEvents.id));

beforeAll(async () => {
  t = await buildTestApp();
  admin = await signUpAs(t.app, 'admin', 'repliesadmin');
  community = await createCommunity(admin, 'replies');
});
afterAll(() => t.close());

describe('POST /threads/:id/posts', () => {
  it('answers with the post as reading it back shows it, and writes the revision, the counters and one event', async () => {
    const asker = await joined('replies_asker');
    const helper = await joined('replies_helper');
    const threadId = await ask(asker, community, 'How warm should a saison ferment?');
    const [opening] = await t.database.db.select().from(posts).where(eq(posts.threadId, threadId));
    const before = (await eventsOf(threadId)).length;

    const created = await helper.inject({
      method: 'POST',
      url: `/api/v1/threads/${threadId}/posts`,
      payload: { body: 'Let it rise to **30 °C**, @replies_asker.', replyToId: opening!.id },
    });
    expect(created.statusCode).toBe(201);
    const answer = created.json();
    const readBack = (await helper.inject({ method: 'GET', url: `/api/v1/posts/${answer.id}` })).json();
    expect(answer).toEqual(readBack);
    expect(answer).toMatchObject({ number: 2, replyToId: opening!.id, held: false, viewerVoted: false, revision: 1 });
    expect(answer.author).toMatchObject({ id: helper.id, username: 'replies_helper' });
    expect(answer.html).toContain('<strong>30 °C</strong>');

    const revisions = await t.database.db.select().from(postRevisions).where(eq(postRevisions.postId, answer.id));
    expect(revisions).toEqual([
      expect.objectContaining({ revision: 1, body: 'Let it rise to **30 °C**, @replies_asker.', editorId: helper.id }),
    ]);
    const [thread] = await t.database.db.select().from(threads).where(eq(threads.id, threadId));
    expect(thread).toMatchObject({ postCount: 2, replyCount: 1 });
    expect(thread!.lastActivityAt.getTime()).toBe(new Date(answer.createdAt).getTime());

    const events = (await eventsOf(threadId)).slice(before);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'post.created',
      aggregate: 'thread',
      actorId: helper.id,
      payload: {
        postId: answer.id,
        threadId,
        communityId: thread!.communityId,
        authorId: helper.id,
        replyToId: opening!.id,
        mentions: ['replies_asker'],
      },
    });
  });

  it('a held reply: answered as held, counted in posts only, announced as post.held', async () => {
    const lead = await joined('replies_lead');
    await admin.inject({
      method: 'PUT',
      url: `/api/v1/communities/${community}/members/${lead.username}/role`,
      payload: { role: 'leader' },
    });
    const threadId = await ask(lead, community, 'Which yeast for a farmhouse ale?');
    await lead.inject({ method: 'PATCH', url: `/api/v1/communities/${community}`, payload: { holdFirstPosts: true } });
    const fresh = await joined('replies_fresh');
    const before = (await eventsOf(threadId)).length;

    const created = await fresh.inject({ method: 'POST', url: `/api/v1/threads/${threadId}/posts`, payload: { body: 'A first reply' } });
    expect(created.statusCode).toBe(201);
    const answer = created.json();
    expect(answer).toMatchObject({ held: true, number: 2 });
    expect(answer).toEqual((await fresh.inject({ method: 'GET', url: `/api/v1/posts/${answer.id}` })).json());
    const [thread] = await t.database.db.select().from(threads).where(eq(threads.id, threadId));
    expect(thread).toMatchObject({ postCount: 2, replyCount: 0 });
    const events = (await eventsOf(threadId)).slice(before);
    expect(events.map((e) => [e.type, (e.payload as { postId: number }).postId])).toEqual([['post.held', answer.id]]);
    await lead.inject({ method: 'PATCH', url: `/api/v1/communities/${community}`, payload: { holdFirstPosts: false } });
  });

  it('refuses a reply to a post of another thread and to a thread it may not read, writing nothing', async () => {
    const asker = await joined('replies_other');
    const first = await ask(asker, community, 'First thread of the pair');
    const second = await ask(asker, community, 'Second thread of the pair');
    const [elsewhere] = await t.database.db
      .select()
      .from(posts)
      .where(and(eq(posts.threadId, second), eq(posts.number, 1)));
    const before = (await eventsOf(first)).length;
    expectProblem(
      await asker.inject({ method: 'POST', url: `/api/v1/threads/${first}/posts`, payload: { body: 'x', replyToId: elsewhere!.id } }),
      400,
      'VALIDATION_FAILED',
    );
    expectProblem(await asker.inject({ method: 'POST', url: `/api/v1/threads/999999/posts`, payload: { body: 'x' } }), 404, 'NOT_FOUND');
    expect(await eventsOf(first)).toHaveLength(before);
    const [thread] = await t.database.db.select().from(threads).where(eq(threads.id, first));
    expect(thread).toMatchObject({ postCount: 1, replyCount: 0 });
  });
});
