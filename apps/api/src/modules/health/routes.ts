import { Health, Problem } from '@praxis/contracts';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { sendProblem } from '../../plugins/errors.js';

export const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/health', { schema: { tags: ['system'], summary: 'The process is alive', response: { 200: Health } } }, () => ({
    status: 'ok',
  }));

  app.get(
    '/ready',
    { schema: { tags: ['system'], summary: 'The database answers', response: { 200: Health, 503: Problem } } },
    async (request, reply) => {
      try {
        await app.database.ping();
        return { status: 'ready' };
      } catch (err) {
        request.log.warn({ err }, 'readiness check failed');
        return sendProblem(reply, 'UNAVAILABLE', 'The database is not reachable');
      }
    },
  );
};
