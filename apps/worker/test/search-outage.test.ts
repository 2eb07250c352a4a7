import { and, eq, isNull, threads } from '@praxis/db';
import { createInProcessQueue } from '@praxis/queue';
import { createEmbeddedSearchIndex, type SearchIndex } from '@praxis/search';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { eventually, fixtures } from './fixtures.js';
import { createHarness, type Harness } from './harness.js';

/** The embedded index behind a switch: while down every call fails the way an unreachable engine does. */
function switchable(inner: SearchIndex) {
  const state = { down: false };
  const guard =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      if (state.down) throw new Error('connect ECONNREFUSED 127.0.0.1:7700');
      return fn(...args);
    };
  const index: SearchIndex = {
    kind: inner.kind,
    ensureReady: guard(() => inner.ensureReady()),
    upsert: guard((docs) => inner.upsert(docs)),
    remove: guard((ids) => inner.remove(ids)),
    versions: guard((ids) => inner.versions(ids)),
    search: guard((q) => inner.search(q)),
    similar: guard((q) => inner.similar(q)),
    count: guard(() => inner.count()),
    clear: guard(() => inner.clear()),
    close: () => inner.close(),
  };
  return { index, state };
}

let h: Harness;
let engine: ReturnType<typeof switchable>;
beforeAll(async () => {
  engine = switchable(createEmbeddedSearchIndex());
  h = await createHarness(engine.index);
  // Few, fast retries so indexing jobs give up while the engine is down; the reconciler must heal.
  await h.start(createInProcessQueue(), { retry: { attempts: 2, backoffMs: 10 }, reconcileEveryMs: 200 });
});
afterAll(() => h.close());

it('catches up without a manual step after the search engine was down while people posted', async () => {
  const f = fixtures(h.database.db);
  const ada = await f.user('ada');
  const community = await f.community('outage', 'public', [ada.id]);
  engine.state.down = true;
  const titles = [
    'Kegging without a CO2 regulator',
    'Dry hopping in the keg',
    'Bottle conditioning temperatures',
    'Yeast starter on a stir plate',
    'Water chemistry for pale ales',
  ];
  const created = [];
  for (const title of titles) created.push((await f.thread(community.id, ada.id, title, `${title}: details inside.`)).thread);
  // Every indexing job fails for good meanwhile (dead letters), and nothing is stamped as indexed.
  await eventually(
    async () => {
      const unindexed = await h.database.db
        .select()
        .from(threads)
        .where(and(eq(threads.communityId, community.id), isNull(threads.indexedAt)));
      return unindexed.length === titles.length || null;
    },
    10_000,
    'threads to wait for the index',
  );

  engine.state.down = false;
  const hits = await eventually(
    async () => {
      const result = await h.search.search({ q: 'keg', readableCommunityIds: [community.id], limit: 10, offset: 0 });
      return result.total === 2 ? result.hits : null;
    },
    20_000,
    'the reconciler to re-index',
  );
  expect(hits.map((hit) => hit.id).sort()).toEqual([created[0]!.id, created[1]!.id].sort());
  await eventually(async () => (await h.search.count()) === titles.length || null, 20_000, 'every thread indexed');
  // A thread is stamped indexed just after its document is written, so the stamps can trail the count briefly.
  await eventually(
    async () => {
      const unstamped = await h.database.db
        .select()
        .from(threads)
        .where(and(eq(threads.communityId, community.id), isNull(threads.indexedAt)));
      return unstamped.length === 0 || null;
    },
    10_000,
    'every thread stamped as indexed',
  );
});

it('re-indexes documents the engine lost (the sweep compares the index with the database)', async () => {
  const before = await h.search.count();
  expect(before).toBeGreaterThan(0);
  await h.search.clear();
  await eventually(async () => (await h.search.count()) === before || null, 20_000, 'the lost documents to come back');
});
