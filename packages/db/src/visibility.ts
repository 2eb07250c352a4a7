import { excerpt, type Viewer } from '@praxis/domain';
import { and, asc, eq, inArray, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from './client.js';
import { communities, posts, threads } from './schema.js';

/*
 * The visibility rules, once, as SQL. The policy (`can` in @praxis/domain) is the source of truth: each
 * predicate here answers the same question for a whole query that `can` answers for one row, and
 * visibility.test.ts checks them against each other on every combination. Queries that show posts,
 * threads or counts of them to a person, or act on "visible" content in the worker, use these and never
 * spell out `deleted_at`/`hidden_at`/`held_at` themselves.
 *
 * The predicates name columns of `posts`, `threads` and `communities` as they are (no aliases): a query
 * using a thread predicate joins `communities` on `threads.community_id`, and a post predicate also joins
 * `threads` on `posts.thread_id`.
 */

const isStaff = (viewer: Viewer | null): boolean => viewer !== null && (viewer.role === 'moderator' || viewer.role === 'admin');

/** Communities whose held and hidden content the viewer sees: leaders and moderators of them ('all' for site staff). */
export function moderatedCommunityIds(viewer: Viewer | null): number[] | 'all' {
  if (isStaff(viewer)) return 'all';
  return viewer ? [...viewer.memberships].filter(([, role]) => role === 'leader' || role === 'moderator').map(([id]) => id) : [];
}

/** `threads.community_id` is one the viewer moderates. */
function inModeratedCommunity(viewer: Viewer | null): SQL | undefined {
  const ids = moderatedCommunityIds(viewer);
  if (ids === 'all') return sql`true`;
  return ids.length > 0 ? inArray(threads.communityId, ids) : undefined;
}

const byViewer = (column: typeof posts.authorId | typeof threads.authorId, viewer: Viewer | null): SQL | undefined =>
  viewer ? eq(column, viewer.id) : undefined;

/** Communities the viewer may read ('community.read'): public ones, the ones they belong to, all for staff. */
export function communityReadableBy(viewer: Viewer | null): SQL {
  if (isStaff(viewer)) return sql`true`;
  const memberOf = viewer ? [...viewer.memberships.keys()] : [];
  return memberOf.length > 0
    ? or(eq(communities.visibility, 'public'), inArray(communities.id, memberOf))!
    : eq(communities.visibility, 'public');
}

/** Threads the viewer may open ('thread.read'), deleted ones excluded: a held thread for its author and the community's moderators. */
export function threadReadableBy(viewer: Viewer | null): SQL {
  return and(
    isNull(threads.deletedAt),
    communityReadableBy(viewer),
    or(isNull(threads.heldAt), byViewer(threads.authorId, viewer), inModeratedCommunity(viewer)),
  )!;
}

/**
 * Threads the viewer may find in lists and counts: not deleted, in a community they may read, and not held
 * unless they wrote it (moderators find held threads in the review queue, not in lists).
 */
export function threadListableBy(viewer: Viewer | null): SQL {
  return and(isNull(threads.deletedAt), communityReadableBy(viewer), or(isNull(threads.heldAt), byViewer(threads.authorId, viewer)))!;
}

/** The thread is in the lists and counts everyone sees: not deleted, not held (the community's own visibility aside). */
export const threadListedForAll: SQL = and(isNull(threads.deletedAt), isNull(threads.heldAt))!;

/** The post's content is one anyone who may read its thread may see: not deleted, not hidden, not held. The public rule. */
export const postVisibleToAll: SQL = and(isNull(posts.deletedAt), isNull(posts.hiddenAt), isNull(posts.heldAt))!;

/** The row-at-hand twin of postVisibleToAll. */
export const isVisibleToAll = (post: { deletedAt: Date | null; hiddenAt: Date | null; heldAt: Date | null }): boolean =>
  post.deletedAt === null && post.hiddenAt === null && post.heldAt === null;

/** An approved post that is still there (hidden ones included): a member who has one posts without waiting for approval. */
export const postApproved: SQL = and(isNull(posts.heldAt), isNull(posts.deletedAt))!;

/** A reply (not the opening post) anyone who may read the thread sees: what answers, reply counts and stats count. */
export const replyVisibleToAll: SQL = and(sql`${posts.number} > 1`, postVisibleToAll)!;

/**
 * The post's own part of 'post.read' for this viewer (its thread assumed readable), deleted posts
 * excluded: visible to all, or written by the viewer, or in a community they moderate.
 */
export function postContentVisibleTo(viewer: Viewer | null): SQL {
  return and(
    isNull(posts.deletedAt),
    or(and(isNull(posts.hiddenAt), isNull(posts.heldAt)), byViewer(posts.authorId, viewer), inModeratedCommunity(viewer)),
  )!;
}

/** Posts the viewer may see ('post.read' on a readable, undeleted thread), deleted posts excluded. */
export function postVisibleTo(viewer: Viewer | null): SQL {
  return and(threadReadableBy(viewer), postContentVisibleTo(viewer))!;
}

// The same rules for raw SQL that names its tables by an alias (`from posts p join threads t`).
const alias = (name: string): string => {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a table alias: ${name}`);
  return name;
};
/** postVisibleToAll, for posts aliased `p`. */
export const postVisibleToAllAs = (p: string): SQL =>
  sql.raw(`(${alias(p)}.deleted_at is null and ${p}.hidden_at is null and ${p}.held_at is null)`);
/** replyVisibleToAll, for posts aliased `p`. */
export const replyVisibleToAllAs = (p: string): SQL =>
  sql.raw(`(${alias(p)}.number > 1 and ${p}.deleted_at is null and ${p}.hidden_at is null and ${p}.held_at is null)`);
/** postApproved, for posts aliased `p`. */
export const postApprovedAs = (p: string): SQL => sql.raw(`(${alias(p)}.held_at is null and ${p}.deleted_at is null)`);
/** threadListedForAll, for threads aliased `t`. */
export const threadListedForAllAs = (t: string): SQL => sql.raw(`(${alias(t)}.deleted_at is null and ${t}.held_at is null)`);

/**
 * The rows of a thread page the viewer gets, for a thread they may read: held posts only for their author
 * and the community's moderators; hidden and deleted posts stay in as tombstones (the API blanks their body).
 */
export function postListedInThreadFor(viewer: Viewer | null, thread: { communityId: number }): SQL | undefined {
  const moderated = moderatedCommunityIds(viewer);
  if (moderated === 'all' || moderated.includes(thread.communityId)) return undefined;
  return or(isNull(posts.heldAt), byViewer(posts.authorId, viewer));
}

/** `postListedInThreadFor` on a post already in memory (a thread snapshot): the same rule, for the same rows. */
export function postListedInThread(
  viewer: Viewer | null,
  thread: { communityId: number },
  post: { heldAt: Date | null; authorId: number | null },
): boolean {
  const moderated = moderatedCommunityIds(viewer);
  if (moderated === 'all' || moderated.includes(thread.communityId)) return true;
  return post.heldAt === null || (viewer !== null && post.authorId === viewer.id);
}

/** The excerpt a thread shows in lists: from its opening post when anyone may see it, else empty. */
export function excerptOf(opening: { body: string; hiddenAt: Date | null; deletedAt: Date | null } | undefined): string {
  return opening && opening.hiddenAt === null && opening.deletedAt === null ? excerpt(opening.body) : '';
}

/** Rewrites a thread's stored excerpt from its opening post as it is now; call it in the transaction that changes that post. */
export async function refreshThreadExcerpt(tx: Db, threadId: number): Promise<void> {
  const [opening] = await tx
    .select({ body: posts.body, hiddenAt: posts.hiddenAt, deletedAt: posts.deletedAt })
    .from(posts)
    .where(and(eq(posts.threadId, threadId), eq(posts.number, 1)))
    .orderBy(asc(posts.number))
    .limit(1);
  await tx
    .update(threads)
    .set({ excerpt: excerptOf(opening) })
    .where(eq(threads.id, threadId));
}
