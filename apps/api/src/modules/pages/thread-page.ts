import { AppError, type Post, type PostsAfter, type ThreadPage } from '@praxis/contracts';
import { can, type Viewer } from '@praxis/domain';
import type { Deps } from '../../context.js';
import type { Remember } from '../auth/credential-cache.js';
import { findCommunityBySlug, listCommunities } from '../communities/queries.js';
import { threadMatching } from '../experts/queries.js';
import { guideLibrary, threadGuides } from '../guides/queries.js';
import { unreadCount, watchState } from '../notifications/queries.js';
import { encodeCursor } from '../threads/cursor.js';
import { getThreadDetail, loadThread, presentSinglePost } from '../threads/queries.js';
import type { ThreadReadCache } from '../threads/read-cache.js';

/** A post that is gone or not readable for this viewer is left out of a page instead of failing it. */
const unlessNotFound = <T>(promise: Promise<T>): Promise<T | null> =>
  promise.catch((error: unknown) => {
    if (error instanceof AppError && error.code === 'NOT_FOUND') return null;
    throw error;
  });

/**
 * Everything the thread page shows, for one viewer: the thread and its posts cut from the thread's shared snapshot (see
 * `ThreadSnapshot`: posts, matches, cited guides), the viewer's own values (watch level, unread count) remembered with
 * their cached credential, and what only curators see read on each visit. Reads only.
 */
export async function threadPage(
  deps: Deps,
  viewer: Viewer | null,
  threadId: number,
  page: { cursor?: string | undefined; limit?: number | undefined },
  cache: ThreadReadCache,
  remember: Remember,
): Promise<ThreadPage> {
  const { thread, community, ref, snapshot } = await loadThread(deps, viewer, threadId, cache);
  const curate = can(viewer, 'thread.moderate', ref);
  const [detail, watch, matching, cited, library, communities, unread] = await Promise.all([
    getThreadDetail(deps, viewer, threadId, page, cache),
    viewer
      ? remember(`watch:thread:${threadId}`, () => watchState(deps, viewer.id, { type: 'thread', threadId, authorId: thread.authorId }))
      : Promise.resolve(null),
    viewer ? threadMatching(deps, viewer, thread, ref, snapshot?.matches) : Promise.resolve(null),
    threadGuides(deps, viewer, threadId, snapshot?.guides),
    curate ? findCommunityBySlug(deps, community.slug).then((row) => guideLibrary(deps, viewer, row, {})) : Promise.resolve(null),
    curate ? listCommunities(deps, viewer) : Promise.resolve([]),
    viewer ? remember('unread', () => unreadCount(deps, viewer.id)) : Promise.resolve(null),
  ]);
  const onPage: Post | undefined = detail.posts.find((p) => p.isSolution);
  // The accepted answer shows at the top even when it is on another page of posts.
  const solution = onPage ?? (thread.solutionPostId ? await unlessNotFound(presentSinglePost(deps, viewer, thread.solutionPostId)) : null);
  return {
    thread: detail,
    solution,
    solutionOnPage: onPage !== undefined,
    watch,
    matching,
    guides: {
      cited: cited.items,
      drafts: (library?.items ?? []).filter((g) => g.status !== 'published' && g.status !== 'archived'),
      canCurate: library?.abilities.create ?? false,
    },
    moveTargets: communities.map((c) => ({ slug: c.slug, name: c.name })),
    unreadCount: unread,
  };
}

/** The posts after number `after` that this viewer may see: what an open page fetches when told a post was added. */
export async function postsAfter(
  deps: Deps,
  viewer: Viewer | null,
  threadId: number,
  after: number,
  limit: number | undefined,
  cache: ThreadReadCache,
): Promise<PostsAfter> {
  const detail = await getThreadDetail(deps, viewer, threadId, { cursor: encodeCursor([after]), limit }, cache);
  return { items: detail.posts, more: detail.nextCursor !== null, totalPosts: detail.totalPosts };
}
