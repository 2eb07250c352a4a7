import {
  AppError,
  type Guide,
  type GuideDiff,
  type GuideLibrary,
  type GuideRevisionList,
  type GuideSearchResults,
  type GuideSummary,
  type ThreadGuides,
  type UserSummary,
} from '@praxis/contracts';
import {
  communityReadableBy,
  and,
  asc,
  communities,
  desc,
  eq,
  guideRevisions,
  guides,
  guideSources,
  inArray,
  lt,
  ne,
  or,
  posts,
  sql,
  threads,
  users,
  type SQL,
} from '@praxis/db';
import { can, canStepGuide, diffGuideRevisions, guidePostPath, normalizeTag, type GuideRef, type Viewer } from '@praxis/domain';
import type { SearchIndex } from '@praxis/search';
import type { Deps } from '../../context.js';
import { decodeIdCursor } from '../threads/cursor.js';
import { communityNotFound } from '../../policy.js';

export type GuideRow = typeof guides.$inferSelect;
export type GuideCommunity = { id: number; slug: string; name: string; visibility: 'public' | 'private'; guideSelfPublish: boolean };

const communityBits = {
  id: communities.id,
  slug: communities.slug,
  name: communities.name,
  visibility: communities.visibility,
  guideSelfPublish: communities.guideSelfPublish,
};

export const guideRef = (g: GuideRow, c: GuideCommunity): GuideRef => ({
  id: g.id,
  status: g.status,
  createdBy: g.createdBy,
  submittedBy: g.submittedBy,
  ownerId: g.ownerId,
  community: { id: c.id, visibility: c.visibility, guideSelfPublish: c.guideSelfPublish },
});

/** A guide with its community, or NOT_FOUND when it does not exist or the viewer may not read it. */
export async function loadGuide(deps: Deps, viewer: Viewer | null, guideId: number) {
  const [row] = await deps.db
    .select({ guide: guides, community: communityBits })
    .from(guides)
    .innerJoin(communities, eq(communities.id, guides.communityId))
    .where(and(eq(guides.id, guideId), sql`${guides.deletedAt} is null`))
    .limit(1);
  if (!row) throw new AppError('NOT_FOUND', `No guide ${guideId}`);
  const ref = guideRef(row.guide, row.community);
  if (!can(viewer, 'guide.read', ref)) throw new AppError('NOT_FOUND', `No guide ${guideId}`);
  return { ...row, ref };
}
export type LoadedGuide = Awaited<ReturnType<typeof loadGuide>>;

async function usersById(deps: Deps, ids: (number | null)[]): Promise<Map<number, UserSummary>> {
  const wanted = [...new Set(ids.filter((id): id is number => id !== null))];
  if (wanted.length === 0) return new Map();
  const rows = await deps.db
    .select({ id: users.id, username: users.username, displayName: users.displayName, trustLevel: users.trustLevel })
    .from(users)
    .where(inArray(users.id, wanted));
  return new Map(rows.map((u) => [u.id, u]));
}

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

export function summarizeGuide(g: GuideRow, c: { slug: string; name: string }): GuideSummary {
  return {
    id: g.id,
    title: g.title,
    status: g.status,
    community: { slug: c.slug, name: c.name },
    tags: g.tags,
    revision: g.revision,
    verifiedAt: iso(g.verifiedAt),
    publishedAt: iso(g.publishedAt),
    updatedAt: g.updatedAt.toISOString(),
  };
}

export async function presentGuide(
  deps: Deps,
  viewer: Viewer | null,
  loaded: { guide: GuideRow; community: GuideCommunity },
): Promise<Guide> {
  const { guide: g, community: c } = loaded;
  const ref = guideRef(g, c);
  const sources = await deps.db
    .select({
      source: guideSources,
      post: { id: posts.id, number: posts.number },
      thread: { id: threads.id, title: threads.title, solutionPostId: threads.solutionPostId },
    })
    .from(guideSources)
    .innerJoin(posts, eq(posts.id, guideSources.postId))
    .innerJoin(threads, eq(threads.id, guideSources.threadId))
    .where(eq(guideSources.guideId, g.id))
    .orderBy(asc(guideSources.position));
  const people = await usersById(deps, [
    g.createdBy,
    g.ownerId,
    g.submittedBy,
    g.approvedBy,
    g.verifiedBy,
    ...sources.map((s) => s.source.authorId),
  ]);
  const person = (id: number | null) => (id === null ? null : (people.get(id) ?? null));
  const step = (
    action: 'guide.edit' | 'guide.submit' | 'guide.approve' | 'guide.verify' | 'guide.restore',
    s: Parameters<typeof canStepGuide>[1],
  ) => can(viewer, action, ref) && canStepGuide(g.status, s);
  return {
    ...summarizeGuide(g, c),
    body: g.body,
    html: g.html,
    sources: sources.map((s) => ({
      post: {
        id: s.post.id,
        number: s.post.number,
        accepted: s.thread.solutionPostId === s.post.id,
        url: guidePostPath(s.thread.id, s.post.id),
      },
      thread: { id: s.thread.id, title: s.thread.title },
      author: person(s.source.authorId),
      addedAt: s.source.addedAt.toISOString(),
    })),
    createdBy: person(g.createdBy),
    owner: person(g.ownerId),
    submittedBy: person(g.submittedBy),
    approvedBy: person(g.approvedBy),
    verifiedBy: person(g.verifiedBy),
    submittedAt: iso(g.submittedAt),
    reviewDueAt: iso(g.reviewDueAt),
    createdAt: g.createdAt.toISOString(),
    abilities: {
      edit: step('guide.edit', 'edit'),
      submit: step('guide.submit', 'submit'),
      approve: step('guide.approve', 'approve'),
      verify: step('guide.verify', 'verify'),
      restore: step('guide.restore', 'restore'),
    },
  };
}

export async function listRevisions(deps: Deps, loaded: LoadedGuide): Promise<GuideRevisionList> {
  const rows = await deps.db
    .select()
    .from(guideRevisions)
    .where(eq(guideRevisions.guideId, loaded.guide.id))
    .orderBy(desc(guideRevisions.revision));
  const people = await usersById(
    deps,
    rows.map((r) => r.editorId),
  );
  return {
    items: rows.map((r) => ({
      revision: r.revision,
      title: r.title,
      editor: r.editorId === null ? null : (people.get(r.editorId) ?? null),
      note: r.note,
      createdAt: r.createdAt.toISOString(),
      current: r.revision === loaded.guide.revision,
    })),
  };
}

export async function loadRevision(deps: Deps, guideId: number, revision: number) {
  const [row] = await deps.db
    .select()
    .from(guideRevisions)
    .where(and(eq(guideRevisions.guideId, guideId), eq(guideRevisions.revision, revision)));
  if (!row) throw new AppError('NOT_FOUND', `Guide ${guideId} has no revision ${revision}`);
  return row;
}

export async function guideDiff(deps: Deps, loaded: LoadedGuide, from: number, to: number): Promise<GuideDiff> {
  const [a, b] = await Promise.all([loadRevision(deps, loaded.guide.id, from), loadRevision(deps, loaded.guide.id, to)]);
  return { from, to, ...diffGuideRevisions(a, b) };
}

/**
 * SQL condition: guides this viewer may read, mirroring 'guide.read' for lists: published ones in
 * readable communities, plus unpublished ones where the viewer leads or moderates, or that they created.
 */
export function readableGuides(viewer: Viewer | null): SQL {
  const published = and(eq(guides.status, 'published'), communityReadableBy(viewer))!;
  if (!viewer) return published;
  if (viewer.role === 'admin' || viewer.role === 'moderator') return sql`true`;
  const led = [...viewer.memberships.entries()].filter(([, role]) => role === 'leader' || role === 'moderator').map(([id]) => id);
  return or(published, eq(guides.createdBy, viewer.id), led.length > 0 ? inArray(guides.communityId, led) : undefined)!;
}

export async function guideLibrary(
  deps: Deps,
  viewer: Viewer | null,
  community: GuideCommunity,
  query: { tag?: string | undefined; cursor?: string | undefined; limit?: number | undefined },
): Promise<GuideLibrary> {
  const limit = query.limit ?? 20;
  const afterId = decodeIdCursor(query.cursor);
  const tag = query.tag === undefined ? undefined : normalizeTag(query.tag);
  const visible = and(
    eq(guides.communityId, community.id),
    sql`${guides.deletedAt} is null`,
    ne(guides.status, 'archived'),
    readableGuides(viewer),
  );
  const rows = await deps.db
    .select()
    .from(guides)
    .innerJoin(communities, eq(communities.id, guides.communityId))
    .where(and(visible, tag ? sql`${tag} = any(${guides.tags})` : undefined, afterId !== null ? lt(guides.id, afterId) : undefined))
    .orderBy(desc(guides.id))
    .limit(limit + 1);
  const tagRows = await deps.db
    .select({ name: sql<string>`t.tag`, count: sql<number>`count(*)::int` })
    .from(sql`${guides} cross join lateral unnest(${guides.tags}) as t(tag)`)
    .innerJoin(communities, eq(communities.id, guides.communityId))
    .where(visible)
    .groupBy(sql`t.tag`)
    .orderBy(sql`count(*) desc`, sql`t.tag`);
  const page = rows.slice(0, limit);
  return {
    community: { slug: community.slug, name: community.name },
    items: page.map((r) => summarizeGuide(r.guides, r.communities)),
    tags: tagRows,
    nextCursor: rows.length > limit ? String(page[page.length - 1]!.guides.id) : null,
    abilities: { create: can(viewer, 'guide.create', community), settings: can(viewer, 'community.edit', community) },
    selfPublish: community.guideSelfPublish,
  };
}

/** Guides that cite a post of this thread: published ones, plus drafts for who may read them. */
/** The guides that cite a thread (not archived), with their communities, before the viewer's filter. */
export function threadGuideRows(deps: Deps, threadId: number) {
  return deps.db
    .selectDistinct({ guide: guides, community: communityBits })
    .from(guideSources)
    .innerJoin(guides, eq(guides.id, guideSources.guideId))
    .innerJoin(communities, eq(communities.id, guides.communityId))
    .where(and(eq(guideSources.threadId, threadId), sql`${guides.deletedAt} is null`, ne(guides.status, 'archived')))
    .orderBy(asc(guides.id));
}
export type ThreadGuideRow = Awaited<ReturnType<typeof threadGuideRows>>[number];

/** The guides citing a thread that the viewer may read; `loaded` is the thread's rows when already at hand (a thread snapshot). */
export async function threadGuides(deps: Deps, viewer: Viewer | null, threadId: number, loaded?: ThreadGuideRow[]): Promise<ThreadGuides> {
  const rows = loaded ?? (await threadGuideRows(deps, threadId));
  return {
    items: rows.filter((r) => can(viewer, 'guide.read', guideRef(r.guide, r.community))).map((r) => summarizeGuide(r.guide, r.community)),
  };
}

async function searchEngine<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    throw new AppError(
      'SEARCH_UNAVAILABLE',
      `Search is unavailable right now (${error instanceof Error ? error.message : 'unknown error'}); try again in a moment`,
    );
  }
}

async function readableScope(deps: Deps, viewer: Viewer | null, slug: string | undefined) {
  const readable = await deps.db
    .select({ id: communities.id, slug: communities.slug, name: communities.name })
    .from(communities)
    .where(communityReadableBy(viewer));
  const byId = new Map(readable.map((c) => [c.id, c]));
  if (slug === undefined) return { byId, communityId: undefined };
  const found = readable.find((c) => c.slug === slug.toLowerCase());
  if (!found) throw communityNotFound(slug);
  return { byId, communityId: found.id };
}

/**
 * Hits re-read from the database and re-checked with the policy: a guide unpublished or moved out of
 * reach since it was indexed never reaches the viewer, even before the index catches up.
 */
async function liveGuides(deps: Deps, viewer: Viewer | null, ids: number[]) {
  if (ids.length === 0) return new Map<number, { guide: GuideRow; community: GuideCommunity }>();
  const rows = await deps.db
    .select({ guide: guides, community: communityBits })
    .from(guides)
    .innerJoin(communities, eq(communities.id, guides.communityId))
    .where(and(inArray(guides.id, ids), eq(guides.status, 'published'), sql`${guides.deletedAt} is null`));
  return new Map(rows.filter((r) => can(viewer, 'guide.read', guideRef(r.guide, r.community))).map((r) => [r.guide.id, r]));
}

export async function searchGuides(
  deps: Deps,
  index: SearchIndex,
  viewer: Viewer | null,
  query: { q: string; community?: string | undefined; limit?: number | undefined },
): Promise<GuideSearchResults> {
  const scope = await readableScope(deps, viewer, query.community);
  const result = await searchEngine(
    index.search({
      q: query.q,
      readableCommunityIds: [...scope.byId.keys()],
      ...(scope.communityId !== undefined && { communityId: scope.communityId }),
      limit: query.limit ?? 5,
      offset: 0,
    }),
  );
  const live = await liveGuides(
    deps,
    viewer,
    result.hits.map((h) => h.id),
  );
  return {
    items: result.hits.flatMap((hit) => {
      const row = live.get(hit.id);
      return row
        ? [
            {
              id: row.guide.id,
              title: row.guide.title,
              community: { slug: row.community.slug, name: row.community.name },
              verifiedAt: iso(row.guide.verifiedAt),
              snippetHtml: hit.snippetHtml,
            },
          ]
        : [];
    }),
  };
}

export async function similarGuides(
  deps: Deps,
  index: SearchIndex,
  viewer: Viewer | null,
  query: { title: string; body?: string | undefined; community?: string | undefined; limit?: number | undefined },
): Promise<GuideSearchResults> {
  const scope = await readableScope(deps, viewer, query.community);
  const hits = await searchEngine(
    index.similar({
      title: query.title,
      ...(query.body !== undefined && { body: query.body }),
      readableCommunityIds: [...scope.byId.keys()],
      ...(scope.communityId !== undefined && { communityId: scope.communityId }),
      limit: query.limit ?? 3,
    }),
  );
  const live = await liveGuides(
    deps,
    viewer,
    hits.map((h) => h.id),
  );
  return {
    items: hits.flatMap((hit) => {
      const row = live.get(hit.id);
      return row
        ? [
            {
              id: row.guide.id,
              title: row.guide.title,
              community: { slug: row.community.slug, name: row.community.name },
              verifiedAt: iso(row.guide.verifiedAt),
              snippetHtml: '',
            },
          ]
        : [];
    }),
  };
}
