/**
 * Guides through real browsers: a community moderator turns an accepted answer into a guide and sends
 * it to review, a leader approves it (a second person: nobody publishes their own guide here), and a
 * newcomer typing a similar question on the ask page is shown "There is a guide for this" first.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeCheck, makeUser, openReady, shot, signIn, startHarness, type Harness, type User } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

const suffix = Date.now().toString(36).slice(-5);
const slug = `guides-${suffix}`;

async function api<T = { id: number; items: unknown[] }>(
  page: Page,
  method: 'GET' | 'POST' | 'PUT',
  path: string,
  data?: unknown,
): Promise<T> {
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

describe('guides in the browser', () => {
  const moderator = makeUser('mia', 'Mia Moderator', suffix);
  const leader = makeUser('leo', 'Leo Leader', suffix);
  const asker = makeUser('ada', 'Ada Asker', suffix);
  const expert = makeUser('eve', 'Eve Expert', suffix);
  const newcomer = makeUser('nia', 'Nia Newcomer', suffix);
  let threadId = 0;
  let guideUrl = '';

  it('sets up a community with a moderator, a leader and an accepted answer', async () => {
    const admin = await h.newPage();
    await api(admin, 'POST', '/api/v1/auth/login', { login: 'admin@example.test', password: 'admin-password-e2e' });
    await api(admin, 'POST', '/api/v1/communities', { slug, name: `Hop school ${suffix}` });
    const people: Record<string, Page> = {};
    for (const user of [moderator, leader, asker, expert]) {
      const page = await h.newPage();
      await register(page, user);
      people[user.username] = page;
    }
    await api(admin, 'PUT', `/api/v1/communities/${slug}/members/${moderator.username}/role`, { role: 'moderator' });
    await api(admin, 'PUT', `/api/v1/communities/${slug}/members/${leader.username}/role`, { role: 'leader' });
    const thread = await api(people[asker.username]!, 'POST', '/api/v1/threads', {
      community: slug,
      title: 'How long should I dry hop a pale ale?',
      body: 'Days or weeks? My last batch tasted grassy.',
      tags: ['hops'],
      kind: 'question',
    });
    threadId = thread.id;
    const answer = await api(people[expert.username]!, 'POST', `/api/v1/threads/${threadId}/posts`, {
      body: 'Dry hop a pale ale for **three to five days** at fermentation temperature; longer gives grassy flavours.',
    });
    await api(people[asker.username]!, 'POST', `/api/v1/threads/${threadId}/solution`, { postId: answer.id });
  });

  it('the moderator starts a guide from the accepted answer, edits it and sends it to review', async () => {
    const page = await h.newPage();
    await signIn(page, moderator);
    await openReady(page, `/t/${threadId}`);
    const panel = page.getByRole('region', { name: 'Guides' });
    await panel.getByRole('button', { name: 'Start a guide from this answer' }).click();
    await page.waitForURL(/\/g\/\d+\/edit$/);
    guideUrl = page.url().replace(/\/edit$/, '');
    const body = page.getByLabel('Body');
    expect(await body.inputValue()).toContain('three to five days');
    expect(await body.inputValue()).toContain('Eve Expert');
    await body.fill(`${await body.inputValue()}\n\n## In short\n\nThree to five days, then package.\n`);
    await page.getByRole('button', { name: 'Preview' }).click();
    await page.getByRole('region', { name: 'Preview' }).getByRole('heading', { name: 'In short' }).waitFor();
    await shot(page, 'guides-editor-preview');
    await page.getByRole('button', { name: 'Save revision' }).click();
    await page.waitForURL(guideUrl);
    await page.getByText('Revision 2').waitFor();
    await page.getByRole('button', { name: 'Send to review' }).click();
    await page.getByText('Sent to review').first().waitFor();
    // Nobody approves their own guide (the community does not allow self-publish).
    expect(await page.getByRole('button', { name: 'Approve and publish' }).count()).toBe(0);
    await shot(page, 'guides-in-review');
  });

  it('a leader approves it; the guide shows its credited source and the thread links to it', async () => {
    const page = await h.newPage({ bypassCSP: true }); // for axe-core's injected script
    await signIn(page, leader);
    await openReady(page, guideUrl);
    await page.getByRole('button', { name: 'Approve and publish' }).click();
    await page.getByText('Published. The credited authors are told.').waitFor();
    const sources = page.getByRole('region', { name: 'Sources and credits' });
    expect(
      await sources.getByRole('link', { name: /Accepted answer to “How long should I dry hop a pale ale\?”/ }).getAttribute('href'),
    ).toMatch(new RegExp(`^/t/${threadId}#post-\\d+$`));
    expect(await sources.getByText('Eve Expert').count()).toBeGreaterThan(0);
    expect(await axeCheck(page)).toEqual([]);
    await shot(page, 'guides-published');
    await openReady(page, `/t/${threadId}`);
    await page.getByText('Part of the guide').waitFor();
    await page.goto(`${guideUrl}/history`);
    await page.getByRole('heading', { name: /Revision 1 → 2/ }).waitFor();
    await shot(page, 'guides-history');
  });

  it('a newcomer typing a similar question is shown the guide first', async () => {
    const page = await h.newPage();
    await register(page, newcomer); // the API's session cookie lands in this page's context
    // The worker indexes the published guide; wait until suggestions can find it.
    const deadline = Date.now() + 20_000;
    for (;;) {
      const found = await api(page, 'GET', `/api/v1/guides/similar?title=${encodeURIComponent('How many days to dry hop a pale ale')}`);
      if (found.items.length > 0) break;
      if (Date.now() > deadline) throw new Error('the guide never reached the index');
      await new Promise((r) => setTimeout(r, 250));
    }
    await openReady(page, `/ask?community=${slug}`);
    await page.getByLabel('Title').pressSequentially('How many days to dry hop a pale ale', { delay: 10 });
    const hint = page.getByRole('region', { name: 'There is a guide for this' });
    await hint.getByRole('link', { name: 'How long should I dry hop a pale ale?' }).waitFor();
    const similar = page.getByRole('region', { name: 'Similar questions' });
    await similar.waitFor();
    // The guide comes first, above the similar threads.
    const [guideTop, similarTop] = await Promise.all([hint.boundingBox(), similar.boundingBox()]);
    expect(guideTop!.y).toBeLessThan(similarTop!.y);
    await shot(page, 'guides-ask-suggestion');
  });
});
