import { and, asc, gt, inArray, isNotNull, isNull, sql, threads, threadsNeedingIndex, type Db } from '@praxis/db';
import { SEARCH_DOCUMENT_VERSION, type SearchIndex } from '@praxis/search';
import { indexThreads } from './thread-document.js';

export interface ReconcileState {
  /** Where the sweep for documents missing from the index resumes. */
  sweepAfterId: number;
}

export interface ReconcileResult {
  indexed: number;
  removed: number;
  /** Threads found missing from the index (or on an old version) by the sweep and queued for the next pass. */
  missing: number;
  /** True when a full batch was found: there may be more. */
  more: boolean;
}

/**
 * One bounded pass that heals the index after any outage:
 * 1. threads never indexed, changed since (indexed_at < updated_at) or on an old document version;
 * 2. deleted threads still in the index;
 * 3. a sweep over a window of ids comparing the index with the database, for documents lost by the engine.
 */
export async function reconcileSearchIndex(
  deps: { db: Db; search: SearchIndex },
  state: ReconcileState,
  batchSize = 200,
): Promise<ReconcileResult> {
  const stale = await deps.db
    .select({ id: threads.id })
    .from(threads)
    .where(threadsNeedingIndex(SEARCH_DOCUMENT_VERSION))
    .orderBy(asc(threads.id))
    .limit(batchSize);
  const deleted = await deps.db
    .select({ id: threads.id })
    .from(threads)
    .where(and(isNotNull(threads.deletedAt), isNotNull(threads.indexedAt)))
    .limit(batchSize);
  const written = await indexThreads(deps, [...stale.map((r) => r.id), ...deleted.map((r) => r.id)]);

  const window = await deps.db
    .select({ id: threads.id })
    .from(threads)
    .where(and(isNull(threads.deletedAt), isNotNull(threads.indexedAt), gt(threads.id, state.sweepAfterId)))
    .orderBy(asc(threads.id))
    .limit(500);
  let missing = 0;
  if (window.length > 0) {
    const versions = await deps.search.versions(window.map((r) => r.id));
    const lost = window.map((r) => r.id).filter((id) => versions.get(id) !== SEARCH_DOCUMENT_VERSION);
    if (lost.length > 0) await deps.db.update(threads).set({ indexedAt: null }).where(inArray(threads.id, lost));
    missing = lost.length;
    state.sweepAfterId = window.length < 500 ? 0 : window[window.length - 1]!.id;
  } else {
    state.sweepAfterId = 0;
  }
  return {
    indexed: written.indexed,
    removed: written.removed,
    missing,
    more: stale.length === batchSize || deleted.length === batchSize || missing > 0,
  };
}

/** Threads the index still owes: the progress figure of a rebuild. */
export async function countStaleThreads(db: Db): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(threads)
    .where(threadsNeedingIndex(SEARCH_DOCUMENT_VERSION));
  return row?.n ?? 0;
}
