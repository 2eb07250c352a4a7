import { AppError } from '@praxis/contracts';
import {
  and,
  appendEvent,
  auditLog,
  countListedThread,
  eq,
  isListedForAll,
  isNull,
  postRevisions,
  posts,
  recountReplies,
  refreshThreadExcerpt,
  sql,
  threads,
  votes,
} from '@praxis/db';
import type { Viewer } from '@praxis/domain';
import type { Deps } from '../../context.js';
import { clearSolution } from '../threads/commands.js';
import { renderBody } from '../threads/content.js';
import type { PostRow, ThreadRow } from '../threads/queries.js';

export async function editPost(
  deps: Deps,
  viewer: Viewer,
  post: PostRow,
  thread: ThreadRow,
  input: { body: string; reason?: string | undefined },
): Promise<void> {
  if (input.body.trim() === '') throw new AppError('VALIDATION_FAILED', 'A post cannot be empty', { body: 'is empty' });
  if (input.body === post.body) return;
  const { html, mentions } = await renderBody(deps.db, input.body);
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    const [updated] = await tx
      .update(posts)
      .set({ body: input.body, html, revision: sql`${posts.revision} + 1`, editedAt: now })
      .where(eq(posts.id, post.id))
      .returning({ revision: posts.revision });
    if (!updated) throw new AppError('NOT_FOUND');
    await tx.insert(postRevisions).values({
      postId: post.id,
      revision: updated.revision,
      body: input.body,
      editorId: viewer.id,
      reason: input.reason ?? null,
      createdAt: now,
    });
    await tx.update(threads).set({ updatedAt: now }).where(eq(threads.id, thread.id));
    if (post.number === 1) await refreshThreadExcerpt(tx, thread.id);
    await appendEvent(
      tx,
      'post.edited',
      thread.id,
      { postId: post.id, threadId: thread.id, editorId: viewer.id, revision: updated.revision, mentions },
      viewer.id,
    );
    if (viewer.id !== post.authorId) {
      await tx.insert(auditLog).values({
        actorId: viewer.id,
        action: 'post.edit',
        subjectType: 'post',
        subjectId: post.id,
        communityId: thread.communityId,
        details: { revision: updated.revision, reason: input.reason ?? null },
      });
    }
  });
}

export async function setPostHidden(deps: Deps, viewer: Viewer, post: PostRow, thread: ThreadRow, hidden: boolean): Promise<void> {
  if ((post.hiddenAt !== null) === hidden) return;
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    await tx
      .update(posts)
      .set({ hiddenAt: hidden ? now : null })
      .where(eq(posts.id, post.id));
    if (hidden && thread.solutionPostId === post.id) await clearSolution(tx, viewer.id, thread, now);
    if (post.number === 1) await refreshThreadExcerpt(tx, thread.id);
    await recountReplies(tx, thread.id);
    await tx.update(threads).set({ updatedAt: now }).where(eq(threads.id, thread.id));
    await appendEvent(tx, 'post.hidden', thread.id, { postId: post.id, threadId: thread.id, by: viewer.id, hidden }, viewer.id);
    await tx.insert(auditLog).values({
      actorId: viewer.id,
      action: hidden ? 'post.hide' : 'post.unhide',
      subjectType: 'post',
      subjectId: post.id,
      communityId: thread.communityId,
    });
  });
}

export async function deletePost(deps: Deps, viewer: Viewer, post: PostRow, thread: ThreadRow): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    await deletePostInTx(tx, viewer, post, thread, now);
    await appendEvent(tx, 'post.deleted', thread.id, { postId: post.id, threadId: thread.id, by: viewer.id }, viewer.id);
    if (viewer.id !== post.authorId) {
      await tx
        .insert(auditLog)
        .values({ actorId: viewer.id, action: 'post.delete', subjectType: 'post', subjectId: post.id, communityId: thread.communityId });
    }
  });
}

/** Deletes a post; deleting the opening post deletes the thread, which leaves the counts. Shared by the review queue. */
export async function deletePostInTx(tx: Deps['db'], viewer: Viewer, post: PostRow, thread: ThreadRow, now: Date): Promise<void> {
  await tx.update(posts).set({ deletedAt: now }).where(eq(posts.id, post.id));
  if (post.number === 1) {
    const [gone] = await tx
      .update(threads)
      .set({ deletedAt: now, updatedAt: now })
      .where(and(eq(threads.id, thread.id), isNull(threads.deletedAt)))
      .returning();
    // The update matched only a live thread: it was counted unless it was held.
    if (gone && isListedForAll({ ...gone, deletedAt: null })) await countListedThread(tx, gone, -1);
    await refreshThreadExcerpt(tx, thread.id);
  } else {
    if (thread.solutionPostId === post.id) await clearSolution(tx, viewer.id, thread, now);
    await recountReplies(tx, thread.id);
    await tx.update(threads).set({ updatedAt: now }).where(eq(threads.id, thread.id));
  }
}

async function recountScore(tx: Deps['db'], post: PostRow): Promise<number> {
  const [row] = await tx
    .update(posts)
    .set({
      score: sql`${posts.importedScore} + (select coalesce(sum(${votes.value}), 0)::int from ${votes} where ${votes.postId} = ${post.id})`,
    })
    .where(eq(posts.id, post.id))
    .returning({ score: posts.score });
  const score = row?.score ?? 0;
  if (post.number === 1) await tx.update(threads).set({ score }).where(eq(threads.id, post.threadId));
  return score;
}

export async function votePost(deps: Deps, viewer: Viewer, post: PostRow): Promise<number> {
  return deps.db.transaction(async (tx) => {
    const inserted = await tx
      .insert(votes)
      .values({ postId: post.id, userId: viewer.id, value: 1, createdAt: deps.clock.now() })
      .onConflictDoNothing()
      .returning({ postId: votes.postId });
    if (inserted.length === 0) return post.score; // voting twice is a no-op, not an error
    const score = await recountScore(tx, post);
    await appendEvent(
      tx,
      'post.voted',
      post.threadId,
      { postId: post.id, threadId: post.threadId, userId: viewer.id, value: 1 },
      viewer.id,
    );
    return score;
  });
}

export async function unvotePost(deps: Deps, viewer: Viewer, post: PostRow): Promise<number> {
  return deps.db.transaction(async (tx) => {
    const removed = await tx
      .delete(votes)
      .where(and(eq(votes.postId, post.id), eq(votes.userId, viewer.id)))
      .returning({ postId: votes.postId });
    if (removed.length === 0) return post.score;
    const score = await recountScore(tx, post);
    await appendEvent(tx, 'post.unvoted', post.threadId, { postId: post.id, threadId: post.threadId, userId: viewer.id }, viewer.id);
    return score;
  });
}
