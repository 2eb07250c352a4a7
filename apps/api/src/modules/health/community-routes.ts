import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AppError, CommunityHealth, HealthQuery, Problem, SlugParams } from '@praxis/contracts';
import { resolveHealthPeriod, type HealthPeriod } from '@praxis/domain';
import { Type } from 'typebox';
import { ensure } from '../../policy.js';
import { findCommunityBySlug } from '../communities/queries.js';
import { healthCsv, healthCsvFilename } from './csv.js';
import { communityHealth } from './queries.js';

/** The community health dashboard: the figures as JSON, and the weekly series with the worklist as CSV. */
export const communityHealthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = app.deps;
  const tags = ['health'];

  const period = (query: { from?: string | undefined; to?: string | undefined }): HealthPeriod => {
    const result = resolveHealthPeriod(query, deps.clock.now());
    if (!result.ok) throw new AppError('VALIDATION_FAILED', Object.values(result.errors).join('; '), result.errors);
    return result.period;
  };

  const report = async (
    slug: string,
    viewer: Parameters<typeof ensure>[0],
    query: { from?: string | undefined; to?: string | undefined },
  ) => {
    const community = await findCommunityBySlug(deps, slug);
    ensure(viewer, 'community.health.view', community);
    return communityHealth(deps, community, period(query));
  };

  app.get(
    '/communities/:slug/health',
    {
      schema: {
        tags,
        summary:
          'How a community is doing over a period (leaders, moderators, admins): questions, answers, time to answer, the 48-hour worklist, newcomer retention, expert load and coverage, participation movement, guides',
        params: SlugParams,
        querystring: HealthQuery,
        response: { 200: CommunityHealth, '4xx': Problem },
      },
    },
    (request) => report(request.params.slug, request.viewer, request.query),
  );

  app.get(
    '/communities/:slug/health.csv',
    {
      schema: {
        tags,
        summary: 'The health dashboard’s weekly series and unanswered worklist as CSV',
        params: SlugParams,
        querystring: HealthQuery,
        produces: ['text/csv'],
        response: { 200: Type.String({ description: 'text/csv: the weekly series, a blank line, the worklist' }), '4xx': Problem },
      },
    },
    async (request, reply) => {
      const data = await report(request.params.slug, request.viewer, request.query);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${healthCsvFilename(data)}"`)
        .header('cache-control', 'private, no-store')
        .send(healthCsv(data, app.config.publicOrigin));
    },
  );
};
