import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  CommunityMatchingSettings,
  DeclinedMatch,
  DeclineMatchBody,
  ExpertiseSettings,
  ExpertiseSettingsBody,
  IdParams,
  MatchedQuestionList,
  MatchedQuestionQuery,
  MatchingSettingsBody,
  Problem,
  SlugParams,
  ThreadMatching,
} from '@praxis/contracts';
import { ensure, ensureReadable, requireViewer } from '../../policy.js';
import { findCommunityBySlug } from '../communities/queries.js';
import { loadThread } from '../threads/queries.js';
import { declineMatch, updateCommunityMatchingSettings, updateExpertiseSettings } from './commands.js';
import { expertiseSettings, listMatchedQuestions, loadViewerMatch, presentMatchingSettings, threadMatching } from './queries.js';

export const expertRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = app.deps;
  const problems = { '4xx': Problem };
  const tags = ['experts'];

  app.get(
    '/me/expertise',
    {
      schema: {
        tags,
        summary: 'How and where you are matched to questions as an expert',
        response: { 200: ExpertiseSettings, ...problems },
      },
    },
    (request) => {
      const viewer = request.viewer;
      ensure(viewer, 'expertise.edit', null);
      return expertiseSettings(deps, viewer.id);
    },
  );

  app.put(
    '/me/expertise',
    {
      schema: {
        tags,
        summary:
          'Change your expert-matching preferences: weekly cap, quiet hours, and per community in / out / default with wanted and muted tags',
        body: ExpertiseSettingsBody,
        response: { 200: ExpertiseSettings, ...problems },
      },
    },
    async (request) => {
      const viewer = request.viewer;
      ensure(viewer, 'expertise.edit', null);
      await updateExpertiseSettings(deps, viewer, request.body);
      return expertiseSettings(deps, viewer.id);
    },
  );

  app.get(
    '/me/matches',
    {
      schema: {
        tags,
        summary: 'Questions for you: open questions you were asked to answer, newest first',
        querystring: MatchedQuestionQuery,
        response: { 200: MatchedQuestionList, ...problems },
      },
    },
    (request) => {
      const viewer = request.viewer;
      ensure(viewer, 'match.list', null);
      return listMatchedQuestions(deps, viewer, request.query);
    },
  );

  app.post(
    '/threads/:id/match/decline',
    {
      schema: {
        tags,
        summary: 'Decline a question you were asked to answer (the next expert is asked)',
        params: IdParams,
        body: DeclineMatchBody,
        response: { 200: DeclinedMatch, ...problems },
      },
    },
    async (request) => {
      const viewer = requireViewer(request.viewer);
      const { ref } = await loadThread(deps, viewer, request.params.id);
      const match = await loadViewerMatch(deps, viewer, ref.id);
      ensure(viewer, 'match.decline', { expertId: match.expertId, thread: ref });
      const declined = await declineMatch(deps, viewer, match, request.body.reason);
      return {
        matchId: declined.id,
        state: declined.state,
        declineReason: request.body.reason,
        respondedAt: (declined.respondedAt ?? deps.clock.now()).toISOString(),
      };
    },
  );

  app.get(
    '/threads/:id/matching',
    {
      schema: {
        tags,
        summary: 'Who was asked to answer a question: your own match, the asker’s summary, the leaders’ table',
        params: IdParams,
        response: { 200: ThreadMatching, ...problems },
      },
    },
    async (request) => {
      const { thread, ref } = await loadThread(deps, request.viewer, request.params.id);
      return threadMatching(deps, request.viewer, thread, ref);
    },
  );

  app.get(
    '/communities/:slug/matching',
    {
      schema: {
        tags,
        summary: 'How a community matches questions to experts',
        params: SlugParams,
        response: { 200: CommunityMatchingSettings, ...problems },
      },
    },
    async (request) => {
      const community = await findCommunityBySlug(deps, request.params.slug);
      ensureReadable(request.viewer, 'community.read', community);
      return presentMatchingSettings(deps, request.viewer, community);
    },
  );

  app.put(
    '/communities/:slug/matching',
    {
      schema: {
        tags,
        summary: 'Change how a community matches questions to experts (leaders and moderators)',
        params: SlugParams,
        body: MatchingSettingsBody,
        response: { 200: CommunityMatchingSettings, ...problems },
      },
    },
    async (request) => {
      const community = await findCommunityBySlug(deps, request.params.slug);
      const viewer = request.viewer;
      ensure(viewer, 'community.matching.edit', community);
      await updateCommunityMatchingSettings(deps, viewer, community, request.body);
      return presentMatchingSettings(deps, viewer, community);
    },
  );
};
