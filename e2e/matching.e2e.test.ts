/**
 * Expert matching through real browsers: a newcomer asks; the best-matched expert, whose page is open,
 * sees the bell count up and the reason why they were asked; they decline ("Not my area") and the next
 * expert is asked at once; with a one-minute T the unanswered question reaches a third expert in round 2.
 *
 * The community is new and small so the ranking is predictable: expert 1 answered the most similar
 * questions, expert 2 fewer, expert 3 one. One expert per round.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeUser, openReady, shot, signUp, startHarness, type Harness, type User } from './harness.js';

const LIVE = 20_000;
let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h?.close();
});

const suffix = Date.now().toString(36).slice(-5);
const slug = `hops-${suffix}`;

/** A JSON call through the page's own cookies (same-origin, so the CSRF check passes). */
async function api<T = unknown>(page: Page, method: 'GET' | 'POST' | 'PUT', path: string, data?: unknown): Promise<T> {
  const response = await page.request.fetch(path, { method, data, headers: { origin: h.baseUrl } });
  if (!response.ok()) throw new Error(`${method} ${path}: ${response.status()} ${await response.text()}`);
  return (await response.json()) as T;
}

async function register(page: Page, user: User): Promise<void> {
  await api(page, 'POST', '/api/v1/auth/register', {
    username: user.username,
    email: user.email,
    password: user.password,
    displayName: user.displayName,
  });
  await api(page, 'POST', `/api/v1/communities/${slug}/join`, {});
}

const bellLabel = (page: Page) => page.locator('a.bell').getAttribute('aria-label');
const unread = async (page: Page) => Number(/(\d+) unread/.exec((await bellLabel(page)) ?? '')?.[1] ?? 0);

describe('expert matching in the browser', () => {
  const experts = [makeUser('ex1', 'Hanna Hops', suffix), makeUser('ex2', 'Kai Kettle', suffix), makeUser('ex3', 'Mo Malt', suffix)];
  const newcomer = makeUser('nova', 'Nova Newcomer', suffix);
  const pages: Page[] = [];
  let asker: Page;
  let admin: Page;
  let threadUrl = '';

  it('sets up a small community whose experts answered earlier questions', async () => {
    admin = await h.newPage();
    await api(admin, 'POST', '/api/v1/auth/login', { login: 'admin@example.test', password: 'admin-password-e2e' });
    await api(admin, 'POST', '/api/v1/communities', { slug, name: `Hop growers ${suffix}` });
    await api(admin, 'PUT', `/api/v1/communities/${slug}/matching`, {
      expertsPerRound: 1,
      rounds: 2,
      escalateMinutes: 1,
      newcomerEscalateMinutes: 1,
    });
    for (const expert of experts) {
      const page = await h.newPage();
      await register(page, expert);
      pages.push(page);
    }
    const history = [
      ['When to dry hop an IPA', 'When should the dry hop go in, and for how long?', 3],
      ['Dry hopping makes my pale ale grassy', 'Long dry hopping gives a grassy taste. Why?', 2],
      ['Storing hops in the freezer', 'How long do vacuum packed hops keep in the freezer?', 1],
    ] as const;
    for (const [title, body, answerers] of history) {
      const thread = await api<{ id: number }>(admin, 'POST', '/api/v1/threads', { community: slug, title, body, tags: ['hops'] });
      for (let i = 0; i < answerers; i++)
        await api(pages[i]!, 'POST', `/api/v1/threads/${thread.id}/posts`, {
          body: `About ${title.toLowerCase()}: what worked for me, batch after batch.`,
        });
    }
    // The worker has counted everyone's answers (expert 3 answered last) and indexed the history.
    await expect
      .poll(
        async () =>
          (await api<{ communities: { slug: string; effective: boolean }[] }>(pages[2]!, 'GET', '/api/v1/me/expertise')).communities.find(
            (c) => c.slug === slug,
          )?.effective,
        { timeout: LIVE },
      )
      .toBe(true);
    await expect
      .poll(async () => (await api<{ total: number }>(admin, 'GET', `/api/v1/search?q=hops&community=${slug}`)).total, { timeout: LIVE })
      .toBe(3);
  });

  it("a newcomer's question reaches the best-matched expert's open page live, with the reason", async () => {
    // Replying told the experts about each other's replies; start from an empty bell.
    for (const page of pages) {
      await expect
        .poll(async () => (await api<{ unreadCount: number }>(page, 'POST', '/api/v1/notifications/read', { all: true })).unreadCount, {
          timeout: LIVE,
        })
        .toBe(0);
      await openReady(page, '/');
      expect(await unread(page)).toBe(0);
    }

    asker = await h.newPage();
    await signUp(asker, newcomer);
    await api(asker, 'POST', `/api/v1/communities/${slug}/join`, {});
    await openReady(asker, `/ask?community=${slug}`);
    await asker.getByLabel('Title').fill('How long should I dry hop a hazy IPA?');
    await asker.getByLabel('Details').fill('My first hazy IPA: how many days of dry hopping before it turns grassy?');
    await asker.getByRole('button', { name: 'Post your question' }).click();
    await asker.waitForURL(/\/t\/\d+/);
    threadUrl = asker.url().replace(h.baseUrl, '');

    const [first, second, third] = pages as [Page, Page, Page];
    await expect.poll(() => unread(first), { timeout: LIVE }).toBe(1);
    expect(await unread(second)).toBe(0);
    expect(await unread(third)).toBe(0);

    await first.goto('/notifications');
    const item = first.locator('li', { hasText: 'How long should I dry hop a hazy IPA?' }).first();
    await item.waitFor();
    expect(await item.getByText('Why you:').isVisible()).toBe(true);
    expect(await item.textContent()).toMatch(/similar|answers/i);
    await shot(first, 'matching-01-notification-with-reason');

    await first.goto(threadUrl);
    await first.getByRole('heading', { name: 'You were asked' }).waitFor();
    expect(await first.getByText('Why you:').isVisible()).toBe(true);
    // The asker is told who was asked about what.
    await asker.reload();
    await expect.poll(async () => (await asker.locator('.matching').textContent()) ?? '', { timeout: LIVE }).toMatch(/We asked 1 member/);
  });

  it('the expert declines ("Not my area") and the next expert is asked at once', async () => {
    const [first, second, third] = pages as [Page, Page, Page];
    // The asker's open page: its matching panel follows live, without a reload.
    await asker.evaluate(() => ((window as unknown as { __sameDocument?: boolean }).__sameDocument = true));
    await first.getByRole('button', { name: 'Not my area' }).click();
    await first.getByText(/You declined/).waitFor({ timeout: LIVE });
    await expect.poll(() => unread(second), { timeout: LIVE }).toBe(1);
    expect(await unread(third)).toBe(0);
    await second.goto(threadUrl);
    await second.getByRole('heading', { name: 'You were asked' }).waitFor();
    await shot(second, 'matching-02-stand-in');
    await expect.poll(async () => (await asker.locator('.matching').textContent()) ?? '', { timeout: LIVE }).toMatch(/We asked 2 members/);
    expect(await asker.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument === true)).toBe(true);
  });

  it('nobody answers within T (one minute): round 2 asks the third expert', async () => {
    const third = pages[2]!;
    await expect.poll(() => unread(third), { timeout: 100_000, interval: 1000 }).toBe(1);
    await third.goto(threadUrl);
    await third.getByRole('heading', { name: 'You were asked' }).waitFor();
    const matching = await api<{ matches: { round: number; state: string; expert: { username: string } }[] }>(
      admin,
      'GET',
      `/api/v1/threads/${/\/t\/(\d+)/.exec(threadUrl)![1]}/matching`,
    );
    expect(matching.matches.map((m) => [m.expert.username, m.round, m.state])).toEqual([
      [experts[0]!.username, 1, 'declined'],
      [experts[1]!.username, 1, 'expired'],
      [experts[2]!.username, 2, 'seen'],
    ]);
  }, 130_000);

  it("the leader's matching page shows how well matching ranks and this week's load", async () => {
    await openReady(admin, `/c/${slug}/matching`);
    const ranking = admin.getByRole('region', { name: 'How well matching ranks' });
    await ranking.waitFor();
    // Three history questions: too few for a model, so the weighted score ranks.
    await ranking.getByText('No ranking model yet').waitFor();
    const rows = ranking.getByRole('table', { name: /Load over the last 8 weeks/ }).locator('tbody tr');
    expect(await rows.count()).toBe(8);
    // This week's row shows what the API counted: the questions matched (the history questions were matched
    // too when they were asked), the members asked, and the most-asked member's share.
    const { ranking: data } = await api<{ ranking: { load: { questions: number; experts: number; maxShare: number }[] } }>(
      admin,
      'GET',
      `/api/v1/communities/${slug}/matching`,
    );
    const week = data.load[7]!;
    expect(week.questions).toBeGreaterThanOrEqual(1);
    expect(week.experts).toBe(3);
    expect(await rows.last().locator('td').allTextContents()).toEqual([
      String(week.questions),
      '3',
      `${Math.round(week.maxShare * 100)} %`,
    ]);
    await shot(admin, 'matching-ranking');
  });
});
