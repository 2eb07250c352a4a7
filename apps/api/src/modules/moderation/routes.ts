import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  AppError,
  AuditList,
  CursorQuery,
  FlagCreateBody,
  FlagCreated,
  IdParams,
  Problem,
  ReviewBody,
  ReviewQueue,
  ReviewResult,
  SlugParams,
  ThreadDetail,
  ThreadMoveBody,
} from '@praxis/contracts';
import { ensure, ensureReadable } from '../../policy.js';
import { findCommunityBySlug } from '../communities/queries.js';
import { userRef } from '../people/queries.js';
import { getThreadDetail, loadPost, loadThread } from '../threads/queries.js';
import { listAudit } from './audit.js';
import { flagPost, moveThread, reviewPost, setThreadLocked } from './commands.js';
import { findUserById, getReviewQueue, presentFlag } from './queries.js';

/** Flags, the review queue, thread moderation (lock, move) and the audit log. */
export const moderationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const cache = app.threadCache;

  app.post(
    '/posts/:id/flags',
    {
      schema: {
        tags: ['moderation'],
        summary: 'Flag a post for the community’s moderators (once per post)',
        params: IdParams,
        body: FlagCreateBody,
        response: { 201: FlagCreated, '4xx': Problem },
      },
    },
    async (request, reply) => {
      const viewer = request.viewer;
      const { post, thread, ref } = await loadPost(app.deps, viewer, request.params.id);
      ensure(viewer, 'post.flag', ref);
      const flag = await flagPost(app.deps, viewer, post, thread.thread, request.body);
      const me = await findUserById(app.deps, viewer.id);
      const flagger = me ? { id: me.id, username: me.username, displayName: me.displayName, trustLevel: me.trustLevel } : null;
      return reply.status(201).send({ flag: presentFlag(flag, flagger, null), message: 'Thanks — the moderators will review this post.' });
    },
  );

  app.get(
    '/communities/:slug/review',
    {
      schema: {
        tags: ['moderation'],
        summary: 'The review queue: flagged posts with their flag history, and held posts (leaders and moderators)',
        params: SlugParams,
        querystring: CursorQuery,
        response: { 200: ReviewQueue, '4xx': Problem },
      },
    },
    async (request) => {
      const community = await findCommunityBySlug(app.deps, request.params.slug);
      ensure(request.viewer, 'community.review', community);
      return getReviewQueue(app.deps, community, request.query);
    },
  );

  app.post(
    '/posts/:id/review',
    {
      schema: {
        tags: ['moderation'],
        summary: 'Resolve a post in the review queue: approve, hide, delete, suspend its author, or dismiss its flags',
        params: IdParams,
        body: ReviewBody,
        response: { 200: ReviewResult, '4xx': Problem },
      },
    },
    async (request) => {
      const viewer = request.viewer;
      const { post, thread, ref } = await loadPost(app.deps, viewer, request.params.id);
      ensure(viewer, 'post.review', ref);
      const author = post.authorId !== null ? await findUserById(app.deps, post.authorId) : undefined;
      if (request.body.action === 'suspend') {
        if (!author)
          throw new AppError('VALIDATION_FAILED', 'This post has no author to suspend', { action: 'the author’s account is gone' });
        ensure(viewer, 'user.suspend', { user: userRef(author), community: thread.ref.community });
      }
      const resolvedFlags = await reviewPost(app.deps, viewer, post, thread.thread, author ?? null, request.body);
      cache.invalidate(thread.thread.id);
      return { postId: post.id, action: request.body.action, resolvedFlags };
    },
  );

  for (const locked of [true, false]) {
    app.post(
      `/threads/:id/${locked ? 'lock' : 'unlock'}`,
      {
        schema: {
          tags: ['moderation'],
          summary: locked ? 'Lock a thread: no more replies except from moderators' : 'Unlock a thread',
          params: IdParams,
          response: { 200: ThreadDetail, '4xx': Problem },
        },
      },
      async (request) => {
        const viewer = request.viewer;
        const { thread, ref } = await loadThread(app.deps, viewer, request.params.id);
        ensure(viewer, 'thread.lock', ref);
        await setThreadLocked(app.deps, viewer, thread, locked);
        cache.invalidate(thread.id);
        return getThreadDetail(app.deps, viewer, thread.id, {});
      },
    );
  }

  app.post(
    '/threads/:id/move',
    {
      schema: {
        tags: ['moderation'],
        summary: 'Move a thread to another community (moderators of both)',
        params: IdParams,
        body: ThreadMoveBody,
        response: { 200: ThreadDetail, '4xx': Problem },
      },
    },
    async (request) => {
      const viewer = request.viewer;
      const { thread, ref, community } = await loadThread(app.deps, viewer, request.params.id);
      ensure(viewer, 'thread.move', ref);
      const from = await findCommunityBySlug(app.deps, community.slug);
      const to = await findCommunityBySlug(app.deps, request.body.community);
      ensureReadable(viewer, 'community.read', to);
      ensure(viewer, 'thread.move', { ...ref, community: { id: to.id, visibility: to.visibility } });
      await moveThread(app.deps, viewer, thread, from, to);
      cache.invalidate(thread.id);
      return getThreadDetail(app.deps, viewer, thread.id, {});
    },
  );

  app.get(
    '/communities/:slug/audit',
    {
      schema: {
        tags: ['moderation'],
        summary: 'The community’s moderation log, newest first (leaders, moderators, admins)',
        params: SlugParams,
        querystring: CursorQuery,
        response: { 200: AuditList, '4xx': Problem },
      },
    },
    async (request) => {
      const community = await findCommunityBySlug(app.deps, request.params.slug);
      ensure(request.viewer, 'community.audit', community);
      return listAudit(app.deps, community.id, request.query);
    },
  );

  app.get(
    '/admin/audit',
    {
      schema: {
        tags: ['moderation'],
        summary: 'The whole site’s audit log, newest first (admins)',
        querystring: CursorQuery,
        response: { 200: AuditList, '4xx': Problem },
      },
    },
    async (request) => {
      ensure(request.viewer, 'site.audit', null);
      return listAudit(app.deps, null, request.query);
    },
  );
};
