import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  CommunityRoleBody,
  CommunityRoleResult,
  MemberParams,
  Problem,
  SiteRoleBody,
  SuspendBody,
  UserModeration,
  UserParams,
} from '@praxis/contracts';
import { ensure } from '../../policy.js';
import { findCommunityBySlug } from '../communities/queries.js';
import { futureDate } from '../moderation/audit.js';
import { setCommunityRole, setSiteRole, suspendUser, unsuspendUser } from './commands.js';
import { findUser, presentUserModeration, userRef } from './queries.js';

/** People: site roles, community leadership, suspensions. */
export const peopleRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/users/:username/moderation',
    {
      schema: {
        tags: ['people'],
        summary: 'A member’s role and suspension, with what you may change (staff)',
        params: UserParams,
        response: { 200: UserModeration, '4xx': Problem },
      },
    },
    async (request) => presentUserModeration(app.deps, request.viewer, await findUser(app.deps, request.params.username)),
  );

  app.put(
    '/users/:username/role',
    {
      schema: {
        tags: ['people'],
        summary: 'Set a member’s site role: member, moderator or admin (admins)',
        params: UserParams,
        body: SiteRoleBody,
        response: { 200: UserModeration, '4xx': Problem },
      },
    },
    async (request) => {
      const viewer = request.viewer;
      const user = await findUser(app.deps, request.params.username);
      ensure(viewer, 'user.role.assign', userRef(user));
      await setSiteRole(app.deps, viewer, user, request.body.role);
      return presentUserModeration(app.deps, viewer, await findUser(app.deps, user.username));
    },
  );

  app.put(
    '/communities/:slug/members/:username/role',
    {
      schema: {
        tags: ['people'],
        summary: 'Make a member a leader, moderator or plain member of a community (admins)',
        params: MemberParams,
        body: CommunityRoleBody,
        response: { 200: CommunityRoleResult, '4xx': Problem },
      },
    },
    async (request) => {
      const viewer = request.viewer;
      const community = await findCommunityBySlug(app.deps, request.params.slug);
      ensure(viewer, 'community.role.assign', community);
      const user = await findUser(app.deps, request.params.username);
      await setCommunityRole(app.deps, viewer, community, user, request.body.role);
      return { community: community.slug, username: user.username, role: request.body.role };
    },
  );

  app.post(
    '/users/:username/suspend',
    {
      schema: {
        tags: ['people'],
        summary: 'Suspend a member until a date, with a reason: they can read, not write (staff)',
        params: UserParams,
        body: SuspendBody,
        response: { 200: UserModeration, '4xx': Problem },
      },
    },
    async (request) => {
      const viewer = request.viewer;
      const user = await findUser(app.deps, request.params.username);
      ensure(viewer, 'user.suspend', { user: userRef(user), community: null });
      const until = futureDate(request.body.until, app.deps.clock.now());
      await suspendUser(app.deps, viewer, user, { until, reason: request.body.reason.trim() });
      return presentUserModeration(app.deps, viewer, await findUser(app.deps, user.username));
    },
  );

  app.post(
    '/users/:username/unsuspend',
    {
      schema: {
        tags: ['people'],
        summary: 'Lift a suspension (staff)',
        params: UserParams,
        response: { 200: UserModeration, '4xx': Problem },
      },
    },
    async (request) => {
      const viewer = request.viewer;
      const user = await findUser(app.deps, request.params.username);
      ensure(viewer, 'user.unsuspend', { user: userRef(user), community: null });
      await unsuspendUser(app.deps, viewer, user);
      return presentUserModeration(app.deps, viewer, await findUser(app.deps, user.username));
    },
  );
};
