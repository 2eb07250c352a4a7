import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  IdParams,
  PostsAfter,
  PostsAfterQuery,
  Problem,
  ReadMarksBody,
  ThreadDetailQuery,
  ThreadPage,
  UnreadCount,
} from '@praxis/contracts';
import { requireViewer } from '../../policy.js';
import { rememberFor } from '../auth/credential-cache.js';
import { unreadCount } from '../notifications/queries.js';
import { recordReads } from '../reading/commands.js';
import { postsAfter, threadPage } from './thread-page.js';

/** Page read models (one call per page, no writes) and the one batched write a reader makes. */
export const pageRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = app.deps;
  const problems = { '4xx': Problem };

  app.get(
    '/threads/:id/page',
    {
      schema: {
        tags: ['pages'],
        summary:
          'Everything the thread page shows, in one read: the thread and a page of its posts, the accepted answer, the viewer’s watch level, matching, guides, move targets and unread count. Never writes.',
        params: IdParams,
        querystring: ThreadDetailQuery,
        response: { 200: ThreadPage, ...problems },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      if (request.viewer) return threadPage(deps, request.viewer, id, request.query, app.threadCache, rememberFor(request.credential));
      // Anonymous: the same cache as the anonymous thread JSON (invalidated by every write to the thread, and by the bus).
      const pageKey = `page|${request.query.cursor ?? ''}|${request.query.limit ?? ''}`;
      let json = app.threadCache.get<Buffer>(id, pageKey, Date.now());
      if (json === undefined) {
        const version = app.threadCache.version();
        json = Buffer.from(JSON.stringify(await threadPage(deps, null, id, request.query, app.threadCache, rememberFor(null))));
        app.threadCache.set(id, pageKey, json, Date.now(), version);
      }
      return reply.type('application/json; charset=utf-8').send(json as never);
    },
  );

  app.get(
    '/threads/:id/posts',
    {
      schema: {
        tags: ['pages'],
        summary: 'The posts after a number that you may see: what an open page fetches when a post is added',
        params: IdParams,
        querystring: PostsAfterQuery,
        response: { 200: PostsAfter, ...problems },
      },
    },
    (request) => postsAfter(deps, request.viewer, request.params.id, request.query.after, request.query.limit, app.threadCache),
  );

  app.post(
    '/me/reads',
    {
      schema: {
        tags: ['pages'],
        summary:
          'Record what you were shown: each thread’s read position, its notifications read, your expert match seen (one batch, sent after a page renders)',
        body: ReadMarksBody,
        response: { 200: UnreadCount, ...problems },
      },
    },
    async (request) => {
      const viewer = requireViewer(request.viewer);
      await recordReads(deps, viewer, request.body.items);
      return { unreadCount: await unreadCount(deps, viewer.id) };
    },
  );
};
