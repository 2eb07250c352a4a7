import { and, asc, eq, memberships, participation, participationChanges, posts, threads, type Db } from '@praxis/db';
import { createInProcessQueue } from '@praxis/queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recomputeParticipation } from '../src/handlers/participation/recompute-participation.js';
import { eventually, fixtures } from './fixtures.js';
import { createHarness, type Harness } from './harness.js';

const DAY = 86_400_000;
const T0 = new Date('2026-06-01T12:00:00Z');
const day = (n: number) => new Date(T0.getTime() - n * DAY);

let h: Harness;
let db: Db;
let community: { id: number };
const people: Record<string, { id: number }> = {};
const levels = async () => {
  const rows = await db.select().from(participation).where(eq(participation.communityId, community.id));
  const byId = new Map(rows.map((r) => [r.userId, r]));
  return Object.fromEntries(Object.entries(people).map(([name, p]) => [name, byId.get(p.id)?.level ?? null]));
};
const changesOf = () =>
  db.select().from(participationChanges).where(eq(participationChanges.communityId, community.id)).orderBy(asc(participationChanges.id));

async function question(author: string, at: Date): Promise<number> {
  const [t] = await db
    .insert(threads)
    .values({ communityId: community.id, authorId: people[author]!.id, title: `q by ${author}`, createdAt: at, postCount: 1 })
    .returning();
  await db.insert(posts).values({ threadId: t!.id, authorId: people[author]!.id, number: 1, body: 'q', html: 'q', createdAt: at });
  return t!.id;
}
async function answer(threadId: number, author: string, at: Date, accepted = false) {
  const [{ n }] = (await db.execute(`select count(*)::int as n from posts where thread_id = ${threadId}`)).rows as [{ n: number }];
  const [p] = await db
    .insert(posts)
    .values({ threadId, authorId: people[author]!.id, number: n + 1, body: 'a', html: 'a', createdAt: at })
    .returning();
  if (accepted) await db.update(threads).set({ solutionPostId: p!.id, status: 'solved' }).where(eq(threads.id, threadId));
}

beforeAll(async () => {
  h = await createHarness();
  db = h.database.db;
  const f = fixtures(db);
  for (const name of ['lead', 'core', 'act', 'peri', 'newb', 'old', 'quiet']) people[name] = await f.user(`p_${name}`);
  community = await f.community(
    'homebrew',
    'public',
    Object.values(people).map((p) => p.id),
  );
  await db
    .update(memberships)
    .set({ role: 'leader' })
    .where(and(eq(memberships.communityId, community.id), eq(memberships.userId, people.lead!.id)));
  await db
    .update(memberships)
    .set({ createdAt: day(365) })
    .where(eq(memberships.communityId, community.id));

  // core: 10 answers on 10 days, 3 accepted. act: 3 answers on 3 days. peri: 1 answer. newb: one question.
  // old: 6 answers 200 days ago (a regular of the past). quiet: joined, nothing else.
  for (let i = 0; i < 10; i++) await answer(await question('newb', day(40 + i)), 'core', day(39 + i), i < 3);
  for (let i = 0; i < 3; i++) await answer(await question('lead', day(20 + i * 7)), 'act', day(20 + i * 7));
  await answer(await question('lead', day(5)), 'peri', day(4));
  await question('newb', day(2));
  for (let i = 0; i < 6; i++) await answer(await question('lead', day(200 + i)), 'old', day(200 + i));
  // Self-replies are not answers: act's own question and reply add posts but no answers.
  await answer(await question('act', day(3)), 'act', day(3));
}, 60_000);
afterAll(() => h.close());

describe('participation recomputation', () => {
  it('computes every member’s level and records one first movement each, dated from when they joined', async () => {
    const run = await recomputeParticipation({ db, clock: { now: () => T0 } }, { batchSize: 3 });
    expect(run).toMatchObject({ members: 7, changed: 7 });
    expect(await levels()).toEqual({
      lead: 'leader',
      core: 'core',
      act: 'active',
      peri: 'peripheral',
      newb: 'peripheral',
      old: 'peripheral',
      quiet: 'newcomer',
    });
    const changes = await changesOf();
    expect(changes).toHaveLength(7);
    expect(changes.every((c) => c.fromLevel === null && c.changedAt.getTime() === T0.getTime())).toBe(true);
    const [core] = await db.select().from(participation).where(eq(participation.userId, people.core!.id));
    expect(core!.since).toEqual(day(365));
    expect(core!.figures).toMatchObject({ answers: 10, accepted: 3, daysActive: 10, lifetimeAnswers: 10, questions: 0 });
    const [act] = await db.select().from(participation).where(eq(participation.userId, people.act!.id));
    expect(act!.figures).toMatchObject({ answers: 3, posts: 5, questions: 1, daysActive: 4 });
  });

  it('is idempotent: the same figures again change nothing but the computed time', async () => {
    const later = new Date(T0.getTime() + 60_000);
    const run = await recomputeParticipation({ db, clock: { now: () => later } });
    expect(run.changed).toBe(0);
    expect(await changesOf()).toHaveLength(7);
    const [core] = await db.select().from(participation).where(eq(participation.userId, people.core!.id));
    expect(core!.computedAt).toEqual(later);
    expect(core!.since).toEqual(day(365));
  });

  it('moves members as the window slides and records each change once, with its new since', async () => {
    // 100 days later only history is left: core and act drop back; the leader stays a leader.
    const t1 = new Date(T0.getTime() + 100 * DAY);
    const run = await recomputeParticipation({ db, clock: { now: () => t1 } });
    expect(await levels()).toEqual({
      lead: 'leader',
      core: 'peripheral',
      act: 'newcomer',
      peri: 'newcomer',
      newb: 'newcomer',
      old: 'peripheral',
      quiet: 'newcomer',
    });
    const moved = (await changesOf()).slice(7);
    expect(run.changed).toBe(moved.length);
    expect(moved.map((c) => [c.userId, c.fromLevel, c.toLevel])).toEqual(
      expect.arrayContaining([
        [people.core!.id, 'core', 'peripheral'],
        [people.act!.id, 'active', 'newcomer'],
      ]),
    );
    const [core] = await db.select().from(participation).where(eq(participation.userId, people.core!.id));
    expect(core!.since).toEqual(t1);
    expect((await recomputeParticipation({ db, clock: { now: () => t1 } })).changed).toBe(0);
  });

  it('drops the level of a member who left', async () => {
    await db.delete(memberships).where(and(eq(memberships.communityId, community.id), eq(memberships.userId, people.quiet!.id)));
    await recomputeParticipation({ db, clock: { now: () => T0 } });
    expect((await levels()).quiet).toBeNull();
  });

  it('runs on the worker’s schedule as soon as the worker starts', async () => {
    await db.delete(participation);
    await h.start(createInProcessQueue());
    await eventually(async () => ((await db.select().from(participation)).length >= 6 ? true : null), 20_000, 'participation rows');
  });
});
