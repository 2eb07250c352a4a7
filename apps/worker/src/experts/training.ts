/**
 * Per-community learning to rank in the worker: the community's answering history (loaded once), the
 * ExpertHistoryIndex the matcher reads activity, profile and co-answer features from, and the scheduled
 * retraining that stores a versioned model with its validation figures (docs/decisions/2026-12-04-learned-ranking.md).
 *
 * Training mirrors the offline benchmark (apps/worker/bench/learned.ts): each past question's candidates
 * are the members who had answered before it, with features from the history before it only and topical
 * evidence from the search index restricted to answers posted before it; the answerers are the targets.
 */
import { and, asc, eq, gt, inArray, matchingModels, postVisibleToAll, posts, sql, threadListedForAll, threads, type Db } from '@praxis/db';
import {
  defaultRankingWeights,
  ExpertHistoryIndex,
  expertFeatureNames,
  expertFeatures,
  FEATURE_COUNT,
  markdownToText,
  minTrainingQuestions,
  rankingModelSettings,
  scoreFeatures,
  trainRankingModel,
  type EvidenceAnswer,
  type ExpertCandidate,
  type RankingModelSetting,
  type TrainingList,
} from '@praxis/domain';
import type { SearchIndex } from '@praxis/search';
import { gatherEvidence, type EvidencePort } from './evidence.js';

export interface HistoryQuestion {
  id: number;
  title: string;
  body: string;
  tags: string[];
  authorId: number | null;
  createdAt: number;
  solutionPostId: number | null;
}

export interface HistoryAnswerRow {
  id: number;
  threadId: number;
  authorId: number;
  createdAt: number;
  score: number;
  body: string;
}

export interface CommunityHistory {
  questions: HistoryQuestion[];
  /** Ascending by time. */
  answers: HistoryAnswerRow[];
}

/** At most this many of the latest questions are read for training and for the matcher's history. */
export const HISTORY_QUESTIONS = 2000;

/** The community's latest questions and their visible answers, oldest first. */
export async function loadCommunityHistory(
  db: Db,
  communityId: number,
  before: Date,
  limit = HISTORY_QUESTIONS,
): Promise<CommunityHistory> {
  const latest = await db
    .select({
      id: threads.id,
      title: threads.title,
      tags: threads.tags,
      authorId: threads.authorId,
      createdAt: threads.createdAt,
      solutionPostId: threads.solutionPostId,
    })
    .from(threads)
    .where(
      and(eq(threads.communityId, communityId), eq(threads.kind, 'question'), threadListedForAll, sql`${threads.createdAt} < ${before}`),
    )
    .orderBy(sql`${threads.createdAt} desc`, sql`${threads.id} desc`)
    .limit(limit);
  if (latest.length === 0) return { questions: [], answers: [] };
  const ids = latest.map((q) => q.id);
  const rows = await db
    .select({
      id: posts.id,
      threadId: posts.threadId,
      number: posts.number,
      authorId: posts.authorId,
      createdAt: posts.createdAt,
      score: posts.score,
      body: posts.body,
    })
    .from(posts)
    .where(and(inArray(posts.threadId, ids), postVisibleToAll, sql`${posts.createdAt} < ${before}`))
    .orderBy(asc(posts.createdAt), asc(posts.id));
  const opening = new Map<number, string>();
  const answers: HistoryAnswerRow[] = [];
  for (const row of rows) {
    if (row.number === 1) opening.set(row.threadId, markdownToText(row.body));
    else if (row.authorId !== null)
      answers.push({
        id: row.id,
        threadId: row.threadId,
        authorId: row.authorId,
        createdAt: row.createdAt.getTime(),
        score: row.score,
        body: markdownToText(row.body),
      });
  }
  const questions = latest
    .map((q) => ({
      id: q.id,
      title: q.title,
      body: opening.get(q.id) ?? '',
      tags: q.tags,
      authorId: q.authorId,
      createdAt: q.createdAt.getTime(),
      solutionPostId: q.solutionPostId,
    }))
    .reverse();
  return { questions, answers };
}

/** Replays the history into an ExpertHistoryIndex, answers before `before` only. */
export function historyIndexOf(history: CommunityHistory, before = Infinity): ExpertHistoryIndex {
  const byId = new Map(history.questions.map((q) => [q.id, q]));
  const index = new ExpertHistoryIndex();
  for (const a of history.answers) {
    if (a.createdAt >= before) break;
    const q = byId.get(a.threadId);
    if (q === undefined) continue;
    index.add({
      authorId: a.authorId,
      threadId: a.threadId,
      questionAt: q.createdAt,
      answeredAt: a.createdAt,
      accepted: q.solutionPostId === a.id,
      score: a.score,
      tags: q.tags,
      text: `${q.title}\n${a.body}`,
    });
  }
  return index;
}

/**
 * What changes whenever the history the matcher reads changes: a new post (the newest id), a post hidden,
 * deleted or edited (the visible count, the newest edit), a vote (the score sum), and a thread edited or
 * an answer accepted (the newest thread update, the accepted answers). Two aggregates over the community's
 * question threads, far cheaper than loading and replaying up to HISTORY_QUESTIONS questions.
 */
export async function historyKeyOf(db: Db, communityId: number): Promise<string> {
  const questionThreads = and(eq(threads.communityId, communityId), eq(threads.kind, 'question'), threadListedForAll);
  const [p] = await db
    .select({
      newest: sql<string | null>`max(${posts.id})::text`,
      count: sql<string>`count(*)::text`,
      score: sql<string | null>`sum(${posts.score})::text`,
      edited: sql<string | null>`max(${posts.editedAt})::text`,
    })
    .from(posts)
    .innerJoin(threads, eq(posts.threadId, threads.id))
    .where(and(questionThreads, postVisibleToAll));
  const [t] = await db
    .select({
      count: sql<string>`count(*)::text`,
      updated: sql<string | null>`max(${threads.updatedAt})::text`,
      accepted: sql<string | null>`sum(${threads.solutionPostId})::text`,
    })
    .from(threads)
    .where(questionThreads);
  return JSON.stringify([p, t]);
}

/** Communities whose history index is kept in memory (the least recently used is dropped first). */
const HISTORY_CACHE_SIZE = 32;
const historyCache = new Map<number, { key: string; index: ExpertHistoryIndex }>();

/**
 * The community's ExpertHistoryIndex as `historyIndexOf(loadCommunityHistory(db, communityId, now))` gives it,
 * reused while historyKeyOf is unchanged (the index holds no clock: features are read at the caller's `now`).
 * In-process only: each worker process keeps its own.
 */
export async function cachedHistoryIndex(db: Db, communityId: number, now: Date): Promise<{ index: ExpertHistoryIndex; reused: boolean }> {
  const key = await historyKeyOf(db, communityId);
  const hit = historyCache.get(communityId);
  historyCache.delete(communityId);
  if (hit !== undefined && hit.key === key) {
    historyCache.set(communityId, hit);
    return { index: hit.index, reused: true };
  }
  const index = historyIndexOf(await loadCommunityHistory(db, communityId, now));
  historyCache.set(communityId, { key, index });
  if (historyCache.size > HISTORY_CACHE_SIZE) historyCache.delete(historyCache.keys().next().value as number);
  return { index, reused: false };
}

/** The learned-ranker fields of the candidates (activity, profile similarity, co-answer), from the history before `now`. */
export function withHistoryFeatures<C extends ExpertCandidate>(
  candidates: C[],
  index: ExpertHistoryIndex,
  question: { title: string; body: string },
  similarity: ReadonlyMap<number, number>,
  now: number,
): C[] {
  const profile = index.profileScores(`${question.title}\n${question.body}`);
  const co = index.coAnswerScores(similarity);
  return candidates.map((c) => {
    const activity = index.activityOf(c.userId, now);
    return {
      ...c,
      ...(activity === undefined ? {} : { activity }),
      profileSimilarity: profile.get(c.userId) ?? 0,
      coAnswer: co.get(c.userId) ?? 0,
    };
  });
}

/** The search index as an evidence port for past questions: their own thread left out, answers before them only. */
function pastEvidencePort(search: SearchIndex, communityId: number, history: CommunityHistory, question: HistoryQuestion): EvidencePort {
  const titles = new Map(history.questions.map((q) => [q.id, q]));
  return {
    async similarThreads(query) {
      const hits = await search.similar({ ...query, readableCommunityIds: [communityId], communityId, excludeIds: [question.id] });
      return hits.map((hit) => ({ threadId: hit.id, score: hit.score }));
    },
    async answersOf(threadIds) {
      const wanted = new Set(threadIds);
      return history.answers
        .filter((a) => wanted.has(a.threadId) && a.createdAt < question.createdAt)
        .map((a) => ({
          threadId: a.threadId,
          threadTitle: titles.get(a.threadId)?.title ?? '',
          authorId: a.authorId,
          accepted: titles.get(a.threadId)?.solutionPostId === a.id,
          score: a.score,
          answeredAt: a.createdAt,
        }));
    },
  };
}

/**
 * A past question's candidates (everyone who had answered before it, the asker left out) with their features, and
 * when each first answered it (Infinity: not before the history's end), so that it can be labelled as of any time.
 */
export interface PastQuestionList {
  questionAt: number;
  features: Float64Array;
  firstAnswerAt: Float64Array;
}

/**
 * One list per past question before `before` that a candidate answered before `before`, oldest first. Features
 * depend only on the history before each question, so one pass serves every labelling time (`labelledBetween`).
 */
export async function trainingListsOf(
  search: SearchIndex,
  communityId: number,
  history: CommunityHistory,
  before: number,
): Promise<PastQuestionList[]> {
  const out: PastQuestionList[] = [];
  const byId = new Map(history.questions.map((q) => [q.id, q]));
  const answerers = new Map<number, { authorId: number; at: number }[]>();
  for (const a of history.answers) {
    let list = answerers.get(a.threadId);
    if (list === undefined) answerers.set(a.threadId, (list = []));
    list.push({ authorId: a.authorId, at: a.createdAt });
  }
  const index = new ExpertHistoryIndex();
  let next = 0;
  for (const q of history.questions) {
    if (q.createdAt >= before) break;
    // Long CPU work in a process that also serves requests (the embedded mode): let them through.
    await new Promise((resolve) => setImmediate(resolve));
    while (next < history.answers.length && (history.answers[next] as HistoryAnswerRow).createdAt < q.createdAt) {
      const a = history.answers[next++] as HistoryAnswerRow;
      const aq = byId.get(a.threadId);
      if (aq !== undefined)
        index.add({
          authorId: a.authorId,
          threadId: a.threadId,
          questionAt: aq.createdAt,
          answeredAt: a.createdAt,
          accepted: aq.solutionPostId === a.id,
          score: a.score,
          tags: aq.tags,
          text: `${aq.title}\n${a.body}`,
        });
    }
    const firstAnswer = new Map<number, number>();
    for (const a of answerers.get(q.id) ?? [])
      if (a.at < before && a.authorId !== q.authorId) firstAnswer.set(a.authorId, Math.min(a.at, firstAnswer.get(a.authorId) ?? Infinity));
    const users = index.authors().filter((u) => u !== q.authorId);
    if (users.length < 2 || !users.some((u) => firstAnswer.has(u))) continue;
    const { byAuthor, similarity } = await gatherEvidence(
      { title: q.title, body: q.body },
      pastEvidencePort(search, communityId, history, q),
    );
    const counts = (u: number) => index.countsOf(u);
    const base: ExpertCandidate[] = users.map((userId) => ({
      userId,
      canRead: true,
      suspended: false,
      declinedThisQuestion: false,
      alreadyMatched: false,
      evidence: byAuthor.get(userId) ?? ([] as EvidenceAnswer[]),
      tagCounts: counts(userId).tagCounts,
      community: counts(userId).community,
      lastAnswerAt: counts(userId).lastAnswerAt,
      history: { matched: 0, answered: 0, accepted: 0, medianResponseMs: null, recentMatches: 0, matchesThisWeek: 0 },
      availability: { optedIn: true, weeklyCap: null, quietHours: null, timeZone: 'UTC', mutedTags: [], wantedTags: [] },
      notMyAreaSimilarity: 0,
    }));
    const candidates = withHistoryFeatures(base, index, q, similarity, q.createdAt);
    const features = expertFeatures(q.tags, candidates, q.createdAt, index.totals(), defaultRankingWeights);
    out.push({ questionAt: q.createdAt, features, firstAnswerAt: Float64Array.from(users, (u) => firstAnswer.get(u) ?? Infinity) });
  }
  return out;
}

/**
 * The training lists of the questions asked in [from, before), labelled with the answers known at `before`;
 * a question nobody had answered by then teaches nothing and is left out.
 */
export function labelledBetween(lists: readonly PastQuestionList[], from: number, before: number): TrainingList[] {
  const out: TrainingList[] = [];
  for (const list of lists) {
    if (list.questionAt < from) continue;
    if (list.questionAt >= before) break;
    const relevant = Uint8Array.from(list.firstAnswerAt, (at) => (at < before ? 1 : 0));
    if (relevant.includes(1)) out.push({ features: list.features, relevant });
  }
  return out;
}

/** MRR and S@3 of an ordering score over lists (ties broken by row order, i.e. user id). */
export function listMetrics(lists: readonly TrainingList[], score: (list: TrainingList) => Float64Array): { mrr: number; s3: number } {
  let rr = 0;
  let s3 = 0;
  for (const list of lists) {
    const s = score(list);
    const order = Array.from(s.keys()).sort((a, b) => (s[b] as number) - (s[a] as number) || a - b);
    const first = order.findIndex((i) => list.relevant[i] === 1);
    if (first >= 0) {
      rr += 1 / (first + 1);
      if (first < 3) s3++;
    }
  }
  const n = Math.max(1, lists.length);
  return { mrr: rr / n, s3: s3 / n };
}

const column =
  (name: (typeof expertFeatureNames)[number]) =>
  (list: TrainingList): Float64Array => {
    const j = expertFeatureNames.indexOf(name);
    return Float64Array.from({ length: list.relevant.length }, (_, i) => list.features[i * FEATURE_COUNT + j] as number);
  };

/** The latest fifth of the training questions is held out for the figures; the fifth before it chooses the setting. */
const HOLDOUT = 0.2;

/**
 * The setting whose model, trained on `training`, ranks the answerers of `choice` best (MRR); the first setting
 * when either is empty.
 */
export function chooseModelSetting(training: readonly TrainingList[], choice: readonly TrainingList[]): RankingModelSetting {
  let best = { setting: rankingModelSettings[0] as RankingModelSetting, mrr: -1 };
  if (training.length === 0 || choice.length === 0) return best.setting;
  for (const setting of rankingModelSettings) {
    const model = trainRankingModel(training, setting);
    const { mrr } = listMetrics(choice, (list) => scoreFeatures(model, list.features, list.relevant.length));
    if (mrr > best.mrr + 1e-9) best = { setting, mrr };
  }
  return best.setting;
}

export type RetrainOutcome = 'trained' | 'too_little_history' | 'fresh';

/**
 * Trains the community's model on its history before `now` and stores it as the next version with its
 * held-out figures. In use only when it beat the weighted score on the held-out questions.
 */
export async function retrainCommunityModel(
  deps: { db: Db; search: SearchIndex },
  communityId: number,
  now: Date,
): Promise<RetrainOutcome> {
  const history = await loadCommunityHistory(deps.db, communityId, now);
  const past = await trainingListsOf(deps.search, communityId, history, now.getTime());
  if (past.length < minTrainingQuestions) return 'too_little_history';
  const origin = (past[Math.floor(past.length * (1 - HOLDOUT))] as PastQuestionList).questionAt;
  const chooseOrigin = (past[Math.floor(past.length * (1 - 2 * HOLDOUT))] as PastQuestionList).questionAt;
  // Each model sees only what was known at the start of the block it is measured on (labels too), and the
  // held-out figures come from questions the choice of setting never saw.
  const setting = chooseModelSetting(labelledBetween(past, -Infinity, chooseOrigin), labelledBetween(past, chooseOrigin, origin));
  const held = labelledBetween(past, origin, now.getTime());
  const figuresModel = trainRankingModel(labelledBetween(past, -Infinity, origin), setting);
  const heldOut = listMetrics(held, (list) => scoreFeatures(figuresModel, list.features, list.relevant.length));
  const weighted = listMetrics(held, column('weightedScore'));
  const mostActive = listMetrics(held, column('answers'));
  const all = labelledBetween(past, -Infinity, now.getTime());
  const model = trainRankingModel(all, setting);
  await deps.db.transaction(async (tx) => {
    // One retrain at a time per community: the version is the next one under the lock.
    await tx.execute(sql`select pg_advisory_xact_lock(727276, ${communityId})`);
    const [row] = await tx
      .select({ version: sql<number>`coalesce(max(${matchingModels.version}), 0)::int` })
      .from(matchingModels)
      .where(eq(matchingModels.communityId, communityId));
    await tx.insert(matchingModels).values({
      communityId,
      version: (row?.version ?? 0) + 1,
      // The chosen setting (every setting gives a model of kind 'linear-pairwise').
      kind: setting.label,
      model,
      inUse: heldOut.mrr > weighted.mrr,
      trainedAt: now,
      trainingQuestions: all.length,
      validationQuestions: held.length,
      validationMrr: heldOut.mrr,
      validationS3: heldOut.s3,
      weightedMrr: weighted.mrr,
      mostActiveMrr: mostActive.mrr,
      mostActiveS3: mostActive.s3,
    });
  });
  return 'trained';
}

/**
 * Every community with at least `minTrainingQuestions` answered questions whose latest model is older than
 * `maxAgeMs` (or that has none): retrained one after another.
 */
export async function retrainAllModels(
  deps: { db: Db; search: SearchIndex },
  now: Date,
  maxAgeMs = 86_400_000,
): Promise<Record<RetrainOutcome, number>> {
  const rows = await deps.db
    .select({ communityId: threads.communityId })
    .from(threads)
    .where(and(eq(threads.kind, 'question'), threadListedForAll, gt(threads.replyCount, 0)))
    .groupBy(threads.communityId)
    .having(sql`count(*) >= ${minTrainingQuestions}`);
  const outcomes: Record<RetrainOutcome, number> = { trained: 0, too_little_history: 0, fresh: 0 };
  for (const { communityId } of rows) {
    const [latest] = await deps.db
      .select({ trainedAt: sql<Date>`max(${matchingModels.trainedAt})` })
      .from(matchingModels)
      .where(eq(matchingModels.communityId, communityId));
    const trainedAt = latest?.trainedAt ? new Date(latest.trainedAt).getTime() : null;
    if (trainedAt !== null && trainedAt > now.getTime() - maxAgeMs) outcomes.fresh++;
    else outcomes[await retrainCommunityModel(deps, communityId, now)]++;
  }
  return outcomes;
}
