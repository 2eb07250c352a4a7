import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import { createEmbeddedSearchIndex } from '@praxis/search';
import type { AppOptions } from './context.js';
import { authRoutes } from './modules/auth/routes.js';
import { communityRoutes } from './modules/communities/routes.js';
import { expertRoutes } from './modules/experts/routes.js';
import { guideRoutes } from './modules/guides/routes.js';
import { healthRoutes } from './modules/health/routes.js';
import { communityHealthRoutes } from './modules/health/community-routes.js';
import { memberRoutes } from './modules/members/routes.js';
import { postRoutes } from './modules/posts/routes.js';
import { ActivityRecorder } from './modules/auth/activity.js';
import { CredentialCache } from './modules/auth/credential-cache.js';
import { ThreadReadCache } from './modules/threads/read-cache.js';
import { threadRoutes } from './modules/threads/routes.js';
import { pageRoutes } from './modules/pages/routes.js';
import { notificationRoutes } from './modules/notifications/routes.js';
import { pipelineRoutes } from './modules/pipeline/routes.js';
import { searchRoutes } from './modules/search/routes.js';
import { userRoutes } from './modules/users/routes.js';
import { charterRoutes } from './modules/communities/charter.js';
import { moderationRoutes } from './modules/moderation/routes.js';
import { peopleRoutes } from './modules/people/routes.js';
import { trustRoutes } from './modules/trust/routes.js';
import { registerAuth, registerPrivateCaching } from './plugins/auth.js';
import { registerWriteLimits } from './plugins/write-limits.js';
import { registerRealtime } from './realtime/index.js';
import { createLoginThrottle, memoryLoginFailureStore, redisLoginFailureStore } from './modules/auth/login-throttle.js';
import { frameworkErrors, registerErrorHandling } from './plugins/errors.js';
import { registerInputGate, validatorCompiler } from './plugins/validation.js';
import { AnonymousPageCache } from './web/page-cache.js';

export type App = FastifyInstance;

/** The URL with the values of secret-bearing query parameters (token, the unsubscribe token) replaced. */
export function redactSecrets(url: string): string {
  return url.replace(/([?&](?:token|access_token)=)[^&#]*/gi, '$1[redacted]');
}

/** A request slower than this is logged at warn, whatever the level. */
const SLOW_REQUEST_MS = 1_000;

/**
 * Request logging that costs what it should: every request at debug (LOG_LEVEL=debug to see them), slow ones at
 * warn, 5xx at error (their error is logged with its stack by the error handler). At the default info level a
 * fast, successful request writes nothing.
 */
function logRequests(app: FastifyInstance): void {
  app.addHook('onResponse', (request, reply, done) => {
    const ms = Math.round(reply.elapsedTime);
    const status = reply.statusCode;
    if (status >= 500) request.log.error({ req: request, status, ms }, 'request failed');
    else if (ms >= SLOW_REQUEST_MS) request.log.warn({ req: request, status, ms }, 'slow request');
    else request.log.debug({ req: request, status, ms }, 'request completed');
    done();
  });
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { config, database } = options;
  const app = Fastify({
    logger: {
      level: options.logLevel ?? config.logLevel,
      // Stream clients that cannot set headers pass ?token=…; a token must never reach the logs.
      serializers: {
        req: (request: { method: string; url: string; ip?: string }) => ({
          method: request.method,
          url: redactSecrets(request.url),
          remoteAddress: request.ip,
        }),
      },
      ...(options.prettyLogs && {
        transport: { target: 'pino-pretty', options: { translateTime: 'HH:MM:ss', ignore: 'pid,hostname,reqId' } },
      }),
    },
    // Fastify's two info lines per request cost more than many requests themselves: see logRequests below.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 256 * 1024,
    trustProxy: ['127.0.0.1', '::1'],
    routerOptions: { ignoreTrailingSlash: true },
    frameworkErrors,
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);

  app.decorate('config', config);
  app.decorate('database', database);
  app.decorate('searchIndex', options.search);
  app.decorate('guideIndex', options.guideSearch ?? createEmbeddedSearchIndex());
  app.decorate('bus', options.bus);
  app.decorate('deps', { db: database.db, clock: options.clock ?? { now: () => new Date() } });

  app.decorate('threadCache', new ThreadReadCache());
  app.decorate('credentials', new CredentialCache());
  app.decorate('activity', new ActivityRecorder(app.deps, app.log));
  app.addHook('onClose', () => app.activity.flush());
  app.decorate('pageCache', new AnonymousPageCache());
  // Any accepted write may change what a page shows: anonymous pages, and the thread reads and snapshots behind every page.
  app.addHook('onResponse', (request, reply, done) => {
    if (request.method !== 'GET' && request.method !== 'HEAD' && request.url.startsWith('/api/') && reply.statusCode < 400) {
      app.pageCache.clear();
      app.threadCache.clear();
    }
    done();
  });
  registerErrorHandling(app);
  logRequests(app);
  await app.register(cookie);
  // Counters in Redis when distributed (all API nodes share them), in-process otherwise.
  // ioredis is imported only then: the embedded mode does not carry it.
  const limitStore = config.redisUrl
    ? new (await import('ioredis')).Redis(config.redisUrl, { connectTimeout: 500, maxRetriesPerRequest: 1, lazyConnect: false })
    : undefined;
  if (limitStore) app.addHook('onClose', async () => void (await limitStore.quit().catch(() => limitStore.disconnect())));
  const limitNamespace = options.rateLimitNamespace ?? 'praxis-rate-limit:';
  await app.register(rateLimit, {
    global: false,
    keyGenerator: (request) => request.ip,
    ...(limitStore && { redis: limitStore, nameSpace: limitNamespace }),
  });
  app.decorate(
    'loginThrottle',
    createLoginThrottle(limitStore ? redisLoginFailureStore(limitStore, limitNamespace) : memoryLoginFailureStore(), app.log),
  );
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Praxis API',
        version: '0.1.0',
        description: 'REST API of Praxis, a forum for communities of practice. Errors are application/problem+json.',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'praxis_session' },
          token: { type: 'http', scheme: 'bearer', description: 'A personal access token from POST /api/v1/me/tokens' },
        },
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
  app.get('/api/openapi.json', { schema: { hide: true } }, () => app.swagger());

  registerAuth(app);
  registerPrivateCaching(app);
  registerInputGate(app);
  registerWriteLimits(app);
  await app.register(healthRoutes, { prefix: '/api/v1' });
  await app.register(authRoutes, { prefix: '/api/v1' });
  await app.register(communityRoutes, { prefix: '/api/v1' });
  await app.register(threadRoutes, { prefix: '/api/v1' });
  await app.register(pageRoutes, { prefix: '/api/v1' });
  await app.register(postRoutes, { prefix: '/api/v1' });
  await app.register(userRoutes, { prefix: '/api/v1' });
  await app.register(searchRoutes, { prefix: '/api/v1' });
  await app.register(notificationRoutes, { prefix: '/api/v1' });
  await app.register(expertRoutes, { prefix: '/api/v1' });
  await app.register(guideRoutes, { prefix: '/api/v1' });
  await app.register(pipelineRoutes, { prefix: '/api/v1' });
  await app.register(memberRoutes, { prefix: '/api/v1' });
  await app.register(communityHealthRoutes, { prefix: '/api/v1' });
  // Moderation, people, trust, charter history.
  await app.register(moderationRoutes, { prefix: '/api/v1' });
  await app.register(peopleRoutes, { prefix: '/api/v1' });
  await app.register(trustRoutes, { prefix: '/api/v1' });
  await app.register(charterRoutes, { prefix: '/api/v1' });
  await registerRealtime(app);
  return app;
}
