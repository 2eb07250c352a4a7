import { loadConfig } from '@praxis/config';
import { FREE_FAILURES } from '@praxis/domain';
import { createInProcessEventBus } from '@praxis/realtime';
import { createEmbeddedSearchIndex } from '@praxis/search';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { buildTestApp, expectProblem, ORIGIN, signUp, type TestApp } from './helper.js';

/** Per-account sign-in throttling with growing delays (issue 10, finding 4). The clock is the app's injectable one: no sleeps. */

const PASSWORD = 'correct horse battery';
let now = new Date('2026-12-04T09:00:00Z');
const clock = { now: () => now };
const advance = (ms: number) => (now = new Date(now.getTime() + ms));

let address = 0;
/** Every attempt from a new address, as a botnet would: the per-address limit never sees two. */
const login = (app: FastifyInstance, name: string, password: string) =>
  app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    headers: { origin: ORIGIN },
    remoteAddress: `10.0.${Math.floor(++address / 250)}.${address % 250}`,
    payload: { login: name, password },
  });

/** Fails `count` times, waiting out each delay as a patient attacker would; returns the last Retry-After seen. */
async function failPatiently(app: FastifyInstance, name: string, count: number): Promise<void> {
  for (let failed = 0; failed < count;) {
    const response = await login(app, name, 'a wrong guess');
    if (response.statusCode === 429) {
      advance(Number(response.headers['retry-after']) * 1000);
      continue;
    }
    expectProblem(response, 401, 'INVALID_CREDENTIALS');
    failed++;
  }
}

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp({}, { clock });
});
afterAll(() => t.close());

describe('per-account sign-in throttling', () => {
  it('refuses the right password right after many failures from rotating addresses, until the delay has passed', async () => {
    const user = await signUp(t.app);
    await failPatiently(t.app, user.username, 12);
    const refused = await login(t.app, user.username, PASSWORD);
    const problem = expectProblem(refused, 429, 'LOGIN_THROTTLED');
    // 12 failures: the 5 free ones, then delays of 1, 2, 4 … 64 s; the next wait is 128 s.
    expect(refused.headers['retry-after']).toBe('128');
    expect(problem.detail).toMatch(/wait 128 s/);
    advance(127_000);
    expectProblem(await login(t.app, user.username, PASSWORD), 429, 'LOGIN_THROTTLED');
    expect((await login(t.app, user.username, PASSWORD)).headers['retry-after']).toBe('1');
    advance(1_000);
    expect((await login(t.app, user.username, PASSWORD)).statusCode).toBe(200);
    // A success starts afresh: the next mistake is heard (401), not throttled.
    expectProblem(await login(t.app, user.username, 'one typo'), 401, 'INVALID_CREDENTIALS');
    expect((await login(t.app, user.username, PASSWORD)).statusCode).toBe(200);
  });

  it('counts username and email as one account, leaves other accounts alone, and lets the first few mistakes through', async () => {
    const user = await signUp(t.app);
    const bystander = await signUp(t.app);
    for (let i = 0; i < FREE_FAILURES - 1; i++) expectProblem(await login(t.app, user.username, 'wrong'), 401, 'INVALID_CREDENTIALS');
    expectProblem(await login(t.app, `${user.username}@example.test`, 'wrong'), 401, 'INVALID_CREDENTIALS');
    expectProblem(await login(t.app, `${user.username}@example.test`, PASSWORD), 429, 'LOGIN_THROTTLED');
    expect((await login(t.app, bystander.username, PASSWORD)).statusCode).toBe(200);
  });

  it('throttles an account that does not exist exactly like one that does', async () => {
    for (let i = 0; i < FREE_FAILURES; i++) expectProblem(await login(t.app, 'nobody-here', 'wrong'), 401, 'INVALID_CREDENTIALS');
    const refused = await login(t.app, 'nobody-here', 'wrong');
    expectProblem(refused, 429, 'LOGIN_THROTTLED');
    expect(refused.headers['retry-after']).toBe('1');
  });
});

const REDIS_URL = process.env.TEST_REDIS_URL ?? '';
describe.skipIf(!REDIS_URL)('across API nodes (needs TEST_REDIS_URL)', () => {
  it('failures on one node delay sign-ins on the other', async () => {
    const nameSpace = `praxis-test-login-${process.pid}-${Date.now()}:`;
    const config = loadConfig({ AUTH_RATE_LIMIT: '10000', WRITE_RATE_LIMIT: '10000', REDIS_URL });
    const nodes = await Promise.all(
      [0, 1].map(async () => {
        const app = await buildApp({
          config,
          database: t.database,
          search: createEmbeddedSearchIndex(),
          bus: createInProcessEventBus(),
          clock,
          logLevel: 'silent',
          rateLimitNamespace: nameSpace,
        });
        await app.ready();
        return app;
      }),
    );
    const [a, b] = nodes as [FastifyInstance, FastifyInstance];
    try {
      const user = await signUp(t.app);
      for (let i = 0; i < FREE_FAILURES; i++)
        expectProblem(await login(i % 2 === 0 ? a : b, user.username, 'wrong'), 401, 'INVALID_CREDENTIALS');
      expectProblem(await login(a, user.username, PASSWORD), 429, 'LOGIN_THROTTLED');
      expectProblem(await login(b, user.username, PASSWORD), 429, 'LOGIN_THROTTLED');
      // The in-process throttle of the test app knows nothing of it: the two nodes shared Redis.
      expect((await login(t.app, user.username, PASSWORD)).statusCode).toBe(200);
      advance(1_000);
      expect((await login(b, user.username, PASSWORD)).statusCode).toBe(200);
    } finally {
      await Promise.all(nodes.map((node) => node.close()));
    }
  });
});
