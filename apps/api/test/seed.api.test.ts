import { loadConfig } from '@praxis/config';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureAdmin } from '../src/seed/admin.js';
import { seedDemoCommunity } from '../src/seed/demo.js';
import { buildTestApp, ORIGIN, type TestApp } from './helper.js';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

describe('first start', () => {
  it('creates the admin named by ADMIN_EMAIL/ADMIN_PASSWORD once, who can sign in', async () => {
    const config = loadConfig({ ADMIN_EMAIL: 'root@example.test', ADMIN_PASSWORD: 'a strong admin pass' });
    expect(await ensureAdmin(t.app.deps, config)).toContain('root@example.test');
    expect(await ensureAdmin(t.app.deps, config)).toBeNull();
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { origin: ORIGIN },
      payload: { login: 'root@example.test', password: 'a strong admin pass' },
    });
    expect(login.json().user.role).toBe('admin');
  });

  it('seeds the demo community once, with solved and open questions that credit their authors', async () => {
    const me = (await t.database.db.query.users.findFirst({ where: (u, { eq }) => eq(u.role, 'admin') }))!;
    const seeded = await seedDemoCommunity(t.app.deps, me.id);
    expect(seeded).toMatchObject({ threads: 149 });
    expect(await seedDemoCommunity(t.app.deps, me.id)).toBeNull();

    const community = (await t.app.inject({ method: 'GET', url: '/api/v1/communities/beer' })).json();
    expect(community).toMatchObject({ name: 'Beer, Wine & Spirits', threadCount: 149 });
    expect(community.charterHtml).toContain('CC BY-SA');
    const solved = (await t.app.inject({ method: 'GET', url: '/api/v1/threads?community=beer&sort=solved&limit=5' })).json();
    expect(solved.items).toHaveLength(5);
    const unanswered = (await t.app.inject({ method: 'GET', url: '/api/v1/threads?community=beer&sort=unanswered' })).json();
    expect(unanswered.items.length).toBeGreaterThan(0);
    const thread = (await t.app.inject({ method: 'GET', url: `/api/v1/threads/${solved.items[0].id}` })).json();
    expect(thread.posts.find((p: { isSolution: boolean }) => p.isSolution)).toBeDefined();
    for (const post of thread.posts)
      expect(post.html).toMatch(/href="https:\/\/beer\.stackexchange\.com\/[qa]\/\d+"[^>]*>Originally posted/);
  });
});
