import {
  and,
  desc,
  eq,
  expertCommunityPreferences,
  expertMatches,
  expertSettings,
  expertStats,
  inArray,
  loadViewers,
  lte,
  ne,
  posts,
  sql,
  threadRef,
  threads,
  type Db,
  replyVisibleToAll,
  threadListedForAll,
  loadMatchingModel,
} from '@praxis/db';
import {
  can,
  defaultShareWindow,
  markdownToText,
  type AnswerCounts,
  type CommunityExpertiseTotals,
  type ExpertCandidate,
  type ExpertQuestion,
  parseRankingModel,
  type RankingModel,
} from '@praxis/domain';
import type { SearchIndex } from '@praxis/search';
import { gatherEvidence, type EvidencePort } from '../../experts/evidence.js';
import { cachedHistoryIndex, withHistoryFeatures } from '../../experts/training.js';
import type { ThreadContext } from '../notifications/write-notifications.js';

const DAY_MS = 86_400_000;
/** The load-spreading window: matches in the last week count against an expert. */
const LOAD_WINDOW_MS = 7 * DAY_MS;

export interface MatchingInputs {
  question: ExpertQuestion;
  candidates: ExpertCandidate[];
  totals: CommunityExpertiseTotals;
  /** The community's latest model in use; null = the weighted score. */
  model: RankingModel | null;
}

/** Monday 00:00 UTC of the week holding `now`: where weekly caps start counting. */
export const startOfWeek = (now: Date): Date => {
  const day = (now.getUTCDay() + 6) % 7;
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - day));
};

/** The evidence port on the product's own adapters: the search index and the posts table. */
function evidencePort(db: Db, search: SearchIndex, context: ThreadContext): EvidencePort {
  return {
    async similarThreads(query) {
      const hits = await search.similar({
        ...query,
        readableCommunityIds: [context.community.id],
        communityId: context.community.id,
        excludeIds: [context.thread.id],
      });
      return hits.map((hit) => ({ threadId: hit.id, score: hit.score }));
    },
    async answersOf(threadIds) {
      if (threadIds.length === 0) return [];
      const rows = await db
        .select({
          threadId: posts.threadId,
          authorId: posts.authorId,
          id: posts.id,
          score: posts.score,
          createdAt: posts.createdAt,
          threadTitle: threads.title,
          solutionPostId: threads.solutionPostId,
        })
        .from(posts)
        .innerJoin(threads, eq(threads.id, posts.threadId))
        .where(and(inArray(posts.threadId, [...threadIds]), replyVisibleToAll, threadListedForAll));
      return rows.map((row) => ({
        threadId: row.threadId,
        threadTitle: row.threadTitle,
        authorId: row.authorId,
        accepted: row.solutionPostId === row.id,
        score: row.score,
        answeredAt: row.createdAt.getTime(),
      }));
    },
  };
}

/**
 * Everything `rankExperts` needs for one question: the candidate pool (members who answered in the
 * community, authors of similar answers, members who opted in) with their evidence, expertise,
 * match history, preferences and read permission, as of `now`.
 */
export async function loadMatchingInputs(
  deps: { db: Db; search: SearchIndex },
  context: ThreadContext,
  now: Date,
): Promise<MatchingInputs> {
  const { db } = deps;
  const { thread, community } = context;
  const [opening] = await db
    .select({ body: posts.body })
    .from(posts)
    .where(and(eq(posts.threadId, thread.id), eq(posts.number, 1)));
  const questionText = { title: thread.title, body: markdownToText(opening?.body ?? '') };
  const evidence = await gatherEvidence(questionText, evidencePort(db, deps.search, context));
  const storedRow = await loadMatchingModel(db, community.id, 'in_use');
  const stored = storedRow === null ? null : parseRankingModel(storedRow.model);

  const statRows = await db
    .select()
    .from(expertStats)
    .where(and(eq(expertStats.communityId, community.id), inArray(expertStats.tag, ['', ...thread.tags])));
  const prefRows = await db.select().from(expertCommunityPreferences).where(eq(expertCommunityPreferences.communityId, community.id));

  const pool = new Set<number>([...evidence.byAuthor.keys()]);
  for (const row of statRows) if (row.tag === '' && row.answers > 0) pool.add(row.userId);
  for (const row of prefRows) if (row.matching === 'in') pool.add(row.userId);
  const ids = [...pool];

  const communityCounts = new Map<number, AnswerCounts>();
  const lastAnswerAt = new Map<number, number | null>();
  const tagCounts = new Map<number, Map<string, AnswerCounts>>();
  const totals = { answers: 0, tagAnswers: new Map<string, number>() };
  for (const row of statRows) {
    const counts = { answers: row.answers, accepted: row.accepted };
    if (row.tag === '') {
      communityCounts.set(row.userId, counts);
      lastAnswerAt.set(row.userId, row.lastAnswerAt?.getTime() ?? null);
      totals.answers += row.answers;
    } else {
      const map = tagCounts.get(row.userId) ?? new Map<string, AnswerCounts>();
      map.set(row.tag, counts);
      tagCounts.set(row.userId, map);
      totals.tagAnswers.set(row.tag, (totals.tagAnswers.get(row.tag) ?? 0) + row.answers);
    }
  }

  // The share window: the community's last matched questions (this one left out), first notification first.
  const shareWindow = ids.length
    ? await db
        .select({ threadId: expertMatches.threadId })
        .from(expertMatches)
        .innerJoin(threads, eq(threads.id, expertMatches.threadId))
        .where(
          and(
            eq(threads.communityId, community.id),
            eq(expertMatches.kind, 'expert'),
            ne(expertMatches.threadId, thread.id),
            lte(expertMatches.notifiedAt, now),
          ),
        )
        .groupBy(expertMatches.threadId)
        .orderBy(desc(sql`min(${expertMatches.notifiedAt})`), desc(expertMatches.threadId))
        .limit(defaultShareWindow)
    : [];
  const inShareWindow =
    shareWindow.length > 0
      ? inArray(
          expertMatches.threadId,
          shareWindow.map((row) => row.threadId),
        )
      : sql`false`;

  const [viewers, settingRows, history, thisQuestion, declines] = ids.length
    ? await Promise.all([
        loadViewers(db, ids, now),
        db.select().from(expertSettings).where(inArray(expertSettings.userId, ids)),
        db
          .select({
            expertId: expertMatches.expertId,
            matched: sql<number>`count(*)::int`,
            answered: sql<number>`count(*) filter (where ${expertMatches.state} in ('answered', 'accepted'))::int`,
            accepted: sql<number>`count(*) filter (where ${expertMatches.state} = 'accepted')::int`,
            medianResponseMs: sql<
              number | null
            >`(percentile_cont(0.5) within group (order by extract(epoch from ${expertMatches.respondedAt} - ${expertMatches.notifiedAt})) filter (where ${expertMatches.state} in ('answered', 'accepted')) * 1000)::float8`,
            recent: sql<number>`count(*) filter (where ${expertMatches.notifiedAt} > ${new Date(now.getTime() - LOAD_WINDOW_MS)})::int`,
            thisWeek: sql<number>`count(*) filter (where ${expertMatches.notifiedAt} >= ${startOfWeek(now)})::int`,
            shared: sql<number>`count(*) filter (where ${inShareWindow})::int`,
          })
          .from(expertMatches)
          .where(and(inArray(expertMatches.expertId, ids), eq(expertMatches.kind, 'expert')))
          .groupBy(expertMatches.expertId),
        db
          .select({ expertId: expertMatches.expertId, state: expertMatches.state })
          .from(expertMatches)
          .where(eq(expertMatches.threadId, thread.id)),
        db
          .select({ expertId: expertMatches.expertId, threadId: expertMatches.threadId })
          .from(expertMatches)
          .where(and(inArray(expertMatches.expertId, ids), eq(expertMatches.declineReason, 'not_my_area'))),
      ])
    : [new Map(), [], [], [], []];

  const settings = new Map(settingRows.map((row) => [row.userId, row]));
  const prefs = new Map(prefRows.map((row) => [row.userId, row]));
  const historyOf = new Map(history.map((row) => [row.expertId, row]));
  const onThisQuestion = new Map(thisQuestion.map((row) => [row.expertId, row.state]));
  const notMyArea = new Map<number, number>();
  for (const row of declines)
    notMyArea.set(row.expertId, (notMyArea.get(row.expertId) ?? 0) + (evidence.similarity.get(row.threadId) ?? 0));

  const ref = threadRef(thread, community);
  const candidates: ExpertCandidate[] = ids.map((userId) => {
    const viewer = viewers.get(userId);
    const setting = settings.get(userId);
    const pref = prefs.get(userId);
    const past = historyOf.get(userId);
    const counts = communityCounts.get(userId) ?? { answers: 0, accepted: 0 };
    const state = onThisQuestion.get(userId);
    return {
      userId,
      canRead: viewer !== undefined && can(viewer, 'thread.read', ref),
      suspended: viewer?.suspended ?? true,
      declinedThisQuestion: state === 'declined',
      alreadyMatched: state !== undefined,
      evidence: evidence.byAuthor.get(userId) ?? [],
      tagCounts: tagCounts.get(userId) ?? new Map(),
      community: counts,
      lastAnswerAt: lastAnswerAt.get(userId) ?? null,
      history: {
        matched: past?.matched ?? 0,
        answered: past?.answered ?? 0,
        accepted: past?.accepted ?? 0,
        medianResponseMs: past?.medianResponseMs ?? null,
        recentMatches: past?.recent ?? 0,
        matchesThisWeek: past?.thisWeek ?? 0,
        // Divided by the window size even while the community has fewer matched questions (see MatchHistory).
        recentShare: (past?.shared ?? 0) / defaultShareWindow,
      },
      availability: {
        optedIn: pref ? pref.matching === 'in' : counts.answers > 0,
        weeklyCap: setting ? setting.weeklyCap : 10,
        quietHours:
          setting && setting.quietStart !== null && setting.quietEnd !== null ? { start: setting.quietStart, end: setting.quietEnd } : null,
        timeZone: setting?.timeZone ?? 'UTC',
        mutedTags: pref?.mutedTags ?? [],
        wantedTags: pref?.wantedTags ?? [],
      },
      notMyAreaSimilarity: notMyArea.get(userId) ?? 0,
    };
  });

  // The learned model also reads when and how each candidate answers, their profile and the co-answer network.
  const withFeatures =
    stored === null
      ? candidates
      : withHistoryFeatures(
          candidates,
          (await cachedHistoryIndex(db, community.id, now)).index,
          questionText,
          evidence.similarity,
          now.getTime(),
        );
  return {
    question: {
      threadId: thread.id,
      communityId: community.id,
      authorId: thread.authorId,
      title: thread.title,
      tags: thread.tags,
      createdAt: thread.createdAt.getTime(),
    },
    candidates: withFeatures,
    totals,
    model: stored,
  };
}
