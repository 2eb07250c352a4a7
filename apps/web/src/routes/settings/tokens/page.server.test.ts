import { describe, expect, it } from 'vitest';
import { fakeApi, viewer } from '$lib/server/fake-api';
import { actions } from './+page.server';

async function run(action: 'create' | 'revoke', fields: [string, string][], routes: Parameters<typeof fakeApi>[0]) {
  const { api, calls } = fakeApi(routes);
  const request = new Request('http://localhost/settings/tokens', {
    method: 'POST',
    body: new URLSearchParams(fields),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  const result = await (actions[action] as unknown as (e: object) => Promise<unknown>)({
    locals: { api, viewer },
    request,
    url: new URL(request.url),
  });
  return { result, calls };
}

const created = {
  id: 3,
  name: 'ci',
  scopes: ['read'],
  createdAt: '2026-12-04T09:00:00.000Z',
  expiresAt: null,
  lastUsedAt: null,
  token: 'pxt_secret',
};

describe('/settings/tokens', () => {
  it('creates a token with read always on, the chosen scopes and expiry, and shows it once', async () => {
    const { result, calls } = await run(
      'create',
      [
        ['name', 'ci'],
        ['scopes', 'write'],
        ['scopes', 'bogus'],
        ['expiresInDays', '30'],
      ],
      { 'POST /api/v1/me/tokens': { status: 201, body: created } },
    );
    expect(result).toEqual({ created: { name: 'ci', token: 'pxt_secret' } });
    expect(calls).toEqual([
      { method: 'POST', path: '/api/v1/me/tokens', init: { body: { name: 'ci', scopes: ['read', 'write'], expiresInDays: 30 } } },
    ]);
  });

  it('refuses a missing name or an unknown expiry without calling the API', async () => {
    const { result, calls } = await run(
      'create',
      [
        ['name', ''],
        ['expiresInDays', '3'],
      ],
      {},
    );
    expect(result).toMatchObject({ status: 400, data: { errors: { name: expect.any(String) } } });
    expect(
      (
        await run(
          'create',
          [
            ['name', 'x'],
            ['expiresInDays', '3'],
          ],
          {},
        )
      ).result,
    ).toMatchObject({ status: 400, data: { errors: { expiresInDays: expect.any(String) } } });
    expect(calls).toEqual([]);
  });

  it('revokes by id', async () => {
    const { result, calls } = await run('revoke', [['id', '3']], { 'DELETE /api/v1/me/tokens/{id}': { status: 200, body: { ok: true } } });
    expect(result).toEqual({ revoked: true });
    expect(calls).toEqual([{ method: 'DELETE', path: '/api/v1/me/tokens/{id}', init: { params: { path: { id: 3 } } } }]);
  });
});
