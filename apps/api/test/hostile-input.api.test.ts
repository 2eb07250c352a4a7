import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { auditLog, communities, guides, notifications, outboxEvents, postRevisions, posts, sql, threads, users } from '@praxis/db';
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

// Issue 10, findings 2, 6 and 7: no input gets a 500, a private community's 404 says no more than a missing one's, private answers are not cached.

let t: TestApp;
let admin: Session;
let member: Session;
let outsider: Session;
let threadId: number;
let postId: number;
let guideId: number;

beforeAll(async () => {
  t = await buildTestApp();
  admin = await signUpAs(t.app, 'admin');
  await createCommunity(admin, 'general');
  await createCommunity(admin, 'hidden-room', 'private');
  member = await signUp(t.app, 'member');
  outsider = await signUp(t.app, 'outsider');
  await member.inject({ method: 'POST', url: '/api/v1/communities/general/join' });
  threadId = await ask(member, 'general', 'A question to poke at');
  postId = await reply(admin, threadId, 'An answer worth a guide');
  const guide = await admin.inject({
    method: 'POST',
    url: '/api/v1/guides',
    payload: { community: 'general', title: 'A guide', sourcePostIds: [postId] },
  });
  guideId = guide.json().id as number;
});
afterAll(() => t.close());

async function snapshot() {
  const tables = { users, communities, threads, posts, postRevisions, guides, notifications, outboxEvents, auditLog };
  const counts: Record<string, number> = {};
  for (const [name, table] of Object.entries(tables))
    counts[name] = (await t.database.db.select({ n: sql<number>`count(*)::int` }).from(table))[0]!.n;
  return counts;
}

const json = (session: Session | null, method: 'POST' | 'PATCH' | 'PUT', url: string, payload: string) =>
  (session ? session.inject : t.app.inject.bind(t.app))({
    method,
    url,
    payload,
    headers: { 'content-type': 'application/json', origin: ORIGIN },
  });

/** A 400 problem+json that names the field and says what is wrong with it, and nothing written. */
async function expectRefused(send: () => Promise<LightMyRequestResponse>, field?: string, message?: RegExp) {
  const before = await snapshot();
  const body = expectProblem(await send(), 400, 'VALIDATION_FAILED');
  expect(typeof body.detail).toBe('string');
  if (field) expect(body.errors).toHaveProperty([field]);
  if (message) expect(String(body.detail)).toMatch(message);
  expect(await snapshot()).toEqual(before);
}

describe('NUL bytes are refused with a 400, wherever they are', () => {
  it('in a query string: GET /api/v1/threads?tag=%00', () =>
    expectRefused(() => t.app.inject({ method: 'GET', url: '/api/v1/threads?tag=%00' }), 'tag', /NUL/));
  it('in a path: GET /api/v1/communities/%00', () =>
    expectRefused(() => t.app.inject({ method: 'GET', url: '/api/v1/communities/%00' }), 'slug', /NUL/));
  it('in a path: GET /api/v1/users/a%00b', () =>
    expectRefused(() => t.app.inject({ method: 'GET', url: '/api/v1/users/a%00b' }), 'username', /NUL/));
  it('in a path of a route that takes an id', () => expectRefused(() => t.app.inject({ method: 'GET', url: '/api/v1/threads/%00' })));
  it('in the login: POST /api/v1/auth/login {"login":"\\u0000"}', () =>
    expectRefused(() => json(null, 'POST', '/api/v1/auth/login', '{"login":"\\u0000","password":"x"}'), 'login', /NUL/));
  it('in a post body', () =>
    expectRefused(() => json(member, 'POST', `/api/v1/threads/${threadId}/posts`, '{"body":"hello\\u0000world"}'), 'body'));
  it('in a thread title and body', () =>
    expectRefused(
      () =>
        json(member, 'POST', '/api/v1/threads', '{"community":"general","title":"A title with \\u0000 NUL","body":"b\\u0000","tags":[]}'),
      'title',
    ));
  it('in a charter', () =>
    expectRefused(() => json(admin, 'PATCH', '/api/v1/communities/general', '{"charter":"# Rules\\u0000"}'), 'charter'));
  it('in guide text', () =>
    expectRefused(() => json(admin, 'PATCH', `/api/v1/guides/${guideId}`, '{"body":"Guide \\u0000 text"}'), 'body'));
  it('in a token name', () => expectRefused(() => json(member, 'POST', '/api/v1/me/tokens', '{"name":"\\u0000"}'), 'name'));
  it('in a field the schema does not know, and in a field name', async () => {
    await expectRefused(() => json(member, 'POST', `/api/v1/threads/${threadId}/posts`, '{"body":"x","extra":"\\u0000"}'), 'extra');
    await expectRefused(() => json(member, 'POST', `/api/v1/threads/${threadId}/posts`, '{"body":"x","a\\u0000b":1}'));
  });
  it('in a search', () => expectRefused(() => t.app.inject({ method: 'GET', url: '/api/v1/search?q=hops%00' }), 'q'));
});

describe('numbers beyond the database’s range are refused with a 400', () => {
  it('replyToId 9007199254740993', () =>
    expectRefused(
      () => json(member, 'POST', `/api/v1/threads/${threadId}/posts`, '{"body":"x","replyToId":9007199254740993}'),
      'replyToId',
    ));
  it('replyToId 1e308', () =>
    expectRefused(() => json(member, 'POST', `/api/v1/threads/${threadId}/posts`, '{"body":"x","replyToId":1e308}'), 'replyToId'));
  it('postId of a solution', () =>
    expectRefused(() => json(member, 'POST', `/api/v1/threads/${threadId}/solution`, '{"postId":99999999999}'), 'postId'));
  it('threadId of mark-read', () =>
    expectRefused(() => json(member, 'POST', '/api/v1/notifications/read', '{"threadId":4294967296}'), 'threadId'));
  it('a guide revision to restore', () =>
    expectRefused(() => json(admin, 'POST', `/api/v1/guides/${guideId}/restore`, '{"revision":1e308}'), 'revision'));
  it('guide revisions to compare, in a query string', () =>
    expectRefused(() => t.app.inject({ method: 'GET', url: `/api/v1/guides/${guideId}/diff?from=1&to=99999999999` }), 'to'));
  it('a guide source post id', () =>
    expectRefused(() => json(admin, 'POST', `/api/v1/guides/${guideId}/sources`, '{"postIds":[9007199254740993]}'), 'postIds.0'));
});

describe('cursors that could never have come from the API are refused with a 400', () => {
  const numbers = (key: unknown) => Buffer.from(JSON.stringify(key)).toString('base64url');
  it('?cursor=99999999999999999999 on every list that takes a cursor', async () => {
    for (const url of [
      '/api/v1/threads',
      '/api/v1/notifications',
      '/api/v1/communities/general/guides',
      '/api/v1/me/matches',
      `/api/v1/threads/${threadId}`,
      '/api/v1/communities/general/members',
    ]) {
      await expectRefused(() => member.inject({ method: 'GET', url: `${url}?cursor=99999999999999999999` }), 'cursor');
    }
  });
  it('a well-formed cursor with an id beyond the range, or a timestamp that is not one', async () => {
    await expectRefused(() => member.inject({ method: 'GET', url: `/api/v1/threads?sort=top&cursor=${numbers([1, 1e20])}` }), 'cursor');
    await expectRefused(() => member.inject({ method: 'GET', url: `/api/v1/threads?cursor=${numbers(['not a time', 1])}` }), 'cursor');
    await expectRefused(() => member.inject({ method: 'GET', url: `/api/v1/threads/${threadId}?cursor=${numbers([1.5])}` }), 'cursor');
    await expectRefused(() => member.inject({ method: 'GET', url: '/api/v1/notifications?cursor=2147483648' }), 'cursor');
  });
  it('a cursor the API wrote still works', async () => {
    const first = await member.inject({ method: 'GET', url: '/api/v1/threads?limit=1' });
    expect(first.statusCode).toBe(200);
    const cursor = numbers([new Date().toISOString(), 2147483647]);
    expect((await member.inject({ method: 'GET', url: `/api/v1/threads?cursor=${cursor}` })).statusCode).toBe(200);
  });
});

describe('unpaired UTF-16 surrogates are refused with a 400', () => {
  it('in a suspension reason', () =>
    expectRefused(
      () =>
        json(
          admin,
          'POST',
          `/api/v1/users/${member.username}/suspend`,
          JSON.stringify({ until: '2030-01-01T00:00:00Z', reason: 'spam \ud800' }),
        ),
      'reason',
      /surrogate/,
    ));
  it('in a post body, a low one alone', () =>
    expectRefused(() => json(member, 'POST', `/api/v1/threads/${threadId}/posts`, '{"body":"x \\udc00 y"}'), 'body'));
  it('a real pair (an emoji) is fine', async () => {
    const response = await json(member, 'POST', `/api/v1/threads/${threadId}/posts`, JSON.stringify({ body: 'Cheers 🍺' }));
    expect(response.statusCode).toBe(201);
  });
});

describe('titles and names are one line without control characters', () => {
  it('a thread title with a line break', () =>
    expectRefused(
      () =>
        json(
          member,
          'POST',
          '/api/v1/threads',
          JSON.stringify({ community: 'general', title: 'Line one\r\nLine two', body: 'b', tags: [] }),
        ),
      'title',
      /one line/,
    ));
  it('a retitle with a tab or an escape character', async () => {
    await expectRefused(
      () => json(member, 'PATCH', `/api/v1/threads/${threadId}`, JSON.stringify({ title: 'Tabbed\ttitle here' })),
      'title',
    );
    await expectRefused(
      () => json(member, 'PATCH', `/api/v1/threads/${threadId}`, JSON.stringify({ title: 'Escape \u001b[31m red' })),
      'title',
    );
  });
  it('a display name', () =>
    expectRefused(
      () =>
        json(
          null,
          'POST',
          '/api/v1/auth/register',
          JSON.stringify({ username: 'crlf', email: 'crlf@example.test', password: 'a long passphrase', displayName: 'Ada\nAdmin' }),
        ),
      'displayName',
    ));
  it('a community name, new or renamed', async () => {
    await expectRefused(
      () => json(admin, 'POST', '/api/v1/communities', JSON.stringify({ slug: 'crlf', name: 'Two\nlines', description: '', charter: '' })),
      'name',
    );
    await expectRefused(() => json(admin, 'PATCH', '/api/v1/communities/general', JSON.stringify({ name: 'Bell\u0007' })), 'name');
  });
  it('a guide title and a token name', async () => {
    await expectRefused(() => json(admin, 'PATCH', `/api/v1/guides/${guideId}`, JSON.stringify({ title: 'Guide\u0085title' })), 'title');
    await expectRefused(() => json(member, 'POST', '/api/v1/me/tokens', JSON.stringify({ name: 'ci\rbot' })), 'name');
  });
  it('bodies keep their line breaks', async () => {
    expect(
      (await json(member, 'POST', `/api/v1/threads/${threadId}/posts`, JSON.stringify({ body: 'line one\r\nline two\n\tindented' })))
        .statusCode,
    ).toBe(201);
  });
});

describe('a private community answers 404 exactly like a missing one (finding 6)', () => {
  const routes: [method: 'GET' | 'POST' | 'PUT' | 'PATCH', path: string, payload?: object][] = [
    ['GET', '/api/v1/communities/{slug}'],
    ['PATCH', '/api/v1/communities/{slug}', { name: 'Renamed room' }],
    ['POST', '/api/v1/communities/{slug}/join'],
    ['POST', '/api/v1/communities/{slug}/leave'],
    ['GET', '/api/v1/communities/{slug}/guides'],
    ['GET', '/api/v1/communities/{slug}/members'],
    ['GET', '/api/v1/communities/{slug}/health'],
    ['GET', '/api/v1/communities/{slug}/review'],
    ['GET', '/api/v1/communities/{slug}/audit'],
    ['GET', '/api/v1/communities/{slug}/matching'],
    ['GET', '/api/v1/communities/{slug}/charter/revisions'],
    ['GET', '/api/v1/communities/{slug}/charter/diff?from=1&to=1'],
    ['GET', '/api/v1/communities/{slug}/health.csv'],
    ['PUT', '/api/v1/communities/{slug}/matching', { expertsPerRound: 3 }],
    ['PUT', '/api/v1/communities/{slug}/guide-settings', { selfPublish: true }],
    ['PUT', '/api/v1/communities/{slug}/members/outsider/role', { role: 'leader' }],
    ['GET', '/api/v1/communities/{slug}/watch'],
    ['PUT', '/api/v1/communities/{slug}/watch', { level: 'watching' }],
    ['GET', '/api/v1/communities/{slug}/tags/hops/watch'],
    ['GET', '/api/v1/threads?community={slug}'],
    ['GET', '/api/v1/search?q=hops&community={slug}'],
    ['GET', '/api/v1/guides/search?q=hops&community={slug}'],
    ['POST', '/api/v1/threads', { community: '{slug}', title: 'A question for a hidden room', body: 'b', tags: [] }],
    ['POST', '/api/v1/guides', { community: '{slug}', title: 'A guide', sourcePostIds: [1] }],
    ['POST', `/api/v1/threads/{thread}/move`, { community: '{slug}' }],
  ];
  const send = (who: Session | null, method: string, path: string, slug: string, payload?: object) => {
    const fill = (s: string) => s.replaceAll('{slug}', slug).replaceAll('{thread}', String(threadId));
    const options = {
      method: method as 'GET',
      url: fill(path),
      ...(payload && { payload: JSON.parse(fill(JSON.stringify(payload))) as object }),
    };
    return who ? who.inject(options) : t.app.inject({ ...options, headers: { origin: ORIGIN } });
  };

  for (const [method, path, payload] of routes) {
    it(`${method} ${path}`, async () => {
      for (const who of [null, outsider, member]) {
        const hidden = await send(who, method, path, 'hidden-room', payload);
        const missing = await send(who, method, path, 'nosuchcomm', payload);
        expect(hidden.statusCode).toBe(missing.statusCode);
        expect(hidden.headers['content-type']).toBe(missing.headers['content-type']);
        expect(hidden.body.replaceAll('hidden-room', 'SLUG')).toBe(missing.body.replaceAll('nosuchcomm', 'SLUG'));
      }
    });
  }

  it('the acceptance pair, byte for byte', async () => {
    const hidden = await outsider.inject({ method: 'GET', url: '/api/v1/communities/hidden-room' });
    const missing = await outsider.inject({ method: 'GET', url: '/api/v1/communities/nosuchcomm' });
    expectProblem(hidden, 404, 'NOT_FOUND');
    expect(hidden.body).toBe(missing.body.replace('nosuchcomm', 'hidden-room'));
  });
});

describe('private answers are not cached (finding 7)', () => {
  it('GET /api/v1/me signed in: Cache-Control: no-store', async () => {
    expect((await member.inject({ method: 'GET', url: '/api/v1/me' })).headers['cache-control']).toBe('no-store');
  });
  it('notifications, tokens, a thread read by a member, an error to a member, a token-authenticated read', async () => {
    for (const url of [
      '/api/v1/notifications',
      '/api/v1/notifications/unread-count',
      '/api/v1/me/tokens',
      `/api/v1/threads/${threadId}`,
      '/api/v1/threads/2147483647',
    ]) {
      expect((await member.inject({ method: 'GET', url })).headers['cache-control'], url).toBe('no-store');
    }
    const token = (await member.inject({ method: 'POST', url: '/api/v1/me/tokens', payload: { name: 'reader' } })).json().token as string;
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } })).headers['cache-control'],
    ).toBe('no-store');
  });
  it('signing in and out', async () => {
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { origin: ORIGIN },
      payload: { login: member.username, password: 'correct horse battery' },
    });
    expect(login.statusCode).toBe(200);
    expect(login.headers['cache-control']).toBe('no-store');
    expect((await member.inject({ method: 'POST', url: '/api/v1/auth/logout' })).headers['cache-control']).toBe('no-store');
  });
  it('an anonymous read of public data is left alone', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/communities' })).headers['cache-control']).toBeUndefined();
  });
});
