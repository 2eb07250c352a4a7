import { AppError, type Post, type ThreadCreateBody, type ThreadUpdateBody } from '@praxis/contracts';
import {
  and,
  appendEvent,
  appendEventSql,
  auditLog,
  communities,
  countListedThread,
  eq,
  isListedForAll,
  isNull,
  isVisibleToAll,
  postApproved,
  postApprovedAs,
  postRevisions,
  posts,
  retagListedThread,
  settings,
  sql,
  threadRef,
  threads,
  TRUST_SETTINGS_KEY,
  trustSettingsFrom,
  users,
} from '@praxis/db';
import {
  can,
  checkNewcomerLimits,
  countLinks,
  excerpt,
  normalizeTags,
  type NewcomerLimits,
  type ThreadRef,
  type Viewer,
} from '@praxis/domain';
import type { Deps } from '../../context.js';
import { enforceNewcomerLimits } from '../trust/commands.js';
import type { CommunityRow } from '../communities/queries.js';
import { renderBody } from './content.js';
import { presentWrittenPost, type PostRow, type ThreadRow } from './queries.js';

export async function createThread(deps: Deps, viewer: Viewer, community: CommunityRow, input: ThreadCreateBody): Promise<ThreadRow> {
  const tags = normalizeTags(input.tags ?? []);
  const title = input.title.trim();
  if (title.length < 8)
    throw new AppError('VALIDATION_FAILED', 'The title needs at least 8 characters', { title: 'needs at least 8 characters' });
  if (input.body.trim() === '') throw new AppError('VALIDATION_FAILED', 'Write something in the body', { body: 'is empty' });
  const { html, mentions } = await renderBody(deps.db, input.body);
  await enforceNewcomerLimits(deps, viewer, community.id, { html, mentions, startsTopic: true });
  const held = await holdsFirstPost(deps, viewer, community);
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const [thread] = await tx
      .insert(threads)
      .values({
        communityId: community.id,
        authorId: viewer.id,
        kind: input.kind ?? 'question',
        title,
        tags,
        excerpt: excerpt(input.body),
        postCount: 1,
        createdAt: now,
        updatedAt: now,
        lastActivityAt: now,
        heldAt: held ? now : null,
      })
      .returning();
    if (!thread) throw new Error('insert returned no row');
    const [post] = await tx
      .insert(posts)
      .values({ threadId: thread.id, authorId: viewer.id, number: 1, body: input.body, html, createdAt: now, heldAt: held ? now : null })
      .returning();
    if (!post) throw new Error('insert returned no row');
    await tx.insert(postRevisions).values({ postId: post.id, revision: 1, body: input.body, editorId: viewer.id, createdAt: now });
    // A held thread is counted when it is approved.
    if (!held) await countListedThread(tx, { communityId: community.id, tags }, 1);
    // A held thread is announced (indexed, notified, matched) only when a moderator approves it.
    if (held)
      await appendEvent(
        tx,
        'post.held',
        thread.id,
        { postId: post.id, threadId: thread.id, communityId: community.id, authorId: viewer.id },
        viewer.id,
      );
    else
      await appendEvent(
        tx,
        'thread.created',
        thread.id,
        { threadId: thread.id, communityId: community.id, authorId: viewer.id, postId: post.id, kind: thread.kind, mentions },
        viewer.id,
      );
    return thread;
  });
}

export async function editThread(deps: Deps, viewer: Viewer, thread: ThreadRow, input: ThreadUpdateBody): Promise<void> {
  const title = input.title?.trim();
  if (title !== undefined && title.length < 8)
    throw new AppError('VALIDATION_FAILED', 'The title needs at least 8 characters', { title: 'needs at least 8 characters' });
  const tags = input.tags === undefined ? undefined : normalizeTags(input.tags);
  const fields = [
    ...(title !== undefined && title !== thread.title ? ['title'] : []),
    ...(tags !== undefined && tags.join() !== thread.tags.join() ? ['tags'] : []),
  ];
  if (fields.length === 0) return;
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    await tx
      .update(threads)
      .set({ ...(fields.includes('title') && { title }), ...(fields.includes('tags') && { tags }), updatedAt: now })
      .where(eq(threads.id, thread.id));
    if (tags !== undefined && fields.includes('tags') && isListedForAll(thread))
      await retagListedThread(tx, thread.communityId, thread.tags, tags);
    await appendEvent(tx, 'thread.edited', thread.id, { threadId: thread.id, editorId: viewer.id, fields }, viewer.id);
    if (viewer.id !== thread.authorId && fields.includes('tags'))
      await appendEvent(tx, 'thread.moderated', thread.id, { threadId: thread.id, by: viewer.id, action: 'retag' }, viewer.id);
    if (viewer.id !== thread.authorId) {
      await tx.insert(auditLog).values({
        actorId: viewer.id,
        action: 'thread.edit',
        subjectType: 'thread',
        subjectId: thread.id,
        communityId: thread.communityId,
        details: { fields, previous: { title: thread.title, tags: thread.tags } },
      });
    }
  });
}

/** What a reply needs to know before it is written, read by `loadReplyTarget` in one query. */
export interface ReplyTarget {
  thread: ThreadRow;
  community: { id: number; slug: string; name: string; visibility: 'public' | 'private'; holdFirstPosts: boolean };
  ref: ThreadRef;
  /** The replier as the answer names the author of the new post. */
  replier: { id: number; username: string; displayName: string; trustLevel: number } | null;
  /** Whether `replyToId` is a post of this thread (null: no replyToId). */
  replyToInThread: boolean | null;
  /** Today's posts and topics and the TL0 limits, when the newcomer limits apply to the replier. */
  newcomer: { postsToday: number; topicsToday: number; limits: NewcomerLimits } | null;
  /** Whether the replier has an approved post in the community, when it holds first posts and that decides. */
  hasApprovedPost: boolean | null;
}

const startOfUtcDay = (now: Date): Date => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));

/** Whether the TL0 limits apply (enforceNewcomerLimits in ../trust/commands.ts decides the same for new threads). */
const newcomerLimited = (viewer: Viewer, communityId: number): boolean => {
  if (viewer.trustLevel > 0 || viewer.role !== 'member') return false;
  const role = viewer.memberships.get(communityId);
  return role !== 'leader' && role !== 'moderator';
};

/**
 * The thread to reply to with its community and what the reply's checks need (the replier's name, whether the post
 * it answers is in this thread, today's counts for the newcomer limits, whether a first post would be held), in one
 * round trip instead of one query each. NOT_FOUND when the thread does not exist or the viewer may not read it.
 */
export async function loadReplyTarget(deps: Deps, viewer: Viewer | null, threadId: number, replyToId?: number): Promise<ReplyTarget> {
  const viewerId = viewer?.id ?? 0;
  // Which of the viewer's checks can apply does not depend on the community for staff and members above TL0.
  const mayBeLimited = viewer !== null && viewer.trustLevel === 0 && viewer.role === 'member';
  const mayBeHeld = viewer !== null && viewer.role === 'member';
  const since = startOfUtcDay(deps.clock.now());
  const [row] = await deps.db
    .select({
      thread: threads,
      community: {
        id: communities.id,
        slug: communities.slug,
        name: communities.name,
        visibility: communities.visibility,
        holdFirstPosts: communities.holdFirstPosts,
      },
      replier: viewer
        ? sql<
            ReplyTarget['replier']
          >`(select json_build_object('id', u.id, 'username', u.username, 'displayName', u.display_name, 'trustLevel', u.trust_level) from ${users} u where u.id = ${viewerId})`
        : sql<null>`null`,
      replyToInThread:
        replyToId === undefined
          ? sql<null>`null`
          : sql<boolean>`exists (select 1 from ${posts} r where r.id = ${replyToId} and r.thread_id = ${threads.id})`,
      postsToday: mayBeLimited
        ? sql<number>`(select count(*)::int from ${posts} tp where tp.author_id = ${viewerId} and tp.created_at >= ${since})`
        : sql<null>`null`,
      topicsToday: mayBeLimited
        ? sql<number>`(select count(*)::int from ${threads} tt where tt.author_id = ${viewerId} and tt.created_at >= ${since})`
        : sql<null>`null`,
      trustSettings: mayBeLimited ? sql<unknown>`(select s.value from ${settings} s where s.key = ${TRUST_SETTINGS_KEY})` : sql<null>`null`,
      hasApprovedPost: mayBeHeld
        ? sql<
            boolean | null
          >`case when ${communities.holdFirstPosts} then exists (select 1 from ${posts} ap join ${threads} at on at.id = ap.thread_id
            where at.community_id = ${communities.id} and ap.author_id = ${viewerId} and ${postApprovedAs('ap')}) end`
        : sql<null>`null`,
    })
    .from(threads)
    .innerJoin(communities, eq(communities.id, threads.communityId))
    .where(and(eq(threads.id, threadId), isNull(threads.deletedAt)))
    .limit(1);
  if (!row) throw new AppError('NOT_FOUND', `No thread ${threadId}`);
  const ref = threadRef(row.thread, row.community);
  if (!can(viewer, 'thread.read', ref)) throw new AppError('NOT_FOUND', `No thread ${threadId}`);
  return {
    thread: row.thread,
    community: row.community,
    ref,
    replier: row.replier,
    replyToInThread: row.replyToInThread,
    newcomer:
      viewer && row.postsToday !== null && row.topicsToday !== null && newcomerLimited(viewer, row.community.id)
        ? { postsToday: row.postsToday, topicsToday: row.topicsToday, limits: trustSettingsFrom(row.trustSettings).newcomerLimits }
        : null,
    hasApprovedPost: row.hasApprovedPost,
  };
}

/**
 * Writes a reply: the post, its first revision, the thread's counters and its outbox event in one transaction.
 * Every check reads what `loadReplyTarget` loaded; only @mentions cost a query of their own.
 */
export async function replyToThread(
  deps: Deps,
  viewer: Viewer,
  target: ReplyTarget,
  input: { body: string; replyToId?: number | undefined },
): Promise<PostRow> {
  const { thread } = target;
  if (input.body.trim() === '') throw new AppError('VALIDATION_FAILED', 'Write something in the reply', { body: 'is empty' });
  if (input.replyToId !== undefined && !target.replyToInThread)
    throw new AppError('VALIDATION_FAILED', 'You can only reply to a post in this thread', { replyToId: 'is not a post in this thread' });
  const { html, mentions } = await renderBody(deps.db, input.body);
  if (target.newcomer) {
    const hit = checkNewcomerLimits(
      {
        trustLevel: viewer.trustLevel,
        links: countLinks(html),
        mentions: mentions.length,
        postsToday: target.newcomer.postsToday,
        topicsToday: target.newcomer.topicsToday,
        startsTopic: false,
      },
      target.newcomer.limits,
    );
    if (hit) throw new AppError('NEWCOMER_LIMIT', hit.message, { body: hit.message });
  }
  const held = holdsFirstPostOf(viewer, target.community, target.hasApprovedPost);
  const now = deps.clock.now();
  const heldAt = held ? now : null;
  const replyToId = input.replyToId ?? null;
  // One statement, so one atomic write without a transaction around it: the thread's counters, the post, its first
  // revision and its outbox event. Taking the next number through the thread row also serializes concurrent replies,
  // so the visible-reply count can be kept by adding one (a held reply is not visible yet) instead of recounting.
  const event = held
    ? appendEventSql(
        'post.held',
        thread.id,
        sql`jsonb_build_object('postId', inserted.id, 'threadId', ${thread.id}::int, 'communityId', ${thread.communityId}::int, 'authorId', ${viewer.id}::int)`,
        viewer.id,
        [{ postId: 1, threadId: thread.id, communityId: thread.communityId, authorId: viewer.id }],
        sql.raw('inserted'),
      )
    : appendEventSql(
        'post.created',
        thread.id,
        sql`jsonb_build_object('postId', inserted.id, 'threadId', ${thread.id}::int, 'communityId', ${thread.communityId}::int, 'authorId', ${viewer.id}::int,
          'replyToId', inserted.reply_to_id, 'mentions', ${JSON.stringify(mentions)}::jsonb)`,
        viewer.id,
        [{ postId: 1, threadId: thread.id, communityId: thread.communityId, authorId: viewer.id, replyToId, mentions }],
        sql.raw('inserted'),
      );
  const result = await deps.db.execute(sql`
    with counter as (
      update ${threads} set post_count = post_count + 1, updated_at = ${now}::timestamptz
        ${held ? sql`` : sql`, reply_count = reply_count + 1, last_activity_at = ${now}::timestamptz`}
      where id = ${thread.id}::int
      returning post_count
    ), inserted as (
      insert into ${posts} (thread_id, author_id, number, body, html, reply_to_id, created_at, held_at)
      select ${thread.id}::int, ${viewer.id}::int, counter.post_count, ${input.body}::text, ${html}::text, ${replyToId}::int,
        ${now}::timestamptz, ${heldAt}::timestamptz
      from counter
      returning *
    ), revision as (
      insert into ${postRevisions} (post_id, revision, body, editor_id, created_at)
      select inserted.id, 1, inserted.body, inserted.author_id, inserted.created_at from inserted
    ), event as (${event})
    select * from inserted`);
  const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as Record<string, unknown>[];
  if (!rows[0]) throw new AppError('NOT_FOUND');
  return postFromRow(rows[0]);
}

/** A posts row as the driver returned it (column names, driver values) → the row drizzle would have given. */
function postFromRow(raw: Record<string, unknown>): PostRow {
  const row: Record<string, unknown> = {};
  for (const [key, column] of Object.entries(posts)) {
    const c = column as { name?: unknown; mapFromDriverValue?: (value: unknown) => unknown };
    if (typeof c.name !== 'string' || typeof c.mapFromDriverValue !== 'function' || !(c.name in raw)) continue;
    const value = raw[c.name];
    row[key] = value === null ? null : c.mapFromDriverValue(value);
  }
  return row as PostRow;
}

/** The 201 of a reply, from the row just inserted and what was loaded before: nobody has voted on it yet. */
export function presentReply(viewer: Viewer, target: ReplyTarget, post: PostRow): Post {
  return presentWrittenPost(post, target.replier, target.thread, target.ref, viewer);
}

/** holdsFirstPost's rule, on an approved-post lookup already made (null: the community does not hold first posts). */
function holdsFirstPostOf(viewer: Viewer, community: { id: number; holdFirstPosts: boolean }, hasApprovedPost: boolean | null): boolean {
  if (!community.holdFirstPosts || viewer.role !== 'member') return false;
  const role = viewer.memberships.get(community.id);
  if (role === 'leader' || role === 'moderator') return false;
  return hasApprovedPost !== true;
}

/**
 * Whether this post waits for approval: the community holds first posts, the author has no approved post
 * there yet, and is not one of its moderators (nor staff).
 */
async function holdsFirstPost(deps: Deps, viewer: Viewer, community: CommunityRow): Promise<boolean> {
  // The rule without the lookup: only a plain member of a community that holds first posts can be held.
  if (!holdsFirstPostOf(viewer, community, false)) return false;
  const [approved] = await deps.db
    .select({ id: posts.id })
    .from(posts)
    .innerJoin(threads, eq(threads.id, posts.threadId))
    .where(and(eq(threads.communityId, community.id), eq(posts.authorId, viewer.id), postApproved))
    .limit(1);
  return approved === undefined;
}

export async function acceptSolution(deps: Deps, viewer: Viewer, thread: ThreadRow, postId: number): Promise<void> {
  if (thread.kind !== 'question') throw new AppError('NOT_A_QUESTION');
  const [post] = await deps.db
    .select()
    .from(posts)
    .where(and(eq(posts.id, postId), eq(posts.threadId, thread.id)));
  if (!post)
    throw new AppError('VALIDATION_FAILED', 'That post is not a reply in this thread', { postId: 'is not a reply in this thread' });
  if (post.number === 1)
    throw new AppError('VALIDATION_FAILED', 'The question itself cannot be its solution', { postId: 'is the question' });
  if (!isVisibleToAll(post))
    throw new AppError('VALIDATION_FAILED', 'A hidden, held or deleted reply cannot be the solution', {
      postId: 'is hidden, held or deleted',
    });
  if (thread.solutionPostId === post.id) return;
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    await tx
      .update(threads)
      .set({ solutionPostId: post.id, status: thread.status === 'locked' ? 'locked' : 'solved', updatedAt: now, lastActivityAt: now })
      .where(eq(threads.id, thread.id));
    await appendEvent(
      tx,
      'solution.accepted',
      thread.id,
      { threadId: thread.id, postId: post.id, acceptedBy: viewer.id, previousPostId: thread.solutionPostId },
      viewer.id,
    );
    if (viewer.id !== thread.authorId) {
      await tx.insert(auditLog).values({
        actorId: viewer.id,
        action: 'solution.accept',
        subjectType: 'thread',
        subjectId: thread.id,
        communityId: thread.communityId,
        details: { postId: post.id, previousPostId: thread.solutionPostId },
      });
    }
  });
}

/** Clears the solution; `tx` lets hide/delete of the solution post do it inside their own transaction. */
export async function clearSolution(tx: Deps['db'], actorId: number, thread: ThreadRow, now: Date): Promise<void> {
  if (thread.solutionPostId === null) return;
  await tx
    .update(threads)
    .set({ solutionPostId: null, status: thread.status === 'locked' ? 'locked' : 'open', updatedAt: now })
    .where(eq(threads.id, thread.id));
  await appendEvent(tx, 'solution.unaccepted', thread.id, { threadId: thread.id, postId: thread.solutionPostId, by: actorId }, actorId);
}

export async function unacceptSolution(deps: Deps, viewer: Viewer, thread: ThreadRow): Promise<void> {
  await deps.db.transaction((tx) => clearSolution(tx, viewer.id, thread, deps.clock.now()));
}
