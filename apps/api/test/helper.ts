import { loadConfig } from '@praxis/config';
import { createTestDatabase, settings, TRUST_SETTINGS_KEY, type Database } from '@praxis/db';
import { createInProcessEventBus, type EventBus } from '@praxis/realtime';
import { createEmbeddedSearchIndex } from '@praxis/search';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../src/app.js';
import type { Clock } from '../src/context.js';
import { registerUser } from '../src/modules/auth/commands.js';

export const ORIGIN = 'http://localhost:3000';

export interface TestApp {
  app: FastifyInstance;
  database: Database;
  /** Publish on it to play the worker's part in realtime tests. */
  bus: EventBus;
  close(): Promise<void>;
}

/** A fresh API on a fresh database: PGlite in memory, or a new PostgreSQL database when TEST_DATABASE_URL is set. */
const RELAXED_NEWCOMER_LIMITS = { linksPerPost: 1000, mentionsPerPost: 1000, postsPerDay: 100000, topicsPerDay: 100000 };

export async function buildTestApp(
  env: Record<string, string> = {},
  options: { bus?: EventBus; /** 'defaults': keep the real TL0 limits */ newcomerLimits?: 'defaults'; clock?: Clock } = {},
): Promise<TestApp> {
  const database = await createTestDatabase();
  const bus = options.bus ?? createInProcessEventBus();
  const search = createEmbeddedSearchIndex();
  const app = await buildApp({
    config: loadConfig({ AUTH_RATE_LIMIT: '10000', WRITE_RATE_LIMIT: '10000', ...env }),
    database,
    search,
    bus,
    clock: options.clock,
    logLevel: process.env.TEST_LOG_LEVEL ?? 'silent',
  });
  await app.ready();
  // Test users are newcomers (TL0) who post more in a day than its limits allow; trust tests restore the defaults.
  if (!options.newcomerLimits)
    await database.db.insert(settings).values({ key: TRUST_SETTINGS_KEY, value: { newcomerLimits: RELAXED_NEWCOMER_LIMITS } });
  return {
    app,
    database,
    bus,
    close: async () => {
      await app.close();
      await Promise.all([bus.close(), search.close()]);
      await database.close();
    },
  };
}

export interface Session {
  id: number;
  username: string;
  cookie: string;
  /** Requests as this user, with the session cookie and a same-origin Origin header. */
  inject(options: InjectOptions): Promise<LightMyRequestResponse>;
}

function sessionFrom(app: FastifyInstance, id: number, username: string, response: LightMyRequestResponse): Session {
  const cookie = response.cookies.find((c) => c.name === 'praxis_session');
  if (!cookie) throw new Error(`no session cookie in ${response.statusCode} ${response.body}`);
  return {
    id,
    username,
    cookie: cookie.value,
    inject: (options) =>
      app.inject({
        ...options,
        headers: { origin: ORIGIN, ...options.headers },
        cookies: { praxis_session: cookie.value, ...options.cookies },
      }),
  };
}

let counter = 0;
export async function signUp(app: FastifyInstance, username = `user${++counter}_${Date.now() % 100000}`): Promise<Session> {
  const response = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/register',
    headers: { origin: ORIGIN },
    payload: { username, email: `${username}@example.test`, password: 'correct horse battery' },
  });
  if (response.statusCode !== 201) throw new Error(`register failed: ${response.statusCode} ${response.body}`);
  return sessionFrom(app, response.json().user.id, username, response);
}

/** Creates a user with a global role directly (there is no API to promote yet) and signs them in. */
export async function signUpAs(app: FastifyInstance, role: 'admin' | 'moderator', username = `${role}${++counter}`): Promise<Session> {
  await registerUser(app.deps, { username, email: `${username}@example.test`, password: 'correct horse battery' }, role);
  const response = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    headers: { origin: ORIGIN },
    payload: { login: username, password: 'correct horse battery' },
  });
  return sessionFrom(app, response.json().user.id, username, response);
}

export function expectProblem(response: LightMyRequestResponse, status: number, code?: string): Record<string, unknown> {
  if (response.statusCode !== status) throw new Error(`expected ${status}, got ${response.statusCode}: ${response.body}`);
  if (!String(response.headers['content-type']).startsWith('application/problem+json'))
    throw new Error(`expected problem+json, got ${response.headers['content-type']}`);
  const body = response.json() as Record<string, unknown>;
  if (body.status !== status || typeof body.title !== 'string') throw new Error(`not a problem document: ${response.body}`);
  if (code && body.code !== code) throw new Error(`expected code ${code}, got ${String(body.code)}: ${response.body}`);
  return body;
}

/** Creates a public community (as the given admin) and returns its slug. */
export async function createCommunity(admin: Session, slug: string, visibility: 'public' | 'private' = 'public'): Promise<string> {
  const response = await admin.inject({
    method: 'POST',
    url: '/api/v1/communities',
    payload: { slug, name: `Community ${slug}`, description: 'd', charter: '# Charter', visibility },
  });
  if (response.statusCode !== 201) throw new Error(`create community failed: ${response.body}`);
  return slug;
}

export async function ask(
  session: Session,
  community: string,
  title = 'How do I keep hops fresh?',
  tags: string[] = ['hops'],
): Promise<number> {
  const response = await session.inject({
    method: 'POST',
    url: '/api/v1/threads',
    payload: { community, title, body: 'Body of **the** question', tags, kind: 'question' },
  });
  if (response.statusCode !== 201) throw new Error(`ask failed: ${response.statusCode} ${response.body}`);
  return response.json().id as number;
}

export async function reply(session: Session, threadId: number, body = 'An answer'): Promise<number> {
  const response = await session.inject({ method: 'POST', url: `/api/v1/threads/${threadId}/posts`, payload: { body } });
  if (response.statusCode !== 201) throw new Error(`reply failed: ${response.statusCode} ${response.body}`);
  return response.json().id as number;
}

/**
 * Plays the worker's indexing part for API tests: builds the documents the way the worker does (same
 * toThreadDocument, visible posts only) and writes them to the app's index.
 */
export async function indexAll(t: TestApp): Promise<void> {
  const { and, isNull, posts, threads } = await import('@praxis/db');
  const { toThreadDocument } = await import('@praxis/search');
  const live = await t.database.db
    .select()
    .from(threads)
    .where(and(isNull(threads.deletedAt), isNull(threads.heldAt)));
  const visible = await t.database.db
    .select()
    .from(posts)
    .where(and(isNull(posts.deletedAt), isNull(posts.hiddenAt), isNull(posts.heldAt)));
  await t.app.searchIndex.upsert(
    live.map((thread) =>
      toThreadDocument(
        thread,
        visible.filter((p) => p.threadId === thread.id),
      ),
    ),
  );
}
