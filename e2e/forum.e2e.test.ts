/**
 * The forum through a real browser: two people sign up, join the demo community, one asks, the other
 * answers, the asker accepts the answer, and the thread is solved in the page and in the API.
 * Also: markup typed into a reply never runs.
 *
 * Needs the builds (`pnpm exec turbo run build`) and Chromium (CHROMIUM_PATH, default /usr/bin/chromium).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '..');
const shots = join(here, 'test-results');
const embedded = join(repoRoot, 'apps/api/dist/embedded.js');
const webHandler = join(repoRoot, 'apps/web/build/handler.js');
const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

let server: ChildProcess | undefined;
let serverLog = '';
let dataDir = '';
let baseUrl = '';
let browser: Browser | undefined;
const contexts: BrowserContext[] = [];

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolvePort(port));
    });
  });
}

async function waitForReady(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (server?.exitCode !== null && server?.exitCode !== undefined) throw new Error(`the server exited with ${server.exitCode}:\n${serverLog}`);
    try {
      const response = await fetch(`${url}/api/v1/ready`);
      if (response.ok) return;
      last = `HTTP ${response.status}`;
    } catch (err) {
      last = String(err);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the server did not become ready in ${timeoutMs} ms (${last}):\n${serverLog}`);
}

const shot = (page: Page, name: string) => page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });

const suffix = Date.now().toString(36).slice(-5);
const alice = { username: `asker_${suffix}`, displayName: 'Alice Asker', email: `alice_${suffix}@example.test`, password: 'correct horse battery' };
const bob = { username: `brewer_${suffix}`, displayName: 'Bob Brewer', email: `bob_${suffix}@example.test`, password: 'another long secret' };
const question = {
  title: `How cold should a cellar be for ageing barleywine ${suffix}?`,
  body: 'I have a few bottles of **barleywine** and a cellar that swings between 10 and 16 °C.\n\nIs that stable enough for five years?',
  tags: 'ageing, Barleywine, cellar',
};
const answer = 'Aim for a steady 12–13 °C. Slow swings matter less than fast ones; keep the bottles upright and dark.';
const xssReply = 'Careful with this one: <img src=x onerror="window.__xss=1"> <script>window.__xss=2</script> **still bold**';

async function signUp(page: Page, user: typeof alice): Promise<void> {
  await page.goto('/signup');
  await page.getByLabel('Username').fill(user.username);
  await page.getByLabel('Display name').fill(user.displayName);
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL(`${baseUrl}/`);
  await page.getByRole('link', { name: user.displayName }).first().waitFor();
}

async function joinBeer(page: Page): Promise<void> {
  await page.goto('/c/beer');
  await page.getByRole('heading', { level: 1, name: 'Beer, Wine & Spirits' }).waitFor();
  await page.getByRole('button', { name: 'Join community' }).click();
  await page.getByRole('button', { name: 'Leave' }).waitFor();
  expect(await page.getByText('Joined', { exact: true }).isVisible()).toBe(true);
}

beforeAll(async () => {
  for (const file of [embedded, webHandler]) {
    if (!existsSync(file)) throw new Error(`${file} is missing: build first (pnpm exec turbo run build)`);
  }
  mkdirSync(shots, { recursive: true });
  dataDir = mkdtempSync(join(tmpdir(), 'praxis-e2e-'));
  const port = await freePort();
  baseUrl = `http://localhost:${port}`;
  server = spawn(process.execPath, [embedded], {
    cwd: repoRoot,
    env: {
      ...process.env,
      PORT: String(port),
      PUBLIC_ORIGIN: baseUrl,
      DATA_DIR: dataDir,
      ADMIN_EMAIL: 'admin@example.test',
      ADMIN_PASSWORD: 'admin-password-e2e',
      SEED_DEMO: 'true',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout?.on('data', (chunk: Buffer) => (serverLog += chunk.toString()));
  server.stderr?.on('data', (chunk: Buffer) => (serverLog += chunk.toString()));
  await waitForReady(baseUrl, 120_000);

  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => {});
  await browser?.close().catch(() => {});
  if (server && server.exitCode === null) {
    const exited = new Promise((r) => server!.once('exit', r));
    server.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    if (server.exitCode === null) server.kill('SIGKILL');
  }
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('forum in the browser', () => {
  let threadUrl = '';
  let threadId = 0;
  let answerPostId = 0;
  let pageA: Page;
  let pageB: Page;

  const newPage = async () => {
    const context = await browser!.newContext({ baseURL: baseUrl, viewport: { width: 1280, height: 900 } });
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (err) => console.error('[browser]', err.message));
    return page;
  };

  it('A signs up, joins the demo community and asks a question', async () => {
    pageA = await newPage();
    await signUp(pageA, alice);
    await shot(pageA, '01-home-signed-in');
    await joinBeer(pageA);
    await shot(pageA, '02-community-joined');

    await pageA.goto('/ask?community=beer');
    expect(await pageA.getByLabel('Community').inputValue()).toBe('beer');
    await pageA.getByLabel('Title').fill(question.title);
    await pageA.getByLabel('Details').fill(question.body);
    await pageA.getByLabel(/^Tags/).fill(question.tags);
    await pageA.getByRole('button', { name: 'Post your question' }).click();
    await pageA.waitForURL(/\/t\/\d+\/[a-z0-9-]+$/);
    threadUrl = pageA.url();
    threadId = Number(/\/t\/(\d+)\//.exec(threadUrl)![1]);
    await pageA.getByRole('heading', { level: 1, name: question.title }).waitFor();
    expect(await pageA.locator('.thread-head').getByText('Open', { exact: true }).isVisible()).toBe(true);
    expect(await pageA.locator('.thread-head .tag').allTextContents()).toEqual(['ageing', 'barleywine', 'cellar']);
    expect(await pageA.locator('article.question strong').first().textContent()).toBe('barleywine');
    await shot(pageA, '03-question-asked');
  });

  it('B signs up, joins, and answers; markup in a reply does not run', async () => {
    pageB = await newPage();
    await signUp(pageB, bob);
    await joinBeer(pageB);
    await pageB.goto(threadUrl);
    await pageB.getByRole('heading', { level: 1, name: question.title }).waitFor();

    await pageB.getByRole('textbox', { name: 'Your answer' }).fill(answer);
    await pageB.getByRole('button', { name: 'Post your answer' }).click();
    const answerArticle = pageB.locator('article', { hasText: 'Aim for a steady 12–13 °C' });
    await answerArticle.waitFor();
    answerPostId = Number((await answerArticle.getAttribute('id'))!.replace('post-', ''));
    expect(answerPostId).toBeGreaterThan(0);
    expect(await pageB.getByRole('textbox', { name: 'Your answer' }).inputValue()).toBe('');

    await pageB.getByRole('textbox', { name: 'Your answer' }).fill(xssReply);
    await pageB.getByRole('button', { name: 'Post your answer' }).click();
    const xssArticle = pageB.locator('article', { hasText: 'Careful with this one' });
    await xssArticle.waitFor();
    expect(await xssArticle.locator('strong', { hasText: 'still bold' }).count()).toBe(1);
    expect(await xssArticle.locator('script').count()).toBe(0);
    expect(await xssArticle.locator('[onerror]').count()).toBe(0);
    // A full page load runs the server-rendered HTML through the browser's parser, too.
    await pageB.reload();
    await pageB.locator('article', { hasText: 'Careful with this one' }).waitFor();
    await pageB.waitForTimeout(300);
    expect(await pageB.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    await shot(pageB, '04-answered');
  });

  it('A accepts the answer; the page and the API say solved', async () => {
    await pageA.reload();
    const answerArticle = pageA.locator(`#post-${answerPostId}`);
    await answerArticle.waitFor();
    expect(await pageA.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    await answerArticle.getByRole('button', { name: 'Accept as solution' }).click();

    await pageA.getByText('see the accepted answer').waitFor();
    expect(await pageA.locator('.thread-head').getByText('Solved', { exact: true }).isVisible()).toBe(true);
    expect(await answerArticle.getByText('Accepted answer').isVisible()).toBe(true);
    expect(await pageA.getByRole('link', { name: 'see the accepted answer' }).getAttribute('href')).toBe(`#post-${answerPostId}`);
    await shot(pageA, '05-solved');

    const response = await fetch(`${baseUrl}/api/v1/threads/${threadId}`);
    expect(response.status).toBe(200);
    const thread = (await response.json()) as { status: string; solved: boolean; solutionPostId: number | null };
    expect(thread.status).toBe('solved');
    expect(thread.solved).toBe(true);
    expect(thread.solutionPostId).toBe(answerPostId);

    // B sees it too, without an accept button of their own.
    await pageB.reload();
    await pageB.getByText('see the accepted answer').waitFor();
    expect(await pageB.getByRole('button', { name: 'Accept as solution' }).count()).toBe(0);
  });

  it('works without JavaScript: C signs up, joins and replies with plain form posts', async () => {
    const context = await browser!.newContext({ baseURL: baseUrl, javaScriptEnabled: false });
    contexts.push(context);
    const page = await context.newPage();
    const carol = { username: `carol_${suffix}`, displayName: 'Carol NoScript', email: `carol_${suffix}@example.test`, password: 'no scripts needed' };
    await signUp(page, carol);
    await joinBeer(page);
    await page.goto(threadUrl);
    await page.getByRole('textbox', { name: 'Your answer' }).fill('Answered from a browser with JavaScript off.');
    await page.getByRole('button', { name: 'Post your answer' }).click();
    await page.locator('article', { hasText: 'Answered from a browser with JavaScript off.' }).waitFor();
    const thread = (await (await fetch(`${baseUrl}/api/v1/threads/${threadId}`)).json()) as { posts: { body: string; author: { username: string } | null }[] };
    expect(thread.posts.at(-1)).toMatchObject({ body: 'Answered from a browser with JavaScript off.', author: { username: carol.username } });
  });

  it('has no serious or critical accessibility violations on the main pages (axe-core)', async () => {
    // axe is injected as a script, which our CSP rightly refuses; this context alone bypasses it.
    const context = await browser!.newContext({ baseURL: baseUrl, bypassCSP: true });
    contexts.push(context);
    const page = await context.newPage();
    const report: string[] = [];
    for (const path of ['/', '/c/beer', threadUrl.replace(baseUrl, ''), '/signup', '/login']) {
      await page.goto(path);
      await page.addScriptTag({ path: axePath });
      const violations = await page.evaluate(async () => {
        const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe;
        const result = await axe.run(document, { resultTypes: ['violations'] });
        return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
      });
      report.push(...violations.map((v) => `${path}: ${v}`));
    }
    expect(report).toEqual([]);
  });

  it('A signs out from the header', async () => {
    await pageA.getByRole('button', { name: 'Sign out' }).click();
    await pageA.getByRole('link', { name: 'Sign in' }).first().waitFor();
    const me = await pageA.request.get('/api/v1/me');
    expect(me.status()).toBe(401);
  });
});
