import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  and,
  appendEvent,
  eq,
  expertMatches,
  expertStats,
  matchRequests,
  memberships,
  notifications,
  posts,
  sql,
  threads,
  type Db,
} from '@praxis/db';
import { createInProcessQueue } from '@praxis/queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboxEvent } from '../src/dispatch.js';
import { cachedHistoryIndex } from '../src/experts/training.js';
import { escalateDueQuestions } from '../src/handlers/experts/escalate.js';
import { matchThread } from '../src/handlers/experts/match-thread.js';
import { replaceDeclined } from '../src/handlers/experts/replace-declined.js';
import { eventually, fixtures } from './fixtures.js';
import { createHarness, type Harness } from './harness.js';

let h: Harness;
let f: ReturnType<typeof fixtures>;
let offsetMs = 0;
const HOUR = 3_600_000;

const matchesOf = (db: Db, threadId: number) =>
  db.select().from(expertMatches).where(eq(expertMatches.threadId, threadId)).orderBy(expertMatches.id);
const notificationsOf = (db: Db, threadId: number) =>
  db.select().from(notifications).where(eq(notifications.threadId, threadId)).orderBy(notifications.id);
const waitForIdle = async () => {
  await eventually(
    async () => {
      const counts = await Promise.all(
        (['events', 'search', 'notify', 'matching', 'realtime'] as const).map((q) => h.deps.queue.counts(q)),
      );
      return counts.every((c) => c.waiting + c.active === 0) || null;
    },
    20_000,
    'the queues to drain',
  );
};

const people: Record<string, { id: number }> = {};
let community: { id: number };
let privateCommunity: { id: number };

beforeAll(async () => {
  h = await createHarness();
  // A clock the tests can move forward: the worker reads deps.clock, which this object is.
  h.deps.clock.now = () => new Date(Date.now() + offsetMs);
  await h.start(createInProcessQueue(), { escalateEveryMs: 3_600_000, retry: { attempts: 2, backoffMs: 10 } });
  f = fixtures(h.database.db);
  for (const name of ['hopper', 'kegger', 'yeasty', 'watery', 'bottler', 'sourpuss', 'malty', 'newbie', 'lena', 'leaver'])
    people[name] = await f.user(`x_${name}`);
  const ids = Object.values(people).map((p) => p.id);
  community = await f.community('homebrew', 'public', ids);
  await h.database.db
    .update(memberships)
    .set({ role: 'leader' })
    .where(and(eq(memberships.communityId, community.id), eq(memberships.userId, people.lena!.id)));
  privateCommunity = await f.community('cellar', 'private', ids);

  // History: who answered what. The asker of the history questions is lena (a leader, never an answerer here).
  const history: [string, string, string[], string[]][] = [
    [
      'Dry hopping schedule for an IPA',
      'When should I add the dry hop charge to my IPA, and for how long?',
      ['hops'],
      ['hopper', 'kegger'],
    ],
    ['Grassy taste after dry hopping', 'My pale ale tastes grassy after a long dry hop with Citra hops.', ['hops'], ['hopper']],
    ['Hop creep in the fermenter', 'Gravity dropped again after dry hopping with hops, why?', ['hops'], ['hopper', 'yeasty']],
    ['Force carbonating a keg quickly', 'How fast can I force carbonate a corny keg with CO2?', ['kegging'], ['kegger']],
    ['Keg line length and foam', 'My keg pours pure foam; how long should the beer line be?', ['kegging'], ['kegger', 'bottler']],
    ['Yeast starter size for lagers', 'How big a yeast starter do I need for a lager?', ['yeast'], ['yeasty']],
    ['Water chemistry for stouts', 'Which salts should I add to my water for a stout?', ['water'], ['watery']],
    ['Bottle conditioning sugar amounts', 'How much priming sugar for bottle conditioning?', ['bottling'], ['bottler']],
    ['Souring with lactobacillus', 'How do I kettle sour with lactobacillus?', ['sour'], ['sourpuss']],
    ['Mash temperature and body', 'What mash temperature gives more malt body?', ['malt'], ['malty']],
  ];
  const lena = people.lena!;
  for (const [title, body, tags, answerers] of history) {
    const { thread } = await f.thread(community.id, lena.id, title, body, tags);
    for (const name of answerers)
      await f.reply(thread.id, community.id, people[name]!.id, `From experience: ${body.toLowerCase()} Here is what worked for me.`);
  }
  await waitForIdle();
  await eventually(async () => (await h.search.count()) >= history.length || null, 20_000, 'history indexed');
}, 60_000);
afterAll(() => h.close());

describe('expert matching in the worker', () => {
  let questionId: number;

  it('keeps expertise statistics current from answer events', async () => {
    const rows = await h.database.db
      .select()
      .from(expertStats)
      .where(and(eq(expertStats.userId, people.hopper!.id), eq(expertStats.communityId, community.id)));
    const byTag = new Map(rows.map((r) => [r.tag, r.answers]));
    expect(byTag.get('')).toBe(3);
    expect(byTag.get('hops')).toBe(3);
  });

  it("routes a newcomer's question to the top three, with reasons, live, never to the asker", async () => {
    const { thread } = await f.thread(
      community.id,
      people.newbie!.id,
      'Dry hopping in the keg with Citra hops',
      'Can I dry hop directly in the keg? Will the hops make it grassy?',
      ['hops'],
    );
    questionId = thread.id;
    const matches = await eventually(
      async () => {
        const rows = await matchesOf(h.database.db, thread.id);
        return rows.length === 3 ? rows : null;
      },
      20_000,
      'three matches',
    );
    expect(matches.map((m) => m.round)).toEqual([1, 1, 1]);
    expect(matches.map((m) => m.expertId)).not.toContain(people.newbie!.id);
    // The one who answered every similar question comes first.
    const first = matches.find((m) => m.rank === 1)!;
    expect(first.expertId).toBe(people.hopper!.id);
    expect(first.reasons.length).toBeGreaterThan(0);
    await waitForIdle();
    const sent = (await notificationsOf(h.database.db, thread.id)).filter((n) => n.kind === 'expert_match');
    expect(sent.map((n) => n.userId).sort()).toEqual(matches.map((m) => m.expertId).sort());
    for (const n of sent) expect((n.data as { reasons: string[] }).reasons.length).toBeGreaterThan(0);
    const live = await eventually(
      async () => {
        const pushed = h.messages.filter(
          (m) =>
            m.event === 'notification.created' &&
            (m.data as { kind: string }).kind === 'expert_match' &&
            (m.data as { threadId: number }).threadId === thread.id,
        );
        return pushed.length === 3 ? pushed : null;
      },
      20_000,
      'three live notifications',
    );
    expect(live.map((m) => m.room).sort()).toEqual(matches.map((m) => `user:${m.expertId}`).sort());
    const [request] = await h.database.db.select().from(matchRequests).where(eq(matchRequests.threadId, thread.id));
    expect(request).toMatchObject({ round: 1, state: 'open', newcomer: true });
    // Away experts are emailed the question with the reasons (this harness counts everyone as away).
    await eventually(
      async () => {
        const texts = readdirSync(h.mailDir)
          .filter((file) => file.endsWith('.eml'))
          .map((file) => readFileSync(join(h.mailDir, file), 'utf8'));
        const matched = texts.filter((text) => text.includes('Why you:') && text.includes('Can I dry hop directly in the keg?'));
        return matched.length === 3 || null;
      },
      20_000,
      'three match emails',
    );
  });

  it('a retried match job notifies nobody twice', async () => {
    const ids = async () => (await notificationsOf(h.database.db, questionId)).map((n) => n.id);
    const before = await ids();
    const event = {
      id: 1,
      type: 'thread.created',
      aggregateId: questionId,
      actorId: people.newbie!.id,
      createdAt: new Date().toISOString(),
      payload: { threadId: questionId, communityId: community.id, authorId: people.newbie!.id, postId: 0, kind: 'question', mentions: [] },
    } as OutboxEvent;
    expect(await matchThread.handle(event, h.deps)).toMatch(/^skipped:/);
    expect(await ids()).toEqual(before);
    expect((await matchesOf(h.database.db, questionId)).length).toBe(3);
  });

  it('a decline asks the next candidate at once, and only once however often the job runs', async () => {
    const [declined] = (await matchesOf(h.database.db, questionId)).filter((m) => m.rank === 3);
    await h.database.db.transaction(async (tx) => {
      await tx
        .update(expertMatches)
        .set({ state: 'declined', declineReason: 'not_my_area', respondedAt: new Date() })
        .where(eq(expertMatches.id, declined!.id));
      await appendEvent(
        tx,
        'expert.declined',
        questionId,
        { threadId: questionId, expertId: declined!.expertId, matchId: declined!.id, reason: 'not_my_area' },
        declined!.expertId,
      );
    });
    const standIn = await eventually(
      async () => (await matchesOf(h.database.db, questionId)).find((m) => m.replacesMatchId === declined!.id),
      20_000,
      'a stand-in',
    );
    expect(standIn).toMatchObject({ round: 1, rank: 3, state: 'notified' });
    expect(standIn.expertId).not.toBe(declined!.expertId);
    // The asker's open page hears that its matching panel changed (the decline, then the stand-in).
    await eventually(
      async () =>
        h.messages.filter(
          (m) =>
            m.event === 'matching.updated' &&
            m.room === `user:${people.newbie!.id}` &&
            (m.data as { threadId: number }).threadId === questionId,
        ).length >= 2 || null,
      20_000,
      'matching.updated for the asker',
    );
    const event = {
      id: 2,
      type: 'expert.declined',
      aggregateId: questionId,
      actorId: null,
      createdAt: new Date().toISOString(),
      payload: { threadId: questionId, expertId: declined!.expertId, matchId: declined!.id, reason: 'not_my_area' },
    } as OutboxEvent;
    await replaceDeclined.handle(event, h.deps);
    expect((await matchesOf(h.database.db, questionId)).length).toBe(4);
  });

  it('escalates to the next experts when nobody answers in time, then to the leaders', async () => {
    expect(await escalateDueQuestions(h.deps)).toBe(0); // not due yet
    offsetMs += 31 * 60_000; // a newcomer's question escalates after 30 minutes
    expect(await escalateDueQuestions(h.deps)).toBe(1);
    const afterRound2 = await matchesOf(h.database.db, questionId);
    const round2 = afterRound2.filter((m) => m.round === 2);
    expect(round2.length).toBe(3);
    expect(new Set(afterRound2.map((m) => m.expertId)).size).toBe(afterRound2.length); // nobody asked twice
    expect(afterRound2.filter((m) => m.round === 1 && m.state !== 'declined').every((m) => m.state === 'expired')).toBe(true);

    offsetMs += 31 * 60_000;
    expect(await escalateDueQuestions(h.deps)).toBe(1);
    const leaders = (await matchesOf(h.database.db, questionId)).filter((m) => m.kind === 'leader');
    expect(leaders.map((m) => m.expertId)).toEqual([people.lena!.id]);
    await waitForIdle();
    const escalation = (await notificationsOf(h.database.db, questionId)).filter((n) => n.kind === 'expert_escalation');
    expect(escalation.map((n) => n.userId)).toEqual([people.lena!.id]);
    offsetMs += 10 * HOUR;
    expect(await escalateDueQuestions(h.deps)).toBe(0); // the ladder has ended
  });

  it('an answer stops the ladder and counts for the expert who gave it', async () => {
    const { thread } = await f.thread(
      community.id,
      people.newbie!.id,
      'Keg foaming problems',
      'My keg pours foam, is the line too short for the keg?',
      ['kegging'],
    );
    const matches = await eventually(
      async () => {
        const rows = await matchesOf(h.database.db, thread.id);
        return rows.length === 3 ? rows : null;
      },
      20_000,
      'matches',
    );
    const expert = matches[0]!;
    await f.reply(thread.id, community.id, expert.expertId, 'Use a longer line: about 3 m for 12 psi.');
    await eventually(
      async () => {
        const [request] = await h.database.db.select().from(matchRequests).where(eq(matchRequests.threadId, thread.id));
        return request?.state === 'answered' || null;
      },
      20_000,
      'the ladder to stop',
    );
    const [answered] = await h.database.db.select().from(expertMatches).where(eq(expertMatches.id, expert.id));
    expect(answered!.state).toBe('answered');
    expect(answered!.respondedAt).not.toBeNull();
    offsetMs += 10 * HOUR;
    await escalateDueQuestions(h.deps);
    expect((await matchesOf(h.database.db, thread.id)).length).toBe(3);
  });

  it('a reply held for approval is no answer: the ladder goes on', async () => {
    const { thread } = await f.thread(
      community.id,
      people.newbie!.id,
      'Priming sugar for a keg',
      'Do I need priming sugar when I keg, or only when bottling?',
      ['kegging'],
    );
    const matches = await eventually(
      async () => {
        const rows = await matchesOf(h.database.db, thread.id);
        return rows.length === 3 ? rows : null;
      },
      20_000,
      'matches',
    );
    await waitForIdle();
    // A reply waiting in the review queue, as the API writes it (post.held starts no handler).
    const outsider = matches[0]!.expertId;
    await h.database.db.transaction(async (tx) => {
      const [counter] = await tx
        .update(threads)
        .set({ postCount: sql`${threads.postCount} + 1` })
        .where(eq(threads.id, thread.id))
        .returning({ postCount: threads.postCount });
      await tx.insert(posts).values({
        threadId: thread.id,
        authorId: outsider,
        number: counter!.postCount,
        body: 'Held: no sugar in a keg',
        html: '',
        heldAt: new Date(),
      });
    });
    offsetMs += 31 * 60_000;
    expect(await escalateDueQuestions(h.deps)).toBe(1);
    const [request] = await h.database.db.select().from(matchRequests).where(eq(matchRequests.threadId, thread.id));
    expect(request).toMatchObject({ state: 'open', round: 2 });
    expect((await matchesOf(h.database.db, thread.id)).filter((m) => m.round === 2).length).toBeGreaterThan(0);
  });

  it('never matches someone who can no longer read the thread (a private community they left)', async () => {
    const leaver = people.leaver!;
    const { thread: past } = await f.thread(
      privateCommunity.id,
      people.lena!.id,
      'Cellar temperature for lagering',
      'What temperature should a lagering cellar hold?',
      ['lager'],
    );
    await f.reply(past.id, privateCommunity.id, leaver.id, 'Hold it near freezing for lagering.');
    await f.reply(past.id, privateCommunity.id, people.malty!.id, 'Around 2 °C works for lagering in a cellar.');
    await waitForIdle();
    await h.database.db.delete(memberships).where(and(eq(memberships.communityId, privateCommunity.id), eq(memberships.userId, leaver.id)));
    const { thread } = await f.thread(
      privateCommunity.id,
      people.newbie!.id,
      'Lagering temperature in a cellar',
      'How cold should my cellar be for lagering?',
      ['lager'],
    );
    await eventually(
      async () => {
        const [request] = await h.database.db.select().from(matchRequests).where(eq(matchRequests.threadId, thread.id));
        return request && request.round > 0 ? request : null;
      },
      20_000,
      'the ladder to start',
    );
    await waitForIdle();
    const asked = await matchesOf(h.database.db, thread.id);
    expect(asked.map((m) => m.expertId)).toContain(people.malty!.id);
    expect(asked.map((m) => m.expertId)).not.toContain(leaver.id);
    const told = await notificationsOf(h.database.db, thread.id);
    expect(told.map((n) => n.userId)).not.toContain(leaver.id);
  });

  it('reuses the community history index until the history changes (a new answer, a vote, an edit)', async () => {
    await waitForIdle();
    const db = h.database.db;
    const at = () => new Date(Date.now() + offsetMs);
    const first = await cachedHistoryIndex(db, community.id, at());
    const again = await cachedHistoryIndex(db, community.id, at());
    expect(again.reused).toBe(true);
    expect(again.index).toBe(first.index);

    const malty = people.malty!;
    const before = first.index.activityOf(malty.id, at().getTime())?.answers ?? 0;
    const [history] = await db.select().from(threads).where(eq(threads.title, 'Mash temperature and body'));
    const post = await f.reply(history!.id, community.id, malty.id, 'Mash at 68 °C for a fuller body.');
    const afterReply = await cachedHistoryIndex(db, community.id, at());
    expect(afterReply.index).not.toBe(first.index);
    expect(afterReply.index.activityOf(malty.id, at().getTime())?.answers).toBe(before + 1);

    await db
      .update(posts)
      .set({ score: sql`${posts.score} + 1` })
      .where(eq(posts.id, post.id));
    const afterVote = await cachedHistoryIndex(db, community.id, at());
    expect(afterVote.index).not.toBe(afterReply.index);

    await f.edit(post.id, history!.id, malty.id, 'Mash at 69 °C for a fuller body.');
    const afterEdit = await cachedHistoryIndex(db, community.id, at());
    expect(afterEdit.index).not.toBe(afterVote.index);
    expect((await cachedHistoryIndex(db, community.id, at())).index).toBe(afterEdit.index);
  });
});
