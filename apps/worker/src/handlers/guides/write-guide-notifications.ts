import { asc, communities, eq, guides, guideSources, loadViewers, type Db } from '@praxis/db';
import { can, type GuideRef } from '@praxis/domain';
import { insertNotification } from '../notifications/write-notifications.js';

export async function loadGuideContext(db: Db, guideId: number) {
  const [row] = await db
    .select({
      guide: guides,
      community: { id: communities.id, visibility: communities.visibility, guideSelfPublish: communities.guideSelfPublish },
    })
    .from(guides)
    .innerJoin(communities, eq(communities.id, guides.communityId))
    .where(eq(guides.id, guideId));
  if (!row) return null;
  const sources = await db.select().from(guideSources).where(eq(guideSources.guideId, guideId)).orderBy(asc(guideSources.position));
  const ref: GuideRef = {
    id: row.guide.id,
    status: row.guide.status,
    createdBy: row.guide.createdBy,
    submittedBy: row.guide.submittedBy,
    ownerId: row.guide.ownerId,
    community: row.community,
  };
  return { ...row, sources, ref };
}
export type GuideContext = NonNullable<Awaited<ReturnType<typeof loadGuideContext>>>;

/**
 * Writes guide notifications (kind guide_review / guide_credited). A notification row points at a
 * thread, so it names the guide's first source thread and carries the guide in `data`. Each recipient's
 * right to read the guide is re-checked; the (user, dedupe key) unique index makes retries write nothing.
 */
export async function writeGuideNotifications(
  deps: { db: Db; clock: { now(): Date } },
  context: GuideContext,
  items: { userId: number; kind: 'guide_review' | 'guide_credited'; dedupeKey: string; data: Record<string, unknown> }[],
  actorId: number | null,
): Promise<number> {
  const first = context.sources[0];
  if (!first || items.length === 0) return 0;
  const viewers = await loadViewers(
    deps.db,
    items.map((i) => i.userId),
    deps.clock.now(),
  );
  const allowed = items.filter((i) => {
    const viewer = viewers.get(i.userId);
    return viewer !== undefined && can(viewer, 'guide.read', context.ref);
  });
  return deps.db.transaction(async (tx) => {
    let count = 0;
    for (const item of allowed) {
      const id = await insertNotification(tx, {
        userId: item.userId,
        kind: item.kind,
        communityId: context.community.id,
        threadId: first.threadId,
        postId: null,
        actorId,
        dedupeKey: item.dedupeKey,
        data: { guideId: context.guide.id, guideTitle: context.guide.title, ...item.data },
      });
      if (id !== null) count += 1;
    }
    return count;
  });
}
