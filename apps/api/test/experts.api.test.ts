import {
  communities,
  desc,
  eq,
  expertCommunityPreferences,
  expertMatches,
  expertStats,
  matchingModels,
  memberships,
  notifications,
  outboxEvents,
  threads,
} from '@praxis/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ask, buildTestApp, createCommunity, expectProblem, signUp, signUpAs, type Session, type TestApp } from './helper.js';

let t: TestApp;
let admin: Session;
let ada: Session; // asks
let eve: Session; // matched expert
let sam: Session; // matched expert
let bob: Session; // plain member
let lea: Session; // community leader
let brewingId: number;
let questionId: number;

const db = () => t.database.db;
const communityId = async (slug: string) => (await db().select().from(communities).where(eq(communities.slug, slug)))[0]!.id;
const lastEvent = async () => (await db().select().from(outboxEvents).orderBy(desc(outboxEvents.id)).limit(1))[0];

/** Match rows are the worker's to write; here they are inserted as it would. */
async function match(threadId: number, expertId: number, values: Partial<typeof expertMatches.$inferInsert> = {}) {
  const [row] = await db()
    .insert(expertMatches)
    .values({ threadId, expertId, round: 1, rank: 1, score: 80, reasons: ['You answered 4 questions about hops'], ...values })
    .returning();
  return row!;
}

beforeAll(async () => {
  t = await buildTestApp();
  admin = await signUpAs(t.app, 'admin');
  await createCommunity(admin, 'brewing');
  ada = await signUp(t.app, 'ada');
  eve = await signUp(t.app, 'eve');
  sam = await signUp(t.app, 'sam');
  bob = await signUp(t.app, 'bob');
  lea = await signUp(t.app, 'lea');
  for (const s of [ada, eve, sam, bob, lea]) await s.inject({ method: 'POST', url: '/api/v1/communities/brewing/join' });
  brewingId = await communityId('brewing');
  await db().update(memberships).set({ role: 'leader' }).where(eq(memberships.userId, lea.id));
  questionId = await ask(ada, 'brewing', 'How long should I dry hop a pale ale?', ['hops', 'dry-hopping']);
});
afterAll(() => t.close());

describe('expertise settings', () => {
  it('starts from the defaults, with every community the viewer belongs to', async () => {
    const res = await eve.inject({ method: 'GET', url: '/api/v1/me/expertise' });
    expect(res.json()).toEqual({
      weeklyCap: 10,
      quietHours: null,
      timeZone: 'UTC',
      communities: [{ slug: 'brewing', name: 'Community brewing', matching: 'default', effective: false, wantedTags: [], mutedTags: [] }],
    });
    // "default" is effective once they have answered there.
    await db().insert(expertStats).values({ userId: eve.id, communityId: brewingId, tag: '', answers: 3 });
    expect((await eve.inject({ method: 'GET', url: '/api/v1/me/expertise' })).json().communities[0]).toMatchObject({
      matching: 'default',
      effective: true,
    });
  });

  it('saves a round trip with normalized tags and one expertise.updated event; default deletes the row', async () => {
    const body = {
      weeklyCap: null,
      quietHours: { start: 22, end: 7 },
      timeZone: 'Europe/Berlin',
      communities: [{ slug: 'brewing', matching: 'in', wantedTags: ['Dry Hopping', 'hops', 'HOPS'], mutedTags: ['kegging'] }],
    };
    const saved = await sam.inject({ method: 'PUT', url: '/api/v1/me/expertise', payload: body });
    expect(saved.statusCode).toBe(200);
    expect(saved.json()).toEqual({
      weeklyCap: null,
      quietHours: { start: 22, end: 7 },
      timeZone: 'Europe/Berlin',
      communities: [
        {
          slug: 'brewing',
          name: 'Community brewing',
          matching: 'in',
          effective: true,
          wantedTags: ['dry-hopping', 'hops'],
          mutedTags: ['kegging'],
        },
      ],
    });
    expect((await sam.inject({ method: 'GET', url: '/api/v1/me/expertise' })).json()).toEqual(saved.json());
    expect(await lastEvent()).toMatchObject({ type: 'expertise.updated', aggregateId: sam.id, payload: { userId: sam.id } });

    const out = await sam.inject({
      method: 'PUT',
      url: '/api/v1/me/expertise',
      payload: { ...body, communities: [{ slug: 'brewing', matching: 'out' }] },
    });
    expect(out.json().communities[0]).toMatchObject({ matching: 'out', effective: false, wantedTags: [] });
    const reset = await sam.inject({
      method: 'PUT',
      url: '/api/v1/me/expertise',
      payload: { ...body, communities: [{ slug: 'brewing', matching: 'default' }] },
    });
    expect(reset.json().communities[0]).toMatchObject({ matching: 'default', effective: false });
    expect(await db().select().from(expertCommunityPreferences).where(eq(expertCommunityPreferences.userId, sam.id))).toEqual([]);
  });

  it('explains what is wrong: time zone, ranges, quiet hours, communities, tags', async () => {
    const base = { weeklyCap: 5, quietHours: null, timeZone: 'UTC', communities: [] };
    const put = (payload: object) => eve.inject({ method: 'PUT', url: '/api/v1/me/expertise', payload: { ...base, ...payload } });
    const badZone = expectProblem(await put({ timeZone: 'Mars/Olympus' }), 400, 'VALIDATION_FAILED');
    expect(badZone.errors).toMatchObject({ timeZone: expect.stringContaining('not one we know') });
    expect(expectProblem(await put({ weeklyCap: 101 }), 400, 'VALIDATION_FAILED').errors).toMatchObject({ weeklyCap: expect.any(String) });
    expect(expectProblem(await put({ quietHours: { start: 24, end: 7 } }), 400, 'VALIDATION_FAILED').errors).toMatchObject({
      'quietHours.start': expect.any(String),
    });
    expect(expectProblem(await put({ quietHours: { start: 7, end: 7 } }), 400, 'VALIDATION_FAILED').errors).toMatchObject({
      'quietHours.end': expect.stringContaining('differ'),
    });
    expect(expectProblem(await put({ communities: [{ slug: 'nowhere', matching: 'in' }] }), 400, 'VALIDATION_FAILED').errors).toMatchObject(
      {
        'communities.0.slug': expect.stringContaining('not a member'),
      },
    );
    expect(
      expectProblem(await put({ communities: [{ slug: 'brewing', matching: 'in', wantedTags: ['ipa'], mutedTags: ['IPA'] }] }), 400).errors,
    ).toMatchObject({
      'communities.0.mutedTags': expect.stringContaining('both wanted and muted'),
    });
    expect(
      expectProblem(await put({ communities: [{ slug: 'brewing', matching: 'default', wantedTags: ['ipa'] }] }), 400).errors,
    ).toMatchObject({
      'communities.0.matching': expect.any(String),
    });
    expectProblem(await t.app.inject({ method: 'GET', url: '/api/v1/me/expertise' }), 401, 'UNAUTHENTICATED');
    // Nothing was saved by the refused requests.
    expect((await eve.inject({ method: 'GET', url: '/api/v1/me/expertise' })).json()).toMatchObject({ weeklyCap: 10, timeZone: 'UTC' });
  });
});

describe('declining a match', () => {
  let thread: number;
  let eveMatch: number;
  beforeAll(async () => {
    thread = await ask(ada, 'brewing', 'Which yeast for a cold lager ferment?', ['yeast']);
    eveMatch = (await match(thread, eve.id)).id;
    await match(thread, sam.id, { rank: 2 });
  });

  it('opening the thread writes nothing; the page’s read mark marks the match seen, once', async () => {
    const read = (s: Session) =>
      s.inject({ method: 'POST', url: '/api/v1/me/reads', payload: { items: [{ threadId: thread, lastPostNumber: 1 }] } });
    await eve.inject({ method: 'GET', url: `/api/v1/threads/${thread}` });
    await eve.inject({ method: 'GET', url: `/api/v1/threads/${thread}/page` });
    expect((await db().select().from(expertMatches).where(eq(expertMatches.id, eveMatch)))[0]).toMatchObject({
      state: 'notified',
      seenAt: null,
    });
    expect((await read(eve)).statusCode).toBe(200);
    const [row] = await db().select().from(expertMatches).where(eq(expertMatches.id, eveMatch));
    expect(row).toMatchObject({ state: 'seen' });
    const seenAt = row!.seenAt;
    expect(seenAt).not.toBeNull();
    await read(eve);
    expect((await db().select().from(expertMatches).where(eq(expertMatches.id, eveMatch)))[0]!.seenAt).toEqual(seenAt);
    // Someone else reading it changes nothing of theirs.
    await read(bob);
    expect((await db().select().from(expertMatches).where(eq(expertMatches.threadId, thread))).map((m) => m.state).sort()).toEqual([
      'notified',
      'seen',
    ]);
  });

  it('by the matched expert: declined, with an expert.declined event for the worker', async () => {
    const res = await eve.inject({ method: 'POST', url: `/api/v1/threads/${thread}/match/decline`, payload: { reason: 'no_time' } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ matchId: eveMatch, state: 'declined', declineReason: 'no_time' });
    const [row] = await db().select().from(expertMatches).where(eq(expertMatches.id, eveMatch));
    expect(row).toMatchObject({ state: 'declined', declineReason: 'no_time' });
    expect(row!.respondedAt).not.toBeNull();
    expect(await lastEvent()).toMatchObject({
      type: 'expert.declined',
      aggregateId: thread,
      payload: { threadId: thread, expertId: eve.id, matchId: eveMatch, reason: 'no_time' },
    });
  });

  it('twice is a conflict; someone not asked gets 404; anonymous 401; a bad reason 400', async () => {
    const again = expectProblem(
      await eve.inject({ method: 'POST', url: `/api/v1/threads/${thread}/match/decline`, payload: { reason: 'not_my_area' } }),
      409,
      'MATCH_CLOSED',
    );
    expect(again.detail).toBe('You already declined this question');
    expectProblem(
      await bob.inject({ method: 'POST', url: `/api/v1/threads/${thread}/match/decline`, payload: { reason: 'no_time' } }),
      404,
      'NOT_FOUND',
    );
    expectProblem(
      await t.app.inject({
        method: 'POST',
        url: `/api/v1/threads/${thread}/match/decline`,
        headers: { origin: 'http://localhost:3000' },
        payload: { reason: 'no_time' },
      }),
      401,
    );
    expectProblem(
      await sam.inject({ method: 'POST', url: `/api/v1/threads/${thread}/match/decline`, payload: { reason: 'bored' } }),
      400,
      'VALIDATION_FAILED',
    );
    const events = await db().select().from(outboxEvents).where(eq(outboxEvents.type, 'expert.declined'));
    expect(events).toHaveLength(1);
  });
});

describe('questions for you', () => {
  it('lists only the viewer’s open matches on open, readable questions, newest first, paged', async () => {
    const day = (n: number) => new Date(Date.UTC(2026, 0, n));
    const older = await ask(ada, 'brewing', 'Is a secondary fermenter worth it?', ['fermentation']);
    const newer = await ask(ada, 'brewing', 'What water profile for a stout?', ['water']);
    const solved = await ask(ada, 'brewing', 'Can I reuse yeast cake safely?');
    const declined = await ask(ada, 'brewing', 'When to add whirlpool hops?');
    await createCommunity(admin, 'cellar', 'private');
    const cellarId = await communityId('cellar');
    await db().insert(memberships).values({ communityId: cellarId, userId: ada.id });
    const secret = await ask(ada, 'cellar', 'A question only members can see');
    await match(older, bob.id, { notifiedAt: day(1), reasons: ['You answered 2 questions about fermentation'] });
    await match(newer, bob.id, { notifiedAt: day(2), round: 2, state: 'seen' });
    await match(solved, bob.id, { notifiedAt: day(3) });
    await db().update(threads).set({ status: 'solved' }).where(eq(threads.id, solved));
    await match(declined, bob.id, { notifiedAt: day(4), state: 'declined', declineReason: 'not_my_area' });
    await match(secret, bob.id, { notifiedAt: day(5) });
    await match(older, lea.id, { notifiedAt: day(6) });

    const first = (await bob.inject({ method: 'GET', url: '/api/v1/me/matches?limit=1' })).json();
    expect(first.items).toHaveLength(1);
    expect(first.items[0]).toMatchObject({
      thread: {
        id: newer,
        title: 'What water profile for a stout?',
        community: { slug: 'brewing', name: 'Community brewing' },
        tags: ['water'],
        replyCount: 0,
      },
      round: 2,
      state: 'seen',
      notifiedAt: day(2).toISOString(),
    });
    const second = (await bob.inject({ method: 'GET', url: `/api/v1/me/matches?limit=1&cursor=${first.nextCursor}` })).json();
    expect(second.items.map((i: { thread: { id: number } }) => i.thread.id)).toEqual([older]);
    expect(second.items[0].reasons).toEqual(['You answered 2 questions about fermentation']);
    expect(second.nextCursor).toBeNull();
    expect((await eve.inject({ method: 'GET', url: '/api/v1/me/matches' })).json()).toEqual({ items: [], nextCursor: null });
    expectProblem(await bob.inject({ method: 'GET', url: '/api/v1/me/matches?cursor=nonsense' }), 400, 'VALIDATION_FAILED');
    expectProblem(await t.app.inject({ method: 'GET', url: '/api/v1/me/matches' }), 401);
  });
});

describe('the matching panel of a thread', () => {
  let thread: number;
  beforeAll(async () => {
    thread = await ask(ada, 'brewing', 'Why does my IPA taste grassy?', ['hops', 'off-flavors']);
    await match(thread, eve.id, { reasons: ['You answered 4 questions about hops', 'Your answer on “Grassy hop flavor” was accepted'] });
    await match(thread, sam.id, { rank: 2, state: 'declined', declineReason: 'not_my_area' });
    await match(thread, lea.id, { round: 3, rank: 1, kind: 'leader', reasons: ['You lead Community brewing'] });
  });
  const panel = (s: Session | null) =>
    s
      ? s.inject({ method: 'GET', url: `/api/v1/threads/${thread}/matching` })
      : t.app.inject({ method: 'GET', url: `/api/v1/threads/${thread}/matching` });

  it('tells the matched expert why, with the decline ability', async () => {
    const res = (await panel(eve)).json();
    expect(res.viewerMatch).toMatchObject({
      kind: 'expert',
      round: 1,
      state: 'notified',
      reasons: ['You answered 4 questions about hops', 'Your answer on “Grassy hop flavor” was accepted'],
      abilities: { decline: true },
    });
    expect(res.asked).toBeNull();
    expect(res.matches).toBeNull();
    expect((await panel(sam)).json().viewerMatch).toMatchObject({ state: 'declined', abilities: { decline: false } });
  });

  it('shows the asker how many experts were asked, with names unless the community hides them', async () => {
    expect((await panel(ada)).json()).toEqual({
      viewerMatch: null,
      asked: {
        count: 2,
        tags: ['hops', 'off-flavors'],
        names: [
          { username: 'eve', displayName: 'eve' },
          { username: 'sam', displayName: 'sam' },
        ],
      },
      matches: null,
    });
    await lea.inject({ method: 'PUT', url: '/api/v1/communities/brewing/matching', payload: { showExpertNames: false } });
    expect((await panel(ada)).json().asked).toEqual({ count: 2, tags: ['hops', 'off-flavors'], names: null });
    await lea.inject({ method: 'PUT', url: '/api/v1/communities/brewing/matching', payload: { showExpertNames: true } });
  });

  it('shows the full table only to the community’s leaders, moderators and admins', async () => {
    for (const s of [lea, admin]) {
      const { matches } = (await panel(s)).json();
      expect(
        matches.map((m: { expert: { username: string }; state: string; kind: string }) => `${m.expert.username}:${m.kind}:${m.state}`),
      ).toEqual(['eve:expert:notified', 'sam:expert:declined', 'lea:leader:notified']);
      expect(matches[1]).toMatchObject({ round: 1, rank: 2, score: 80, declineReason: 'not_my_area', respondedAt: null });
    }
    for (const s of [bob, null]) expect((await panel(s)).json()).toEqual({ viewerMatch: null, asked: null, matches: null });
  });

  it('is 404 on a private community’s thread to non-members', async () => {
    const cellarId = await communityId('cellar');
    const secret = await ask(ada, 'cellar', 'Another members-only question');
    await db().insert(memberships).values({ communityId: cellarId, userId: eve.id });
    await match(secret, eve.id);
    expect((await eve.inject({ method: 'GET', url: `/api/v1/threads/${secret}/matching` })).json().viewerMatch).toMatchObject({
      state: 'notified',
    });
    expectProblem(await bob.inject({ method: 'GET', url: `/api/v1/threads/${secret}/matching` }), 404, 'NOT_FOUND');
    expectProblem(await t.app.inject({ method: 'GET', url: `/api/v1/threads/${secret}/matching` }), 404, 'NOT_FOUND');
    expectProblem(
      await bob.inject({ method: 'POST', url: `/api/v1/threads/${secret}/match/decline`, payload: { reason: 'no_time' } }),
      404,
      'NOT_FOUND',
    );
  });
});

describe('community matching settings', () => {
  it('starts from the defaults, readable by anyone who can see the community', async () => {
    await createCommunity(admin, 'distilling');
    const res = (await t.app.inject({ method: 'GET', url: '/api/v1/communities/distilling/matching' })).json();
    expect(res).toEqual({
      community: { slug: 'distilling', name: 'Community distilling' },
      settings: {
        expertsPerRound: 3,
        rounds: 2,
        escalateMinutes: 120,
        newcomerEscalateMinutes: 30,
        matchQuestions: 'all',
        showExpertNames: true,
      },
      isDefault: true,
      abilities: { edit: false },
      ranking: null,
    });
    expect((await admin.inject({ method: 'GET', url: '/api/v1/communities/distilling/matching' })).json().abilities).toEqual({
      edit: true,
    });
  });

  it('leaders change them; the change is validated, audited and announced', async () => {
    const res = await lea.inject({
      method: 'PUT',
      url: '/api/v1/communities/brewing/matching',
      payload: { expertsPerRound: 5, escalateMinutes: 60, matchQuestions: 'newcomers' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      isDefault: false,
      settings: { expertsPerRound: 5, rounds: 2, escalateMinutes: 60, matchQuestions: 'newcomers', showExpertNames: true },
      abilities: { edit: true },
    });
    expect(await lastEvent()).toMatchObject({
      type: 'community.updated',
      payload: {
        communityId: brewingId,
        updatedBy: lea.id,
        fields: ['matching.expertsPerRound', 'matching.escalateMinutes', 'matching.matchQuestions'],
      },
    });
    for (const payload of [
      { expertsPerRound: 11 },
      { expertsPerRound: 0 },
      { rounds: 6 },
      { escalateMinutes: 10081 },
      { newcomerEscalateMinutes: 0 },
      {},
      { matchQuestions: 'some' },
    ]) {
      expectProblem(await lea.inject({ method: 'PUT', url: '/api/v1/communities/brewing/matching', payload }), 400, 'VALIDATION_FAILED');
    }
  });

  it('leaders see the latest ranking model with its validation figures and the load of the last 8 weeks; members do not', async () => {
    const leaders = async () => (await lea.inject({ method: 'GET', url: '/api/v1/communities/brewing/matching' })).json().ranking;
    expect((await leaders()).model).toBeNull();
    const figures = {
      kind: 'linear listwise, L2 0.1',
      model: {},
      trainingQuestions: 120,
      validationQuestions: 24,
      validationMrr: 0.61,
      validationS3: 0.7,
      weightedMrr: 0.58,
      mostActiveMrr: 0.55,
      mostActiveS3: 0.66,
    };
    await db()
      .insert(matchingModels)
      .values([
        { communityId: brewingId, version: 1, inUse: false, trainedAt: new Date('2026-11-01T00:00:00Z'), ...figures },
        { communityId: brewingId, version: 2, inUse: true, trainedAt: new Date('2026-12-01T00:00:00Z'), ...figures },
      ]);
    const other = await ask(bob, 'brewing', 'Which yeast for a saison?', ['yeast']);
    await match(other, eve.id, { notifiedAt: new Date() });
    await match(other, sam.id, { notifiedAt: new Date() });
    const ranking = await leaders();
    expect(ranking.model).toEqual({
      version: 2,
      trainedAt: '2026-12-01T00:00:00.000Z',
      setting: 'linear listwise, L2 0.1',
      inUse: true,
      trainingQuestions: 120,
      validationQuestions: 24,
      validationMrr: 0.61,
      validationS3: 0.7,
      weightedMrr: 0.58,
      mostActiveMrr: 0.55,
      mostActiveS3: 0.66,
    });
    expect(ranking.load).toHaveLength(8);
    const thisWeek = ranking.load[7];
    expect(thisWeek.questions).toBeGreaterThanOrEqual(1);
    expect(thisWeek.experts).toBeGreaterThanOrEqual(2);
    expect(thisWeek.maxShare).toBeGreaterThan(0);
    expect(thisWeek.maxShare).toBeLessThanOrEqual(1);
    expect(ranking.load.slice(0, 7).every((w: { questions: number }) => w.questions === 0)).toBe(true);
    expect((await bob.inject({ method: 'GET', url: '/api/v1/communities/brewing/matching' })).json().ranking).toBeNull();
  });

  it('refuses members (403), anonymous visitors (401), and hides private communities (404)', async () => {
    expectProblem(
      await bob.inject({ method: 'PUT', url: '/api/v1/communities/brewing/matching', payload: { rounds: 3 } }),
      403,
      'FORBIDDEN',
    );
    expectProblem(
      await t.app.inject({
        method: 'PUT',
        url: '/api/v1/communities/brewing/matching',
        headers: { origin: 'http://localhost:3000' },
        payload: { rounds: 3 },
      }),
      401,
    );
    expectProblem(
      await bob.inject({ method: 'PUT', url: '/api/v1/communities/cellar/matching', payload: { rounds: 3 } }),
      404,
      'NOT_FOUND',
    );
    expectProblem(await bob.inject({ method: 'GET', url: '/api/v1/communities/cellar/matching' }), 404, 'NOT_FOUND');
    expect((await bob.inject({ method: 'GET', url: '/api/v1/communities/brewing/matching' })).json().settings.rounds).toBe(2);
  });
});

describe('expert notifications', () => {
  it('say why the expert was asked', async () => {
    await db()
      .insert(notifications)
      .values({
        userId: bob.id,
        kind: 'expert_match',
        communityId: brewingId,
        threadId: questionId,
        actorId: ada.id,
        dedupeKey: `expert_match:${questionId}`,
        data: { reasons: ['You answered 3 questions about hops'], round: 1 },
      });
    const [item] = (await bob.inject({ method: 'GET', url: '/api/v1/notifications' })).json().items;
    expect(item).toMatchObject({
      kind: 'expert_match',
      message: 'ada asked a question you may know about',
      reasons: ['You answered 3 questions about hops'],
      round: 1,
    });
  });
});
