import {
  and,
  appendEvent,
  eq,
  flags,
  notifications,
  outboxEvents,
  posts,
  settings,
  threads,
  TRUST_SETTINGS_KEY,
  userStats,
  users,
} from '@praxis/db';
import { DEFAULT_TRUST_THRESHOLDS } from '@praxis/domain';
import { createInProcessQueue } from '@praxis/queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, fixtures } from './fixtures.js';
import { createHarness, type Harness } from './harness.js';

let h: Harness;
let f: ReturnType<typeof fixtures>;

const statsOf = async (userId: number) => (await h.database.db.select().from(userStats).where(eq(userStats.userId, userId)))[0];
const levelOf = async (userId: number) =>
  (await h.database.db.select({ level: users.trustLevel }).from(users).where(eq(users.id, userId)))[0]?.level;

beforeAll(async () => {
  h = await createHarness();
  // Easy thresholds so a handful of posts moves a level: TL1 needs 1 reply; TL2 2 replies and an accepted answer; at most 0 upheld flags for TL2.
  const zero = { daysVisited: 0, topicsEntered: 0, postsRead: 0, replies: 0, acceptedAnswers: 0, maxFlagsUpheld: 10 };
  const thresholds = {
    tl1: { ...zero, replies: 1 },
    tl2: { ...zero, replies: 2, acceptedAnswers: 1, maxFlagsUpheld: 0 },
    tl3: { ...DEFAULT_TRUST_THRESHOLDS.tl3 },
  };
  await h.database.db.insert(settings).values({ key: TRUST_SETTINGS_KEY, value: { thresholds } });
  await h.start(createInProcessQueue(), { escalateEveryMs: 3_600_000, retry: { attempts: 2, backoffMs: 10 } });
  f = fixtures(h.database.db);
});
afterAll(() => h.close());

describe('trust.update', () => {
  it('keeps replies, topics, accepted answers and upheld flags current and moves the level with trust.changed', async () => {
    const asker = await f.user('t_asker');
    const helper = await f.user('t_helper');
    const community = await f.community('trusty', 'public', [asker.id, helper.id]);
    const { thread } = await f.thread(community.id, asker.id, 'How do I clean a carboy?', 'It smells.');
    await eventually(async () => (await statsOf(asker.id))?.topicsCreated === 1, 10_000, 'topics created');

    const first = await f.reply(thread.id, community.id, helper.id, 'Use PBW.');
    await eventually(async () => (await levelOf(helper.id)) === 1, 10_000, 'TL1 after one reply');
    await f.reply(thread.id, community.id, helper.id, 'And rinse well.');
    await eventually(async () => (await statsOf(helper.id))?.replies === 2, 10_000, 'two replies');
    expect(await levelOf(helper.id)).toBe(1);

    // An accepted answer makes TL2.
    await h.database.db.transaction(async (tx) => {
      await tx.update(threads).set({ solutionPostId: first.id, status: 'solved' }).where(eq(threads.id, thread.id));
      await appendEvent(
        tx,
        'solution.accepted',
        thread.id,
        { threadId: thread.id, postId: first.id, acceptedBy: asker.id, previousPostId: null },
        asker.id,
      );
    });
    await eventually(async () => (await levelOf(helper.id)) === 2, 10_000, 'TL2 after an accepted answer');

    // An upheld flag pulls them back to TL1.
    await h.database.db.transaction(async (tx) => {
      await tx.insert(flags).values({
        postId: first.id,
        threadId: thread.id,
        communityId: community.id,
        flaggerId: asker.id,
        reason: 'spam',
        status: 'upheld',
        resolution: 'hide',
        resolvedBy: asker.id,
        resolvedAt: new Date(),
      });
      await tx.update(posts).set({ hiddenAt: new Date() }).where(eq(posts.id, first.id));
      await appendEvent(
        tx,
        'flag.resolved',
        thread.id,
        { postId: first.id, threadId: thread.id, communityId: community.id, resolution: 'hide', by: asker.id },
        asker.id,
      );
    });
    await eventually(async () => (await statsOf(helper.id))?.flagsUpheld === 1, 10_000, 'flag upheld counted');
    await eventually(async () => (await levelOf(helper.id)) === 1, 10_000, 'back to TL1');
    // notify.moderation: the author hears that a moderator acted on their post.
    const told = await eventually(
      async () =>
        (
          await h.database.db
            .select()
            .from(notifications)
            .where(and(eq(notifications.userId, helper.id), eq(notifications.kind, 'moderation_notice')))
        )[0],
      10_000,
      'a moderation_notice for the author',
    );
    expect(told).toMatchObject({ postId: first.id, actorId: asker.id, data: { reason: 'hide' } });

    const changes = (await h.database.db.select().from(outboxEvents).where(eq(outboxEvents.type, 'trust.changed')))
      .map((e) => e.payload)
      .filter((p) => (p as { userId: number }).userId === helper.id);
    expect(changes).toEqual([
      { userId: helper.id, from: 0, to: 1 },
      { userId: helper.id, from: 1, to: 2 },
      { userId: helper.id, from: 2, to: 1 },
    ]);
  });

  it('leaves a pinned level alone', async () => {
    const pinned = await f.user('t_pinned');
    const community = await f.community('pinned', 'public', [pinned.id]);
    await h.database.db.insert(userStats).values({ userId: pinned.id, trustLocked: true });
    const { thread } = await f.thread(community.id, pinned.id, 'Pinned member asks', 'x');
    await f.reply(thread.id, community.id, pinned.id, 'self reply');
    await eventually(async () => (await statsOf(pinned.id))?.replies === 1, 10_000, 'reply counted');
    expect(await levelOf(pinned.id)).toBe(0);
  });

  it('moves a reader up from the visits and reads the API recorded, on user.activity-recorded (never in the request)', async () => {
    const reader = await f.user('t_reader');
    const zero = { daysVisited: 0, topicsEntered: 0, postsRead: 0, replies: 0, acceptedAnswers: 0, maxFlagsUpheld: 10 };
    const [saved] = await h.database.db.select().from(settings).where(eq(settings.key, TRUST_SETTINGS_KEY));
    const reading = {
      tl1: { ...zero, topicsEntered: 2, postsRead: 2 },
      tl2: { ...zero, topicsEntered: 50, replies: 2, acceptedAnswers: 1, maxFlagsUpheld: 0 },
      tl3: { ...DEFAULT_TRUST_THRESHOLDS.tl3 },
    };
    await h.database.db
      .update(settings)
      .set({ value: { thresholds: reading } })
      .where(eq(settings.key, TRUST_SETTINGS_KEY));
    try {
      // What POST /api/v1/me/reads writes for two threads read: the stats and the event, in one transaction.
      await h.database.db.transaction(async (tx) => {
        await tx.insert(userStats).values({ userId: reader.id, daysVisited: 1, topicsEntered: 2, postsRead: 2 });
        await appendEvent(tx, 'user.activity-recorded', reader.id, { userId: reader.id }, reader.id);
      });
      await eventually(async () => (await levelOf(reader.id)) === 1, 10_000, 'TL1 from reading');
      const changes = (await h.database.db.select().from(outboxEvents).where(eq(outboxEvents.type, 'trust.changed')))
        .map((e) => e.payload)
        .filter((p) => (p as { userId: number }).userId === reader.id);
      expect(changes).toEqual([{ userId: reader.id, from: 0, to: 1 }]);
      // Reading stats are not contributions: the handler leaves them as the API counted them.
      expect(await statsOf(reader.id)).toMatchObject({ daysVisited: 1, topicsEntered: 2, postsRead: 2 });
    } finally {
      await h.database.db.update(settings).set({ value: saved!.value }).where(eq(settings.key, TRUST_SETTINGS_KEY));
    }
  });
});
