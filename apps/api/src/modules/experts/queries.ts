import { AppError, type CommunityMatchingSettings, type ExpertiseSettings, type MatchedQuestionList, type ThreadMatching } from '@praxis/contracts';
import { threadReadableBy, and, asc, communities, desc, eq, expertCommunityPreferences, expertMatches, expertSettings, expertStats, inArray, loadMatchingSettings, memberships, sql, threads, users } from '@praxis/db';
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
    .leftJoin(expertCommunityPreferences, and(eq(expertCommunityPreferences.userId, userId), eq(expertCommunityPreferences.communityId, communities.id)))
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
export async function listMatchedQuestions(deps: Deps, viewer: Viewer, query: { cursor?: string | undefined; limit?: number | undefined }): Promise<MatchedQuestionList> {
  const limit = query.limit ?? 20;
  const cursor = decodeCursor(query.cursor, ['string', 'number']);
  const rows = await deps.db
    .select({
      match: { id: expertMatches.id, round: expertMatches.round, reasons: expertMatches.reasons, state: expertMatches.state, notifiedAt: expertMatches.notifiedAt },
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
  return { community: { slug: community.slug, name: community.name }, settings, isDefault, abilities: { edit: can(viewer, 'community.matching.edit', community) } };
}

/** The matching panel of a thread: what the viewer may know about who was asked. */
export async function threadMatching(deps: Deps, viewer: Viewer | null, thread: { id: number; tags: string[] }, ref: ThreadRef): Promise<ThreadMatching> {
  let viewerMatch: ThreadMatching['viewerMatch'] = null;
  if (viewer) {
    const [own] = await deps.db
      .select()
      .from(expertMatches)
      .where(and(eq(expertMatches.threadId, thread.id), eq(expertMatches.expertId, viewer.id)));
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

  const rows = await deps.db
    .select({ match: expertMatches, expert: { id: users.id, username: users.username, displayName: users.displayName, trustLevel: users.trustLevel } })
    .from(expertMatches)
    .innerJoin(users, eq(users.id, expertMatches.expertId))
    .where(eq(expertMatches.threadId, thread.id))
    .orderBy(asc(expertMatches.round), asc(expertMatches.rank), asc(expertMatches.id));
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
