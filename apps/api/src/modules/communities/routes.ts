import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Community, CommunityCreateBody, CommunityList, CommunityUpdateBody, Ok, Problem, SlugParams } from '@praxis/contracts';
import type { Viewer } from '@praxis/domain';
import { ensure, ensureReadable } from '../../policy.js';
import { viewerForUser } from '../auth/load-viewer.js';
import { createCommunity, joinCommunity, leaveCommunity, updateCommunity } from './commands.js';
import { findCommunityBySlug, findUserRow, listCommunities, presentCommunity } from './queries.js';

export const communityRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const refreshed = async (viewer: Viewer): Promise<Viewer> => {
    const user = await findUserRow(app.deps, viewer.id);
    return user ? viewerForUser(app.deps, user) : viewer;
  };

  app.get(
    '/communities',
    { schema: { tags: ['communities'], summary: 'Communities you can see', response: { 200: CommunityList } } },
    async (request) => ({
      items: await listCommunities(app.deps, request.viewer),
    }),
  );

  app.post(
    '/communities',
    {
      schema: {
        tags: ['communities'],
        summary: 'Create a community (admins)',
        body: CommunityCreateBody,
        response: { 201: Community, '4xx': Problem },
      },
    },
    async (request, reply) => {
      const viewer = request.viewer;
      ensure(viewer, 'community.create', null);
      const row = await createCommunity(app.deps, viewer, request.body);
      return reply.status(201).send(await presentCommunity(app.deps, row, await refreshed(viewer)));
    },
  );

  app.get(
    '/communities/:slug',
    {
      schema: {
        tags: ['communities'],
        summary: 'A community with its charter and leaders',
        params: SlugParams,
        response: { 200: Community, '4xx': Problem },
      },
    },
    async (request) => {
      const row = await findCommunityBySlug(app.deps, request.params.slug);
      ensureReadable(request.viewer, 'community.read', row);
      return presentCommunity(app.deps, row, request.viewer);
    },
  );

  app.patch(
    '/communities/:slug',
    {
      schema: {
        tags: ['communities'],
        summary: 'Edit name, description or charter (leaders and moderators)',
        params: SlugParams,
        body: CommunityUpdateBody,
        response: { 200: Community, '4xx': Problem },
      },
    },
    async (request) => {
      const row = await findCommunityBySlug(app.deps, request.params.slug);
      const viewer = request.viewer;
      ensure(viewer, 'community.edit', row);
      await updateCommunity(app.deps, viewer, row, request.body);
      return presentCommunity(app.deps, await findCommunityBySlug(app.deps, row.slug), viewer);
    },
  );

  app.post(
    '/communities/:slug/join',
    {
      schema: {
        tags: ['communities'],
        summary: 'Join a public community',
        params: SlugParams,
        response: { 200: Community, '4xx': Problem },
      },
    },
    async (request) => {
      const row = await findCommunityBySlug(app.deps, request.params.slug);
      const viewer = request.viewer;
      ensure(viewer, 'community.join', row);
      await joinCommunity(app.deps, viewer, row);
      return presentCommunity(app.deps, await findCommunityBySlug(app.deps, row.slug), await refreshed(viewer));
    },
  );

  app.post(
    '/communities/:slug/leave',
    { schema: { tags: ['communities'], summary: 'Leave a community', params: SlugParams, response: { 200: Ok, '4xx': Problem } } },
    async (request) => {
      const row = await findCommunityBySlug(app.deps, request.params.slug);
      const viewer = request.viewer;
      ensure(viewer, 'community.leave', row);
      await leaveCommunity(app.deps, viewer, row);
      return { ok: true };
    },
  );
};
