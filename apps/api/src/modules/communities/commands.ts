import { AppError, type CommunityCreateBody, type CommunityUpdateBody } from '@praxis/contracts';
import { and, appendEvent, auditLog, charterRevisions, communities, eq, memberships, sql } from '@praxis/db';
import { renderMarkdown, type Viewer } from '@praxis/domain';
import type { Deps } from '../../context.js';
import type { CommunityRow } from './queries.js';

export async function createCommunity(
  deps: Deps,
  viewer: Viewer,
  input: CommunityCreateBody,
  leaderId: number = viewer.id,
): Promise<CommunityRow> {
  const [existing] = await deps.db.select({ id: communities.id }).from(communities).where(eq(communities.slug, input.slug));
  if (existing) throw new AppError('SLUG_TAKEN', `"${input.slug}" is taken`, { slug: 'is taken' });
  return deps.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(communities)
      .values({
        slug: input.slug,
        name: input.name,
        description: input.description ?? '',
        charter: input.charter ?? '',
        charterHtml: renderMarkdown(input.charter ?? ''),
        visibility: input.visibility ?? 'public',
        createdBy: viewer.id,
        memberCount: 1,
        charterRevision: (input.charter ?? '') === '' ? 0 : 1,
      })
      .returning();
    if (!row) throw new Error('insert returned no row');
    if (row.charterRevision === 1)
      await tx
        .insert(charterRevisions)
        .values({ communityId: row.id, revision: 1, charter: row.charter, editorId: viewer.id, createdAt: row.createdAt });
    await tx.insert(memberships).values({ communityId: row.id, userId: leaderId, role: 'leader' });
    await appendEvent(tx, 'community.created', row.id, { communityId: row.id, createdBy: viewer.id }, viewer.id);
    await tx.insert(auditLog).values({
      actorId: viewer.id,
      action: 'community.create',
      subjectType: 'community',
      subjectId: row.id,
      communityId: row.id,
      details: { slug: row.slug },
    });
    return row;
  });
}

export async function updateCommunity(deps: Deps, viewer: Viewer, community: CommunityRow, input: CommunityUpdateBody): Promise<void> {
  const fields = Object.keys(input).filter((k) => input[k as keyof CommunityUpdateBody] !== undefined);
  const charterChanged = input.charter !== undefined && input.charter !== community.charter;
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    // Each new charter text is a numbered revision (who, when, what); the row lock orders concurrent edits.
    const [locked] = charterChanged
      ? await tx.select({ revision: communities.charterRevision }).from(communities).where(eq(communities.id, community.id)).for('update')
      : [];
    const revision = (locked?.revision ?? community.charterRevision) + 1;
    await tx
      .update(communities)
      .set({
        ...(input.name !== undefined && { name: input.name }),
        ...(input.description !== undefined && { description: input.description }),
        ...(input.charter !== undefined && { charter: input.charter, charterHtml: renderMarkdown(input.charter) }),
        ...(charterChanged && { charterRevision: revision }),
        ...(input.holdFirstPosts !== undefined && { holdFirstPosts: input.holdFirstPosts }),
        updatedAt: now,
      })
      .where(eq(communities.id, community.id));
    if (charterChanged)
      await tx
        .insert(charterRevisions)
        .values({ communityId: community.id, revision, charter: input.charter!, editorId: viewer.id, createdAt: now });
    await appendEvent(tx, 'community.updated', community.id, { communityId: community.id, updatedBy: viewer.id, fields }, viewer.id);
    await tx.insert(auditLog).values({
      actorId: viewer.id,
      action: 'community.update',
      subjectType: 'community',
      subjectId: community.id,
      communityId: community.id,
      details: { fields, ...(input.charter !== undefined && { previousCharter: community.charter }) },
    });
  });
}

export async function joinCommunity(deps: Deps, viewer: Viewer, community: CommunityRow): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const inserted = await tx
      .insert(memberships)
      .values({ communityId: community.id, userId: viewer.id })
      .onConflictDoNothing()
      .returning({ userId: memberships.userId });
    if (inserted.length === 0) throw new AppError('ALREADY_MEMBER');
    await tx
      .update(communities)
      .set({ memberCount: sql`${communities.memberCount} + 1` })
      .where(eq(communities.id, community.id));
    await appendEvent(tx, 'member.joined', community.id, { communityId: community.id, userId: viewer.id }, viewer.id);
  });
}

export async function leaveCommunity(deps: Deps, viewer: Viewer, community: CommunityRow): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const removed = await tx
      .delete(memberships)
      .where(and(eq(memberships.communityId, community.id), eq(memberships.userId, viewer.id)))
      .returning({ userId: memberships.userId });
    if (removed.length === 0) throw new AppError('NOT_A_MEMBER');
    await tx
      .update(communities)
      .set({ memberCount: sql`greatest(${communities.memberCount} - 1, 0)` })
      .where(eq(communities.id, community.id));
    await appendEvent(tx, 'member.left', community.id, { communityId: community.id, userId: viewer.id }, viewer.id);
  });
}
