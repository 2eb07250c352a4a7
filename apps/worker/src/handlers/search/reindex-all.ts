import { threads, type Db } from '@praxis/db';
import type { SearchIndex } from '@praxis/search';
import { defineHandler } from '../../dispatch.js';
import { countStaleThreads, reconcileSearchIndex } from './reconcile.js';

/** Empties the index and rebuilds it from the database in bounded batches, reporting progress. */
export async function rebuildSearchIndex(
  deps: { db: Db; search: SearchIndex },
  onProgress: (done: number, total: number) => void = () => undefined,
  batchSize = 500,
): Promise<number> {
  await deps.search.ensureReady();
  await deps.search.clear();
  await deps.db.update(threads).set({ indexedAt: null });
  const total = await countStaleThreads(deps.db);
  let done = 0;
  onProgress(done, total);
  const state = { sweepAfterId: 0 };
  for (;;) {
    const pass = await reconcileSearchIndex(deps, state, batchSize);
    done += pass.indexed;
    onProgress(Math.min(done, total), total);
    if (pass.indexed === 0 && pass.removed === 0) return done;
  }
}

export const reindexAll = defineHandler('search.reindex-all', {
  queue: 'maintenance',
  async handle(_event, deps) {
    const indexed = await rebuildSearchIndex(deps, (done, total) => {
      if (done === total || done % 2000 === 0) deps.log.info('search rebuild', { done, total });
    });
    deps.log.info('search rebuild finished', { indexed });
    return 'done';
  },
});
