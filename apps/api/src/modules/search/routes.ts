import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Problem, SearchQuery, SearchResults, SimilarQuery, SimilarThreads } from '@praxis/contracts';
import { searchThreads, similarThreads } from './queries.js';

export const searchRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/search',
    {
      schema: {
        tags: ['search'],
        summary: 'Search threads the viewer may read, with highlighted snippets and facets',
        querystring: SearchQuery,
        response: { 200: SearchResults, '4xx': Problem, 503: Problem },
      },
    },
    (request) => searchThreads(app.deps, app.searchIndex, request.viewer, request.query),
  );

  app.get(
    '/threads/similar',
    {
      schema: {
        tags: ['search'],
        summary: 'Threads similar to a question being written (for the ask page)',
        querystring: SimilarQuery,
        response: { 200: SimilarThreads, '4xx': Problem, 503: Problem },
      },
    },
    (request) => similarThreads(app.deps, app.searchIndex, request.viewer, request.query),
  );
};
