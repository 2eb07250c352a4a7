import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inProcessFetch } from '../src/in-process-fetch.js';
import { buildTestApp, ORIGIN, signUp, type Session, type TestApp } from './helper.js';

let t: TestApp;
let ada: Session;
let call: typeof fetch;
const API = 'http://127.0.0.1:3000';

beforeAll(async () => {
  t = await buildTestApp({ AUTH_RATE_LIMIT: '2' });
  ada = await signUp(t.app, 'inproc_ada');
  call = inProcessFetch(t.app);
});
afterAll(() => t.close());

describe('the embedded web app’s in-process fetch', () => {
  it('carries the session cookie and the Origin through auth and the CSRF check', async () => {
    const me = await call(`${API}/api/v1/me`, { headers: { cookie: `praxis_session=${ada.cookie}`, accept: 'application/json' } });
    expect(me.status).toBe(200);
    expect(me.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await me.json()).toMatchObject({ id: ada.id, username: 'inproc_ada' });
    const body = JSON.stringify({ slug: 'nope', name: 'Nope' });
    const forged = await call(`${API}/api/v1/communities`, {
      method: 'POST',
      body,
      headers: { cookie: `praxis_session=${ada.cookie}`, 'content-type': 'application/json' },
    });
    expect(forged.status).toBe(403);
    expect(forged.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(((await forged.json()) as { code: string }).code).toBe('CSRF_REJECTED');
  });

  it('hands back Set-Cookie and sends bodies both ways (a Request object too)', async () => {
    const login = await call(
      new Request(`${API}/api/v1/auth/login`, {
        method: 'POST',
        body: JSON.stringify({ login: 'inproc_ada', password: 'correct horse battery' }),
        headers: { origin: ORIGIN, 'content-type': 'application/json', 'x-forwarded-for': '198.51.100.7' },
      }),
    );
    expect(login.status).toBe(200);
    expect(login.headers.getSetCookie().some((c) => c.startsWith('praxis_session='))).toBe(true);
  });

  it('rate-limits the visitor’s own address (x-forwarded-for), not the process’s', async () => {
    const attempt = (address: string) =>
      call(`${API}/api/v1/auth/login`, {
        method: 'POST',
        body: JSON.stringify({ login: 'inproc_ada', password: 'wrong password here' }),
        headers: { origin: ORIGIN, 'content-type': 'application/json', 'x-forwarded-for': address },
      });
    expect((await attempt('203.0.113.1')).status).toBe(401);
    expect((await attempt('203.0.113.1')).status).toBe(401);
    expect((await attempt('203.0.113.1')).status).toBe(429);
    expect((await attempt('203.0.113.2')).status).toBe(401);
  });
});
