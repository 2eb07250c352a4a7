import { and, appendEvent, eq, guides, guideSources, isNull, notifications, outboxEvents, sql, threads } from '@praxis/db';
import { createInProcessQueue } from '@praxis/queue';
import { createEmbeddedSearchIndex, GUIDE_DOCUMENT_VERSION, type SearchIndex } from '@praxis/search';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestDueReviews } from '../src/handlers/guides/freshness.js';
import { reconcileGuideIndex } from '../src/handlers/guides/guide-index.js';
import { eventually, fixtures } from './fixtures.js';
import { createHarness, type Harness } from './harness.js';

let h: Harness;
let f: ReturnType<typeof fixtures>;
let guideSearch: SearchIndex;
let offsetMs = 0;
const DAY = 86_400_000;
const db = () => h.database.db;
/** Until the relay handed over every outbox row and the queues drained. */
const waitForIdle = () =>
  eventually(
    async () => {
      const [pending] = await db()
        .select({ n: sql<number>`count(*)::int` })
        .from(outboxEvents)
        .where(isNull(outboxEvents.publishedAt));
      if (pending!.n > 0) return null;
      const counts = await Promise.all(
        (['events', 'search', 'notify', 'matching', 'realtime'] as const).map((q) => h.deps.queue.counts(q)),
      );
      return counts.every((c) => c.waiting + c.active === 0) || null;
    },
    20_000,
    'the queues to drain',
  );
const notes = (userId: number, kind: string) =>
  db()
    .select()
    .from(notifications)
    .where(and(eq(notifications.userId, userId), eq(notifications.kind, kind)))
    .orderBy(notifications.id);

let owner: { id: number };
let leader: { id: number };
let asker: { id: number };
let communityId: number;
let guideId: number;

beforeAll(async () => {
  h = await createHarness();
  guideSearch = createEmbeddedSearchIndex();
  h.deps.guideSearch = guideSearch;
  if (process.env.GUIDE_TEST_LOG) h.deps.log = { info: () => undefined, warn: console.warn, error: console.error };
  h.deps.clock.now = () => new Date(Date.now() + offsetMs);
  f = fixtures(h.database.db);
  owner = await f.user('g_owner');
  leader = await f.user('g_leader');
  asker = await f.user('g_asker');
  communityId = (await f.community('guides-brew', 'public', [owner.id, leader.id, asker.id])).id;
  await h.start(createInProcessQueue(), {
    escalateEveryMs: 3_600_000,
    guideReviewEveryMs: 3_600_000,
    retry: { attempts: 2, backoffMs: 10 },
  });
  const { thread } = await f.thread(communityId, asker.id, 'How long should I dry hop a pale ale?', 'Days? Weeks?', ['hops']);
  const answer = await f.reply(thread.id, communityId, owner.id, 'Three to five days of dry hopping at fermentation temperature.');
  await waitForIdle();
  // Published the way the API's approve command does: the row change and its event in one transaction.
  guideId = await db().transaction(async (tx) => {
    const now = h.deps.clock.now();
    const [g] = await tx
      .insert(guides)
      .values({
        communityId,
        title: 'Dry hopping a pale ale',
        body: 'Dry hop pale ale for three to five days at fermentation temperature.',
        html: '',
        tags: ['hops'],
        status: 'published',
        createdBy: leader.id,
        ownerId: owner.id,
        publishedAt: now,
        reviewDueAt: new Date(now.getTime() + 180 * DAY),
      })
      .returning();
    await tx.insert(guideSources).values({ guideId: g!.id, postId: answer.id, threadId: thread.id, authorId: owner.id, position: 0 });
    await appendEvent(tx, 'guide.published', g!.id, { guideId: g!.id, by: leader.id }, leader.id);
    return g!.id;
  });
  await waitForIdle();
});
afterAll(() => h.close());

describe('guides in the worker', () => {
  it('indexes a published guide and credits its authors', async () => {
    expect((await guideSearch.versions([guideId])).get(guideId)).toBe(GUIDE_DOCUMENT_VERSION);
    const [g] = await db().select().from(guides).where(eq(guides.id, guideId));
    expect(g!.indexedAt).not.toBeNull();
    const credited = await notes(owner.id, 'guide_credited');
    expect(credited).toHaveLength(1);
    expect(credited[0]!.data).toMatchObject({ guideId, guideTitle: 'Dry hopping a pale ale' });
    const hits = await guideSearch.similar({ title: 'dry hop time for pale ale', readableCommunityIds: [communityId], limit: 3 });
    expect(hits.map((x) => x.id)).toEqual([guideId]);
  });

  it('asks the owner to review once when the review date passes (fake clock)', async () => {
    expect(await requestDueReviews(h.deps)).toBe(0);
    offsetMs = 181 * DAY;
    expect(await requestDueReviews(h.deps)).toBe(1);
    expect(await requestDueReviews(h.deps)).toBe(0); // once per due date
    await waitForIdle();
    const asked = await notes(owner.id, 'guide_review');
    expect(asked).toHaveLength(1);
    expect(asked[0]!.data).toMatchObject({ guideId, reason: 'due' });
  });

  it('counts similar new questions and asks the owner at the third; a retried event counts once', async () => {
    for (const title of ['Dry hop duration for a pale ale?', 'How many days to dry hop pale ale', 'Pale ale dry hopping: how long?']) {
      await f.thread(communityId, asker.id, title, 'New to this.', ['hops']);
      await waitForIdle();
    }
    const [g] = await db().select().from(guides).where(eq(guides.id, guideId));
    expect(g!.similarQuestionsSinceVerified).toBe(3);
    const asked = await notes(owner.id, 'guide_review');
    expect(asked.map((n) => (n.data as { reason: string }).reason)).toEqual(['due', 'similar_questions']);
    // The same thread.created delivered again does not count twice.
    const [last] = await db().select().from(threads).where(eq(threads.title, 'Pale ale dry hopping: how long?'));
    await db().transaction((tx) =>
      appendEvent(
        tx,
        'thread.created',
        last!.id,
        { threadId: last!.id, communityId, authorId: asker.id, postId: 1, kind: 'question', mentions: [] },
        asker.id,
      ),
    );
    await waitForIdle();
    expect((await db().select().from(guides).where(eq(guides.id, guideId)))[0]!.similarQuestionsSinceVerified).toBe(3);
  });

  it('removes a guide that is no longer published, and the reconciler heals a lost document', async () => {
    await guideSearch.clear();
    const healed = await reconcileGuideIndex(h.deps);
    expect(healed.missing).toBe(1);
    expect((await guideSearch.versions([guideId])).get(guideId)).toBe(GUIDE_DOCUMENT_VERSION);
    await db().transaction(async (tx) => {
      await tx.update(guides).set({ status: 'archived', updatedAt: new Date() }).where(eq(guides.id, guideId));
      await appendEvent(tx, 'guide.revised', guideId, { guideId, revision: 2, by: leader.id }, leader.id);
    });
    await waitForIdle();
    expect((await guideSearch.versions([guideId])).has(guideId)).toBe(false);
    expect((await db().select().from(guides).where(eq(guides.id, guideId)))[0]!.indexedAt).toBeNull();
  });
});
