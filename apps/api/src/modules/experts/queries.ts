import {
  AppError,
  type CommunityMatchingSettings,
  type ExpertiseSettings,
  type MatchedQuestionList,
  type ThreadMatching,
} from '@praxis/contracts';
import {
  threadReadableBy,
  and,
  asc,
  communities,
  desc,
  eq,
  expertCommunityPreferences,
  expertMatches,
  expertSettings,
  expertStats,
  inArray,
  loadMatchingSettings,
  memberships,
  sql,
  threads,
  users,
  loadMatchingModel,
} from '@praxis/db';
import { can, type ThreadRef, type Viewer } from '@praxis/domain';
import type { Deps } from '../../context.js';
import { decodeCursor, encodeCursor } from '../threads/cursor.js';

export type MatchRow = typeof expertMatches.$inferSelect;

/** Matches an expert can still act on: asked, maybe opened, not yet declined or answered. */
export const openMatchStates = ['notified', 'seen'] as const;
export const isOpenMatch = (state: MatchRow['state']): boolean => (openMatchStates as readonly string[]).includes(state);

/** Without an expert_settings row a member has the column defaults. */
const defaultExpertSettings = { weeklyCap: 10, quietStart: null, quietEnd: null, timeZone: 'UTC' } as const;

/** The viewer's matching preferences, with one entry per community they are a member of. */
export async function expertiseSettings(deps: Deps, userId: number): Promise<ExpertiseSettings> {
  const [row] = await deps.db.select().from(expertSettings).where(eq(expertSettings.userId, userId));
  const settings = row ?? defaultExpertSettings;
  const rows = await deps.db
    .select({
      slug: communities.slug,
      name: communities.name,
      matching: expertCommunityPreferences.matching,
      wantedTags: expertCommunityPreferences.wantedTags,
      mutedTags: expertCommunityPreferences.mutedTags,
      answers: expertStats.answers,
    })
    .from(memberships)
    .innerJoin(communities, eq(communities.id, memberships.communityId))
    .leftJoin(
      expertCommunityPreferences,
      and(eq(expertCommunityPreferences.userId, userId), eq(expertCommunityPreferences.communityId, communities.id)),
    )
    .leftJoin(expertStats, and(eq(expertStats.userId, userId), eq(expertStats.communityId, communities.id), eq(expertStats.tag, '')))
    .where(eq(memberships.userId, userId))
    .orderBy(asc(communities.name));
  return {
    weeklyCap: settings.weeklyCap,
    quietHours: settings.quietStart !== null && settings.quietEnd !== null ? { start: settings.quietStart, end: settings.quietEnd } : null,
    timeZone: settings.timeZone,
    communities: rows.map((r) => ({
      slug: r.slug,
      name: r.name,
      matching: r.matching ?? 'default',
      effective: r.matching === 'in' || (r.matching === null && (r.answers ?? 0) > 0),
      wantedTags: r.wantedTags ?? [],
      mutedTags: r.mutedTags ?? [],
    })),
  };
}

/** "Questions for you": the viewer's open matches on open questions they can still read, newest first. */
export async function listMatchedQuestions(
  deps: Deps,
  viewer: Viewer,
  query: { cursor?: string | undefined; limit?: number | undefined },
): Promise<MatchedQuestionList> {
  const limit = query.limit ?? 20;
  const cursor = decodeCursor(query.cursor, ['string', 'number']);
  const rows = await deps.db
    .select({
      match: {
        id: expertMatches.id,
        round: expertMatches.round,
        reasons: expertMatches.reasons,
        state: expertMatches.state,
        notifiedAt: expertMatches.notifiedAt,
      },
      thread: { id: threads.id, title: threads.title, tags: threads.tags, replyCount: threads.replyCount, createdAt: threads.createdAt },
      community: { slug: communities.slug, name: communities.name },
    })
    .from(expertMatches)
    .innerJoin(threads, eq(threads.id, expertMatches.threadId))
    .innerJoin(communities, eq(communities.id, threads.communityId))
    .where(
      and(
        eq(expertMatches.expertId, viewer.id),
        inArray(expertMatches.state, [...openMatchStates]),
        eq(threads.status, 'open'),
        threadReadableBy(viewer),
        cursor ? sql`(${expertMatches.notifiedAt}, ${expertMatches.id}) < (${cursor[0]}::timestamptz, ${cursor[1]})` : undefined,
      ),
    )
    .orderBy(desc(expertMatches.notifiedAt), desc(expertMatches.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map((r) => ({
      matchId: r.match.id,
      thread: { ...r.thread, community: r.community, createdAt: r.thread.createdAt.toISOString() },
      round: r.match.round,
      reasons: r.match.reasons,
      state: r.match.state,
      notifiedAt: r.match.notifiedAt.toISOString(),
    })),
    nextCursor: rows.length > limit && last ? encodeCursor([last.match.notifiedAt.toISOString(), last.match.id]) : null,
  };
}

/** The viewer's own match for a thread; NOT_FOUND when they were not asked. */
export async function loadViewerMatch(deps: Deps, viewer: Viewer, threadId: number): Promise<MatchRow> {
  const [match] = await deps.db
    .select()
    .from(expertMatches)
    .where(and(eq(expertMatches.threadId, threadId), eq(expertMatches.expertId, viewer.id)));
  if (!match) throw new AppError('NOT_FOUND', 'You were not asked to answer this question, so there is nothing to decline');
  return match;
}

/** A community's matching settings: its saved row, or the defaults. */
export const matchingSettingsFor = (deps: Deps, communityId: number) => loadMatchingSettings(deps.db, communityId);

export async function presentMatchingSettings(
  deps: Deps,
  viewer: Viewer | null,
  community: { id: number; slug: string; name: string; visibility: 'public' | 'private' },
): Promise<CommunityMatchingSettings> {
  const { settings, isDefault } = await matchingSettingsFor(deps, community.id);
  const edit = can(viewer, 'community.matching.edit', community);
  return {
    community: { slug: community.slug, name: community.name },
    settings,
    isDefault,
    abilities: { edit },
    ranking: edit ? await matchingRanking(deps, community.id) : null,
  };
}

const LOAD_WEEKS = 8;
const WEEK_MS = 7 * 86_400_000;

/** Monday 00:00 UTC of the week holding `t`. */
const weekStart = (t: number): number => {
  const d = new Date(t);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
};

/** The latest ranking model's figures and, per week of the last eight, how the matches spread over the members. */
async function matchingRanking(deps: Deps, communityId: number): Promise<NonNullable<CommunityMatchingSettings['ranking']>> {
  const model = await loadMatchingModel(deps.db, communityId, 'latest');
  const first = weekStart(deps.clock.now().getTime()) - (LOAD_WEEKS - 1) * WEEK_MS;
  const result = (await deps.db.execute(sql`
    with m as (
      select (extract(epoch from date_trunc('week', m.notified_at at time zone 'UTC') at time zone 'UTC') * 1000)::float8 as week, m.thread_id, m.expert_id
      from ${expertMatches} m join ${threads} t on t.id = m.thread_id
      where t.community_id = ${communityId} and m.kind = 'expert' and m.notified_at >= ${new Date(first)}
    ), per_expert as (select week, expert_id, count(distinct thread_id)::int as n from m group by week, expert_id)
    select q.week, q.questions, q.experts, (select max(n) from per_expert p where p.week = q.week)::int as top
    from (select week, count(distinct thread_id)::int as questions, count(distinct expert_id)::int as experts from m group by week) q`)) as unknown as {
    rows: { week: number; questions: number; experts: number; top: number }[];
  };
  const byWeek = new Map(result.rows.map((r) => [Number(r.week), r]));
  const load = Array.from({ length: LOAD_WEEKS }, (_, i) => {
    const week = first + i * WEEK_MS;
    const row = byWeek.get(week);
    return {
      weekStart: new Date(week).toISOString(),
      questions: row?.questions ?? 0,
      experts: row?.experts ?? 0,
      maxShare: row && row.questions > 0 ? row.top / row.questions : 0,
    };
  });
  return {
    model:
      model === null
        ? null
        : {
            version: model.version,
            trainedAt: model.trainedAt.toISOString(),
            setting: model.kind,
            inUse: model.inUse,
            trainingQuestions: model.trainingQuestions,
            validationQuestions: model.validationQuestions,
            validationMrr: model.validationMrr,
            validationS3: model.validationS3,
            weightedMrr: model.weightedMrr,
            mostActiveMrr: model.mostActiveMrr,
            mostActiveS3: model.mostActiveS3,
          },
    load,
  };
}

/** The matching panel of a thread: what the viewer may know about who was asked. */
/** A thread's matches with their experts, in the order the panel shows them. */
export function threadMatchRows(deps: Deps, threadId: number) {
  return deps.db
    .select({
      match: expertMatches,
      expert: { id: users.id, username: users.username, displayName: users.displayName, trustLevel: users.trustLevel },
    })
    .from(expertMatches)
    .innerJoin(users, eq(users.id, expertMatches.expertId))
    .where(eq(expertMatches.threadId, threadId))
    .orderBy(asc(expertMatches.round), asc(expertMatches.rank), asc(expertMatches.id));
}
export type ThreadMatchRow = Awaited<ReturnType<typeof threadMatchRows>>[number];

/** The matching panel of a thread for one viewer; `loaded` is the thread's match rows when already at hand (a thread snapshot). */
export async function threadMatching(
  deps: Deps,
  viewer: Viewer | null,
  thread: { id: number; tags: string[] },
  ref: ThreadRef,
  loaded?: ThreadMatchRow[],
): Promise<ThreadMatching> {
  let viewerMatch: ThreadMatching['viewerMatch'] = null;
  if (viewer) {
    const own = loaded
      ? loaded.find((r) => r.match.expertId === viewer.id)?.match
      : (
          await deps.db
            .select()
            .from(expertMatches)
            .where(and(eq(expertMatches.threadId, thread.id), eq(expertMatches.expertId, viewer.id)))
        )[0];
    if (own)
      viewerMatch = {
        matchId: own.id,
        kind: own.kind,
        round: own.round,
        reasons: own.reasons,
        state: own.state,
        notifiedAt: own.notifiedAt.toISOString(),
        abilities: { decline: isOpenMatch(own.state) && can(viewer, 'match.decline', { expertId: own.expertId, thread: ref }) },
      };
  }
  const seesAsked = can(viewer, 'thread.match.view-asked', ref);
  const seesAll = can(viewer, 'thread.match.view-all', ref);
  if (!seesAsked && !seesAll) return { viewerMatch, asked: null, matches: null };

  const rows = loaded ?? (await threadMatchRows(deps, thread.id));
  const experts = rows.filter((r) => r.match.kind === 'expert');
  let asked: ThreadMatching['asked'] = null;
  if (seesAsked && experts.length > 0) {
    const { settings } = await matchingSettingsFor(deps, ref.community.id);
    asked = {
      count: experts.length,
      tags: thread.tags,
      names: settings.showExpertNames ? experts.map((r) => ({ username: r.expert.username, displayName: r.expert.displayName })) : null,
    };
  }
  const matches = seesAll
    ? rows.map(({ match, expert }) => ({
        id: match.id,
        expert,
        kind: match.kind,
        round: match.round,
        rank: match.rank,
        score: match.score,
        reasons: match.reasons,
        state: match.state,
        declineReason: match.declineReason,
        notifiedAt: match.notifiedAt.toISOString(),
        respondedAt: match.respondedAt?.toISOString() ?? null,
      }))
    : null;
  return { viewerMatch, asked, matches };
}
