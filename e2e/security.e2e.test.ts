/**
 * Security settings through a real browser: personal access tokens (scopes, expiry, last use, revoke; a token
 * cannot manage tokens) and "Sign out of all sessions", which ends the account's other browser sessions too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, makeUser, openReady, signIn, signUp, startHarness, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

const suffix = Date.now().toString(36).slice(-5);
const tess = makeUser('tess', 'Tess Tokens', suffix);

const api = (path: string, token: string, init: RequestInit = {}) =>
  fetch(`${h.baseUrl}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers },
  });

describe('security settings', () => {
  it('creates a read-only expiring token, shows its last use, and revokes it', async () => {
    const page = await h.newPage({ bypassCSP: true });
    await signUp(page, tess);
    await openReady(page, '/settings/tokens');
    await page.getByLabel('Name').fill('nightly export');
    await page.getByRole('checkbox', { name: /Write/ }).uncheck();
    await page.getByLabel('Expires').selectOption({ label: 'In 7 days' });
    await page.getByRole('button', { name: 'Create token' }).click();
    const token = (await page.getByTestId('new-token').textContent())?.trim() ?? '';
    expect(token).toMatch(/^pxt_/);
    const row = page.locator('tr', { hasText: 'nightly export' });
    await expect.poll(() => row.textContent()).toContain('Never used');
    expect(await row.textContent()).toContain('Read');
    expect(await row.textContent()).not.toContain('Write');

    expect((await api('/api/v1/me', token)).status).toBe(200);
    expect((await api('/api/v1/me/tokens', token, { method: 'POST', body: JSON.stringify({ name: 'successor' }) })).status).toBe(403);
    expect((await api('/api/v1/notifications/read', token, { method: 'POST', body: JSON.stringify({ all: true }) })).status).toBe(403);
    await page.reload();
    expect(await row.textContent()).not.toContain('Never used');

    expect(await axeViolations(page, ['/settings/tokens'])).toEqual([]);
    await page.getByRole('button', { name: 'Revoke nightly export' }).click();
    await page.getByText('The token is revoked.').waitFor();
    expect(await row.count()).toBe(0);
    expect((await api('/api/v1/me', token)).status).toBe(401);
  });

  it('"Sign out of all sessions" signs the account out in its other browsers too', async () => {
    const first = await h.newPage();
    await signIn(first, tess);
    const second = await h.newPage();
    await signIn(second, tess);
    await openReady(second, '/logout');
    await second.getByRole('button', { name: 'Sign out of all sessions' }).click();
    await second.getByRole('link', { name: 'Sign in' }).waitFor();
    await first.reload();
    await first.getByRole('link', { name: 'Sign in' }).waitFor();
    expect(await first.getByRole('link', { name: tess.displayName }).count()).toBe(0);
  });
});
