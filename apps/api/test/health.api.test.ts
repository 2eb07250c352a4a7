import {
  communities,
  eq,
  expertMatches,
  expertStats,
  guides,
  memberships,
  participation,
  participationChanges,
  posts,
  threads,
} from '@praxis/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ask, buildTestApp, createCommunity, expectProblem, reply, signUp, signUpAs, type Session, type TestApp } from './helper.js';

/**
 * A small hand-built community whose figures are known: four questions over three weeks, answers
 * back-dated to exact minutes, one matched expert, one newcomer who comes back and answers someone.
 */

let t: TestApp;
let admin: Session;
let lea: Session; // leader
let ada: Session; // newcomer: asks twice, never answers
let nia: Session; // newcomer: asks, comes back, answers ada
let eve: Session; // expert, matched on q1
let bob: Session; // member: answers q2, asks q4
let outsider: Session;
let brewingId: number;
const q: Record<string, number> = {};

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const now = Date.now();
const ago = (ms: number) => new Date(now - ms);
const db = () => t.database.db;
const period = `from=${encodeURIComponent(ago(21 * DAY).toISOString())}&to=${encodeURIComponent(new Date(now + HOUR).toISOString())}`;

async function backdateThread(threadId: number, at: Date) {
  await db().update(threads).set({ createdAt: at }).where(eq(threads.id, threadId));
  const [first] = await db().select().from(posts).where(eq(posts.threadId, threadId)).orderBy(posts.number).limit(1);
  await db().update(posts).set({ createdAt: at }).where(eq(posts.id, first!.id));
}
const backdatePost = (postId: number, at: Date) => db().update(posts).set({ createdAt: at }).where(eq(posts.id, postId));

beforeAll(async () => {
  t = await buildTestApp();
  admin = await signUpAs(t.app, 'admin');
  await createCommunity(admin, 'brewing');
  await createCommunity(admin, 'cellar', 'private');
  [lea, ada, nia, eve, bob, outsider] = (await Promise.all(
    ['lea', 'ada', 'nia', 'eve', 'bob', 'outsider'].map((name) => signUp(t.app, name)),
  )) as [Session, Session, Session, Session, Session, Session];
  for (const s of [lea, ada, nia, eve, bob]) await s.inject({ method: 'POST', url: '/api/v1/communities/brewing/join' });
  brewingId = (await db().select().from(communities).where(eq(communities.slug, 'brewing')))[0]!.id;
  await db().update(memberships).set({ role: 'leader' }).where(eq(memberships.userId, lea.id));

  // q1: ada, 20 days ago; eve (matched 5 minutes in) answers after 30 minutes; accepted.
  q.q1 = await ask(ada, 'brewing', 'How long should I dry hop a pale ale?', ['hops']);
  await backdateThread(q.q1, ago(20 * DAY));
  const eveAnswer = await reply(eve, q.q1, 'Three days at 18 °C.');
  await backdatePost(eveAnswer, new Date(now - 20 * DAY + 30 * MIN));
  await db()
    .insert(expertMatches)
    .values({ threadId: q.q1, expertId: eve.id, round: 1, rank: 1, state: 'answered', notifiedAt: new Date(now - 20 * DAY + 5 * MIN) });
  await ada.inject({ method: 'POST', url: `/api/v1/threads/${q.q1}/solution`, payload: { postId: eveAnswer } });

  // q2: ada, 10 days ago; bob answers after 90 minutes; nia answers 3 days ago.
  q.q2 = await ask(ada, 'brewing', 'Why does my IPA taste grassy?', ['hops']);
  await backdateThread(q.q2, ago(10 * DAY));
  await backdatePost(await reply(bob, q.q2, 'Too much dry hop contact time.'), new Date(now - 10 * DAY + 90 * MIN));
  await backdatePost(await reply(nia, q.q2, 'Cold crash before dry hopping.'), ago(3 * DAY));

  // q3: nia, 5 days ago, nobody else answered (her own follow-up a day later does not count): on the worklist.
  q.q3 = await ask(nia, 'brewing', 'Yeast, "wild" or dry?', ['yeast']);
  await backdateThread(q.q3, ago(5 * DAY));
  await backdatePost(await reply(nia, q.q3, 'Adding: it is for a saison.'), ago(4 * DAY));

  // q4: bob, an hour ago: unanswered, but not yet 48 hours old.
  q.q4 = await ask(bob, 'brewing', 'Best hops for a lager?', ['hops']);
  await backdateThread(q.q4, ago(HOUR));

  // Expertise (the worker's to keep): eve answered about hops recently; nobody about yeast.
  await db()
    .insert(expertStats)
    .values({ userId: eve.id, communityId: brewingId, tag: 'hops', answers: 1, accepted: 1, lastAnswerAt: ago(20 * DAY) });

  // Participation (the worker's to compute) and its movement.
  await db()
    .insert(participation)
    .values([
      { userId: lea.id, communityId: brewingId, level: 'leader' },
      { userId: eve.id, communityId: brewingId, level: 'core', figures: { answers: 12, accepted: 4, questions: 0, daysActive: 9 } },
      { userId: bob.id, communityId: brewingId, level: 'peripheral', figures: { answers: 1, accepted: 0, questions: 1, daysActive: 2 } },
      { userId: nia.id, communityId: brewingId, level: 'peripheral' },
      { userId: ada.id, communityId: brewingId, level: 'newcomer' },
    ]);
  await db()
    .insert(participationChanges)
    .values([
      { userId: nia.id, communityId: brewingId, fromLevel: null, toLevel: 'newcomer', changedAt: ago(5 * DAY) },
      { userId: nia.id, communityId: brewingId, fromLevel: 'newcomer', toLevel: 'peripheral', changedAt: ago(3 * DAY) },
      { userId: eve.id, communityId: brewingId, fromLevel: 'active', toLevel: 'core', changedAt: ago(2 * DAY) },
      { userId: bob.id, communityId: brewingId, fromLevel: 'active', toLevel: 'peripheral', changedAt: ago(2 * DAY) },
      { userId: eve.id, communityId: brewingId, fromLevel: 'peripheral', toLevel: 'active', changedAt: ago(60 * DAY) }, // before the period
    ]);

  // Guides (another module's; only read here): one published 7 days ago and verified 2 days ago, one draft.
  await db()
    .insert(guides)
    .values([
      {
        communityId: brewingId,
        title: 'Dry hopping',
        body: 'b',
        html: '<p>b</p>',
        status: 'published',
        publishedAt: ago(7 * DAY),
        verifiedAt: ago(2 * DAY),
      },
      { communityId: brewingId, title: 'Draft', body: 'b', html: '<p>b</p>', status: 'draft' },
    ]);
});
afterAll(() => t.close());

const health = (s: Session | null, query = period, slug = 'brewing') =>
  (s ? s.inject.bind(s) : t.app.inject.bind(t.app))({ method: 'GET', url: `/api/v1/communities/${slug}/health?${query}` });

describe('GET /communities/:slug/health', () => {
  it('answered and solved shares, median times to a first answer and a first matched-expert answer', async () => {
    const res = await health(lea);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.totals).toEqual({
      questions: 4,
      answered: 2,
      solved: 1,
      answeredShare: 0.5,
      solvedShare: 0.25,
      medianFirstAnswerMinutes: 60,
      matchedQuestions: 1,
      medianFirstExpertAnswerMinutes: 30,
    });
    expect(body.period.weeks).toBeGreaterThanOrEqual(4);
    expect(body.weekly).toHaveLength(body.period.weeks);
    expect(body.weekly.reduce((n: number, w: { questions: number }) => n + w.questions, 0)).toBe(4);
    const weekOfQ1 = body.weekly.find((w: { medianFirstExpertAnswerMinutes: number | null }) => w.medianFirstExpertAnswerMinutes !== null);
    expect(weekOfQ1).toMatchObject({
      questions: 1,
      answered: 1,
      solved: 1,
      answeredShare: 1,
      medianFirstAnswerMinutes: 30,
      medianFirstExpertAnswerMinutes: 30,
    });
  });

  it('lists open questions unanswered after 48 hours, oldest first, not younger ones or self-replies', async () => {
    const { unanswered } = (await health(lea)).json();
    expect(unanswered.total).toBe(1);
    expect(unanswered.items).toEqual([
      {
        id: q.q3,
        title: 'Yeast, "wild" or dry?',
        tags: ['yeast'],
        author: { username: 'nia', displayName: 'nia' },
        createdAt: ago(5 * DAY).toISOString(),
        ageHours: expect.any(Number),
        matched: false,
      },
    ]);
    expect(unanswered.items[0].ageHours).toBeGreaterThanOrEqual(5 * 24);
  });

  it('follows newcomers: asked → returned → answered someone', async () => {
    // ada and nia's first posts are questions of the period; both came back; only nia answered someone. bob answered before he asked.
    expect((await health(lea)).json().retention).toEqual({
      asked: 2,
      returned: 2,
      answeredSomeone: 1,
      returnedShare: 1,
      answeredShare: 0.5,
    });
  });

  it('shows the expert load and the tags with questions but no active expert', async () => {
    const { experts, coverage } = (await health(admin)).json();
    expect(experts).toMatchObject({ answerers: 3, answers: 3 });
    expect(experts.items[0]).toMatchObject({
      user: { username: 'eve' },
      answers: 1,
      accepted: 1,
      matched: 1,
      matchedAnswered: 1,
      declined: 0,
    });
    expect(experts.items.map((e: { user: { username: string } }) => e.user.username).sort()).toEqual(['bob', 'eve', 'nia']);
    expect(coverage).toEqual({
      gaps: 1,
      tags: [
        { tag: 'yeast', questions: 1, unanswered: 1, activeExperts: 0 },
        { tag: 'hops', questions: 3, unanswered: 1, activeExperts: 1 },
      ],
    });
  });

  it('counts participation levels, moves up and down in the period, and guides', async () => {
    const body = (await health(lea)).json();
    expect(body.participation.levels).toEqual({ newcomer: 1, peripheral: 2, active: 0, core: 1, leader: 1 });
    expect(body.participation).toMatchObject({ up: 2, down: 1 });
    expect(body.participation.movement).toEqual(
      expect.arrayContaining([
        { from: null, to: 'newcomer', count: 1 },
        { from: 'newcomer', to: 'peripheral', count: 1 },
        { from: 'active', to: 'core', count: 1 },
        { from: 'active', to: 'peripheral', count: 1 },
      ]),
    );
    expect(body.participation.movement).toHaveLength(4);
    expect(body.weekly.reduce((n: number, w: { levelUps: number }) => n + w.levelUps, 0)).toBe(2);
    expect(body.guides).toEqual({ published: 1, verified: 1, publishedTotal: 1 });
  });

  it('defaults to the last 12 weeks', async () => {
    const body = (await health(lea, '')).json();
    expect(body.period.weeks).toBe(12);
    expect(body.totals.questions).toBe(4);
  });

  it('is for leaders, moderators and admins: a member is refused, a visitor asked to sign in', async () => {
    expect((await health(admin)).statusCode).toBe(200);
    expect((await health(await signUpAs(t.app, 'moderator'))).statusCode).toBe(200);
    expectProblem(await health(bob), 403, 'FORBIDDEN');
    expectProblem(await health(outsider), 403, 'FORBIDDEN');
    expectProblem(await health(null), 401, 'UNAUTHENTICATED');
    const community = (await lea.inject({ method: 'GET', url: '/api/v1/communities/brewing' })).json();
    expect(community.abilities.health).toBe(true);
    expect((await bob.inject({ method: 'GET', url: '/api/v1/communities/brewing' })).json().abilities.health).toBe(false);
  });

  it('keeps a private community invisible: 404 to non-members', async () => {
    expectProblem(await health(outsider, '', 'cellar'), 404, 'NOT_FOUND');
    expectProblem(await health(null, '', 'cellar'), 404, 'NOT_FOUND');
    expectProblem(await health(lea, '', 'nowhere'), 404, 'NOT_FOUND');
    expect((await health(admin, '', 'cellar')).statusCode).toBe(200);
  });

  it.each([
    ['from=yesterday', 'from'],
    ['to=2026-02-30', 'to'],
    ['from=2026-03-01&to=2026-02-01', 'from'],
    ['from=2020-01-01&to=2026-01-01', 'to'],
  ])('refuses bad dates (%s) with a 400 problem naming the field', async (query, field) => {
    const body = expectProblem(await health(lea, query), 400, 'VALIDATION_FAILED');
    expect(Object.keys(body.errors as object)).toEqual([field]);
  });
});

describe('GET /communities/:slug/health.csv', () => {
  it('has a header, the weekly series and the worklist, with commas and quotes escaped', async () => {
    const res = await lea.inject({ method: 'GET', url: `/api/v1/communities/brewing/health.csv?${period}` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="brewing-health-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv"$/);
    const [weekly, worklist] = res.body.split('\r\n\r\n');
    const weeklyLines = weekly!.split('\r\n');
    expect(weeklyLines[0]).toBe(
      'week_start,questions,answered,solved,answered_share,solved_share,median_first_answer_minutes,median_first_expert_answer_minutes,guides_published,guides_verified,level_ups,level_downs',
    );
    expect(weeklyLines.length - 1).toBe((await health(lea)).json().weekly.length);
    const worklistLines = worklist!.trimEnd().split('\r\n');
    expect(worklistLines[0]).toBe('unanswered_question_id,title,tags,author,created_at,age_hours,experts_asked,url');
    expect(worklistLines[1]).toMatch(new RegExp(`^${q.q3},"Yeast, ""wild"" or dry\\?",yeast,nia,`));
    expect(worklistLines[1]).toMatch(new RegExp(`,false,http://localhost:3000/t/${q.q3}$`));
  });

  it('is refused like the dashboard', async () => {
    expectProblem(await bob.inject({ method: 'GET', url: '/api/v1/communities/brewing/health.csv' }), 403, 'FORBIDDEN');
    expectProblem(await lea.inject({ method: 'GET', url: '/api/v1/communities/brewing/health.csv?from=nope' }), 400, 'VALIDATION_FAILED');
  });
});

describe('members and participation', () => {
  it('lists members with role and level, highest level first, filtered by level, page by page', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/communities/brewing/members' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.levels).toEqual({ newcomer: 1, peripheral: 2, active: 0, core: 1, leader: 1 });
    expect(body.items.map((m: { user: { username: string }; level: string }) => `${m.user.username}:${m.level}`)).toEqual([
      'lea:leader',
      'eve:core',
      ...(bob.id < nia.id ? ['bob:peripheral', 'nia:peripheral'] : ['nia:peripheral', 'bob:peripheral']),
      'ada:newcomer',
      `${admin.username}:null`, // the community's creator, not yet computed
    ]);
    expect(body.items[0]).toMatchObject({ role: 'leader' });
    expect(body.items[1]).toMatchObject({ role: 'member', figures: { answers: 12, accepted: 4, questions: 0, daysActive: 9 } });

    const peripheral = (await t.app.inject({ method: 'GET', url: '/api/v1/communities/brewing/members?level=peripheral' })).json();
    expect(peripheral.items.map((m: { level: string }) => m.level)).toEqual(['peripheral', 'peripheral']);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { user: { username: string } }[]; nextCursor: string | null } = (
        await t.app.inject({ method: 'GET', url: `/api/v1/communities/brewing/members?limit=2${cursor ? `&cursor=${cursor}` : ''}` })
      ).json();
      seen.push(...page.items.map((m: { user: { username: string } }) => m.user.username));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(body.items.map((m: { user: { username: string } }) => m.user.username));
  });

  it('refuses bad filters and hides private communities', async () => {
    expectProblem(await t.app.inject({ method: 'GET', url: '/api/v1/communities/brewing/members?level=guru' }), 400, 'VALIDATION_FAILED');
    expectProblem(await t.app.inject({ method: 'GET', url: '/api/v1/communities/brewing/members?cursor=nope' }), 400, 'VALIDATION_FAILED');
    expectProblem(await outsider.inject({ method: 'GET', url: '/api/v1/communities/cellar/members' }), 404, 'NOT_FOUND');
  });

  it('shows participation per community on the profile', async () => {
    const profile = (await t.app.inject({ method: 'GET', url: '/api/v1/users/eve' })).json();
    expect(profile.participation).toEqual([
      { community: { slug: 'brewing', name: 'Community brewing' }, level: 'core', since: expect.any(String) },
    ]);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/users/outsider' })).json().participation).toEqual([]);
  });
});
