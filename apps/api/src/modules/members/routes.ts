import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { MemberList, MemberListQuery, Problem, SlugParams } from '@praxis/contracts';
import { ensureReadable } from '../../policy.js';
import { findCommunityBySlug } from '../communities/queries.js';
import { listMembers } from './queries.js';

export const memberRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/communities/:slug/members',
    {
      schema: {
        tags: ['communities'],
        summary: 'A community’s members with their role and participation level (newcomer … leader), highest level first',
        params: SlugParams,
        querystring: MemberListQuery,
        response: { 200: MemberList, '4xx': Problem },
      },
    },
    async (request) => {
      const community = await findCommunityBySlug(app.deps, request.params.slug);
      ensureReadable(request.viewer, 'community.read', community);
      return listMembers(app.deps, community, request.query);
    },
  );
};
