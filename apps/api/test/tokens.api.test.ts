import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, createCommunity, expectProblem, signUp, signUpAs, type Session, type TestApp } from './helper.js';

/** Personal access tokens have scopes, an optional expiry and a last-used time, and never manage tokens (issue 10, finding 5). */

let now = new Date('2026-12-04T09:00:00Z');
const clock = { now: () => now };
let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp({}, { clock });
});
afterAll(() => t.close());

async function createToken(session: Session, payload: Record<string, unknown>) {
  return session.inject({ method: 'POST', url: '/api/v1/me/tokens', payload: { name: 'a script', ...payload } });
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('token management needs a session', () => {
  it('refuses to create, list or revoke tokens with a token, whatever its scopes', async () => {
    const user = await signUp(t.app);
    const created = await createToken(user, {});
    expect(created.statusCode).toBe(201);
    const { token, id } = created.json() as { token: string; id: number };
    const mint = await t.app.inject({
      method: 'POST',
      url: '/api/v1/me/tokens',
      headers: bearer(token),
      payload: { name: 'a second one' },
    });
    expect(expectProblem(mint, 403, 'SESSION_REQUIRED').detail).toMatch(/sign in/i);
    expectProblem(await t.app.inject({ method: 'GET', url: '/api/v1/me/tokens', headers: bearer(token) }), 403, 'SESSION_REQUIRED');
    expectProblem(
      await t.app.inject({ method: 'DELETE', url: `/api/v1/me/tokens/${id}`, headers: bearer(token) }),
      403,
      'SESSION_REQUIRED',
    );
    expectProblem(
      await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: bearer(token), payload: { allSessions: true } }),
      403,
      'SESSION_REQUIRED',
    );
    const list = await user.inject({ method: 'GET', url: '/api/v1/me/tokens' });
    expect(list.json().items).toHaveLength(1);
  });
});

describe('scopes', () => {
  it('a read-only token reads and is refused every write, with the scope it lacks named', async () => {
    const user = await signUp(t.app);
    const { token, scopes } = (await createToken(user, { scopes: ['read'] })).json() as { token: string; scopes: string[] };
    expect(scopes).toEqual(['read']);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(token) })).statusCode).toBe(200);
    const write = await t.app.inject({ method: 'POST', url: '/api/v1/notifications/read', headers: bearer(token), payload: { all: true } });
    expect(expectProblem(write, 403, 'TOKEN_SCOPE').detail).toContain('"write"');
  });

  it('defaults to read and write; a token needs read; only staff may ask for admin', async () => {
    const user = await signUp(t.app);
    const plain = (await createToken(user, {})).json() as { token: string; scopes: string[] };
    expect(plain.scopes).toEqual(['read', 'write']);
    expect(
      (await t.app.inject({ method: 'POST', url: '/api/v1/notifications/read', headers: bearer(plain.token), payload: { all: true } }))
        .statusCode,
    ).toBe(200);
    expectProblem(await createToken(user, { scopes: ['write'] }), 400, 'VALIDATION_FAILED');
    expectProblem(await createToken(user, { scopes: ['read', 'admin'] }), 403, 'FORBIDDEN');
    expectProblem(await createToken(user, { scopes: ['read', 'root'] }), 400, 'VALIDATION_FAILED');
  });

  it("an admin's token acts as a plain member unless it has the admin scope", async () => {
    const admin = await signUpAs(t.app, 'admin');
    // Created by another admin: its creator leads it, and membership is not what the admin scope is about.
    await createCommunity(await signUpAs(t.app, 'admin'), 'staffroom', 'private');
    const member = (await createToken(admin, { scopes: ['read', 'write'] })).json() as { token: string };
    const staff = (await createToken(admin, { scopes: ['read', 'write', 'admin'] })).json() as { token: string; scopes: string[] };
    expect(staff.scopes).toEqual(['read', 'write', 'admin']);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/communities/staffroom', headers: bearer(staff.token) })).statusCode).toBe(
      200,
    );
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/admin/pipeline', headers: bearer(staff.token) })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/communities/staffroom', headers: bearer(member.token) })).statusCode).toBe(
      404,
    );
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/admin/pipeline', headers: bearer(member.token) })).statusCode).toBe(403);
  });
});

describe('expiry and last use', () => {
  it('an expiring token works until its date, then is refused and leaves the list', async () => {
    const user = await signUp(t.app);
    const created = (await createToken(user, { expiresInDays: 7 })).json() as { token: string; expiresAt: string };
    expect(created.expiresAt).toBe(new Date(now.getTime() + 7 * 86_400_000).toISOString());
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(created.token) })).statusCode).toBe(200);
    now = new Date(now.getTime() + 8 * 86_400_000);
    expect(
      expectProblem(await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(created.token) }), 401, 'UNAUTHENTICATED')
        .detail,
    ).toMatch(/expired/);
    expect((await user.inject({ method: 'GET', url: '/api/v1/me/tokens' })).json().items).toEqual([]);
    expectProblem(await createToken(user, { expiresInDays: 0 }), 400, 'VALIDATION_FAILED');
  });

  it('lists when each token was last used', async () => {
    const user = await signUp(t.app);
    const { token } = (await createToken(user, { name: 'used' })).json() as { token: string };
    await createToken(user, { name: 'unused' });
    const usedAt = now.toISOString();
    await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(token) });
    const items = (await user.inject({ method: 'GET', url: '/api/v1/me/tokens' })).json().items as Array<{
      name: string;
      lastUsedAt: string | null;
      scopes: string[];
      expiresAt: string | null;
    }>;
    expect(items.map((i) => [i.name, i.lastUsedAt, i.scopes, i.expiresAt])).toEqual([
      ['used', usedAt, ['read', 'write'], null],
      ['unused', null, ['read', 'write'], null],
    ]);
  });
});

describe('sign out of all sessions', () => {
  it('ends every session of the user and only theirs; tokens keep working', async () => {
    const user = await signUp(t.app);
    const other = await signUp(t.app);
    const { token } = (await createToken(user, {})).json() as { token: string };
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { origin: 'http://localhost:3000' },
      payload: { login: user.username, password: 'correct horse battery' },
    });
    const secondCookie = login.cookies.find((c) => c.name === 'praxis_session')!.value;
    expect((await user.inject({ method: 'POST', url: '/api/v1/auth/logout', payload: { allSessions: true } })).statusCode).toBe(200);
    expectProblem(await user.inject({ method: 'GET', url: '/api/v1/me' }), 401, 'UNAUTHENTICATED');
    expectProblem(
      await t.app.inject({ method: 'GET', url: '/api/v1/me', cookies: { praxis_session: secondCookie } }),
      401,
      'UNAUTHENTICATED',
    );
    expect((await other.inject({ method: 'GET', url: '/api/v1/me' })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(token) })).statusCode).toBe(200);
  });

  it('a plain logout (no body) still ends only this session', async () => {
    const user = await signUp(t.app);
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { origin: 'http://localhost:3000' },
      payload: { login: user.username, password: 'correct horse battery' },
    });
    const secondCookie = login.cookies.find((c) => c.name === 'praxis_session')!.value;
    expect((await user.inject({ method: 'POST', url: '/api/v1/auth/logout' })).statusCode).toBe(200);
    expectProblem(await user.inject({ method: 'GET', url: '/api/v1/me' }), 401, 'UNAUTHENTICATED');
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', cookies: { praxis_session: secondCookie } })).statusCode).toBe(200);
  });
});
