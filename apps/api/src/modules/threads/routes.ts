import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  IdParams,
  Post,
  PostCreateBody,
  Problem,
  SolutionBody,
  SolutionResult,
  ThreadCreateBody,
  ThreadDetail,
  ThreadDetailQuery,
  ThreadList,
  ThreadListQuery,
  ThreadUpdateBody,
} from '@praxis/contracts';
import { ensure } from '../../policy.js';
import { findCommunityBySlug } from '../communities/queries.js';
import { acceptSolution, createThread, editThread, loadReplyTarget, presentReply, replyToThread, unacceptSolution } from './commands.js';
import { ensureThreadEditable, getThreadDetail, listThreads, loadThread } from './queries.js';

export const threadRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const cache = app.threadCache;

  app.get(
    '/threads',
    {
      schema: {
        tags: ['threads'],
        summary: 'Threads you can see, filtered and paginated',
        querystring: ThreadListQuery,
        response: { 200: ThreadList, '4xx': Problem },
      },
    },
    (request) => listThreads(app.deps, request.viewer, request.query),
  );

  app.post(
    '/threads',
    {
      schema: {
        tags: ['threads'],
        summary: 'Ask a question or start a discussion',
        body: ThreadCreateBody,
        response: { 201: ThreadDetail, '4xx': Problem },
      },
    },
    async (request, reply) => {
      const community = await findCommunityBySlug(app.deps, request.body.community);
      const viewer = request.viewer;
      ensure(viewer, 'thread.create', community);
      const thread = await createThread(app.deps, viewer, community, request.body);
      return reply.status(201).send(await getThreadDetail(app.deps, viewer, thread.id, {}));
    },
  );

  app.get(
    '/threads/:id',
    {
      schema: {
        tags: ['threads'],
        summary: 'A thread with a page of its posts',
        params: IdParams,
        querystring: ThreadDetailQuery,
        response: { 200: ThreadDetail, '4xx': Problem },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      // Reads never write: read positions, notifications read and "match seen" are POST /api/v1/me/reads.
      if (request.viewer) return getThreadDetail(app.deps, request.viewer, id, request.query, cache);
      const pageKey = `${request.query.cursor ?? ''}|${request.query.limit ?? ''}`;
      let json = cache.get<Buffer>(id, pageKey, Date.now());
      if (json === undefined) {
        const version = cache.version();
        json = Buffer.from(JSON.stringify(await getThreadDetail(app.deps, null, id, request.query, cache)));
        cache.set(id, pageKey, json, Date.now(), version);
      }
      // A Buffer payload skips Fastify's serializer and the encoding: the cached bytes go out as they are.
      return reply.type('application/json; charset=utf-8').send(json as never);
    },
  );

  app.patch(
    '/threads/:id',
    {
      schema: {
        tags: ['threads'],
        summary: 'Change the title or tags (whoever may edit the opening post)',
        params: IdParams,
        body: ThreadUpdateBody,
        response: { 200: ThreadDetail, '4xx': Problem },
      },
    },
    async (request) => {
      const viewer = request.viewer;
      const { thread, openingRef } = await ensureThreadEditable(app.deps, viewer, request.params.id);
      ensure(viewer, 'post.edit', openingRef);
      await editThread(app.deps, viewer, thread, request.body);
      cache.invalidate(thread.id);
      return getThreadDetail(app.deps, viewer, thread.id, {});
    },
  );

  app.post(
    '/threads/:id/posts',
    {
      schema: {
        tags: ['posts'],
        summary: 'Reply to a thread (optionally to one of its posts)',
        params: IdParams,
        body: PostCreateBody,
        response: { 201: Post, '4xx': Problem },
      },
    },
    async (request, reply) => {
      const viewer = request.viewer;
      // One query loads the thread and everything the reply's checks need; the answer is built from the inserted row.
      const target = await loadReplyTarget(app.deps, viewer, request.params.id, request.body.replyToId);
      ensure(viewer, 'thread.reply', target.ref);
      const post = await replyToThread(app.deps, viewer, target, request.body);
      cache.invalidate(target.thread.id);
      return reply.status(201).send(presentReply(viewer, target, post));
    },
  );

  app.post(
    '/threads/:id/solution',
    {
      schema: {
        tags: ['threads'],
        summary: 'Accept a reply as the solution (asker or moderator); replaces any earlier one',
        params: IdParams,
        body: SolutionBody,
        response: { 200: SolutionResult, '4xx': Problem },
      },
    },
    async (request) => {
      const viewer = request.viewer;
      const { thread, ref } = await loadThread(app.deps, viewer, request.params.id);
      ensure(viewer, 'thread.accept', ref);
      await acceptSolution(app.deps, viewer, thread, request.body.postId);
      cache.invalidate(thread.id);
      const after = await loadThread(app.deps, viewer, thread.id);
      return { threadId: thread.id, solutionPostId: after.thread.solutionPostId, status: after.thread.status };
    },
  );

  app.delete(
    '/threads/:id/solution',
    {
      schema: {
        tags: ['threads'],
        summary: 'Clear the accepted solution',
        params: IdParams,
        response: { 200: SolutionResult, '4xx': Problem },
      },
    },
    async (request) => {
      const viewer = request.viewer;
      const { thread, ref } = await loadThread(app.deps, viewer, request.params.id);
      ensure(viewer, 'thread.accept', ref);
      await unacceptSolution(app.deps, viewer, thread);
      cache.invalidate(thread.id);
      const after = await loadThread(app.deps, viewer, thread.id);
      return { threadId: thread.id, solutionPostId: after.thread.solutionPostId, status: after.thread.status };
    },
  );
};
