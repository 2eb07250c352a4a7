import { AppError, type SearchQuery, type SearchResults, type SimilarThreads } from '@praxis/contracts';
import { communityReadableBy, and, communities, inArray, threads, threadListedForAll } from '@praxis/db';
import { normalizeTag, type Viewer } from '@praxis/domain';
import type { SearchIndex } from '@praxis/search';
import type { Deps } from '../../context.js';
import { decodeIdCursor } from '../threads/cursor.js';
import { communityNotFound } from '../../policy.js';

type CommunityLabel = { id: number; slug: string; name: string };

/** The communities this viewer may read: the permission filter every search query carries. */
async function readableCommunityLabels(deps: Deps, viewer: Viewer | null): Promise<Map<number, CommunityLabel>> {
  const rows = await deps.db
    .select({ id: communities.id, slug: communities.slug, name: communities.name })
    .from(communities)
    .where(communityReadableBy(viewer));
  return new Map(rows.map((r) => [r.id, r]));
}

function communityBySlug(readable: Map<number, CommunityLabel>, slug: string | undefined): number | undefined {
  if (slug === undefined) return undefined;
  const found = [...readable.values()].find((c) => c.slug === slug.toLowerCase());
  if (!found) throw communityNotFound(slug);
  return found.id;
}

async function engine<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    throw new AppError(
      'SEARCH_UNAVAILABLE',
      `Search is unavailable right now (${error instanceof Error ? error.message : 'unknown error'}); try again in a moment`,
    );
  }
}

/**
 * Hits are re-read from the database: a thread deleted or held (or moved out of reach) since it was indexed
 * is dropped here even before the index catches up.
 */
async function liveThreads(deps: Deps, ids: number[], readable: Map<number, CommunityLabel>) {
  if (ids.length === 0) return new Map<number, typeof threads.$inferSelect>();
  const rows = await deps.db
    .select()
    .from(threads)
    .where(and(inArray(threads.id, ids), threadListedForAll));
  return new Map(rows.filter((t) => readable.has(t.communityId)).map((t) => [t.id, t]));
}

export async function searchThreads(deps: Deps, index: SearchIndex, viewer: Viewer | null, query: SearchQuery): Promise<SearchResults> {
  const readable = await readableCommunityLabels(deps, viewer);
  const limit = query.limit ?? 20;
  const offset = decodeIdCursor(query.cursor) ?? 0;
  const communityId = communityBySlug(readable, query.community);
  const result = await engine(
    index.search({
      q: query.q,
      readableCommunityIds: [...readable.keys()],
      ...(communityId !== undefined && { communityId }),
      ...(query.tag !== undefined && { tag: normalizeTag(query.tag) }),
      ...(query.status !== undefined && { status: query.status }),
      limit,
      offset,
    }),
  );
  const live = await liveThreads(
    deps,
    result.hits.map((h) => h.id),
    readable,
  );
  const items = result.hits.flatMap((hit) => {
    const thread = live.get(hit.id);
    const community = thread && readable.get(thread.communityId);
    if (!thread || !community) return [];
    return [
      {
        thread: {
          id: thread.id,
          title: thread.title,
          status: thread.status,
          replyCount: thread.replyCount,
          tags: thread.tags,
          lastActivityAt: thread.lastActivityAt.toISOString(),
        },
        community: { slug: community.slug, name: community.name },
        titleHtml: hit.titleHtml,
        snippetHtml: hit.snippetHtml,
      },
    ];
  });
  const facet = (counts: Record<string, number>, label: (value: string) => string | undefined) =>
    Object.entries(counts)
      .flatMap(([value, count]) => {
        const text = label(value);
        return text === undefined || count === 0 ? [] : [{ value, label: text, count }];
      })
      .sort((a, b) => b.count - a.count || a.label.localeCompare(b.label))
      .slice(0, 20);
  return {
    items,
    total: result.total,
    nextCursor: offset + limit < result.total ? String(offset + limit) : null,
    facets: {
      communities: facet(result.facets.communityId, (id) => readable.get(Number(id))?.name).map((f) => ({
        ...f,
        value: readable.get(Number(f.value))!.slug,
      })),
      tags: facet(result.facets.tags, (tag) => tag),
      status: facet(result.facets.status, (status) => status),
    },
  };
}

export async function similarThreads(
  deps: Deps,
  index: SearchIndex,
  viewer: Viewer | null,
  query: { title: string; body?: string | undefined; community?: string | undefined; limit?: number | undefined },
): Promise<SimilarThreads> {
  const readable = await readableCommunityLabels(deps, viewer);
  const communityId = communityBySlug(readable, query.community);
  const hits = await engine(
    index.similar({
      title: query.title,
      ...(query.body !== undefined && { body: query.body }),
      readableCommunityIds: [...readable.keys()],
      ...(communityId !== undefined && { communityId }),
      limit: query.limit ?? 5,
    }),
  );
  const live = await liveThreads(
    deps,
    hits.map((h) => h.id),
    readable,
  );
  return {
    items: hits.flatMap((hit) => {
      const thread = live.get(hit.id);
      const community = thread && readable.get(thread.communityId);
      return thread && community
        ? [
            {
              id: thread.id,
              title: thread.title,
              status: thread.status,
              replyCount: thread.replyCount,
              community: { slug: community.slug, name: community.name },
            },
          ]
        : [];
    }),
  };
}
