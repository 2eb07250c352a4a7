import {
  AppError,
  type Post,
  type ThreadDetail,
  type ThreadList,
  type ThreadListQuery,
  type ThreadSummary,
  type UserSummary,
} from '@praxis/contracts';
import {
  and,
  asc,
  communities,
  threadRef,
  desc,
  eq,
  gt,
  inArray,
  isNull,
  ne,
  postListedInThread,
  postListedInThreadFor,
  posts,
  sql,
  threadListableBy,
  threads,
  users,
  votes,
  type SQL,
} from '@praxis/db';
import { can, type PostRef, type ThreadRef, type Viewer } from '@praxis/domain';
import type { Deps } from '../../context.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { threadMatchRows, type ThreadMatchRow } from '../experts/queries.js';
import { threadGuideRows, type ThreadGuideRow } from '../guides/queries.js';
import type { ThreadReadCache } from './read-cache.js';

export type ThreadRow = typeof threads.$inferSelect;
export type PostRow = typeof posts.$inferSelect;
type CommunityBits = { id: number; slug: string; name: string; visibility: 'public' | 'private' };
type UserBits = { id: number; username: string; displayName: string; trustLevel: number };

const userBits = { id: users.id, username: users.username, displayName: users.displayName, trustLevel: users.trustLevel };
const communityBits = { id: communities.id, slug: communities.slug, name: communities.name, visibility: communities.visibility };

export { threadRef };

export const postRef = (post: PostRow, thread: ThreadRef): PostRef => ({
  id: post.id,
  authorId: post.authorId,
  isFirst: post.number === 1,
  hidden: post.hiddenAt !== null,
  deleted: post.deletedAt !== null,
  ...(post.heldAt !== null && { held: true }),
  thread,
});

const userSummary = (u: UserBits | null): UserSummary | null =>
  u && u.id !== null ? { id: u.id, username: u.username, displayName: u.displayName, trustLevel: u.trustLevel } : null;

function summarizeThread(thread: ThreadRow, community: CommunityBits, author: UserBits | null): ThreadSummary {
  return {
    id: thread.id,
    community: { id: community.id, slug: community.slug, name: community.name },
    author: userSummary(author),
    kind: thread.kind,
    title: thread.title,
    status: thread.status,
    solved: thread.solutionPostId !== null,
    tags: thread.tags,
    replyCount: thread.replyCount,
    score: thread.score,
    excerpt: thread.excerpt,
    createdAt: thread.createdAt.toISOString(),
    lastActivityAt: thread.lastActivityAt.toISOString(),
  };
}

/** A thread with its community, or NOT_FOUND when it does not exist or the viewer may not read it. */
export async function loadThread(deps: Deps, viewer: Viewer | null, threadId: number, cache?: ThreadReadCache) {
  const row = cache ? await threadSnapshot(deps, cache, threadId) : await threadWithCommunity(deps, threadId);
  if (!row) throw new AppError('NOT_FOUND', `No thread ${threadId}`);
  const ref = threadRef(row.thread, row.community);
  if (!can(viewer, 'thread.read', ref)) throw new AppError('NOT_FOUND', `No thread ${threadId}`);
  return { thread: row.thread, community: row.community, author: row.author, ref, snapshot: cache ? (row as ThreadSnapshot) : null };
}

async function threadWithCommunity(deps: Deps, threadId: number) {
  const [row] = await deps.db
    .select({ thread: threads, community: communityBits, author: userBits })
    .from(threads)
    .innerJoin(communities, eq(communities.id, threads.communityId))
    .leftJoin(users, eq(users.id, threads.authorId))
    .where(and(eq(threads.id, threadId), isNull(threads.deletedAt)))
    .limit(1);
  return row;
}

/**
 * What every viewer of a thread shares, kept in the thread read cache: the thread with its community and author, and
 * (up to SNAPSHOT_MAX_POSTS) all its posts with their authors and voters, held ones included, its expert matches and the
 * guides citing it. A viewer's page is then cut from it in memory, through the same rules (`postListedInThread`, the
 * policy) as the queries it replaces. Matches change in the worker: their `matching.updated` message drops the thread.
 */
export interface ThreadSnapshot {
  thread: ThreadRow;
  community: CommunityBits;
  author: UserBits | null;
  /** Every post in number order; null when the thread is too long to keep whole (its pages are queried). */
  posts: { post: PostRow; author: UserBits | null }[] | null;
  /** Who voted for each post of `posts`. */
  voters: Map<number, Set<number>>;
  /** The experts matched to it (the matching panel) and the guides citing it, before each viewer's filter. */
  matches: ThreadMatchRow[];
  guides: ThreadGuideRow[];
}

const SNAPSHOT_KEY = 'snapshot';
const SNAPSHOT_MAX_POSTS = 400;

function threadSnapshot(deps: Deps, cache: ThreadReadCache, threadId: number): Promise<ThreadSnapshot | null> {
  return cache.through(threadId, SNAPSHOT_KEY, () => loadThreadSnapshot(deps, threadId));
}

async function loadThreadSnapshot(deps: Deps, threadId: number): Promise<ThreadSnapshot | null> {
  const row = await threadWithCommunity(deps, threadId);
  if (!row) return null;
  const rows = await deps.db
    .select({ post: posts, author: userBits })
    .from(posts)
    .leftJoin(users, eq(users.id, posts.authorId))
    .where(eq(posts.threadId, threadId))
    .orderBy(asc(posts.number))
    .limit(SNAPSHOT_MAX_POSTS + 1);
  const whole = rows.length <= SNAPSHOT_MAX_POSTS;
  const voters = new Map<number, Set<number>>();
  if (whole && rows.length > 0) {
    const voteRows = await deps.db
      .select({ postId: votes.postId, userId: votes.userId })
      .from(votes)
      .innerJoin(posts, eq(posts.id, votes.postId))
      .where(eq(posts.threadId, threadId));
    for (const v of voteRows) voters.set(v.postId, (voters.get(v.postId) ?? new Set()).add(v.userId));
  }
  const matches = await threadMatchRows(deps, threadId);
  const cited = await threadGuideRows(deps, threadId);
  return { ...row, posts: whole ? rows : null, voters, matches, guides: cited };
}

/** A post with its thread, or NOT_FOUND when the viewer may not read it. */
export async function loadPost(deps: Deps, viewer: Viewer | null, postId: number) {
  const [row] = await deps.db.select({ post: posts }).from(posts).where(eq(posts.id, postId)).limit(1);
  if (!row) throw new AppError('NOT_FOUND', `No post ${postId}`);
  const thread = await loadThread(deps, viewer, row.post.threadId).catch(() => {
    throw new AppError('NOT_FOUND', `No post ${postId}`);
  });
  const ref = postRef(row.post, thread.ref);
  if (!can(viewer, 'post.read', ref)) throw new AppError('NOT_FOUND', `No post ${postId}`);
  return { post: row.post, thread, ref };
}

const listOrders = {
  latest: { cols: [threads.lastActivityAt, threads.id], shape: ['string', 'number'] },
  unanswered: { cols: [threads.createdAt, threads.id], shape: ['string', 'number'] },
  solved: { cols: [threads.lastActivityAt, threads.id], shape: ['string', 'number'] },
  top: { cols: [threads.score, threads.id], shape: ['number', 'number'] },
} as const;

export async function listThreads(deps: Deps, viewer: Viewer | null, query: ThreadListQuery): Promise<ThreadList> {
  const sort = query.sort ?? 'latest';
  const limit = query.limit ?? 20;
  const order = listOrders[sort];
  const conditions: (SQL | undefined)[] = [threadListableBy(viewer)];
  if (query.community) conditions.push(eq(communities.slug, query.community.toLowerCase()));
  if (query.tag) conditions.push(sql`${threads.tags} @> array[${query.tag.toLowerCase()}]::text[]`);
  if (query.author) conditions.push(sql`lower(${users.username}) = lower(${query.author})`);
  if (sort === 'unanswered') conditions.push(eq(threads.kind, 'question'), eq(threads.replyCount, 0), ne(threads.status, 'solved'));
  if (sort === 'solved') conditions.push(eq(threads.status, 'solved'));
  const cursor = decodeCursor(query.cursor, order.shape);
  if (cursor) {
    const [first, id] = cursor;
    const firstValue = order.shape[0] === 'string' ? sql`${first}::timestamptz` : sql`${first}`;
    conditions.push(sql`(${order.cols[0]}, ${order.cols[1]}) < (${firstValue}, ${id})`);
  }
  const rows = await deps.db
    .select({ thread: threads, community: communityBits, author: userBits })
    .from(threads)
    .innerJoin(communities, eq(communities.id, threads.communityId))
    .leftJoin(users, eq(users.id, threads.authorId))
    .where(and(...conditions))
    .orderBy(desc(order.cols[0]), desc(order.cols[1]))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const nextCursor =
    rows.length > limit && last
      ? encodeCursor(
          sort === 'top'
            ? [last.thread.score, last.thread.id]
            : [(sort === 'unanswered' ? last.thread.createdAt : last.thread.lastActivityAt).toISOString(), last.thread.id],
        )
      : null;
  return { items: page.map((r) => summarizeThread(r.thread, r.community, r.author)), nextCursor };
}

function presentPost(
  post: PostRow,
  author: UserBits | null,
  thread: ThreadRow,
  ref: ThreadRef,
  viewer: Viewer | null,
  voted: boolean,
): Post {
  const pref = postRef(post, ref);
  const readable = can(viewer, 'post.read', pref) && post.deletedAt === null;
  return {
    id: post.id,
    threadId: post.threadId,
    number: post.number,
    author: userSummary(author),
    body: readable ? post.body : '',
    html: readable ? post.html : '',
    replyToId: post.replyToId,
    createdAt: post.createdAt.toISOString(),
    editedAt: post.editedAt?.toISOString() ?? null,
    revision: post.revision,
    score: post.score,
    viewerVoted: voted,
    hidden: post.hiddenAt !== null,
    deleted: post.deletedAt !== null,
    held: post.heldAt !== null,
    isSolution: thread.solutionPostId === post.id,
    abilities: {
      edit: can(viewer, 'post.edit', pref),
      hide: can(viewer, 'post.hide', pref),
      delete: can(viewer, 'post.delete', pref),
      vote: can(viewer, 'post.vote', pref),
      accept: post.number > 1 && readable && pref.hidden === false && can(viewer, 'thread.accept', ref),
      history: post.revision > 1 && can(viewer, 'post.history', pref),
      flag: can(viewer, 'post.flag', pref),
      review: can(viewer, 'post.review', pref),
    },
  };
}

export async function getThreadDetail(
  deps: Deps,
  viewer: Viewer | null,
  threadId: number,
  page: { cursor?: string | undefined; limit?: number | undefined },
  cache?: ThreadReadCache,
): Promise<ThreadDetail> {
  const { thread, community, author, ref, snapshot } = await loadThread(deps, viewer, threadId, cache);
  const limit = page.limit ?? 50;
  const cursor = decodeCursor(page.cursor, ['number']);
  const after = cursor ? (cursor[0] as number) : 0;
  let rows: { post: PostRow; author: UserBits | null }[];
  const votedIds = new Set<number>();
  if (snapshot?.posts) {
    rows = [];
    for (const row of snapshot.posts) {
      if (row.post.number <= after || !postListedInThread(viewer, thread, row.post)) continue;
      rows.push(row);
      if (rows.length > limit) break;
    }
    if (viewer) for (const r of rows) if (snapshot.voters.get(r.post.id)?.has(viewer.id)) votedIds.add(r.post.id);
  } else {
    rows = await deps.db
      .select({ post: posts, author: userBits })
      .from(posts)
      .leftJoin(users, eq(users.id, posts.authorId))
      .where(and(eq(posts.threadId, thread.id), cursor ? gt(posts.number, after) : undefined, postListedInThreadFor(viewer, thread)))
      .orderBy(asc(posts.number))
      .limit(limit + 1);
    if (viewer && rows.length > 0) {
      const voted = await deps.db
        .select({ postId: votes.postId })
        .from(votes)
        .where(
          and(
            eq(votes.userId, viewer.id),
            inArray(
              votes.postId,
              rows.slice(0, limit).map((r) => r.post.id),
            ),
          ),
        );
      for (const v of voted) votedIds.add(v.postId);
    }
  }
  const pageRows = rows.slice(0, limit);
  const last = pageRows.at(-1);
  const openingPost =
    pageRows[0]?.post.number === 1
      ? pageRows[0].post
      : snapshot?.posts
        ? snapshot.posts.find((r) => r.post.number === 1)?.post
        : await loadOpeningPost(deps, thread.id);
  return {
    ...summarizeThread(thread, community, author),
    solutionPostId: thread.solutionPostId,
    posts: pageRows.map((r) => presentPost(r.post, r.author, thread, ref, viewer, votedIds.has(r.post.id))),
    nextCursor: rows.length > limit && last ? encodeCursor([last.post.number]) : null,
    totalPosts: thread.postCount,
    abilities: {
      reply: can(viewer, 'thread.reply', ref),
      accept: can(viewer, 'thread.accept', ref),
      moderate: can(viewer, 'thread.moderate', ref),
      edit: openingPost !== undefined && can(viewer, 'post.edit', postRef(openingPost, ref)),
    },
  };
}

async function loadOpeningPost(deps: Deps, threadId: number): Promise<PostRow | undefined> {
  const [row] = await deps.db
    .select()
    .from(posts)
    .where(and(eq(posts.threadId, threadId), eq(posts.number, 1)))
    .limit(1);
  return row;
}

/** Title and tags belong to the opening post: whoever may edit it may edit them. */
export async function ensureThreadEditable(deps: Deps, viewer: Viewer | null, threadId: number) {
  const loaded = await loadThread(deps, viewer, threadId);
  const opening = await loadOpeningPost(deps, threadId);
  if (!opening) throw new AppError('NOT_FOUND');
  return { ...loaded, openingRef: postRef(opening, loaded.ref) };
}

export async function presentSinglePost(deps: Deps, viewer: Viewer | null, postId: number): Promise<Post> {
  const { post, thread } = await loadPost(deps, viewer, postId);
  const [author] = post.authorId ? await deps.db.select(userBits).from(users).where(eq(users.id, post.authorId)) : [];
  const voted = viewer
    ? await deps.db
        .select({ postId: votes.postId })
        .from(votes)
        .where(and(eq(votes.postId, post.id), eq(votes.userId, viewer.id)))
    : [];
  return presentPost(post, author ?? null, thread.thread, thread.ref, viewer, voted.length > 0);
}

/** A post `viewer` has just written, presented from its row without reading it back (nobody has voted on it yet). */
export function presentWrittenPost(post: PostRow, author: UserBits | null, thread: ThreadRow, ref: ThreadRef, viewer: Viewer): Post {
  return presentPost(post, author, thread, ref, viewer, false);
}

export { summarizeThread, userBits, communityBits };
