/**
 * Live parts through real browsers: two people on one thread see each other's replies without reloading
 * (with a "new replies" marker for a reader who has scrolled up, and a typed draft kept), the ask page
 * suggests a similar question, the bell counts a mention as it happens, watching and the notification
 * settings work without JavaScript, and the new pages pass axe.
 *
 * The embedded server runs the worker in-process: posts are indexed and notifications written within a
 * second or two, so every wait below polls with a generous timeout; none is a fixed sleep.
 */
import type { Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeCheck, axeViolations, joinBeer, makeUser, openReady, shot, signIn, signUp, startHarness, type Harness } from './harness.js';

const LIVE = 15_000;

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h?.close();
});

const suffix = Date.now().toString(36).slice(-5);
const ana = makeUser('ana', 'Ana Asker', suffix);
const ben = makeUser('ben', 'Ben Brewer', suffix);
// Long enough that, scrolled to the top, the end of the replies is well below the fold.
const question = {
  title: `Does a tulip glass change how a tripel ${suffix} tastes?`,
  body: Array.from(
    { length: 14 },
    (_, i) => `Paragraph ${i + 1}: I pour the same tripel into a tulip and a straight pint glass, and the aroma seems different each time.`,
  ).join('\n\n'),
};

/** The bell's accessible name, e.g. "Notifications, 2 unread". */
const bellLabel = (page: Page) => page.locator('a.bell').getAttribute('aria-label');
const unreadIn = (label: string | null) => Number(/(\d+) unread/.exec(label ?? '')?.[1] ?? 0);

/** Records the page's loads (a document or SvelteKit's __data.json: the whole load re-run) and its delta fetches of new posts. */
function watchLoads(page: Page) {
  const loads: string[] = [];
  const deltas: string[] = [];
  const onRequest = (request: Request) => {
    const url = request.url();
    if (request.isNavigationRequest() || url.includes('/__data.json')) loads.push(url);
    if (/\/api\/v1\/threads\/\d+\/posts\?after=\d+/.test(url)) deltas.push(url);
  };
  page.on('request', onRequest);
  return { loads, deltas, stop: () => page.off('request', onRequest) };
}

/** Marks the document, so a later check can tell that the page was not reloaded meanwhile. */
const markDocument = (page: Page) => page.evaluate(() => ((window as unknown as { __sameDocument?: boolean }).__sameDocument = true));
const sameDocument = (page: Page) => page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument === true);

async function reply(page: Page, text: string): Promise<void> {
  await page.getByRole('textbox', { name: /^Your (answer|reply)$/ }).fill(text);
  await page.getByRole('button', { name: /^Post your (answer|reply)$|^Post reply$/ }).click();
  await page.locator('article', { hasText: text }).waitFor();
}

describe('live updates in the browser', () => {
  let pageA: Page;
  let pageB: Page;
  let threadUrl = '';
  let mentionUrl = '';

  it('a reply posted by one person appears for another on the same thread, without a reload and keeping their draft', async () => {
    pageA = await h.newPage();
    await signUp(pageA, ana);
    await joinBeer(pageA);
    pageB = await h.newPage();
    await signUp(pageB, ben);
    await joinBeer(pageB);

    await openReady(pageA, '/ask?community=beer');
    await pageA.getByLabel('Title').fill(question.title);
    await pageA.getByLabel('Details').fill(question.body);
    await pageA.getByRole('button', { name: 'Post your question' }).click();
    await pageA.waitForURL(/\/t\/\d+\/[a-z0-9-]+$/);
    threadUrl = pageA.url().replace(h.baseUrl, '');

    await pageB.goto(threadUrl);
    // Both have joined the thread's room (the server acknowledged the join).
    await pageA.locator('[data-live="live"]').waitFor({ timeout: LIVE });
    await pageB.locator('[data-live="live"]').waitFor({ timeout: LIVE });

    // A starts an answer of their own (which brings the end of the thread into view) and leaves it unsent.
    const draft = 'Half-written thoughts about glassware';
    await pageA.getByRole('textbox', { name: 'Your answer' }).fill(draft);
    await markDocument(pageA);
    const requests = watchLoads(pageA);

    const text = `A tulip keeps the head and gathers the aroma (${suffix}).`;
    await reply(pageB, text);

    await pageA.locator('article', { hasText: text }).waitFor({ timeout: LIVE });
    requests.stop();
    expect(await sameDocument(pageA)).toBe(true);
    // The page fetched only the new post: no page load (document or __data.json) ran again.
    expect(requests.loads).toEqual([]);
    expect(requests.deltas.length).toBeGreaterThanOrEqual(1);
    expect(await pageA.getByRole('textbox', { name: 'Your answer' }).inputValue()).toBe(draft);
    expect(await pageA.getByRole('heading', { name: '1 answer' }).isVisible()).toBe(true);
    await shot(pageA, 'live-01-reply-appeared');
  });

  it('a reader scrolled up gets a "new replies" marker that shows the new reply', async () => {
    await pageA.evaluate(() => window.scrollTo(0, 0));
    await markDocument(pageA);
    const text = `Second thought: a teku glass works too (${suffix}).`;
    await reply(pageB, text);

    const marker = pageA.getByRole('button', { name: /^1 new answer — show$/ });
    await marker.waitFor({ timeout: LIVE });
    // Not shown until asked for: the reader's place is kept.
    expect(await pageA.locator('article', { hasText: text }).count()).toBe(0);
    expect(await pageA.evaluate(() => window.scrollY)).toBe(0);
    await shot(pageA, 'live-02-marker');

    await marker.click();
    const article = pageA.locator('article', { hasText: text });
    await article.waitFor();
    await expect
      .poll(
        () =>
          article.evaluate((el) => {
            const r = el.getBoundingClientRect();
            return r.top >= 0 && r.top < window.innerHeight;
          }),
        { timeout: LIVE },
      )
      .toBe(true);
    expect(await marker.count()).toBe(0);
    expect(await sameDocument(pageA)).toBe(true);
  });

  it('the ask page suggests an existing similar question while the title is typed', async () => {
    await openReady(pageB, '/ask?community=beer');
    const region = pageB.locator('.similar[aria-live="polite"]');
    expect(await region.count()).toBe(1);
    await pageB.getByLabel('Title').pressSequentially(`Tulip glass and the taste of a tripel ${suffix}`, { delay: 15 });
    const suggestion = region.getByRole('link', { name: question.title });
    await suggestion.waitFor({ timeout: LIVE });
    expect(await suggestion.getAttribute('href')).toBe(threadUrl);
    expect(await region.getByRole('heading', { name: 'Similar questions' }).isVisible()).toBe(true);
    await shot(pageB, 'live-03-similar');
  });

  it('the bell count rises live when someone mentions you, and reading the thread clears it', async () => {
    await pageA.goto('/');
    await markDocument(pageA);
    // Ben's two answers reached Ana while she was on her thread: read there, so the bell settles at none.
    await expect.poll(() => bellLabel(pageA), { timeout: LIVE }).toBe('Notifications, none unread');
    const before = unreadIn(await bellLabel(pageA));

    // Ben starts a discussion that mentions Ana.
    await openReady(pageB, '/ask?community=beer');
    await pageB.getByLabel('Discussion').check();
    const title = `Glassware swap meet ${suffix}`;
    await pageB.getByLabel('Title').fill(title);
    await pageB.getByLabel('Details').fill(`Bring your spare glasses. @${ana.username}, you have a few tulips?`);
    await pageB.getByRole('button', { name: 'Post your question' }).click();
    await pageB.waitForURL(/\/t\/\d+\/[a-z0-9-]+$/);
    mentionUrl = pageB.url().replace(h.baseUrl, '');

    await expect.poll(() => bellLabel(pageA), { timeout: LIVE }).toBe(`Notifications, ${before + 1} unread`);
    expect(await sameDocument(pageA)).toBe(true);
    await shot(pageA, 'live-04-bell');

    await pageA.locator('a.bell').click();
    await pageA.getByRole('heading', { level: 1, name: 'Notifications' }).waitFor();
    const note = pageA.locator('li.note.unread', { hasText: 'Ben Brewer mentioned you' });
    await note.waitFor();
    const link = note.getByRole('link', { name: title });
    expect(await link.getAttribute('href')).toMatch(new RegExp(`^${mentionUrl}#post-\\d+$`));
    await shot(pageA, 'live-05-notifications');

    await link.click();
    await pageA.getByRole('heading', { level: 1, name: title }).waitFor();
    await expect
      .poll(() => bellLabel(pageA), { timeout: LIVE })
      .toBe(before === 0 ? 'Notifications, none unread' : `Notifications, ${before} unread`);
  });

  it('works without JavaScript: watch a thread, mark everything read, save notification settings', async () => {
    const context = await h.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await signIn(page, ana);

    await page.goto(threadUrl);
    const watching = page.getByRole('radio', { name: /^Watching/ });
    expect(await watching.isChecked()).toBe(true); // the author watches by default
    await page.getByRole('radio', { name: /^Muted/ }).check();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('heading', { level: 1, name: question.title }).waitFor();
    expect(await page.getByRole('radio', { name: /^Muted/ }).isChecked()).toBe(true);
    const watch = (await (await page.request.get(`/api/v1/threads/${/\/t\/(\d+)/.exec(threadUrl)![1]}/watch`)).json()) as {
      level: string;
      isDefault: boolean;
    };
    expect(watch).toEqual({ level: 'muted', isDefault: false });

    // Something unread, so there is something to mark read: a mention where Ana is not looking (and not muted).
    await pageA.goto('/');
    await pageB.goto(mentionUrl);
    await reply(pageB, `@${ana.username} one more thing (${suffix}).`);
    await expect.poll(async () => unreadIn(await bellLabel(pageA)), { timeout: LIVE }).toBeGreaterThan(0);
    await page.goto('/notifications');
    await page.getByRole('button', { name: 'Mark all read' }).click();
    await page.getByText('You are all caught up.').waitFor();
    expect(await page.locator('li.note.unread').count()).toBe(0);
    expect(await bellLabel(page)).toBe('Notifications, none unread');
    // The other tab hears it too.
    await expect.poll(() => bellLabel(pageA), { timeout: LIVE }).toBe('Notifications, none unread');

    await page.goto('/settings/notifications');
    await page
      .getByRole('radio', { name: /^Never/ })
      .first()
      .check();
    await page.getByRole('checkbox', { name: 'Replies to your posts' }).uncheck();
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Your notification settings are saved.').waitFor();
    const settings = (await (await page.request.get('/api/v1/me/notification-settings')).json()) as {
      emailNotifications: string;
      emailMutedKinds: string[];
    };
    expect(settings.emailNotifications).toBe('never');
    expect(settings.emailMutedKinds).toEqual(['reply_to_post']);
  });

  it('has no serious or critical accessibility violations on the new pages (axe-core)', async () => {
    // axe is injected as a script, which our CSP rightly refuses; this context alone bypasses it.
    const page = await h.newPage({ bypassCSP: true });
    await signIn(page, ben);
    const report = await axeViolations(page, [
      '/search?q=tripel',
      '/notifications',
      '/settings/notifications',
      threadUrl,
      '/c/beer?tag=brewing',
    ]);
    expect(await page.getByRole('radio', { name: /^Watching/ }).count()).toBeGreaterThan(0);

    await openReady(page, '/ask?community=beer');
    await page.getByLabel('Title').pressSequentially(`Tulip glass for a tripel ${suffix}`, { delay: 15 });
    await page.locator('.similar a').first().waitFor({ timeout: LIVE });
    report.push(...(await axeCheck(page)).map((v) => `/ask (with suggestions): ${v}`));
    expect(report).toEqual([]);
  });
});
