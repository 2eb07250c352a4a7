import { AppError, type FlagCreateBody, type ReviewBody } from '@praxis/contracts';
import {
  and,
  appendEvent,
  countListedThread,
  eq,
  flags,
  inArray,
  isListedForAll,
  posts,
  recountReplies,
  refreshThreadExcerpt,
  threads,
} from '@praxis/db';
import type { Viewer } from '@praxis/domain';
import type { Deps } from '../../context.js';
import type { CommunityRow } from '../communities/queries.js';
import { suspendInTx, type UserRow } from '../people/commands.js';
import { deletePostInTx } from '../posts/commands.js';
import { clearSolution } from '../threads/commands.js';
import { renderBody } from '../threads/content.js';
import type { PostRow, ThreadRow } from '../threads/queries.js';
import { futureDate, writeAudit } from './audit.js';

type Tx = Deps['db'];
export type FlagRow = typeof flags.$inferSelect;

/** A member flags a post for the community's moderators; once per person per post. */
export async function flagPost(deps: Deps, viewer: Viewer, post: PostRow, thread: ThreadRow, input: FlagCreateBody): Promise<FlagRow> {
  const note = (input.note ?? '').trim();
  if (input.reason === 'needs_moderator' && note === '')
    throw new AppError('VALIDATION_FAILED', 'Tell the moderators what needs their attention', {
      note: 'is needed for “needs a moderator”',
    });
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const [flag] = await tx
      .insert(flags)
      .values({
        postId: post.id,
        threadId: thread.id,
        communityId: thread.communityId,
        flaggerId: viewer.id,
        reason: input.reason,
        note,
        createdAt: now,
      })
      .onConflictDoNothing()
      .returning();
    if (!flag) throw new AppError('ALREADY_FLAGGED', 'You already flagged this post; the moderators will look at it');
    await appendEvent(
      tx,
      'post.flagged',
      thread.id,
      { flagId: flag.id, postId: post.id, threadId: thread.id, communityId: thread.communityId, by: viewer.id },
      viewer.id,
    );
    return flag;
  });
}

/** Clears a held post and announces it as if it had just been written: indexing, notifications and matching start now. */
async function approveHeldInTx(tx: Tx, viewer: Viewer, post: PostRow, thread: ThreadRow, mentions: string[], now: Date): Promise<void> {
  await tx.update(posts).set({ heldAt: null }).where(eq(posts.id, post.id));
  if (post.authorId === null) return;
  if (post.number === 1) {
    const [approved] = await tx
      .update(threads)
      .set({ heldAt: null, updatedAt: now, lastActivityAt: now })
      .where(eq(threads.id, thread.id))
      .returning();
    if (approved && thread.heldAt !== null && isListedForAll(approved)) await countListedThread(tx, approved, 1);
    await appendEvent(
      tx,
      'thread.created',
      thread.id,
      { threadId: thread.id, communityId: thread.communityId, authorId: post.authorId, postId: post.id, kind: thread.kind, mentions },
      post.authorId,
    );
  } else {
    await recountReplies(tx, thread.id);
    await tx.update(threads).set({ updatedAt: now, lastActivityAt: now }).where(eq(threads.id, thread.id));
    await appendEvent(
      tx,
      'post.created',
      thread.id,
      {
        postId: post.id,
        threadId: thread.id,
        communityId: thread.communityId,
        authorId: post.authorId,
        replyToId: post.replyToId,
        mentions,
      },
      post.authorId,
    );
  }
}

async function hideInTx(tx: Tx, viewer: Viewer, post: PostRow, thread: ThreadRow, now: Date): Promise<void> {
  if (post.hiddenAt !== null) return;
  await tx.update(posts).set({ hiddenAt: now }).where(eq(posts.id, post.id));
  if (thread.solutionPostId === post.id) await clearSolution(tx, viewer.id, thread, now);
  if (post.number === 1) await refreshThreadExcerpt(tx, thread.id);
  await recountReplies(tx, thread.id);
  await tx.update(threads).set({ updatedAt: now }).where(eq(threads.id, thread.id));
  await appendEvent(tx, 'post.hidden', thread.id, { postId: post.id, threadId: thread.id, by: viewer.id, hidden: true }, viewer.id);
}

async function deleteInTx(tx: Tx, viewer: Viewer, post: PostRow, thread: ThreadRow, now: Date): Promise<void> {
  await deletePostInTx(tx, viewer, post, thread, now);
  await appendEvent(tx, 'post.deleted', thread.id, { postId: post.id, threadId: thread.id, by: viewer.id }, viewer.id);
}

/**
 * Works one review-queue item: approve (keep the post, approve it if held), hide, delete, suspend the
 * author (and hide the post), or dismiss the flags. Resolves every open flag on the post — upheld for
 * hide/delete/suspend (they count against the author's trust), dismissed otherwise — with an audit row
 * and a `flag.resolved` event, all in one transaction.
 */
export async function reviewPost(
  deps: Deps,
  viewer: Viewer,
  post: PostRow,
  thread: ThreadRow,
  author: UserRow | null,
  input: ReviewBody,
): Promise<number> {
  const now = deps.clock.now();
  const held = post.heldAt !== null;
  const until = input.action === 'suspend' ? futureDate(input.until ?? '', now) : null;
  const reason = (input.reason ?? '').trim();
  if (input.action === 'suspend') {
    if (!author) throw new AppError('VALIDATION_FAILED', 'This post has no author to suspend', { action: 'the author’s account is gone' });
    if (reason === '')
      throw new AppError('VALIDATION_FAILED', 'Say why the author is suspended; they will see it', { reason: 'is needed to suspend' });
  }
  const mentions = held && input.action === 'approve' ? (await renderBody(deps.db, post.body)).mentions : [];
  return deps.db.transaction(async (tx) => {
    const open = await tx
      .select({ id: flags.id })
      .from(flags)
      .where(and(eq(flags.postId, post.id), eq(flags.status, 'open')))
      .for('update');
    if (open.length === 0 && !(held && input.action !== 'dismiss')) throw new AppError('NOTHING_TO_REVIEW');
    const upheld = input.action === 'hide' || input.action === 'delete' || input.action === 'suspend';
    if (open.length > 0) {
      await tx
        .update(flags)
        .set({ status: upheld ? 'upheld' : 'dismissed', resolution: input.action, resolvedBy: viewer.id, resolvedAt: now })
        .where(
          inArray(
            flags.id,
            open.map((f) => f.id),
          ),
        );
    }
    if (input.action === 'approve' && held) await approveHeldInTx(tx, viewer, post, thread, mentions, now);
    if (input.action === 'hide' || input.action === 'suspend') await hideInTx(tx, viewer, post, thread, now);
    if (input.action === 'delete') await deleteInTx(tx, viewer, post, thread, now);
    if (input.action === 'suspend' && author && until)
      await suspendInTx(tx, viewer, author, { until, reason, communityId: thread.communityId, postId: post.id }, now);
    await appendEvent(
      tx,
      'flag.resolved',
      thread.id,
      { postId: post.id, threadId: thread.id, communityId: thread.communityId, resolution: input.action, by: viewer.id },
      viewer.id,
    );
    await writeAudit(
      tx,
      {
        actorId: viewer.id,
        action: `review.${input.action}`,
        subjectType: 'post',
        subjectId: post.id,
        communityId: thread.communityId,
        details: {
          threadId: thread.id,
          flags: open.length,
          held,
          ...(post.authorId !== null && { authorId: post.authorId }),
          ...(reason && { reason }),
        },
      },
      now,
    );
    return open.length;
  });
}

export async function setThreadLocked(deps: Deps, viewer: Viewer, thread: ThreadRow, locked: boolean): Promise<void> {
  if ((thread.status === 'locked') === locked) return;
  const now = deps.clock.now();
  const status = locked ? 'locked' : thread.solutionPostId !== null ? 'solved' : 'open';
  await deps.db.transaction(async (tx) => {
    await tx.update(threads).set({ status, updatedAt: now }).where(eq(threads.id, thread.id));
    await appendEvent(
      tx,
      'thread.moderated',
      thread.id,
      { threadId: thread.id, by: viewer.id, action: locked ? 'lock' : 'unlock' },
      viewer.id,
    );
    await writeAudit(
      tx,
      {
        actorId: viewer.id,
        action: locked ? 'thread.lock' : 'thread.unlock',
        subjectType: 'thread',
        subjectId: thread.id,
        communityId: thread.communityId,
        details: { title: thread.title },
      },
      now,
    );
  });
}

/** Moves a thread to another community: its tags, counts, flags and (through the event) its search document follow. */
export async function moveThread(deps: Deps, viewer: Viewer, thread: ThreadRow, from: CommunityRow, to: CommunityRow): Promise<void> {
  if (from.id === to.id)
    throw new AppError('VALIDATION_FAILED', 'The thread is already in that community', { community: 'is where the thread is' });
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    await tx.update(threads).set({ communityId: to.id, updatedAt: now }).where(eq(threads.id, thread.id));
    await tx.update(flags).set({ communityId: to.id }).where(eq(flags.threadId, thread.id));
    if (isListedForAll(thread)) {
      await countListedThread(tx, { communityId: from.id, tags: thread.tags }, -1);
      await countListedThread(tx, { communityId: to.id, tags: thread.tags }, 1);
    }
    await appendEvent(
      tx,
      'thread.moderated',
      thread.id,
      { threadId: thread.id, by: viewer.id, action: 'move', fromCommunityId: from.id, toCommunityId: to.id },
      viewer.id,
    );
    const details = { title: thread.title, from: from.slug, to: to.slug };
    await writeAudit(
      tx,
      { actorId: viewer.id, action: 'thread.move', subjectType: 'thread', subjectId: thread.id, communityId: from.id, details },
      now,
    );
    await writeAudit(
      tx,
      { actorId: viewer.id, action: 'thread.move', subjectType: 'thread', subjectId: thread.id, communityId: to.id, details },
      now,
    );
  });
}
