import {
  and,
  asc,
  communities,
  eq,
  gt,
  inArray,
  memberships,
  participation,
  participationChanges,
  sql,
  type Db,
  threadListedForAllAs,
  postVisibleToAllAs,
} from '@praxis/db';
import {
  defaultParticipationThresholds,
  participationChange,
  participationLevelFor,
  type ParticipationFigures,
  type ParticipationLevel,
  type ParticipationThresholds,
} from '@praxis/domain';

const DAY_MS = 86_400_000;
/** Members per batch: one figures query and one transaction each. */
const BATCH = 500;

export interface ParticipationRun {
  communities: number;
  members: number;
  /** Rows whose level changed (or that got their first level): one participation_changes row each. */
  changed: number;
}

type FigureRow = {
  user_id: number;
  role: ParticipationFigures['role'];
  joined: number;
  posts: number;
  questions: number;
  answers: number;
  accepted: number;
  days_active: number;
  guides_credited: number;
  lifetime_posts: number;
  lifetime_answers: number;
  lifetime_accepted: number;
};

/**
 * The figures behind participation levels for members [firstId, lastId] of one community: their
 * visible posts there in the window and ever (answers = replies to someone else's question), distinct
 * active days, and published guides crediting them.
 */
async function loadFigures(db: Db, communityId: number, firstId: number, lastId: number, since: Date, now: Date): Promise<FigureRow[]> {
  const recent = sql`p.created_at >= ${since}`;
  const answer = sql`p.number > 1 and t.kind = 'question' and t.author_id is distinct from p.author_id`;
  const result = (await db.execute(sql`
    select m.user_id, m.role, (extract(epoch from m.created_at) * 1000)::float8 as joined,
      (count(p.id) filter (where ${recent}))::int as posts,
      (count(p.id) filter (where ${recent} and p.number = 1 and t.kind = 'question'))::int as questions,
      (count(p.id) filter (where ${recent} and ${answer}))::int as answers,
      (count(p.id) filter (where ${recent} and ${answer} and t.solution_post_id = p.id))::int as accepted,
      (count(distinct (p.created_at at time zone 'UTC')::date) filter (where ${recent}))::int as days_active,
      count(p.id)::int as lifetime_posts,
      (count(p.id) filter (where ${answer}))::int as lifetime_answers,
      (count(p.id) filter (where ${answer} and t.solution_post_id = p.id))::int as lifetime_accepted,
      (select count(distinct gs.guide_id)::int from guide_sources gs join guides g on g.id = gs.guide_id
        where gs.author_id = m.user_id and g.community_id = ${communityId} and g.status = 'published' and g.deleted_at is null) as guides_credited
    from memberships m
    left join (posts p join threads t on t.id = p.thread_id and t.community_id = ${communityId} and ${threadListedForAllAs('t')})
      on p.author_id = m.user_id and ${postVisibleToAllAs('p')} and p.created_at <= ${now}
    where m.community_id = ${communityId} and m.user_id between ${firstId} and ${lastId}
    group by m.user_id, m.role, m.created_at`)) as unknown as { rows: FigureRow[] };
  return result.rows;
}

const toFigures = (r: FigureRow): ParticipationFigures => ({
  role: r.role,
  posts: r.posts,
  questions: r.questions,
  answers: r.answers,
  accepted: r.accepted,
  daysActive: r.days_active,
  guidesCredited: r.guides_credited,
  lifetimePosts: r.lifetime_posts,
  lifetimeAnswers: r.lifetime_answers,
  lifetimeAccepted: r.lifetime_accepted,
});

/** Recomputes one community's levels in batches of members; a level change writes one participation_changes row. */
export async function recomputeCommunityParticipation(
  db: Db,
  communityId: number,
  now: Date,
  { thresholds = defaultParticipationThresholds, batchSize = BATCH }: { thresholds?: ParticipationThresholds; batchSize?: number } = {},
): Promise<{ members: number; changed: number }> {
  const since = new Date(now.getTime() - thresholds.windowDays * DAY_MS);
  let after = 0;
  let members = 0;
  let changed = 0;
  for (;;) {
    const batch = await db
      .select({ userId: memberships.userId })
      .from(memberships)
      .where(and(eq(memberships.communityId, communityId), gt(memberships.userId, after)))
      .orderBy(asc(memberships.userId))
      .limit(batchSize);
    if (batch.length === 0) break;
    const firstId = batch[0]!.userId;
    const lastId = batch.at(-1)!.userId;
    after = lastId;
    const figures = await loadFigures(db, communityId, firstId, lastId, since, now);
    changed += await db.transaction(async (tx) => {
      const existing = await tx
        .select({ userId: participation.userId, level: participation.level })
        .from(participation)
        .where(
          and(
            eq(participation.communityId, communityId),
            inArray(
              participation.userId,
              figures.map((f) => f.user_id),
            ),
          ),
        )
        .for('update');
      const previous = new Map<number, ParticipationLevel>(existing.map((e) => [e.userId, e.level]));
      const rows = figures.map((r) => {
        const f = toFigures(r);
        const level = participationLevelFor(f, thresholds);
        const { role: _role, ...stored } = f;
        const before = previous.get(r.user_id) ?? null;
        return { r, level, stored, before, change: participationChange(before, level) };
      });
      if (rows.length === 0) return 0;
      await tx
        .insert(participation)
        .values(
          rows.map(({ r, level, stored, before }) => ({
            userId: r.user_id,
            communityId,
            level,
            figures: stored,
            // A first level counts from when they joined; a new one from now.
            since: before === null ? new Date(r.joined) : now,
            computedAt: now,
          })),
        )
        .onConflictDoUpdate({
          target: [participation.communityId, participation.userId],
          set: {
            figures: sql`excluded.figures`,
            computedAt: sql`excluded.computed_at`,
            since: sql`case when ${participation.level} = excluded.level then ${participation.since} else excluded.since end`,
            level: sql`excluded.level`,
          },
        });
      const changes = rows.filter((x) => x.change !== null);
      if (changes.length > 0) {
        await tx.insert(participationChanges).values(
          changes.map(({ r, change }) => ({
            userId: r.user_id,
            communityId,
            fromLevel: change!.from,
            toLevel: change!.to,
            changedAt: now,
          })),
        );
      }
      return changes.length;
    });
    members += figures.length;
    if (batch.length < batchSize) break;
  }
  // Members who left keep no level there (their history of changes stays).
  await db.execute(sql`delete from ${participation} p where p.community_id = ${communityId}
    and not exists (select 1 from ${memberships} m where m.community_id = p.community_id and m.user_id = p.user_id)`);
  return { members, changed };
}

/** Every community, one after the other. Safe to run again at any time: unchanged levels write no movement. */
export async function recomputeParticipation(
  deps: { db: Db; clock: { now(): Date } },
  options: { thresholds?: ParticipationThresholds; batchSize?: number } = {},
): Promise<ParticipationRun> {
  const now = deps.clock.now();
  const all = await deps.db.select({ id: communities.id }).from(communities).orderBy(asc(communities.id));
  const run: ParticipationRun = { communities: all.length, members: 0, changed: 0 };
  for (const c of all) {
    const result = await recomputeCommunityParticipation(deps.db, c.id, now, options);
    run.members += result.members;
    run.changed += result.changed;
  }
  return run;
}
