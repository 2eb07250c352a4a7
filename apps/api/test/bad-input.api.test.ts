import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outboxEvents, postRevisions, posts, sql, threads } from '@praxis/db';
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
let member: Session;
let other: Session;
let threadId: number;
let othersPost: number;

beforeAll(async () => {
  t = await buildTestApp();
  const admin = await signUpAs(t.app, 'admin');
  await createCommunity(admin, 'general');
  member = await signUp(t.app, 'member');
  other = await signUp(t.app, 'other');
  for (const s of [member, other]) await s.inject({ method: 'POST', url: '/api/v1/communities/general/join' });
  threadId = await ask(member, 'general', 'A question to poke at');
  othersPost = await reply(other, threadId, 'Not yours to edit');
});
afterAll(() => t.close());

async function snapshot() {
  const count = async (table: typeof posts | typeof threads | typeof outboxEvents | typeof postRevisions) =>
    (await t.database.db.select({ n: sql<number>`count(*)::int` }).from(table))[0]!.n;
  const bodies = await t.database.db.select({ id: posts.id, body: posts.body }).from(posts).orderBy(posts.id);
  return {
    posts: await count(posts),
    threads: await count(threads),
    outbox: await count(outboxEvents),
    revisions: await count(postRevisions),
    bodies,
  };
}

const json = (session: Session, method: 'POST' | 'PATCH', url: string, payload: string, contentType = 'application/json') =>
  session.inject({ method, url, payload, headers: { 'content-type': contentType, origin: ORIGIN } });

describe('bad input gets a clear 4xx problem+json and changes nothing', () => {
  const cases: [string, () => Promise<import('fastify').LightMyRequestResponse>, number, string][] = [
    ['malformed JSON', () => json(member, 'POST', `/api/v1/threads/${threadId}/posts`, '{"body": "unterminated'), 400, 'MALFORMED_BODY'],
    ['an empty JSON body', () => json(member, 'POST', `/api/v1/threads/${threadId}/posts`, ''), 400, 'MALFORMED_BODY'],
    ['a JSON array instead of an object', () => json(member, 'POST', '/api/v1/threads', '[1,2]'), 400, 'VALIDATION_FAILED'],
    [
      'a missing field',
      () => json(member, 'POST', '/api/v1/threads', JSON.stringify({ community: 'general', body: 'no title' })),
      400,
      'VALIDATION_FAILED',
    ],
    [
      'a wrong-typed field',
      () => json(member, 'POST', '/api/v1/threads', JSON.stringify({ community: 'general', title: 12345678, body: 'x', tags: [] })),
      400,
      'VALIDATION_FAILED',
    ],
    [
      'tags that are not a list',
      () =>
        json(
          member,
          'POST',
          '/api/v1/threads',
          JSON.stringify({ community: 'general', title: 'A fine title here', body: 'x', tags: 'hops' }),
        ),
      400,
      'VALIDATION_FAILED',
    ],
    [
      'too many tags',
      () =>
        json(
          member,
          'POST',
          '/api/v1/threads',
          JSON.stringify({ community: 'general', title: 'A fine title here', body: 'x', tags: ['a', 'b', 'c', 'd', 'e', 'f'] }),
        ),
      400,
      'VALIDATION_FAILED',
    ],
    [
      'an unknown kind',
      () =>
        json(
          member,
          'POST',
          '/api/v1/threads',
          JSON.stringify({ community: 'general', title: 'A fine title here', body: 'x', tags: [], kind: 'poll' }),
        ),
      400,
      'VALIDATION_FAILED',
    ],
    [
      'a whitespace-only body',
      () => json(member, 'POST', `/api/v1/threads/${threadId}/posts`, JSON.stringify({ body: '   \n ' })),
      400,
      'VALIDATION_FAILED',
    ],
    [
      'a 1 MB post body',
      () => json(member, 'POST', `/api/v1/threads/${threadId}/posts`, JSON.stringify({ body: 'x'.repeat(1_000_000) })),
      413,
      'PAYLOAD_TOO_LARGE',
    ],
    [
      'a body just over the post limit',
      () => json(member, 'POST', `/api/v1/threads/${threadId}/posts`, JSON.stringify({ body: 'x'.repeat(60_001) })),
      400,
      'VALIDATION_FAILED',
    ],
    [
      'a form-encoded body',
      () => json(member, 'POST', `/api/v1/threads/${threadId}/posts`, 'body=hello', 'application/x-www-form-urlencoded'),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    ],
    ['an unknown thread', () => json(member, 'POST', '/api/v1/threads/999999/posts', JSON.stringify({ body: 'hello' })), 404, 'NOT_FOUND'],
    ['a non-numeric id', () => member.inject({ method: 'GET', url: '/api/v1/threads/abc' }), 400, 'VALIDATION_FAILED'],
    ['an out-of-range id', () => member.inject({ method: 'GET', url: '/api/v1/threads/99999999999' }), 400, 'VALIDATION_FAILED'],
    [
      'an unknown community',
      () =>
        json(member, 'POST', '/api/v1/threads', JSON.stringify({ community: 'nowhere', title: 'A fine title here', body: 'x', tags: [] })),
      404,
      'NOT_FOUND',
    ],
    [
      'a reply to a post in another thread',
      () => json(member, 'POST', `/api/v1/threads/${threadId}/posts`, JSON.stringify({ body: 'x', replyToId: 999999 })),
      400,
      'VALIDATION_FAILED',
    ],
    [
      "editing another user's post",
      () => json(member, 'PATCH', `/api/v1/posts/${othersPost}`, JSON.stringify({ body: 'mine now' })),
      403,
      'FORBIDDEN',
    ],
    [
      'accepting an unknown post',
      () => json(member, 'POST', `/api/v1/threads/${threadId}/solution`, JSON.stringify({ postId: 999999 })),
      400,
      'VALIDATION_FAILED',
    ],
    ['a garbage cursor', () => member.inject({ method: 'GET', url: '/api/v1/threads?cursor=not-a-cursor' }), 400, 'VALIDATION_FAILED'],
    ['an unknown sort', () => member.inject({ method: 'GET', url: '/api/v1/threads?sort=random' }), 400, 'VALIDATION_FAILED'],
    [
      'a too-short password',
      () =>
        t.app.inject({
          method: 'POST',
          url: '/api/v1/auth/register',
          headers: { origin: ORIGIN },
          payload: { username: 'shorty', email: 'shorty@example.test', password: 'short' },
        }),
      400,
      'VALIDATION_FAILED',
    ],
    [
      'an invalid email',
      () =>
        t.app.inject({
          method: 'POST',
          url: '/api/v1/auth/register',
          headers: { origin: ORIGIN },
          payload: { username: 'bademail', email: 'not-an-email', password: 'long enough pass' },
        }),
      400,
      'VALIDATION_FAILED',
    ],
    ['an unknown route', () => member.inject({ method: 'GET', url: '/api/v1/nothing-here' }), 404, 'NOT_FOUND'],
  ];

  for (const [name, send, status, code] of cases) {
    it(name, async () => {
      const before = await snapshot();
      const body = expectProblem(await send(), status, code);
      expect(typeof body.detail === 'string' || body.errors !== undefined || typeof body.title === 'string').toBe(true);
      expect(await snapshot()).toEqual(before);
    });
  }

  it('names the offending field', async () => {
    const body = expectProblem(
      await json(member, 'POST', '/api/v1/threads', JSON.stringify({ community: 'general', body: 'no title', tags: [] })),
      400,
      'VALIDATION_FAILED',
    );
    expect(body.errors).toHaveProperty('title');
  });
});
