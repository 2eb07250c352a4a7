import { communities, eq, tags as tagsTable, threads } from '@praxis/db';
import { createInProcessQueue } from '@praxis/queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, fixtures } from './fixtures.js';
import { createHarness, type Harness } from './harness.js';

let h: Harness;

beforeAll(async () => {
  h = await createHarness();
}, 60_000);
afterAll(() => h.close());

describe('the counter reconciler', () => {
  it('runs on its schedule in the worker and repairs drifted thread, tag and reply counts', async () => {
    const f = fixtures(h.database.db);
    const author = await f.user('counted_author');
    const community = await f.community('drifted', 'public', [author.id]);
    const { thread } = await f.thread(community.id, author.id, 'A thread whose counts drifted', 'Opening words', ['drift']);
    await f.reply(thread.id, community.id, author.id, 'A visible reply');
    // The fixtures write rows without the counters the API keeps; make the drift explicit anyway.
    await h.database.db.update(communities).set({ threadCount: 5 }).where(eq(communities.id, community.id));
    await h.database.db.update(threads).set({ replyCount: 9, excerpt: '' }).where(eq(threads.id, thread.id));

    await h.start(createInProcessQueue(), { countersEveryMs: 60_000 });
    // The excerpts are repaired last in a run: once this one is, the counts of that run are too.
    await eventually(
      async () => {
        const [row] = await h.database.db.select().from(threads).where(eq(threads.id, thread.id));
        return row?.excerpt === 'Opening words' || null;
      },
      20_000,
      'the reconciler to have run',
    );
    const [repaired] = await h.database.db.select().from(communities).where(eq(communities.id, community.id));
    expect(repaired!.threadCount).toBe(1);
    const [tag] = await h.database.db.select().from(tagsTable).where(eq(tagsTable.communityId, community.id));
    expect(tag).toMatchObject({ name: 'drift', threadCount: 1 });
    const [counted] = await h.database.db.select().from(threads).where(eq(threads.id, thread.id));
    expect(counted).toMatchObject({ replyCount: 1, excerpt: 'Opening words' });
  });
});
