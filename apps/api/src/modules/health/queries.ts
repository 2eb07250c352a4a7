import type { CommunityHealth } from '@praxis/contracts';
import { inArray, sql, users, type SQL } from '@praxis/db';
import {
  loadSpread,
  participationLevels,
  participationRank,
  questionFigures,
  retentionFunnel,
  weeklyQuestionSeries,
  weeksOf,
  type HealthPeriod,
  type ParticipationLevel,
  type QuestionFacts,
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
const toDate = (ms: number | null) => (ms === null ? null : new Date(ms));
/** Answers others can see: replies that are not deleted, hidden or waiting for approval. */
const visibleReply = (p: string) => sql.raw(`${p}.number > 1 and ${p}.deleted_at is null and ${p}.hidden_at is null and ${p}.held_at is null`);

export interface QuestionRow extends QuestionFacts {
  id: number;
  tags: string[];
}

/** Every question asked in the period, with its first answer by someone else and its first answer by a matched expert. */
export async function loadQuestionFacts(deps: Deps, { communityId, period }: Scope): Promise<QuestionRow[]> {
  const raw = await rows<{ id: number; tags: string[]; created: number; solved: boolean; first_answer: number | null; first_expert_answer: number | null; matched: boolean }>(
    deps,
    // Set-based (hash joins over the period's posts) rather than two subqueries per question: flat from 12 weeks to 2 years.
    sql`
      with q as (
        select t.id, t.tags, t.created_at, t.author_id, t.solution_post_id from threads t
        where t.community_id = ${communityId} and t.kind = 'question' and t.deleted_at is null
          and t.created_at >= ${period.from} and t.created_at < ${period.to}
      ), answers as (
        select p.thread_id, min(p.created_at) as first_answer
        from posts p join q on q.id = p.thread_id
        where ${visibleReply('p')} and p.author_id is distinct from q.author_id
        group by p.thread_id
      ), experts as (
        select m.thread_id, min(p.created_at) filter (where p.created_at >= m.notified_at) as first_expert
        from expert_matches m
        join q on q.id = m.thread_id
        left join posts p on p.thread_id = m.thread_id and p.author_id = m.expert_id and ${visibleReply('p')}
        where m.kind = 'expert'
        group by m.thread_id
      )
      select q.id, q.tags, ${epoch(sql`q.created_at`)} as created, q.solution_post_id is not null as solved,
        ${epoch(sql`a.first_answer`)} as first_answer, e.thread_id is not null as matched, ${epoch(sql`e.first_expert`)} as first_expert_answer
      from q left join answers a on a.thread_id = q.id left join experts e on e.thread_id = q.id`,
  );
  return raw.map((r) => ({
    id: r.id,
    tags: r.tags,
    createdAt: new Date(r.created),
    solved: r.solved,
    firstAnswerAt: toDate(r.first_answer),
    firstExpertAnswerAt: toDate(r.first_expert_answer),
    matched: r.matched,
  }));
}

/** The worklist: open questions of the period nobody else answered within 48 hours, oldest first. */
export async function loadUnanswered(deps: Deps, { communityId, period, now }: Scope): Promise<CommunityHealth['unanswered']> {
  const cutoff = new Date(Math.min(period.to.getTime(), now.getTime() - UNANSWERED_AFTER_HOURS * HOUR_MS));
  if (cutoff <= period.from) return { total: 0, items: [] };
  const raw = await rows<{ id: number; title: string; tags: string[]; created: number; username: string | null; display_name: string | null; matched: boolean; total: number }>(
    deps,
    sql`
      select t.id, t.title, t.tags, ${epoch(sql`t.created_at`)} as created, u.username, u.display_name,
        exists (select 1 from expert_matches m where m.thread_id = t.id) as matched,
        (count(*) over ())::int as total
      from threads t
      left join users u on u.id = t.author_id
      where t.community_id = ${communityId} and t.kind = 'question' and t.deleted_at is null
        and t.status = 'open' and t.solution_post_id is null
        and t.created_at >= ${period.from} and t.created_at < ${cutoff}
        and not exists (select 1 from posts p where p.thread_id = t.id and ${visibleReply('p')} and p.author_id is distinct from t.author_id)
        and not exists (select 1 from posts p where p.thread_id = t.id and p.number = 1 and p.held_at is not null)
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
  const mine = (alias: string) => sql.raw(`p.author_id = ${alias}.user_id and p.deleted_at is null and p.held_at is null`);
  const raw = await rows<{ returned: boolean; answered: boolean }>(
    deps,
    sql`
      with askers as (
        select t.author_id as user_id, min(t.created_at) as first_q
        from threads t
        where t.community_id = ${communityId} and t.kind = 'question' and t.deleted_at is null and t.author_id is not null
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
        and t.community_id = ${communityId} and t.kind = 'question' and t.deleted_at is null and p.author_id is distinct from t.author_id
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
  const entry = (id: number) => byUser.get(id) ?? byUser.set(id, { answers: 0, accepted: 0, matched: 0, matchedAnswered: 0, declined: 0 }).get(id)!;
  for (const a of answers) Object.assign(entry(a.user_id), { answers: a.answers, accepted: a.accepted });
  for (const m of matches) Object.assign(entry(m.user_id), { matched: m.matched, matchedAnswered: m.answered, declined: m.declined });
  const top = [...byUser.entries()].sort((a, b) => b[1].answers - a[1].answers || b[1].matched - a[1].matched || a[0] - b[0]).slice(0, EXPERTS_LIMIT);
  const people =
    top.length === 0
      ? []
      : await deps.db
          .select({ id: users.id, username: users.username, displayName: users.displayName, trustLevel: users.trustLevel })
          .from(users)
          .where(inArray(users.id, top.map(([id]) => id)));
  const person = new Map(people.map((u) => [u.id, u]));
  return {
    ...loadSpread(answers.map((a) => a.answers)),
    items: top.filter(([id]) => person.has(id)).map(([id, figures]) => ({ user: person.get(id)!, ...figures })),
  };
}

/** Tags of the period's questions and how many members who answered them recently are still around to be asked. */
export async function loadCoverage(deps: Deps, scope: Scope, questions: readonly QuestionRow[]): Promise<CommunityHealth['coverage']> {
  const perTag = new Map<string, { questions: number; unanswered: number }>();
  for (const q of questions) {
    for (const tag of q.tags) {
      const t = perTag.get(tag) ?? perTag.set(tag, { questions: 0, unanswered: 0 }).get(tag)!;
      t.questions += 1;
      if (q.firstAnswerAt === null) t.unanswered += 1;
    }
  }
  if (perTag.size === 0) return { gaps: 0, tags: [] };
  const since = new Date(scope.period.to.getTime() - ACTIVE_EXPERT_DAYS * DAY_MS);
  const experts = await rows<{ tag: string; experts: number }>(
    deps,
    sql`
      select es.tag, count(*)::int as experts
      from expert_stats es
      join memberships ms on ms.community_id = es.community_id and ms.user_id = es.user_id
      left join expert_community_preferences ecp on ecp.community_id = es.community_id and ecp.user_id = es.user_id
      where es.community_id = ${scope.communityId} and es.answers > 0 and es.last_answer_at >= ${since}
        and es.tag in (${sql.join([...perTag.keys()].map((tag) => sql`${tag}`), sql`, `)})
        and (ecp.matching is null or ecp.matching <> 'out')
      group by es.tag`,
  );
  const count = new Map(experts.map((e) => [e.tag, e.experts]));
  const tags = [...perTag.entries()]
    .map(([tag, t]) => ({ tag, ...t, activeExperts: count.get(tag) ?? 0 }))
    .sort((a, b) => Number(a.activeExperts > 0) - Number(b.activeExperts > 0) || b.questions - a.questions || a.tag.localeCompare(b.tag));
  return { gaps: tags.filter((t) => t.activeExperts === 0).length, tags: tags.slice(0, 50) };
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
    summary: { levels: counts, up, down, movement: [...movement.values()].sort((a, b) => order(b.to) - order(a.to) || order(a.from) - order(b.from)) },
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
  const [total] = await rows<{ n: number }>(deps, sql`select count(*)::int as n from guides where community_id = ${communityId} and status = 'published' and deleted_at is null`);
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
export async function communityHealth(deps: Deps, community: { id: number; slug: string; name: string }, period: HealthPeriod): Promise<CommunityHealth> {
  const now = deps.clock.now();
  const scope: Scope = { communityId: community.id, period, now };
  const questions = await loadQuestionFacts(deps, scope);
  const [unanswered, retention, experts, coverage, participation, guides] = await Promise.all([
    loadUnanswered(deps, scope),
    loadRetention(deps, scope),
    loadExpertLoad(deps, scope),
    loadCoverage(deps, scope, questions),
    loadParticipationMovement(deps, scope),
    loadGuideFigures(deps, scope),
  ]);
  const weekly = weeklyQuestionSeries(questions, period).map((w) => ({
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
    totals: questionFigures(questions),
    weekly,
    unanswered,
    retention,
    experts,
    coverage,
    participation: participation.summary,
    guides: guides.summary,
  };
}
