import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import type { AppOptions } from './context.js';
import { authRoutes } from './modules/auth/routes.js';
import { communityRoutes } from './modules/communities/routes.js';
import { expertRoutes } from './modules/experts/routes.js';
import { healthRoutes } from './modules/health/routes.js';
import { postRoutes } from './modules/posts/routes.js';
import { ThreadReadCache } from './modules/threads/read-cache.js';
import { threadRoutes } from './modules/threads/routes.js';
import { notificationRoutes } from './modules/notifications/routes.js';
import { pipelineRoutes } from './modules/pipeline/routes.js';
import { searchRoutes } from './modules/search/routes.js';
import { userRoutes } from './modules/users/routes.js';
import { registerAuth } from './plugins/auth.js';
import { registerRealtime } from './realtime/index.js';
import { registerErrorHandling } from './plugins/errors.js';
import { validatorCompiler } from './plugins/validation.js';

export type App = FastifyInstance;

/** The URL with the values of secret-bearing query parameters (token, the unsubscribe token) replaced. */
export function redactSecrets(url: string): string {
  return url.replace(/([?&](?:token|access_token)=)[^&#]*/gi, '$1[redacted]');
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { config, database } = options;
  const app = Fastify({
    logger: {
      level: options.logLevel ?? config.logLevel,
      // Stream clients that cannot set headers pass ?token=…; a token must never reach the logs.
      serializers: {
        req: (request: { method: string; url: string; ip?: string }) => ({ method: request.method, url: redactSecrets(request.url), remoteAddress: request.ip }),
      },
      ...(options.prettyLogs && { transport: { target: 'pino-pretty', options: { translateTime: 'HH:MM:ss', ignore: 'pid,hostname,reqId' } } }),
    },
    bodyLimit: 256 * 1024,
    trustProxy: ['127.0.0.1', '::1'],
    routerOptions: { ignoreTrailingSlash: true },
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);

  app.decorate('config', config);
  app.decorate('database', database);
  app.decorate('searchIndex', options.search);
  app.decorate('bus', options.bus);
  app.decorate('deps', { db: database.db, clock: options.clock ?? { now: () => new Date() } });

  app.decorate('threadCache', new ThreadReadCache());
  registerErrorHandling(app);
  await app.register(cookie);
  await app.register(rateLimit, { global: false, keyGenerator: (request) => request.ip });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Praxis API', version: '0.1.0', description: 'REST API of Praxis, a forum for communities of practice. Errors are application/problem+json.' },
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
  await app.register(healthRoutes, { prefix: '/api/v1' });
  await app.register(authRoutes, { prefix: '/api/v1' });
  await app.register(communityRoutes, { prefix: '/api/v1' });
  await app.register(threadRoutes, { prefix: '/api/v1' });
  await app.register(postRoutes, { prefix: '/api/v1' });
  await app.register(userRoutes, { prefix: '/api/v1' });
  await app.register(searchRoutes, { prefix: '/api/v1' });
  await app.register(notificationRoutes, { prefix: '/api/v1' });
  await app.register(expertRoutes, { prefix: '/api/v1' });
  await app.register(pipelineRoutes, { prefix: '/api/v1' });
  await registerRealtime(app);
  return app;
}
