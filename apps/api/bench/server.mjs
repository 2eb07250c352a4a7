// A server for the benchmark, in its own process: `bare` (one Fastify JSON route) or `praxis` (the API with a 20-post thread).
import Fastify from 'fastify';
import { loadConfig } from '@praxis/config';
import { createTestDatabase } from '@praxis/db';
import { createInProcessEventBus } from '@praxis/realtime';
import { createEmbeddedSearchIndex } from '@praxis/search';
import { buildApp } from '../dist/app.js';
import { registerUser } from '../dist/modules/auth/commands.js';

const mode = process.argv[2];
const ORIGIN = 'http://localhost:3000';

async function bare() {
  const app = Fastify({ logger: false });
  // With BENCH_BODY: the same bytes a thread read returns, to separate payload cost from Praxis's own work.
  const body = process.env.BENCH_BODY;
  app.get('/api/v1/health', (request, reply) => (body ? reply.type('application/json; charset=utf-8').send(body) : { status: 'ok' }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { port: app.server.address().port, path: '/api/v1/health', close: () => app.close() };
}

async function praxis() {
  const database = await createTestDatabase(process.env.BENCH_DATABASE_URL || undefined);
  const app = await buildApp({
    config: loadConfig({ AUTH_RATE_LIMIT: '100000' }),
    database,
    search: createEmbeddedSearchIndex(),
    bus: createInProcessEventBus(),
    logLevel: 'silent',
  });
  await registerUser(app.deps, { username: 'benchadmin', email: 'bench@example.test', password: 'benchmark password' }, 'admin');
  const login = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    headers: { origin: ORIGIN },
    payload: { login: 'benchadmin', password: 'benchmark password' },
  });
  const cookies = { praxis_session: login.cookies.find((c) => c.name === 'praxis_session').value };
  const as = (method, url, payload) => app.inject({ method, url, payload, cookies, headers: { origin: ORIGIN } });
  await as('POST', '/api/v1/communities', { slug: 'bench', name: 'Bench' });
  const thread = (
    await as('POST', '/api/v1/threads', {
      community: 'bench',
      title: 'A thread with twenty posts',
      body: 'The **question**, with some `code` and a [link](https://example.org).',
      tags: ['bench'],
    })
  ).json();
  for (let i = 2; i <= 20; i++)
    await as('POST', `/api/v1/threads/${thread.id}/posts`, { body: `Reply number ${i}: ${'lorem ipsum dolor sit amet '.repeat(8)}` });
  const token = (await as('POST', '/api/v1/me/tokens', { name: 'bench' })).json().token;
  await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    port: app.server.address().port,
    path: `/api/v1/threads/${thread.id}`,
    driver: database.driver,
    token,
    // Proves the cache never hides a write: reply, then the next anonymous read must show it.
    checkFreshness: async () => {
      const marker = `fresh-${Date.now()}`;
      await as('POST', `/api/v1/threads/${thread.id}/posts`, { body: marker });
      const read = await fetch(`http://127.0.0.1:${app.server.address().port}/api/v1/threads/${thread.id}`).then((r) => r.json());
      return read.posts.some((p) => p.body === marker);
    },
    close: async () => {
      await app.close();
      await database.close();
    },
  };
}

const server = mode === 'bare' ? await bare() : await praxis();
process.send?.({ ready: true, port: server.port, path: server.path, driver: server.driver, token: server.token });
process.on('message', async (message) => {
  if (message === 'check') process.send?.({ fresh: await server.checkFreshness?.() });
  if (message === 'stop') {
    await server.close();
    process.exit(0);
  }
});
