/**
 * Issue 10 in the browser: addresses the API refuses (a NUL byte in a community slug or a username) are a
 * 4xx page, not a 502, and the sign-up form says next to the password field why a guessable password was refused.
 *
 * Needs the builds (`pnpm exec turbo run build`) and Chromium (CHROMIUM_PATH, default /usr/bin/chromium).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openReady, startHarness, type Harness } from './harness.js';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h?.close();
});

const suffix = Date.now().toString(36).slice(-5);

describe('hostile input in the browser', () => {
  it('/c/%00 and /u/a%00b are a 4xx page with a heading, not a 502', async () => {
    const page = await h.newPage();
    for (const path of ['/c/%00', '/u/a%00b']) {
      const response = await page.goto(path);
      expect(response?.status(), path).toBeGreaterThanOrEqual(400);
      expect(response?.status(), path).toBeLessThan(500);
      await page.getByRole('heading', { level: 1, name: 'That did not work' }).waitFor();
    }
  });

  it('a guessable password is refused with the reason next to the password field', async () => {
    const page = await h.newPage();
    const username = `weak_${suffix}`;
    for (const [password, reason] of [
      ['password12', /commonly used password/i],
      [username, /username/i],
    ] as const) {
      await openReady(page, '/signup');
      await page.getByLabel('Username').fill(username);
      await page.getByLabel('Email').fill(`${username}@example.test`);
      await page.getByLabel('Password').fill(password);
      await page.getByRole('button', { name: 'Create account' }).click();
      const error = page.locator('#password-error');
      await error.filter({ hasText: reason }).waitFor();
      expect(await page.getByLabel('Password').getAttribute('aria-invalid')).toBe('true');
      expect(new URL(page.url()).pathname).toBe('/signup');
    }
  });
});
