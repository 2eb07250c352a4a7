import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Problem, TrustSettings, TrustSettingsBody } from '@praxis/contracts';
import { ensure } from '../../policy.js';
import { saveTrustSettings } from './commands.js';
import { getTrustSettings } from './queries.js';

export const trustRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const present = () => getTrustSettings(app.deps);

  app.get(
    '/admin/trust',
    {
      schema: {
        tags: ['trust'],
        summary: 'Trust-level thresholds and newcomer (TL0) limits (admins)',
        response: { 200: TrustSettings, '4xx': Problem },
      },
    },
    async (request) => {
      ensure(request.viewer, 'trust.edit', null);
      return present();
    },
  );

  app.put(
    '/admin/trust',
    {
      schema: {
        tags: ['trust'],
        summary: 'Change the thresholds or TL0 limits; every member’s level is recomputed (admins)',
        body: TrustSettingsBody,
        response: { 200: TrustSettings, '4xx': Problem },
      },
    },
    async (request) => {
      const viewer = request.viewer;
      ensure(viewer, 'trust.edit', null);
      await saveTrustSettings(app.deps, viewer, request.body);
      return present();
    },
  );
};
