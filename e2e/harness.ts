/**
 * What every browser test needs: the embedded server (API + web + worker on one free port, a fresh data
 * directory, the demo community seeded), Debian's Chromium through playwright-core, and a few steps
 * people take on every visit (sign up, join the demo community, run axe on a page).
 *
 * Needs the builds (`pnpm exec turbo run build`) and Chromium (CHROMIUM_PATH, default /usr/bin/chromium).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { expect } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '..');
export const shots = join(here, 'test-results');
const embedded = join(repoRoot, 'apps/api/dist/embedded.js');
const webHandler = join(repoRoot, 'apps/web/build/handler.js');
const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

export interface User {
  username: string;
  displayName: string;
  email: string;
  password: string;
}

export interface Harness {
  baseUrl: string;
  browser: Browser;
  /** A new browser context (closed by close()); JavaScript on unless told otherwise. */
  newContext(options?: BrowserContextOptions): Promise<BrowserContext>;
  /** A page in a new context, 1280×900, with page errors logged. */
  newPage(options?: BrowserContextOptions): Promise<Page>;
  serverLog(): string;
  close(): Promise<void>;
}

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

async function waitForReady(url: string, server: ChildProcess, log: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`the server exited with ${server.exitCode}:\n${log()}`);
    try {
      const response = await fetch(`${url}/api/v1/ready`);
      if (response.ok) return;
      last = `HTTP ${response.status}`;
    } catch (err) {
      last = String(err);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the server did not become ready in ${timeoutMs} ms (${last}):\n${log()}`);
}

/**
 * The embedded PostgreSQL (the default database of the embedded server, a child process group of its own) stops with a
 * server that exits normally; after a SIGKILL it would outlive it, so its postmaster is stopped here before the data
 * directory goes.
 */
async function stopOrphanedDatabase(dataDir: string): Promise<void> {
  const pidFile = join(dataDir, 'postgres', 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  const alive = () => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  if (!pid || !alive()) return;
  process.kill(pid, 'SIGQUIT');
  for (let i = 0; i < 100 && alive(); i++) await new Promise((r) => setTimeout(r, 100));
}

/**
 * Starts the embedded server and Chromium. Call close() in afterAll. The server runs on the embedded default database
 * (PostgreSQL 18 under the fresh DATA_DIR); EMBEDDED_DATABASE=pglite in the environment runs it on PGlite instead.
 */
export async function startHarness(): Promise<Harness> {
  for (const file of [embedded, webHandler]) {
    if (!existsSync(file)) throw new Error(`${file} is missing: build first (pnpm exec turbo run build)`);
  }
  mkdirSync(shots, { recursive: true });
  const dataDir = mkdtempSync(join(tmpdir(), 'praxis-e2e-'));
  const port = await freePort();
  const baseUrl = `http://localhost:${port}`;
  let log = '';
  const server = spawn(process.execPath, [embedded], {
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
      // Matched questions whose round ran out are escalated within a second (the matching test uses a one-minute T).
      MATCH_ESCALATION_SWEEP_SECONDS: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  server.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const contexts: BrowserContext[] = [];
  let browser: Browser | undefined;
  let closing = false;
  server.once('exit', (code, signal) => {
    if (!closing) console.error(`[e2e] the server exited during the tests (${code ?? signal}):\n${log}`);
  });

  const close = async () => {
    closing = true;
    for (const context of contexts) await context.close().catch(() => {});
    await browser?.close().catch(() => {});
    if (server.exitCode === null) {
      const exited = new Promise((r) => server.once('exit', r));
      server.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (server.exitCode === null) server.kill('SIGKILL');
    }
    await stopOrphanedDatabase(dataDir);
    rmSync(dataDir, { recursive: true, force: true });
  };

  try {
    await waitForReady(baseUrl, server, () => log, 120_000);
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  } catch (err) {
    await close();
    throw err;
  }
  const launched = browser;

  const newContext = async (options: BrowserContextOptions = {}) => {
    const context = await launched.newContext({ baseURL: baseUrl, viewport: { width: 1280, height: 900 }, ...options });
    contexts.push(context);
    return context;
  };
  const newPage = async (options: BrowserContextOptions = {}) => {
    const page = await (await newContext(options)).newPage();
    page.on('pageerror', (err) => console.error('[browser]', err.message));
    return page;
  };
  return { baseUrl, browser: launched, newContext, newPage, serverLog: () => log, close };
}

export const shot = (page: Page, name: string) => page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });

/** A user with names unique to this run. */
export function makeUser(handle: string, displayName: string, suffix: string): User {
  return {
    username: `${handle}_${suffix}`,
    displayName,
    email: `${handle}_${suffix}@example.test`,
    password: `${handle} has a long secret`,
  };
}

/**
 * Opens a page and waits until the app has started in the browser. Typing into a server-rendered field
 * before hydration can be undone by it (Svelte sets the field's value from its template), so forms that
 * a test fills are opened this way. A socket.io WebSocket does not count as network activity.
 */
export async function openReady(page: Page, path: string): Promise<void> {
  await page.goto(path, { waitUntil: 'networkidle' });
}

export async function signUp(page: Page, user: User): Promise<void> {
  await openReady(page, '/signup');
  await page.getByLabel('Username').fill(user.username);
  await page.getByLabel('Display name').fill(user.displayName);
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL('/'); // resolved against the context's baseURL
  await page.getByRole('link', { name: user.displayName }).first().waitFor();
}

export async function signIn(page: Page, user: User): Promise<void> {
  await openReady(page, '/login');
  await page.getByLabel('Username or email').fill(user.username);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL('/'); // resolved against the context's baseURL
  await page.getByRole('link', { name: user.displayName }).first().waitFor();
}

export async function joinBeer(page: Page): Promise<void> {
  await page.goto('/c/beer');
  await page.getByRole('heading', { level: 1, name: 'Beer, Wine & Spirits' }).waitFor();
  await page.getByRole('button', { name: 'Join community' }).click();
  await page.getByRole('button', { name: 'Leave' }).waitFor();
  expect(await page.getByText('Joined', { exact: true }).isVisible()).toBe(true);
}

/** axe-core's serious and critical violations on the page as it is now, as "rule (impact): targets". */
export async function axeCheck(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: axePath });
  return page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run: (ctx: Document, opts: object) => Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }>;
        };
      }
    ).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map(
        (v) =>
          `${v.id} (${v.impact}): ${v.nodes
            .map((n) => n.target.join(' '))
            .slice(0, 3)
            .join(', ')}`,
      );
  });
}

/**
 * axeCheck on each path, as "path: rule (impact): targets". The page's context must bypass the CSP
 * (axe is injected as a script, which the CSP rightly refuses).
 */
export async function axeViolations(page: Page, paths: string[]): Promise<string[]> {
  const report: string[] = [];
  for (const path of paths) {
    await page.goto(path);
    report.push(...(await axeCheck(page)).map((v) => `${path}: ${v}`));
  }
  return report;
}
