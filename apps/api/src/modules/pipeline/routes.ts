import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AppError, DeadLetterList, IdParams, Ok, PipelineStatus, Problem } from '@praxis/contracts';
import { ensure } from '../../policy.js';
import { requestReindex, requestRetry } from './commands.js';
import { findDeadLetter, listDeadLetters, pipelineCounts } from './queries.js';

/** Operating the pipeline: backlog, dead letters and their retry, rebuilding the search index. Admins only. */
export const pipelineRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const problems = { '4xx': Problem };

  app.get(
    '/admin/pipeline',
    {
      schema: {
        tags: ['admin'],
        summary: 'Outbox backlog, search index state and dead letters',
        response: { 200: PipelineStatus, ...problems },
      },
    },
    async (request) => {
      ensure(request.viewer, 'site.operate', null);
      const { outbox, stale, dead } = await pipelineCounts(app.deps);
      const documents = await app.searchIndex.count().catch(() => -1);
      return {
        outbox: { pending: outbox?.pending ?? 0, oldestPendingAt: outbox?.oldest ? new Date(outbox.oldest).toISOString() : null },
        search: { engine: app.searchIndex.kind, documents, threadsToIndex: stale?.n ?? 0 },
        deadLetters: dead?.n ?? 0,
      };
    },
  );

  app.get(
    '/admin/dead-letters',
    { schema: { tags: ['admin'], summary: 'Jobs that failed on every attempt', response: { 200: DeadLetterList, ...problems } } },
    async (request) => {
      ensure(request.viewer, 'site.operate', null);
      const rows = await listDeadLetters(app.deps);
      return {
        items: rows.map((r) => ({
          id: r.id,
          queue: r.queue,
          jobName: r.jobName,
          jobId: r.jobId,
          error: r.error,
          attempts: r.attempts,
          failedAt: r.failedAt.toISOString(),
          retriedAt: r.retriedAt?.toISOString() ?? null,
          retryCount: r.retryCount,
        })),
      };
    },
  );

  app.post(
    '/admin/dead-letters/:id/retry',
    {
      schema: {
        tags: ['admin'],
        summary: 'Run a failed job again (the worker picks it up)',
        params: IdParams,
        response: { 202: Ok, ...problems },
      },
    },
    async (request, reply) => {
      const viewer = request.viewer;
      ensure(viewer, 'site.operate', null);
      const letter = await findDeadLetter(app.deps, request.params.id);
      if (!letter) throw new AppError('NOT_FOUND', `No dead letter ${request.params.id}`);
      if (letter.retriedAt)
        throw new AppError('VALIDATION_FAILED', 'This job was already retried; if it fails again it comes back here', {
          id: 'already retried',
        });
      await requestRetry(app.deps, letter.id, viewer.id);
      return reply.code(202).send({ ok: true });
    },
  );

  app.post(
    '/admin/search/reindex',
    {
      schema: {
        tags: ['admin'],
        summary: 'Rebuild the search index from the database (runs in the worker)',
        response: { 202: Ok, ...problems },
      },
    },
    async (request, reply) => {
      const viewer = request.viewer;
      ensure(viewer, 'site.operate', null);
      await requestReindex(app.deps, viewer.id);
      return reply.code(202).send({ ok: true });
    },
  );
};
