import { and, eq, expertStats, notifications, userStats } from '@praxis/db';
import { createInProcessQueue, type JobQueue, type JobToAdd } from '@praxis/queue';
import { createEmbeddedSearchIndex, type SearchIndex } from '@praxis/search';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, fixtures } from './fixtures.js';
import { createHarness, type Harness } from './harness.js';

/** An in-process queue that holds what the relay hands to the 'events' queue until released: a burst arrives at once. */
function gatedQueue(): { queue: JobQueue; release(): Promise<void> } {
  const inner = createInProcessQueue();
  let held: JobToAdd[] | null = [];
  const queue: JobQueue = {
    ...inner,
    addBulk: async (jobs) => {
      if (held && jobs.every((job) => job.queue === 'events')) held.push(...jobs);
      else await inner.addBulk(jobs);
    },
  };
  return {
    queue,
    release: async () => {
      const jobs = held ?? [];
      held = null;
      await inner.addBulk(jobs);
    },
  };
}

describe('a burst of replies to one thread (coalesced rebuilds)', () => {
  let h: Harness;
  let upserts = 0;
  beforeAll(async () => {
    const search = createEmbeddedSearchIndex();
    const counting: SearchIndex = {
      ...search,
      upsert: (documents) => {
        upserts += 1;
        return search.upsert(documents);
      },
    };
    h = await createHarness(counting);
  });
  afterAll(() => h.close());

  it('indexes every reply, notifies about each exactly once and counts them all, with far fewer rebuilds than replies', async () => {
    const f = fixtures(h.database.db);
    const asker = await f.user('burst_asker');
    const repliers = [await f.user(), await f.user(), await f.user(), await f.user(), await f.user()];
    const club = await f.community('burst', 'public', [asker.id, ...repliers.map((r) => r.id)]);
    const gate = gatedQueue();
    // No reconciler pass during the test: what is indexed is what the event handlers indexed.
    await h.start(gate.queue, { reconcileEveryMs: 3_600_000, retry: { attempts: 3, backoffMs: 20 } });
    const { thread } = await f.thread(club.id, asker.id, 'How do I keep a steady fermentation temperature?', 'My garage swings.');
    const replies = [];
    for (let i = 0; i < 50; i++)
      replies.push(await f.reply(thread.id, club.id, repliers[i % 5]!.id, `Try a swamp cooler, wort${i}marker works for me.`));
    await eventually(
      async () => (await h.deps.db.select().from(notifications).where(eq(notifications.threadId, thread.id))).length === 0 || null,
      5_000,
      'nothing handled before the release',
    );
    upserts = 0;
    await gate.release();

    // Every reply is in the index.
    for (let i = 0; i < 50; i++) {
      await eventually(
        async () => {
          const result = await h.search.search({ q: `wort${i}marker`, readableCommunityIds: [club.id], limit: 5, offset: 0 });
          return result.hits.some((hit) => hit.id === thread.id) || null;
        },
        15_000,
        `reply ${i} to be searchable`,
      );
    }
    // The asker is told about each reply exactly once.
    const told = await eventually(
      async () => {
        const rows = await h.deps.db
          .select()
          .from(notifications)
          .where(and(eq(notifications.threadId, thread.id), eq(notifications.userId, asker.id)));
        return rows.length >= 50 ? rows : null;
      },
      15_000,
      'a notification per reply',
    );
    expect(told.map((n) => n.postId).sort()).toEqual(replies.map((r) => r.id).sort());
    // Each replier's counts (trust) and expertise (matching) include all ten of their replies.
    for (const replier of repliers) {
      await eventually(
        async () => {
          const [stats] = await h.deps.db.select().from(userStats).where(eq(userStats.userId, replier.id));
          const [expertise] = await h.deps.db
            .select()
            .from(expertStats)
            .where(and(eq(expertStats.userId, replier.id), eq(expertStats.communityId, club.id), eq(expertStats.tag, '')));
          return (stats?.replies === 10 && expertise?.answers === 10) || null;
        },
        15_000,
        `replier ${replier.id}'s counts`,
      );
    }
    // Fifty events touched the thread; the index was rebuilt a few times, not fifty.
    expect(upserts).toBeGreaterThan(0);
    expect(upserts).toBeLessThanOrEqual(5);
    // Nothing arrives twice later either.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await h.deps.db.select().from(notifications).where(eq(notifications.userId, asker.id))).toHaveLength(50);
  });
});
