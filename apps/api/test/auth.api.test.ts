import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, expectProblem, ORIGIN, signUp, type TestApp } from './helper.js';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

describe('accounts', () => {
  it('registers with 201, an httpOnly session cookie and an argon2id hash', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/register',
      headers: { origin: ORIGIN },
      payload: { username: 'newcomer', email: 'new@example.test', password: 'a long passphrase' },
    });
    expect(response.statusCode).toBe(201);
    expect(response.json().user).toMatchObject({
      username: 'newcomer',
      email: 'new@example.test',
      role: 'member',
      trustLevel: 0,
      memberships: [],
    });
    const cookie = response.cookies.find((c) => c.name === 'praxis_session');
    expect(cookie?.httpOnly).toBe(true);
    expect(cookie?.sameSite).toBe('Lax');
    const [row] = await t.database.db.query.users.findMany({ where: (u, { eq }) => eq(u.username, 'newcomer') });
    expect(row?.passwordHash).toMatch(/^\$argon2id\$/);
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/me', cookies: { praxis_session: cookie!.value } });
    expect(me.statusCode).toBe(200);
    expect(me.json().username).toBe('newcomer');
  });

  it('refuses a taken username or email, whatever the case', async () => {
    await signUp(t.app, 'Taken');
    const sameName = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/register',
      headers: { origin: ORIGIN },
      payload: { username: 'taken', email: 'other@example.test', password: 'a long passphrase' },
    });
    expectProblem(sameName, 409, 'USERNAME_TAKEN');
    const sameEmail = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/register',
      headers: { origin: ORIGIN },
      payload: { username: 'another', email: 'TAKEN@example.test', password: 'a long passphrase' },
    });
    expectProblem(sameEmail, 409, 'EMAIL_TAKEN');
  });

  it('signs in by username or email and refuses a wrong password', async () => {
    await signUp(t.app, 'logmein');
    const byName = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { origin: ORIGIN },
      payload: { login: 'LOGMEIN', password: 'correct horse battery' },
    });
    expect(byName.statusCode).toBe(200);
    const byEmail = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { origin: ORIGIN },
      payload: { login: 'logmein@example.test', password: 'correct horse battery' },
    });
    expect(byEmail.statusCode).toBe(200);
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { origin: ORIGIN },
      payload: { login: 'logmein', password: 'wrong password!' },
    });
    expectProblem(wrong, 401, 'INVALID_CREDENTIALS');
    const nobody = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { origin: ORIGIN },
      payload: { login: 'nobody', password: 'wrong password!' },
    });
    expectProblem(nobody, 401, 'INVALID_CREDENTIALS');
  });

  it('logs out: the session stops working', async () => {
    const user = await signUp(t.app);
    expect((await user.inject({ method: 'POST', url: '/api/v1/auth/logout' })).statusCode).toBe(200);
    expectProblem(await user.inject({ method: 'GET', url: '/api/v1/me' }), 401, 'UNAUTHENTICATED');
  });

  it('answers 401 to an anonymous /me', async () => {
    expectProblem(await t.app.inject({ method: 'GET', url: '/api/v1/me' }), 401, 'UNAUTHENTICATED');
  });
});

describe('CSRF protection for cookie sessions', () => {
  it('refuses a cookie-authenticated write without an Origin header or from another origin', async () => {
    const user = await signUp(t.app);
    const noOrigin = await t.app.inject({
      method: 'POST',
      url: '/api/v1/me/tokens',
      cookies: { praxis_session: user.cookie },
      payload: { name: 'x' },
    });
    expectProblem(noOrigin, 403, 'CSRF_REJECTED');
    const evil = await t.app.inject({
      method: 'POST',
      url: '/api/v1/me/tokens',
      headers: { origin: 'https://evil.example' },
      cookies: { praxis_session: user.cookie },
      payload: { name: 'x' },
    });
    expectProblem(evil, 403, 'CSRF_REJECTED');
    const loginFromElsewhere = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { origin: 'https://evil.example' },
      payload: { login: user.username, password: 'correct horse battery' },
    });
    expectProblem(loginFromElsewhere, 403, 'CSRF_REJECTED');
    expect((await user.inject({ method: 'POST', url: '/api/v1/me/tokens', payload: { name: 'ok' } })).statusCode).toBe(201);
  });
});

describe('personal access tokens', () => {
  it('authenticates scripts with Authorization: Bearer and stops after revocation', async () => {
    const user = await signUp(t.app);
    const created = await user.inject({ method: 'POST', url: '/api/v1/me/tokens', payload: { name: 'my script' } });
    expect(created.statusCode).toBe(201);
    const { token, id } = created.json();
    expect(token).toMatch(/^pxt_/);
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } });
    expect(me.json().username).toBe(user.username);
    // No Origin needed: a bearer token cannot be sent by a browser on its own.
    const write = await t.app.inject({
      method: 'POST',
      url: '/api/v1/notifications/read',
      headers: { authorization: `Bearer ${token}` },
      payload: { all: true },
    });
    expect(write.statusCode).toBe(200);
    expect((await user.inject({ method: 'POST', url: '/api/v1/me/tokens', payload: { name: 'second' } })).statusCode).toBe(201);
    const list = await user.inject({ method: 'GET', url: '/api/v1/me/tokens' });
    expect(list.json().items.map((i: { name: string }) => i.name)).toEqual(['my script', 'second']);
    expect(JSON.stringify(list.json())).not.toContain(token);
    expect((await user.inject({ method: 'DELETE', url: `/api/v1/me/tokens/${id}` })).statusCode).toBe(200);
    expectProblem(
      await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } }),
      401,
      'UNAUTHENTICATED',
    );
  });
});

describe('rate limits', () => {
  it('limits login attempts per client with 429 problem+json', async () => {
    const limited = await buildTestApp({ AUTH_RATE_LIMIT: '3' });
    try {
      const attempt = () =>
        limited.app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          headers: { origin: ORIGIN },
          payload: { login: 'x', password: 'y' },
        });
      for (let i = 0; i < 3; i++) expect((await attempt()).statusCode).toBe(401);
      expectProblem(await attempt(), 429, 'RATE_LIMITED');
    } finally {
      await limited.close();
    }
  });
});

describe('system', () => {
  it('reports health, readiness and the OpenAPI document', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/health' })).json()).toEqual({ status: 'ok' });
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/ready' })).json()).toEqual({ status: 'ready' });
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/v1/threads', '/api/v1/threads/{id}', '/api/v1/posts/{id}/vote', '/api/v1/auth/register']),
    );
    expect((await t.app.inject({ method: 'GET', url: '/api/docs' })).statusCode).toBeLessThan(400);
  });
});
