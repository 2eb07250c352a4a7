import type { CommunityHealth } from '@praxis/contracts';
import { inArray, sql, users, type SQL, replyVisibleToAllAs, threadListedForAllAs, postApprovedAs } from '@praxis/db';
import {
  loadSpread,
  participationLevels,
  participationRank,
  questionFiguresFromCounts,
  retentionFunnel,
  weeklyQuestionSeriesFromCounts,
  weeksOf,
  type HealthPeriod,
  type ParticipationLevel,
  type QuestionCounts,
} from '@praxis/domain';
import type { Deps } from '../../context.js';

/**
 * The figures of the community health dashboard. Each query is bounded by the community and the
 * period (threads_community_created_idx, posts by thread or by author, the indexes of 0008), so the
 * report costs the same whatever the size of the rest of the site. apps/api/bench/health.mjs times them.
 */

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** An expert is active for a tag when they answered a question with it within this long before the period ends. */
export const ACTIVE_EXPERT_DAYS = 90;
export const UNANSWERED_AFTER_HOURS = 48;
const WORKLIST_LIMIT = 50;
const EXPERTS_LIMIT = 20;

interface Scope {
  communityId: number;
  period: HealthPeriod;
  now: Date;
}

async function rows<T>(deps: Deps, query: SQL): Promise<T[]> {
  const result = (await deps.db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

const epoch = (column: SQL) => sql`(extract(epoch from ${column}) * 1000)::float8`;
/** Answers others can see: replies that are not deleted, hidden or waiting for approval. */
const visibleReply = replyVisibleToAllAs;

interface QuestionAggregate {
  kind: 'week' | 'total' | 'tag';
  key: string | null;
  questions: number;
  answered: number;
  solved: number;
  matched: number;
  fa_lo: number | null;
  fa_hi: number | null;
  fe_lo: number | null;
  fe_hi: number | null;
  experts: number | null;
}

const middle = (lo: number | null, hi: number | null): readonly [number, number] | null => (lo === null || hi === null ? null : [lo, hi]);
const countsOf = (r: QuestionAggregate): QuestionCounts => ({
  questions: r.questions,
  answered: r.answered,
  solved: r.solved,
  matched: r.matched,
  firstAnswerMiddle: middle(r.fa_lo, r.fa_hi),
  firstExpertAnswerMiddle: middle(r.fe_lo, r.fe_hi),
});
/** Minutes from a to b as the figures count them (both truncated to the millisecond, never negative); null without b (greatest() would skip the null). */
const minutesFrom = (a: string, b: string) =>
  sql.raw(
    `case when ${b} is not null then greatest(0, (extract(epoch from date_trunc('milliseconds', ${b}) - date_trunc('milliseconds', ${a})) * 1000)::float8 / 60000) end`,
  );
/** The two middle values of a float8[] sorted ascending (the same one twice for an odd length); null for an empty one. */
const lowerMiddle = (a: string) => sql.raw(`${a}[(cardinality(${a}) + 1) / 2]`);
const upperMiddle = (a: string) => sql.raw(`${a}[cardinality(${a}) / 2 + 1]`);

export interface QuestionFigures {
  totals: ReturnType<typeof questionFiguresFromCounts>;
  /** Counts per week start (YYYY-MM-DD), only weeks with questions. */
  weekly: Map<string, QuestionCounts>;
  coverage: CommunityHealth['coverage'];
}

/**
 * The questions asked in the period, aggregated in the database: per week and in total (counts, and the two
 * middle minutes to a first answer by someone else and to a first answer by a matched expert, for the medians),
 * and per tag (questions, unanswered, members who answered it recently and can still be asked). One pass over
 * the period's questions and their answers (posts_thread_answers_idx); only ~weeks + tags rows come back.
 */
export async function loadQuestionFigures(deps: Deps, { communityId, period }: Scope): Promise<QuestionFigures> {
  const since = new Date(period.to.getTime() - ACTIVE_EXPERT_DAYS * DAY_MS);
  const raw = await rows<QuestionAggregate>(
    deps,
    sql`
      with q as (
        select t.id, t.tags, t.created_at, t.solution_post_id is not null as solved,
          min(p.created_at) filter (where p.author_id is distinct from t.author_id) as first_answer,
          min(p.created_at) filter (where p.created_at >= em.notified_at) as first_expert
        from threads t
        left join posts p on p.thread_id = t.id and ${visibleReply('p')}
        left join expert_matches em on em.thread_id = p.thread_id and em.expert_id = p.author_id and em.kind = 'expert'
        where t.community_id = ${communityId} and t.kind = 'question' and ${threadListedForAllAs('t')}
          and t.created_at >= ${period.from} and t.created_at < ${period.to}
        group by t.id
      ), m as (
        select q.tags, q.solved, q.first_answer is not null as answered,
          q.id in (select x.thread_id from expert_matches x where x.kind = 'expert') as matched,
          to_char(date_trunc('week', q.created_at at time zone 'UTC'), 'YYYY-MM-DD') as week,
          ${minutesFrom('q.created_at', 'q.first_answer')} as fa, ${minutesFrom('q.created_at', 'q.first_expert')} as fe
        from q
      ), w as (
        select grouping(week) = 1 as total, week, count(*)::int as questions, (count(*) filter (where answered))::int as answered,
          (count(*) filter (where solved))::int as solved, (count(*) filter (where matched))::int as matched,
          array_agg(fa order by fa) filter (where fa is not null) as fas, array_agg(fe order by fe) filter (where matched and fe is not null) as fes
        from m group by grouping sets ((week), ())
      ), tags as (
        select tag, count(*)::int as questions, (count(*) filter (where not answered))::int as unanswered from m cross join unnest(m.tags) tag group by tag
      ), experts as (
        select es.tag, count(*)::int as experts
        from expert_stats es
        join memberships ms on ms.community_id = es.community_id and ms.user_id = es.user_id
        left join expert_community_preferences ecp on ecp.community_id = es.community_id and ecp.user_id = es.user_id
        where es.community_id = ${communityId} and es.answers > 0 and es.last_answer_at >= ${since} and es.tag in (select tag from tags)
          and (ecp.matching is null or ecp.matching <> 'out')
        group by es.tag
      )
      select case when total then 'total' else 'week' end as kind, week as key, questions, answered, solved, matched,
        ${lowerMiddle('fas')} as fa_lo, ${upperMiddle('fas')} as fa_hi, ${lowerMiddle('fes')} as fe_lo, ${upperMiddle('fes')} as fe_hi, null::int as experts
      from w
      union all
      select 'tag', tags.tag, tags.questions, tags.questions - tags.unanswered, 0, 0, null, null, null, null, coalesce(experts.experts, 0)
      from tags left join experts on experts.tag = tags.tag`,
  );
  const weekly = new Map<string, QuestionCounts>();
  let totals = questionFiguresFromCounts(
    countsOf({
      kind: 'total',
      key: null,
      questions: 0,
      answered: 0,
      solved: 0,
      matched: 0,
      fa_lo: null,
      fa_hi: null,
      fe_lo: null,
      fe_hi: null,
      experts: null,
    }),
  );
  const perTag: CommunityHealth['coverage']['tags'] = [];
  for (const r of raw) {
    if (r.kind === 'total') totals = questionFiguresFromCounts(countsOf(r));
    else if (r.kind === 'week') weekly.set(r.key!, countsOf(r));
    else perTag.push({ tag: r.key!, questions: r.questions, unanswered: r.questions - r.answered, activeExperts: r.experts ?? 0 });
  }
  const tags = perTag.sort(
    (a, b) => Number(a.activeExperts > 0) - Number(b.activeExperts > 0) || b.questions - a.questions || a.tag.localeCompare(b.tag),
  );
  return { totals, weekly, coverage: { gaps: tags.filter((t) => t.activeExperts === 0).length, tags: tags.slice(0, 50) } };
}

/** The worklist: open questions of the period nobody else answered within 48 hours, oldest first. */
export async function loadUnanswered(deps: Deps, { communityId, period, now }: Scope): Promise<CommunityHealth['unanswered']> {
  const cutoff = new Date(Math.min(period.to.getTime(), now.getTime() - UNANSWERED_AFTER_HOURS * HOUR_MS));
  if (cutoff <= period.from) return { total: 0, items: [] };
  const raw = await rows<{
    id: number;
    title: string;
    tags: string[];
    created: number;
    username: string | null;
    display_name: string | null;
    matched: boolean;
    total: number;
  }>(
    deps,
    sql`
      select t.id, t.title, t.tags, ${epoch(sql`t.created_at`)} as created, u.username, u.display_name,
        exists (select 1 from expert_matches m where m.thread_id = t.id) as matched,
        (count(*) over ())::int as total
      from threads t
      left join users u on u.id = t.author_id
      where t.community_id = ${communityId} and t.kind = 'question' and ${threadListedForAllAs('t')}
        and t.status = 'open' and t.solution_post_id is null
        and t.created_at >= ${period.from} and t.created_at < ${cutoff}
        and not exists (select 1 from posts p where p.thread_id = t.id and ${visibleReply('p')} and p.author_id is distinct from t.author_id)
      order by t.created_at asc, t.id asc
      limit ${WORKLIST_LIMIT}`,
  );
  return {
    total: raw[0]?.total ?? 0,
    items: raw.map((r) => ({
      id: r.id,
      title: r.title,
      tags: r.tags,
      author: r.username === null ? null : { username: r.username, displayName: r.display_name ?? r.username },
      createdAt: new Date(r.created).toISOString(),
      ageHours: Math.floor((now.getTime() - r.created) / HOUR_MS),
      matched: r.matched,
    })),
  };
}

/**
 * Newcomers of the period (their first post in the community is a question asked in it), whether they
 * posted again at least a day later, and whether they went on to answer someone else's question.
 */
export async function loadRetention(deps: Deps, { communityId, period }: Scope): Promise<CommunityHealth['retention']> {
  const mine = (alias: string) => sql`p.author_id = ${sql.raw(alias)}.user_id and ${postApprovedAs('p')}`;
  const raw = await rows<{ returned: boolean; answered: boolean }>(
    deps,
    sql`
      with askers as (
        select t.author_id as user_id, min(t.created_at) as first_q
        from threads t
        where t.community_id = ${communityId} and t.kind = 'question' and ${threadListedForAllAs('t')} and t.author_id is not null
          and t.created_at >= ${period.from} and t.created_at < ${period.to}
        group by t.author_id
      ), newcomers as (
        select a.* from askers a
        where not exists (select 1 from posts p join threads t on t.id = p.thread_id
                          where ${mine('a')} and t.community_id = ${communityId} and p.created_at < a.first_q)
      )
      select
        exists (select 1 from posts p join threads t on t.id = p.thread_id
                where ${mine('n')} and t.community_id = ${communityId} and p.created_at >= n.first_q + interval '1 day') as returned,
        exists (select 1 from posts p join threads t on t.id = p.thread_id
                where ${mine('n')} and t.community_id = ${communityId} and p.number > 1 and t.kind = 'question'
                  and t.author_id is distinct from n.user_id and p.created_at > n.first_q) as answered
      from newcomers n`,
  );
  return retentionFunnel(raw.map((r) => ({ returned: r.returned, answeredSomeone: r.answered })));
}

/** Who answered in the period and who was asked: the spread of the load and the busiest members. */
export async function loadExpertLoad(deps: Deps, { communityId, period }: Scope): Promise<CommunityHealth['experts']> {
  const answers = await rows<{ user_id: number; answers: number; accepted: number }>(
    deps,
    sql`
      select p.author_id as user_id, count(*)::int as answers, (count(*) filter (where t.solution_post_id = p.id))::int as accepted
      from posts p
      join threads t on t.id = p.thread_id
      where p.created_at >= ${period.from} and p.created_at < ${period.to} and ${visibleReply('p')} and p.author_id is not null
        and t.community_id = ${communityId} and t.kind = 'question' and ${threadListedForAllAs('t')} and p.author_id is distinct from t.author_id
      group by p.author_id`,
  );
  const matches = await rows<{ user_id: number; matched: number; answered: number; declined: number }>(
    deps,
    sql`
      select m.expert_id as user_id, count(*)::int as matched,
        (count(*) filter (where m.state in ('answered', 'accepted')))::int as answered,
        (count(*) filter (where m.state = 'declined'))::int as declined
      from expert_matches m
      join threads t on t.id = m.thread_id
      where t.community_id = ${communityId} and m.kind = 'expert' and m.notified_at >= ${period.from} and m.notified_at < ${period.to}
      group by m.expert_id`,
  );
  const byUser = new Map<number, { answers: number; accepted: number; matched: number; matchedAnswered: number; declined: number }>();
  const entry = (id: number) =>
    byUser.get(id) ?? byUser.set(id, { answers: 0, accepted: 0, matched: 0, matchedAnswered: 0, declined: 0 }).get(id)!;
  for (const a of answers) Object.assign(entry(a.user_id), { answers: a.answers, accepted: a.accepted });
  for (const m of matches) Object.assign(entry(m.user_id), { matched: m.matched, matchedAnswered: m.answered, declined: m.declined });
  const top = [...byUser.entries()]
    .sort((a, b) => b[1].answers - a[1].answers || b[1].matched - a[1].matched || a[0] - b[0])
    .slice(0, EXPERTS_LIMIT);
  const people =
    top.length === 0
      ? []
      : await deps.db
          .select({ id: users.id, username: users.username, displayName: users.displayName, trustLevel: users.trustLevel })
          .from(users)
          .where(
            inArray(
              users.id,
              top.map(([id]) => id),
            ),
          );
  const person = new Map(people.map((u) => [u.id, u]));
  return {
    ...loadSpread(answers.map((a) => a.answers)),
    items: top.filter(([id]) => person.has(id)).map(([id, figures]) => ({ user: person.get(id)!, ...figures })),
  };
}

const weekKey = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Members per level now, and the level changes of the period (in total and per week). */
export async function loadParticipationMovement(deps: Deps, { communityId, period }: Scope) {
  const levels = await rows<{ level: ParticipationLevel; n: number }>(
    deps,
    sql`select p.level, count(*)::int as n from participation p join memberships m on m.community_id = p.community_id and m.user_id = p.user_id
        where p.community_id = ${communityId} group by p.level`,
  );
  const changes = await rows<{ week: number; from_level: ParticipationLevel | null; to_level: ParticipationLevel; n: number }>(
    deps,
    sql`select ${epoch(sql`date_trunc('week', c.changed_at at time zone 'UTC') at time zone 'UTC'`)} as week, c.from_level, c.to_level, count(*)::int as n
        from participation_changes c
        where c.community_id = ${communityId} and c.changed_at >= ${period.from} and c.changed_at < ${period.to}
        group by 1, 2, 3`,
  );
  const counts = Object.fromEntries(participationLevels.map((l) => [l, 0])) as Record<ParticipationLevel, number>;
  for (const l of levels) counts[l.level] = l.n;
  const movement = new Map<string, { from: ParticipationLevel | null; to: ParticipationLevel; count: number }>();
  const weekly = new Map<string, { up: number; down: number }>();
  let up = 0;
  let down = 0;
  for (const c of changes) {
    const key = `${c.from_level}>${c.to_level}`;
    const m = movement.get(key) ?? movement.set(key, { from: c.from_level, to: c.to_level, count: 0 }).get(key)!;
    m.count += c.n;
    // A first level (from null) is an arrival, not a move.
    if (c.from_level === null) continue;
    const w = weekly.get(weekKey(c.week)) ?? weekly.set(weekKey(c.week), { up: 0, down: 0 }).get(weekKey(c.week))!;
    if (participationRank(c.to_level) > participationRank(c.from_level)) {
      w.up += c.n;
      up += c.n;
    } else {
      w.down += c.n;
      down += c.n;
    }
  }
  const order = (l: ParticipationLevel | null) => (l === null ? -1 : participationRank(l));
  return {
    summary: {
      levels: counts,
      up,
      down,
      movement: [...movement.values()].sort((a, b) => order(b.to) - order(a.to) || order(a.from) - order(b.from)),
    },
    weekly,
  };
}

/** Guides published and verified in the period (per week), and how many are published now. Read only: guides belong to their own module. */
export async function loadGuideFigures(deps: Deps, { communityId, period }: Scope) {
  const weekly = await rows<{ week: number; kind: 'published' | 'verified'; n: number }>(
    deps,
    sql`
      select ${epoch(sql`date_trunc('week', g.at at time zone 'UTC') at time zone 'UTC'`)} as week, g.kind, count(*)::int as n from (
        select published_at as at, 'published' as kind from guides where community_id = ${communityId} and deleted_at is null and published_at >= ${period.from} and published_at < ${period.to}
        union all
        select verified_at, 'verified' from guides where community_id = ${communityId} and deleted_at is null and verified_at >= ${period.from} and verified_at < ${period.to}
      ) g group by 1, 2`,
  );
  const [total] = await rows<{ n: number }>(
    deps,
    sql`select count(*)::int as n from guides where community_id = ${communityId} and status = 'published' and deleted_at is null`,
  );
  const perWeek = new Map<string, { published: number; verified: number }>();
  let published = 0;
  let verified = 0;
  for (const r of weekly) {
    const w = perWeek.get(weekKey(r.week)) ?? perWeek.set(weekKey(r.week), { published: 0, verified: 0 }).get(weekKey(r.week))!;
    w[r.kind] += r.n;
    if (r.kind === 'published') published += r.n;
    else verified += r.n;
  }
  return { summary: { published, verified, publishedTotal: total?.n ?? 0 }, weekly: perWeek };
}

/** The whole report. */
export async function communityHealth(
  deps: Deps,
  community: { id: number; slug: string; name: string },
  period: HealthPeriod,
): Promise<CommunityHealth> {
  const now = deps.clock.now();
  const scope: Scope = { communityId: community.id, period, now };
  const [questions, unanswered, retention, experts, participation, guides] = await Promise.all([
    loadQuestionFigures(deps, scope),
    loadUnanswered(deps, scope),
    loadRetention(deps, scope),
    loadExpertLoad(deps, scope),
    loadParticipationMovement(deps, scope),
    loadGuideFigures(deps, scope),
  ]);
  const weekly = weeklyQuestionSeriesFromCounts(questions.weekly, period).map((w) => ({
    ...w,
    guidesPublished: guides.weekly.get(w.weekStart)?.published ?? 0,
    guidesVerified: guides.weekly.get(w.weekStart)?.verified ?? 0,
    levelUps: participation.weekly.get(w.weekStart)?.up ?? 0,
    levelDowns: participation.weekly.get(w.weekStart)?.down ?? 0,
  }));
  return {
    community: { slug: community.slug, name: community.name },
    period: { from: period.from.toISOString(), to: period.to.toISOString(), weeks: weeksOf(period).length },
    generatedAt: now.toISOString(),
    totals: questions.totals,
    weekly,
    unanswered,
    retention,
    experts,
    coverage: questions.coverage,
    participation: participation.summary,
    guides: guides.summary,
  };
}
