import { AppError, MAX_TAGS, type GuideCreateBody, type GuideUpdateBody } from '@praxis/contracts';
import {
  and,
  appendEvent,
  auditLog,
  communities,
  eq,
  guideRevisions,
  guides,
  guideSimilarQuestions,
  guideSources,
  inArray,
  posts,
  threads,
  users,
  isVisibleToAll,
} from '@praxis/db';
import {
  buildGuideDraft,
  can,
  chooseGuideOwner,
  guideReviewDueAt,
  guideSourceSection,
  nextGuideStatus,
  normalizeTags,
  renderMarkdown,
  type GuideSourceInput,
  type GuideStep,
  type Viewer,
} from '@praxis/domain';
import type { Deps } from '../../context.js';
import { postRef, threadRef } from '../threads/queries.js';
import type { GuideCommunity, LoadedGuide } from './queries.js';

type Tx = Parameters<Parameters<Deps['db']['transaction']>[0]>[0];

/**
 * The answers a guide may be built from, in the order asked. Refused with 422 and the offending ids:
 * unknown or unreadable posts (one message: the viewer learns nothing about posts they may not read),
 * posts of another community, opening posts or discussion replies (not answers), hidden or deleted ones.
 */
async function loadSources(
  deps: Deps,
  viewer: Viewer,
  community: GuideCommunity,
  postIds: number[],
): Promise<(GuideSourceInput & { tags: string[] })[]> {
  const rows = await deps.db
    .select({
      post: posts,
      thread: threads,
      visibility: communities.visibility,
      author: { id: users.id, username: users.username, displayName: users.displayName },
    })
    .from(posts)
    .innerJoin(threads, eq(threads.id, posts.threadId))
    .innerJoin(communities, eq(communities.id, threads.communityId))
    .leftJoin(users, eq(users.id, posts.authorId))
    .where(inArray(posts.id, postIds));
  const byId = new Map(rows.map((r) => [r.post.id, r]));
  const errors: Record<string, string> = {};
  postIds.forEach((id, i) => {
    const row = byId.get(id);
    const key = `sourcePostIds.${i}`;
    if (!row || row.thread.deletedAt !== null) return void (errors[key] = `There is no post ${id} you can read`);
    const ref = postRef(row.post, threadRef(row.thread, { id: row.thread.communityId, visibility: row.visibility }));
    if (row.thread.communityId !== community.id) {
      // Do not say which community a post the viewer may not read is in.
      errors[key] = can(viewer, 'post.read', ref) ? `Post ${id} is in another community` : `There is no post ${id} you can read`;
      return;
    }
    if (!can(viewer, 'post.read', ref)) return void (errors[key] = `There is no post ${id} you can read`);
    if (!isVisibleToAll(row.post)) return void (errors[key] = `Post ${id} is hidden, deleted or waiting for approval`);
    if (row.thread.kind !== 'question' || row.post.number === 1)
      errors[key] = `Post ${id} is not an answer: guides are built from answers to questions`;
  });
  const first = Object.entries(errors)[0];
  if (first) throw new AppError('INVALID_GUIDE_SOURCE', first[1], errors);
  return postIds.map((id) => {
    const r = byId.get(id)!;
    return {
      postId: id,
      threadId: r.thread.id,
      threadTitle: r.thread.title,
      body: r.post.body,
      author: r.author && r.author.id !== null ? r.author : null,
      accepted: r.thread.solutionPostId === id,
      postedAt: r.post.createdAt,
      tags: r.thread.tags,
    };
  });
}

async function insertSources(tx: Tx, guideId: number, sources: GuideSourceInput[], from: number, now: Date): Promise<void> {
  if (sources.length === 0) return;
  await tx.insert(guideSources).values(
    sources.map((s, i) => ({
      guideId,
      postId: s.postId,
      threadId: s.threadId,
      authorId: s.author?.id ?? null,
      position: from + i,
      addedAt: now,
    })),
  );
}

async function writeRevision(
  tx: Tx,
  guide: { id: number; revision: number },
  content: { title: string; body: string },
  editorId: number,
  note: string | null,
  now: Date,
): Promise<void> {
  await tx
    .insert(guideRevisions)
    .values({ guideId: guide.id, revision: guide.revision, title: content.title, body: content.body, editorId, note, createdAt: now });
}

export async function createGuide(deps: Deps, viewer: Viewer, community: GuideCommunity, input: GuideCreateBody) {
  const sources = await loadSources(deps, viewer, community, input.sourcePostIds);
  const title = input.title.trim();
  const body = buildGuideDraft(sources);
  const tags = input.tags ? normalizeTags(input.tags) : normalizeTags(sources.flatMap((s) => s.tags)).slice(0, MAX_TAGS);
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(guides)
      .values({
        communityId: community.id,
        title,
        body,
        html: renderMarkdown(body),
        tags,
        status: 'draft',
        revision: 1,
        createdBy: viewer.id,
        ownerId: chooseGuideOwner(sources) ?? viewer.id,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    if (!row) throw new Error('insert returned no row');
    await writeRevision(
      tx,
      row,
      { title, body },
      viewer.id,
      `Created from ${sources.length === 1 ? 'one answer' : `${sources.length} answers`}`,
      now,
    );
    await insertSources(tx, row.id, sources, 0, now);
    await appendEvent(tx, 'guide.created', row.id, { guideId: row.id, communityId: community.id, by: viewer.id }, viewer.id);
    return row;
  });
}

function ensureStep(loaded: LoadedGuide, step: GuideStep) {
  const next = nextGuideStatus(loaded.guide.status, step);
  if (next === null)
    throw new AppError(
      'GUIDE_STATUS',
      `A guide that is ${loaded.guide.status.replace('_', ' ')} cannot be ${step === 'submit' ? 'submitted' : step === 'approve' ? 'approved' : step === 'verify' ? 'verified' : step === 'restore' ? 'restored' : 'edited'}`,
    );
  return next;
}

/** A new revision with new content; the revision number is taken under the row lock so concurrent saves never collide. */
async function revise(
  deps: Deps,
  viewer: Viewer,
  loaded: LoadedGuide,
  step: 'edit' | 'restore',
  change: (current: typeof guides.$inferSelect) => { title: string; body: string; tags?: string[]; note: string | null },
  extra?: (tx: Tx, revision: number, now: Date) => Promise<void>,
) {
  ensureStep(loaded, step);
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const [current] = await tx.select().from(guides).where(eq(guides.id, loaded.guide.id)).for('update');
    if (!current) throw new AppError('NOT_FOUND', `No guide ${loaded.guide.id}`);
    if (nextGuideStatus(current.status, step) === null) throw new AppError('GUIDE_STATUS', 'The guide changed status meanwhile; reload it');
    const next = change(current);
    const revision = current.revision + 1;
    const [row] = await tx
      .update(guides)
      .set({
        title: next.title,
        body: next.body,
        html: renderMarkdown(next.body),
        ...(next.tags && { tags: next.tags }),
        revision,
        updatedAt: now,
      })
      .where(eq(guides.id, current.id))
      .returning();
    await writeRevision(tx, { id: current.id, revision }, next, viewer.id, next.note, now);
    await extra?.(tx, revision, now);
    await appendEvent(tx, 'guide.revised', current.id, { guideId: current.id, revision, by: viewer.id }, viewer.id);
    return row!;
  });
}

export function updateGuide(deps: Deps, viewer: Viewer, loaded: LoadedGuide, input: GuideUpdateBody) {
  return revise(deps, viewer, loaded, 'edit', (g) => ({
    title: input.title?.trim() ?? g.title,
    body: input.body ?? g.body,
    ...(input.tags && { tags: normalizeTags(input.tags) }),
    note: input.note?.trim() || null,
  }));
}

/** Adds answers (from any thread of the community) to the guide: credited sources, and a quoted section each at the end of the body. */
export async function addGuideSources(deps: Deps, viewer: Viewer, loaded: LoadedGuide, postIds: number[]) {
  const existing = await deps.db
    .select({ postId: guideSources.postId, position: guideSources.position })
    .from(guideSources)
    .where(eq(guideSources.guideId, loaded.guide.id));
  const known = new Set(existing.map((s) => s.postId));
  const fresh = postIds.filter((id) => !known.has(id));
  const sources = await loadSources(deps, viewer, loaded.community, postIds);
  const added = sources.filter((s) => fresh.includes(s.postId));
  if (added.length === 0) return loaded.guide;
  const from = Math.max(-1, ...existing.map((s) => s.position)) + 1;
  return revise(
    deps,
    viewer,
    loaded,
    'edit',
    (g) => ({
      title: g.title,
      body: `${g.body.trimEnd()}\n\n${added.map(guideSourceSection).join('\n\n')}\n`,
      note: `Added ${added.length === 1 ? 'one answer' : `${added.length} answers`}`,
    }),
    (tx, _revision, now) => insertSources(tx, loaded.guide.id, added, from, now),
  );
}

export async function restoreGuideRevision(
  deps: Deps,
  viewer: Viewer,
  loaded: LoadedGuide,
  old: { revision: number; title: string; body: string },
) {
  return revise(deps, viewer, loaded, 'restore', () => ({ title: old.title, body: old.body, note: `Restored revision ${old.revision}` }));
}

/** One status step (submit, approve, verify) with its event, guarded against a concurrent change of status. */
async function stepGuide<E extends 'guide.submitted' | 'guide.published' | 'guide.verified'>(
  deps: Deps,
  viewer: Viewer,
  loaded: LoadedGuide,
  step: 'submit' | 'approve' | 'verify',
  event: E,
  set: (now: Date) => Partial<typeof guides.$inferInsert>,
  extra?: (tx: Tx) => Promise<void>,
) {
  const status = ensureStep(loaded, step);
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const [row] = await tx
      .update(guides)
      .set({ status, updatedAt: now, ...set(now) })
      .where(and(eq(guides.id, loaded.guide.id), eq(guides.status, loaded.guide.status)))
      .returning();
    if (!row) throw new AppError('GUIDE_STATUS', 'The guide changed status meanwhile; reload it');
    await extra?.(tx);
    await appendEvent(tx, event, row.id, { guideId: row.id, by: viewer.id } as never, viewer.id);
    return row;
  });
}

export const submitGuide = (deps: Deps, viewer: Viewer, loaded: LoadedGuide) =>
  stepGuide(deps, viewer, loaded, 'submit', 'guide.submitted', (now) => ({ submittedAt: now, submittedBy: viewer.id }));

export const approveGuide = (deps: Deps, viewer: Viewer, loaded: LoadedGuide) =>
  stepGuide(deps, viewer, loaded, 'approve', 'guide.published', (now) => ({
    approvedBy: viewer.id,
    publishedAt: loaded.guide.publishedAt ?? now,
    reviewDueAt: guideReviewDueAt(now),
    reviewRequestedAt: null,
  }));

/** The owner (or a leader) confirms the guide is still right: the review date moves on and the similar-question count restarts. */
export const verifyGuide = (deps: Deps, viewer: Viewer, loaded: LoadedGuide) =>
  stepGuide(
    deps,
    viewer,
    loaded,
    'verify',
    'guide.verified',
    (now) => ({
      verifiedAt: now,
      verifiedBy: viewer.id,
      reviewDueAt: guideReviewDueAt(now),
      reviewRequestedAt: null,
      similarQuestionsSinceVerified: 0,
    }),
    async (tx) => {
      await tx.delete(guideSimilarQuestions).where(eq(guideSimilarQuestions.guideId, loaded.guide.id));
    },
  );

export async function updateGuideSettings(deps: Deps, viewer: Viewer, community: GuideCommunity, selfPublish: boolean): Promise<void> {
  await deps.db.transaction(async (tx) => {
    await tx.update(communities).set({ guideSelfPublish: selfPublish }).where(eq(communities.id, community.id));
    await appendEvent(
      tx,
      'community.updated',
      community.id,
      { communityId: community.id, updatedBy: viewer.id, fields: ['guideSelfPublish'] },
      viewer.id,
    );
    await tx.insert(auditLog).values({
      actorId: viewer.id,
      action: 'community.guides.update',
      subjectType: 'community',
      subjectId: community.id,
      communityId: community.id,
      details: { before: { selfPublish: community.guideSelfPublish }, changes: { selfPublish } },
    });
  });
}
