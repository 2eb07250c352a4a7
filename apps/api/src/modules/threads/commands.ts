import { AppError, type ThreadCreateBody, type ThreadUpdateBody } from '@praxis/contracts';
import {
  and,
  appendEvent,
  auditLog,
  communities,
  countListedThread,
  eq,
  isListedForAll,
  isVisibleToAll,
  postApproved,
  postRevisions,
  posts,
  retagListedThread,
  sql,
  threads,
} from '@praxis/db';
import { excerpt, normalizeTags, type Viewer } from '@praxis/domain';
import type { Deps } from '../../context.js';
import { enforceNewcomerLimits } from '../trust/commands.js';
import type { CommunityRow } from '../communities/queries.js';
import { renderBody } from './content.js';
import type { PostRow, ThreadRow } from './queries.js';

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

export async function replyToThread(
  deps: Deps,
  viewer: Viewer,
  thread: ThreadRow,
  input: { body: string; replyToId?: number | undefined },
): Promise<PostRow> {
  if (input.body.trim() === '') throw new AppError('VALIDATION_FAILED', 'Write something in the reply', { body: 'is empty' });
  if (input.replyToId !== undefined) {
    const [target] = await deps.db
      .select({ id: posts.id })
      .from(posts)
      .where(and(eq(posts.id, input.replyToId), eq(posts.threadId, thread.id)));
    if (!target)
      throw new AppError('VALIDATION_FAILED', 'You can only reply to a post in this thread', { replyToId: 'is not a post in this thread' });
  }
  const { html, mentions } = await renderBody(deps.db, input.body);
  await enforceNewcomerLimits(deps, viewer, thread.communityId, { html, mentions, startsTopic: false });
  const [community] = await deps.db.select().from(communities).where(eq(communities.id, thread.communityId));
  const held = community ? await holdsFirstPost(deps, viewer, community) : false;
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    // Taking the next number through the thread row also serializes concurrent replies, so the visible-reply count can
    // be kept by adding one (a held reply is not visible yet) instead of recounting the thread's posts under that lock.
    const [counter] = await tx
      .update(threads)
      .set({
        postCount: sql`${threads.postCount} + 1`,
        ...(!held && { lastActivityAt: now, replyCount: sql`${threads.replyCount} + 1` }),
        updatedAt: now,
      })
      .where(eq(threads.id, thread.id))
      .returning({ postCount: threads.postCount });
    if (!counter) throw new AppError('NOT_FOUND');
    const [post] = await tx
      .insert(posts)
      .values({
        threadId: thread.id,
        authorId: viewer.id,
        number: counter.postCount,
        body: input.body,
        html,
        replyToId: input.replyToId ?? null,
        createdAt: now,
        heldAt: held ? now : null,
      })
      .returning();
    if (!post) throw new Error('insert returned no row');
    await tx.insert(postRevisions).values({ postId: post.id, revision: 1, body: input.body, editorId: viewer.id, createdAt: now });
    if (held)
      await appendEvent(
        tx,
        'post.held',
        thread.id,
        { postId: post.id, threadId: thread.id, communityId: thread.communityId, authorId: viewer.id },
        viewer.id,
      );
    else
      await appendEvent(
        tx,
        'post.created',
        thread.id,
        { postId: post.id, threadId: thread.id, communityId: thread.communityId, authorId: viewer.id, replyToId: post.replyToId, mentions },
        viewer.id,
      );
    return post;
  });
}

/**
 * Whether this post waits for approval: the community holds first posts, the author has no approved post
 * there yet, and is not one of its moderators (nor staff).
 */
async function holdsFirstPost(deps: Deps, viewer: Viewer, community: CommunityRow): Promise<boolean> {
  if (!community.holdFirstPosts || viewer.role !== 'member') return false;
  const role = viewer.memberships.get(community.id);
  if (role === 'leader' || role === 'moderator') return false;
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
