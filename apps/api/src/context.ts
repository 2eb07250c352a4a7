import type { Config } from '@praxis/config';
import type { Database, Db } from '@praxis/db';
import type { Viewer } from '@praxis/domain';
import type { EventBus } from '@praxis/realtime';
import type { SearchIndex } from '@praxis/search';
import type { ActivityRecorder } from './modules/auth/activity.js';
import type { Credential, CredentialCache } from './modules/auth/credential-cache.js';
import type { AccessTokenGrant } from './modules/auth/load-viewer.js';
import type { LoginThrottle } from './modules/auth/login-throttle.js';
import type { ThreadReadCache } from './modules/threads/read-cache.js';
import type { AnonymousPageCache } from './web/page-cache.js';

export interface Clock {
  now(): Date;
}

/** What commands and queries get: a database handle and a clock, nothing else. */
export interface Deps {
  db: Db;
  clock: Clock;
}

export interface AppOptions {
  config: Config;
  database: Database;
  /** Read side of the search index (only the worker writes to it). */
  search: SearchIndex;
  /** Read side of the guides index (a second instance of the same port); an empty in-memory one when not given. */
  guideSearch?: SearchIndex;
  /** Realtime messages from the worker, fanned out to socket.io and /api/v1/stream clients. */
  bus: EventBus;
  clock?: Clock;
  /** Log level override; tests pass 'silent'. */
  logLevel?: string;
  /** Prefix of rate-limit counters in Redis (tests isolate their runs with it). */
  rateLimitNamespace?: string;
  /** Human-readable logs (a terminal); otherwise JSON lines. */
  prettyLogs?: boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    deps: Deps;
    config: Config;
    database: Database;
    /** Not `search`: Fastify already has a method of that name (the HTTP SEARCH verb). */
    searchIndex: SearchIndex;
    /** Published guides (the worker indexes them; the API only reads). */
    guideIndex: SearchIndex;
    bus: EventBus;
    threadCache: ThreadReadCache;
    /** Who was seen when (last seen, the day's visit), written off the request path. */
    activity: ActivityRecorder;
    /** Sessions and access tokens resolved in the last seconds (the auth hook's cache). */
    credentials: CredentialCache;
    /** Anonymous web pages (embedded mode serves the web app); dropped on every write and thread event. */
    pageCache: AnonymousPageCache;
    /** Per-account delays after failed sign-ins, shared through Redis when distributed. */
    loginThrottle: LoginThrottle;
  }
  interface FastifyRequest {
    viewer: Viewer | null;
    authMethod: 'cookie' | 'token' | null;
    sessionTokenHash: string | null;
    /** The personal access token a request came with (its id and scopes), when it came with one. */
    accessToken: AccessTokenGrant | null;
    /** The session's or token's credential (user row, viewer), when the request came with a valid one. */
    credential: Credential | null;
  }
  interface FastifyContextConfig {
    /** Only a signed-in session may call this route, never a personal access token (managing tokens, signing out). */
    sessionOnly?: boolean;
  }
}
