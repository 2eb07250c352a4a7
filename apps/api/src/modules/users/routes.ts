import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Problem, UserParams, UserProfile } from '@praxis/contracts';
import { loadUserProfile } from './queries.js';

export const userRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/users/:username',
    {
      schema: {
        tags: ['users'],
        summary: 'A member’s profile with their questions and answers',
        params: UserParams,
        response: { 200: UserProfile, '4xx': Problem },
      },
    },
    async (request) => loadUserProfile(app.deps, request.viewer, request.params.username),
  );
};
