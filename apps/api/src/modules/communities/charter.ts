import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AppError, CharterDiff, CharterDiffQuery, CharterRevisionList, Problem, SlugParams } from '@praxis/contracts';
import { and, charterRevisions, desc, eq, inArray, users } from '@praxis/db';
import { diffCharter } from '@praxis/domain';
import type { Deps } from '../../context.js';
import { ensureReadable } from '../../policy.js';
import { userBits } from '../threads/queries.js';
import { findCommunityBySlug } from './queries.js';

async function revisions(deps: Deps, communityId: number, only?: number[]) {
  const rows = await deps.db
    .select({ rev: charterRevisions, editor: userBits })
    .from(charterRevisions)
    .leftJoin(users, eq(users.id, charterRevisions.editorId))
    .where(and(eq(charterRevisions.communityId, communityId), only ? inArray(charterRevisions.revision, only) : undefined))
    .orderBy(desc(charterRevisions.revision));
  return rows.map((r) => ({
    revision: r.rev.revision,
    editor: r.editor && r.editor.id !== null ? r.editor : null,
    createdAt: r.rev.createdAt.toISOString(),
    charter: r.rev.charter,
    size: r.rev.charter.length,
  }));
}

/** The charter's history: every revision (who, when, the text) and a line diff between any two. */
export const charterRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/communities/:slug/charter/revisions',
    {
      schema: {
        tags: ['communities'],
        summary: 'Every version of the charter, newest first',
        params: SlugParams,
        response: { 200: CharterRevisionList, '4xx': Problem },
      },
    },
    async (request) => {
      const community = await findCommunityBySlug(app.deps, request.params.slug);
      ensureReadable(request.viewer, 'community.charter.history', community);
      return {
        community: { slug: community.slug, name: community.name },
        current: community.charterRevision,
        items: await revisions(app.deps, community.id),
      };
    },
  );

  app.get(
    '/communities/:slug/charter/diff',
    {
      schema: {
        tags: ['communities'],
        summary: 'What changed in the charter between two revisions',
        params: SlugParams,
        querystring: CharterDiffQuery,
        response: { 200: CharterDiff, '4xx': Problem },
      },
    },
    async (request) => {
      const community = await findCommunityBySlug(app.deps, request.params.slug);
      ensureReadable(request.viewer, 'community.charter.history', community);
      const { from, to } = request.query;
      const found = await revisions(app.deps, community.id, [from, to]);
      const a = found.find((r) => r.revision === from);
      const b = found.find((r) => r.revision === to);
      if (!a || !b) throw new AppError('NOT_FOUND', `No revision ${!a ? from : to} of this charter`);
      return { from: a, to: b, parts: diffCharter(a.charter, b.charter) };
    },
  );
};
