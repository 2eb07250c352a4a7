import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  Guide,
  GuideCreateBody,
  GuideDiff,
  GuideDiffQuery,
  GuideLibrary,
  GuideLibraryQuery,
  GuidePreview,
  GuidePreviewBody,
  GuideRestoreBody,
  GuideRevisionList,
  GuideSearchQuery,
  GuideSearchResults,
  GuideSettingsBody,
  GuideSimilarQuery,
  GuideSourcesBody,
  GuideUpdateBody,
  IdParams,
  Problem,
  SlugParams,
  ThreadGuides,
} from '@praxis/contracts';
import { renderMarkdown } from '@praxis/domain';
import { ensure, ensureReadable, requireViewer } from '../../policy.js';
import { findCommunityBySlug } from '../communities/queries.js';
import { loadThread } from '../threads/queries.js';
import {
  addGuideSources,
  approveGuide,
  createGuide,
  restoreGuideRevision,
  submitGuide,
  updateGuide,
  updateGuideSettings,
  verifyGuide,
} from './commands.js';
import {
  guideDiff,
  guideLibrary,
  listRevisions,
  loadGuide,
  loadRevision,
  presentGuide,
  searchGuides,
  similarGuides,
  threadGuides,
} from './queries.js';

/** Guides: curated, versioned articles built from the best answers (draft → in review → published, then kept fresh). */
export const guideRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = app.deps;
  const problems = { '4xx': Problem };
  const tags = ['guides'];
  /** Loads the guide again after a write: the presenter shows the new state and abilities. */
  const fresh = async (viewer: Parameters<typeof presentGuide>[1], id: number) =>
    presentGuide(deps, viewer, await loadGuide(deps, viewer, id));

  app.post(
    '/guides',
    {
      schema: {
        tags,
        summary: 'Start a draft guide from one or more answers (leaders and moderators): each is quoted, linked and credited',
        body: GuideCreateBody,
        response: { 201: Guide, ...problems },
      },
    },
    async (request, reply) => {
      const viewer = request.viewer;
      const community = await findCommunityBySlug(deps, request.body.community);
      ensure(viewer, 'guide.create', community);
      const row = await createGuide(deps, viewer, community, request.body);
      return reply.status(201).send(await fresh(viewer, row.id));
    },
  );

  app.post(
    '/guides/preview',
    {
      schema: {
        tags,
        summary: 'Render guide markdown the way it will be published (sanitized HTML), for the editor’s preview',
        body: GuidePreviewBody,
        response: { 200: GuidePreview, ...problems },
      },
    },
    (request) => {
      requireViewer(request.viewer);
      return { html: renderMarkdown(request.body.body) };
    },
  );

  // Registered before /guides/:id so "search" and "similar" are never read as ids.
  app.get(
    '/guides/search',
    {
      schema: {
        tags,
        summary: 'Search published guides the viewer may read',
        querystring: GuideSearchQuery,
        response: { 200: GuideSearchResults, ...problems, 503: Problem },
      },
    },
    (request) => searchGuides(deps, app.guideIndex, request.viewer, request.query),
  );

  app.get(
    '/guides/similar',
    {
      schema: {
        tags,
        summary: 'Published guides close to a question being written ("There is a guide for this")',
        querystring: GuideSimilarQuery,
        response: { 200: GuideSearchResults, ...problems, 503: Problem },
      },
    },
    (request) => similarGuides(deps, app.guideIndex, request.viewer, request.query),
  );

  app.get(
    '/guides/:id',
    {
      schema: {
        tags,
        summary: 'A guide with its status, sources, revision and abilities',
        params: IdParams,
        response: { 200: Guide, ...problems },
      },
    },
    async (request) => presentGuide(deps, request.viewer, await loadGuide(deps, request.viewer, request.params.id)),
  );

  app.patch(
    '/guides/:id',
    {
      schema: {
        tags,
        summary: 'Save a new revision (title, body, tags)',
        params: IdParams,
        body: GuideUpdateBody,
        response: { 200: Guide, ...problems },
      },
    },
    async (request) => {
      const viewer = requireViewer(request.viewer);
      const loaded = await loadGuide(deps, viewer, request.params.id);
      ensure(viewer, 'guide.edit', loaded.ref);
      await updateGuide(deps, viewer, loaded, request.body);
      return fresh(viewer, loaded.guide.id);
    },
  );

  app.post(
    '/guides/:id/sources',
    {
      schema: {
        tags,
        summary: 'Add answers (from other threads of the community) to a guide: credited, and quoted at the end of a new revision',
        params: IdParams,
        body: GuideSourcesBody,
        response: { 200: Guide, ...problems },
      },
    },
    async (request) => {
      const viewer = requireViewer(request.viewer);
      const loaded = await loadGuide(deps, viewer, request.params.id);
      ensure(viewer, 'guide.edit', loaded.ref);
      await addGuideSources(deps, viewer, loaded, request.body.postIds);
      return fresh(viewer, loaded.guide.id);
    },
  );

  const step = (path: string, summary: string, action: 'guide.submit' | 'guide.approve' | 'guide.verify', run: typeof submitGuide) =>
    app.post(path, { schema: { tags, summary, params: IdParams, response: { 200: Guide, ...problems } } }, async (request) => {
      const viewer = requireViewer(request.viewer);
      const loaded = await loadGuide(deps, viewer, request.params.id);
      ensure(viewer, action, loaded.ref);
      await run(deps, viewer, loaded);
      return fresh(viewer, loaded.guide.id);
    });
  step('/guides/:id/submit', 'Send a draft to review', 'guide.submit', submitGuide);
  step(
    '/guides/:id/approve',
    'Approve and publish a guide in review (a second leader or moderator, unless the community allows self-publish)',
    'guide.approve',
    approveGuide,
  );
  step(
    '/guides/:id/verify',
    'Confirm a published guide is still right (its owner or a leader): the review date moves on',
    'guide.verify',
    verifyGuide,
  );

  app.get(
    '/guides/:id/revisions',
    {
      schema: { tags, summary: 'Every saved revision, newest first', params: IdParams, response: { 200: GuideRevisionList, ...problems } },
    },
    async (request) => listRevisions(deps, await loadGuide(deps, request.viewer, request.params.id)),
  );

  app.get(
    '/guides/:id/diff',
    {
      schema: {
        tags,
        summary: 'A readable diff between two revisions (unchanged, added and removed segments)',
        params: IdParams,
        querystring: GuideDiffQuery,
        response: { 200: GuideDiff, ...problems },
      },
    },
    async (request) => guideDiff(deps, await loadGuide(deps, request.viewer, request.params.id), request.query.from, request.query.to),
  );

  app.post(
    '/guides/:id/restore',
    {
      schema: {
        tags,
        summary: 'Restore an old revision (as a new revision with its content)',
        params: IdParams,
        body: GuideRestoreBody,
        response: { 200: Guide, ...problems },
      },
    },
    async (request) => {
      const viewer = requireViewer(request.viewer);
      const loaded = await loadGuide(deps, viewer, request.params.id);
      ensure(viewer, 'guide.restore', loaded.ref);
      const old = await loadRevision(deps, loaded.guide.id, request.body.revision);
      await restoreGuideRevision(deps, viewer, loaded, old);
      return fresh(viewer, loaded.guide.id);
    },
  );

  app.get(
    '/communities/:slug/guides',
    {
      schema: {
        tags,
        summary: 'The guide library of a community, by tag: published guides, and drafts and guides in review for its leaders',
        params: SlugParams,
        querystring: GuideLibraryQuery,
        response: { 200: GuideLibrary, ...problems },
      },
    },
    async (request) => {
      const community = await findCommunityBySlug(deps, request.params.slug);
      ensureReadable(request.viewer, 'community.read', community);
      return guideLibrary(deps, request.viewer, community, request.query);
    },
  );

  app.put(
    '/communities/:slug/guide-settings',
    {
      schema: {
        tags,
        summary: 'Whether leaders may publish their own guides without a second approval (leaders and moderators)',
        params: SlugParams,
        body: GuideSettingsBody,
        response: { 200: GuideLibrary, ...problems },
      },
    },
    async (request) => {
      const community = await findCommunityBySlug(deps, request.params.slug);
      const viewer = request.viewer;
      ensure(viewer, 'community.edit', community);
      await updateGuideSettings(deps, viewer, community, request.body.selfPublish);
      return guideLibrary(deps, viewer, await findCommunityBySlug(deps, request.params.slug), {});
    },
  );

  app.get(
    '/threads/:id/guides',
    {
      schema: {
        tags,
        summary: 'Guides that cite answers of this thread (published ones; drafts too for who may read them)',
        params: IdParams,
        response: { 200: ThreadGuides, ...problems },
      },
    },
    async (request) => {
      const { ref } = await loadThread(deps, request.viewer, request.params.id);
      return threadGuides(deps, request.viewer, ref.id);
    },
  );
};
