import { and, asc, communities, eq, gt, guides, inArray, isNotNull, lt, ne, or, sql, type Db } from '@praxis/db';
import { GUIDE_DOCUMENT_VERSION, toGuideDocument, type SearchIndex } from '@praxis/search';

type Deps = { db: Db; guideSearch?: SearchIndex | undefined; clock: { now(): Date } };

/**
 * Brings the guide index in line with the database for these guides: published ones are (re)indexed,
 * anything else (a draft, archived, deleted) is removed. Idempotent; stamps indexed_at / search_version.
 */
export async function indexGuides(deps: Deps, ids: number[]): Promise<{ indexed: number; removed: number }> {
  const index = deps.guideSearch;
  if (!index || ids.length === 0) return { indexed: 0, removed: 0 };
  const rows = await deps.db.select().from(guides).where(inArray(guides.id, ids));
  const live = rows.filter((g) => g.status === 'published' && g.deletedAt === null);
  const gone = [...new Set(ids)].filter((id) => !live.some((g) => g.id === id));
  const now = deps.clock.now();
  if (live.length > 0) await index.upsert(live.map(toGuideDocument));
  if (gone.length > 0) await index.remove(gone);
  if (live.length > 0)
    await deps.db
      .update(guides)
      .set({ indexedAt: now, searchVersion: GUIDE_DOCUMENT_VERSION })
      .where(
        inArray(
          guides.id,
          live.map((g) => g.id),
        ),
      );
  const stamped = rows.filter((g) => gone.includes(g.id) && g.indexedAt !== null).map((g) => g.id);
  if (stamped.length > 0) await deps.db.update(guides).set({ indexedAt: null }).where(inArray(guides.id, stamped));
  return { indexed: live.length, removed: gone.length };
}

/**
 * One bounded pass, like the threads' reconciler: published guides never indexed, changed since or on an
 * old document version; unpublished or deleted guides still stamped as indexed; and a sweep comparing
 * the index with the database for documents the engine lost.
 */
export async function reconcileGuideIndex(deps: Deps, batchSize = 200): Promise<{ indexed: number; removed: number; missing: number }> {
  const index = deps.guideSearch;
  if (!index) return { indexed: 0, removed: 0, missing: 0 };
  const stale = await deps.db
    .select({ id: guides.id })
    .from(guides)
    .where(
      or(
        and(
          eq(guides.status, 'published'),
          sql`${guides.deletedAt} is null`,
          or(sql`${guides.indexedAt} is null`, lt(guides.indexedAt, guides.updatedAt), lt(guides.searchVersion, GUIDE_DOCUMENT_VERSION)),
        ),
        and(isNotNull(guides.indexedAt), or(ne(guides.status, 'published'), isNotNull(guides.deletedAt))),
      ),
    )
    .orderBy(asc(guides.id))
    .limit(batchSize);
  const written = await indexGuides(
    deps,
    stale.map((r) => r.id),
  );
  const indexed = await deps.db
    .select({ id: guides.id })
    .from(guides)
    .innerJoin(communities, eq(communities.id, guides.communityId))
    .where(and(eq(guides.status, 'published'), isNotNull(guides.indexedAt), gt(guides.id, 0)))
    .limit(2000);
  let missing = 0;
  if (indexed.length > 0) {
    const versions = await index.versions(indexed.map((r) => r.id));
    const lost = indexed.map((r) => r.id).filter((id) => versions.get(id) !== GUIDE_DOCUMENT_VERSION);
    if (lost.length > 0) missing = (await indexGuides(deps, lost)).indexed;
  }
  return { ...written, missing };
}
