import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AppError, IdParams, Ok, Post, PostEditBody, PostHideBody, Problem, RevisionList, VoteResult } from '@praxis/contracts';
import { can } from '@praxis/domain';
import { ensure, ensureReadable } from '../../policy.js';
import { loadPost, presentSinglePost } from '../threads/queries.js';
import { deletePost, editPost, setPostHidden, unvotePost, votePost } from './commands.js';
import { listRevisions } from './queries.js';

export const postRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const cache = app.threadCache;

  app.get(
    '/posts/:id',
    { schema: { tags: ['posts'], summary: 'One post', params: IdParams, response: { 200: Post, '4xx': Problem } } },
    (request) => presentSinglePost(app.deps, request.viewer, request.params.id),
  );

  app.patch(
    '/posts/:id',
    {
      schema: {
        tags: ['posts'],
        summary: 'Edit a post; the old text stays in its history',
        params: IdParams,
        body: PostEditBody,
        response: { 200: Post, '4xx': Problem },
      },
    },
    async (request) => {
      const viewer = request.viewer;
      const { post, thread, ref } = await loadPost(app.deps, viewer, request.params.id);
      ensure(viewer, 'post.edit', ref);
      await editPost(app.deps, viewer, post, thread.thread, request.body);
      cache.invalidate(thread.thread.id);
      return presentSinglePost(app.deps, viewer, post.id);
    },
  );

  app.get(
    '/posts/:id/revisions',
    {
      schema: { tags: ['posts'], summary: 'The edit history of a post', params: IdParams, response: { 200: RevisionList, '4xx': Problem } },
    },
    async (request) => {
      const { post, ref } = await loadPost(app.deps, request.viewer, request.params.id);
      ensureReadable(request.viewer, 'post.history', ref);
      // A deleted post's words are gone for readers; only those who could moderate it still see its history.
      if (post.deletedAt && !can(request.viewer, 'thread.moderate', ref.thread)) throw new AppError('NOT_FOUND');
      return { postId: post.id, items: await listRevisions(app.deps, post.id) };
    },
  );

  app.post(
    '/posts/:id/hide',
    {
      schema: {
        tags: ['posts'],
        summary: 'Hide or unhide a post (moderators)',
        params: IdParams,
        body: PostHideBody,
        response: { 200: Post, '4xx': Problem },
      },
    },
    async (request) => {
      const viewer = request.viewer;
      const { post, thread, ref } = await loadPost(app.deps, viewer, request.params.id);
      ensure(viewer, 'post.hide', ref);
      await setPostHidden(app.deps, viewer, post, thread.thread, request.body.hidden);
      cache.invalidate(thread.thread.id);
      return presentSinglePost(app.deps, viewer, post.id);
    },
  );

  app.delete(
    '/posts/:id',
    {
      schema: {
        tags: ['posts'],
        summary: 'Delete a post (author or moderator); deleting the opening post deletes the thread',
        params: IdParams,
        response: { 200: Ok, '4xx': Problem },
      },
    },
    async (request) => {
      const viewer = request.viewer;
      const { post, thread, ref } = await loadPost(app.deps, viewer, request.params.id);
      ensure(viewer, 'post.delete', ref);
      await deletePost(app.deps, viewer, post, thread.thread);
      cache.invalidate(thread.thread.id);
      return { ok: true };
    },
  );

  app.post(
    '/posts/:id/vote',
    { schema: { tags: ['posts'], summary: 'Upvote a post (idempotent)', params: IdParams, response: { 200: VoteResult, '4xx': Problem } } },
    async (request) => {
      const viewer = request.viewer;
      const { post, thread, ref } = await loadPost(app.deps, viewer, request.params.id);
      if (viewer && post.authorId === viewer.id) throw new AppError('CANNOT_VOTE_OWN_POST');
      ensure(viewer, 'post.vote', ref);
      const score = await votePost(app.deps, viewer, post);
      cache.invalidate(thread.thread.id);
      return { postId: post.id, score, viewerVoted: true };
    },
  );

  app.delete(
    '/posts/:id/vote',
    { schema: { tags: ['posts'], summary: 'Remove your vote', params: IdParams, response: { 200: VoteResult, '4xx': Problem } } },
    async (request) => {
      const viewer = request.viewer;
      const { post, thread, ref } = await loadPost(app.deps, viewer, request.params.id);
      if (viewer && post.authorId === viewer.id) throw new AppError('CANNOT_VOTE_OWN_POST');
      ensure(viewer, 'post.vote', ref);
      const score = await unvotePost(app.deps, viewer, post);
      cache.invalidate(thread.thread.id);
      return { postId: post.id, score, viewerVoted: false };
    },
  );
};
